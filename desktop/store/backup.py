"""Consistent copies of the case log, and restoring one without losing the log it replaces."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from desktop.records import Actor, EventKind
from desktop.store import schema
from desktop.store.connect import DB_NAME
from desktop.store.errors import LogDamaged, LogLocked, NewerLog, StoreError, describe_os_error
from desktop.store.fields import utc_now
from desktop.store.query import VerifyReport
from desktop.store.store import CaseStore, open_store

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BackupResult:
    """Where the copy went and what checking it found."""

    path: Path
    size: int
    report: VerifyReport


def _stamp(now: dt.datetime | None = None) -> str:
    return (now or utc_now()).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _discard(partial: Path) -> None:
    """Remove a half-written copy, if there is one and it can be removed (the error already says why)."""
    try:
        partial.unlink(missing_ok=True)
    except OSError:
        pass


def _copy_database(source: sqlite3.Connection, target: Path) -> None:
    """SQLite's online backup API: a consistent copy even while others write."""
    partial = target.with_name(target.name + ".partial")
    try:
        partial.unlink(missing_ok=True)  # a stale one, left by a copy that was killed
        dst = sqlite3.connect(partial)
        try:
            source.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        finally:
            dst.close()
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except OSError as exc:
        _discard(partial)
        raise StoreError(f"the copy {target} could not be written: {describe_os_error(exc)}") from None
    except sqlite3.Error as exc:
        _discard(partial)
        raise StoreError(f"the copy {target} could not be written: {exc}") from None


