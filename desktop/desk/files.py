"""Writing files the desk hands out (memos, exports) so that a crash never leaves half a file under the name."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from desktop.store.errors import StoreError, describe_os_error


class FileWriteError(StoreError):
    """A file could not be written; the message names it and says why. Nothing was left under its name."""


def safe_write(target: Path, data: bytes) -> Path:
    """Write `data` to `target` atomically: a temporary file beside it, flushed to disk, then renamed.

    A reader (a printer spooler, a PDF viewer) sees either the old file or the whole new one.
    """
    target = Path(target)
    folder = target.parent
    if not folder.is_dir():
        raise FileWriteError(f"{target}: the folder {folder} does not exist")
    handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise FileWriteError(f"{target} cannot be written: {describe_os_error(exc)}") from None
    return target
