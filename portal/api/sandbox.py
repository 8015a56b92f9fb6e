"""POST /api/v1/sandbox/wipe: a sandbox key empties the sandbox (a fresh start for a test run)."""

from __future__ import annotations

from typing import Any

from portal.passports.sandbox import wipe
from portal.web import db

from .blueprint import actor, bp, sandbox, write_endpoint
from .errors import ApiError


@bp.post("/sandbox/wipe")
@write_endpoint
def wipe_sandbox() -> tuple[dict[str, Any], int]:
    if not sandbox():
        raise ApiError("SANDBOX_ONLY", "Only a sandbox key (sdp_test_…) or sandbox client can wipe the sandbox; "
                       "live data is never wiped this way.")
    counts = wipe(db(), actor())
    return {"wiped": True, "passports": counts["passports"], "revisions": counts["revisions"],
            "bulk_jobs": counts["bulk jobs"]}, 200
