"""GS1 Digital Link resolver: /01/{gtin}[/10/{lot}][/21/{serial}] for people and machines."""
