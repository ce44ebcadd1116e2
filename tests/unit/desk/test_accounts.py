"""People at a shared desk: set-up, sign-in and lockout, roles and the two-person rule, the audit of access,
signed entries that a rewrite cannot fake, and receipts that catch deleted entries. Real SQLite files."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

import desktop.signing
from desktop.desk import Desk, system_clock
from desktop.desk.accounts import SignInError
from desktop.records import Actor, EventKind, Status
from desktop.store import CaseQuery, open_store
from desktop.store.errors import AccountError, NotSignedIn
from desktop.store.hashing import GENESIS_HASH, entry_hash, record_hash
from desktop.store.rows import record_fields
from tests.conftest import Clock
from tests.unit.cli_run import S01
from tests.unit.desk.people import PASSWORDS, SAME_BOOKING, staffed_desk

REFERRED = {**S01, "documents": [{"kind": "state_court_order", "signer": "state_judge", "verified": True}]}


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch):
    # Accounts made here use a cheaper scrypt (its parameters are stored with each password, so
    # sign-in uses the same); the app itself always uses desktop.signing.SCRYPT_N.
    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)


@pytest.fixture
def staff(tmp_path: Path):
    people = staffed_desk(tmp_path / "data")
    yield people
    people.desk.close()


def kinds(desk: Desk) -> list[str]:
    return [e.kind for e in reversed(desk._store.audit_entries(limit=10_000))]


def test_the_first_start_sets_up_an_admin_and_no_second_root(tmp_path: Path) -> None:
    desk = Desk(tmp_path / "data", clock=system_clock)
    assert desk.people.needs_setup()
    with pytest.raises(AccountError, match="at least 10 characters"):
        desk.people.setup(username="admin", name="A. ADMIN", badge="900", password="short")
    admin = desk.people.setup(username="admin", name="A. ADMIN", badge="900", password=PASSWORDS["admin"])
    assert admin.has_role("admin") and admin.signer is not None
    assert not desk.people.needs_setup() and desk.people.admin_fingerprint()
    with pytest.raises(AccountError, match="already has accounts"):
        desk.people.setup(username="other", name="B. OTHER", badge="901", password=PASSWORDS["admin"])
    check = desk.log.verify(admin)
    assert check.ok, check.problems
    desk.close()


def test_five_failures_lock_the_account_until_an_admin_unlocks_it(staff) -> None:
    desk = staff.desk
    for attempt in range(4):
        with pytest.raises(SignInError, match="wrong"):
            desk.people.sign_in("ofc.smith", f"not-the-password-{attempt}")
    with pytest.raises(SignInError, match="now locked"):
        desk.people.sign_in("ofc.smith", "not-the-password-5")
    with pytest.raises(SignInError, match="locked"):
        desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"])  # the right password no longer opens it
    staff.clock.advance(hours=2)
    with pytest.raises(SignInError, match="locked"):  # time does not release it: only an admin does
        desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"])
    with pytest.raises(AccountError, match="admin role"):
        desk.people.change_user(staff.supervisor, "ofc.smith", unlock=True)
    desk.people.change_user(staff.admin, "ofc.smith", unlock=True)
    assert desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"]).username == "ofc.smith"
    assert kinds(desk).count(EventKind.SIGN_IN_FAILED) == 7
    assert desk.log.verify(staff.admin).ok


def test_failures_more_than_15_minutes_apart_do_not_add_up(staff) -> None:
    for _ in range(4):
        with pytest.raises(SignInError):
            staff.desk.people.sign_in("ofc.chen", "not-the-password")
    staff.clock.advance(minutes=16)
    with pytest.raises(SignInError, match="user name or password is wrong"):
        staff.desk.people.sign_in("ofc.chen", "not-the-password")
    assert staff.desk.people.sign_in("ofc.chen", PASSWORDS["ofc.chen"]).username == "ofc.chen"


def test_an_unknown_user_and_a_disabled_account_are_refused_and_audited(staff) -> None:
    with pytest.raises(SignInError, match="user name or password is wrong"):
        staff.desk.people.sign_in("nobody", "whatever-password")
    staff.desk.people.change_user(staff.admin, "ofc.chen", disabled=True)
    with pytest.raises(SignInError, match="disabled"):
        staff.desk.people.sign_in("ofc.chen", PASSWORDS["ofc.chen"])
    failed = staff.desk.log.entries(staff.admin, kind=EventKind.SIGN_IN_FAILED, audit=False)
    assert {e.actor for e in failed} == {"UNKNOWN USER #-", "L. CHEN #1203"}


def test_no_one_can_write_as_someone_else_once_accounts_exist(staff) -> None:
    typed = Actor.parse("J. SMITH #1234")  # the name and badge, typed: no key behind them
    with pytest.raises(NotSignedIn):
        staff.desk.cases.record(typed, staff.desk.decide(S01), confirmed=SAME_BOOKING)
    with pytest.raises(NotSignedIn):
        staff.desk._store.log_event(None, EventKind.MEMO, "J. SMITH #1234", "made up")


def test_roles_and_the_two_person_rule(staff) -> None:
    desk = staff.desk
    saved = desk.cases.record(staff.officer, desk.decide(REFERRED), confirmed=SAME_BOOKING)
    assert saved.status == Status.REFERRED
    with pytest.raises(AccountError, match="supervisor role"):
        desk.cases.resolve(staff.other_officer, saved.case_number, outcome="declined")
    own = desk.cases.record(staff.supervisor, desk.decide(REFERRED), confirmed=SAME_BOOKING)
    with pytest.raises(AccountError, match="did not record it"):
        desk.cases.resolve(staff.supervisor, own.case_number, outcome="declined")
    with pytest.raises(AccountError, match="did not record it"):  # not through amend either
        desk.cases.amend(staff.supervisor, own.case_number, desk.decide(REFERRED), reason="x", status=Status.RESOLVED)
    resolved = desk.cases.resolve(staff.supervisor, saved.case_number, outcome="Solicitor: declined")
    assert resolved.status == Status.RESOLVED and resolved.officer == "SGT. K. JONES #77"
    assert desk.cases.waiting_on(staff.supervisor, own.case_number) == (
        "recorded by SGT. K. JONES #77; waits for a supervisor other than SGT. K. JONES #77"
    )
    with pytest.raises(AccountError, match="officer or supervisor"):
        desk.cases.record(staff.admin, desk.decide(S01), confirmed=SAME_BOOKING)  # IT's admin account records no cases
    with pytest.raises(AccountError, match="admin role"):
        desk.people.add_user(
            staff.supervisor, username="x.y", name="X", badge="5", roles=frozenset({"officer"}), password="pw-xxxxxxxx1"
        )


def test_every_view_search_preview_and_print_is_audited_and_verify_still_passes(staff, tmp_path: Path) -> None:
    desk, officer = staff.desk, staff.officer
    decided = desk.decide(S01)
    desk.paper.draft_memo(officer, decided)
    saved = desk.cases.record(officer, decided, confirmed=SAME_BOOKING)
    desk.cases.open(officer, saved.case_number)
    desk.cases.audit_search(officer, CaseQuery(text="26-000187", code="NO_HOLD"))
    desk.paper.print_memo(officer, saved.case_number, target=tmp_path / "memo.pdf", no_encrypt=True)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(AccountError, match="export memos"):  # an officer prints a memo; exports are a supervisor's
        desk.paper.export_memos(officer, out, no_encrypt=True)
    desk.paper.export_memos(staff.supervisor, out, no_encrypt=True)
    entries = desk.log.entries(staff.supervisor, user="ofc.smith")
    seen = [e.kind for e in reversed(entries)]
    assert seen[-6:] == ["sign_in", "preview", "recorded", "view", "search", "memo"], seen
    exported = desk.log.entries(staff.supervisor, user="sgt.jones", kind=EventKind.MEMO, audit=False)
    assert [e.detail.split(";")[0] for e in exported] == [f"memo of version 1 saved as {saved.case_number}-v1.pdf"]
    search = next(e for e in entries if e.kind == EventKind.SEARCH)
    assert "26-000187" in search.detail and "NO_HOLD" in search.detail
    assert all(e.signer for e in entries)
    assert kinds(desk)[-1] == EventKind.AUDIT_VIEW  # looking at the audit log is audited too
    check = desk.log.verify(staff.admin)
    assert check.ok, check.problems
    assert check.entries_checked == len(kinds(desk))


def test_no_password_or_private_key_is_in_the_file_in_clear(staff) -> None:
    desk = staff.desk
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    raw_keys = [actor.signer.raw() for actor in (staff.admin, staff.supervisor, staff.officer, staff.other_officer)]
    desk.close()
    blob = b"".join(p.read_bytes() for p in desk.data_dir.glob("cases.db*"))
    for password in PASSWORDS.values():
        assert password.encode() not in blob
    for raw in raw_keys:
        assert raw not in blob and raw.hex().encode() not in blob


def rewrite_case(path: Path, case_number: str) -> None:
    """What an insider who read the code can do: drop the triggers, edit the decision and the officer's
    name, recompute every record and entry hash with the project's own functions, restore the triggers."""
    raw = sqlite3.connect(path)
    raw.row_factory = sqlite3.Row
    triggers = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for t in triggers:
        raw.execute(f"DROP TRIGGER {t['name']}")
    row = dict(raw.execute("SELECT * FROM case_versions WHERE case_number = ?", [case_number]).fetchone())
    decision = json.loads(row["decision_json"])
    decision["responses"][0]["instruction"] = "HOLD the person for ICE for up to 48 hours."
    row["decision_json"] = json.dumps(decision, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    row["officer"] = "L. CHEN #1203"
    new_hash = record_hash(record_fields(row))
    raw.execute(
        "UPDATE case_versions SET decision_json = ?, officer = ?, record_hash = ? WHERE id = ?",
        [row["decision_json"], row["officer"], new_hash, row["id"]],
    )
    raw.execute(
        "UPDATE audit_log SET record_hash = ?, actor = ? WHERE record_hash = ?",
        [new_hash, "L. CHEN #1203", row["record_hash"]],
    )
    prev = GENESIS_HASH
    for entry in [dict(r) for r in raw.execute("SELECT * FROM audit_log ORDER BY seq")]:
        digest = entry_hash(prev, entry)
        raw.execute("UPDATE audit_log SET prev_hash = ?, entry_hash = ? WHERE seq = ?", [prev, digest, entry["seq"]])
        prev = digest
    raw.execute("DELETE FROM case_index")  # the search projection is rebuilt below, as the code does
    raw.commit()
    for t in triggers:
        raw.execute(t["sql"])
    raw.commit()
    raw.close()


def test_a_rewrite_with_every_hash_recomputed_is_caught_by_the_signatures(staff) -> None:
    desk = staff.desk
    saved = desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    desk.cases.record(staff.other_officer, desk.decide(S01), confirmed=SAME_BOOKING)
    path = desk._store.path
    desk.close()
    rewrite_case(path, saved.case_number)
    desk._store.rebuild_index()
    check = desk.log.verify(staff.admin)
    assert not check.ok
    broken = [p for p in check.problems if "broken signature" in p]
    assert broken, check.problems
    recorded_seq = next(e.seq for e in desk._store.audit_entries(case_number=saved.case_number) if e.kind == "recorded")
    assert any(p.startswith(f"audit entry {recorded_seq} ") for p in check.problems), check.problems
    assert any("names someone other than the owner" in p for p in check.problems)


def test_the_desk_key_cannot_vouch_for_a_case(staff) -> None:
    desk = staff.desk
    # An insider who copies keys/desk.key signs a record entry with it: verify refuses the kind.
    as_desk = Actor("J. SMITH", "1234", signer=desk._store.desk_signer)
    desk._store.log_event(None, EventKind.MEMO, as_desk, "forged")
    check = desk.log.verify(staff.admin)
    assert any("desk's own key" in p for p in check.problems), check.problems


def test_an_edited_accounts_table_and_a_made_up_admin_are_caught(staff) -> None:
    desk = staff.desk
    path = desk._store.path
    desk.close()
    raw = sqlite3.connect(path)
    raw.execute("UPDATE accounts SET roles = 'admin,officer' WHERE username = 'ofc.chen'")
    raw.commit()
    raw.close()
    check = desk.log.verify(staff.admin)
    assert any("account ofc.chen" in p and "certificate" in p for p in check.problems), check.problems


def test_a_receipt_catches_deleted_newest_entries(staff, tmp_path: Path) -> None:
    desk = staff.desk
    for _ in range(3):
        desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    receipt = desk.log.write_receipt(staff.supervisor, tmp_path / "receipt.json")
    assert desk.log.verify_receipt(staff.admin, receipt).ok
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    assert desk.log.verify_receipt(staff.admin, receipt).ok  # later entries are fine: the head is still there
    path = desk._store.path
    desk.close()
    raw = sqlite3.connect(path)
    for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        raw.execute(f"DROP TRIGGER {name}")
    top = raw.execute("SELECT MAX(seq) FROM audit_log").fetchone()[0]
    cut = json.loads(receipt.read_text())["entries"] - 1
    raw.execute("DELETE FROM audit_log WHERE seq > ?", [cut])
    raw.execute("DELETE FROM case_versions WHERE case_number NOT IN (SELECT case_number FROM audit_log)")
    raw.commit()
    raw.close()
    assert cut < top
    checked = desk.log.verify_receipt(staff.admin, receipt)
    assert not checked.ok and "deleted" in checked.verdict
    forged = json.loads(receipt.read_text())
    forged["entries"] = cut
    (tmp_path / "forged.json").write_text(json.dumps(forged))
    assert "altered" in desk.log.verify_receipt(staff.admin, tmp_path / "forged.json").verdict


def test_an_old_log_keeps_its_unsigned_records_and_signs_from_set_up_on(tmp_path: Path) -> None:
    clock = Clock(dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC))
    typed = Actor.parse("J. SMITH #1234")
    decided = Desk(tmp_path / "data", clock=clock).decide(S01)
    with open_store(tmp_path / "data", now=clock()) as old:  # a log from before accounts: an unsigned record
        before = old.record(decided.intake, decided.decision, decided.pack, officer=typed, now=clock())
    desk = Desk(tmp_path / "data", clock=clock)
    admin = desk.people.setup(username="admin", name="A. ADMIN", badge="900", password=PASSWORDS["admin"])
    desk.people.add_user(
        admin,
        username="ofc.smith",
        name="J. SMITH",
        badge="1234",
        roles=frozenset({"officer"}),
        password=PASSWORDS["ofc.smith"],
    )
    officer = desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"])
    desk.cases.record(officer, desk.decide(S01), confirmed=SAME_BOOKING)
    entries = list(reversed(desk._store.audit_entries(limit=100)))
    assert entries[0].case_number == before.case_number and entries[0].signer is None
    assert all(e.signer for e in entries[1:])
    check = desk.log.verify(admin)
    assert check.ok, check.problems
    desk.close()


