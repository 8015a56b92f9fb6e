"""Importing this package registers every extractor (see ingestion.registry)."""

import importlib
import logging

# Spreadsheet extractors live with this package and must import cleanly.
from . import cmrt, crt, emrt, material_composition, schema_workbook  # noqa: F401

# PDF extractors are written separately; a missing one only means that type is not offered yet.
for _name in ("certificate", "reach_svhc", "rohs", "declaration_of_conformity"):
    try:
        importlib.import_module(f"{__name__}.{_name}")
    except ImportError as exc:
        logging.getLogger(__name__).debug("extractor %s not available: %s", _name, exc)
