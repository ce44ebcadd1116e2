"""Backdating. An entry dated well before the one before it is named (a warning: a PC clock set back looks the
same, and a log is never rewritten to mend one, so it must not fail every verify after); a version or a
certificate dated otherwise than the entry written with it, in one reading of the clock, is a failure."""

from __future__ import annotations

import os

from desktop.signing import certificate_message
from desktop.store.hashing import record_hash
from desktop.store.rows import record_fields
from tests.unit.cli_run import S01, invoke
from tests.unit.desk.people import PASSWORDS, SAME_BOOKING
from tests.unit.verify.insider import raw, rechain

REFERRED = {**S01, "documents": [{"kind": "state_court_order", "signer": "state_judge", "verified": True}]}


def test_a_record_and_a_resolution_backdated_by_months_are_named(staff) -> None:
    desk, clock = staff.desk, staff.clock
    referred = desk.cases.record(staff.officer, desk.decide(REFERRED), confirmed=SAME_BOOKING)
    clock.advance(days=300)
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    clock.advance(days=-270)  # the supervisor sets the PC's clock back 9 months and resolves
    desk.cases.resolve(staff.supervisor, referred.case_number, outcome="declined")
    clock.advance(days=300)
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    clock.advance(days=-400)  # the officer sets it back 13 months and records
    backdated = desk.cases.record(staff.officer, desk.decide(S01), confirmed=(*SAME_BOOKING, "future"))
    check = desk.log.verify(staff.admin)
    assert check.ok, check.problems  # a warning for a person to look at, not a failure
    entries = {(e.case_number, e.kind): e.seq for e in desk._store.audit_entries(limit=100)}
    resolved = entries[(referred.case_number, "amended")]
    recorded = entries[(backdated.case_number, "recorded")]
    assert any(w.startswith(f"audit entry {resolved} (amended)") and "270 days before" in w for w in check.warnings)
    assert any(w.startswith(f"audit entry {recorded} (recorded)") and "400 days before" in w for w in check.warnings)
    staff.desk.close()
    env = {
        **os.environ,
        "SAFEDESK_DATA_DIR": str(desk.data_dir),
        "SAFEDESK_USER": "ofc.smith",
        "SAFEDESK_PASSWORD": PASSWORDS["ofc.smith"],
    }
    said = invoke(env, "verify")
    assert f"WARNING: audit entry {recorded} (recorded)" in said.stdout, said.stdout


def test_a_version_dated_otherwise_than_its_entry_fails(staff) -> None:
    # The officer rewrites their own newest version as recorded 9 months earlier, recomputes its hash and the
    # entry's, and signs the entry again with their own key: every signature holds.
    desk = staff.desk
    saved = desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    desk.close()
    with raw(desk.log_file) as conn:
        row = dict(conn.execute("SELECT * FROM case_versions WHERE case_number = ?", [saved.case_number]).fetchone())
        row["recorded_at"] = "2025-06-02T15:00:00.000000+00:00"
        digest = record_hash(record_fields(row))
        conn.execute(
            "UPDATE case_versions SET recorded_at = ?, record_hash = ? WHERE id = ?",
            [row["recorded_at"], digest, row["id"]],
        )
        conn.execute("UPDATE audit_log SET record_hash = ? WHERE record_hash = ?", [digest, saved.record_hash])
        conn.execute("DELETE FROM case_index")
        rechain(conn, {staff.officer.signer.key_id: staff.officer.signer})
    desk._store.rebuild_index()
    check = desk.log.verify(staff.admin)
    assert not check.ok
    assert any("the version was backdated" in p for p in check.problems), check.problems


def test_a_certificate_dated_otherwise_than_its_entry_fails(staff) -> None:
    # An admin (the insider holds their own key) dates an account's certificate 18 months back and signs it again.
    desk = staff.desk
    admin = staff.admin.signer
    desk.close()
    with raw(desk.log_file) as conn:
        row = dict(conn.execute("SELECT * FROM key_certificates WHERE label = 'L. CHEN #1203'").fetchone())
        row["at"] = "2024-09-02T15:00:00.000000+00:00"
        public = conn.execute("SELECT public_key FROM signing_keys WHERE key_id = ?", [row["key_id"]]).fetchone()[0]
        try:
            from desktop.store.accounts import Certificate

            fields = Certificate.from_row(row).fields(public)
        except ImportError:  # the program before certificates named their entry
            from desktop.store.accounts import certificate_fields

            fields = certificate_fields(
                row["key_id"], row["label"], row["roles"], row["certified_by"], row["at"], public
            )
        signature = admin.sign(certificate_message(fields)).hex()
        conn.execute(
            "UPDATE key_certificates SET at = ?, signature = ? WHERE id = ?", [row["at"], signature, row["id"]]
        )
    check = desk.log.verify(staff.admin)
    assert not check.ok
    assert any("(the certificate was backdated)" in p for p in check.problems), check.problems


def test_a_clock_a_minute_back_is_no_warning(staff) -> None:
    desk, clock = staff.desk, staff.clock
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    clock.advance(minutes=-4)  # a time server's correction
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    check = desk.log.verify(staff.admin)
    assert check.ok and not check.warnings
