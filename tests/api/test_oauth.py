"""OAuth2 client credentials beside API keys: clients made by an admin (page and CLI), tokens from
POST /oauth/token (HTTP Basic or form), accepted by the API wherever a key is, scoped, expiring
after 15 minutes, revoked through RFC 7009 or the admin's button; secrets and tokens stored hashed."""

import base64
import re
import time

from sqlalchemy import text
from sqlmodel import select

from portal.api import oauth
from portal.clients.models import ApiKey, OAuthClient, OAuthToken
from portal.passports import access
from tests.api.helpers import api_key, passport_body
from tests.conftest import csrf_token, gen_user, login


def _client(session, scope="write", name="ERP", sandbox=False):  # noqa: ANN001, ANN202
    row, secret = oauth.create_client(session, name, scope, sandbox=sandbox, created_by="test")
    session.commit()
    return row.client_id, secret


def _basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def _token(client, client_id, secret, scope=None, how="basic"):  # noqa: ANN001, ANN202
    form = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    if how == "basic":
        return client.post("/oauth/token", data=form, headers=_basic(client_id, secret))
    return client.post("/oauth/token", data={**form, "client_id": client_id, "client_secret": secret})


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_token_by_basic_and_by_form_works_where_keys_do(client, session):
    client_id, secret = _client(session)
    for how in ("basic", "post"):
        answer = _token(client, client_id, secret, how=how)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        body = answer.get_json()
        assert body["token_type"].lower() == "bearer" and body["expires_in"] == 900
        assert body["scope"] == "read write" and answer.headers["Cache-Control"] == "no-store"
        created = client.post("/api/v1/passports", json=passport_body(1 if how == "basic" else 2),
                              headers=_bearer(body["access_token"]))
        assert created.status_code == 201
        listed = client.get("/api/v1/passports", headers=_bearer(body["access_token"]))
        assert listed.status_code == 200 and "X-RateLimit-Limit" in listed.headers
    assert len(listed.get_json()["items"]) == 2
    # stored hashed: neither the secret nor a token is anywhere in the database
    dump = " ".join(str(row) for table in ("oauth_client", "oauth_token", "api_key")
                    for row in session.execute(text(f"SELECT * FROM {table}")).all())
    assert secret not in dump and body["access_token"] not in dump


def test_scopes_are_those_of_the_client_and_of_the_token(client, session):
    read_id, read_secret = _client(session, scope="read", name="BI")
    refused = _token(client, read_id, read_secret, scope="write")
    assert refused.status_code == 400 and refused.get_json()["error"] == "invalid_scope"
    read_token = _token(client, read_id, read_secret).get_json()
    assert read_token["scope"] == "read"
    answer = client.post("/api/v1/passports", json=passport_body(1), headers=_bearer(read_token["access_token"]))
    assert answer.status_code == 403 and answer.get_json()["error"]["code"] == "INSUFFICIENT_SCOPE"

    write_id, write_secret = _client(session, name="ERP")
    narrow = _token(client, write_id, write_secret, scope="read").get_json()   # a write client asks for less
    answer = client.post("/api/v1/passports", json=passport_body(1), headers=_bearer(narrow["access_token"]))
    assert answer.status_code == 403


def test_bad_credentials_and_requests_get_oauth_errors(client, session):
    client_id, secret = _client(session)
    assert _token(client, client_id, secret + "x").status_code == 401
    assert _token(client, "sdp_client_nobody", secret).get_json()["error"] == "invalid_client"
    wrong_grant = client.post("/oauth/token", data={"grant_type": "password", "username": "a", "password": "b"},
                              headers=_basic(client_id, secret))
    assert wrong_grant.status_code == 400 and wrong_grant.get_json()["error"] == "unsupported_grant_type"
    assert client.post("/oauth/token", data={}).status_code == 400
    assert client.get("/oauth/token").status_code == 405
    answer = client.get("/api/v1/passports", headers=_bearer("sdp_at_made_up"))
    assert answer.status_code == 401 and answer.get_json()["error"]["code"] == "INVALID_API_KEY"
    assert answer.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_tokens_expire_after_fifteen_minutes(client, session):
    client_id, secret = _client(session)
    token = _token(client, client_id, secret).get_json()["access_token"]
    assert client.get("/api/v1/passports", headers=_bearer(token)).status_code == 200
    row = session.exec(select(OAuthToken)).one()
    row.issued_at = int(time.time()) - 900 + 30   # 14.5 minutes old: still good
    session.add(row)
    session.commit()
    assert client.get("/api/v1/passports", headers=_bearer(token)).status_code == 200
    row.issued_at = int(time.time()) - 900        # 15 minutes old: expired
    session.add(row)
    session.commit()
    expired = client.get("/api/v1/passports", headers=_bearer(token))
    assert expired.status_code == 401 and "expired" in expired.get_json()["error"]["message"]
    fresh = _token(client, client_id, secret).get_json()["access_token"]   # the client simply asks again
    assert client.get("/api/v1/passports", headers=_bearer(fresh)).status_code == 200


