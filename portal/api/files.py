"""Document attachments: POST /passports/{id}/documents stores a PDF or image (content-addressed,
in the database like uploads, so any web worker can serve it) and lists it in the passport's
`documents` element as a new revision; GET /files/{sha256} serves it publicly."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Response, abort, request

from portal.passports import store
from portal.passports.models import Passport, PassportFile, PassportRevision
from portal.web import db, settings

from .blueprint import actor, bp, write_endpoint
from .errors import ApiError
from .schemas import DOC_TYPES

files_bp = Blueprint("passport_files", __name__)
MEDIA_TYPES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def _sniff(content: bytes) -> str | None:
    # the content decides, never the file name or the client's Content-Type
    return next((media for magic, media in MEDIA_TYPES if content.startswith(magic)), None)


@bp.post("/passports/<passport_id>/documents")
@write_endpoint
def attach_document(passport_id: str) -> tuple[dict[str, Any], int]:
    from .views import passport_or_404
    passport = passport_or_404(passport_id)
    upload = request.files.get("file")
    doc_type = request.form.get("doc_type", "")
    if upload is None or doc_type not in DOC_TYPES:
        raise ApiError("VALIDATION", "Send multipart/form-data with `file` and a `doc_type`.",
                       [{"path": "/doc_type", "message": f"one of {', '.join(DOC_TYPES)}"}] if upload else
                       [{"path": "/file", "message": "required"}])
    content = upload.read(settings().max_upload_bytes + 1)
    if len(content) > settings().max_upload_bytes:
        raise ApiError("PAYLOAD_TOO_LARGE", f"The file is larger than {settings().max_upload_mb} MB.")
    media_type = _sniff(content)
    if media_type is None:
        raise ApiError("VALIDATION", "Attach a PDF, PNG or JPEG file.", [{"path": "/file", "message": "unsupported type"}])
    extra = {name: request.form[name] for name in ("title", "language") if request.form.get(name)}
    change = store.Change(actor(), request.form.get("source_system"), note=request.form.get("note"))
    revision = attach_file(passport, content, media_type, doc_type, extra, change)
    return store.passport_json(passport, revision, settings().public_url), 201


def attach_file(passport: Passport, content: bytes, media_type: str, doc_type: str, extra: dict[str, str],
                change: store.Change) -> PassportRevision:
    """Store `content` once under its SHA-256 and list it in the passport's `documents` (a new
    revision; the same file again replaces its own entry)."""
    digest = hashlib.sha256(content).hexdigest()
    if db().get(PassportFile, digest) is None:
        db().add(PassportFile(sha256=digest, media_type=media_type, size=len(content), content=content))
    entry = {"doc_type": doc_type, "url": f"{settings().public_url.rstrip('/')}/files/{digest}", "sha256": digest,
             "media_type": media_type, **extra}
    current = store.current_revision(db(), passport)
    documents = [d for d in current.data.get("documents") or [] if d.get("sha256") != digest] + [entry]
    return store.patch(db(), passport, {"data": {"documents": documents}}, change, settings().public_url)


@files_bp.get("/files/<sha256>")
def passport_file(sha256: str):  # noqa: ANN201
    """Public by design: passports link to their documents. The address is the content's SHA-256,
    so only someone given the link can fetch a file that no published passport lists yet."""
    row = db().get(PassportFile, sha256) if len(sha256) == 64 and sha256.isalnum() else None
    if row is None:
        abort(404)
    return Response(row.content, mimetype=row.media_type, headers={
        "Cache-Control": "public, max-age=31536000, immutable", "Content-Disposition": "inline",
        "X-Content-Type-Options": "nosniff"})
