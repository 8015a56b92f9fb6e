"""Issue 9, finding 5: TOTP two-factor sign-in for staff (admins must, with REQUIRE_ADMIN_TOTP on,
as in production; the shared test environment turns it off so other tests log admins in with a
password alone). Codes come from pyotp, as from a phone's authenticator app."""

from __future__ import annotations

import re
import time

import pyotp

from portal.auth.models import User
from tests.conftest import csrf_token, gen_user, login


def _admin_app(monkeypatch):  # noqa: ANN001, ANN202
    from portal import create_app
    monkeypatch.setenv("REQUIRE_ADMIN_TOTP", "1")
    return create_app({"TESTING": True})


def _enrol(client) -> pyotp.TOTP:  # noqa: ANN001
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page  # the QR code
    secret = re.search(r'<code class="totp-secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    totp = pyotp.TOTP(secret)
    token = csrf_token(client, "/account/two-factor")
    wrong = client.post("/account/two-factor", data={"csrf_token": token, "code": "000000" if totp.now() != "000000" else "111111"})
    assert "That code is not right" in wrong.get_data(as_text=True)
    done = client.post("/account/two-factor", data={"csrf_token": token, "code": totp.now()})
    assert done.status_code == 302
    return totp


def _enrolled(app, session, role: str):  # noqa: ANN001, ANN202
    """A staff user with two-factor sign-in on, and a client at the code step of a new sign-in."""
    user = gen_user(session, role)
    client = app.test_client()
    login(client, user.email)
    totp = _enrol(client)
    signing_in = app.test_client()
    assert login(signing_in, user.email).headers["Location"] == "/login/code"
    return totp, signing_in


def _code_step(client, code: str):  # noqa: ANN001, ANN202
    return client.post("/login/code", data={"csrf_token": csrf_token(client, "/login/code"), "code": code})


def test_staff_enrol_then_need_a_code_after_the_password(app, session):
    user = gen_user(session, "procurement")
    client = app.test_client()
    login(client, user.email)
    totp = _enrol(client)
    session.refresh(user)
    assert user.totp_secret == totp.secret
    assert client.get("/review/").status_code == 200  # still signed in after enrolling

    fresh = app.test_client()
    response = login(fresh, user.email)
    assert response.status_code == 302 and response.headers["Location"] == "/login/code"
    assert fresh.get("/review/").status_code == 302  # the password alone signs nobody in
    assert "That code is not right" in _code_step(fresh, "123456" if totp.now() != "123456" else "654321").get_data(as_text=True)
    next_code = totp.at(time.time() + 30)  # the enrolment used the current one; codes work once
    response = _code_step(fresh, next_code)
    assert response.status_code == 302 and response.headers["Location"] == "/review/"
    assert fresh.get("/review/").status_code == 200

    replay = app.test_client()
    login(replay, user.email)
    assert "used already" in _code_step(replay, next_code).get_data(as_text=True)
    assert replay.get("/review/").status_code == 302


def test_wrong_codes_are_throttled_like_passwords(app, session):
    totp, attacker = _enrolled(app, session, "quality")
    for _ in range(10):
        _code_step(attacker, "999999" if totp.now() != "999999" else "888888")
    locked = _code_step(attacker, totp.at(time.time() + 30))
    assert locked.status_code == 429 and "Too many sign-in attempts" in locked.get_data(as_text=True)


def test_admin_without_two_factor_is_sent_to_set_it_up(monkeypatch, session, env):
    app = _admin_app(monkeypatch)
    admin = gen_user(session, "admin")
    client = app.test_client()
    assert login(client, admin.email).status_code == 302
    for path in ("/review/", "/mail/", "/admin/api-keys", "/suppliers/"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/account/two-factor", path
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "Administrators must use two-factor sign-in" in page
    _enrol(client)
    assert client.get("/review/").status_code == 200
    procurement = gen_user(session, "procurement")  # optional for other staff
    other = app.test_client()
    login(other, procurement.email)
    assert other.get("/review/").status_code == 200


def test_suppliers_are_not_offered_two_factor(app, session):
    client = app.test_client()
    login(client, gen_user(session, "supplier").email)
    assert client.get("/account/two-factor").status_code == 404


def test_an_operator_resets_a_lost_phone_from_the_cli(monkeypatch, session, env):
    app = _admin_app(monkeypatch)
    admin = gen_user(session, "admin")
    client = app.test_client()
    login(client, admin.email)
    _enrol(client)
    result = app.test_cli_runner().invoke(args=["users", "reset-totp", "--email", admin.email.upper()])
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert session.get(User, admin.id).totp_secret is None
    assert client.get("/review/").status_code == 302  # its sessions ended
    again = app.test_client()
    assert login(again, admin.email).headers["Location"] == "/review/"  # password, then set up again
    assert again.get("/review/").headers["Location"] == "/account/two-factor"


def test_the_code_step_expires(app, session):
    totp, fresh = _enrolled(app, session, "procurement")
    with fresh.session_transaction() as s:
        s["pending_second_step"] = {**s["pending_second_step"], "since": s["pending_second_step"]["since"] - 301}
    response = fresh.get("/login/code", follow_redirects=True)
    assert "the sign-in took too long" in response.get_data(as_text=True)
    late = fresh.post("/login/code", data={"csrf_token": csrf_token(fresh, "/login"), "code": totp.at(time.time() + 30)})
    assert late.status_code == 302 and late.headers["Location"] == "/login"
    assert fresh.get("/review/").status_code == 302  # no sign-in without the password again
