"""Errors of the passport store, in the API's terms (SPEC §6): a code, a message, details."""

from __future__ import annotations

from typing import Any

STATUS = {"VALIDATION": 400, "INVALID_API_KEY": 401, "FORBIDDEN": 403, "NOT_FOUND": 404,
          "GTIN_EXISTS": 409, "ELEMENT_OWNED": 409, "VERSION_CONFLICT": 409, "LIFECYCLE_ENDED": 409, "IDEMPOTENCY_CONFLICT": 409,
          "COMPOSITION_INVALID": 422, "PAYLOAD_TOO_LARGE": 413, "RATE_LIMITED": 429,
          "UNAVAILABLE": 503}
CODES = sorted(STATUS)


class StoreError(Exception):
    def __init__(self, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.code, self.message, self.details = code, message, details

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 400)

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}
