"""What a log and the logs kept beside it remember: the numbers they handed out, their identity, their last entry.

A restore reads them to tell whether a backup is this log's own history, and to set the numbering
floor so that no number already on paper is handed out again. The logs kept in the data folder are
the ones a restore replaced (replaced/) and the copies made before an upgrade (backups/).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from desktop.records import EventKind
from desktop.store.connect import read_only_uri

T = TypeVar("T")


def highest_numbers(conn: sqlite3.Connection, schema_name: str = "main") -> dict[int, int]:
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


def floors(conn: sqlite3.Connection) -> dict[int, int]:
    """The numbering floor a log sets: its highest numbers, and any floor an earlier restore left it."""
    found = highest_numbers(conn)
    for key, value in conn.execute("SELECT key, value FROM meta WHERE key LIKE 'case_number_floor:%'"):
        year = str(key).partition(":")[2]
        if year.isdigit() and str(value).isdigit():
            found[int(year)] = max(found.get(int(year), 0), int(value))
    return found


def kept_logs(data_dir: Path) -> list[Path]:
    """Earlier states of this desk's log kept in its folder: logs a restore replaced, copies made before upgrades."""
    return sorted([*(data_dir / "replaced").glob("*.db"), *(data_dir / "backups").glob("*.db")])


def read_kept(path: Path, read: Callable[[sqlite3.Connection], T]) -> T | None:
    """`read` on a kept log opened read-only, or None when it cannot be read (it then proves nothing)."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error:
        return None
    try:
        return read(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def kept_floors(data_dir: Path) -> dict[int, int]:
    """The highest numbers every log kept in the folder handed out (or had as its floor)."""
    found: dict[int, int] = {}
    for kept in kept_logs(data_dir):
        for year, seq in (read_kept(kept, floors) or {}).items():
            found[year] = max(seq, found.get(year, 0))
    return found


def log_id(conn: sqlite3.Connection) -> str | None:
    """The log's identity (meta log_id), which the folder's marker repeats; None for a log from before it."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'log_id'").fetchone()
    return str(row[0]) if row else None


def last_entry(path: Path) -> tuple[int, str] | None:
    """The newest audit entry of the log at `path`: its place in the chain and its hash."""
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        row = conn.execute("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        return (int(row[0]), str(row[1])) if row else None
    finally:
        conn.close()


def holds_entry(conn: sqlite3.Connection, entry: tuple[int, str]) -> bool:
    """Whether the log holds this entry at this place; its hash vouches for every entry before it."""
    return conn.execute("SELECT 1 FROM audit_log WHERE seq = ? AND entry_hash = ?", list(entry)).fetchone() is not None


def desk_keys(path: Path) -> frozenset[str]:
    """The desk keys the log at `path` knows, read without changing it (none for a log from before desk keys,
    or one that cannot be read here: opening it then says what is wrong)."""
    if not path.exists():
        return frozenset()

    def read(conn: sqlite3.Connection) -> frozenset[str]:
        return frozenset(str(r[0]) for r in conn.execute("SELECT key_id FROM signing_keys WHERE kind = 'desk'"))

    return read_kept(path, read) or frozenset()
