"""Hardening the headless commands (issue 14), each failure provoked through main.py as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.unit.cli_run import S01, run

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
