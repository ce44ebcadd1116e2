"""Tests for the log commands (record, amend, show, log, verify, backup, restore), run in-process (cli_run.invoke)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.desk import system_clock
from tests.conftest import EXAMPLES_DIR, ROOT
from tests.unit.cli_run import S01, invoke
from tests.unit.conftest import as_user
from tests.unit.desk.people import staffed_desk


def test_record_show_amend_log_verify(env, intake_file: Path) -> None:
    done = invoke(env, "--json", "record", str(intake_file))
    assert done.returncode == 0, done.stderr
    recorded = json.loads(done.stdout)
    case = recorded["case"]
    assert len(recorded["hash"]) == 64 and recorded["responses"][0]["code"] == "NO_HOLD"

    plain = invoke(env, "record", str(intake_file), "--confirm", "open-case")
    assert plain.returncode == 0 and plain.stdout.strip().endswith("000002")

    amended = invoke(as_user(env, "sgt.jones"), "amend", case, str(intake_file), "--reason", "typo")
    assert amended.returncode == 0, amended.stderr

    shown = json.loads(invoke(env, "--json", "show", case).stdout)
    assert [v["version"] for v in shown["versions"]] == [1, 2]
    assert shown["versions"][0]["record_hash"] == recorded["hash"]
    assert [e["kind"] for e in shown["events"]] == ["recorded", "amended", "view"]  # showing it is audited
    text = invoke(env, "show", case).stdout
    assert "Version 2" in text and "Amendment: typo" in text

    listed = json.loads(invoke(env, "--json", "log", "--search", "DOE").stdout)
    assert listed["total"] == 2 and listed["cases"][0]["case_number"].endswith("000002")
    assert json.loads(invoke(env, "--json", "log", "--since", "2026-02-01").stdout)["total"] == 0

    verified = invoke(env, "--json", "verify")
    assert verified.returncode == 0 and json.loads(verified.stdout)["ok"] is True


def test_verify_exits_1_on_a_tampered_log(env, intake_file: Path) -> None:
    assert invoke(env, "record", str(intake_file)).returncode == 0
    raw = sqlite3.connect(Path(env["SAFEDESK_DATA_DIR"]) / "cases.db")
    raw.execute("DROP TRIGGER case_versions_no_update")
    raw.execute("UPDATE case_versions SET officer = 'SOMEONE ELSE #9'")
    raw.commit()
    raw.close()
    done = invoke(env, "verify")
    assert done.returncode == 1
    assert done.stdout.startswith("FAILED: ")


PASSPHRASE = "Station-Copy-2026!"


def test_backup_and_restore_commands(env, intake_file: Path, tmp_path: Path) -> None:
    assert invoke(env, "record", str(intake_file)).returncode == 0
    backup = tmp_path / "backup.db"
    refused = invoke(env, "backup", str(backup))  # an officer does not take the log away
    assert refused.returncode == 2 and "supervisor or admin" in refused.stderr
    admin = as_user(env, "admin")
    unsealed = invoke(admin, "backup", str(backup))  # outside the data folder, and no passphrase: refused
    assert unsealed.returncode == 2 and "SAFEDESK_BACKUP_PASSPHRASE" in unsealed.stderr
    assert not backup.exists() and not list(tmp_path.glob("backup*"))
    sealing = {**admin, "SAFEDESK_BACKUP_PASSPHRASE": PASSPHRASE}
    done = invoke(sealing, "--json", "backup", str(backup))
    assert done.returncode == 0, done.stderr
    written = json.loads(done.stdout)
    assert written["records_checked"] == 1 and written["encrypted"] is True
    sealed = Path(written["file"])
    assert sealed.name == "backup.db.enc" and sealed.read_bytes().startswith(b"SCDENC01")
    assert b"SQLite format 3" not in sealed.read_bytes() and b"DOE, JOHN" not in sealed.read_bytes()
    audited = invoke(admin, "--json", "audit", "--kind", "backup").stdout
    assert "backup to backup.db.enc (encrypted, AES-256-GCM)" in audited
    assert invoke(env, "record", str(intake_file), "--confirm", "open-case").returncode == 0
    wrong = invoke({**admin, "SAFEDESK_BACKUP_PASSPHRASE": "Another-Pass-99!"}, "restore", str(sealed))
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1 and "passphrase does not open" in wrong.stderr
    assert json.loads(invoke(env, "--json", "log").stdout)["total"] == 2  # the live log untouched
    restored = invoke(sealing, "--json", "restore", str(sealed))
    assert restored.returncode == 0, restored.stderr
    assert Path(json.loads(restored.stdout)["replaced_log_kept_as"]).exists()
    assert json.loads(invoke(env, "--json", "log").stdout)["total"] == 1
    bogus = tmp_path / "bogus.db"
    bogus.write_text("nope")
    refused = invoke(admin, "restore", str(bogus))
    assert refused.returncode == 2 and refused.stderr.startswith("error: ") and refused.stderr.count("\n") == 1
    plain = invoke(admin, "--json", "backup", str(tmp_path / "inside.db"), "--no-encrypt")
    assert plain.returncode == 0, plain.stderr
    assert (tmp_path / "inside.db").read_bytes().startswith(b"SQLite format 3")
    audited = invoke(admin, "--json", "audit", "--kind", "backup").stdout
    assert "backup to inside.db; not encrypted (--no-encrypt: a copy that stays inside the station)" in audited


@pytest.mark.parametrize(
    "args",
    [
        ("record", "INTAKE", "--user", "nobody"),
        ("record", "INTAKE", "--user", "ofc.chen"),  # the wrong password for that account
        ("record",),
        ("show", "2026-999999"),
        ("amend", "2026-999999", "INTAKE", "--reason", "x"),
        ("log", "--since", "yesterday"),
        ("backup", "/no/such/folder/b.db"),
    ],
)
def test_bad_input_exits_2_with_one_line(env, intake_file: Path, args: tuple[str, ...]) -> None:
    assert invoke(env, "record", str(intake_file)).returncode == 0
    done = invoke(env, *[str(intake_file) if a == "INTAKE" else a for a in args])
    assert done.returncode == 2, done.stdout
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr
    assert done.stdout == ""


def test_every_worked_example_records_and_verifies(env) -> None:
    for path in sorted(EXAMPLES_DIR.glob("*.json")):
        # S09 (a victim's U visa certification) names no one: the officer confirms it as it is
        done = invoke(env, "record", str(path), "--confirm", "blank")
        assert done.returncode == 0, (path.name, done.stderr)
    verified = json.loads(invoke(env, "--json", "verify").stdout)
    assert verified["ok"] and verified["records_checked"] == len(list(EXAMPLES_DIR.glob("*.json")))


def test_memo_and_verify_memo(env, intake_file: Path, tmp_path: Path) -> None:
    case = invoke(env, "record", str(intake_file)).stdout.strip()
    memo = tmp_path / "memo.pdf"
    done = invoke(env, "memo", case, "-o", str(memo), "--no-encrypt")
    assert done.returncode == 0, done.stderr
    assert memo.read_bytes().startswith(b"%PDF")
    checked = invoke(env, "verify-memo", str(memo))
    assert checked.returncode == 0 and checked.stdout.startswith("OK: the log holds this exact record")
    assert invoke(env, "verify", "--memo", str(memo)).returncode == 0
    assert invoke(as_user(env, "sgt.jones"), "amend", case, str(intake_file), "--reason", "typo").returncode == 0
    still = invoke(env, "verify-memo", str(memo))
    assert still.returncode == 4 and "a newer version 2 exists" in still.stdout  # superseded: its own code
    staffed_desk(tmp_path / "other").desk.close()
    other_log = {**env, "SAFEDESK_DATA_DIR": str(tmp_path / "other")}
    assert invoke(other_log, "record", str(intake_file)).returncode == 0
    assert invoke(other_log, "record", str(intake_file), "--confirm", "open-case").returncode == 0
    mismatch = invoke(other_log, "verify-memo", str(memo))
    assert mismatch.returncode == 1 and mismatch.stdout.startswith("MISMATCH")
    events = json.loads(invoke(env, "--json", "show", case).stdout)["events"]
    # each check of the memo against the log, and showing the case, left a trace
    assert [e["kind"] for e in events] == ["recorded", "memo", "view", "view", "amended", "view", "view"]
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("not a pdf")
    refused = invoke(env, "verify-memo", str(not_pdf))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1


def rewrite_history(db: Path) -> None:
    """What someone with the file and this program's source could do: change case 1's decision, then
    recompute every hash so that `verify` alone cannot tell (the known limit of a hash chain)."""
    from desktop.store.hashing import GENESIS_HASH, canonical, entry_hash, record_hash
    from desktop.store.store import _record_fields

    raw = sqlite3.connect(db)
    raw.row_factory = sqlite3.Row
    for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_no_%'"):
        raw.execute(f"DROP TRIGGER {name}")
    renamed: dict[str, str] = {}
    for row in raw.execute("SELECT * FROM case_versions ORDER BY id").fetchall():
        fields = _record_fields(dict(row))
        if row["case_number"].endswith("000001"):
            fields["decision"]["responses"][0]["code"] = "HONOR_JUDICIAL"
        new_hash = record_hash(fields)
        renamed[row["record_hash"]] = new_hash
        raw.execute(
            "UPDATE case_versions SET decision_json = ?, record_hash = ? WHERE id = ?",
            [canonical(fields["decision"]), new_hash, row["id"]],
        )
    prev = GENESIS_HASH
    for row in raw.execute("SELECT * FROM audit_log ORDER BY seq").fetchall():
        entry = dict(row)
        entry["record_hash"] = renamed.get(entry["record_hash"], entry["record_hash"])
        digest = entry_hash(prev, entry)
        raw.execute(
            "UPDATE audit_log SET record_hash = ?, prev_hash = ?, entry_hash = ? WHERE seq = ?",
            [entry["record_hash"], prev, digest, entry["seq"]],
        )
        prev = digest
    raw.commit()
    raw.close()


def test_a_printed_memo_exposes_a_rewritten_log(env, intake_file: Path, tmp_path: Path) -> None:
    assert invoke(env, "record", str(intake_file)).returncode == 0
    second = invoke(env, "record", str(intake_file), "--confirm", "open-case").stdout.strip()
    memo = tmp_path / "memo.pdf"
    assert invoke(env, "memo", second, "-o", str(memo), "--no-encrypt").returncode == 0
    assert invoke(env, "verify-memo", str(memo)).returncode == 0
    db = Path(env["SAFEDESK_DATA_DIR"]) / "cases.db"
    rewrite_history(db)
    checked = invoke(env, "verify-memo", str(memo))
    assert checked.returncode == 1
    assert "chain head printed on the memo is not in this log" in checked.stdout


def test_verify_reports_a_damaged_log_as_a_failed_check(env, intake_file: Path) -> None:
    assert invoke(env, "record", str(intake_file)).returncode == 0
    db = Path(env["SAFEDESK_DATA_DIR"]) / "cases.db"
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    db.write_bytes(db.read_bytes()[:100] + b"\x00garbage" * 2000)
    done = invoke(env, "verify")
    assert done.returncode == 1 and done.stdout.startswith("FAILED: ")


def test_log_does_not_create_a_log_in_a_mistyped_folder(tmp_path: Path) -> None:
    env = {**os.environ, "SAFEDESK_DATA_DIR": str(tmp_path / "typo")}
    done = invoke(env, "log")
    assert done.returncode == 2 and "no case log" in done.stderr
    assert not (tmp_path / "typo" / "cases.db").exists()


def test_standard_input_is_read_as_utf8_whatever_the_locale(env) -> None:
    intake = dict(S01, subject={**S01["subject"], "name": "МЮЛЛЕР, ЙОЗЕФ"})
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--json", "record", "-"],
        input=json.dumps(intake, ensure_ascii=False).encode("utf-8"),
        capture_output=True,
        cwd=ROOT,
        env={**env, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    case = json.loads(done.stdout.decode("cp1252"))["case"]  # output follows the console's encoding
    assert json.loads(invoke(env, "--json", "show", case).stdout)["versions"][0]["intake"]["subject"]["name"] == (
        "МЮЛЛЕР, ЙОЗЕФ"
    )


def test_a_lost_log_is_refused_then_restored_by_an_admin_the_backup_knows(
    env, intake_file: Path, tmp_path: Path
) -> None:
    assert invoke(env, "record", str(intake_file)).returncode == 0
    sealing = {**as_user(env, "admin"), "SAFEDESK_BACKUP_PASSPHRASE": PASSPHRASE}
    sealed = Path(json.loads(invoke(sealing, "--json", "backup", str(tmp_path / "b.db")).stdout)["file"])
    data = Path(env["SAFEDESK_DATA_DIR"])
    (data / "cases.db").unlink()
    for stray in data.glob("cases.db-*"):
        stray.unlink()
    refused = invoke(env, "log")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "is missing, but this folder kept one" in refused.stderr and str(sealed) in refused.stderr
    assert not (data / "cases.db").exists()
    officer = invoke({**env, "SAFEDESK_BACKUP_PASSPHRASE": PASSPHRASE}, "restore", str(sealed))
    assert officer.returncode == 2 and "needs the admin role" in officer.stderr and not (data / "cases.db").exists()
    restored = invoke(sealing, "--json", "restore", str(sealed))  # signed in against the backup's own accounts
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["replaced_log_kept_as"] is None
    assert json.loads(invoke(env, "--json", "log").stdout)["total"] == 1
    assert invoke(env, "verify").returncode == 0


def test_another_desks_backup_needs_other_desk(env, intake_file: Path, tmp_path: Path) -> None:
    from tests.unit.desk.people import staffed_desk

    other = tmp_path / "other-desk"
    staffed_desk(other).desk.close()
    elsewhere = {**as_user(env, "admin"), "SAFEDESK_DATA_DIR": str(other)}
    theirs = other / "backups" / "theirs.db"  # inside that desk's data folder: a plain copy
    theirs.parent.mkdir(exist_ok=True)
    made = invoke(elsewhere, "backup", str(theirs))
    assert made.returncode == 0, made.stderr
    admin = as_user(env, "admin")
    refused = invoke(admin, "restore", str(theirs))
    assert refused.returncode == 2 and "not an earlier copy of this desk's log" in refused.stderr
    confirmed = invoke(admin, "--json", "restore", str(theirs), "--other-desk")
    assert confirmed.returncode == 0, confirmed.stderr


def test_a_memo_written_outside_the_data_folder_is_sealed(env, intake_file: Path, tmp_path: Path) -> None:
    case = invoke(env, "record", str(intake_file)).stdout.strip()
    refused = invoke(env, "memo", case, "-o", str(tmp_path / "usb.pdf"))
    assert refused.returncode == 2 and "outside the data folder" in refused.stderr
    assert not list(tmp_path.glob("usb*"))
    done = invoke({**env, "SAFEDESK_BACKUP_PASSPHRASE": PASSPHRASE}, "memo", case, "-o", str(tmp_path / "usb.pdf"))
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.strip() == str(tmp_path / "usb.pdf.enc") and b"%PDF" not in (tmp_path / "usb.pdf.enc").read_bytes()
    )


def test_a_desk_change_needs_an_admin_of_this_desk_not_only_of_the_incoming_log(
    env, intake_file: Path, tmp_path: Path
) -> None:
    from desktop.desk import Desk

    assert invoke(env, "record", str(intake_file)).returncode == 0
    other = tmp_path / "mallory"
    desk = Desk(other, clock=system_clock)
    desk.people.setup(username="mallory", name="M. ALLORY", badge="666", password="Wolf-Tango-Pass-2026!")
    desk.close()
    theirs = other / "backups" / "theirs.db"
    theirs.parent.mkdir()
    mallory = {**env, "SAFEDESK_USER": "mallory", "SAFEDESK_PASSWORD": "Wolf-Tango-Pass-2026!"}
    assert invoke({**mallory, "SAFEDESK_DATA_DIR": str(other)}, "backup", str(theirs)).returncode == 0
    data = Path(env["SAFEDESK_DATA_DIR"])
    before = json.loads(invoke(env, "--json", "log").stdout)["total"]
    refused = invoke(mallory, "restore", str(theirs), "--other-desk")  # mallory is no one on this desk
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert json.loads(invoke(env, "--json", "log").stdout)["total"] == before
    assert not list((data / "replaced").glob("*.db"))
