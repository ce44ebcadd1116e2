"""Every backup this project ever made restores (issue 24): one backup of each schema version, made by that
version's own code (tests/data/old-backups/README.md), restored with today's code through the desk and
through `main.py restore`, and the copy the upgrade itself makes before it changes the log."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

import desktop.signing
from desktop.desk import Desk, Session, system_clock
from desktop.store import open_store, restore_from
from desktop.store.copies import check_log_file
from desktop.store.errors import AccountError, OlderLog
from desktop.store.restore import OtherDesksLog
from tests.conftest import Clock
from tests.unit.cli_run import S01, run
from tests.unit.desk.people import SAME_BOOKING
from tests.unit.store.cases import OFFICER, record

OLD = Path(__file__).resolve().parents[2] / "data" / "old-backups"
# Every schema version this project shipped, by its last migration; the README names the commit that made each.
VERSIONS = ("m003", "m004", "m005", "m006", "m007", "m008", "m009", "m010")
WITH_ACCOUNTS = ("m007", "m008", "m009", "m010")  # made by a version with accounts: its admin and officer come with it
WITH_SCANS = ("m006", "m007", "m008", "m009", "m010")  # made by a version whose `record` took --scan
PASSWORDS = {"admin": "Admin-Pass-2026!", "ofc.smith": "Officer-Pass-2026!"}  # as make-backup.sh set them
OLD_RULES = ("m007", "m008")  # made before today's password rules, with PASSWORDS; m009 on with SET_UP_NOW
SET_UP_NOW = {"admin": "first-root-pass-2026!", "ofc.smith": "tulip-ledger-2026!"}  # accounts set up by today's code


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Accounts made here use a cheaper scrypt; each keeps its parameters, so the old ones still sign in."""
    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)


