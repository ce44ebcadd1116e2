"""Copies being written: a record of each in the data folder, so that a kill leaves a logged copy or none.

A backup is written under a temporary name beside its target, verified, logged, and only then renamed
into place. Before its first byte is written, a record in `copying/` names the target and whether a
plain copy is made on the way (a sealed backup's, in backups/); the temporary and plain files are named
by the record's own random name. The process writing the copy holds a lock on the record for as long
as it works (the lock dies with the process). The audit entry's hash is added to the record inside the
log's write transaction, before it commits.

Whoever opens the log next, or makes the next backup, settles the records nobody holds: one whose
entry the log holds is finished (the copy was verified and logged, so it is renamed into place), any
other is undone (its files removed). A kill at any moment thus leaves either a copy its audit entry
names, or a temporary one that the next open clears; never a copy under its name that nobody logged.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import secrets
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Final, Self

from desktop.atomic import sync_path

# What log_event calls inside the transaction that writes a copy's entry: the copy is noted as logged there.
BeforeCommit = Callable[[sqlite3.Connection, str], object]
FOLDER: Final = "copying"
RECORD: Final = ".json"
TEMPORARY: Final = ".copying"
# A record cut short holds no file name (the record is written whole before any file is made); one
# younger than this may still be being written by a process that has not taken its lock yet.
CUT_SHORT_S: Final = 60
TOKEN_BYTES: Final = 8
LOCK_AT: Final = 1 << 30  # Windows locks a byte range: one far past the record's text, so readers still read


def _files(data_dir: Path, token: str, target: Path, sealed: bool) -> tuple[Path, tuple[Path, ...]]:
    """The temporary copy beside `target` and the plain copy in backups/, named by the record's token.

    A record names only its target: the files it may remove or rename follow from that and its own
    name, so a record planted in the data folder cannot make an open remove or move anyone's files.
    """
    temp = target.with_name(f".{target.name}.{token}{TEMPORARY}")
    return temp, ((data_dir / "backups" / f".sealing-{token}.db",) if sealed else ())


def _free(target: Path, replace: bool) -> bool:
    """Whether a finished copy may be renamed to `target`: nothing is there, or (`replace`) a regular file is."""
    if not target.exists() and not target.is_symlink():
        return True
    return replace and target.is_file() and not target.is_symlink()


def _try_lock(fd: int) -> bool:
    """Take a record's lock without waiting; False while the process that holds it is still running."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, LOCK_AT, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _sync_folder(folder: Path) -> None:
    """Make a file created or renamed in `folder` survive a power cut (POSIX; Windows has no such call)."""
    sync_path(folder)


def _remove_with_companions(path: Path) -> bool:
    """Remove a file and what SQLite or a partial write left beside it (its journal, `.partial` files).

    False when its folder cannot be reached now (a USB stick taken away): try again later.
    """
    folder = path.parent
    if not folder.is_dir():
        return False
    ok = True
    name = glob.escape(path.name)  # a target may be named "cases[1].db"
    for found in {path, *folder.glob(f"{name}*"), *folder.glob(f".{name}.*")}:
        try:
            found.unlink(missing_ok=True)
        except OSError:
            ok = False
    return ok


