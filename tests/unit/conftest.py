"""Fixtures for the command tests: a staffed data folder in the environment, and the S01 intake file.

The data folder is set up as a desk would be (an admin, a supervisor, two officers); commands run
signed in as the officer `ofc.smith` unless a test switches user with `as_user`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import desktop.signing
from tests.unit.cli_run import S01
from tests.unit.desk.people import PASSWORDS, staffed_desk


def as_user(env: dict[str, str], username: str) -> dict[str, str]:
    """The same environment, signed in as another account."""
    return {**env, "SAFEDESK_USER": username, "SAFEDESK_PASSWORD": PASSWORDS[username]}


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    # Accounts made for tests use a cheaper scrypt; each keeps its parameters, so sign-in matches.
    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)
    staffed_desk(tmp_path / "data").desk.close()
    return as_user({**os.environ, "SAFEDESK_DATA_DIR": str(tmp_path / "data")}, "ofc.smith")


@pytest.fixture
def intake_file(tmp_path: Path) -> Path:
    path = tmp_path / "s01.json"
    path.write_text(json.dumps(S01), encoding="utf-8")
    return path
