"""`python -m portal.i18n`: build the .mo catalogues (what `make install` runs)."""

from portal.i18n import compile_catalogs

compile_catalogs()
