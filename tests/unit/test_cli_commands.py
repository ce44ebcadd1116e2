"""The commands the desk gained (resolve, attach, export), global options after the command, log's page info."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.unit.cli_run import S01, invoke
from tests.unit.conftest import as_user
from tests.unit.desk.people import staffed_desk

REFERRED = {
    **S01,
    "documents": [{"kind": "state_court_order", "signer": "state_judge", "verified": True}],
}


def _real_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (16, 16), 255).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _real_png()  # a real picture: a scan is decoded whole before it is kept


def test_global_options_go_before_or_after_the_command(env, intake_file: Path, tmp_path: Path) -> None:
    after = invoke(env, "record", str(intake_file), "--json")
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout)["case"].endswith("000001")
    before = invoke(env, "--json", "record", str(intake_file), "--confirm", "open-case")
    assert json.loads(before.stdout)["case"].endswith("000002")
    other = tmp_path / "other"
    staffed_desk(other).desk.close()
    elsewhere = invoke(env, "record", str(intake_file), "--data-dir", str(other))
    assert elsewhere.returncode == 0 and (other / "cases.db").exists()
    # An option given at both places: the one after the command wins, as a person reading the line expects.
    both = invoke(env, "--data-dir", str(tmp_path / "unused"), "log", "--data-dir", str(other), "--json")
    assert json.loads(both.stdout)["total"] == 1 and not (tmp_path / "unused").exists()


def test_log_json_says_the_total_and_the_page(env, intake_file: Path) -> None:
    for _ in range(3):
        assert invoke(env, "record", str(intake_file), "--confirm", "open-case").returncode == 0
    page = json.loads(invoke(env, "log", "--json", "--limit", "2", "--offset", "1").stdout)
    assert (page["total"], page["offset"], page["limit"], page["returned"]) == (3, 1, 2, 2)
    assert [c["case_number"][-1] for c in page["cases"]] == ["2", "1"]


def test_resolve_closes_a_referral_with_the_officer_named(env, tmp_path: Path) -> None:
    intake = tmp_path / "referred.json"
    intake.write_text(json.dumps(REFERRED), encoding="utf-8")
    case = invoke(env, "record", str(intake)).stdout.strip()
    missing = invoke(as_user(env, "sgt.jones"), "resolve", case)
    assert missing.returncode == 2 and "--outcome" in missing.stderr
    done = invoke(as_user(env, "sgt.jones"), "resolve", case, "--outcome", "Solicitor: decline", "--json")
    assert done.returncode == 0, done.stderr
    resolved = json.loads(done.stdout)
    assert resolved["status"] == "resolved" and resolved["version"] == 2
    shown = json.loads(invoke(env, "--json", "show", case).stdout)
    assert shown["versions"][-1]["amendment_reason"] == "Resolved: Solicitor: decline"
    amended = [e for e in shown["events"] if e["kind"] == "amended"]
    assert [e["actor"] for e in amended] == ["SGT. K. JONES #77"]


def test_attach_checks_the_file_and_audits_it(env, intake_file: Path, tmp_path: Path) -> None:
    case = invoke(env, "record", str(intake_file)).stdout.strip()
    text = tmp_path / "note.txt"
    text.write_text("not a scan")
    refused = invoke(env, "attach", case, str(text))
    assert refused.returncode == 2 and "note.txt" in refused.stderr and refused.stderr.count("\n") == 1
    scan = tmp_path / "fax.png"
    scan.write_bytes(PNG)
    done = invoke(env, "attach", case, str(scan), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["attachment"]["filename"] == "fax.png"
    assert invoke(env, "verify").returncode == 0


def test_export_writes_every_matching_memo(env, intake_file: Path, tmp_path: Path) -> None:
    cases = [invoke(env, "record", str(intake_file), "--confirm", "open-case").stdout.strip() for _ in range(2)]
    out = tmp_path / "out"
    out.mkdir()
    supervisor = as_user(env, "sgt.jones")  # an officer does not export (desk/policy.py)
    refused = invoke(supervisor, "export", str(out))  # outside the data folder, no passphrase: nothing written
    assert refused.returncode == 2 and "SAFEDESK_BACKUP_PASSPHRASE" in refused.stderr and not any(out.iterdir())
    done = invoke(supervisor, "export", str(out), "--json", "--no-encrypt")
    assert done.returncode == 0, done.stderr
    files = sorted(Path(f) for f in json.loads(done.stdout)["files"])
    assert [f.name for f in files] == sorted(f"{c}-v1.pdf" for c in cases)
    assert cases[0] in PdfReader(files[0]).pages[0].extract_text()
    missing = invoke(supervisor, "export", str(tmp_path / "nowhere"), "--no-encrypt")
    assert missing.returncode == 2 and "nowhere" in missing.stderr


def test_an_export_leaving_the_station_is_sealed_and_opens_with_its_passphrase(
    env, intake_file: Path, tmp_path: Path
) -> None:
    case = invoke(env, "record", str(intake_file)).stdout.strip()
    out = tmp_path / "usb"
    out.mkdir()
    sealing = {**as_user(env, "sgt.jones"), "SAFEDESK_BACKUP_PASSPHRASE": "Station-Copy-2026!"}
    done = invoke(sealing, "export", str(out), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["encrypted"] is True
    (sealed,) = out.iterdir()
    assert sealed.name == f"{case}-v1.pdf.enc" and sealed.read_bytes().startswith(b"SCDENC01")
    assert b"%PDF" not in sealed.read_bytes()
    wrong = invoke({**env, "SAFEDESK_BACKUP_PASSPHRASE": "Other-Copy-2026!"}, "open-copy", str(sealed), "-o", "x.pdf")
    assert wrong.returncode == 2 and "passphrase does not open" in wrong.stderr and not Path("x.pdf").exists()
    opened = tmp_path / "memo.pdf"
    done = invoke(
        {"SAFEDESK_BACKUP_PASSPHRASE": "Station-Copy-2026!", "PATH": "/usr/bin"},
        "open-copy",
        str(sealed),
        "-o",
        str(opened),
    )
    assert done.returncode == 0, done.stderr
    assert case in PdfReader(opened).pages[0].extract_text()
    entries = invoke(as_user(env, "sgt.jones"), "--json", "audit", "--kind", "memo").stdout
    assert f"saved as {sealed.name} (encrypted, AES-256-GCM)" in entries


def test_a_record_with_a_missing_scan_leaves_no_case(env, intake_file: Path, tmp_path: Path) -> None:
    first = invoke(env, "record", str(intake_file))
    assert first.returncode == 0
    failed = invoke(env, "record", str(intake_file), "--scan", str(tmp_path / "gone.pdf"), "--confirm", "open-case")
    assert failed.returncode == 2 and "gone.pdf" in failed.stderr
    raw = sqlite3.connect(Path(env["SAFEDESK_DATA_DIR"]) / "cases.db")
    assert raw.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 1
    raw.close()
    again = invoke(env, "record", str(intake_file), "--confirm", "open-case")
    assert again.stdout.strip().endswith("000002")


@pytest.mark.parametrize(
    ("user", "password", "words"),
    [("nobody", "whatever-password", "wrong"), ("ofc.smith", "not-the-password", "wrong"), ("", "x", "--user")],
)
def test_a_bad_sign_in_is_one_line_and_records_nothing(
    env, intake_file: Path, user: str, password: str, words: str
) -> None:
    done = invoke({**env, "SAFEDESK_USER": user, "SAFEDESK_PASSWORD": password}, "record", str(intake_file))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and words in done.stderr, done.stderr
    raw = sqlite3.connect(Path(env["SAFEDESK_DATA_DIR"]) / "cases.db")
    assert raw.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0
    raw.close()


def test_a_fresh_folder_asks_for_setup_first(tmp_path: Path) -> None:
    import os

    fresh = {**os.environ, "SAFEDESK_DATA_DIR": str(tmp_path / "fresh"), "SAFEDESK_PASSWORD": "x"}
    intake = tmp_path / "s01.json"
    intake.write_text(json.dumps(S01), encoding="utf-8")
    done = invoke(fresh, "record", str(intake), "--user", "admin")
    assert done.returncode == 2 and "setup --admin" in done.stderr, done.stderr


def test_errors_are_logged_with_the_desk_log(env, intake_file: Path) -> None:
    assert invoke(env, "record", str(intake_file)).returncode == 0
    assert invoke(env, "show", "2026-999999").returncode == 2
    log = (Path(env["SAFEDESK_DATA_DIR"]) / "logs" / "desk.log").read_text(encoding="utf-8")
    assert "recorded case 2026-000001" in log and "2026-999999" in log


def test_user_list_and_unlock_as_an_admin(env) -> None:
    admin = as_user(env, "admin")
    listed = json.loads(invoke(admin, "--json", "user", "list").stdout)["accounts"]
    assert {a["username"]: a["roles"] for a in listed}["sgt.jones"] == ["officer", "supervisor"]
    for _ in range(5):
        assert invoke({**env, "SAFEDESK_PASSWORD": "not-the-password"}, "log").returncode == 2
    text = invoke(admin, "user", "list").stdout
    assert any(line.startswith("ofc.smith") and line.rstrip().endswith("LOCKED") for line in text.splitlines()), text
    refused = invoke(env, "user", "unlock", "ofc.smith")
    assert refused.returncode == 2
    assert invoke(admin, "user", "unlock", "ofc.smith").returncode == 0
    assert invoke(env, "log").returncode == 0
    officer_list = invoke(env, "user", "list")
    assert officer_list.returncode == 2 and "admin or supervisor" in officer_list.stderr
