from datetime import datetime
from enum import Enum
from typing import Optional

from flask_login import UserMixin
from sqlmodel import Field, SQLModel
from werkzeug.security import check_password_hash, generate_password_hash

from portal.timeutil import utcnow


class Role(str, Enum):
    supplier = "supplier"
    procurement = "procurement"
    quality = "quality"
    admin = "admin"


class User(UserMixin, SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=20)
    supplier_id: Optional[int] = Field(default=None, foreign_key="supplier.id", index=True)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    # Part of the session's user id (get_id): raising it ends every session of the user, e.g. a
    # cookie copied before logout or before a password change stops working.
    auth_version: int = Field(default=0)
    totp_secret: Optional[str] = Field(default=None, max_length=64)  # set once enrolment is confirmed
    totp_last_step: Optional[int] = None  # the last accepted code's time step: a code works once
    # declaration e-mails: False sends each at once, True gathers them into one e-mail a day
    email_digest: bool = Field(default=False)
    # pages and e-mails in this language (portal.i18n.LANGUAGES); None follows the browser
    language: Optional[str] = Field(default=None, max_length=5)

    def set_password(self, password: str) -> None:
        """Every way of setting a password goes through the policy (PasswordPolicyError)."""
        from .passwords import check_password_policy
        check_password_policy(password)
        self.password_hash = generate_password_hash(password)
        self.revoke_sessions()

    def revoke_sessions(self) -> None:
        self.auth_version = (self.auth_version or 0) + 1

    def get_id(self) -> str:
        return f"{self.id}:{self.auth_version or 0}"

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_supplier(self) -> bool:
        return self.role == Role.supplier.value

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.procurement.value, Role.quality.value, Role.admin.value)
