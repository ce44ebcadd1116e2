"""Rows the desk reads but nobody signs: an insider edits them behind the desk's back. Each account's standing
(its key, label, roles, disabled, locked, second factor), the desk's sign-in settings and the numbering floor a
restore leaves are set by signed entries; `verify` works them out from those entries and names every row that
differs, and a sign-in refuses an account whose row differs from its signed standing."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.desk.accounts import SignInError
from tests.unit.cli_run import S01
from tests.unit.desk.people import PASSWORDS, SAME_BOOKING, Staff
from tests.unit.verify.insider import raw


def _nothing(staff: Staff, tmp_path: Path) -> None:
    pass


def _disable_chen(staff: Staff, tmp_path: Path) -> None:
    staff.desk.people.change_user(staff.admin, "ofc.chen", disabled=True)


def _lock_chen(staff: Staff, tmp_path: Path) -> None:
    for attempt in range(5):
        with pytest.raises(SignInError):
            staff.desk.people.sign_in("ofc.chen", f"not-the-password-{attempt}")


def _enrol_smith(staff: Staff, tmp_path: Path) -> None:
    staff.desk.people.enrol_second_factor(staff.officer, PASSWORDS["ofc.smith"])


def _scope_everyone(staff: Staff, tmp_path: Path) -> None:
    staff.desk.people.set_second_factor_scope(staff.admin, "everyone")


def _idle_ten(staff: Staff, tmp_path: Path) -> None:
    staff.desk.people.set_idle_limit(staff.admin, 10)


def _restore_with_a_floor(staff: Staff, tmp_path: Path) -> None:
    desk = staff.desk
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    desk.copies.backup(staff.supervisor, tmp_path / "copy.db", no_encrypt=True)
    for _ in range(2):  # 2026-000002 and 2026-000003 are printed from the log the restore replaces
        desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    desk.copies.restore(staff.admin, tmp_path / "copy.db")


Tamper = Callable[[sqlite3.Connection, Staff], None]
CASES: list[tuple[str, Callable[[Staff, Path], None], str, str]] = [
    (
        "re-enabled",
        _disable_chen,
        "UPDATE accounts SET disabled = 0 WHERE username = 'ofc.chen'",
        "account ofc.chen: its row says disabled no",
    ),
    (
        "unlocked",
        _lock_chen,
        "UPDATE accounts SET locked = 0, failures = 0 WHERE username = 'ofc.chen'",
        "account ofc.chen: its row says locked no",
    ),
    (
        "second factor cleared",
        _enrol_smith,
        "UPDATE accounts SET totp_sealed = NULL WHERE username = 'ofc.smith'",
        "account ofc.smith: its row says second_factor no",
    ),
    (
        "second factor scope",
        _scope_everyone,
        "UPDATE meta SET value = 'none' WHERE key = 'second_factor_required'",
        "the desk setting second_factor_required is none",
    ),
    (
        "idle limit",
        _idle_ten,
        "UPDATE meta SET value = '30' WHERE key = 'idle_lock_minutes'",
        "the desk setting idle_lock_minutes is 30",
    ),
    (
        "owner swapped",
        _nothing,
        "UPDATE signing_keys SET owner = 'ofc.chen' WHERE owner = 'ofc.smith'",
        "is kept as ofc.chen's, but its certificate and signed entries say it is ofc.smith's",
    ),
    (
        "floor lowered",
        _restore_with_a_floor,
        "DELETE FROM meta WHERE key LIKE 'case_number_floor:%'",
        "the numbering floor is none",
    ),
    (
        "roles",
        _nothing,
        "UPDATE accounts SET roles = 'admin,officer' WHERE username = 'ofc.chen'",
        "account ofc.chen: its row says roles admin,officer",
    ),
    (
        "name",
        _nothing,
        "UPDATE accounts SET name = 'L. CHANG' WHERE username = 'ofc.chen'",
        "account ofc.chen: its row says label L. CHANG #1203",
    ),
]


@pytest.mark.parametrize(("what", "before", "edit", "said"), CASES, ids=[c[0] for c in CASES])
def test_an_edited_row_is_named_by_verify(staff, tmp_path: Path, what: str, before, edit: str, said: str) -> None:
    before(staff, tmp_path)
    desk = staff.desk
    assert desk.log.verify(staff.admin).ok
    desk.close()
    with raw(desk.log_file) as conn:
        assert conn.execute(edit).rowcount >= 1, what
    check = desk.log.verify(staff.admin)
    assert not check.ok
    assert any(said in p for p in check.problems), check.problems


@pytest.mark.parametrize(
    ("before", "edit", "username"),
    [
        (_disable_chen, "UPDATE accounts SET disabled = 0 WHERE username = 'ofc.chen'", "ofc.chen"),
        (_lock_chen, "UPDATE accounts SET locked = 0, failures = 0 WHERE username = 'ofc.chen'", "ofc.chen"),
        (_nothing, "UPDATE accounts SET roles = 'admin,officer' WHERE username = 'ofc.chen'", "ofc.chen"),
    ],
    ids=["re-enabled", "unlocked", "roles"],
)
def test_an_edited_row_does_not_sign_in(staff, tmp_path: Path, before, edit: str, username: str) -> None:
    before(staff, tmp_path)
    staff.desk.close()
    with raw(staff.desk.log_file) as conn:
        conn.execute(edit)
    with pytest.raises(SignInError, match="changed outside the desk"):
        staff.desk.people.sign_in(username, PASSWORDS[username])


def test_the_admin_who_resets_acts_as_the_officer_and_writes_the_old_row_back(staff) -> None:
    desk = staff.desk
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    old = dict(
        desk._store._conn.execute(
            "SELECT password, sealed_key, key_id FROM accounts WHERE username = 'ofc.smith'"
        ).fetchone()
    )
    desk.people.change_user(staff.admin, "ofc.smith", new_password="the-admin-knows-this-1")
    as_smith = desk.people.sign_in("ofc.smith", "the-admin-knows-this-1")
    desk.cases.record(as_smith, desk.decide(S01), confirmed=SAME_BOOKING)  # the admin, as the officer
    desk.close()
    with raw(desk.log_file) as conn:  # the officer's own password opens the account again: they notice nothing
        conn.execute(
            "UPDATE accounts SET password = ?, sealed_key = ?, key_id = ? WHERE username = 'ofc.smith'",
            [old["password"], old["sealed_key"], old["key_id"]],
        )
    check = desk.log.verify(staff.admin)
    assert not check.ok
    assert any(f"account ofc.smith: its row says key {old['key_id']}" in p for p in check.problems), check.problems
    with pytest.raises(SignInError, match="changed outside the desk"):
        desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"])