def test_revocation_endpoint_ends_a_token_only_for_its_own_client(client, session):
    client_id, secret = _client(session)
    other_id, other_secret = _client(session, name="Other")
    token = _token(client, client_id, secret).get_json()["access_token"]
    by_other = client.post("/oauth/revoke", data={"token": token}, headers=_basic(other_id, other_secret))
    assert by_other.status_code == 400
    assert client.get("/api/v1/passports", headers=_bearer(token)).status_code == 200
    unknown = client.post("/oauth/revoke", data={"token": "sdp_at_unknown"}, headers=_basic(client_id, secret))
    assert unknown.status_code == 200   # RFC 7009: an unknown token is not an error
    revoked = client.post("/oauth/revoke", data={"token": token, "token_type_hint": "access_token"},
                          headers=_basic(client_id, secret))
    assert revoked.status_code == 200
    assert client.get("/api/v1/passports", headers=_bearer(token)).status_code == 401


def test_admin_creates_a_client_shown_once_and_revokes_it(app, client, session):
    login(client, gen_user(session, "admin").email)
    page = client.get("/admin/oauth-clients")
    assert page.status_code == 200 and "OAuth2 clients" in page.get_data(as_text=True)
    made = client.post("/admin/oauth-clients", data={"name": "SAP bridge", "scope": "write",
                                                     "csrf_token": csrf_token(client, "/admin/oauth-clients")})
    assert made.status_code == 201 and made.headers["Cache-Control"] == "no-store"
    html = made.get_data(as_text=True)
    client_id = re.search(r'id="new-client-id"[^>]*>([^<]+)<', html).group(1)
    secret = re.search(r'id="new-client-secret"[^>]*>([^<]+)<', html).group(1)
    assert secret not in client.get("/admin/oauth-clients").get_data(as_text=True)   # shown once
    api = app.test_client()
    token = _token(api, client_id, secret).get_json()["access_token"]
    assert api.get("/api/v1/passports", headers=_bearer(token)).status_code == 200

    bad = client.post("/admin/oauth-clients", data={"name": "", "scope": "admin",
                                                    "csrf_token": csrf_token(client, "/admin/oauth-clients")})
    assert bad.status_code == 400 and "give" in bad.get_data(as_text=True)

    row = session.exec(select(OAuthClient).where(OAuthClient.client_id == client_id)).one()
    revoked = client.post(f"/admin/oauth-clients/{row.id}/revoke",
                          data={"csrf_token": csrf_token(client, "/admin/oauth-clients")})
    assert revoked.status_code == 303
    assert api.get("/api/v1/passports", headers=_bearer(token)).status_code == 401   # its token ends with it
    assert _token(api, client_id, secret).status_code == 401
    # the client's own api_key row is never listed as a key
    assert "oauth:SAP bridge" not in client.get("/admin/api-keys").get_data(as_text=True)
    assert session.get(ApiKey, row.api_key_id).revoked_at is not None


def test_cli_creates_a_client(app, session):
    result = app.test_cli_runner().invoke(args=["oauth-clients", "create", "--name", "Ops", "--scope", "read"])
    assert result.exit_code == 0, result.output
    client_id, secret = result.output.strip().splitlines()[-2:]
    api = app.test_client()
    token = _token(api, client_id.split()[-1], secret.split()[-1])
    assert token.status_code == 200 and token.get_json()["scope"] == "read"


