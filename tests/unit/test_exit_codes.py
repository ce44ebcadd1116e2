"""Every exit code of the command line, one test each, and the README's table of them kept true.

The codes are desktop/errors.py's: 0 done, 1 a check failed, 2 a known error (refused, bad input or
the environment), 70 a bug, 130 interrupted. A bug must never exit 1, which means "the log was
altered" to whoever scripts `verify`.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop import errors
from desktop.errors import EXIT_BAD_INPUT, EXIT_BUG, EXIT_CHECK_FAILED, EXIT_INTERRUPTED, EXIT_OK
from tests.conftest import ROOT
from tests.unit.cli_run import invoke, run
from tests.unit.conftest import as_user


def test_0_done(env, intake_file: Path) -> None:
    done = invoke(env, "decide", str(intake_file))
    assert done.returncode == EXIT_OK, done.stderr
    assert json.loads(done.stdout)["responses"][0]["code"] == "NO_HOLD"


def test_1_a_check_failed(env, intake_file: Path) -> None:
    assert invoke(env, "record", str(intake_file)).returncode == EXIT_OK
    raw = sqlite3.connect(Path(env["SAFEDESK_DATA_DIR"]) / "cases.db")
    raw.execute("DROP TRIGGER case_versions_no_update")
    raw.execute("UPDATE case_versions SET officer = 'SOMEONE ELSE #9'")
    raw.commit()
    raw.close()
    done = invoke(env, "verify")
    assert done.returncode == EXIT_CHECK_FAILED
    assert done.stdout.startswith("FAILED: ")


@pytest.mark.parametrize(
    ("kind", "args", "words"),
    [
        ("bad input", ("decide", "-"), "not valid JSON"),
        ("refused", ("audit",), "supervisor"),
        ("environment", ("log",), "busy"),
    ],
)
def test_2_a_known_error_in_one_line(
    env, monkeypatch: pytest.MonkeyPatch, kind: str, args: tuple[str, ...], words: str
) -> None:
    holder = None
    if kind == "environment":  # another program holds the log's write lock past the busy timeout
        monkeypatch.setattr("desktop.store.connect.BUSY_TIMEOUT_MS", 200)
        holder = sqlite3.connect(Path(env["SAFEDESK_DATA_DIR"]) / "cases.db", timeout=0)
        holder.execute("BEGIN EXCLUSIVE")
    try:
        done = invoke(env, *args, stdin="{not json")
    finally:
        if holder is not None:
            holder.rollback()
            holder.close()
    assert done.returncode == EXIT_BAD_INPUT, (kind, done.stdout, done.stderr)
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr
    assert words in done.stderr
    assert "Traceback" not in done.stderr


def _breaks(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.store.verify import VerifyMixin

    def broken(*_args: object, **_kwargs: object) -> object:
        raise ZeroDivisionError("a bug planted by the test")

    monkeypatch.setattr(VerifyMixin, "verify", broken)


def test_70_a_bug_inside_verify_is_not_a_failed_check(env, monkeypatch: pytest.MonkeyPatch) -> None:
    _breaks(monkeypatch)
    done = invoke(env, "verify")
    assert done.returncode == EXIT_BUG != EXIT_CHECK_FAILED
    assert done.stderr.count("\n") == 1 and "a bug in this program" in done.stderr
    assert "ZeroDivisionError: a bug planted by the test" in done.stderr
    log_file = Path(env["SAFEDESK_DATA_DIR"]) / "logs" / "desk.log"
    assert str(log_file) in done.stderr
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "raise ZeroDivisionError" in logged


def test_70_a_bug_in_a_real_process_without_a_data_folder(tmp_path: Path) -> None:
    # decide needs no data folder: the traceback goes to a file of its own rather than create one.
    program = (
        "import sys, desktop.rules.engine as e\n"
        "def broken(*a, **k): raise KeyError('planted')\n"
        "e.decide = broken\n"
        "import desktop.rules; desktop.rules.decide = broken\n"
        "from desktop.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    intake = tmp_path / "s01.json"
    intake.write_text(json.dumps(_s01()), encoding="utf-8")
    env = {**os.environ, "SAFEDESK_DATA_DIR": str(tmp_path / "nowhere"), "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", program, "decide", str(intake)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == EXIT_BUG, done.stderr
    assert done.stdout == "" and done.stderr.count("\n") == 1
    kept = re.search(r"the details are in (\S+)$", done.stderr.strip())
    assert kept is not None and Path(kept.group(1)).parent == tmp_path
    assert "KeyError: 'planted'" in Path(kept.group(1)).read_text(encoding="utf-8")
    assert not (tmp_path / "nowhere").exists()


READ_SYSCALLS = {"0", "63"}  # read(2) on x86-64 and on arm64


def _wait_until_reading_stdin(process: subprocess.Popen[str]) -> None:
    """Until the process is blocked reading standard input (Linux: /proc names the system call it waits in).

    Interrupted any earlier, the interpreter would still be starting and die of the signal itself,
    which is not what this test is about; a fixed sleep is only a guess on a busy machine.
    """
    syscall = Path(f"/proc/{process.pid}/syscall")
    if not syscall.exists():  # not Linux: give the interpreter time to start
        time.sleep(1.5)
        return
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            number, fd = (syscall.read_text().split() + ["", ""])[:2]
            if number in READ_SYSCALLS and fd == "0x0":  # read(0, ...): blocked on standard input
                return
        except OSError:
            pass
        time.sleep(0.01)
    raise AssertionError(f"main.py never waited for standard input (exit {process.poll()})")


@pytest.mark.posix_only(
    reason="Ctrl+C reaches a Windows console's process group as an event, not a signal one can send"
)
def test_130_interrupted(tmp_path: Path) -> None:
    # decide - waits for its intake on standard input; Ctrl+C (SIGINT) meanwhile ends it with 130.
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "decide", "-"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SAFEDESK_DATA_DIR": str(tmp_path)},
    )
    _wait_until_reading_stdin(process)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == EXIT_INTERRUPTED, err
    assert err == "error: interrupted\n" and out == ""


def test_the_readme_lists_every_exit_code_and_no_other() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    listed = {int(code) for code in re.findall(r"^\| `(\d+)` \|", section, re.MULTILINE)}
    defined = {value for name, value in vars(errors).items() if name.startswith("EXIT_")}
    assert listed == defined
    contract = (ROOT / "docs" / "CONTRACT.md").read_text(encoding="utf-8")
    assert all(f"`{code}`" in contract for code in defined)


def test_the_refusal_is_the_same_as_a_real_process(env) -> None:
    # The in-process runner and a real process give the same answer (a few true subprocess tests stay).
    officer = as_user(env, "ofc.smith")
    args = ("user", "add", "x.y", "--name", "X", "--badge", "9", "--role", "officer")
    inside, outside = invoke(officer, *args), run(officer, *args)
    assert (inside.returncode, inside.stdout, inside.stderr) == (outside.returncode, outside.stdout, outside.stderr)


def _s01() -> dict[str, object]:
    from tests.unit.cli_run import S01

    return S01
