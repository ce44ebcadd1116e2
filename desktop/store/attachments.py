"""Scans of the paper received: checked by their content, not their name, before they are kept.

A scan is kept only when it is wholly what it claims to be:

- a regular file (a pipe, a device, a folder or a socket is refused before it is read), read through one
  descriptor that is checked again once open, and never more than 25 MB of it (desktop/readfile.py);
- a picture (PNG, JPEG, TIFF) that Pillow decodes to its last pixel, of every page, with nothing after the
  picture's end mark but a little zero padding: a program, an archive or a web page appended to a picture is
  refused, because other programs open such a file as that other thing;
- a PDF that pypdf and pdfium both open, that carries no script, no action that runs a program, sends data
  or opens another file, no embedded file and no embedded media (every indirect object is read, and the raw
  bytes and the compressed object streams are searched as well, so a name hidden from one parser is still
  found), with nothing but white space after its last end-of-file mark.

Its name is cleaned once, here (`clean_filename`), before it is stored: a name never forges a line of
output, and nothing ever builds a path from it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from desktop.readfile import FileRefused, read_regular
from desktop.records import printable
from desktop.store.errors import InvalidInput
from desktop.store.scan_content import check_pdf, check_picture

MAX_ATTACHMENT_BYTES: Final = 25 * 1024 * 1024
MAX_NAME_CHARS: Final = 120

# Leading bytes of each accepted format, and the file-name endings that may claim it.
_SIGNATURES: Final = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"II*\x00", "image/tiff", (".tif", ".tiff")),
    (b"MM\x00*", "image/tiff", (".tif", ".tiff")),
)
_FALLBACK_NAMES: Final = {
    "application/pdf": "scan.pdf",
    "image/png": "scan.png",
    "image/jpeg": "scan.jpg",
    "image/tiff": "scan.tif",
}


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


# --- names ------------------------------------------------------------------------------------------------

# Terminal escape sequences, removed whole (not just their ESC): CSI (colours, cursor moves), OSC (window
# titles, hyperlinks) and the two-character ones; C1 forms (0x9b, 0x9d) too.
_ESCAPE_SEQUENCES: Final = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[ -~]?"
)
_WINDOWS_FORBIDDEN: Final = re.compile(r'[<>:"|?*]')
_WINDOWS_DEVICES: Final = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"COM{n}" for n in range(10)] + [f"LPT{n}" for n in range(10)]
)


def clean_filename(name: str, content_type: str | None = None) -> str:
    """The name a scan is stored under: one short printable line that can never be read as a path.

    Escape sequences, control characters (C0, DEL, C1), invisible format characters (bidirectional overrides,
    zero-width marks) and line separators are removed; only the last component is kept, whether the name
    was split by / or by \\; characters Windows forbids become "_"; the name is shortened to
    MAX_NAME_CHARS keeping its ending. When nothing is left before the ending, it is "scan.pdf" (or .png, ...).
    """
    text = _ESCAPE_SEQUENCES.sub("", name)
    text = re.split(r"[/\\]", text)[-1]
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch if ch.isprintable() else (" " if ch.isspace() else "") for ch in text)
    text = _WINDOWS_FORBIDDEN.sub("_", text)
    text = " ".join(text.split()).rstrip(" .")  # Windows drops trailing dots and spaces itself
    stem, dot, ending = text.rpartition(".")
    if not dot or len(ending) > 10 or " " in ending:
        stem, ending = text, ""
    else:
        ending = "." + ending
    stem = stem.strip(" .")  # no hidden ".name" either
    if stem.split(".")[0].upper() in _WINDOWS_DEVICES:
        stem = "_" + stem
    stem = stem[: MAX_NAME_CHARS - len(ending)].rstrip(" .")
    if not stem:
        return _FALLBACK_NAMES.get(content_type or "", "scan") if not ending else "scan" + ending
    return stem + ending


# --- reading ----------------------------------------------------------------------------------------------


def _read_file(path: Path, shown: str) -> bytes:
    """The bytes of a regular file, at most MAX_ATTACHMENT_BYTES of them (desktop/readfile.py, the rule every
    file the desk reads on someone's word follows)."""
    try:
        return read_regular(path, MAX_ATTACHMENT_BYTES, what="scans", shown=shown, advice="attach the scan file itself")
    except FileRefused as exc:
        raise InvalidInput(str(exc)) from None


def read_scan(path: Path) -> Scan:
    """Read and check a scan file.

    Raises:
        InvalidInput: the file is missing, not a regular file, too large, empty, of a format not accepted,
            not what its name claims (say a .pdf that is really something else), damaged, with something
            hidden after its end, or a PDF that carries scripts, actions, embedded files or media. The
            message names the file and the problem in one line.
    """
    path = Path(path)
    shown = printable(path.name)
    content = _read_file(path, shown)
    if not content:
        raise InvalidInput(f"{shown} is empty")
    found = sniff(content)
    if found is None:
        raise InvalidInput(f"{shown} is not a PDF, PNG, JPEG or TIFF scan")
    content_type, endings = found
    filename = clean_filename(path.name, content_type)
    suffix = Path(filename).suffix
    if suffix.lower() not in endings:
        raise InvalidInput(f"{shown} claims to be {suffix or 'no type'} but its content is {content_type}")
    if content_type == "application/pdf":
        check_pdf(shown, content)
    else:
        check_picture(shown, content, content_type)
    return Scan(filename, content_type, content, hashlib.sha256(content).hexdigest())