def test_a_stripped_signature_is_caught(staff) -> None:
    desk = staff.desk
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    path = desk._store.path
    desk.close()
    raw = sqlite3.connect(path)
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("UPDATE audit_log SET signature = NULL, signer = NULL WHERE kind = 'recorded'")
    raw.commit()
    raw.close()
    check = desk.log.verify(staff.admin)
    assert any("not signed" in p for p in check.problems), check.problems


def test_a_second_factor_once_enrolled_is_asked_for(staff) -> None:
    import pyotp

    desk = staff.desk
    secret, uri = desk.people.enrol_second_factor(staff.officer, PASSWORDS["ofc.smith"])
    assert uri.startswith("otpauth://totp/")
    with pytest.raises(SignInError, match="code"):
        desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"])
    code = pyotp.TOTP(secret).at(staff.clock())
    assert desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"], code=code).username == "ofc.smith"
    desk.people.change_password(staff.officer, PASSWORDS["ofc.smith"], "a-new-password-99")
    staff.clock.advance(seconds=30)  # a code is good once (RFC 6238 section 5.2): the next step's code
    code = pyotp.TOTP(secret).at(staff.clock())
    again = desk.people.sign_in("ofc.smith", "a-new-password-99", code=code)
    assert again.signer.key_id == staff.officer.signer.key_id  # the same key: old signatures stay theirs


def test_a_password_reset_gives_a_new_certified_key(staff) -> None:
    desk = staff.desk
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    desk.people.change_user(staff.admin, "ofc.smith", new_password="reset-by-admin-42")
    after = desk.people.sign_in("ofc.smith", "reset-by-admin-42")
    assert after.signer.key_id != staff.officer.signer.key_id
    desk.cases.record(after, desk.decide(S01), confirmed=SAME_BOOKING)
    assert desk.log.verify(staff.admin).ok


def test_every_memo_page_carries_the_admin_key_and_checks_against_the_log(staff, tmp_path: Path) -> None:
    from pypdf import PdfReader

    desk = staff.desk
    saved = desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    memo = desk.paper.print_memo(staff.officer, saved.case_number, target=tmp_path / "memo.pdf", no_encrypt=True)
    fingerprint = desk.people.admin_fingerprint()
    assert fingerprint
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(memo).pages]
    assert all(fingerprint in page for page in pages), pages[0][-300:]
    check = desk.paper.verify_memo(staff.officer, memo)
    assert check.matches, check.verdict