def test_there_is_a_backup_of_every_schema_version_and_the_readme_names_its_commit() -> None:
    from desktop.store import schema

    last = {name.partition("_")[0] for name in schema.known_migrations()}
    assert max(last) == VERSIONS[-1]  # a new migration needs a new backup here, made by its own commit
    readme = (OLD / "README.md").read_text(encoding="utf-8")
    for version in VERSIONS:
        backup = OLD / f"schema-{version}.db"
        conn = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            applied = [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations")]
        finally:
            conn.close()
        assert applied[-1].startswith(version + "_"), applied
        assert f"schema-{version}.db" in readme


def _desk_as_that_version_left_it(tmp_path: Path, version: str) -> Path:
    """A data folder as the old version left it when it made the backup: that log, and its desk key if it had one."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(OLD / f"schema-{version}.db", data / "cases.db")
    key = OLD / f"schema-{version}.desk.key"
    if key.exists():
        (data / "keys").mkdir()
        shutil.copy(key, data / "keys" / "desk.key")
        os.chmod(data / "keys" / "desk.key", 0o600)
    return data


def _people(desk: Desk, version: str) -> tuple[Session, Session]:
    """The admin and the officer: the backup's own, or set up now on a log from before accounts."""
    # A backup with accounts keeps its passwords; accounts set up now follow today's password rules.
    passwords = PASSWORDS if version in OLD_RULES else SET_UP_NOW
    if desk.people.needs_setup():
        admin = desk.people.setup(username="admin", name="A. ADMIN", badge="900", password=passwords["admin"])
        desk.people.add_user(
            admin,
            username="ofc.smith",
            name="J. SMITH",
            badge="1234",
            roles=frozenset({"officer"}),
            password=passwords["ofc.smith"],
        )
    return desk.people.sign_in("admin", passwords["admin"]), desk.people.sign_in("ofc.smith", passwords["ofc.smith"])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _assert_the_backups_cases_are_there(desk: Desk, version: str) -> None:
    first = desk._store.get("2026-000001")
    assert [v.version for v in first.versions] == [1, 2]  # the amendment, and the version it amended
    assert first.current.intake.requester_name == "Deportation Officer J. ROE, ICE ERO (Hadley)"
    assert first.current.amendment_reason == "the requester's name was mistyped"
    assert len(first.attachments) == (1 if version in WITH_SCANS else 0)
    for number in ("2026-000002", "2026-000003"):
        assert desk._store.get(number).current.version == 1


def _last_detail(data: Path) -> str:
    conn = sqlite3.connect(data / "cases.db")
    try:
        return str(conn.execute("SELECT detail FROM audit_log WHERE kind = 'restore' ORDER BY seq DESC").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_a_backup_of_every_schema_version_restores_and_numbering_goes_on_above_it(tmp_path: Path, version: str) -> None:
    backup = OLD / f"schema-{version}.db"
    untouched = _digest(backup)
    data = _desk_as_that_version_left_it(tmp_path, version)
    clock = Clock(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC))
    desk = Desk(data, clock=clock)  # today's version opens the old log: upgraded, a copy of it kept first
    admin, officer = _people(desk, version)
    later = [desk.cases.record(officer, desk.decide(S01), confirmed=SAME_BOOKING).case_number for _ in range(2)]
    assert later == ["2026-000004", "2026-000005"]
    desk.close()

    # Through the desk: the backup's history is this log's, not another desk's.
    staged = desk.copies.stage_restore(backup)
    assert not desk.copies.is_desk_change(staged)
    result = desk.copies.restore(admin, staged)
    assert result.report.ok, result.report.problems
    assert result.cases_only_in_replaced == 2 and not result.other_desk and result.kept is not None
    detail = _last_detail(data)
    assert ("upgraded from an earlier version's log" in detail) == (version != VERSIONS[-1])
    assert ("accounts carried over" in detail) == (version not in WITH_ACCOUNTS)
    clock.advance(minutes=5)
    with Desk(data, clock=clock) as after:
        _assert_the_backups_cases_are_there(after, version)
        assert after._store.total_cases() == 3
        admin, officer = _people(after, version)
        assert after.cases.record(officer, after.decide(S01), confirmed=SAME_BOOKING).case_number == "2026-000006"
        check = after.log.verify(admin)
        assert check.ok, check.problems

    # Through main.py, as IT would: the same backup again, then a case, then verify.
    env = {
        **os.environ,
        "SAFEDESK_DATA_DIR": str(data),
        "SAFEDESK_USER": "admin",
        "SAFEDESK_PASSWORD": (PASSWORDS if version in OLD_RULES else SET_UP_NOW)["admin"],
    }
    done = run(env, "--json", "restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["cases_only_in_replaced_log"] == 1  # 2026-000006, kept in replaced/
    intake = tmp_path / "s01.json"
    intake.write_text(json.dumps(S01), encoding="utf-8")
    passwords = PASSWORDS if version in OLD_RULES else SET_UP_NOW
    officer_env = {**env, "SAFEDESK_USER": "ofc.smith", "SAFEDESK_PASSWORD": passwords["ofc.smith"]}
    recorded = run(officer_env, "--json", "record", str(intake), "--confirm", "open-case")
    assert recorded.returncode == 0, recorded.stderr
    assert json.loads(recorded.stdout)["case"] == "2026-000007"
    verified = run(env, "--json", "verify")
    assert verified.returncode == 0 and json.loads(verified.stdout)["ok"] is True, verified.stdout
    assert _digest(backup) == untouched  # only a copy of the backup was ever upgraded


@pytest.mark.parametrize("version", VERSIONS[:-1])
def test_the_copy_the_upgrade_makes_restores(tmp_path: Path, version: str) -> None:
    data = _desk_as_that_version_left_it(tmp_path, version)
    clock = Clock(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC))
    desk = Desk(data, clock=clock)
    admin, officer = _people(desk, version)
    desk.cases.record(officer, desk.decide(S01), confirmed=SAME_BOOKING)
    desk.close()
    (before_upgrade,) = (data / "backups").glob("cases-before-*.db")
    result = desk.copies.restore(admin, before_upgrade)
    assert result.report.ok and result.cases_only_in_replaced == 1 and not result.other_desk
    with Desk(data, clock=clock) as after:
        _assert_the_backups_cases_are_there(after, version)
        admin, officer = _people(after, version)
        assert after.cases.record(officer, after.decide(S01), confirmed=SAME_BOOKING).case_number == "2026-000005"
        assert after.log.verify(admin).ok


@pytest.mark.parametrize("version", VERSIONS)
def test_a_lost_log_is_restored_from_an_old_backup(tmp_path: Path, version: str) -> None:
    data = _desk_as_that_version_left_it(tmp_path, version)
    desk = Desk(data, clock=Clock(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)))
    assert desk._store.total_cases() == 3  # today's version ran once: the log upgraded, the marker written
    desk.close()
    for name in ("cases.db", "cases.db-wal", "cases.db-shm"):
        (data / name).unlink(missing_ok=True)
    staged = desk.copies.stage_restore(OLD / f"schema-{version}.db")
    signing = desk.copies.restore_signer(staged)  # the log is gone: the backup's own accounts sign, if it has any
    # A backup from before accounts has none to sign with: its first admin is set up in the staged copy.
    who = _people(signing, version)[0]
    signing.close()
    result = desk.copies.restore(who, staged, signer=signing)
    assert result.report.ok and result.kept is None and not result.other_desk
    with open_store(data) as restored:
        assert restored.total_cases() == 3


