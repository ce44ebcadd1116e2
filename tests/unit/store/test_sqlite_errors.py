"""SQLite's errors, provoked for real on real files, classified by their result code (not their text)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.store import LogDamaged, LogLocked, StoreError, open_store
from desktop.store.connect import primary_code, translate
from desktop.store.errors import DiskError
from tests.unit.store.cases import record


def provoke(conn: sqlite3.Connection, *statements: str) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as caught:
        for statement in statements:
            conn.execute(statement)
    return caught.value


@pytest.fixture
def log(tmp_path: Path, pack):
    """A real case log with one case in it, and its path."""
    with open_store(tmp_path / "data") as opened:
        record(opened, pack)
        yield opened


def test_a_log_another_connection_holds_is_locked(log, pack) -> None:
    other = sqlite3.connect(log.path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        error = provoke(sqlite3.connect(log.path, isolation_level=None, timeout=0), "BEGIN IMMEDIATE")
        assert primary_code(error) == sqlite3.SQLITE_BUSY
        translated = translate(error, log.path)
        assert isinstance(translated, LogLocked) and str(log.path) in str(translated)
        assert "try again in a moment" in str(translated)
        log._conn.execute("PRAGMA busy_timeout = 50")  # the store's own write, without its 15 s wait
        with pytest.raises(LogLocked, match="busy"):
            record(log, pack)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert log.total_cases() == 1


def test_a_read_only_log(log) -> None:
    log._conn.execute("PRAGMA query_only = ON")
    error = provoke(log._conn, "INSERT INTO meta (key, value) VALUES ('x', 'y')")
    log._conn.execute("PRAGMA query_only = OFF")
    assert primary_code(error) == sqlite3.SQLITE_READONLY
    translated = translate(error, log.path)
    assert type(translated) is DiskError and "read-only" in str(translated) and "ask IT" in str(translated)


def test_a_full_disk(log) -> None:
    pages = log._conn.execute("PRAGMA page_count").fetchone()[0]
    log._conn.execute(f"PRAGMA max_page_count = {pages}")
    error = provoke(log._conn, "INSERT INTO meta (key, value) VALUES ('x', zeroblob(1000000))")
    log._conn.execute("PRAGMA max_page_count = 1073741823")
    assert primary_code(error) == sqlite3.SQLITE_FULL
    translated = translate(error, log.path)
    assert type(translated) is DiskError and "is full; nothing was saved" in str(translated)


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    garbage = tmp_path / "cases.db"
    garbage.write_bytes(b"this is not a database at all" * 100)
    error = provoke(sqlite3.connect(garbage), "SELECT * FROM sqlite_master")
    assert primary_code(error) == sqlite3.SQLITE_NOTADB
    translated = translate(error, garbage)
    assert isinstance(translated, LogDamaged) and "restore it from a backup" in str(translated)


def test_a_corrupt_database(tmp_path: Path) -> None:
    path = tmp_path / "cases.db"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE t (x)")
    raw.executemany("INSERT INTO t VALUES (?)", [("row" * 100,)] * 500)
    raw.commit()
    raw.close()
    with open(path, "r+b") as handle:  # scribble over the table's pages, past the schema page
        handle.seek(4096 * 2)
        handle.write(b"\xa5" * 4096 * 4)
    error = provoke(sqlite3.connect(path), "SELECT COUNT(*), MAX(length(x)) FROM t")
    assert primary_code(error) == sqlite3.SQLITE_CORRUPT
    assert isinstance(translate(error, path), LogDamaged)


def test_an_append_only_trigger_refuses(log) -> None:
    error = provoke(log._conn, "UPDATE case_versions SET officer = 'X #1'")
    assert error.sqlite_errorcode == sqlite3.SQLITE_CONSTRAINT_TRIGGER
    assert primary_code(error) == sqlite3.SQLITE_CONSTRAINT
    translated = translate(error, log.path)
    assert type(translated) is StoreError and str(translated).startswith("refused: case_versions is append-only")


def test_a_folder_that_does_not_exist_cannot_be_opened(tmp_path: Path) -> None:
    path = tmp_path / "no such folder" / "cases.db"
    with pytest.raises(sqlite3.Error) as caught:
        sqlite3.connect(path)
    assert primary_code(caught.value) == sqlite3.SQLITE_CANTOPEN
    translated = translate(caught.value, path)
    assert type(translated) is DiskError and "cannot be opened" in str(translated) and str(path) in str(translated)


def test_the_code_decides_not_the_words(log) -> None:
    # A refusal whose message reads like a lock or a full disk is still a refusal.
    log._conn.execute(
        "CREATE TEMP TRIGGER misleading BEFORE INSERT ON meta"
        " BEGIN SELECT RAISE(ABORT, 'database is locked; disk is full'); END"
    )
    error = provoke(log._conn, "INSERT INTO meta (key, value) VALUES ('x', 'y')")
    translated = translate(error, log.path)
    assert not isinstance(translated, LogLocked) and str(translated).startswith("refused:")


def test_an_error_without_a_code_is_still_reported(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.db")
    conn.close()
    error = provoke(conn, "SELECT 1")  # raised by Python's module itself: no SQLite code
    assert primary_code(error) is None
    assert str(translate(error, tmp_path / "x.db")).startswith(f"the case log {tmp_path / 'x.db'} could not be used")
