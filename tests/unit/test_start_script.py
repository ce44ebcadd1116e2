"""Issue 23: `bash scripts/start.sh` on a machine with no screen says in one line where the window is and what
to run instead, rather than waiting in silence; a command or the self-test is let be."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def said(args: list[str], tmp_path: Path, *, xvfb: bool, display: str = "") -> str:
    """What scripts/_screen.sh (the part of start.sh that decides) says on standard error."""
    bin_dir = tmp_path / "bin"  # the only folder on PATH: xvfb-run is there or nowhere
    bin_dir.mkdir(parents=True, exist_ok=True)
    uname = shutil.which("uname")
    assert uname is not None
    if not (bin_dir / "uname").exists():
        (bin_dir / "uname").symlink_to(uname)
    if xvfb:
        (bin_dir / "xvfb-run").write_text("#!/bin/sh\n", encoding="utf-8")
        (bin_dir / "xvfb-run").chmod(0o755)
    env = {"PATH": str(bin_dir), **({"DISPLAY": display} if display else {})}
    done = subprocess.run(
        [
            shutil.which("bash") or "bash",
            "-c",
            'source scripts/_screen.sh; if no_screen; then say_where_the_window_is "$@"; fi',
            "x",
            *args,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return done.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="the virtual screen is Linux's")
@pytest.mark.parametrize("args", [[], ["--demo"], ["--data-dir", "/tmp/d", "--user", "demo.sgt"]])
def test_a_window_on_no_screen_is_said_in_one_line_with_what_to_run_instead(tmp_path, args) -> None:
    text = said(args, tmp_path, xvfb=True)
    assert text.count("\n") == 1 and "invisible virtual screen" in text
    assert "--self-test" in text and "main.py --help" in text
    without = said(args, tmp_path / "no-xvfb", xvfb=False)
    assert without.count("\n") == 1 and "no window can open" in without and "--self-test" in without


@pytest.mark.skipif(sys.platform != "linux", reason="the virtual screen is Linux's")
@pytest.mark.parametrize("args", [["--self-test"], ["--user", "demo.sgt", "verify"], ["--help"]])
def test_a_command_or_a_screen_is_let_be(tmp_path, args) -> None:
    assert said(args, tmp_path, xvfb=True) == ""
    assert said([], tmp_path, xvfb=True, display=":0") == ""


def test_start_sh_uses_the_check() -> None:
    script = (ROOT / "scripts" / "start.sh").read_text(encoding="utf-8")
    assert "source scripts/_screen.sh" in script and 'say_where_the_window_is "$@"' in script
