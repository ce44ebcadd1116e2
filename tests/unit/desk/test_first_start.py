"""The first start cannot be blocked: nothing is written into the installer's empty data folder before set-up,
and a set-up killed at any step leaves a folder where set-up simply runs again (desk/first_start.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import desktop.signing
from desktop.desk import Desk
from tests.conftest import ROOT, Clock
from tests.unit.cli_run import S01, invoke

PASSWORD = "first-root-pass-0001"


def _clock() -> Clock:
    return Clock(dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC))


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data folder as the installer leaves it: there, and empty."""
    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


def _env(folder: Path, **more: str) -> dict[str, str]:
    return {**os.environ, "SAFEDESK_DATA_DIR": str(folder), **more}


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _setup(folder: Path) -> int:
    env = _env(folder, SAFEDESK_NEW_PASSWORD=PASSWORD)
    done = invoke(env, "setup", "--admin", "admin", "--name", "A. ADMIN", "--badge", "900")
    assert done.returncode == 0 or "set up" in done.stderr, done.stderr
    return done.returncode


def test_commands_before_set_up_write_nothing_and_set_up_then_runs(empty: Path, tmp_path: Path) -> None:
    intake = tmp_path / "s01.json"
    intake.write_text(json.dumps(S01), encoding="utf-8")
    env = _env(empty, SAFEDESK_USER="admin", SAFEDESK_PASSWORD=PASSWORD)
    for command in (("log",), ("verify",), ("record", str(intake)), ("show", "2026-000001"), ("user", "list")):
        result = invoke(env, *command)
        assert result.returncode == 2, (command, result)
        assert "not set up yet" in result.stderr and "Traceback" not in result.stderr, (command, result.stderr)
        assert _files(empty) == [], (command, _files(empty))
    desk = Desk(empty, clock=_clock())
    desk.open()  # the window's first look, before its set-up screen
    assert desk.awaiting_setup and desk.people.needs_setup()
    desk.close()
    assert _files(empty) == []
    assert _setup(empty) == 0
    assert (empty / "cases.db").is_file() and (empty / "keys" / "desk.key").is_file()
    assert invoke(env, "verify").returncode == 0
    again = invoke(_env(empty, SAFEDESK_NEW_PASSWORD=PASSWORD), "setup", "--admin", "x", "--name", "X", "--badge", "1")
    assert again.returncode == 2 and "set up already" in again.stderr


def test_a_desk_set_up_through_the_desk_itself_signs_in(empty: Path) -> None:
    desk = Desk(empty, clock=_clock())
    admin = desk.people.setup(username="admin", name="A. ADMIN", badge="900", password=PASSWORD)
    assert desk.log.verify(admin).ok
    desk.close()
    assert "setting-up" not in _files(empty)
    again = Desk(empty, clock=_clock())
    assert not again.people.needs_setup()
    again.people.sign_in("admin", PASSWORD)
    again.close()


# Each step of a set-up at which a kill (os._exit: no clean-up runs) is simulated, in a process of its own.
KILLS = {
    "after the staged log": "desktop.desk.first_start._place",
    "after the log is placed": "desktop.desk.first_start._sync",
}


@pytest.mark.parametrize("step", sorted(KILLS))
def test_a_killed_set_up_leaves_a_folder_where_set_up_runs_again(empty: Path, step: str) -> None:
    module, name = KILLS[step].rsplit(".", 1)
    script = textwrap.dedent(
        f"""
        import datetime as dt, os, sys
        import desktop.signing
        desktop.signing.SCRYPT_N = 2**12
        import {module} as target
        real = target.{name}
        calls = []
        def killed(*args, **kwargs):
            calls.append(1)
            if {name!r} == "_sync" and len(calls) < 2:
                return real(*args, **kwargs)  # the staged log's own sync: the kill comes once it is placed
            os._exit(9)
        setattr(target, {name!r}, killed)
        from desktop.desk import Desk, system_clock
        Desk(sys.argv[1], clock=system_clock).people.setup(
            username="admin", name="A. ADMIN", badge="900", password={PASSWORD!r}
        )
        """
    )
    killed = subprocess.run([sys.executable, "-c", script, str(empty)], cwd=ROOT, capture_output=True, timeout=60)
    assert killed.returncode == 9, killed.stderr
    if step == "after the log is placed":  # the set-up committed: the next start finishes it, with its own key
        assert (empty / "cases.db").is_file() and not (empty / "keys" / "desk.key").exists()
        desk = Desk(empty, clock=_clock())
        admin = desk.people.sign_in("admin", PASSWORD)
        assert desk.log.verify(admin).ok
        desk.close()
        assert (empty / "keys" / "desk.key").is_file() and not (empty / "setting-up").exists()
        return
    assert not (empty / "cases.db").exists() and (empty / "setting-up").is_dir()
    env = _env(empty, SAFEDESK_USER="admin", SAFEDESK_PASSWORD=PASSWORD)
    assert "not set up yet" in invoke(env, "log").stderr
    assert _setup(empty) == 0  # simply runs again
    assert invoke(env, "verify").returncode == 0
