"""Tests that the layers stay apart: Qt only in desktop/ui, SQL only in the store, PDF only in the memo, no network."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

SOURCES = sorted((ROOT / "desktop").rglob("*.py")) + [ROOT / "main.py"]


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
