"""Building certificates for the register's tests: through the real flow (supplier form,
attestation, procurement approval over HTTP) or, for volume, as rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, select

from portal.certificates.checks import number_key
from portal.certificates.models import Certificate
from portal.requests.models import Declaration
from tests.conftest import csrf_token, gen_user, login


def logged_in(app, session: Session, role: str, supplier: str | None = None):  # noqa: ANN001, ANN201
    """(client, user) for a new user of that role."""
    user = gen_user(session, role, supplier=supplier) if supplier else gen_user(session, role)
    client = app.test_client()
    login(client, user.email)
    return client, user


def submit_certificate(supplier_client, session: Session, *, number: str, expiry: date,  # noqa: ANN001
                       issued: date | None = None, scheme: str = "iso_9001", holder: str = "Tatra Magnetics s.r.o.",
                       request_id: int | None = None, standard: str = "ISO 9001:2015") -> Declaration:
    """The supplier fills the certificate form (for a request, or on their own) and attests it."""
    if request_id is not None:
        response = supplier_client.post(f"/requests/{request_id}/answer",
                                        data={"csrf_token": csrf_token(supplier_client, "/dashboard")})
    else:
        response = supplier_client.post("/declarations/new", data={
            "csrf_token": csrf_token(supplier_client, "/dashboard"), "document_type": "certificate"})
    assert response.status_code == 303, response.status_code
    decl_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    decl = session.get(Declaration, decl_id)
    session.refresh(decl)
    url = f"/declarations/{decl_id}"
    form = {"csrf_token": csrf_token(supplier_client, url), "lock_version": decl.lock_version, "scheme": scheme,
            "standard": standard, "certificate_number": number, "holder-name": holder,
            "issuer-name": "TÜV SÜD", "issue_date": (issued or date(2024, 1, 10)).isoformat(),
            "expiry_date": expiry.isoformat(), "scope": "Design and manufacture of magnets", "action": "save"}
    supplier_client.post(url, data=form)
    session.refresh(decl)
    assert decl.errors == [], decl.errors
    supplier_client.post(f"{url}/submit", data={
        "csrf_token": csrf_token(supplier_client, url), "lock_version": decl.lock_version,
        "signatory_name": "Ann Smith", "signatory_title": "QA lead", "confirm": "yes"})
    session.refresh(decl)
    assert decl.status == "submitted", decl.status
    return decl


def approve(reviewer, session: Session, decl: Declaration) -> Certificate:  # noqa: ANN001
    """Procurement opens the declaration and approves it; the register takes it in that transaction."""
    url = f"/review/{decl.id}"
    token = csrf_token(reviewer, url)
    session.refresh(decl)
    response = reviewer.post(f"{url}/approve", data={"csrf_token": token, "lock_version": decl.lock_version})
    assert response.status_code in (302, 303)
    session.refresh(decl)
    assert decl.status == "approved", decl.status
    session.expire_all()
    return session.exec(select(Certificate).where(Certificate.declaration_id == decl.id)).one()


def gen_certificate(session: Session, supplier_id: int, expiry: date, *, scheme: str = "iso_9001",
                    number: str | None = None, **fields: Any) -> Certificate:
    number = number or f"Q-{gen_certificate.counter:06d}"
    gen_certificate.counter += 1
    cert = Certificate(supplier_id=supplier_id, scheme=scheme, certificate_number=number, number_key=number_key(number),
                       expiry_date=expiry, issue_date=fields.pop("issue_date", date(2020, 1, 1)),
                       standard=fields.pop("standard", None), holder_name=fields.pop("holder_name", "Holder"), **fields)
    session.add(cert)
    session.commit()
    return cert


gen_certificate.counter = 1
