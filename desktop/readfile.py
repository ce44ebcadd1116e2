"""Reading a file someone names: only a regular file, and never more of it than the desk can use.

The attachment gate's rule (desktop/store/attachments.py) for every file the desk reads on someone's
word: an intake, a policy pack, a receipt, a memo to check, the desk's own key. A pipe, a device, a
folder or a socket is refused before it is opened (reading /dev/zero would fill memory, a FIFO would
wait for ever); the descriptor opened is checked again (a file swapped in between is caught); it is
opened without blocking and read to one byte past the limit, so a file that grows meanwhile cannot
fill memory either. Each refusal is one line that names the file and the problem.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from desktop.errors import BadInput


class FileRefused(BadInput, ValueError):
    """A file named to be read is not a regular file, is too large, or cannot be read; the message says which."""


def not_a_file(mode: int) -> str | None:
    """What the file is when it is not a regular file ("a pipe (FIFO)", "a folder", ...), else None."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def size_words(size: int) -> str:
    """A size as people read it: 25 MB, 30.5 MB, 64 KB, 12 bytes."""
    if size >= 1024 * 1024:
        megabytes = size / (1024 * 1024)
        return f"{megabytes:.0f} MB" if megabytes == int(megabytes) else f"{megabytes:.1f} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"


def describe(exc: OSError) -> str:
    """A short reason for a file-system error."""
    import errno

    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)


def read_regular(path: Path, limit: int, *, what: str, shown: str | None = None, advice: str = "") -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them; FileRefused otherwise.

    `what` names the kind of file in the limit's words ("scans", "an intake"); `shown` is how the file is
    named in a message (its path by default); `advice` follows a refusal of something that is not a file.
    A link is followed, but what it leads to must be a regular file.
    """
    shown = shown if shown is not None else str(path)
    tail = f"; {advice}" if advice else ""
    chunks: list[bytes] = []
    try:
        kind = not_a_file(os.stat(path).st_mode)
        if kind is not None:
            raise FileRefused(f"{shown} is {kind}, not a file{tail}")
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        descriptor = os.open(path, flags)
        try:
            opened = os.fstat(descriptor)
            kind = not_a_file(opened.st_mode)
            if kind is not None:
                raise FileRefused(f"{shown} is {kind}, not a file{tail}")
            if opened.st_size > limit:
                raise FileRefused(f"{shown} is {size_words(opened.st_size)}; {what} may be at most {size_words(limit)}")
            left = limit + 1
            while left > 0:
                chunk = os.read(descriptor, min(left, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
        finally:
            os.close(descriptor)
    except OSError as exc:  # named by its whole path: where it was looked for
        from desktop.records import printable  # here only: `decide` reads an intake and loads no records

        raise FileRefused(f"{printable(str(path))} cannot be read: {describe(exc)}") from None
    content = b"".join(chunks)
    if len(content) > limit:
        raise FileRefused(
            f"{shown} grew past {size_words(limit)} while it was read; {what} may be at most {size_words(limit)}"
        )
    return content


def read_stream(stream: BinaryIO, limit: int, *, what: str, shown: str = "standard input") -> bytes:
    """At most `limit` bytes of an open stream (standard input); FileRefused past it, so a pipe from /dev/zero
    cannot fill memory."""
    content = stream.read(limit + 1)
    if len(content) > limit:
        raise FileRefused(f"{shown} holds more than {size_words(limit)}; {what} may be at most {size_words(limit)}")
    return bytes(content)


def not_a_target(path: Path) -> str | None:
    """Why nothing may be written at `path` ("it is a device, not a file; ..."), or None where a file may be.

    A device, a pipe, a folder or a socket is never replaced by a file: as root, renaming a finished file
    over /dev/full would replace the device itself. An empty name names no file.
    """
    path = Path(path)
    if path.name in ("", ".", ".."):
        return "it names no file; give a file name"
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return describe(exc)
    kind = not_a_file(mode)
    return None if kind is None else f"it is {kind}, not a file; the desk writes only files: give a file name"


def check_writable_target(path: Path, *, given: str | None = None) -> None:
    """Refuse (FileRefused, one line) to write at `path` when it is not, or would not replace, a regular file.
    `given` is the name as typed, when it differs (an empty -o "" reads as the current folder)."""
    problem = not_a_target(path)
    if problem is not None:
        shown = given if given is not None else str(path)
        raise FileRefused(f"{shown or repr(shown)} cannot be written: {problem}")
