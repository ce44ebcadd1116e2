"""The window and the command line refuse the same intake for the same reasons: the desk's checks before
recording (desktop/desk/cases.py), asked by the window in the desk's words and refused by `record` in one
line naming the same words, on the same log. Neither door has a check of its own."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.demo import DEMO_PASSWORD
from desktop.ui.intake import PAGE_DECISION
from tests.gui.driver import fill
from tests.unit.cli_run import S01, invoke


def _intake(check: str) -> dict[str, object]:
    if check == "blank":
        return {**S01, "subject": {"custody": "in_city_custody", "release_blockers": []}}
    if check == "future":  # tomorrow, on any clock the two doors read
        tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
        return {**S01, "received_at": tomorrow.replace(second=0, microsecond=0).isoformat()}
    return dict(S01)  # "open-case": S01 is recorded first, so its booking number has an open case


@pytest.mark.parametrize("check", ["blank", "open-case", "future"])
def test_the_window_and_the_command_line_refuse_the_same_intake_with_the_desks_words(
    qtbot, window, desk, officer, message_boxes, tmp_path: Path, check: str
) -> None:
    if check == "open-case":
        desk.cases.record(officer, desk.decide(S01))
    intake = _intake(check)
    (expected,) = [c for c in desk.cases.checks(officer, desk.read_intake(intake)) if c.id == check]
    before = desk._store.total_cases()

    # The window: the officer is asked, in the desk's words, and says No (Cancel for an open case).
    message_boxes.answer = QMessageBox.StandardButton.Cancel if check == "open-case" else QMessageBox.StandardButton.No
    wizard = window.start_intake()
    qtbot.addWidget(wizard)
    fill(qtbot, wizard, intake)
    wizard.next()
    assert wizard.currentId() == PAGE_DECISION or check == "blank"  # a blank case goes back to the person page
    asked = [text for kind, _title, text in message_boxes.shown if kind == "question"]
    assert any(expected.message[1:] in text for text in asked), asked
    assert desk._store.total_cases() == before

    # The command line, on the same log as another officer of the same desk: refused naming the same words.
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(intake), encoding="utf-8")
    env = {
        **os.environ,
        "SAFEDESK_DATA_DIR": str(desk.data_dir),
        "SAFEDESK_USER": "demo.chen",
        "SAFEDESK_PASSWORD": DEMO_PASSWORD,
    }
    refused = invoke(env, "record", str(path))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert expected.message in refused.stderr and f"--confirm {check}" in refused.stderr
    assert desk._store.total_cases() == before
