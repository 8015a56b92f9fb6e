"""Access requests: someone reading a public passport (a recycler, a repairer, market surveillance)
asks to see its restricted fields; an admin approves the request into a time-limited API key with
the passport:restricted scope, mailed to them, or rejects it with a reason. The field levels
themselves are in portal/passports/access.py."""
