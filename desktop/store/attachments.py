"""Scans of the paper received: checked by their content, not their name, before they are kept."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from desktop.store.errors import InvalidInput, describe_os_error

MAX_ATTACHMENT_BYTES: Final = 25 * 1024 * 1024

# Leading bytes of each accepted format, and the file-name endings that may claim it.
_SIGNATURES: Final = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"II*\x00", "image/tiff", (".tif", ".tiff")),
    (b"MM\x00*", "image/tiff", (".tif", ".tiff")),
)


@dataclass(frozen=True)
class Scan:
    """A checked scan, ready to store."""

    filename: str
    content_type: str
    content: bytes
    sha256: str


def sniff(content: bytes) -> tuple[str, tuple[str, ...]] | None:
    """The content type and allowed endings for the bytes, or None when the format is not accepted."""
    for magic, content_type, endings in _SIGNATURES:
        if content.startswith(magic):
            return content_type, endings
    return None


def read_scan(path: Path) -> Scan:
    """Read and check a scan file.

    Raises:
        InvalidInput: the file is missing, too large, empty, of a format not accepted, or not what
            its name claims (say a .pdf that is really something else).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise InvalidInput(f"{path.name} is {size / 1048576:.1f} MB; scans may be at most 25 MB")
        content = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{path} cannot be read: {describe_os_error(exc)}") from None
    if not content:
        raise InvalidInput(f"{path.name} is empty")
    found = sniff(content)
    if found is None:
        raise InvalidInput(f"{path.name} is not a PDF, PNG, JPEG or TIFF scan")
    content_type, endings = found
    if path.suffix.lower() not in endings:
        raise InvalidInput(f"{path.name} claims to be {path.suffix or 'no type'} but its content is {content_type}")
    return Scan(path.name, content_type, content, hashlib.sha256(content).hexdigest())