def test_the_document_declares_both_schemes():
    from portal.api.openapi import openapi_document
    doc = openapi_document()
    schemes = doc["components"]["securitySchemes"]
    assert schemes["ApiKey"]["name"] == "X-API-Key"
    assert schemes["OAuth2"]["flows"]["clientCredentials"]["tokenUrl"] == "/oauth/token"
    assert {"ApiKey": []} in doc["security"] and {"OAuth2": ["read"]} in doc["security"]
    assert {"OAuth2": ["write"]} in doc["paths"]["/passports"]["post"]["security"]


def _restricted_passport(client, session):  # noqa: ANN001, ANN202
    """A published passport with a restricted field (a registration id) and a private one (notes)."""
    owner = {"X-API-Key": api_key(session, "write", name="erp-owner")}
    body = passport_body(7, status="published")
    body["data"]["manufacturer"]["registration_id"] = "CZ-REG-55501"
    body["data"]["internal"] = {"notes": "private margin note"}
    created = client.post("/api/v1/passports", json=body, headers=owner)
    assert created.status_code == 201, created.get_json()
    return created.get_json()["id"]


def _reads(client, passport_id, token):  # noqa: ANN001, ANN202
    text = client.get(f"/api/v1/passports/{passport_id}", headers=_bearer(token)).get_data(as_text=True)
    return "CZ-REG-55501" in text, "private margin note" in text


def test_a_tokens_own_scope_decides_what_it_reads(client, session):
    """restricted clients exist; a token that asked for less than its client may do reads that little."""
    passport_id = _restricted_passport(client, session)
    rid, rsecret = _client(session, scope=access.RESTRICTED_SCOPE, name="Recycler")
    full = _token(client, rid, rsecret).get_json()
    assert full["scope"] == f"read {access.RESTRICTED_SCOPE}"
    assert _reads(client, passport_id, full["access_token"]) == (True, False)
    narrow = _token(client, rid, rsecret, scope="read").get_json()["access_token"]
    assert _reads(client, passport_id, narrow) == (False, False)
    refused = _token(client, rid, rsecret, scope="write")
    assert refused.status_code == 400 and refused.get_json()["error"] == "invalid_scope"
    assert client.post("/api/v1/passports", json=passport_body(8), headers=_bearer(full["access_token"])).status_code == 403

    wid, wsecret = _client(session, scope="write", name="ERP")
    owner = _token(client, wid, wsecret).get_json()
    assert owner["scope"] == "read write" and _reads(client, passport_id, owner["access_token"]) == (True, True)
    read = _token(client, wid, wsecret, scope="read").get_json()["access_token"]       # reads like a read key
    assert _reads(client, passport_id, read) == (False, False)
    restricted = _token(client, wid, wsecret, scope=f"read {access.RESTRICTED_SCOPE}").get_json()["access_token"]
    assert _reads(client, passport_id, restricted) == (True, False)


def test_admin_page_and_cli_offer_the_restricted_scope(app, client, session):
    login(client, gen_user(session, "admin").email)
    page = client.get("/admin/oauth-clients").get_data(as_text=True)
    assert 'value="passport:restricted"' in page and "read restricted passport fields too" in page
    made = client.post("/admin/oauth-clients", data={"name": "Market surveillance", "scope": access.RESTRICTED_SCOPE,
                                                     "csrf_token": csrf_token(client, "/admin/oauth-clients")})
    assert made.status_code == 201 and "restricted passport data" in made.get_data(as_text=True)
    row = session.exec(select(OAuthClient).where(OAuthClient.name == "Market surveillance")).one()
    assert session.get(ApiKey, row.api_key_id).scope == access.RESTRICTED_SCOPE
    result = app.test_cli_runner().invoke(args=["oauth-clients", "create", "--name", "Repairer",
                                                "--scope", access.RESTRICTED_SCOPE])
    assert result.exit_code == 0, result.output
    client_id, secret = (line.split()[-1] for line in result.output.strip().splitlines()[-2:])
    assert _token(app.test_client(), client_id, secret).get_json()["scope"] == f"read {access.RESTRICTED_SCOPE}"
