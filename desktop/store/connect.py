"""Opening the SQLite file, the one write transaction, and what SQLite's errors mean to the desk.

SQLite errors are classified by their result code (`sqlite3.Error.sqlite_errorcode`), never by
their message text, the way qutebrowser's misc/sql.py does: a table maps each primary code to
one of our error classes and a message that names the file and says what to do.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Final, Self

from sqlite_utils import Database

from desktop.store import schema
from desktop.store.errors import DiskError, LogDamaged, LogLocked, StoreError
from desktop.store.index import PackZones

if TYPE_CHECKING:
    from desktop.signing import Signer

DB_NAME: Final = "cases.db"
BUSY_TIMEOUT_MS: Final = 15_000

_Message = Callable[[Path, sqlite3.Error], StoreError]


def _locked(path: Path, exc: sqlite3.Error) -> StoreError:
    return LogLocked(f"the case log {path} is busy (another officer is saving); try again in a moment")


def read_only_error(path: Path) -> StoreError:
    """What a write to a log opened where it cannot be written is told (the desk says it before asking anything)."""
    return DiskError(
        f"the case log {path} is read-only here, so nothing can be recorded (it can still be read and verified); "
        "ask IT to give desk users write access to its folder"
    )


def _read_only(path: Path, exc: sqlite3.Error) -> StoreError:
    return read_only_error(path)


def _full(path: Path, exc: sqlite3.Error) -> StoreError:
    return DiskError(f"the disk holding {path} is full; nothing was saved. Free space and try again")


def _damaged(path: Path, exc: sqlite3.Error) -> StoreError:
    return LogDamaged(f"the case log {path} is damaged ({exc}); restore it from a backup")


def _refused(path: Path, exc: sqlite3.Error) -> StoreError:
    return StoreError(f"refused: {exc}")


def _cannot_open(path: Path, exc: sqlite3.Error) -> StoreError:
    return DiskError(
        f"the case log {path} cannot be opened ({exc}); check that its folder exists and desk users may write to it"
    )


# Below this much free space an I/O error is taken for what it almost always is: a full disk. SQLite
# reports a full disk as SQLITE_FULL only from some writes; creating the write-ahead log's index
# (-shm) or growing the -wal on a full disk comes back as a plain SQLITE_IOERR.
FULL_BELOW_BYTES: Final = 1024 * 1024


def disk_is_full(path: Path) -> bool:
    """Whether the disk holding `path` has (next to) no free space left."""
    try:
        return shutil.disk_usage(path.parent if not path.is_dir() else path).free < FULL_BELOW_BYTES
    except OSError:
        return False


def _disk_error(path: Path, exc: sqlite3.Error) -> StoreError:
    if disk_is_full(path):
        return _full(path, exc)
    return DiskError(
        f"the disk holding {path} could not be read or written ({exc}); nothing was saved. "
        "Check the disk or network share, then try again"
    )


def _no_permission(path: Path, exc: sqlite3.Error) -> StoreError:
    return DiskError(f"the case log {path} refused access ({exc}); ask IT to check the folder's permissions")


def _no_memory(path: Path, exc: sqlite3.Error) -> StoreError:
    return DiskError(f"the computer ran out of memory using the case log {path}; close other programs and try again")


# Primary result codes (https://sqlite.org/rescode.html) and what each means here. An extended
# code (say SQLITE_CONSTRAINT_TRIGGER, raised by the append-only triggers) carries its primary
# code in its low byte.
SQLITE_ERRORS: Final[dict[int, _Message]] = {
    sqlite3.SQLITE_BUSY: _locked,
    sqlite3.SQLITE_LOCKED: _locked,
    sqlite3.SQLITE_READONLY: _read_only,
    sqlite3.SQLITE_FULL: _full,
    sqlite3.SQLITE_CORRUPT: _damaged,
    sqlite3.SQLITE_NOTADB: _damaged,
    sqlite3.SQLITE_CONSTRAINT: _refused,
    sqlite3.SQLITE_CANTOPEN: _cannot_open,
    sqlite3.SQLITE_IOERR: _disk_error,
    sqlite3.SQLITE_PERM: _no_permission,
    sqlite3.SQLITE_AUTH: _no_permission,
    sqlite3.SQLITE_NOMEM: _no_memory,
}


def primary_code(exc: sqlite3.Error) -> int | None:
    """SQLite's primary result code for the error, or None for an error raised by Python's module itself."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def translate(exc: sqlite3.Error, path: Path) -> StoreError:
    """Our error for what SQLite reports, with a message that names the file."""
    code = primary_code(exc)
    message = SQLITE_ERRORS.get(code) if code is not None else None
    if message is None:
        return StoreError(f"the case log {path} could not be used: {exc}")
    return message(path, exc)


