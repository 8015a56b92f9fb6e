"""Demo certificates for `make run`, so that the quality dashboard has something to show:
`flask --app wsgi certificates demo` (portal.demo may call `seed_demo_certificates` too)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from portal.suppliers.models import Supplier

from .checks import number_key
from .models import Certificate

# (supplier, scheme, standard, number, issuer, days from today to expiry, superseded by the next)
# The suppliers are portal.demo's.
DEMO = [
    ("Tatra Magnetics s.r.o.", "iso_9001", "ISO 9001:2015", "Q-2019-4411", "TÜV SÜD", -400, True),
    ("Tatra Magnetics s.r.o.", "iso_9001", "ISO 9001:2015", "Q-2022-4411", "TÜV SÜD", 45, False),
    ("Tatra Magnetics s.r.o.", "iso_14001", "ISO 14001:2015", "E-2023-0187", "DNV", 500, False),
    ("Lumen Components S.r.l.", "iso_14001", "ISO 14001:2015", "UM-14001-77812", "DEKRA", -12, False),
    ("Lumen Components S.r.l.", "gots", "GOTS 7.0", "CU-GOTS-829301", "Control Union", 200, False),
    ("Lumen Components S.r.l.", "iso_45001", "ISO 45001:2018", "OHS-558120", "Bureau Veritas", 80, False),
]


def seed_demo_certificates(session: Session, today: date | None = None) -> int:
    """Adds the demo certificates of the demo suppliers that exist; idempotent (by number)."""
    today = today or date.today()
    added, previous = 0, None
    for supplier_name, scheme, standard, number, issuer, days, superseded in DEMO:
        supplier = session.exec(select(Supplier).where(Supplier.name == supplier_name)).first()
        cert = session.exec(select(Certificate).where(Certificate.number_key == number_key(number))).first()
        if supplier is not None and cert is None:
            expiry = today + timedelta(days=days)
            cert = Certificate(supplier_id=supplier.id, scheme=scheme, standard=standard, certificate_number=number,
                               number_key=number_key(number), holder_name=supplier_name, issuer_name=issuer,
                               scope="Design and manufacture", issue_date=expiry - timedelta(days=3 * 365),
                               expiry_date=expiry)
            session.add(cert)
            session.flush()
            added += 1
        if previous is not None and cert is not None and previous.superseded_by_id is None:
            previous.superseded_by_id = cert.id
        previous = cert if superseded else None
    return added
