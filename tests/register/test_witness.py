"""The register as each desk's outside witness; a desk restored from a backup, accepted as a branch.

A cosignature recorded by `witness` lets the desk say which head an outside witness holds; a log cut
back past it is caught by the desk itself. A restored desk meets the register as a fork, and an admin
accepts its new branch in a signed register entry that keeps both histories.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.desk.bundle_file import BundleError
from desktop.register import ImportRefused, Register, RegisterRefused
from desktop.register.importer import ForkRefused
from tests.register import attacks
from tests.register.conftest import NOW, PASSPHRASE, Db, DeskCopy
from tests.register.test_import import bundle_of, record


@pytest.fixture
def jail(register_db: Db, desks: dict[str, DeskCopy]) -> DeskCopy:
    with Register(register_db.url(), clock=lambda: NOW) as register:
        desk = desks["hampshire-sheriff/jail-1"]
        register.enrol(desk.origin, desk.fingerprint(), passphrase=PASSPHRASE)
    return desk


def _import(register_db: Db, path: Path):  # type: ignore[no-untyped-def]
    with Register(register_db.url("t_importer"), clock=lambda: NOW) as register:
        return register.import_bundle(path, passphrase=PASSPHRASE)


def test_a_recorded_cosignature_names_the_witnessed_head(register_db: Db, jail: DeskCopy, tmp_path: Path) -> None:
    officer = jail.session("demo.martin")
    before = jail.desk.bundles.witnessed(officer)
    assert before.witnessed is None and "no register has cosigned this log yet" in before.words()
    result = _import(register_db, bundle_of(jail, tmp_path))
    witnessed = jail.desk.bundles.witness(officer, result.cosignature)
    assert witnessed.recorded and witnessed.size == result.to_seq and witnessed.register == "hampshire-county"
    check = jail.desk.bundles.witnessed(officer)
    assert (check.witnessed, check.head, check.problems) == (result.to_seq, result.head, ())
    assert check.unwitnessed == attacks.last_seq(jail.folder) - result.to_seq
    assert f"entry {result.to_seq}" in check.words() and "cosigned by hampshire-county" in check.words()
    again = jail.desk.bundles.witness(officer, result.cosignature)
    assert not again.recorded  # the same head twice is one witness
    verified = jail.desk.log.verify(officer)
    assert verified.ok, verified.problems


def test_a_cosignature_altered_or_for_another_log_is_refused(
    register_db: Db, jail: DeskCopy, desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    result = _import(register_db, bundle_of(jail, tmp_path))
    assert result.cosignature is not None
    data = json.loads(result.cosignature.read_text())
    officer = jail.session("demo.martin")
    forged = tmp_path / "forged.cosignature"
    forged.write_text(json.dumps({**data, "size": data["size"] - 1}))
    with pytest.raises(BundleError, match="the register's signature is broken"):
        jail.desk.bundles.witness(officer, forged)
    other = desks["northampton-pd/booking-1"]
    with pytest.raises(BundleError, match="cosignature of hampshire-sheriff/jail-1, not of this log"):
        other.desk.bundles.witness(other.session("demo.martin"), result.cosignature)
    assert jail.desk.bundles.witnessed(officer).witnessed is None


def test_truncation_past_the_witnessed_head_is_caught_by_the_desks_own_verify(
    register_db: Db, jail: DeskCopy, tmp_path: Path
) -> None:
    result = _import(register_db, bundle_of(jail, tmp_path))
    jail.desk.bundles.witness(jail.session("demo.martin"), result.cosignature)
    record(jail, 2)
    jail.desk.close()
    attacks.cut_after(jail.folder, result.to_seq - 3)  # the witness entry goes too: what is left still chains
    officer = jail.session("demo.martin")
    check = jail.desk.bundles.witnessed(officer)
    assert any(
        f"the register witnessed entry {result.to_seq}" in p and "entries were cut" in p for p in check.problems
    ), check.problems
    verified = jail.desk.log.verify(officer)
    assert not verified.ok and any("entries were cut" in p for p in verified.problems), verified.problems
    kept = jail.desk.bundles.check_cosignature(officer, result.cosignature)
    assert not kept.ok and "entries were cut" in kept.verdict


def test_a_restored_desk_is_a_fork_and_an_admin_accepts_its_branch_keeping_both(
    register_db: Db, desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    desk = desks["northampton-pd/booking-2"]
    with Register(register_db.url("t_admin"), clock=lambda: NOW) as admin:
        admin.enrol(desk.origin, desk.fingerprint(), passphrase=PASSPHRASE)
        backup = desk.desk.copies.backup(desk.session("demo.admin"), desk.folder / "before.db").path
        record(desk, 2)
        first = admin.import_bundle(bundle_of(desk, tmp_path, "first"), passphrase=PASSPHRASE)
        old_branch = register_db.count("entries")
        desk.desk.copies.restore(desk.session("demo.admin"), backup)
        record(desk, 1)
        restored = bundle_of(desk, tmp_path, "restored")
        with pytest.raises(ForkRefused):
            admin.import_bundle(restored, passphrase=PASSPHRASE)
        status = {(r["origin"], r["branch"]): r for r in admin.status()}
        assert status[(desk.origin, 1)]["forks"] == 1
        with Register(register_db.url("t_importer"), clock=lambda: NOW) as importer:
            with pytest.raises(RegisterRefused, match="t_importer may not accept"):
                importer.accept(desk.origin, restored, passphrase=PASSPHRASE)
        accepted = admin.accept(desk.origin, restored, passphrase=PASSPHRASE)
        assert accepted.branch == 2 and accepted.shared_entries == accepted.forked_at - 1
        assert accepted.imported.to_seq == attacks.last_seq(desk.folder) - 1
        rows = {(r["origin"], r["branch"]): r for r in admin.status()}
        assert rows[(desk.origin, 1)]["entries"] == first.to_seq and not rows[(desk.origin, 1)]["current"]
        assert rows[(desk.origin, 2)]["current"] and rows[(desk.origin, 2)]["entries"] == accepted.imported.to_seq
        assert register_db.count("entries") == old_branch + accepted.imported.to_seq  # both histories, whole
        journal = register_db.sql("SELECT kind, detail FROM safedesk.journal ORDER BY seq")
        assert journal[-1]["kind"] == "accept" and "branch 1 kept as it was" in str(journal[-1]["detail"])
        check = admin.verify()
        assert check.ok, check.problems
        # The restored desk goes on: its next bundle extends the new branch, and it records the witness.
        desk.desk.bundles.witness(desk.session("demo.martin"), accepted.imported.cosignature)  # type: ignore[arg-type]
        record(desk, 1)
        following = admin.import_bundle(bundle_of(desk, tmp_path, "next"), passphrase=PASSPHRASE)
        assert following.from_seq == accepted.imported.to_seq + 1  # after the witnessed head
        assert following.added_entries == following.to_seq - accepted.imported.to_seq > 0


def test_a_rewritten_log_is_not_accepted_as_a_branch(
    register_db: Db, desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    desk = desks["northampton-pd/booking-1"]
    with Register(register_db.url("t_admin"), clock=lambda: NOW) as admin:
        admin.enrol(desk.origin, desk.fingerprint(), passphrase=PASSPHRASE)
        admin.import_bundle(bundle_of(desk, tmp_path, "first"), passphrase=PASSPHRASE)
        desk.desk.close()
        attacks.cut_after(desk.folder, 20)  # rolled back by hand, not restored: no restore entry
        desk.desk.bundles.name_origin(desk.session("demo.admin"), desk.origin)  # its origin entry went too
        record(desk, 1)
        rewritten = bundle_of(desk, tmp_path, "rewritten")
        with pytest.raises(ForkRefused):
            admin.import_bundle(rewritten, passphrase=PASSPHRASE)
        before = register_db.counts()
        with pytest.raises(ImportRefused, match="entry 21 differs from the register's and is not a signed restore"):
            admin.accept(desk.origin, rewritten, passphrase=PASSPHRASE)
        assert register_db.counts() == before
