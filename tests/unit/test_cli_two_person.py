"""The two-person rule through `main.py` (issue 20): each route the desk refuses is refused at the command line
too, in one line, exit 2, the log unchanged; the second person closes it. (The desk's own tests are
tests/unit/desk/test_authority.py; the window's, tests/gui/test_two_person.py.)"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

import desktop.signing
from tests.unit.cli_run import S01, invoke
from tests.unit.desk.people import PASSWORDS, SAME_BOOKING, staffed_desk

REFERRED = {**S01, "documents": [{"kind": "state_court_order", "signer": "state_judge", "verified": True}]}


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)


@pytest.fixture
def referred(tmp_path: Path) -> tuple[Path, dict[str, str], str, str]:
    """A desk with one referral recorded by the supervisor (also an officer) and one by an officer."""
    staff = staffed_desk(tmp_path / "data")
    desk = staff.desk
    by_sergeant = desk.cases.record(staff.supervisor, desk.decide(REFERRED), confirmed=SAME_BOOKING).case_number
    by_officer = desk.cases.record(staff.officer, desk.decide(REFERRED), confirmed=SAME_BOOKING).case_number
    desk.close()
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(S01), encoding="utf-8")
    env = {**os.environ, "SAFEDESK_DATA_DIR": str(tmp_path / "data")}
    env.pop("SAFEDESK_CODE", None)
    return tmp_path / "data", env, by_sergeant, by_officer


def _as(env: dict[str, str], user: str) -> dict[str, str]:
    return {**env, "SAFEDESK_USER": user, "SAFEDESK_PASSWORD": PASSWORDS[user]}


def _entries(data: Path) -> int:
    conn = sqlite3.connect(data / "cases.db")
    try:
        return int(conn.execute("SELECT count(*) FROM audit_log WHERE kind IN ('recorded', 'amended')").fetchone()[0])
    finally:
        conn.close()


def _refused(data: Path, env: dict[str, str], *args: str, words: str) -> None:
    before = _entries(data)
    done = invoke(env, *args)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert done.stderr.count("\n") == 1 and words in done.stderr, done.stderr
    assert _entries(data) == before  # nothing recorded


def test_every_route_round_the_second_person_is_refused_at_the_command_line(referred, tmp_path: Path) -> None:
    data, env, by_sergeant, by_officer = referred
    plain = str(tmp_path / "plain.json")
    sergeant, officer, other = _as(env, "sgt.jones"), _as(env, "ofc.smith"), _as(env, "ofc.chen")
    # 1. the recorder resolves their own referral
    _refused(data, sergeant, "resolve", by_sergeant, "--outcome", "declined", words="did not record it")
    # 2. an officer resolves
    _refused(data, other, "resolve", by_officer, "--outcome", "declined", words="supervisor")
    # 3. the recorder amends to decided
    _refused(
        data, sergeant, "amend", by_sergeant, plain, "--reason", "x", "--status", "decided", words="did not record it"
    )
    # 4. the recorder amends to resolved
    _refused(data, sergeant, "amend", by_sergeant, plain, "--reason", "x", "--status", "resolved", words="record")
    # 5. the recorder amends the referral away (an intake that no longer refers)
    _refused(data, officer, "amend", by_officer, plain, "--reason", "typo", words="may not take case")
    # 7. another officer amends the referral away
    _refused(data, other, "amend", by_officer, plain, "--reason", "typo", words="may not take case")
    # the second person: a supervisor who did not record it
    done = invoke(sergeant, "resolve", by_officer, "--outcome", "declined by counsel")
    assert done.returncode == 0, done.stderr


def test_a_case_never_referred_is_not_resolved_at_the_command_line(referred, tmp_path: Path) -> None:
    data, env, _by_sergeant, _by_officer = referred
    plain = tmp_path / "plain.json"
    recorded = invoke(_as(env, "ofc.smith"), "--json", "record", str(plain), "--confirm", "open-case")
    assert recorded.returncode == 0, recorded.stderr
    case = json.loads(recorded.stdout)["case"]
    _refused(data, _as(env, "sgt.jones"), "resolve", case, "--outcome", "declined", words="not waiting for review")
