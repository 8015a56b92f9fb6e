"""SPEC §6 error shape: {"error": {"code", "message", "details"}}, with the store's codes and the
HTTP-level ones only the API answers."""

from __future__ import annotations

from flask import jsonify

from portal.passports.errors import STATUS, StoreError

__all__ = ["API_CODES", "API_STATUS", "ApiError", "STATUS"]
API_STATUS = {**STATUS, "INSUFFICIENT_SCOPE": 403, "METHOD_NOT_ALLOWED": 405,
              "SANDBOX_ONLY": 403, "SANDBOX_UNSUPPORTED": 403}
API_CODES = sorted(API_STATUS)


class ApiError(StoreError):
    @property
    def status(self) -> int:
        return API_STATUS.get(self.code, 400)

    def response(self):  # noqa: ANN201
        return jsonify(self.body()), self.status
