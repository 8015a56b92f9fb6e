"""Reading a posted file within a size limit: uploads, imports and templates all read this way,
so a file too large is refused while it arrives instead of after it filled the memory."""

from __future__ import annotations

import hashlib
from typing import BinaryIO

CHUNK = 1024 * 1024


class TooLarge(Exception):
    pass


def read_limited(stream: BinaryIO, limit: int) -> tuple[bytes, str]:
    """Read at most `limit` bytes (TooLarge beyond) and return (content, sha256 hex)."""
    digest = hashlib.sha256()
    parts: list[bytes] = []
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise TooLarge()
        digest.update(chunk)
        parts.append(chunk)
    return b"".join(parts), digest.hexdigest()