class PendingCopy:
    """A copy of the log being written to `target`: write it to `temp`, call `logged` inside the transaction
    that writes its audit entry, then `finish`. Used as a context manager, it is undone on any error
    before `logged`; after it, a failure leaves it for the next open to finish."""

    def __init__(
        self, record: Path, fd: int, target: Path, temp: Path, also: tuple[Path, ...], *, replace: bool = False
    ) -> None:
        self.record = record
        self.replace = replace  # a file already under the name is replaced (a memo printed again), never another kind
        self._fd = fd
        self.target = target
        self.temp = temp
        self.also = also  # plain copies made on the way, removed however it ends
        self.entry: str | None = None

    @classmethod
    def start(cls, data_dir: Path, target: Path, *, sealed: bool = False, replace: bool = False) -> PendingCopy:
        """Record a copy about to be written to `target`; `sealed`: a plain copy is made in backups/ on the way;
        `replace`: a regular file already under the name is replaced (a backup never replaces one).

        Raises OSError when the data folder cannot take the record.
        """
        token = secrets.token_hex(TOKEN_BYTES)
        folder = Path(data_dir) / FOLDER
        folder.mkdir(exist_ok=True)
        record = folder / f"{token}{RECORD}"
        fd = os.open(record, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
        try:
            for _ in range(100):  # an open settling copies may hold it for an instant, to look at it
                if _try_lock(fd):
                    break
                time.sleep(0.01)
            else:
                raise OSError(f"{record} is held by another process")
            temp, also = _files(Path(data_dir), token, target, sealed)
            job = cls(record, fd, target, temp, also, replace=replace)
            job._append({"target": str(target), "sealed": sealed, "replace": replace})
            _sync_folder(folder)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                record.unlink()
            raise
        return job

    def _append(self, line: dict[str, object]) -> None:
        os.lseek(self._fd, 0, os.SEEK_END)
        os.write(self._fd, (json.dumps(line) + "\n").encode("utf-8"))
        os.fsync(self._fd)

    def logged(self, entry: str) -> None:
        """The copy's audit entry, written in the log's transaction that has not committed yet.

        Raises OSError (the disk is full): the transaction then rolls back, and the copy is undone.
        """
        self._append({"entry": entry})
        self.entry = entry

    def finish(self) -> None:
        """Put the logged copy in place under its name and remove the plain copies made on the way.

        Raises OSError; the copy is logged, so the record stays for the next open to finish it.
        """
        if not _free(self.target, self.replace):
            raise FileExistsError(f"{self.target} appeared while the copy was made")
        os.replace(self.temp, self.target)
        _sync_folder(self.target.parent)
        for plain in self.also:
            _remove_with_companions(plain)
        self._release()

    def abandon(self) -> None:
        """Undo an unlogged copy: its temporary and plain files, then its record."""
        if all([_remove_with_companions(self.temp), *(_remove_with_companions(p) for p in self.also)]):
            self._release()
        else:
            self._close()  # a folder out of reach: the record stays, for the next open

    def _close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def _release(self) -> None:
        self._close()  # closed first: Windows removes no file that is open
        with contextlib.suppress(OSError):
            self.record.unlink()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if kind is None or self._fd < 0:
            return
        if self.entry is None:
            self.abandon()
        else:
            self._close()


def settle_pending_copies(data_dir: Path, logged: Callable[[str, str], bool]) -> list[Path]:
    """Finish or undo the copies a killed backup left.

    `logged(entry, name)` says whether the log holds that entry, a backup to a file of that name. A
    record still held belongs to a backup that is running: it is left alone. Returns the copies put in
    place (logged before the kill, renamed only now).
    """
    data_dir = Path(data_dir)
    folder = data_dir / FOLDER
    if not folder.is_dir():
        return []
    placed: list[Path] = []
    for record in sorted(folder.glob(f"*{RECORD}")):
        try:
            fd = os.open(record, os.O_RDWR)
        except OSError:
            continue
        try:
            if not _try_lock(fd):
                continue
            lines = _read_lines(record)
            if not lines:  # cut short before it named its target, or not one of ours
                if time.time() - record.stat().st_mtime < CUT_SHORT_S:
                    continue
            elif not _settle(data_dir, record.name.removesuffix(RECORD), lines, logged, placed):
                continue  # a folder out of reach: later
            os.close(fd)
            fd = -1
            record.unlink(missing_ok=True)
        except OSError:
            continue
        finally:
            if fd >= 0:
                os.close(fd)
    return placed


def _read_lines(record: Path) -> list[dict[str, object]]:
    token = record.name.removesuffix(RECORD)
    if len(token) != 2 * TOKEN_BYTES or any(c not in "0123456789abcdef" for c in token):
        return []
    found = []
    for text in record.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            line = json.loads(text)
        except ValueError:
            break  # the line a kill cut short, and nothing after it
        if isinstance(line, dict):
            found.append(line)
    return found if found and isinstance(found[0].get("target"), str) else []


def _settle(
    data_dir: Path, token: str, lines: list[dict[str, object]], logged: Callable[[str, str], bool], placed: list[Path]
) -> bool:
    """Finish a logged copy, undo any other; False when its files cannot be reached now."""
    target = Path(str(lines[0]["target"]))
    temp, also = _files(data_dir, token, target, lines[0].get("sealed") is True)
    entry = next((str(line["entry"]) for line in lines[1:] if "entry" in line), None)
    if (
        entry is not None
        and logged(entry, target.name)
        and temp.is_file()
        and _free(target, lines[0].get("replace") is True)
    ):
        os.replace(temp, target)
        _sync_folder(target.parent)
        placed.append(target)
    reached = _remove_with_companions(temp)
    for plain in also:
        reached = _remove_with_companions(plain) and reached
    return reached
