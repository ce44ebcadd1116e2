"""Temporary files the window makes (a draft memo): removed when the app quits.

Attachments are never copied here: they are shown in the app's own viewer (desktop/ui/scan_view.py).
"""

from __future__ import annotations

import atexit
import shutil
from pathlib import Path

_made: list[Path] = []


def track(path: Path) -> Path:
    """Remember a temporary file (or folder) to remove at exit; returns it."""
    _made.append(Path(path))
    return Path(path)


def write_pdf(data: bytes, *, prefix: str) -> Path:
    """PDF bytes in a new temporary file, readable only by this user, removed when the app quits."""
    import os
    import tempfile

    handle, name = tempfile.mkstemp(prefix=prefix, suffix=".pdf")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    return track(Path(name))


def remove_all() -> list[Path]:
    """Remove every tracked file and folder that still exists; returns those that could not be removed."""
    left: list[Path] = []
    while _made:
        path = _made.pop()
        try:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        except OSError:  # still open in a viewer on Windows: the system's temp cleaning takes it later
            left.append(path)
    return left


def tracked() -> list[Path]:
    return list(_made)


atexit.register(remove_all)
