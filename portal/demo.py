"""Demo data for `make run`: two supplier companies and one user per role."""

from __future__ import annotations

from sqlmodel import Session, select

from portal.accounts import create_user
from portal.auth.models import User

DEMO_PASSWORD = "demo-password"
DEMO_USERS = [
    ("supplier", "supplier@tatra.example", "Tatra Magnetics s.r.o."),
    ("supplier", "supplier@lumen.example", "Lumen Cables GmbH"),
    ("procurement", "buyer@oem.example", None),
    ("quality", "quality@oem.example", None),
    ("admin", "admin@oem.example", None),
]


def seed_demo(session: Session) -> list[tuple[str, str, str]]:
    logins = []
    for role, email, supplier in DEMO_USERS:
        if not session.exec(select(User).where(User.email == email)).first():
            create_user(session, email=email, password=DEMO_PASSWORD, role=role, supplier_name=supplier)
        logins.append((role, email, DEMO_PASSWORD))
    return logins
