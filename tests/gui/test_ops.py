"""DeskOp, the one way the window runs a desk call, and show_error, the one way an error reaches the officer."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from desktop.desk.diagnostics import close_logging, configure_logging
from desktop.errors import BadInput, Refused
from desktop.store.errors import LogLocked
from desktop.ui import ops
from desktop.ui.messages import kind_of
from desktop.ui.ops import DeskOp


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def fail(exc: BaseException):
    def call():
        raise exc

    return call


def test_a_quick_call_gives_its_result_on_the_spot(parent, message_boxes) -> None:
    op = DeskOp(parent, "adding", lambda: 2 + 2)
    assert op.run() == 4 and op.ok and message_boxes.shown == []


@pytest.mark.parametrize(
    ("error", "box", "kind", "words"),
    [
        (
            Refused("OFC. A #1 may not back up the log: it needs the admin or supervisor role"),
            "warning",
            "refused",
            "Nothing was done",
        ),
        (BadInput("received_at: not a date"), "warning", "bad input", "correct it and try again"),
        (LogLocked("the case log is busy (another officer is saving)"), "critical", "environment", "call IT"),
    ],
)
def test_a_known_error_is_shown_by_its_kind(parent, message_boxes, error, box, kind, words, caplog) -> None:
    op = DeskOp(parent, "backing up the log", fail(error), after="Your answers are kept.")
    with caplog.at_level(logging.ERROR):
        assert op.run() is None
    assert not op.ok and op.error is error and kind_of(error) == kind
    shown, title, text = message_boxes.shown[-1]
    assert (shown, title) == (box, "Backing up the log")
    first = str(error)
    assert text.startswith(first[0].upper() + first[1:] + ".") and words in text
    assert text.endswith("Your answers are kept.") and "\n" not in text.split("\n\n")[0]  # one line, then advice
    assert any("backing up the log failed" in r.getMessage() for r in caplog.records)


def test_a_bug_is_one_line_on_screen_and_its_traceback_in_the_desks_log(parent, message_boxes, tmp_path: Path) -> None:
    (tmp_path / "cases.db").touch()  # diagnostics are kept only in a folder that holds a case log
    log_file = configure_logging(tmp_path)
    try:
        op = DeskOp(parent, "counting", lambda: 1 // 0)
        assert op.run() is None and not op.ok
    finally:
        close_logging()
    shown, _title, text = message_boxes.shown[-1]
    line = text.split("\n\n")[0]
    assert shown == "critical" and "a bug in this program" in line and "ZeroDivisionError" in line
    assert str(log_file) in line  # where IT finds the details
    written = log_file.read_text(encoding="utf-8")
    assert "counting failed with a bug" in written and "Traceback" in written and "1 // 0" in written
    assert "Traceback" not in text


def test_on_failure_takes_a_known_error_inline_but_never_a_bug(parent, message_boxes) -> None:
    seen: list[BaseException] = []
    known = DeskOp(parent, "signing in", fail(Refused("the password is wrong"))).on_failure(seen.append)
    assert known.run() is None and len(seen) == 1 and message_boxes.shown == []
    bug = DeskOp(parent, "signing in", fail(KeyError("x"))).on_failure(seen.append)
    assert bug.run() is None and len(seen) == 1  # a bug is never taken for an answer
    assert message_boxes.shown[-1][0] == "critical" and "KeyError" in message_boxes.shown[-1][2]


def test_a_background_call_runs_off_the_gui_thread_and_is_delivered_on_it(qtbot, parent) -> None:
    threads: dict[str, threading.Thread] = {}

    def call() -> str:
        threads["call"] = threading.current_thread()
        return "done"

    op = DeskOp(parent, "verifying", call).on_success(
        lambda _r: threads.setdefault("success", threading.current_thread())
    )
    with qtbot.waitSignal(op.finished, timeout=10000) as signal:
        op.in_background("Verifying")
    assert signal.args == ["done"] and op.result == "done"
    assert threads["call"] is not threading.main_thread() and threads["success"] is threading.main_thread()
    assert op not in ops._RUNNING


def test_a_background_failure_comes_back_by_signal_and_is_shown(qtbot, parent, message_boxes) -> None:
    op = DeskOp(parent, "backing up the log", fail(LogLocked("the case log is busy")))
    with qtbot.waitSignal(op.failed, timeout=10000) as signal:
        op.in_background("Backing up")
    assert isinstance(signal.args[0], LogLocked) and message_boxes.shown[-1][0] == "critical"


def test_a_slow_call_shows_its_progress_past_half_a_second_and_can_be_cancelled(qtbot, parent) -> None:
    release = threading.Event()

    def call() -> str:
        op.progress(3, 10)
        release.wait(20)
        return "stopped" if op.cancelled() else "finished"

    op = DeskOp(parent, "exporting memos", call)
    op.in_background("Exporting memos", cancellable=True)
    qtbot.waitUntil(lambda: op._dialog is not None and op._dialog.isVisible(), timeout=10000)
    dialog = op._dialog
    assert isinstance(dialog, QProgressDialog) and dialog.labelText() == "Exporting memos"
    qtbot.waitUntil(lambda: dialog.maximum() == 10 and dialog.value() == 3, timeout=5000)
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    cancel.click()  # as the officer does
    with qtbot.waitSignal(op.finished, timeout=10000) as signal:
        release.set()
    assert signal.args == ["stopped"] and op._dialog is None


def test_a_call_done_before_half_a_second_shows_no_progress_bar(qtbot, parent) -> None:
    op = DeskOp(parent, "verifying", lambda: "quick")
    with qtbot.waitSignal(op.finished, timeout=10000):
        op.in_background("Verifying")
    op._open_progress()  # what the half-second timer does when it fires after the result came
    assert op._dialog is None
