"""The one place that decides who may open a request or a declaration. Anyone else gets 404, so
ids of other companies reveal nothing."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from portal.web import get_or_404

from .models import Declaration, DeclarationRequest


def _visible(supplier_id: int) -> bool:
    if current_user.is_supplier:
        return supplier_id == current_user.supplier_id
    return current_user.is_staff


def get_request(request_id: int) -> DeclarationRequest:
    req = get_or_404(DeclarationRequest, request_id)
    if not _visible(req.supplier_id):
        abort(404)
    return req


def get_declaration(declaration_id: int) -> Declaration:
    decl = get_or_404(Declaration, declaration_id)
    if not _visible(decl.supplier_id):
        abort(404)
    return decl