def test_an_old_backup_of_another_log_is_still_another_desks(tmp_path: Path, pack) -> None:
    with open_store(tmp_path / "data") as opened:
        record(opened, pack)
    before = (tmp_path / "data" / "cases.db").read_bytes()
    with pytest.raises(OtherDesksLog, match="not an earlier copy of this desk's log"):
        restore_from(tmp_path / "data", OLD / "schema-m003.db", actor=OFFICER)
    assert (tmp_path / "data" / "cases.db").read_bytes() == before


def test_an_old_backup_is_named_as_such_not_as_damaged(tmp_path: Path) -> None:
    with pytest.raises(OlderLog, match="written by an earlier version of Safe Communities Desk .before m004"):
        check_log_file(OLD / "schema-m003.db")


RESTORE_AS_ADMIN = (
    "import sys; from pathlib import Path; from desktop.desk import Desk, system_clock\n"
    "desk = Desk(Path(sys.argv[1]), clock=system_clock); admin = desk.people.sign_in('admin', sys.argv[3])\n"
    "desk.close()\n"
    "print('restoring', flush=True); desk.copies.restore(admin, Path(sys.argv[2])); print('done', flush=True)\n"
)


@pytest.mark.slow
def test_a_killed_restore_of_an_old_backup_leaves_either_log_whole(tmp_path: Path) -> None:
    import random
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT

    data = _desk_as_that_version_left_it(tmp_path, "m003")
    desk = Desk(data, clock=system_clock)
    _people(desk, "m003")
    numbers = []
    desk.close()
    backup = OLD / "schema-m003.db"
    command = [sys.executable, "-c", RESTORE_AS_ADMIN, str(data), str(backup), SET_UP_NOW["admin"]]

    def start() -> subprocess.Popen[str]:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "restoring"
        return proc

    timed = start()
    started = time.perf_counter()
    assert timed.stdout is not None and timed.stdout.readline().strip() == "done", timed.communicate()[1]
    span = time.perf_counter() - started
    timed.communicate(timeout=60)
    chance = random.Random(24)
    restored = interrupted = 0
    runs = 0
    while runs < 12 or (runs < 40 and (interrupted < 3 or restored < 1)):  # until both ends are seen
        runs += 1
        with Desk(data, clock=system_clock) as before:
            _admin, officer = _people(before, "m003")
            numbers.append(before.cases.record(officer, before.decide(S01), confirmed=SAME_BOOKING).case_number)
            held = before._store.total_cases()
        proc = start()
        time.sleep(chance.uniform(0.0, span * 2))  # on a loaded machine a restore may take longer than the timed one
        proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
        out, _ = proc.communicate(timeout=60)
        interrupted += "done" not in out
        span *= 1.15 if "done" not in out else 0.8  # aim the kills at the restore as it runs now
        with Desk(data, clock=system_clock) as after:
            admin, officer = _people(after, "m003")
            check = after.log.verify(admin)
            assert check.ok, check.problems[:3]
            total = after._store.total_cases()
            assert total in (3, held)  # the backup's three cases, or the log as it was: never a mixture
            restored += total == 3
            fresh = after.cases.record(officer, after.decide(S01), confirmed=SAME_BOOKING).case_number
            assert fresh > max(numbers)  # no number handed out before is handed out again
            numbers.append(fresh)
    print(f"old-backup restore: {runs} kills, {interrupted} before the end, {restored} left the restored log")
    assert interrupted >= 3 and restored >= 1, (interrupted, restored)