def check_log_file(path: Path) -> VerifyReport:
    """Check that a file is this app's case log, undamaged and verified, without changing it.

    Raises:
        LogDamaged: not a SQLite file, another program's database, or fails integrity_check.
        NewerLog: written by a newer version of the app.
    """
    try:
        with open(path, "rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise LogDamaged(f"{path} cannot be read: {describe_os_error(exc)}") from None
    if header != SQLITE_HEADER:
        raise LogDamaged(f"{path} is not a SQLite database, so not a case log")
    try:
        conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise LogDamaged(f"{path} cannot be opened: {exc}") from None
    conn.row_factory = sqlite3.Row
    try:
        if int(conn.execute("PRAGMA application_id").fetchone()[0]) != schema.APPLICATION_ID:
            raise LogDamaged(f"{path} is not a Safe Communities Desk case log")
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise LogDamaged(f"{path} is damaged (integrity check failed)")
        applied = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
        unknown = applied - set(schema.known_migrations())
        if unknown:
            raise NewerLog(f"{path} was written by a newer version of Safe Communities Desk")
        from sqlite_utils import Database

        return CaseStore(path.parent, Database(conn), conn).verify()
    except sqlite3.DatabaseError as exc:
        raise LogDamaged(f"{path} is damaged: {exc}") from None
    finally:
        conn.close()


def _carry_entry(source: sqlite3.Connection, target: Path, copied_head: str, entry: str) -> bool:
    """Add the backup's own audit entry, as the live log holds it, to the verified copy.

    Only when it follows the copy's chain head directly (nobody recorded in between), so the copy
    still verifies; otherwise, or if the copy cannot be written, the copy simply goes without it.
    """
    row = source.execute("SELECT * FROM audit_log WHERE entry_hash = ?", [entry]).fetchone()
    if row is None or row["prev_hash"] != copied_head:
        return False
    columns = list(row.keys())
    try:
        dst = sqlite3.connect(target, isolation_level=None)
        try:
            dst.execute("BEGIN IMMEDIATE")
            dst.execute(
                f"INSERT INTO audit_log ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", tuple(row)
            )
            dst.execute("COMMIT")
        finally:
            dst.close()
        with open(target, "rb+") as handle:
            os.fsync(handle.fileno())
    except (OSError, sqlite3.Error):
        return False
    return True


def backup_to(store: CaseStore, target: Path, *, actor: str | Actor, now: dt.datetime | None = None) -> BackupResult:
    """Copy the live log to `target` (which must not exist yet), then check the copy.

    The backup is recorded in the audit chain (at `now`) only once the copy is written and
    verified, so the chain never names a backup that does not exist. A `.partial` file left by a
    killed backup to the same name is cleared first.
    """
    target = Path(target)
    if target.exists():
        raise StoreError(f"{target} already exists; choose a new file name for the backup")
    if not target.parent.is_dir():
        raise StoreError(f"the folder {target.parent} does not exist")
    _copy_database(store._conn, target)
    report = check_log_file(target)
    if not report.ok:
        raise LogDamaged(f"the backup {target} does not verify: {report.first_problem}")
    head = store.log_event(None, EventKind.BACKUP, actor, f"backup to {target.name}", now=now)
    if _carry_entry(store._conn, target, report.chain_head, head):
        report = replace(report, entries_checked=report.entries_checked + 1, chain_head=head)
    return BackupResult(target, target.stat().st_size, report)


def backup_before_migration(store: CaseStore, pending: Sequence[str], *, now: dt.datetime | None = None) -> Path:
    """Copy the log aside before its schema changes (backups/cases-before-<migration>-<time>.db)."""
    folder = store.data_dir / "backups"
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise StoreError(f"the backup folder {folder} cannot be created: {describe_os_error(exc)}") from None
    target = folder / f"cases-before-{pending[0]}-{_stamp(now)}.db"
    _copy_database(store._conn, target)
    return target


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: where the replaced log is kept, and what the backup lacks that it held."""

    kept: Path | None
    report: VerifyReport
    cases_only_in_replaced: int  # recorded after the backup was made; still in the kept log


def _lock_alone(live: Path) -> sqlite3.Connection:
    """A connection holding the log exclusively; refused while any other connection has it open.

    In WAL mode every open connection holds a shared lock on the log, so an exclusive lock here
    proves that no window or command is using it, and keeps them out until the restore is done.
    """
    conn = sqlite3.connect(live, isolation_level=None, timeout=2.0)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")  # the lock stays until the connection closes (exclusive locking mode)
    except sqlite3.OperationalError:
        conn.close()
        raise LogLocked(
            f"the case log {live} is open (the window on this or another account, or another command); "
            "close it everywhere, then restore. Nothing was changed."
        ) from None
    return conn


def _highest_numbers(conn: sqlite3.Connection, schema_name: str = "main") -> dict[int, int]:
    """The highest case number of each year a log holds or its audit chain ever recorded."""
    highest: dict[int, int] = {}
    for year, seq in conn.execute(f"SELECT year, MAX(seq) FROM {schema_name}.cases GROUP BY year"):
        highest[int(year)] = int(seq)
    for (number,) in conn.execute(
        f"SELECT case_number FROM {schema_name}.audit_log WHERE kind = ?", [EventKind.RECORDED.value]
    ):
        year, _, seq = str(number).partition("-")
        if year.isdigit() and seq.isdigit():
            highest[int(year)] = max(highest.get(int(year), 0), int(seq))
    return highest


def restore_from(data_dir: Path, source: Path, *, actor: str | Actor, now: dt.datetime | None = None) -> RestoreResult:
    """Replace the log in `data_dir` with a verified backup; the replaced log is kept, not deleted.

    Refused while the log is open anywhere else. Case numbers carry on after the highest one the
    replaced log had used, so no number printed on a memo is handed out twice.

    Raises:
        LogDamaged, NewerLog: the backup is refused; the current log is untouched.
        LogLocked: the log is in use; nothing was changed.
    """
    source = Path(source)
    report = check_log_file(source)
    if not report.ok:
        raise LogDamaged(f"{source} fails verification ({report.first_problem}); it was not restored")
    data_dir = Path(data_dir)
    live = data_dir / DB_NAME
    kept: Path | None = None
    only_in_replaced = 0
    if not live.exists():
        incoming = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
        try:
            _copy_database(incoming, live)
        finally:
            incoming.close()
    else:
        kept_dir = data_dir / "replaced"
        try:
            kept_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"the folder {kept_dir} cannot be created: {describe_os_error(exc)}") from None
        kept = kept_dir / f"cases-replaced-{_stamp(now)}.db"
        conn = _lock_alone(live)
        try:
            _copy_database(conn, kept)
            floors = _highest_numbers(conn)
            incoming = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
            try:
                incoming.backup(conn)  # written through SQLite, under our exclusive lock
            finally:
                incoming.close()
            conn.execute("ATTACH DATABASE ? AS replaced", [str(kept)])
            only_in_replaced = int(
                conn.execute(
                    "SELECT COUNT(*) FROM replaced.cases WHERE case_number NOT IN (SELECT case_number FROM main.cases)"
                ).fetchone()[0]
            )
            conn.execute("DETACH DATABASE replaced")
            conn.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [(f"case_number_floor:{year}", str(seq)) for year, seq in floors.items()],
            )
        except sqlite3.Error as exc:
            raise StoreError(f"the log could not be restored: {exc}; the replaced log is kept as {kept}") from None
        finally:
            conn.close()
    with open_store(data_dir, now=now) as store:
        detail = f"restored from {source.name}"
        if kept:
            detail += f"; replaced log kept as {kept.name}"
        if only_in_replaced:
            detail += f"; {only_in_replaced} case(s) recorded after that backup are only in the replaced log"
        store.log_event(None, EventKind.RESTORE, actor, detail, now=now)
        return RestoreResult(kept, store.verify(), only_in_replaced)
