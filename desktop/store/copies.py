"""Copies of the case log: one consistent copy through SQLite's backup API, and the check that a file is a good log.

Backup (backup.py) and restore (restore.py) both copy the log and check what they copied; this is
the one place that does either.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path
from typing import Final

from desktop.atomic import reserve_name
from desktop.store import schema
from desktop.store.connect import read_only_uri
from desktop.store.errors import LogDamaged, NewerLog, OlderLog, StoreError, describe_os_error
from desktop.store.fields import utc_now
from desktop.store.query import VerifyReport
from desktop.store.store import CaseStore

SQLITE_HEADER: Final = b"SQLite format 3\x00"


def stamp(now: dt.datetime | None = None) -> str:
    """The time in a file name (UTC, sortable, no characters Windows refuses)."""
    return (now or utc_now()).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def discard(partial: Path) -> None:
    """Remove a half-written copy, if there is one and it can be removed (the error already says why)."""
    try:
        partial.unlink(missing_ok=True)
    except OSError:
        pass


def copy_database(source: sqlite3.Connection, target: Path) -> None:
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
        discard(partial)
        raise StoreError(f"the copy {target} could not be written: {describe_os_error(exc)}") from None
    except sqlite3.Error as exc:
        discard(partial)
        raise StoreError(f"the copy {target} could not be written: {exc}") from None


def check_log_header(path: Path) -> list[str]:
    """Check that a file is this app's case log and undamaged, without changing it; returns the migrations it lacks.

    A log written by an earlier version lacks some (restore upgrades a copy of it, as an open would);
    one this version writes lacks none.

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
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise LogDamaged(f"{path} cannot be opened: {exc}") from None
    try:
        if int(conn.execute("PRAGMA application_id").fetchone()[0]) != schema.APPLICATION_ID:
            raise LogDamaged(f"{path} is not a Safe Communities Desk case log")
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise LogDamaged(f"{path} is damaged (integrity check failed)")
        applied = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
    except sqlite3.DatabaseError as exc:
        raise LogDamaged(f"{path} is damaged: {exc}") from None
    finally:
        conn.close()
    if applied - set(schema.known_migrations()):
        raise NewerLog(f"{path} was written by a newer version of Safe Communities Desk")
    return [name for name in schema.known_migrations() if name not in applied]


def check_log_file(path: Path) -> VerifyReport:
    """Check that a file is this app's case log, undamaged and verified, without changing it.

    Raises:
        LogDamaged: not a SQLite file, another program's database, or fails integrity_check.
        NewerLog: written by a newer version of the app.
        OlderLog: written by an earlier version: it is checked once a copy of it is upgraded (restore does).
    """
    pending = check_log_header(path)
    if pending:
        raise OlderLog(
            f"{path} was written by an earlier version of Safe Communities Desk (before {pending[0]}); "
            "it can be checked once upgraded: restore it, which upgrades a copy first"
        )
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise LogDamaged(f"{path} cannot be opened: {exc}") from None
    conn.row_factory = sqlite3.Row
    try:
        from sqlite_utils import Database

        return CaseStore(path.parent, Database(conn), conn).verify()
    except sqlite3.DatabaseError as exc:
        raise LogDamaged(f"{path} is damaged: {exc}") from None
    finally:
        conn.close()


def unique_path(folder: Path, stem: str, suffix: str) -> Path:
    """A new file name in `folder` no one else holds (desktop/atomic.py): two restores in one second used to
    overwrite each other's kept copy."""
    try:
        return reserve_name(folder, stem, suffix)
    except OSError as exc:
        raise StoreError(f"a file cannot be created in {folder}: {describe_os_error(exc)}") from None
