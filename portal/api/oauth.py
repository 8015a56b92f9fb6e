"""OAuth2 client credentials beside API keys, on Authlib's authorization server (RFC 6749 §4.4,
RFC 6750 bearer tokens, RFC 7009 revocation): POST /oauth/token and POST /oauth/revoke.

A client acts through its own `api_key` row (never shown to anyone), so its scope, rate limit and
sandbox flag, its idempotency keys, bulk jobs and webhook subscriptions work exactly as a key's.
Client secrets and tokens are stored as SHA-256 only (256-bit random values: a fast hash is enough)."""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Any, Optional

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, InsecureTransportError, InvalidScopeError, TokenMixin, grants
from authlib.oauth2.rfc6749.util import scope_to_list
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from flask import Blueprint, Flask, current_app, jsonify
from sqlmodel import Session, select

from portal.passports.access import RESTRICTED_SCOPE
from portal.timeutil import utcnow
from portal.web import db

from portal.clients.models import ApiKey, OAuthClient, OAuthToken, hash_key

TOKEN_TTL_S = 900            # 15 minutes: a leaked token is worth little; clients ask again
SCOPES = ("read", RESTRICTED_SCOPE, "write")
# what a client may ask a token for, by its own scope: never more, often less (a read token);
# the first scopes are what a token gets when none is asked (write already reads everything)
ALLOWED_SCOPES = {"read": ["read"], RESTRICTED_SCOPE: ["read", RESTRICTED_SCOPE],
                  "write": ["read", "write", RESTRICTED_SCOPE]}
DEFAULT_SCOPES = {"read": 1, RESTRICTED_SCOPE: 2, "write": 2}
AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
bp = Blueprint("oauth", __name__, url_prefix="/oauth")


