"""SPEC §6 error shape: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

from typing import Any

from flask import jsonify

STATUS = {"VALIDATION": 400, "INVALID_API_KEY": 401, "FORBIDDEN": 403, "NOT_FOUND": 404,
          "GTIN_EXISTS": 409, "COMPOSITION_INVALID": 422, "RATE_LIMITED": 429}


class ApiError(Exception):
    def __init__(self, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.code, self.message, self.details = code, message, details

    def response(self):  # noqa: ANN201
        body = {"error": {"code": self.code, "message": self.message, "details": self.details}}
        return jsonify(body), STATUS.get(self.code, 400)
