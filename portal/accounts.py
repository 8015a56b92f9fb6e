"""Creating users and suppliers, shared by the CLI and the demo seed."""

from __future__ import annotations

from sqlmodel import Session, select

from portal.auth.models import Role, User
from portal.auth.passwords import password_problem
from portal.suppliers.models import Supplier


class AccountError(Exception):
    pass


def get_or_create_supplier(session: Session, name: str) -> Supplier:
    name = name.strip()
    supplier = session.exec(select(Supplier).where(Supplier.name == name)).first()
    if supplier is None:
        supplier = Supplier(name=name)
        session.add(supplier)
        session.flush()
    return supplier


def create_user(session: Session, *, email: str, password: str, role: str,
                supplier_name: str | None = None) -> User:
    email = email.strip().lower()
    if "@" not in email:
        raise AccountError(f"{email!r} is not an e-mail address")
    problem = password_problem(password)
    if problem:
        raise AccountError(f"the password is refused: {problem}")
    if role not in {r.value for r in Role}:
        raise AccountError(f"unknown role {role!r}")
    if role == Role.supplier.value and not supplier_name:
        raise AccountError("a supplier user needs --supplier NAME")
    if session.exec(select(User).where(User.email == email)).first():
        raise AccountError(f"a user {email} exists already")
    supplier = get_or_create_supplier(session, supplier_name) if supplier_name else None
    user = User(email=email, password_hash="", role=role, supplier_id=supplier.id if supplier else None)
    user.set_password(password)
    session.add(user)
    session.flush()
    return user
