"""Test configuration: offscreen Qt, shared paths and fixtures, and the `gui` marker applied automatically."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from pathlib import Path

import pytest

from desktop.resources import use_bundled_fonts_offscreen

# Without a display Qt aborts the whole process; the offscreen platform needs none.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
use_bundled_fonts_offscreen()  # Windows' offscreen platform has no fonts of its own (pytest-qt makes the app)

ROOT = Path(__file__).resolve().parent.parent
PACK_DIR = ROOT / "resources" / "policies" / "northampton-2019"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The public worked examples (docs/LEGAL.md section 5) in the contract's scenario format, kept in the
# repository so that every clone and the Windows workflow run them.
EXAMPLES_DIR = Path(__file__).resolve().parent / "data" / "examples"
SHARED_EXAMPLES = EXAMPLES_DIR  # the name the rules tests use


class Clock:
    """A clock the tests set and move by hand: the desk reads the time only through it."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now = self.now + dt.timedelta(**delta)


def downgrade_to_first_schema(db_path: Path) -> None:
    """Take a case log back to the schema of the first release, as an old install left it."""
    import sqlite3

    raw = sqlite3.connect(db_path)
    for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'attachments'"):
        raw.execute(f"DROP TRIGGER {name}")
    for table in ("signing_keys", "key_certificates"):
        for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", [table]):
            raw.execute(f"DROP TRIGGER {name}")
    for table in ("attachments", "case_index_fts", "case_facets", "case_index", "accounts", "key_certificates"):
        raw.execute(f"DROP TABLE IF EXISTS {table}")
    raw.execute("DROP TABLE IF EXISTS signing_keys")
    columns = {row[1] for row in raw.execute("PRAGMA table_info(audit_log)")}
    for column in ("signer", "signature"):
        if column in columns:
            raw.execute(f"ALTER TABLE audit_log DROP COLUMN {column}")
    raw.execute("DELETE FROM _sqlite_migrations WHERE name != 'm001_case_log'")
    raw.commit()
    raw.close()


QT_FOLDERS = ("gui", "e2e", "packaging")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With -m "not gui", do not even import the Qt test folders, so no Qt module is loaded."""
    if "not gui" in (config.getoption("markexpr") or "") and collection_path.is_dir():
        if collection_path.name in QT_FOLDERS and collection_path.parent.name == "tests":
            return True
    return None


# Tests for one family of systems only (pyproject.toml registers the markers): each says why in its reason, and
# where the behaviour matters on both, the other family has a counterpart test (a kill is SIGKILL on POSIX and
# TerminateProcess on Windows). The mark, not a list of names, is the rule: scripts/windows-check.sh runs the
# suite under Wine and reports these skips with their reasons.
# The return code of a process ended by Popen.kill(): SIGKILL on POSIX, TerminateProcess (exit code 1) on Windows.
KILLED_RETURNCODE = 1 if sys.platform == "win32" else -signal.SIGKILL

PLATFORM_MARKS = {"posix_only": sys.platform == "win32", "windows_only": sys.platform != "win32"}


def _skip_for_platform(item: pytest.Item) -> None:
    for name, skipped_here in PLATFORM_MARKS.items():
        mark = item.get_closest_marker(name)
        if mark is None:
            continue
        reason = mark.kwargs.get("reason") or (mark.args[0] if mark.args else "")
        if not reason:
            raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.{name} needs a reason (reason=...)")
        if skipped_here:
            item.add_marker(pytest.mark.skip(reason=f"{name.replace('_', ' ')}: {reason}"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that touches Qt as `gui`, so `-m "not gui"` runs without Qt at all; skip the tests
    marked for the other family of systems."""
    for item in items:
        _skip_for_platform(item)
        fixtures = getattr(item, "fixturenames", ())
        path = str(item.path)
        qt_paths = ("/gui/", "/e2e/", "/packaging/")  # the frozen bundle's self-test builds a window too
        if "qtbot" in fixtures or "qapp" in fixtures or any(part in path for part in qt_paths):
            item.add_marker(pytest.mark.gui)
        if "/e2e/" in path:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def pack():
    """The shipped Northampton pack, loaded once."""
    from desktop.rules import load_pack

    return load_pack(PACK_DIR)
