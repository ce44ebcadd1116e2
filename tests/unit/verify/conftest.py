"""Fixtures for the insider's attacks on `verify`: a staffed desk on a clock the test sets, the receipts folder
and the pinned fingerprint of this machine pointed at the test's own folder (never the real ones)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import desktop.signing
from tests.conftest import Clock
from tests.unit.desk.people import Staff, staffed_desk

# Named here rather than imported, so these attacks also run against a build that predates them.
PIN_ENV = "SAFEDESK_PINNED_FINGERPRINT_FILE"  # desktop/desk/trust.py
RECEIPTS_ENV = "SAFEDESK_RECEIPTS_DIR"  # desktop/desk/receipts.py


@pytest.fixture(autouse=True)
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This machine, outside the data folder: its pinned fingerprint file (none yet), a receipts folder, and its
    desk folder (the one the pin is for)."""
    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)  # accounts for tests: a cheaper scrypt
    machine = tmp_path / "machine"
    machine.mkdir()
    monkeypatch.setenv(PIN_ENV, str(machine / "admin-fingerprint"))
    monkeypatch.setenv(RECEIPTS_ENV, str(machine / "receipts"))
    monkeypatch.setenv("SAFEDESK_DATA_DIR", str(tmp_path / "data"))  # the `staff` desk is this PC's desk
    return machine


@pytest.fixture
def staff(tmp_path: Path):
    people: Staff = staffed_desk(tmp_path / "data", Clock(dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)))
    yield people
    people.desk.close()
