"""The desk's own key (keys/desk.key, readable by anyone who can use the data folder) signs only the program's
own entries. Its kind is what its certificate says: flipping signing_keys.kind lets it sign neither a case nor a
resolution, nor makes `verify` blame the next innocent failed sign-in; and it signs no receipt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.records import Actor, Status
from desktop.signing import receipt_message
from tests.unit.cli_run import S01
from tests.unit.desk.people import SAME_BOOKING
from tests.unit.verify.insider import raw, rechain

REFERRED = {**S01, "documents": [{"kind": "state_court_order", "signer": "state_judge", "verified": True}]}


def test_a_flipped_kind_lets_the_desk_key_sign_no_case_and_no_resolution(staff, monkeypatch) -> None:
    desk = staff.desk
    store = desk._store
    desk_key = store.desk_signer
    label = next(
        iter(
            r[0] for r in store._conn.execute("SELECT label FROM key_certificates WHERE key_id = ?", [desk_key.key_id])
        )
    )
    referred = desk.cases.record(staff.officer, desk.decide(REFERRED), confirmed=SAME_BOOKING)
    store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with raw(store.path) as conn:  # one SQL edit
        conn.execute("UPDATE signing_keys SET kind = 'account' WHERE key_id = ?", [desk_key.key_id])
    monkeypatch.setattr("desktop.store.chain.check_standing", lambda *_args: None, raising=False)
    as_desk = Actor("SGT. K. JONES", "77", roles=frozenset({"supervisor"}), signer=desk_key)
    decided = desk.decide(S01)
    store.record(decided.intake, decided.decision, decided.pack, officer=as_desk)  # a new case
    again = desk.decide(REFERRED)
    store.amend(
        referred.case_number,
        again.intake,
        again.decision,
        again.pack,
        officer=as_desk,
        reason="declined",
        status=Status.RESOLVED,
    )  # a resolution
    forged = [r[0] for r in store._conn.execute("SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 2")]
    desk.close()
    with raw(desk.log_file) as conn:  # named as the key's certificate names it, re-signed with the desk key
        conn.execute(f"UPDATE audit_log SET actor = ? WHERE seq IN ({forged[0]}, {forged[1]})", [label])
        rechain(conn, {desk_key.key_id: desk_key})
    check = desk.log.verify(staff.admin)
    assert not check.ok
    for seq in forged:
        assert any(p.startswith(f"audit entry {seq} ") and "desk's own key" in p for p in check.problems), (
            check.problems
        )
    assert any("kept as a key of kind account, but its certificate says desk" in p for p in check.problems)
    # the next mistyped password is signed by the desk key too: it is not blamed
    with pytest.raises(Exception, match="wrong"):
        desk.people.sign_in("ofc.chen", "not-the-password")
    failed = desk._store.audit_entries(kind="sign_in_failed", limit=1)[0].seq
    again_check = desk.log.verify(staff.admin)
    assert not any(p.startswith(f"audit entry {failed} ") for p in again_check.problems), again_check.problems


def test_the_desk_key_signs_no_receipt(staff, tmp_path: Path) -> None:
    desk = staff.desk
    store = desk._store
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    key = store.desk_signer
    head = store.chain_head()
    fields = {
        "format": "safedesk-receipt-1",
        "chain_head": head,
        "entries": store.chain_position(head),
        "at": "2026-03-02T15:00:00+00:00",
        "desk": "desk here",
        "key_id": key.key_id,
    }
    receipt = {**fields, "public_key": key.public.hex(), "signature": key.sign(receipt_message(fields)).hex()}
    path = tmp_path / "desk-signed.receipt.json"
    path.write_text(json.dumps(receipt))
    check = desk.log.verify_receipt(staff.admin, path)
    assert not check.ok and "desk's own key" in check.verdict


def test_a_receipt_names_who_signed_it_and_an_officer_needs_to_be_signed_in(staff, tmp_path: Path) -> None:
    from desktop.desk.receipts import write_receipt
    from desktop.store.errors import InvalidInput

    desk = staff.desk
    path = desk.log.write_receipt(staff.officer, tmp_path / "r.json")
    check = desk.log.verify_receipt(staff.supervisor, path)
    assert check.ok and "signed by J. SMITH #1234 (ofc.smith)" in check.verdict
    with pytest.raises(InvalidInput, match="desk's own key signs no receipt"):
        write_receipt(desk._store, tmp_path / "x.json", actor=Actor("J. SMITH", "1234"), desk="d", now=staff.clock())


def test_a_receipt_signed_by_a_key_the_insider_certified_themselves_is_refused(staff, tmp_path: Path) -> None:
    # Two keys of the insider's making, one certifying the other (signatures that check out), and a receipt entry
    # signed by the second: no chain of certificates leads back to the first admin, so the receipt is refused.
    from desktop.signing import Signer, certificate_message, entry_message
    from desktop.store.accounts import Certificate
    from desktop.store.hashing import entry_hash

    desk = staff.desk
    maker, signer = Signer.generate(), Signer.generate()
    desk.close()
    with raw(desk.log_file) as conn:
        for key in (maker, signer):
            conn.execute(
                "INSERT INTO signing_keys (key_id, owner, kind, public_key, created_at)"
                " VALUES (?, 'ofc.ghost', 'account', ?, ?)",
                [key.key_id, key.public.hex(), "2026-03-02T15:00:00.000000+00:00"],
            )
        last = conn.execute("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        at = "2026-03-02T15:00:00.000000+00:00"
        cert = Certificate(
            signer.key_id, "G. HOST #6666", "officer", maker.key_id, at, "ofc.ghost", "account", last[0] + 1
        )
        conn.execute(
            "INSERT INTO key_certificates (key_id, label, roles, certified_by, at, signature, owner, kind, entry)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                cert.key_id,
                cert.label,
                cert.roles,
                cert.certified_by,
                at,
                maker.sign(certificate_message(cert.fields(signer.public.hex()))).hex(),
                "ofc.ghost",
                "account",
                last[0] + 1,
            ],
        )
        entry = {
            "seq": last[0] + 1,
            "at": at,
            "kind": "receipt",
            "case_number": None,
            "version": None,
            "actor": "G. HOST #6666",
            "detail": "receipt written to r.json",
            "record_hash": None,
            "signer": signer.key_id,
            "state": None,
        }
        digest = entry_hash(last[1], entry)
        conn.execute(
            "INSERT INTO audit_log (seq, at, kind, actor, detail, prev_hash, entry_hash, signer, signature)"
            " VALUES (?, ?, 'receipt', ?, ?, ?, ?, ?, ?)",
            [
                entry["seq"],
                at,
                entry["actor"],
                entry["detail"],
                last[1],
                digest,
                signer.key_id,
                signer.sign(entry_message(digest)).hex(),
            ],
        )
    fields = {
        "format": "safedesk-receipt-1",
        "chain_head": digest,
        "entries": entry["seq"],
        "at": at,
        "desk": "d",
        "key_id": signer.key_id,
    }
    path = tmp_path / "ghost.receipt.json"
    path.write_text(
        json.dumps(
            {**fields, "public_key": signer.public.hex(), "signature": signer.sign(receipt_message(fields)).hex()}
        )
    )
    check = desk.log.verify_receipt(staff.admin, path)
    assert not check.ok and "does not know or trust" in check.verdict
