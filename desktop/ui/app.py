"""Starting the window: application identity, one instance per user, the demo log, crash reports, self-test."""

from __future__ import annotations

import datetime as dt
import getpass
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
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import APP_NAME, __version__
from desktop.desk import Desk
from desktop.resources import icon_files, use_bundled_fonts_offscreen
from desktop.ui.main_window import MainWindow

ORGANIZATION = "SafeCommunitiesDesk"  # where Qt keeps the settings; no jurisdiction is named in the code
SETTINGS_APP = "SafeCommunitiesDesk"


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
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "desk"
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
                window.showNormal()
                window.raise_()
                window.activateWindow()

        self._watcher.directoryChanged.connect(check)


def install_crash_handler(log_dir: Path) -> None:
    """A windowed build has no console: log unexpected errors to a file and say so in a dialog."""

    def handle(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        log_file = log_dir / "errors.log"
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            with open(log_file, "a", encoding="utf-8") as handle_:
                handle_.write(f"--- {dt.datetime.now(dt.UTC).isoformat()} {APP_NAME} {__version__}\n{text}\n")
        except OSError:
            pass
        sys.stderr.write(text)
        if QApplication.instance() is not None:
            QMessageBox.critical(
                None,
                APP_NAME,
                f"Something went wrong: {value}\n\nNothing recorded was lost. "
                f"Details are in {log_file}; please tell IT.",
            )

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
    install_crash_handler(data_dir / "logs")
    from desktop.desk.diagnostics import configure_logging

    configure_logging(data_dir)
    desk = Desk(data_dir, policy=policy)
    settings = QSettings()
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
        QTimer.singleShot(0, window.finish_start)
    code = app.exec()
    desk.close()
    if demo:
        shutil.rmtree(data_dir, ignore_errors=True)  # the demo log is synthetic and temporary
    return int(code)


def self_test() -> int:
    """In a temporary folder: build the window offscreen, decide, record, render a memo, verify.

    Prints one line per step; returns 0 when every step worked, 1 otherwise.
    """
    if _needs_offscreen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    steps: list[tuple[str, bool, str]] = []
    folder = Path(tempfile.mkdtemp(prefix="safedesk-selftest-"))

    def step(name: str, ok: bool, detail: str = "") -> bool:
        steps.append((name, ok, detail))
        sys.stdout.write(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}\n")
        return ok

    try:
        app = make_application()
        desk = Desk(folder / "data")
        import secrets

        password = secrets.token_urlsafe(16)  # a throw-away log: its accounts are never used again
        admin = desk.setup(username="selftest.admin", name="SELF TEST ADMIN", badge="0", password=password)
        desk.add_user(
            actor=admin,
            username="selftest",
            name="SELF TEST",
            badge="1",
            roles=frozenset({"officer"}),
            password=password,
        )
        window = MainWindow(
            desk=desk,
            settings=QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat),
            session=desk.sign_in("selftest", password),
        )
        window.show()
        app.processEvents()
        step("window built", window.isVisible(), app.platformName())
        pack = desk.active_pack()
        step("policy pack loaded", True, f"{pack.id} {pack.version}")
        wizard = window.start_intake()
        assert wizard is not None
        wizard.load(
            {
                "received_at": desk.clock().astimezone().replace(microsecond=0).isoformat(),
                "channel": "fax",
                "requester": "ice_ero",
                "documents": [{"kind": "I-247A", "signer": "dhs_officer"}, {"kind": "I-200", "signer": "dhs_officer"}],
                "actions": ["hold", "notify_release"],
                "subject": {"custody": "in_city_custody", "release_blockers": [], "booking_number": "SELFTEST-1"},
            }
        )
        decided = desk.decide(wizard.intake_data())
        codes = [r.code for r in decided.decision.responses]
        step("decided", codes == ["NO_HOLD", "DECLINE_NOTIFY"], " ".join(codes))
        recorded = wizard.record(decided, None, "")
        saved = wizard.saved
        assert saved is not None
        step("recorded", recorded and saved.case_number.endswith("000001"), saved.case_number)
        memo = desk.print_memo(saved.case_number, actor=wizard.actor)
        memo_check = desk.verify_memo(memo)
        step("memo rendered", memo_check.record_hash == saved.record_hash, f"{memo.stat().st_size} bytes")
        check = desk.verify_log(actor=wizard.actor)
        step("log verified", check.ok, f"{check.entries_checked} entries")
        wizard.close()
        window.close()
        desk.close()
    except Exception as exc:  # every failure becomes a FAIL line and exit code 1
        step("self-test", False, f"{type(exc).__name__}: {exc}")
    ok = all(passed for _name, passed, _detail in steps)
    if ok:
        shutil.rmtree(folder, ignore_errors=True)
        sys.stdout.write("self-test passed\n")
        return 0
    # A failure keeps its folder (the log, the data) for IT to look at.
    log = folder / "self-test.log"
    log.write_text("\n".join(f"{'ok' if p else 'FAIL'} {n} {d}" for n, p, d in steps) + "\n", encoding="utf-8")
    sys.stdout.write(f"self-test FAILED (log: {log})\n")
    return 1
