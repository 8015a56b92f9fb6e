"""Security headers and HTML escaping that every page relies on."""

from tests.conftest import gen_user, login


def test_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_logout_needs_csrf(client, session):
    user = gen_user(session)
    login(client, user.email)
    assert client.post("/logout").status_code == 400
    assert client.get("/documents/").status_code == 200  # still logged in
