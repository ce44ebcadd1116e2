"""Starting the window: application identity, one instance per user, the demo log, crash reports, self-test."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QFileSystemWatcher, QLockFile, QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop import APP_NAME, __version__
from desktop.desk import Desk, system_clock
from desktop.resources import icon_files, use_bundled_fonts_offscreen
from desktop.ui.main_window import MainWindow

ORGANIZATION = "SafeCommunitiesDesk"  # where Qt keeps the settings; no jurisdiction is named in the code
SETTINGS_APP = "SafeCommunitiesDesk"
log = logging.getLogger(__name__)


def _needs_offscreen() -> bool:
    """On Linux with no display, Qt would abort; the offscreen platform needs none."""
    return sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    )


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the identity QSettings builds its paths from (set before any settings use)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QApplication.setOrganizationName(ORGANIZATION)
    QApplication.setApplicationName(SETTINGS_APP)
    QApplication.setApplicationDisplayName(APP_NAME)
    QApplication.setApplicationVersion(__version__)
    use_bundled_fonts_offscreen()
    app = QApplication(argv or [sys.argv[0]])
    app.setWindowIcon(app_icon())
    return app


def app_icon() -> QIcon:
    """The shield icon, every drawn size (Qt picks the nearest for the title bar, taskbar and Alt+Tab)."""
    icon = QIcon()
    for path in icon_files():
        icon.addFile(str(path))
    return icon


def _user_folder() -> Path:
    from desktop.ui.drafts import computer_user

    user = computer_user()
    folder = Path(tempfile.gettempdir()) / f"safedesk-{''.join(c for c in user if c.isalnum()) or 'desk'}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class SingleInstance:
    """One window per computer user. A second start asks the first to come forward, then exits.

    A lock file decides who is first; the second start drops a 'raise' file the first one watches
    (local files only: the app opens no sockets, not even local ones).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.lock = QLockFile(str(folder / "instance.lock"))
        self.lock.setStaleLockTime(0)
        self.raise_file = folder / "raise"
        self._watcher: QFileSystemWatcher | None = None

    def acquire(self) -> bool:
        return self.lock.tryLock(200)

    def ask_first_to_raise(self) -> None:
        self.raise_file.write_text(str(time.time()), encoding="utf-8")

    def watch(self, window: MainWindow) -> None:
        self.raise_file.unlink(missing_ok=True)
        self._watcher = QFileSystemWatcher([str(self.folder)])

        def check(_path: str) -> None:
            if self.raise_file.exists():
                self.raise_file.unlink(missing_ok=True)
                window.bring_forward()  # the lock screen, while the desk is locked: never the session

        self._watcher.directoryChanged.connect(check)


def install_crash_handler() -> None:
    """A windowed build has no console: an error no DeskOp caught (a bug in the window itself) is logged with
    its traceback in the desk's log (logs/desk.log) and shown in one line, as a bug."""

    def handle(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.critical("a bug in the window (%s %s)", APP_NAME, __version__, exc_info=(kind, value, tb))
        sys.stderr.write("".join(traceback.format_exception(kind, value, tb)))
        if QApplication.instance() is not None:
            from desktop.ui.messages import show_error

            show_error(None, APP_NAME, value)

    sys.excepthook = handle


def run_window(data_dir: Path, *, policy: Path | None = None, demo: bool = False, exit_after_show: bool = False) -> int:
    """Open the main window on `data_dir` (a temporary demo log with `demo`); returns the exit code."""
    if _needs_offscreen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = make_application()
    instance = None
    if demo:
        data_dir = Path(tempfile.mkdtemp(prefix="safedesk-demo-"))
    else:
        instance = SingleInstance(_user_folder())
        if not instance.acquire():
            instance.ask_first_to_raise()
            sys.stderr.write(f"{APP_NAME} is already open for this user; it was brought forward.\n")
            return 0
    install_crash_handler()
    desk = Desk(data_dir, clock=system_clock, policy=policy)
    settings = window_settings(data_dir, demo=demo)
    session = None
    if demo:
        from desktop.demo import DEMO_PASSWORD, demo_accounts, fill_demo_log

        fill_demo_log(desk)
        session = demo_accounts(desk)
    window = MainWindow(desk=desk, settings=settings, session=session)
    if demo:
        window.setWindowTitle(f"{APP_NAME} (demo log in {data_dir}; demo.sgt / demo.admin, password {DEMO_PASSWORD})")
    window.show()
    if instance is not None:
        instance.watch(window)
    if exit_after_show:
        # Start-up benchmarks and smoke tests: leave as soon as the window is up, before the log opens.
        QTimer.singleShot(0, app.quit)
    else:
        QTimer.singleShot(0, lambda: _after_show(window, data_dir))
    code = app.exec()
    desk.close()
    if demo:
        shutil.rmtree(data_dir, ignore_errors=True)  # the demo log is synthetic and temporary
    return int(code)


def window_settings(data_dir: Path, *, demo: bool) -> QSettings:
    """The window's own settings (its size, the last view): the computer user's; with --demo a file in the demo's
    temporary log folder, removed with it, so a demo never changes what the real desk opens with."""
    if demo:
        return QSettings(str(data_dir / "demo-window.ini"), QSettings.Format.IniFormat)
    return QSettings()


def _after_show(window: MainWindow, data_dir: Path) -> None:
    """Once the window shows: the desk's diagnostics file (logs/desk.log), then the log opened and a sign-in.

    Set up after the window shows, not before: logging.handlers loads pickle and socket (no socket is
    opened), some 20 to 30 ms of a start that the officer waits through.
    """
    from desktop.desk.diagnostics import configure_logging

    configure_logging(data_dir)
    window.finish_start()


def self_test() -> int:
    """In a temporary folder: build the window offscreen, decide, record, render a memo, verify (selftest.py)."""
    from desktop.ui.selftest import self_test as run

    return run()
