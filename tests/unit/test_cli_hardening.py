"""Hardening the headless commands (issue 14), each failure provoked through the command line.

Most run in-process (cli_run.invoke), arguments that are not UTF-8 given as the interpreter gives
them (os.fsdecode: surrogate escapes); one runs main.py as a real process with raw bytes in argv.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.unit.cli_run import S01, Result, invoke
from tests.unit.conftest import as_user

BOM = "\ufeff"


def test_decide_accepts_a_file_that_starts_with_a_byte_order_mark(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "notepad.json"
    path.write_bytes((BOM + json.dumps(S01)).encode("utf-8"))  # what Notepad saves as "UTF-8"
    done = invoke(env, "decide", str(path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["responses"][0]["code"] == "NO_HOLD"
    assert done.stderr == ""


def test_decide_accepts_a_byte_order_mark_on_standard_input(env: dict[str, str]) -> None:
    done = invoke(env, "decide", "-", stdin=(BOM + json.dumps(S01)).encode("utf-8"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["responses"][0]["code"] == "NO_HOLD"


NOT_UTF8 = [
    (b"--user", b"ofc.sm\xffth", "log"),
    ("record", b"/tmp/intake-\xff.json"),
    ("decide", b"/tmp/intake-\xff.json"),
    ("user", "add", "new.one", "--name", b"A \xff B", "--badge", "9", "--role", "officer"),
]


def _as_argv(args: tuple[str | bytes, ...]) -> list[str]:
    """The arguments as Python hands a program its argv on POSIX: bytes that are not UTF-8 as surrogate escapes."""
    return [os.fsdecode(a) if isinstance(a, bytes) else a for a in args]


def _refused_as_not_utf8(done: Result | subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert "not valid UTF-8" in done.stderr and "\\xff" in done.stderr


@pytest.mark.posix_only(reason="Windows passes arguments as UTF-16 text, so one that is not UTF-8 cannot be given")
@pytest.mark.parametrize("args", NOT_UTF8)
def test_arguments_that_are_not_utf8_are_refused_in_one_line(
    env: dict[str, str], args: tuple[str | bytes, ...]
) -> None:
    _refused_as_not_utf8(invoke(env, *_as_argv(args)))


@pytest.mark.posix_only(reason="Windows passes arguments as UTF-16 text, so one that is not UTF-8 cannot be given")
def test_an_argument_that_is_not_utf8_is_refused_by_a_real_process(env: dict[str, str]) -> None:
    """The interpreter's own decoding of argv: raw bytes from a POSIX shell reach main.py as it starts."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *NOT_UTF8[0]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=60,
    )
    _refused_as_not_utf8(done)


@pytest.mark.posix_only(reason="Windows passes arguments as UTF-16 text, so one that is not UTF-8 cannot be given")
def test_a_backup_to_a_name_that_is_not_utf8_is_refused_in_one_line(env: dict[str, str], tmp_path: Path) -> None:
    done = invoke(as_user(env, "admin"), "backup", os.fsdecode(os.fsencode(tmp_path) + b"/copy-\xff.db"))
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
    assert invoke(env, "record", str(intake_file)).returncode == 0
    _tamper(env, sql)
    done = invoke(env, "verify")
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1 and done.stdout.startswith("FAILED: "), (done.stdout, done.stderr)
