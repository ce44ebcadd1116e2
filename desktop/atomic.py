"""A file that appears under its name whole or not at all: the one way the desk writes a file it hands out.

Written to a temporary file beside the target, flushed to disk, then renamed over it; a crash, a kill
or a full disk leaves the old file (or none), never half a new one. Callers turn OSError into their
own error that names the file (desktop/desk/files.py, desktop/encrypted.py, desktop/store/marker.py).
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def atomic_file(target: Path) -> Iterator[BinaryIO]:
    """A binary handle whose content replaces `target` when the block ends without an error.

    Raises OSError (the folder is missing or cannot be written, the disk is full, `target` is a device,
    a pipe or a folder, which is never replaced); the temporary file is removed whatever happens.
    """
    from desktop.readfile import not_a_target

    target = Path(target)
    problem = not_a_target(target)
    if problem is not None:  # a device, a pipe or a folder is never replaced by a file
        raise OSError(errno.EINVAL, problem)
    handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise


STALE_PARTIAL_S = 600  # a temporary file younger than this may belong to a write still running
_PARTIAL = re.compile(r"^\..+\.[a-z0-9_]{8}\.partial$")  # what atomic_file's mkstemp names


def clear_stale_partials(folder: Path, *, now: float | None = None) -> int:
    """Remove the temporary files killed writes left in `folder` (atomic_file's, older than ten minutes):
    an opened copy cut short is decrypted content not yet authenticated, and must not linger on a USB stick
    or a share. Returns how many were removed; never raises."""
    now = time.time() if now is None else now
    removed = 0
    with contextlib.suppress(OSError):
        for path in Path(folder).iterdir():
            with contextlib.suppress(OSError):
                if _PARTIAL.match(path.name) and path.is_file() and now - path.stat().st_mtime >= STALE_PARTIAL_S:
                    path.unlink()
                    removed += 1
    return removed


def sync_path(path: Path) -> None:
    """Make a file's bytes, or a folder's names (a file created or renamed in it), survive a power cut.
    Folders: POSIX only (Windows has no such call). Never raises: the write itself has already succeeded."""
    if sys.platform == "win32" and Path(path).is_dir():
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def reserve_name(folder: Path, stem: str, suffix: str) -> Path:
    """A new file name in `folder` no one else holds, reserved by creating it (stem, stem-2, stem-3, ...).

    Taken with O_EXCL, so two writers in the same second never get the same name. Raises OSError.
    """
    for n in itertools.count(1):
        candidate = Path(folder) / f"{stem}{'' if n == 1 else f'-{n}'}{suffix}"
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            continue
        return candidate
    raise AssertionError("unreachable")
