"""The main window: Home, the case log, the review queue and the policy, with menus, toolbar and status bar.

It holds no rules, SQL or layout of memos: every action goes through the desk (desktop.desk), each
desk call through a DeskOp (desktop/ui/ops.py). Its jobs live beside it: the intakes and their
drafts (intakes.py), the log's long jobs (jobs.py), Home (home.py), the review queue (review.py).
Who is signed in decides what it shows: an action the policy table does not allow the session is
not offered (desk/policy.py), and the desk refuses it in any case.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Signal
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QStackedWidget, QTextBrowser, QWidget

from desktop import APP_NAME, __version__
from desktop.ui.home import HomeView
from desktop.ui.intakes import Intakes
from desktop.ui.jobs import LogJobs
from desktop.ui.menus import VIEW_HOME, VIEW_LOG, VIEW_POLICY, VIEW_REVIEW, Menus
from desktop.ui.messages import about, confirm, show_error, tell
from desktop.ui.ops import DeskOp
from desktop.ui.screen import fit_to_screen

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from desktop.desk import Desk, Session
    from desktop.rules import Pack
    from desktop.ui.case_log import CaseLogView
    from desktop.ui.case_view import CaseDialog
    from desktop.ui.intake import IntakeWizard
    from desktop.ui.lock import IdleLock
    from desktop.ui.review import ReviewView

VIEW_NAMES = ("New request", "Case log", "Review queue", "Policy")
__all__ = ["VIEW_HOME", "VIEW_LOG", "VIEW_NAMES", "VIEW_POLICY", "VIEW_REVIEW", "MainWindow"]


class MainWindow(QMainWindow):
    """Holds no rules, SQL or layout of memos: every action goes through the desk (desktop.desk)."""

    # The desk tells its listeners on the thread that changed the log (a background job's, too);
    # this signal brings the notice to the window's own thread before any widget is touched.
    log_changed = Signal(object)

    def __init__(self, *, desk: Desk, settings: QSettings, session: Session | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.settings = settings
        self.session = session  # the signed-in officer: every entry they make is signed with their key
        self.pack: Pack | None = None  # the pack in force, once the log is open (its zone, its presets)
        self.idle_lock: IdleLock | None = None
        self.root_warning: QLabel | None = None  # shown while the log is not the one set up on this PC
        self.case_dialogs: list[CaseDialog] = []
        self._log_view: CaseLogView | None = None
        self._review_view: ReviewView | None = None
        self._policy_view: QTextBrowser | None = None
        self._help_dialog: QDialog | None = None
        self._reports_dialog: QDialog | None = None
        self._built = {VIEW_HOME}
        self._presets_shown = False  # the other views are placeholders until first shown
        self.setWindowTitle(f"{APP_NAME}")
        fit_to_screen(self, 1180, 760)
        self.stack = QStackedWidget()
        self.home = HomeView(self)
        self.stack.addWidget(self.home)
        for _ in range(3):  # the other views are built when first shown, after the store is open
            self.stack.addWidget(QWidget())
        self.setCentralWidget(self.stack)
        self.intakes = Intakes(self)
        self.jobs = LogJobs(self)
        self.menus = Menus(self)
        self._make_status_bar()
        self.menus.offer_to(session)
        self.log_changed.connect(self.refresh_views)
        self._unsubscribe = desk.changes.subscribe(self.log_changed.emit)
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
            screen = self.screen().availableGeometry() if self.screen() is not None else None
            if screen is not None and not screen.contains(self.frameGeometry()):
                fit_to_screen(self, 1180, 760)  # saved on a bigger screen, or at another scale

    # --- status bar ----------------------------------------------------------------------------

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.officer_label = QLabel()
        self.review_label = QLabel()
        self.pack_label = QLabel()
        self.folder_label = QLabel()
        self.pack_warning = QLabel()
        for label, name in (
            (self.officer_label, "Officer on duty"),
            (self.review_label, "Cases awaiting review"),
            (self.pack_label, "Active policy pack"),
            (self.pack_warning, "Policy pack review"),
            (self.folder_label, "Data folder"),
        ):
            label.setAccessibleName(name)
            bar.addPermanentWidget(label)
        self.folder_label.setText(f"Log: {self.desk.data_dir}")
        self.officer_label.setText(f"Officer: {self.officer or '(not set)'}")
        self.pack_label.setText("Loading the policy pack…")  # filled in by finish_start, after the window shows

    def update_status(self) -> None:
        self.officer_label.setText(f"Officer: {self.officer or '(not set)'}")
        pack = DeskOp(self, "finding the policy in force", self.desk.active_pack).on_failure(self._no_pack).run()
        if pack is not None:
            self.pack = pack
            if not self._presets_shown:
                self.home.set_presets(pack.guidance.presets)
                self._presets_shown = True
            self.pack_label.setText(f"Policy {pack.id} {pack.version}")
            self.pack_label.setToolTip(f"{pack.instrument}; in force {pack.period()}")
            self.pack_warning.setText("⚠ Pack awaits legal review" if pack.awaiting_review else "")
        session = self.session
        if self.desk.store_is_open and session is not None:
            waiting = (
                DeskOp(self, "counting the review queue", lambda: self.desk.cases.review_count(session))
                .on_failure(lambda exc: self.review_label.setText(f"Log problem: {exc}"))
                .run()
            )
            if waiting is not None:
                self.review_label.setText(f"Awaiting review: {waiting}")

    def _no_pack(self, exc: BaseException) -> None:
        """Shown in the bar, not raised: the log can still be read."""
        self.pack_label.setText(f"No policy pack in force: {exc}")

    def today(self) -> dt.date:
        """Today on the desk's clock, in the zone of the pack in force (UTC before a pack is known)."""
        now = self.desk.clock()
        return (self.pack.local_time(now) if self.pack is not None else now).date()

    def admitted(self, action: str, title: str) -> bool:
        """Whether the session may run `action`; if not, the desk's refusal is shown (before any question)."""
        session = self.session
        op = DeskOp(self, title.lower(), lambda: self.desk.admit(session, action), title=title)
        op.run()
        return op.ok

    # --- start-up -------------------------------------------------------------------------------

    def finish_start(self) -> None:
        """After the window shows: open the log, say what happened to it, offer a draft, ask who is on duty."""
        opened = DeskOp(self, "opening the case log", self.desk.open).on_failure(self._not_opened)
        opened.run()
        if opened.ok:
            self._opened()
            self._check_root()
        self.update_status()
        saved_view = str(self.settings.value("window/view", VIEW_HOME))
        last_view = int(saved_view) if saved_view.isdigit() else VIEW_HOME
        # The log and the queue are reopened; the Policy view (a demo's last stop, often) never is.
        if last_view in (VIEW_LOG, VIEW_REVIEW) and self.desk.store_is_open and self.session is not None:
            self.show_view(last_view)
        self.intakes.offer_drafts()
        ready = self.desk.store_is_open or self.desk.awaiting_setup  # the first start opens nothing before set-up
        if self.session is None and (not ready or not self.ask_officer()):
            self.close()  # no log, or Escape at the sign-in: the app quits, having shown nobody's data
            return
        self._start_idle_lock()
        self.update_status()

    def _opened(self) -> None:
        notices = self.desk.notices()
        if notices:  # e.g. an upgraded install: the log was backed up, then migrated
            self.statusBar().showMessage("; ".join(notices), 30000)

    def _check_root(self) -> None:
        """At every start, the log's first admin key against the one pinned on this PC at install: a log re-created
        whole under a new admin passes every check inside the file, so a difference is said loudly, in a box and
        in red on the status bar for as long as the window is open."""
        from desktop.ui.messages import alarm

        root = DeskOp(self, "comparing the admin key with the one pinned on this PC", self.desk.people.root_check).run()
        if root is None or root.ok:
            return
        text = "\n\n".join(root.problems)
        alarm(
            self,
            "This is not the log set up on this PC",
            f"{text}\n\nRecord nothing and call IT: compare the fingerprint with the paper from set-up.",
        )
        banner = QLabel("Not the log set up on this PC: call IT")
        banner.setAccessibleName("Admin key warning")
        banner.setStyleSheet("QLabel { color: white; background: #b00020; font-weight: bold; padding: 2px 8px; }")
        banner.setToolTip(text)
        self.statusBar().addPermanentWidget(banner)
        self.root_warning = banner

    def _not_opened(self, exc: BaseException) -> None:
        """A log that cannot be opened is said, once; a missing one is replaced only when the officer confirms."""
        from desktop.store.errors import LogMissing  # not at start: the store's package loads its query types

        title = "The case log cannot be opened"
        if isinstance(exc, LogMissing) and self._confirm_new_log(str(exc)):
            self.desk.new_log = True  # confirmed: the new log's first entry says it replaced a lost one
            reopened = DeskOp(self, "starting a new log", self.desk.open, title=title, after="Call IT.")
            reopened.run()
            if reopened.ok:
                self._opened()
            return
        show_error(self, title, exc, after="Call IT.")

    def _confirm_new_log(self, problem: str) -> bool:
        """Ask before a new log replaces a lost one (No by default): restoring the latest backup is the usual answer."""
        return confirm(
            self,
            "The case log is missing",
            f"{problem[0].upper()}{problem[1:]}.\n\nCall IT to restore the latest backup. Start a new log only if "
            "the old one is truly lost: its first entry will say so.\n\nStart a new log now?",
        )

    # --- who is on duty -------------------------------------------------------------------------

    @property
    def officer(self) -> str | None:
        """The signed-in officer's "NAME #BADGE", or None before anyone signed in."""
        return self.session.label if self.session is not None else None

    @property
    def actor(self) -> Session:
        """The signed-in officer, as the desk records them."""
        assert self.session is not None, "no officer signed in"
        return self.session

    def ask_officer(self) -> bool:
        """Sign in (the first admin's set-up on the first start). A second officer may sign in at the
        same PC: the first one's unfinished request stays, as a draft of their own account."""
        from desktop.ui.signin import SetupDialog, SignInDialog

        first_start = DeskOp(self, "looking for accounts", self.desk.people.needs_setup, title="Sign in").run()
        if first_start is None:
            return False
        dialog: SetupDialog | SignInDialog = (
            SetupDialog(desk=self.desk, parent=self) if first_start else SignInDialog(desk=self.desk, parent=self)
        )
        if not dialog.exec() or dialog.actor is None:
            return False
        if first_start:
            fingerprint = DeskOp(self, "reading the admin key fingerprint", self.desk.people.admin_fingerprint).run()
            tell(
                self,
                "Admin key fingerprint",
                f"Write this down and keep it away from this PC:\n\n{fingerprint}\n\n"
                "Every memo prints it; verify compares the log with it.",
            )
        self.switch_session(dialog.actor)
        return True

    def switch_session(self, actor: Session) -> None:
        """Another officer takes the desk: the open request is kept as the previous officer's own draft, and
        every window of theirs is closed."""
        previous = self.session
        if previous is not None and actor is not previous:
            self.intakes.close_for_takeover()
            for dialog in list(self.case_dialogs):  # the case windows were the other officer's
                dialog.done(0)
            for other in (self._reports_dialog, self._help_dialog):
                if other is not None:
                    other.done(0)
            if actor.username != previous.username:
                DeskOp(self, "signing out", lambda: self.desk.people.sign_out(previous)).on_failure(_logged).run()
            self._forget_views()
        self.session = actor
        self.intakes.signed_in(actor)
        self.menus.offer_to(actor)
        self._start_idle_lock()
        self.update_status()

    def _start_idle_lock(self) -> None:
        if self.idle_lock is None:
            from desktop.ui.lock import IdleLock

            self.idle_lock = IdleLock(
                desk=self.desk, session=lambda: self.session, unlocked=self.switch_session, parent=self
            )

    def bring_forward(self) -> None:
        """Come to the front (a second start asked): the lock screen while the desk is locked, never what it hides."""
        lock = self.idle_lock
        front: QWidget = lock.screen if lock is not None and lock.locked and lock.screen is not None else self
        if front is self:
            self.showNormal()
        front.raise_()
        front.activateWindow()

    def lock_now(self) -> None:
        if self.session is not None:
            self._start_idle_lock()
            assert self.idle_lock is not None
            self.idle_lock.lock("locked by hand")

    # --- windows of their own -------------------------------------------------------------------

    def open_audit(self) -> QDialog | None:
        from desktop.ui.audit_view import AuditDialog

        if self.session is None or not self.admitted("log.audit", "Audit log"):
            return None
        dialog = AuditDialog(desk=self.desk, session=self.session, parent=self)
        dialog.show()
        return dialog

    def open_users(self) -> QDialog | None:
        from desktop.ui.users_view import UsersDialog

        if self.session is None or not self.admitted("people.list", "Accounts"):
            return None
        dialog = UsersDialog(desk=self.desk, session=self.session, parent=self)
        dialog.show()
        return dialog

    def open_reports(self) -> QDialog | None:
        """The Reports window (desktop/ui/reports_view.py), for the officer on duty."""
        from desktop.ui.reports_view import ReportsDialog

        session = self.session
        if session is None or not self.admitted("reports.figures", "Oversight reports"):
            return None
        # Built through the desk: it opens on today's year, quarter and month on the desk's clock.
        dialog = DeskOp(self, "opening the reports", lambda: ReportsDialog(self.desk, session, self)).run()
        if dialog is None:
            return None
        self._reports_dialog = dialog
        dialog.show()
        return dialog

    def show_help(self, *, shortcuts: bool = False) -> None:
        from desktop.ui.help import HelpDialog

        dialog = HelpDialog(self.desk, shortcuts=shortcuts, parent=self)
        self._help_dialog = dialog
        dialog.show()

    def about(self) -> None:
        about(
            self,
            f"{APP_NAME} {__version__}\n\nDecides, records and prints the "
            "City's response to federal immigration requests under the Safe Communities ordinance. "
            "Works offline; records no immigration status.",
        )

    # --- intakes and cases ----------------------------------------------------------------------

    def start_intake(self, prefill: dict[str, Any] | None = None) -> IntakeWizard | None:
        """A new request (a preset's answers filled in, if given): desktop/ui/intakes.py."""
        return self.intakes.start(prefill)

    def open_case(self, case_number: str) -> CaseDialog | None:
        from desktop.ui.case_view import open_case

        if self.session is None:
            return None
        dialog = open_case(self, self.desk, self.session, case_number)
        if dialog is None:
            return None
        dialog.amend_requested.connect(self.intakes.amend_case)
        self.case_dialogs.append(dialog)
        dialog.finished.connect(lambda _r, d=dialog: self.case_dialogs.remove(d) if d in self.case_dialogs else None)
        dialog.show()
        return dialog

    # --- views ----------------------------------------------------------------------------------

    def show_view(self, index: int) -> None:
        if index not in self._built:
            view = DeskOp(self, f"opening the {VIEW_NAMES[index].lower()}", lambda: self._build_view(index)).run()
            if view is None:
                return
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, view)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            self._built.add(index)
        self.stack.setCurrentIndex(index)
        self.setWindowTitle(f"{APP_NAME}: {VIEW_NAMES[index]}")
        if index == VIEW_LOG and self._log_view:
            self._log_view.search.setFocus()
        if index == VIEW_REVIEW and self._review_view:
            self._review_view.focus_queue()

    def log_view(self) -> CaseLogView:
        """The case log view, built if it was not shown yet (what Export takes its cases from)."""
        if self._log_view is None:
            self.show_view(VIEW_LOG)
        assert self._log_view is not None
        return self._log_view

    def refresh_views(self, _change: object = None) -> None:
        """The log changed (here, or on a background job): the views read it again."""
        for view in (self._log_view, self._review_view.log if self._review_view else None):
            if view is not None:
                view.refresh()
        self.update_status()

    def _build_view(self, index: int) -> QWidget:
        if index == VIEW_LOG:
            from desktop.ui.case_log import CaseLogView

            self._log_view = CaseLogView(desk=self.desk, session=self.actor)
            self._log_view.open_case.connect(self.open_case)
            return self._log_view
        if index == VIEW_REVIEW:
            from desktop.ui.review import ReviewView

            self._review_view = ReviewView(self)
            self._review_view.log.open_case.connect(self.open_case)
            return self._review_view
        from PySide6.QtGui import QFont

        from desktop.rules.explain import pack_text

        browser = QTextBrowser()
        browser.setAccessibleName("Policy pack: ordinance and rules")
        browser.setFont(QFont("DejaVu Sans Mono"))
        pack = DeskOp(self, "reading the policy", self.desk.active_pack).on_failure(lambda exc: None).run()
        browser.setPlainText(pack_text(pack) if pack is not None else "No policy pack is in force today.")
        self._policy_view = browser
        return browser

    def _forget_views(self) -> None:
        """Drop the views built for the officer who left; the next officer starts at Home."""
        for index in sorted(self._built - {VIEW_HOME}):
            view = self.stack.widget(index)
            self.stack.insertWidget(index, QWidget())
            if view is not None:
                self.stack.removeWidget(view)
                view.deleteLater()
        self._built = {VIEW_HOME}
        self._log_view = None
        self._review_view = None
        self._policy_view = None
        self.stack.setCurrentIndex(VIEW_HOME)

    # --- closing --------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.intakes.quit_asked():
            event.ignore()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/view", self.stack.currentIndex())
        self.settings.sync()
        self._unsubscribe()
        for dialog in list(self.case_dialogs):
            dialog.close()
        from desktop.ui import temporary_files

        temporary_files.remove_all()  # the draft memo
        self.desk.close()
        event.accept()


def _logged(_exc: BaseException) -> None:
    """The DeskOp logged it; the officer who leaves is not kept waiting by an audit entry that failed."""
