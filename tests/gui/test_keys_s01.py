"""Issue 23: S01 by keyboard with the preset in at most 30 keys, counted key by key."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.rules.intake import parse_intake
from desktop.ui.intake import PAGE_DECISION, PAGE_RECORDED

S01 = json.loads((Path(__file__).parents[1] / "data" / "examples" / "S01.json").read_text(encoding="utf-8"))


class Keyboard:
    """Every key goes where the focus is, as on a real keyboard, and is counted (a typed character is a key)."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.count = 0
        self.log: list[str] = []

    def _target(self):
        target = QApplication.focusWidget()
        assert target is not None, f"no focus after {self.log}"
        return target

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        target = self._target()
        self.log.append(f"{key.name}@{type(target).__name__}:{target.accessibleName()}")
        self.count += 1
        self.qtbot.keyClick(target, key, modifier)

    def type(self, text: str) -> None:
        target = self._target()
        self.log.append(f"{text!r}@{type(target).__name__}:{target.accessibleName()}")
        self.count += len(text)
        self.qtbot.keyClicks(target, text)


def test_s01_with_the_preset_takes_at_most_30_keys(qtbot, clock, window) -> None:
    clock.now = dt.datetime(2026, 1, 14, 3, 18, tzinfo=dt.UTC)  # 22:18 in Northampton, as the fax came in
    keys = Keyboard(qtbot)
    window.activateWindow()
    window.home.new_button.setFocus()
    keys.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    wizard = window.intakes.wizard
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.activateWindow()  # as the window system does for a new window (mnemonics work in the active one)
    qtbot.waitUntil(wizard.isActiveWindow)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and QApplication.focusWidget().window() is wizard)
    keys.press(Qt.Key.Key_Down)  # page 1 starts in "Common paper": the first is S01's, an I-247A with I-200 by fax
    keys.press(Qt.Key.Key_Return)  # Next: the received time is now, when the fax came in
    keys.press(Qt.Key.Key_Return)  # Next: the two papers are added
    keys.type("26-000187")  # the page starts in the booking number
    keys.press(Qt.Key.Key_Tab)
    keys.type("DOE, JOHN")
    keys.press(Qt.Key.Key_Return)  # Next: in City custody, the default
    keys.press(Qt.Key.Key_Return)  # Next: what was asked, from the preset
    keys.press(Qt.Key.Key_Return)  # Next: the review read
    assert wizard.currentId() == PAGE_DECISION, keys.log
    keys.press(Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # Record case: every response is on screen
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_RECORDED, timeout=20000)  # the log is written
    assert keys.count <= 30, (keys.count, keys.log)
    print(f"S01 with the preset: {keys.count} keys")

    # The same intake as S01's preset path: S01 without what the preset leaves for later (the requester's
    # name, the signers' names and the notes), decided as S01 is.
    saved = wizard.saved
    assert saved is not None
    path = {key: value for key, value in S01["intake"].items() if key not in ("requester_name", "notes")}
    path["documents"] = [
        {key: value for key, value in paper.items() if key not in ("signer_name", "verified")}
        for paper in S01["intake"]["documents"]
    ]
    path["documents"][0]["edition"] = "03/17"
    assert saved.intake == parse_intake(path)
    assert [(r.action, r.info, r.code) for r in saved.decision.responses] == [
        (e["action"], e["info"], code) for e in S01["expect"] for code in e["codes"]
    ]
    assert window.desk.cases.open(window.actor, saved.case_number).current.intake == saved.intake  # in the log
