"""A long verify says how far it is, in the window and on the terminal (issue 26)."""

from __future__ import annotations

import io

import pytest

from desktop.cli.common import TerminalProgress
from tests.unit.cli_run import S01
from tests.unit.desk.people import SAME_BOOKING


def test_verify_reports_every_step_up_to_its_total(staff) -> None:
    for _ in range(3):
        staff.desk.cases.record(staff.officer, staff.desk.decide(S01), confirmed=SAME_BOOKING)
    heard: list[tuple[int, int]] = []
    check = staff.desk.log.verify(staff.admin, progress=lambda done, total: heard.append((done, total)))
    assert check.ok, check.problems
    assert heard[0][0] == 0
    dones = [d for d, _ in heard]
    assert dones == sorted(dones)  # never backwards
    done, total = heard[-1]
    versions = 3
    # every entry walked (the verify entry is written after), every version, every signature checked
    assert done == total == (check.entries_checked - 1) + versions + check.signatures_checked


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_terminal_shows_a_percentage_and_the_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    ticks = iter([100.0, 100.5, 102.0, 104.0, 104.1])
    progress = TerminalProgress("verifying the log", monotonic=lambda: next(ticks))
    progress(10, 100)  # half a second in: too soon to say anything
    assert terminal.getvalue() == ""
    progress(20, 100)  # 2 s for 20 steps: 80 more take about 8 s
    assert "verifying the log: 20% (20 of 100), about 8 s left" in terminal.getvalue()
    progress(100, 100)
    assert terminal.getvalue().rstrip("\x1b[K").endswith("100% (100 of 100)")
    progress.close()
    assert terminal.getvalue().endswith("\r\x1b[K")


def test_nothing_is_written_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = io.StringIO()
    monkeypatch.setattr("sys.stderr", plain)
    ticks = iter([0.0, 5.0, 9.0])
    progress = TerminalProgress("verifying the log", monotonic=lambda: next(ticks))
    progress(1, 10)
    progress(10, 10)
    progress.close()
    assert plain.getvalue() == ""