def _restored_from_before_accounts(tmp_path: Path) -> tuple[Path, Desk]:
    """A desk whose log was upgraded from m003 and set up today, then given its m003 backup back by its first admin."""
    data = _desk_as_that_version_left_it(tmp_path, "m003")
    clock = Clock(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC))
    desk = Desk(data, clock=clock)
    admin, officer = _people(desk, "m003")
    desk.cases.record(officer, desk.decide(S01), confirmed=SAME_BOOKING)
    desk.close()
    result = desk.copies.restore(admin, OLD / "schema-m003.db")
    assert result.report.ok, result.report.problems
    return data, Desk(data, clock=clock)


def test_a_backup_from_before_accounts_is_restored_by_the_first_admin_alone(tmp_path: Path) -> None:
    """Where signing begins in the restored log is the first admin's word, as at set-up: a second admin's
    restore would let any admin say that everything before it needs no signature."""
    data = _desk_as_that_version_left_it(tmp_path, "m003")
    desk = Desk(data, clock=Clock(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)))
    admin, _officer = _people(desk, "m003")
    desk.people.add_user(
        admin,
        username="it.second",
        name="B. SECOND",
        badge="901",
        roles=frozenset({"admin"}),
        password="quiet-harbor-2026!",
    )
    second = desk.people.sign_in("it.second", "quiet-harbor-2026!")
    desk.close()
    before = _digest(data / "cases.db")
    with pytest.raises(AccountError, match="made before this desk had accounts.*A. ADMIN #900 .admin. must restore it"):
        desk.copies.restore(second, OLD / "schema-m003.db")
    assert _digest(data / "cases.db") == before


def test_signing_begins_at_the_restore_and_verify_names_it(tmp_path: Path) -> None:
    data, desk = _restored_from_before_accounts(tmp_path)
    with desk:
        check = desk.log.verify(_people(desk, "m003")[0])
        assert check.ok, check.problems
        restore_seq = _seq_of_last(data, "restore")
        assert any(f"after entry {restore_seq - 1}" in note for note in check.notes), check.notes


def test_stripping_what_was_signed_after_the_restore_is_caught(tmp_path: Path) -> None:
    """An insider strips every signature after the restore and recomputes each hash as the code does."""
    from tests.unit.verify.insider import raw, rechain

    data, desk = _restored_from_before_accounts(tmp_path)
    with desk:
        _admin, officer = _people(desk, "m003")
        desk.cases.record(officer, desk.decide(S01), confirmed=SAME_BOOKING)
    restore_seq = _seq_of_last(data, "restore")
    with raw(data / "cases.db") as conn:
        conn.execute("UPDATE audit_log SET signer = NULL, signature = NULL WHERE seq > ?", [restore_seq])
        rechain(conn)
    with Desk(data, clock=Clock(dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC))) as after:
        check = after.log.verify(_people(after, "m003")[0])
        assert not check.ok
        assert "sign" in check.problems[0], check.problems


def _seq_of_last(data: Path, kind: str) -> int:
    conn = sqlite3.connect(data / "cases.db")
    try:
        return int(conn.execute("SELECT max(seq) FROM audit_log WHERE kind = ?", [kind]).fetchone()[0])
    finally:
        conn.close()
