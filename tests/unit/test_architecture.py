"""Tests that the layers stay apart: Qt only in desktop/ui, SQL only in the store, PDF only in the memo, no network."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

SOURCES = sorted((ROOT / "desktop").rglob("*.py")) + [ROOT / "main.py"]


def imported_names(path: Path) -> set[tuple[str, str | None]]:
    """Every (module, name) a file imports, at any depth; name is None for `import module`."""
    found: set[tuple[str, str | None]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.update((node.module, alias.name) for alias in node.names)
    return found


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (lazy imports inside functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def package_of(path: Path) -> str:
    return "/".join(path.relative_to(ROOT).parts[:2])


def roots(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_layers(path: Path) -> None:
    modules = imported_modules(path)
    package = package_of(path)
    if package != "desktop/ui":
        assert "PySide6" not in roots(modules), "Qt belongs in desktop/ui only"
    if package not in ("desktop/store",):
        assert not roots(modules) & {"sqlite3", "sqlite_utils"}, "SQL belongs in desktop/store only"
    if package not in ("desktop/memo",):
        assert "reportlab" not in roots(modules), "PDF layout belongs in desktop/memo only"
    if package != "desktop/register":
        assert "psycopg" not in roots(modules), "PostgreSQL belongs in desktop/register only"
    if package == "desktop/rules":
        assert not any(m.startswith(("desktop.store", "desktop.memo", "desktop.ui")) for m in modules)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_opens_a_network_connection(path: Path) -> None:
    network = {"socket", "ssl", "http", "urllib", "ftplib", "smtplib", "requests", "httpx", "aiohttp", "xmlrpc"}
    modules = imported_modules(path)
    assert not roots(modules) & network
    assert not any(m.startswith("PySide6.QtNetwork") for m in modules)


def test_every_module_has_a_docstring() -> None:
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), path


# What the two doors (the window and the command line) may use: the desk, the record and query value
# types, the error classes, and the rules' labels and vocabulary. Never the store's or the memo's
# internals, sqlite3 or reportlab: whatever a door needs from those, the desk provides.
DOOR_MODULES = {
    "desktop": {"APP_NAME", "__version__", "present"},
    "desktop.records": None,  # None: any name
    "desktop.errors": None,  # the error kinds and exit codes both doors report
    "desktop.present": None,  # a case in words: the rows both doors and the memo lay out
    "desktop.paths": None,
    "desktop.readfile": {"FileRefused", "read_regular", "read_stream"},  # an intake file: read as every file is
    "desktop.resources": None,
    "desktop.dates": None,
    "desktop.demo": {"fill_demo_log", "demo_accounts", "DEMO_PASSWORD"},
    "desktop.store": {"StoreError", "LogLocked", "LogDamaged", "CaseNotFound", "InvalidInput", "NewerLog", "CaseQuery"},
    "desktop.store.errors": None,
    "desktop.store.query": None,
    "desktop.memo": {"MemoError"},
    "desktop.rules": {"IntakeError", "PackError", "Pack", "Decision", "Intake", "labels", "vocab"},
    "desktop.rules.labels": None,
    "desktop.rules.vocab": None,
    "desktop.rules.explain": {"pack_text"},
    "desktop.rules.pack": {"Pack"},
    "desktop.rules.jurisdiction": {"Preset", "Guidance", "Department"},  # the pack's words, as values
    "desktop.ui.app": {"run_window", "self_test"},
    # The county register's one API, for `main.py register …` (desktop/register; only it talks to PostgreSQL).
    "desktop.register": {"Register", "ImportRefused", "RegisterError", "RegisterInput", "RegisterRefused"},
    # The passphrase rules and the errors of an encrypted copy (the sealing itself is the desk's to call).
    "desktop.encrypted": {
        "EncryptedCopyError",
        "WrongPassphrase",
        "PassphraseNeeded",
        "check_passphrase",
        "is_encrypted",
    },  # the command line's one way into the window
}
DOORS = sorted((ROOT / "desktop" / "ui").rglob("*.py")) + sorted((ROOT / "desktop" / "cli").rglob("*.py"))


def door_violations(path: Path) -> list[str]:
    own = "desktop." + path.relative_to(ROOT / "desktop").parts[0]
    problems = []
    for module, name in imported_names(path):
        if module.split(".")[0] in {"sqlite3", "sqlite_utils", "reportlab", "pypdf"}:
            problems.append(module)
            continue
        if not module.startswith("desktop") or module.startswith((own, "desktop.desk")):
            continue
        if module not in DOOR_MODULES:
            problems.append(module)
            continue
        allowed = DOOR_MODULES[module]
        if allowed is not None and name not in allowed:
            problems.append(f"{module}.{name}")
    return problems


@pytest.mark.parametrize("path", DOORS, ids=lambda p: str(p.relative_to(ROOT)))
def test_doors_call_only_the_desk(path: Path) -> None:
    assert door_violations(path) == [], "the window and the command line go through desktop.desk"


def test_the_door_check_catches_a_door_reaching_into_the_store(tmp_path: Path) -> None:
    # The check itself must be able to fail: a door file that opens the store directly is caught.
    bad = ROOT / "desktop" / "ui" / "_probe_for_architecture_test.py"
    bad.write_text("from desktop.store.store import open_store\nimport sqlite3\nfrom desktop.memo import render_memo\n")
    try:
        assert sorted(door_violations(bad)) == ["desktop.memo.render_memo", "desktop.store.store", "sqlite3"]
    finally:
        bad.unlink()


def test_the_desk_holds_no_qt() -> None:
    for path in sorted((ROOT / "desktop" / "desk").rglob("*.py")):
        assert "PySide6" not in roots(imported_modules(path)), path


def test_only_the_register_talks_to_postgresql() -> None:
    importing = sorted(
        path.relative_to(ROOT).as_posix() for path in SOURCES if "psycopg" in roots(imported_modules(path))
    )
    assert importing and all(p.startswith("desktop/register/") for p in importing), importing


def test_the_register_loads_psycopg_only_when_a_register_command_runs() -> None:
    import subprocess
    import sys

    probe = (
        "import sys; from desktop.cli.parser import build_parser; build_parser(); import desktop.register; "
        "from desktop.desk import Desk; print('psycopg' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
