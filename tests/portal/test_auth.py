import pytest
from sqlmodel import select

from portal.auth.models import User
from tests.conftest import PASSWORD, csrf_token, gen_user, login


def test_login_logout_and_session_renewed(client, session):
    user = gen_user(session, "procurement")
    client.get("/login")
    with client.session_transaction() as s:
        s["planted"] = "by an attacker before login"
    response = login(client, user.email)
    assert response.status_code == 302 and response.headers["Location"] == "/review/"
    with client.session_transaction() as s:
        assert "planted" not in s, "the pre-login session must not survive login"
        assert s["_user_id"] == f"{user.id}:{user.auth_version}"
    assert client.get("/review/").status_code == 200
    token = csrf_token(client, "/review/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/review/").status_code == 302  # back to the login page


def test_wrong_password_is_refused_with_a_message(client, session):
    user = gen_user(session, "supplier")
    page = login(client, user.email, "not the password").get_data(as_text=True)
    assert "E-mail or password is not right." in page
    with client.session_transaction() as s:
        assert "_user_id" not in s


def test_passwords_are_hashed(session):
    user = gen_user(session, "admin")
    assert PASSWORD not in user.password_hash and user.check_password(PASSWORD)


def test_forged_csrf_token_is_refused(client, session):
    user = gen_user(session, "supplier")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/documents/", "/review/", "/documents/1", "/documents/1/status"])
def test_pages_need_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_roles_cannot_open_each_others_areas(client, session):
    supplier = gen_user(session, "supplier")
    login(client, supplier.email)
    assert client.get("/review/").status_code == 404


def test_users_create_cli(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "New@Example.test", "--password", "long enough 2026",
                                 "--role", "supplier", "--supplier", "Acme Ltd"])
    assert result.exit_code == 0, result.output
    user = session.exec(select(User).where(User.email == "new@example.test")).one()
    assert user.role == "supplier" and user.supplier_id is not None
    result = runner.invoke(args=["users", "create", "--email", "x@example.test", "--password", "long enough 2026",
                                 "--role", "supplier"])
    assert result.exit_code != 0 and "needs --supplier" in result.output


def test_apikeys_create_prints_key_last(app):
    result = app.test_cli_runner().invoke(args=["apikeys", "create", "--name", "erp", "--scope", "write"])
    assert result.exit_code == 0
    assert result.output.strip().splitlines()[-1].startswith("sdp_")
