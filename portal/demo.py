"""Demo data for `make run`: two supplier companies, one user per role, open requests, and catalogue
products with passports, so that approving a demo declaration visibly updates one."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from portal.accounts import create_user
from portal.auth.models import User
from portal.passports import store
from portal.products.models import Product
from portal.requests.models import DeclarationRequest
from portal.settings import load_settings

DEMO_PASSWORD = "demo-password"
DEMO_USERS = [
    ("supplier", "supplier@tatra.example", "Tatra Magnetics s.r.o."),
    ("supplier", "supplier@lumen.example", "Lumen Components S.r.l."),
    ("procurement", "buyer@oem.example", None),
    ("quality", "quality@oem.example", None),
    ("admin", "admin@oem.example", None),
]
DEMO_PRODUCTS = [  # (GTIN-14, part number, name, passport status or None)
    ("04006381333931", "HX-200", "Motor housing", "published"),
    ("04006381333948", "DR-18", "Cordless drill 18 V", "draft"),
    ("04006381333955", "FN-40", "Bench fan 40 cm", None),
]
DEMO_REQUESTS = [  # (supplier user, type, due in days, message)
    ("supplier@tatra.example", "cmrt", 14, "Your CMRT for 2026, please (all 3TG)."),
    ("supplier@tatra.example", "rohs", -3, "RoHS declaration for the parts below."),
    ("supplier@lumen.example", "certificate", 30, "Your current ISO 14001 certificate."),
    ("supplier@lumen.example", "material_composition", 21, "Material composition of the housing."),
]


def seed_demo(session: Session) -> list[tuple[str, str, str]]:
    logins = []
    for role, email, supplier in DEMO_USERS:
        if not session.exec(select(User).where(User.email == email)).first():
            create_user(session, email=email, password=DEMO_PASSWORD, role=role, supplier_name=supplier)
        logins.append((role, email, DEMO_PASSWORD))
    if session.exec(select(DeclarationRequest.id)).first() is None:
        buyer = session.exec(select(User).where(User.email == "buyer@oem.example")).one()
        for email, document_type, days, message in DEMO_REQUESTS:
            supplier_user = session.exec(select(User).where(User.email == email)).one()
            session.add(DeclarationRequest(supplier_id=supplier_user.supplier_id, document_type=document_type,
                                           due_date=date.today() + timedelta(days=days), message=message,
                                           products=[{"part_number": "HX-200", "name": "Motor housing",
                                                      "gtin": DEMO_PRODUCTS[0][0]}],
                                           created_by_id=buyer.id))
    seed_demo_products(session)
    return logins


def seed_demo_products(session: Session) -> None:
    """Catalogue products and their passports (idempotent: existing GTINs are left alone)."""
    public_url = load_settings().public_url
    for gtin, part_number, name, status in DEMO_PRODUCTS:
        if session.exec(select(Product).where(Product.gtin == gtin)).first() is not None:
            continue
        session.add(Product(gtin=gtin, part_number=part_number, name=name))
        if status and store.live_passport(session, gtin) is None:
            store.create(session, {"gtin": gtin, "status": status, "data": {
                "product": {"name": name, "part_number": part_number},
                "manufacturer": {"name": "OEM Demo GmbH", "country_code": "DE"}}},
                store.Change("demo", "demo"), public_url)
