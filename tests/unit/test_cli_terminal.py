"""Standard input as a terminal: a password is asked for only where someone can type it, else read from the
environment (desktop/cli/common.py, stdin_is_terminal).

A scheduled task's standard input is the NUL device, which Windows' isatty() calls a terminal (CPython
bpo-28654): the command line then sat at a password prompt nobody sees instead of reading SAFEDESK_PASSWORD.
The first test fails on Windows (and under Wine) with a plain isatty().
"""

from __future__ import annotations

import ctypes
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.common import stdin_is_terminal
from tests.conftest import ROOT


def test_the_null_device_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    with open(os.devnull, encoding="utf-8") as null:
        monkeypatch.setattr(sys, "stdin", null)
        assert not stdin_is_terminal()


def test_a_pipe_and_a_file_are_not_terminals(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(write_end)
    with open(read_end, encoding="utf-8") as pipe:
        monkeypatch.setattr(sys, "stdin", pipe)
        assert not stdin_is_terminal()
    (tmp_path / "in.txt").write_text("x", encoding="utf-8")
    with open(tmp_path / "in.txt", encoding="utf-8") as file:
        monkeypatch.setattr(sys, "stdin", file)
        assert not stdin_is_terminal()


def test_a_missing_closed_or_in_memory_stdin_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    assert not stdin_is_terminal()
    monkeypatch.setattr(sys, "stdin", io.StringIO("typed"))
    assert not stdin_is_terminal()
    closed = io.StringIO()
    closed.close()
    monkeypatch.setattr(sys, "stdin", closed)
    assert not stdin_is_terminal()


@pytest.mark.posix_only(reason="a pseudo-terminal is POSIX's; test_a_console_is_a_terminal is Windows' counterpart")
def test_a_pseudo_terminal_is_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    leader, follower = os.openpty()
    try:
        with open(follower, encoding="utf-8", closefd=False) as terminal:
            monkeypatch.setattr(sys, "stdin", terminal)
            assert stdin_is_terminal()
    finally:
        os.close(leader)
        os.close(follower)


@pytest.mark.windows_only(reason="a console (CONIN$) is Windows'; the POSIX counterpart opens a pseudo-terminal")
def test_a_console_is_a_terminal() -> None:
    """A program given a console of its own (as cmd or PowerShell gives one) reads its input as a terminal."""
    if hasattr(ctypes.WinDLL("ntdll"), "wine_get_version"):
        pytest.skip("under Wine without a display a new console has no mode (GetConsoleMode fails on CONIN$)")
    probe = "import sys; sys.stdin = open('CONIN$'); from desktop.cli.common import stdin_is_terminal; "
    probe += "print(stdin_is_terminal(), sys.stdin.isatty())"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        creationflags=getattr(subprocess, "CREATE_NEW_CONSOLE", 0),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]


def test_a_scheduled_command_on_the_null_device_reads_the_password_from_the_environment(
    env: dict[str, str],
) -> None:
    """What a Task Scheduler job does: no console, standard input on NUL (/dev/null), the password in the
    environment. The command signs in and runs; it does not wait at a prompt."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "log", "--json"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Password" not in done.stdout + done.stderr
