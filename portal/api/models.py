import hashlib
import secrets
from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from portal.timeutil import utcnow


def hash_key(key: str) -> str:
    # API keys are 256-bit random tokens, so a fast hash is enough (no password stretching needed).
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=12)
    key_hash: str = Field(max_length=64, unique=True)
    scope: str = Field(default="read", max_length=10)   # read | write
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: Optional[datetime] = None
    last_used_at: Optional[datetime] = None

    @classmethod
    def generate(cls, name: str, scope: str) -> tuple["ApiKey", str]:
        key = "sdp_" + secrets.token_urlsafe(32)
        return cls(name=name, scope=scope, prefix=key[:12], key_hash=hash_key(key)), key
