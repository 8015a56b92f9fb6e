"""SPEC §6 error shape: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

from flask import jsonify

from portal.passports.errors import STATUS, StoreError

__all__ = ["ApiError", "STATUS"]


class ApiError(StoreError):
    def response(self):  # noqa: ANN201
        return jsonify(self.body()), self.status
