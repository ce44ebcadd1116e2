"""Fixtures for the window tests: a desk on a temporary log with the demo's accounts, settings in a
temporary file, and the main window opened signed in, so the desk's role checks run in every test.

The window always has someone signed in (the first start is the admin's set-up): `window` is the
officer OFC. R. MARTIN #1147 (demo.martin, an officer only), `supervisor_window` SGT. K. JONES #77
(demo.sgt, a supervisor who is also an officer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

import desktop.signing
from desktop.demo import DEMO_PASSWORD, demo_accounts
from desktop.desk import Desk, Session
from desktop.ui.main_window import MainWindow
from tests.conftest import Clock

OFFICER = "OFC. R. MARTIN #1147"  # demo.martin, as the log names them
SUPERVISOR = "SGT. K. JONES #77"  # demo.sgt


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Accounts are set up in every window test: a cheap key derivation keeps that quick (the real one is
    tested in tests/unit/desk)."""
    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC))


@pytest.fixture
def desk(tmp_path: Path, clock: Clock) -> Iterator[Desk]:
    desk = Desk(tmp_path / "data", clock=clock)
    desk.people.sign_out(demo_accounts(desk))  # the demo's admin, officers and supervisor, on a new log
    yield desk
    desk.close()


def sign_in(desk: Desk, username: str) -> Session:
    return desk.people.sign_in(username, DEMO_PASSWORD)


@pytest.fixture
def officer(desk: Desk) -> Session:
    return sign_in(desk, "demo.martin")


@pytest.fixture
def supervisor(desk: Desk) -> Session:
    return sign_in(desk, "demo.sgt")


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def open_window(qtbot, desk: Desk, settings: QSettings, session: Session, *, start: bool = True) -> MainWindow:
    """The main window as it opens once `session` has signed in (finish_start: the log opened, the views)."""
    main = MainWindow(desk=desk, settings=settings, session=session)
    qtbot.addWidget(main)
    main.show()
    if start:
        main.finish_start()
    return main


@pytest.fixture
def window(qtbot, desk: Desk, settings: QSettings, officer: Session) -> MainWindow:
    return open_window(qtbot, desk, settings, officer)


@pytest.fixture
def supervisor_window(qtbot, desk: Desk, settings: QSettings, supervisor: Session) -> MainWindow:
    return open_window(qtbot, desk, settings, supervisor)


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
