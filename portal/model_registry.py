"""The modules that define tables, named once as data.

portal.db sits under every feature, so it must not import them: it did (through the certificate
register, which needs the requests area, which needs portal.db), an import circle. A feature
with tables adds its module here; importing it registers its tables in SQLModel.metadata (and,
for the certificate register, its approval hook).
"""

from __future__ import annotations

import importlib

MODEL_MODULES = (
    "portal.access.models",
    "portal.api.models",
    "portal.audit.models",
    "portal.auth.invitations",
    "portal.auth.models",
    "portal.certificates.register",      # its models and approval hook
    "portal.documents.models",
    "portal.mail.models",
    "portal.passports.models",
    "portal.products.models",
    "portal.requests.models",
    "portal.suppliers.models",
    "portal.webhooks.models",
)


def import_model_modules() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)