class Client(ClientMixin):
    """Authlib's view of an OAuthClient row and the api_key it acts through."""

    def __init__(self, row: OAuthClient, principal: ApiKey) -> None:
        self.row, self.principal = row, principal

    def get_client_id(self) -> str:
        return self.row.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def allowed_scopes(self) -> list[str]:
        return ALLOWED_SCOPES.get(self.principal.scope, ["read"])

    def get_allowed_scope(self, scope: Optional[str]) -> str:
        """No scope asked: everything the client may do; else what was asked (checked before)."""
        if not scope:
            return " ".join(self.allowed_scopes()[:DEFAULT_SCOPES.get(self.principal.scope, 1)])
        return " ".join(s for s in scope_to_list(scope) if s in self.allowed_scopes())

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(hash_key(client_secret), self.row.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class Token(TokenMixin):
    def __init__(self, row: OAuthToken, client_row: OAuthClient) -> None:
        self.row, self.client_row = row, client_row

    def check_client(self, client: Client) -> bool:
        return client.row.id == self.row.client_id

    def get_scope(self) -> str:
        return self.row.scope

    def get_expires_in(self) -> int:
        return self.row.expires_in

    def is_expired(self) -> bool:
        return time.time() >= self.row.issued_at + self.row.expires_in

    def is_revoked(self) -> bool:
        return self.row.revoked_at is not None or self.client_row.revoked_at is not None


class ClientCredentials(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def validate_token_request(self) -> None:
        super().validate_token_request()
        # asking for more than the client may do is an error (RFC 6749 §5.2), not a silent cut
        asked = set(scope_to_list(self.request.payload.scope) or [])
        if not asked <= set(self.request.client.allowed_scopes()):
            raise InvalidScopeError(description=f"This client may ask only for: "
                                                f"{' '.join(self.request.client.allowed_scopes())}.")


class Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = AUTH_METHODS
    SUPPORTED_TOKEN_TYPES = ("access_token",)

    def query_token(self, token_string: str, token_type_hint: Optional[str]) -> Optional[Token]:
        return find_token(db(), token_string)

    def revoke_token(self, token: Token, request: Any) -> None:
        if token.row.revoked_at is None:
            token.row.revoked_at = utcnow()
            db().add(token.row)
            db().commit()


class Server(AuthorizationServer):
    def create_oauth2_request(self, request: Any) -> Any:
        try:
            return super().create_oauth2_request(request)
        except InsecureTransportError as exc:
            # plain HTTP to anything but loopback: the secret has already travelled in clear,
            # but no token is sent back over it
            raise _Refused(exc) from None


class _Refused(Exception):
    def __init__(self, error: OAuth2Error) -> None:
        self.error = error


def _query_client(client_id: str) -> Optional[Client]:
    found = db().exec(select(OAuthClient, ApiKey).join(ApiKey, ApiKey.id == OAuthClient.api_key_id)
                      .where(OAuthClient.client_id == client_id[:48])).first()
    if found is None or found[0].revoked_at is not None or found[1].revoked_at is not None:
        return None
    return Client(*found)


def _save_token(token: dict[str, Any], request: Any) -> None:
    db().add(OAuthToken(client_id=request.client.row.id, token_hash=hash_key(token["access_token"]),
                        scope=token.get("scope") or request.client.get_allowed_scope(None),
                        issued_at=int(time.time()), expires_in=int(token["expires_in"])))
    db().commit()


def _access_token(**_kwargs: Any) -> str:
    return "sdp_at_" + secrets.token_urlsafe(32)


def find_token(session: Session, token_string: str) -> Optional[Token]:
    found = session.exec(select(OAuthToken, OAuthClient).join(OAuthClient, OAuthClient.id == OAuthToken.client_id)
                         .where(OAuthToken.token_hash == hash_key(token_string))).first()
    return Token(*found) if found else None


class _Validator(BearerTokenValidator):
    def authenticate_token(self, token_string: str) -> Optional[Token]:
        return find_token(db(), token_string)


def init_app(app: Flask) -> None:
    app.config.setdefault("OAUTH2_TOKEN_EXPIRES_IN", {"client_credentials": TOKEN_TTL_S})
    app.config.setdefault("OAUTH2_ACCESS_TOKEN_GENERATOR", _access_token)
    app.config.setdefault("OAUTH2_SCOPES_SUPPORTED", list(SCOPES))
    server = Server(app, query_client=_query_client, save_token=_save_token)
    server.register_grant(ClientCredentials)
    server.register_endpoint(Revocation)
    protector = ResourceProtector()
    protector.register_token_validator(_Validator())
    app.extensions["oauth_server"], app.extensions["oauth_protector"] = server, protector
    app.register_blueprint(bp)


@bp.errorhandler(_Refused)
def _refused(exc: _Refused):  # noqa: ANN202
    return jsonify(dict(exc.error.get_body())), 400, {"Cache-Control": "no-store"}


@bp.post("/token")
def issue_token():  # noqa: ANN201
    """grant_type=client_credentials, the client authenticated by HTTP Basic or in the form."""
    return current_app.extensions["oauth_server"].create_token_response()


@bp.post("/revoke")
def revoke_token():  # noqa: ANN201
    """RFC 7009: 200 whether or not the token was known (so tokens cannot be probed)."""
    return current_app.extensions["oauth_server"].create_endpoint_response(Revocation.ENDPOINT_NAME)


def bearer_principal() -> tuple[ApiKey, str]:
    """The api_key a valid bearer token acts through and the token's scope; OAuth2Error otherwise."""
    token: Token = current_app.extensions["oauth_protector"].acquire_token()
    principal = db().get(ApiKey, token.client_row.api_key_id)
    if principal is None or principal.revoked_at is not None:
        raise OAuth2Error(error="invalid_token")
    return principal, token.row.scope


def create_client(session: Session, name: str, scope: str, sandbox: bool = False,
                  created_by: Optional[str] = None) -> tuple[OAuthClient, str]:
    """A new client and its secret (returned once, stored hashed)."""
    principal, _unused_key = ApiKey.generate(f"oauth:{name}", scope, sandbox=sandbox, created_by=created_by)
    session.add(principal)
    session.flush()
    secret = secrets.token_urlsafe(32)
    client_id = ("sdp_test_client_" if sandbox else "sdp_client_") + secrets.token_hex(12)
    row = OAuthClient(client_id=client_id, secret_hash=hash_key(secret), name=name, api_key_id=principal.id,
                      created_by=created_by)
    session.add(row)
    session.flush()
    return row, secret


def revoke_client(session: Session, row: OAuthClient) -> int:
    """The client and every token it holds stop working now; returns how many tokens were live."""
    now = utcnow()
    row.revoked_at = row.revoked_at or now
    principal = session.get(ApiKey, row.api_key_id)
    principal.revoked_at = principal.revoked_at or now
    session.add_all([row, principal])
    return revoke_tokens(session, row)


def revoke_tokens(session: Session, row: OAuthClient) -> int:
    """End the client's live tokens (the client itself may ask for new ones)."""
    now, ended = utcnow(), 0
    for token in session.exec(select(OAuthToken).where(OAuthToken.client_id == row.id,
                                                        OAuthToken.revoked_at.is_(None))).all():
        if time.time() < token.issued_at + token.expires_in:
            ended += 1
        token.revoked_at = now
        session.add(token)
    return ended
