"""Stable status codes -> words a supplier understands (the UI never shows raw codes)."""

from __future__ import annotations

from .models import Document

STATUS_LABELS = {
    "queued": ("Waiting to be processed", "pending"),
    "extracting": ("Reading the file…", "pending"),
    "extracted": ("Read successfully", "ok"),
    "needs_review": ("Read, with findings to check", "warn"),
    "failed": ("Could not be read", "error"),
}


def status_view(doc: Document) -> dict:
    label, tone = STATUS_LABELS.get(doc.status, (doc.status, "pending"))
    return {
        "status": doc.status,
        "label": label,
        "tone": tone,
        "reason": doc.failure_reason,
    }
