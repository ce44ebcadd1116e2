"""Fixtures for the window tests: desk on a temporary log and settings in a temporary file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from desktop.desk import Desk
from desktop.records import Actor
from desktop.ui.main_window import MainWindow
from tests.conftest import Clock

OFFICER = "OFC. R. MARTIN #1147"


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC))


@pytest.fixture
def desk(tmp_path: Path, clock: Clock):
    desk = Desk(tmp_path / "data", clock=clock)
    yield desk
    desk.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, desk, settings) -> MainWindow:
    # A log from before accounts, as most window tests need: the officer is a typed name and badge.
    # tests/gui/test_people.py drives the window on a log with accounts, signed in.
    main = MainWindow(desk=desk, settings=settings, session=Actor.parse(OFFICER))
    qtbot.addWidget(main)
    main.show()
    main.finish_start()
    return main


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch):
    """Message boxes are recorded instead of shown: a modal box offscreen would wait forever.

    `question` answers Yes unless a test sets `message_boxes.answer`.
    """
    from PySide6.QtWidgets import QMessageBox

    class Recorder:
        answer = QMessageBox.StandardButton.Yes

        def __init__(self) -> None:
            self.shown: list[tuple[str, str, str]] = []

        def make(self, kind: str):
            def show(_parent, title, text, *args, **kwargs):
                self.shown.append((kind, str(title), str(text)))
                return self.answer if kind == "question" else QMessageBox.StandardButton.Ok

            return show

    recorder = Recorder()
    for kind in ("question", "critical", "warning", "information"):
        monkeypatch.setattr(QMessageBox, kind, recorder.make(kind))
    monkeypatch.setattr(QMessageBox, "about", recorder.make("about"))
    return recorder