def connect(path: Path, *, create: bool) -> sqlite3.Connection:
    """Open the SQLite file in autocommit mode (transactions are explicit); `use_wal` is applied once it is ours.

    Nothing here writes to the file: another program's database is looked at and left as it was.
    """
    if not create and not path.exists():
        raise StoreError(f"there is no case log at {path}")
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=True)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return conn
    except sqlite3.Error as exc:
        raise translate(exc, path) from None


def use_wal(conn: sqlite3.Connection, path: Path) -> None:
    """Write-ahead logging, full sync and foreign keys: only on a file known to be (or become) a case log."""
    try:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"the case log {path} cannot use write-ahead logging (journal mode {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        raise translate(exc, path) from None


def read_only_folder(folder: Path) -> bool:
    """Whether files in `folder` cannot be written here: a read-only mount (or medium), or no write permission."""
    statvfs = getattr(os, "statvfs", None)
    if statvfs is not None:
        try:
            if statvfs(folder).f_flag & os.ST_RDONLY:
                return True
        except OSError:
            pass
    return not os.access(folder, os.W_OK)


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    """The URI that opens `path` read-only. The path is percent-encoded, so a folder named "desk#2" or
    "50%" is that folder, not a URI fragment or an escape."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    return uri + "&immutable=1" if immutable else uri


def connect_read_only(path: Path) -> sqlite3.Connection:
    """Open a log that cannot be written (a read-only mount, a DVD, a folder without write permission).

    With no write-ahead journal beside it the file is opened as immutable, since the journal's index
    could not be made there. A journal that still holds changes (the writer was killed before it
    folded them in) is read through; if it cannot be read here, the log is refused rather than
    shown without its newest cases. Every write is refused by SQLite as read-only.
    """
    wal = path.with_name(path.name + "-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    try:
        conn = sqlite3.connect(
            read_only_uri(path, immutable=not pending), uri=True, isolation_level=None, check_same_thread=True
        )
        conn.row_factory = sqlite3.Row
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error as exc:
        if pending:
            raise StoreError(
                f"the case log {path} is read-only here and its newest changes are still in its write-ahead "
                f"journal ({wal.name}), which cannot be read without write access; open it where desk users may "
                "write, so they are folded in"
            ) from None
        raise translate(exc, path) from None


def is_log(conn: sqlite3.Connection) -> bool:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    return int(app_id) == schema.APPLICATION_ID


class StoreBase:
    """What every part of the store shares: the folder, the connection, and the write transaction."""

    def __init__(self, data_dir: Path, db: Database, conn: sqlite3.Connection) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DB_NAME
        self.db = db
        self._conn = conn
        self._zones = PackZones(conn)  # each kept pack's time zone, by sha256
        self.notices: list[str] = []  # what happened at open (migrated, backed up), for the status bar
        self.desk_signer: Signer | None = None  # the desk's own key, for the program's own entries
        self.read_only = False  # opened where it cannot be written: it can be read and verified, not changed

    def close(self) -> None:
        self._conn.close()

    def require_writable(self) -> None:
        """Refuse at once, with the read-only words, what would write to a log opened read-only."""
        if self.read_only:
            raise _read_only(self.path, sqlite3.OperationalError("opened read-only"))

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the log's write lock across a read, a decision and the writes it leads to (a sign-in counts its
        failure where it read the count, so parallel guesses cannot all read "no failures yet").

        Every write inside it joins it (as a savepoint); on a log opened read-only it only reads.
        """
        if self.read_only:
            yield
            return
        with self._write():
            self._held = True
            try:
                yield
            finally:
                self._held = False

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so case numbers stay gapless; inside
        `exclusive`, a savepoint of the transaction it holds."""
        conn = self._conn
        if getattr(self, "_held", False) and conn.in_transaction:
            conn.execute("SAVEPOINT desk_write")
            try:
                yield conn
                conn.execute("RELEASE desk_write")
            except BaseException as exc:
                conn.execute("ROLLBACK TO desk_write")
                conn.execute("RELEASE desk_write")
                if isinstance(exc, sqlite3.Error):
                    raise translate(exc, self.path) from None
                raise
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise translate(exc, self.path) from None
            raise
