"""packaging/build.py refuses to build with a tool or runtime package at another version than its pin; a pin
with an extra ("psycopg[binary]==3.3.9") names the distribution without it, or the check never finds it."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from tests.conftest import ROOT


def _build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("safedesk_build_pins", ROOT / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_pin_with_an_extra_names_the_distribution(tmp_path: Path) -> None:
    pins = tmp_path / "requirements.txt"
    pins.write_text("psycopg[binary]==3.3.9  # the register\nPyYAML==6.0 ; sys_platform == 'win32'\n", encoding="utf-8")
    assert _build_script().read_pins(pins) == {"psycopg": "3.3.9", "pyyaml": "6.0"}


def test_the_runtime_pins_match_what_is_installed_here() -> None:
    """What the tests run against is what the bundle is built from (psycopg and babel among them)."""
    build = _build_script()
    runtime = build.read_pins(ROOT / "requirements.txt")
    assert {"psycopg", "babel", "pyside6-essentials"} <= set(runtime)
    problems = [p for p in build.check_pins(ROOT / "requirements.txt") if not p.startswith("python:")]
    assert problems == []
