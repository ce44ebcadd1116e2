"""Hardening the headless commands (issue 14), each failure provoked through main.py as a real process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.unit.cli_run import S01, run
from tests.unit.conftest import as_user

BOM = "\ufeff"


def test_decide_accepts_a_file_that_starts_with_a_byte_order_mark(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "notepad.json"
    path.write_bytes((BOM + json.dumps(S01)).encode("utf-8"))  # what Notepad saves as "UTF-8"
    done = run(env, "decide", str(path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["responses"][0]["code"] == "NO_HOLD"
    assert done.stderr == ""


def test_decide_accepts_a_byte_order_mark_on_standard_input(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "decide", "-"],
        input=(BOM + json.dumps(S01)).encode("utf-8"),
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["responses"][0]["code"] == "NO_HOLD"


def run_bytes(env: dict[str, str], *args: str | bytes) -> subprocess.CompletedProcess[str]:
    """main.py with arguments as raw bytes, as a POSIX shell passes a name that is not UTF-8."""
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=60,
    )


@pytest.mark.posix_only(reason="Windows passes arguments as UTF-16 text, so one that is not UTF-8 cannot be given")
@pytest.mark.parametrize(
    "args",
    [
        (b"--user", b"ofc.sm\xffth", "log"),
        ("record", b"/tmp/intake-\xff.json"),
        ("decide", b"/tmp/intake-\xff.json"),
        ("user", "add", "new.one", "--name", b"A \xff B", "--badge", "9", "--role", "officer"),
    ],
)
def test_arguments_that_are_not_utf8_are_refused_in_one_line(
    env: dict[str, str], args: tuple[str | bytes, ...]
) -> None:
    done = run_bytes(env, *args)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert "not valid UTF-8" in done.stderr and "\\xff" in done.stderr


@pytest.mark.posix_only(reason="Windows passes arguments as UTF-16 text, so one that is not UTF-8 cannot be given")
def test_a_backup_to_a_name_that_is_not_utf8_is_refused_in_one_line(env: dict[str, str], tmp_path: Path) -> None:
    done = run_bytes(as_user(env, "admin"), "backup", os.fsencode(tmp_path) + b"/copy-\xff.db")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1 and list(tmp_path.glob("copy-*")) == []


def _tamper(env: dict[str, str], sql: str) -> None:
    raw = sqlite3.connect(Path(env["SAFEDESK_DATA_DIR"]) / "cases.db")
    try:
        raw.execute("DROP TRIGGER case_versions_no_update")
        raw.execute(sql)
        raw.commit()
    finally:
        raw.close()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE case_versions SET intake_json = '5'",
        "UPDATE case_versions SET intake_json = '[1, 2]'",
        "UPDATE case_versions SET decision_json = '\"text\"'",
        "UPDATE case_versions SET version = 'one'",
        "UPDATE case_versions SET version = 1.5",
        "UPDATE case_versions SET recorded_at = 7",
    ],
)
def test_verify_reports_a_stored_value_of_the_wrong_type(env: dict[str, str], intake_file: Path, sql: str) -> None:
    assert run(env, "record", str(intake_file)).returncode == 0
    _tamper(env, sql)
    done = run(env, "verify")
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1 and done.stdout.startswith("FAILED: "), (done.stdout, done.stderr)
