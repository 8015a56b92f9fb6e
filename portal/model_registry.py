"""The modules that define tables, named once as data.

portal.db sits under every feature, so it must not import them: it did (through the certificate
register, which needs the requests area, which needs portal.db), an import circle. A feature
with tables adds its module here; importing it registers its tables in SQLModel.metadata (and,
for the certificate register, its approval hook; for invitations and access grants, the secret
their e-mail gets at delivery).
"""

from __future__ import annotations

import importlib

MODEL_MODULES = (
    "portal.access.grants",              # its API key minted when the grant's e-mail is delivered
    "portal.access.models",
    "portal.audit.models",
    "portal.auth.invitations",           # its table and the link minted at delivery
    "portal.auth.models",
    "portal.certificates.register",      # its models and approval hook
    "portal.clients.models",             # API keys, OAuth clients, idempotent answers
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
