"""Test configuration: offscreen Qt, shared paths and fixtures, and the `gui` marker applied automatically."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Without a display Qt aborts the whole process; the offscreen platform needs none.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
PACK_DIR = ROOT / "resources" / "policies" / "northampton-2019"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The scenario files shipped beside the project (../shared/examples), when present.
SHARED_EXAMPLES = ROOT.parent / "shared" / "examples"


def downgrade_to_first_schema(db_path: Path) -> None:
    """Take a case log back to the schema of the first release, as an old install left it."""
    import sqlite3

    raw = sqlite3.connect(db_path)
    for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'attachments'"):
        raw.execute(f"DROP TRIGGER {name}")
    for table in ("attachments", "case_index_fts", "case_facets", "case_index"):
        raw.execute(f"DROP TABLE IF EXISTS {table}")
    raw.execute("DELETE FROM _sqlite_migrations WHERE name != 'm001_case_log'")
    raw.commit()
    raw.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that touches Qt as `gui`, so `-m "not gui"` runs without Qt at all."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qtbot" in fixtures or "qapp" in fixtures or "/gui/" in str(item.path) or "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.gui)
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def pack():
    """The shipped Northampton pack, loaded once."""
    from desktop.rules import load_pack

    return load_pack(PACK_DIR)
