"""Fixtures for the command tests: a temporary data folder in the environment, and the S01 intake file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.unit.cli_run import S01


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "SAFEDESK_DATA_DIR": str(tmp_path / "data")}


@pytest.fixture
def intake_file(tmp_path: Path) -> Path:
    path = tmp_path / "s01.json"
    path.write_text(json.dumps(S01), encoding="utf-8")
    return path
