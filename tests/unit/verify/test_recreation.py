"""Whole-log re-creation: a new log under a new first admin, the genuine accounts grafted back (so everyone
keeps their password and notices nothing), put in place of the real one. Every check inside the file passes:
it is a good log, just not this desk's. Only the first admin's fingerprint differs, and the fingerprint
pinned on the PC at install (or the paper from set-up, given to `verify --expect-fingerprint`) catches it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from desktop.desk import Desk
from desktop.desk.accounts import DESK_KEY_FILE
from desktop.signing import Signer
from tests.conftest import Clock
from tests.unit.cli_run import S01, invoke
from tests.unit.desk.people import PASSWORDS, SAME_BOOKING, Staff


def recreate(staff: Staff, scratch: Path) -> None:
    """The insider's new log: set up under a root they hold, the genuine officers grafted back, a case recorded
    by a genuine officer (with their own password), then swapped in for cases.db under the same log id."""
    genuine = staff.desk
    officers = [genuine._store.account(name) for name in ("sgt.jones", "ofc.smith", "ofc.chen")]
    publics = [genuine._store.public_key(account.key_id) for account in officers]
    log_id = genuine._store.meta_value("log_id")
    genuine.close()
    fake = Desk(scratch, clock=Clock(staff.clock()))
    root = fake.people.setup(username="admin", name="A. ADMIN", badge="900", password="insiders-own-root-1")
    for account, public in zip(officers, publics, strict=True):
        fake._store.create_account(
            account, public, by=root.actor, certifier=root.signer, detail=f"account {account.username} created"
        )
    smith = fake.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"])  # the genuine password opens it
    fake.cases.record(smith, fake.decide(S01), confirmed=SAME_BOOKING)
    fake._store._conn.execute("UPDATE meta SET value = ? WHERE key = 'log_id'", [log_id])
    fake._store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    fake.close()
    for suffix in ("-wal", "-shm"):
        Path(str(genuine.log_file) + suffix).unlink(missing_ok=True)
    shutil.copyfile(scratch / "cases.db", genuine.log_file)
    shutil.copyfile(scratch / DESK_KEY_FILE, genuine.data_dir / DESK_KEY_FILE)  # its desk key too, or the desk says so


def test_a_re_created_log_is_caught_by_the_fingerprint_pinned_at_install(staff, outside: Path, tmp_path) -> None:
    genuine = staff.desk.people.admin_fingerprint()
    (outside / "admin-fingerprint").write_text(genuine + "\n")  # what setup.exe / the MSI wrote at install
    recreate(staff, tmp_path / "scratch")
    desk = Desk(staff.desk.data_dir, clock=staff.clock)
    try:
        officer = desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"])
        check = desk.log.verify(officer)
        assert check.admin_fingerprint != genuine
        assert not check.ok
        assert any("IS NOT THE ONE PINNED ON THIS PC" in p and genuine in p for p in check.problems), check.problems
        assert desk._store.audit_entries(limit=1)[0].kind != "verify"  # no "verified" entry in a log not this desk's
        # and the window's start says so, before anyone signs in
        start = desk.people.root_check()
        assert start.differs and not start.ok
    finally:
        desk.close()


def test_a_re_created_log_is_caught_by_the_paper_from_set_up(staff, tmp_path) -> None:
    genuine = staff.desk.people.admin_fingerprint()
    recreate(staff, tmp_path / "scratch")
    desk = Desk(staff.desk.data_dir, clock=staff.clock)
    try:
        officer = desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"])
        plain = desk.log.verify(officer)
        assert plain.ok, plain.problems  # nothing inside the file can tell
        check = desk.log.verify(officer, expect_fingerprint=genuine.replace(" ", "").lower())
        assert not check.ok and "is not the one expected" in check.problems[0]
    finally:
        desk.close()


def test_verify_expect_fingerprint_at_the_command_line(staff, tmp_path) -> None:
    import os

    genuine = staff.desk.people.admin_fingerprint()
    staff.desk.close()
    env = {
        **os.environ,
        "SAFEDESK_DATA_DIR": str(staff.desk.data_dir),
        "SAFEDESK_USER": "ofc.smith",
        "SAFEDESK_PASSWORD": PASSWORDS["ofc.smith"],
    }
    same = invoke(env, "verify", "--expect-fingerprint", genuine)
    assert same.returncode == 0, same.stdout + same.stderr
    assert "the admin key is the one expected" in same.stdout
    other = Signer.generate().key_id
    differs = invoke(env, "verify", "--expect-fingerprint", other)
    assert differs.returncode == 1 and differs.stdout.startswith("FAILED: the admin key of this log")
    recreate(staff, tmp_path / "scratch")
    assert invoke(env, "verify", "--expect-fingerprint", genuine).returncode == 1


def test_a_log_stripped_of_its_accounts_fails_where_a_key_is_pinned(staff, outside: Path) -> None:
    from tests.unit.verify.insider import raw, strip_signatures

    desk = staff.desk
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    (outside / "admin-fingerprint").write_text(desk.people.admin_fingerprint())
    desk.close()
    with raw(desk.log_file) as conn:  # nothing left of accounts: a log that looks as old as the first release
        for table in ("accounts", "key_certificates", "signing_keys"):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("DELETE FROM audit_log WHERE kind NOT IN ('recorded', 'amended')")
        for number, (seq,) in enumerate(conn.execute("SELECT seq FROM audit_log ORDER BY seq").fetchall(), start=1):
            conn.execute("UPDATE audit_log SET seq = ? WHERE seq = ?", [number, seq])
        strip_signatures(conn)
    fresh = Desk(desk.data_dir, clock=Clock(dt.datetime(2026, 3, 2, 16, tzinfo=dt.UTC)))
    try:
        assert fresh.people.needs_setup()
        start = fresh.people.root_check()
        assert not start.ok and "THIS LOG HAS NO ADMIN KEY" in start.problems[0]
        report = fresh._store.verify()
        assert report.ok  # inside the file, nothing is left to check a signature against
    finally:
        fresh.close()


def test_the_pin_is_for_this_pcs_desk_log_only(staff, outside: Path, tmp_path) -> None:
    # A log opened elsewhere (the self-test's, a copy on a stick) is not the one set up here: its admin key is
    # compared with the paper it came with, and the pin is said to be another log's.
    (outside / "admin-fingerprint").write_text(staff.desk.people.admin_fingerprint())
    elsewhere = Desk(tmp_path / "stick", clock=staff.clock)
    try:
        admin = elsewhere.people.setup(username="admin", name="A. ADMIN", badge="900", password=PASSWORDS["admin"])
        check = elsewhere.log.verify(admin)
        assert check.ok, check.problems
        assert any("the admin key pinned on this PC is its desk log's" in n for n in check.notes), check.notes
        assert elsewhere.people.root_check().ok
    finally:
        elsewhere.close()
