"""Three desks in two departments record, bundle and import; the register refuses what an insider changed.

Every refusal is one line naming the desk and the entry, leaves the database as it was, and a fork
keeps its evidence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from desktop.demo import DEMO_PASSWORD
from desktop.desk import Desk
from desktop.register import ImportRefused, Register
from desktop.register.importer import ForkRefused
from tests.conftest import Clock
from tests.register import attacks
from tests.register.conftest import NOW, PASSPHRASE, Db, DeskCopy
from tests.unit.cli_run import S01


@pytest.fixture
def register(register_db: Db, desks: dict[str, DeskCopy]) -> Iterator[Register]:
    """The register, with the three desks enrolled by their set-up fingerprints."""
    with Register(register_db.url(), clock=lambda: NOW) as opened:
        for origin, desk in desks.items():
            opened.enrol(origin, desk.fingerprint(), passphrase=PASSPHRASE)
        yield opened


def bundle_of(desk: DeskCopy, folder: Path, name: str = "", **options: object) -> Path:
    return desk.bundle(folder / f"{name or desk.origin.replace('/', '_')}.bundle", **options)


def record(desk: DeskCopy, count: int = 1) -> None:
    officer = desk.desk.people.sign_in("demo.martin", DEMO_PASSWORD)
    for _ in range(count):
        desk.clock.advance(minutes=5)
        desk.desk.cases.record(officer, desk.desk.decide(S01), confirmed=("open-case", "future"))


def test_three_desks_record_bundle_and_import_and_a_reimport_adds_nothing(
    register: Register, register_db: Db, desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    total = 0
    for desk in desks.values():
        path = bundle_of(desk, tmp_path)
        result = register.import_bundle(path, passphrase=PASSPHRASE)
        held = attacks.last_seq(desk.folder) - 1  # the bundle's own entry is written after it
        assert (result.from_seq, result.to_seq, result.added_entries) == (1, held, held)
        assert result.cosignature == Path(str(path) + ".cosignature") and result.cosignature.exists()
        total += held
    before = register_db.counts()
    assert before["entries"] == total and before["imports"] == 3
    assert {r["origin"] for r in register.status()} == set(desks)
    again = register.import_bundle(path, passphrase=PASSPHRASE)
    assert again.added_entries == 0 and again.import_id is None
    assert "nothing new" in again.words and "(0 added)" in again.words
    assert register_db.counts() == before
    check = register.verify()
    assert check.ok, check.problems
    assert (check.desks, check.entries, check.cosignatures) == (3, total, 3)


def test_an_overlapping_bundle_adds_only_the_new_entries(
    register: Register, register_db: Db, desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    desk = desks["northampton-pd/booking-1"]
    first = register.import_bundle(bundle_of(desk, tmp_path, "first"), passphrase=PASSPHRASE)
    record(desk, 2)
    overlapping = bundle_of(desk, tmp_path, "again", from_seq=1)  # nothing witnessed yet: everything again
    second = register.import_bundle(overlapping, passphrase=PASSPHRASE)
    assert second.from_seq == 1 and second.held_before == first.to_seq
    assert second.added_entries == second.to_seq - first.to_seq > 0
    assert second.added_versions == 2
    assert register_db.count("entries") == second.to_seq
    # After the desk records the register's cosignature, a bundle starts after the witnessed head.
    officer = desk.session("demo.martin")
    desk.desk.bundles.witness(officer, second.cosignature)  # type: ignore[arg-type]
    third = desk.desk.bundles.write(desk.session(), tmp_path / "third.bundle", no_encrypt=True)
    assert third.from_seq == second.to_seq + 1
    assert register.import_bundle(third.path, passphrase=PASSPHRASE).added_entries == third.entries


def test_a_bundle_with_a_gap_is_refused(
    register: Register, register_db: Db, desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    desk = desks["hampshire-sheriff/jail-1"]
    register.import_bundle(bundle_of(desk, tmp_path, "first", from_seq=1), passphrase=PASSPHRASE)
    start = attacks.last_seq(desk.folder) + 3
    record(desk, 3)
    before = register_db.counts()
    with pytest.raises(ImportRefused, match=r"hampshire-sheriff/jail-1: the bundle starts at entry \d+.*are missing"):
        register.import_bundle(bundle_of(desk, tmp_path, "gap", from_seq=start), passphrase=PASSPHRASE)
    assert register_db.counts() == before


def _refused(register: Register, register_db: Db, path: Path) -> str:
    before = register_db.counts()
    with pytest.raises(ImportRefused) as caught:
        register.import_bundle(path, passphrase=PASSPHRASE)
    assert register_db.counts() == before, "a refused bundle changes nothing"
    line = str(caught.value)
    assert "\n" not in line
    return line


def test_a_tampered_entry_is_refused_naming_the_desk_and_the_entry(
    register: Register, register_db: Db, desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    desk = desks["northampton-pd/booking-2"]
    attacks.tamper_entry(desk.folder, 12)
    line = _refused(register, register_db, bundle_of(desk, tmp_path))
    assert "northampton-pd/booking-2: audit entry 12 has a broken signature" in line, line
    assert "nothing imported" in line


def test_an_entry_altered_in_the_bundle_itself_is_refused(
    register: Register, register_db: Db, desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    desk = desks["northampton-pd/booking-1"]
    path = bundle_of(desk, tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    for index, text in enumerate(lines):
        item = json.loads(text)
        if item["t"] == "entry" and item["row"]["seq"] == 7:
            item["row"]["actor"] = "SOMEONE ELSE #1"
            lines[index] = json.dumps(item)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    line = _refused(register, register_db, path)
    assert re.search(r"northampton-pd/booking-1: audit entry 7 \(.*\) was altered", line), line


def test_a_stripped_signature_is_refused(
    register: Register, register_db: Db, desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    desk = desks["hampshire-sheriff/jail-1"]
    last = attacks.last_seq(desk.folder)
    attacks.strip_signature(desk.folder, last)
    line = _refused(register, register_db, bundle_of(desk, tmp_path))
    assert f"hampshire-sheriff/jail-1: audit entry {last} " in line and "a signature was stripped" in line, line


def test_every_signature_stripped_is_refused(
    register: Register, register_db: Db, desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    desk = desks["hampshire-sheriff/jail-1"]
    conn = attacks.raw(desk.folder)
    conn.execute("UPDATE audit_log SET signer = NULL, signature = NULL")
    attacks.rechain(conn, 1)
    conn.close()
    # The bundle's checkpoint is still signed by the officer who writes it; every entry under it is not.
    line = _refused(register, register_db, bundle_of(desk, tmp_path))
    assert "hampshire-sheriff/jail-1: no entry up to entry" in line and "signatures were stripped" in line, line


def test_a_key_not_chained_to_the_enrolled_root_is_refused(
    register: Register, register_db: Db, desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    desk = desks["northampton-pd/booking-1"]
    seq = attacks.sign_with_own_key(desk.folder, NOW)
    desk.desk.close()
    line = _refused(register, register_db, bundle_of(desk, tmp_path))
    assert f"northampton-pd/booking-1: audit entry {seq} (view, by M. ALLORY #666) is signed by key" in line, line
    assert "which no admin certified" in line


def test_a_log_made_anew_with_a_new_root_is_refused(
    register: Register, register_db: Db, desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    from desktop.demo import fill_demo_log

    original = desks["northampton-pd/booking-1"]
    register.import_bundle(bundle_of(original, tmp_path, "original"), passphrase=PASSPHRASE)
    clock = Clock(NOW)
    with Desk(tmp_path / "made-anew", clock=clock) as anew:
        fill_demo_log(anew, count=3, seed=7)
        anew.bundles.name_origin(anew.people.sign_in("demo.admin", DEMO_PASSWORD), original.origin)
        remade = DeskCopy(original.origin, tmp_path / "made-anew", anew, clock)
        line = _refused(register, register_db, bundle_of(remade, tmp_path, "anew"))
    assert re.search(r"northampton-pd/booking-1: audit entry 1 \(.*\) is signed under admin root", line), line
    assert "not the root the register enrolled" in line and "made anew with a new root" in line


def test_a_bundle_of_a_desk_not_enrolled_is_refused(
    register_db: Db, desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    with Register(register_db.url(), clock=lambda: NOW) as register:
        line = _refused(register, register_db, bundle_of(desks["hampshire-sheriff/jail-1"], tmp_path))
    assert "hampshire-sheriff/jail-1 is not enrolled in this register" in line


def test_a_rolled_back_desk_is_a_fork_refused_with_its_evidence_kept(
    register: Register, register_db: Db, desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    desk = desks["northampton-pd/booking-2"]
    admin = desk.session("demo.admin")
    backup = desk.desk.copies.backup(admin, desk.folder / "before.db").path
    record(desk, 2)
    register.import_bundle(bundle_of(desk, tmp_path, "all"), passphrase=PASSPHRASE)
    held = register_db.count("entries")
    desk.desk.copies.restore(desk.session("demo.admin"), backup)  # the insider puts the older copy back
    record(desk, 1)
    path = bundle_of(desk, tmp_path, "after-restore")
    before = register_db.counts()
    with pytest.raises(ForkRefused) as caught:
        register.import_bundle(path, passphrase=PASSPHRASE)
    line = str(caught.value)
    fork_at = attacks.last_seq(desk.folder) - 3  # the restore entry, then a record and its bundle entry
    assert "northampton-pd/booking-2: a fork at entry " in line and "kept as evidence" in line, line
    assert register_db.counts() == before and register_db.count("entries") == held
    evidence = register_db.sql("SELECT * FROM safedesk.forks")
    assert len(evidence) == 1 and evidence[0]["file_name"] == path.name
    assert evidence[0]["held_hash"] != evidence[0]["offered_hash"]
    assert json.loads(str(evidence[0]["offered_entry"]))["seq"] == evidence[0]["seq"] <= fork_at + 2
    status = {r["origin"]: r for r in register.status()}
    assert status["northampton-pd/booking-2"]["forks"] == 1


def test_a_sealed_bundle_is_opened_with_its_passphrase(
    register: Register, register_db: Db, desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    desk = desks["northampton-pd/booking-1"]
    outside = tmp_path / "usb"
    outside.mkdir()
    written = desk.desk.bundles.write(desk.session(), outside / "b.bundle", passphrase="Bundle-Pass-42!")
    assert written.encrypted and written.path.name == "b.bundle.enc"
    assert b"northampton" not in written.path.read_bytes()
    with pytest.raises(ImportRefused, match="is encrypted: give its passphrase"):
        register.import_bundle(written.path, passphrase=PASSPHRASE)
    from desktop.encrypted import WrongPassphrase

    with pytest.raises(WrongPassphrase):
        register.import_bundle(written.path, passphrase=PASSPHRASE, bundle_passphrase="Not-The-Pass-1!")
    assert register_db.count("entries") == 0
    result = register.import_bundle(written.path, passphrase=PASSPHRASE, bundle_passphrase="Bundle-Pass-42!")
    assert result.added_entries == written.entries
    assert Path(str(written.path) + ".cosignature").exists()


def test_a_plain_bundle_leaving_the_data_folder_is_refused_at_the_desk(
    desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    from desktop.encrypted import PassphraseNeeded

    desk = desks["northampton-pd/booking-1"]
    before = attacks.last_seq(desk.folder)
    with pytest.raises(PassphraseNeeded):
        desk.desk.bundles.write(desk.session(), tmp_path / "plain.bundle")
    assert not (tmp_path / "plain.bundle").exists()
    assert attacks.last_seq(desk.folder) == before + 1  # the sign-in, and no bundle entry


def test_update_delete_and_truncate_are_refused_even_to_the_owner(
    register: Register, register_db: Db, desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    register.import_bundle(bundle_of(desks["northampton-pd/booking-1"], tmp_path), passphrase=PASSPHRASE)
    before = register_db.counts()
    for statement in (
        "UPDATE safedesk.entries SET detail = 'edited' WHERE seq = 3",
        "DELETE FROM safedesk.entries WHERE seq = 3",
        "TRUNCATE safedesk.entries CASCADE",
        "UPDATE safedesk.case_versions SET status = 'decided'",
        "DELETE FROM safedesk.imports",
        "INSERT INTO safedesk.reads (what) VALUES ('x'); DELETE FROM safedesk.reads",
        "TRUNCATE safedesk.cosignatures",
        "UPDATE safedesk.desks SET root_key_id = repeat('0', 32)",
    ):
        for user in ("postgres", "t_importer", "t_admin"):
            with pytest.raises(psycopg.Error, match="append-only|permission denied"):
                register_db.sql(statement, user=user)
    assert register_db.counts() == before
    # The importer may insert, never change.
    grants = register_db.sql(
        "SELECT DISTINCT privilege_type FROM information_schema.role_table_grants WHERE grantee = 'safedesk_importer'"
    )
    assert {g["privilege_type"] for g in grants} == {"SELECT", "INSERT"}


def test_register_verify_catches_what_a_superuser_changed_behind_the_triggers(
    register: Register, register_db: Db, desks: dict[str, DeskCopy], tmp_path: Path
) -> None:
    register.import_bundle(bundle_of(desks["northampton-pd/booking-1"], tmp_path), passphrase=PASSPHRASE)
    assert register.verify().ok
    register_db.sql(
        "ALTER TABLE safedesk.entries DISABLE TRIGGER USER;"
        " UPDATE safedesk.entries SET detail = detail || ' (edited)' WHERE seq = 9;"
        " ALTER TABLE safedesk.entries ENABLE TRIGGER USER;"
        " ALTER TABLE safedesk.cosignatures DISABLE TRIGGER USER;"
        " UPDATE safedesk.cosignatures SET at = '2020-01-01T00:00:00+00:00';"
        " ALTER TABLE safedesk.cosignatures ENABLE TRIGGER USER"
    )
    check = register.verify()
    assert not check.ok
    assert re.search(r"northampton-pd/booking-1 \(branch 1\): audit entry 9 \(.*\) was altered", check.problems[0])
    assert any("the register's signature is broken" in p for p in check.problems), check.problems
