import hashlib
import secrets
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column, UniqueConstraint, false
from sqlmodel import Field, Session, SQLModel, select

from portal.timeutil import as_utc, utcnow


def hash_key(key: str) -> str:
    # API keys are 256-bit random tokens, so a fast hash is enough (no password stretching needed).
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16)
    key_hash: str = Field(max_length=64, unique=True)
    scope: str = Field(default="read", max_length=40)   # read | write | passport:restricted
    rate_limit_per_minute: Optional[int] = None         # None: the API_RATE_LIMIT_PER_MINUTE default
    created_by: Optional[str] = Field(default=None, max_length=254)
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: Optional[datetime] = None
    expires_at: Optional[datetime] = None   # access grants are time-limited; None: until revoked
    # an access grant reads restricted data of the passport it was asked from (its GTIN) only
    restricted_gtin: Optional[str] = Field(default=None, max_length=14)
    last_used_at: Optional[datetime] = None
    # sandbox keys (sdp_test_…) write into the sandbox namespace, which no public page or live key sees
    sandbox: bool = Field(default=False, sa_column_kwargs={"server_default": false()})

    @classmethod
    def generate(cls, name: str, scope: str, sandbox: bool = False, **fields: Any) -> tuple["ApiKey", str]:
        row = cls(name=name, scope=scope, prefix="", key_hash="", sandbox=sandbox, **fields)
        return row, row.rekey()

    def rekey(self) -> str:
        """A new secret for this key (the previous one stops working); only its hash is kept."""
        key = ("sdp_test_" if self.sandbox else "sdp_") + secrets.token_urlsafe(32)
        self.prefix, self.key_hash = key[:16] if self.sandbox else key[:12], hash_key(key)
        return key

    @property
    def is_expired(self) -> bool:
        return self.refusal(utcnow()) == "expired"

    def refusal(self, now: datetime) -> Optional[str]:
        """Why the key no longer works (revoked or expired), None while it does."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and as_utc(self.expires_at) <= now:
            return "expired"
        return None


def find_key(session: Session, raw: str) -> Optional[ApiKey]:
    """The key row for the secret someone sent, whatever its state (see ApiKey.refusal)."""
    if not raw:
        return None
    return session.exec(select(ApiKey).where(ApiKey.key_hash == hash_key(raw))).first()


class IdempotentRequest(SQLModel, table=True):
    """The answer to a write made with an Idempotency-Key, stored in the write's own transaction,
    so a retry of a request that did arrive gets the same answer and changes nothing."""

    __tablename__ = "api_idempotency"
    __table_args__ = (UniqueConstraint("api_key_id", "key"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    api_key_id: int = Field(foreign_key="api_key.id")
    key: str = Field(max_length=100)
    request_sha256: str = Field(max_length=64)
    status_code: int
    body: Any = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, index=True)


class OAuthClient(SQLModel, table=True):
    """An OAuth2 client (client credentials grant). It acts through its own `api_key` row, which is
    never shown and carries the scope, rate limit and sandbox flag, so idempotency, bulk jobs and
    webhook subscriptions belong to a client exactly as they belong to a key."""

    __tablename__ = "oauth_client"

    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: str = Field(max_length=48, unique=True)
    secret_hash: str = Field(max_length=64)   # SHA-256 of a 256-bit random secret, shown once
    name: str = Field(max_length=100)
    api_key_id: int = Field(foreign_key="api_key.id", unique=True)
    created_by: Optional[str] = Field(default=None, max_length=254)
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: Optional[datetime] = None


class OAuthToken(SQLModel, table=True):
    """An issued bearer token, stored as its SHA-256 only; short-lived and revocable (RFC 7009)."""

    __tablename__ = "oauth_token"

    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="oauth_client.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    scope: str = Field(max_length=40)
    issued_at: int                      # unix seconds, as Authlib counts
    expires_in: int
    revoked_at: Optional[datetime] = None
