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

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

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
