"""The main window: New request, Case log, Review queue and Policy views, with menus, toolbar and status bar."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME, __version__, present
from desktop.store.errors import LogMissing, StoreError
from desktop.ui import temporary_files
from desktop.ui.drafts import Draft, DraftStore

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.desk import Change, Desk, Session
    from desktop.rules.jurisdiction import Preset

if TYPE_CHECKING:
    from desktop.desk import Cancelled, Progress
    from desktop.ui.background import BackgroundJob
    from desktop.ui.case_log import CaseLogView
    from desktop.ui.case_view import CaseDialog
    from desktop.ui.intake_wizard import IntakeWizard
    from desktop.ui.lock import IdleLock

log = logging.getLogger(__name__)

VIEW_HOME, VIEW_LOG, VIEW_REVIEW, VIEW_POLICY = range(4)
VIEW_NAMES = ("New request", "Case log", "Review queue", "Policy")


class HomeView(QWidget):
    """Where a shift starts: one big button, the common papers, and any unfinished request to resume."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        title = QLabel("A federal immigration request has arrived")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        layout.addWidget(
            QLabel("Enter what you have in hand. The app tells you what to do, and why, before anything is recorded.")
        )
        self.new_button = QPushButton("&New request  (Ctrl+N)")
        self.new_button.setAccessibleName("New request")
        self.new_button.setMinimumHeight(56)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.3)
        self.new_button.setFont(big)
        self.new_button.clicked.connect(lambda: window.start_intake())
        layout.addWidget(self.new_button)
        # Every unfinished request, newest first, with its time and booking number; none is ever dropped silently.
        self.drafts_box = QWidget()
        drafts_layout = QVBoxLayout(self.drafts_box)
        drafts_layout.setContentsMargins(0, 8, 0, 0)
        self.drafts_label = QLabel("Unfinished &requests (saved as you typed):")
        self.drafts = QListWidget()
        self.drafts.setAccessibleName("Unfinished requests")
        self.drafts.setMaximumHeight(120)
        self.drafts_label.setBuddy(self.drafts)
        self.drafts.itemActivated.connect(lambda _item: window.resume_draft())
        drafts_layout.addWidget(self.drafts_label)
        drafts_layout.addWidget(self.drafts)
        drafts_buttons = QHBoxLayout()
        self.resume = QPushButton("Re&sume")
        self.resume.setAccessibleName("Resume the selected unfinished request")
        self.resume.clicked.connect(lambda: window.resume_draft())
        self.discard = QPushButton("&Discard…")
        self.discard.setAccessibleName("Discard the selected unfinished request")
        self.discard.clicked.connect(lambda: window.discard_draft())
        drafts_buttons.addWidget(self.resume)
        drafts_buttons.addWidget(self.discard)
        drafts_buttons.addStretch()
        drafts_layout.addLayout(drafts_buttons)
        self.drafts_box.hide()
        layout.addWidget(self.drafts_box)
        layout.addSpacing(16)
        self.presets_label = QLabel("Or start from a common paper:")
        self.presets_label.hide()
        layout.addWidget(self.presets_label)
        self.presets = QVBoxLayout()
        layout.addLayout(self.presets)
        self._window = window
        layout.addStretch()

    def set_presets(self, presets: Sequence[Preset]) -> None:
        """The pack's common papers, as buttons (filled in once the pack has loaded, after the window shows)."""
        while self.presets.count():
            item = self.presets.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for preset in presets:
            button = QPushButton(preset.name)
            button.setAccessibleName(f"Start from: {preset.name}")
            button.clicked.connect(lambda _checked=False, p=preset: self._window.start_intake(dict(p.intake)))
            self.presets.addWidget(button)
        self.presets_label.setVisible(bool(presets))

    def show_drafts(self, drafts: Sequence[tuple[str, str]]) -> None:
        """(draft id, description) of each unfinished request, newest first."""
        self.drafts.clear()
        for draft_id, text in drafts:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, draft_id)
            self.drafts.addItem(item)
        if drafts:
            self.drafts.setCurrentRow(0)
        self.drafts_box.setVisible(bool(drafts))

    def selected_draft(self) -> str | None:
        item = self.drafts.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None


class ReviewView(QWidget):
    """Cases referred to counsel or overridden by the officer, with a way to record the outcome."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Cases waiting for a supervisor or counsel. Record the outcome as an "
                "amendment: the original decision stays in the log."
            )
        )
        from desktop.ui.case_log import CaseLogView  # the views load when first shown, not at start

        assert window.session is not None  # the views are built only for someone signed in
        self.log = CaseLogView(desk=window.desk, session=window.session, review_only=True)
        layout.addWidget(self.log, 1)
        row = QHBoxLayout()
        self.resolve_button = QPushButton("Record &outcome…")
        self.resolve_button.setAccessibleName("Record the outcome of the selected case")
        self.resolve_button.clicked.connect(window.resolve_selected)
        row.addWidget(self.resolve_button)
        row.addStretch()
        layout.addLayout(row)
        # By keyboard: the queue first, then Record outcome, then the search and filters.
        QWidget.setTabOrder(self.log.table, self.resolve_button)
        QWidget.setTabOrder(self.resolve_button, self.log.search)

    def focus_queue(self) -> None:
        """Put the keyboard in the queue, on its first case when none is selected."""
        table = self.log.table
        if not table.currentIndex().isValid() and self.log.model.rowCount():
            table.selectRow(0)
        table.setFocus()


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
        self.idle_lock: IdleLock | None = None
        self.drafts = DraftStore(desk.data_dir, clock=desk.clock, owner=session.username if session else None)
        self.wizard: IntakeWizard | None = None
        self.case_dialogs: list[CaseDialog] = []
        self._log_view: CaseLogView | None = None
        self._review_view: ReviewView | None = None
        self._policy_view: QTextBrowser | None = None
        self._built = {VIEW_HOME}
        self._presets_shown = False  # the other views are placeholders until first shown
        self.setWindowTitle(f"{APP_NAME}")
        from desktop.ui.widgets import fit_to_screen

        fit_to_screen(self, 1180, 760)
        self.stack = QStackedWidget()
        self.home = HomeView(self)
        self.stack.addWidget(self.home)
        for _ in range(3):  # the other views are built when first shown, after the store is open
            self.stack.addWidget(QWidget())
        self.setCentralWidget(self.stack)
        self._make_actions()
        self._make_status_bar()
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(400)
        self._draft_timer.timeout.connect(self._save_draft)
        self.log_changed.connect(self._log_changed)
        self._unsubscribe = desk.changes.subscribe(self.log_changed.emit)
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
            screen = self.screen().availableGeometry() if self.screen() is not None else None
            if screen is not None and not screen.contains(self.frameGeometry()):
                fit_to_screen(self, 1180, 760)  # saved on a bigger screen, or at another scale

    # --- actions, menus and status bar ----------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Any,
        shortcut: QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            # WORKAROUND: setShortcut() is overloaded, and PySide6 6.12 loads its signature module
            # (about 11 ms) to resolve it; setShortcuts() with a list takes the fast path before start.
            action.setShortcuts([QKeySequence(shortcut)])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        self.new_action = self._action(
            "&New request",
            lambda: self.start_intake(),
            QKeySequence.StandardKey.New,
            "Start the intake of a federal request",
        )
        self.view_actions = [
            self._action("&Home", lambda: self.show_view(VIEW_HOME), "Ctrl+H"),
            self._action("Case &log", lambda: self.show_view(VIEW_LOG), "Ctrl+L", "Find and open recorded cases"),
            self._action(
                "&Review queue",
                lambda: self.show_view(VIEW_REVIEW),
                "Ctrl+R",
                "Cases waiting for a supervisor or counsel",
            ),
            self._action(
                "&Policy",
                lambda: self.show_view(VIEW_POLICY),
                "Ctrl+Shift+P",
                "The ordinance and the rules table (read-only)",
            ),
        ]
        self.backup_action = self._action("&Back up the log…", self.backup, None, "A verified copy of the case log")
        self.verify_action = self._action("&Verify the log", self.verify, None, "Check the audit chain")
        self.export_action = self._action(
            "&Export memos of the cases shown…",
            self.export_memos,
            None,
            "Write a memo for every case in the case log view",
        )
        self.officer_action = self._action(
            "&Sign in as another officer…", self.ask_officer, None, "Another officer signs in at this PC"
        )
        self.lock_action = self._action(
            "&Lock now", self.lock_now, "Ctrl+Shift+L", "Hide every case behind the lock screen"
        )
        self.audit_action = self._action("&Audit log…", self.open_audit, None, "Who did what (supervisors and admins)")
        self.users_action = self._action(
            "A&ccounts…", self.open_users, None, "Add, unlock or disable accounts (admins)"
        )
        quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        about = self._action("&About", self.about)
        self.guide_action = self._action(
            "Officer's &guide", lambda: self.show_help(), "F1", "What to do at the desk, step by step"
        )
        self.shortcuts_action = self._action(
            "&Keyboard shortcuts", lambda: self.show_help(shortcuts=True), None, "Every key the window knows"
        )

        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.new_action)
        file_menu.addSeparator()
        for action in (self.backup_action, self.verify_action, self.export_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        for action in (self.officer_action, self.lock_action, self.audit_action, self.users_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        for action in self.view_actions:
            view_menu.addAction(action)
        self.reports_action = self._action("Re&ports…", self.open_reports, None, "Oversight reports, no personal data")
        view_menu.addAction(self.reports_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.guide_action)
        help_menu.addAction(self.shortcuts_action)
        help_menu.addSeparator()
        help_menu.addAction(about)

        toolbar = QToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        # The actions have no icons, so the buttons show their text (and the Qt enums load after start).
        toolbar.addAction(self.new_action)
        for action in self.view_actions[1:]:
            toolbar.addAction(action)
        self.addToolBar(toolbar)

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
        try:
            pack = self.desk.active_pack()
            if not self._presets_shown:
                self.home.set_presets(pack.guidance.presets)
                self._presets_shown = True
            self.pack_label.setText(f"Policy {pack.id} {pack.version}")
            self.pack_label.setToolTip(f"{pack.instrument}; in force {pack.period()}")
            self.pack_warning.setText("⚠ Pack awaits legal review" if pack.awaiting_review else "")
        except Exception as exc:  # shown in the bar, not raised: the log can still be read
            log.exception("no policy pack is in force")
            self.pack_label.setText(f"No policy pack in force: {exc}")
        if self.desk.store_is_open:
            try:
                waiting = self.desk.cases.review_count(self.session) if self.session is not None else 0
                self.review_label.setText(f"Awaiting review: {waiting}")
            except StoreError as exc:
                log.exception("the review count could not be read")
                self.review_label.setText(f"Log problem: {exc}")

    # --- start-up -------------------------------------------------------------------------------

    def finish_start(self) -> None:
        """After the window shows: open the log, say what happened to it, offer a draft, ask who is on duty."""
        try:
            try:
                self.desk.open()
            except LogMissing as missing:
                if not self._confirm_new_log(str(missing)):
                    raise
                self.desk.new_log = True  # confirmed: the new log's first entry says it replaced a lost one
                self.desk.open()
            notices = self.desk.notices()
            if notices:  # e.g. an upgraded install: the log was backed up, then migrated
                self.statusBar().showMessage("; ".join(notices), 30000)
        except StoreError as exc:
            log.exception("the case log could not be opened")
            QMessageBox.critical(self, "The case log cannot be opened", f"{exc}\n\nCall IT; nothing was changed.")
        self.update_status()
        try:
            last_view = int(str(self.settings.value("window/view", VIEW_HOME)))
        except ValueError:
            last_view = VIEW_HOME
        # The log and the queue are reopened; the Policy view (a demo's last stop, often) never is.
        if last_view in (VIEW_LOG, VIEW_REVIEW) and self.desk.store_is_open:
            self.show_view(last_view)
        self._offer_draft()
        if self.session is None:
            QTimer.singleShot(0, self.ask_officer)
        else:
            self._start_idle_lock()
        self.update_status()

    def _confirm_new_log(self, problem: str) -> bool:
        """Ask before a new log replaces a lost one (No by default): restoring the latest backup is the usual answer."""
        answer = QMessageBox.question(
            self,
            "The case log is missing",
            f"{problem[0].upper()}{problem[1:]}.\n\nCall IT to restore the latest backup. Start a new log only if "
            "the old one is truly lost: its first entry will say so.\n\nStart a new log now?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    @property
    def officer(self) -> str | None:
        """The signed-in officer's "NAME #BADGE", or None before anyone signed in."""
        return self.session.label if self.session is not None else None

    def ask_officer(self) -> bool:
        """Sign in (the first admin's set-up on the first start). A second officer may sign in at the
        same PC: the first one's unfinished request stays, as a draft of their own account."""
        from desktop.ui.signin import SetupDialog, SignInDialog

        try:
            first_start = self.desk.people.needs_setup()
        except StoreError as exc:
            QMessageBox.critical(self, "Sign in", str(exc))
            return False
        dialog: SetupDialog | SignInDialog = (
            SetupDialog(desk=self.desk, parent=self) if first_start else SignInDialog(desk=self.desk, parent=self)
        )
        if not dialog.exec() or dialog.actor is None:
            return False
        if first_start:
            QMessageBox.information(
                self,
                "Admin key fingerprint",
                f"Write this down and keep it away from this PC:\n\n{self.desk.people.admin_fingerprint()}\n\n"
                "Every memo prints it; verify compares the log with it.",
            )
        self.switch_session(dialog.actor)
        return True

    def switch_session(self, actor: Session) -> None:
        """Another officer takes the desk: the open request is kept as the previous officer's own draft."""
        if self.session is not None and actor.username != self.session.username:
            if self.wizard is not None and self.wizard.isVisible():
                self._save_draft()
                self.wizard.done(0)
                self.wizard = None
            for dialog in list(self.case_dialogs):  # the case windows were the other officer's
                dialog.done(0)
            try:
                self.desk.people.sign_out(self.session)
            except StoreError:
                log.exception("the sign-out could not be audited")
            self._forget_views()
        self.session = actor
        self.drafts = DraftStore(self.desk.data_dir, clock=self.desk.clock, owner=actor.username)
        self._offer_draft()
        self._start_idle_lock()
        self.update_status()

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

    def _start_idle_lock(self) -> None:
        if self.idle_lock is None:
            from desktop.ui.lock import IdleLock

            self.idle_lock = IdleLock(
                desk=self.desk, session=lambda: self.session, unlocked=self.switch_session, parent=self
            )

    def lock_now(self) -> None:
        if self.session is not None:
            self._start_idle_lock()
            assert self.idle_lock is not None
            self.idle_lock.lock("locked by hand")

    def open_audit(self) -> QDialog | None:
        from desktop.ui.audit_view import AuditDialog

        if not self._ensure_officer():
            return None
        if not self.desk.allowed(self.actor, "log.audit"):
            QMessageBox.warning(self, "Audit log", "Only a supervisor or an admin sees the audit log.")
            return None
        try:
            dialog = AuditDialog(desk=self.desk, session=self.actor, parent=self)
        except (StoreError, ValueError) as exc:
            QMessageBox.warning(self, "Audit log", str(exc))
            return None
        dialog.show()
        return dialog

    def open_users(self) -> QDialog | None:
        from desktop.ui.users_view import UsersDialog

        if not self._ensure_officer():
            return None
        if not self.desk.allowed(self.actor, "people.list"):
            QMessageBox.warning(self, "Accounts", "Only an admin manages accounts.")
            return None
        dialog = UsersDialog(desk=self.desk, session=self.actor, parent=self)
        dialog.show()
        return dialog

    # --- views ----------------------------------------------------------------------------------

    def _build_view(self, index: int) -> QWidget:
        if index == VIEW_LOG:
            from desktop.ui.case_log import CaseLogView

            self._log_view = CaseLogView(desk=self.desk, session=self.actor)
            self._log_view.open_case.connect(self.open_case)
            return self._log_view
        if index == VIEW_REVIEW:
            self._review_view = ReviewView(self)
            self._review_view.log.open_case.connect(self.open_case)
            return self._review_view
        from desktop.rules.explain import pack_text

        browser = QTextBrowser()
        browser.setAccessibleName("Policy pack: ordinance and rules")
        browser.setFont(QFont("DejaVu Sans Mono"))
        try:
            browser.setPlainText(pack_text(self.desk.active_pack()))
        except Exception as exc:  # a missing pack is shown, not raised
            log.exception("the policy view could not load a pack")
            browser.setPlainText(f"No policy pack could be loaded: {exc}")
        self._policy_view = browser
        return browser

    def show_view(self, index: int) -> None:
        if index not in self._built:
            try:
                view = self._build_view(index)
            except StoreError as exc:
                log.exception("the %s view could not be built", VIEW_NAMES[index])
                QMessageBox.critical(self, VIEW_NAMES[index], str(exc))
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

    def _log_changed(self, _change: Change | None = None) -> None:
        for view in (self._log_view, self._review_view.log if self._review_view else None):
            if view is not None:
                view.refresh()
        self.update_status()

    # --- intake ---------------------------------------------------------------------------------

    def _ensure_officer(self) -> bool:
        return self.officer is not None or self.ask_officer()

    @property
    def actor(self) -> Session:
        """The signed-in officer, as the desk records them (ask first with `_ensure_officer`)."""
        assert self.session is not None, "no officer signed in"
        return self.session

    def start_intake(
        self, prefill: dict[str, Any] | None = None, *, amend_case: str | None = None, draft_id: str | None = None
    ) -> IntakeWizard | None:
        if not self._ensure_officer():
            return None
        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.raise_()
            self.wizard.activateWindow()
            return self.wizard
        assert self.session is not None
        from desktop.ui.intake_wizard import IntakeWizard

        wizard = IntakeWizard(desk=self.desk, session=self.session, amend_case=amend_case, parent=self)
        wizard.draft_id = draft_id or self.drafts.new_id()
        if prefill:
            wizard.load(prefill, keep_received=amend_case is None and "received_at" not in prefill)
        wizard.changed.connect(self._draft_timer.start)
        wizard.recorded.connect(self._recorded)
        wizard.finished.connect(lambda _result: self._offer_draft())
        self.wizard = wizard
        wizard.show()
        return wizard

    def _save_draft(self) -> None:
        wizard = self.wizard
        if wizard is not None and wizard.saved is None and wizard.draft_id is not None:
            try:
                self.drafts.save(wizard.draft_id, wizard.intake_data(), amend_case=wizard.amend_case)
            except OSError as exc:
                self.statusBar().showMessage(f"The draft could not be saved: {exc}", 8000)

    def _recorded(self, case_number: str) -> None:
        self._draft_timer.stop()
        if self.wizard is not None and self.wizard.draft_id is not None:
            self.drafts.remove(self.wizard.draft_id)  # this request's own draft only
        self.statusBar().showMessage(f"Recorded case {case_number}", 10000)

    def _describe_draft(self, draft: Draft) -> str:
        saved = self.desk.local_time(draft.saved_at) if self.desk.store_is_open else draft.saved_at.astimezone()
        bits = [f"saved {saved:%a %d %b %H:%M}"]
        bits.append(f"booking {draft.booking_number}" if draft.booking_number else "no booking number")
        if draft.name:
            bits.append(draft.name)
        if draft.amend_case:
            bits.append(f"amending case {draft.amend_case}")
        return ", ".join(bits)

    def _offer_draft(self) -> None:
        try:
            drafts = [(d.id, self._describe_draft(d)) for d in self.drafts.list()]
        except Exception:  # a draft that cannot be shown is not worth a failed start
            log.exception("the drafts could not be listed")
            drafts = []
        self.home.show_drafts(drafts)

    def resume_draft(self, draft_id: str | None = None) -> IntakeWizard | None:
        draft_id = draft_id or self.home.selected_draft()
        draft = self.drafts.load(draft_id) if draft_id else None
        if draft is None:
            return None
        if self.wizard is not None and self.wizard.isVisible() and self.wizard.draft_id != draft.id:
            QMessageBox.information(self, "Resume", "Finish or close the request that is open first.")
            return None
        return self.start_intake(draft.intake, amend_case=draft.amend_case, draft_id=draft.id)

    def discard_draft(self, draft_id: str | None = None) -> bool:
        draft_id = draft_id or self.home.selected_draft()
        if not draft_id:
            return False
        if self.wizard is not None and self.wizard.isVisible() and self.wizard.draft_id == draft_id:
            QMessageBox.information(self, "Discard", "That request is open: close it first.")
            return False
        answer = QMessageBox.question(
            self,
            "Discard the unfinished request?",
            "Discard this unfinished request? What was typed in it is deleted; nothing was recorded.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.drafts.remove(draft_id)
        self._offer_draft()
        return True

    def show_help(self, *, shortcuts: bool = False) -> None:
        from desktop.ui.help import HelpDialog

        dialog = HelpDialog(self.desk, shortcuts=shortcuts, parent=self)
        self._help_dialog = dialog
        dialog.show()

    # --- cases ----------------------------------------------------------------------------------

    def open_case(self, case_number: str) -> CaseDialog | None:
        from desktop.ui.case_view import CaseDialog

        try:
            dialog = CaseDialog(desk=self.desk, case_number=case_number, session=self.actor, parent=self)
        except StoreError as exc:
            QMessageBox.critical(self, "Case", str(exc))
            return None
        dialog.amend_requested.connect(self.amend_case)
        self.case_dialogs.append(dialog)
        dialog.finished.connect(lambda _r, d=dialog: self.case_dialogs.remove(d) if d in self.case_dialogs else None)
        dialog.show()
        return dialog

    def amend_case(self, case_number: str) -> IntakeWizard | None:
        record = self.desk.cases.open(self.actor, case_number, audit=False)
        return self.start_intake(record.current.intake.to_dict(), amend_case=case_number)

    def resolve_selected(self) -> None:
        if self._review_view is None:
            return
        case_number = self._review_view.log.selected_case()
        if case_number is None and self._review_view.log.model.rowCount() == 1:
            case_number = self._review_view.log.model.case_number(0)  # the only case: no need to select it
        if case_number is None:
            QMessageBox.information(self, "Record outcome", "Select a case in the review queue first.")
            return
        if not self._ensure_officer():
            return
        from desktop.ui.review import OutcomeDialog

        dialog = OutcomeDialog(case_number, self)
        if not dialog.exec():
            return
        outcome = dialog.outcome()
        if not outcome.strip():
            QMessageBox.warning(self, "Record outcome", "Describe the outcome; nothing was recorded.")
            return
        try:
            saved = self.desk.cases.resolve(self.actor, case_number, outcome=outcome.strip())
        except (StoreError, ValueError) as exc:
            log.exception("resolving case %s failed", case_number)
            QMessageBox.critical(self, "Record outcome", str(exc))
            return
        self.statusBar().showMessage(f"Case {case_number} resolved (version {saved.version})", 10000)

    # --- long jobs ------------------------------------------------------------------------------

    def backup(self, target: Path | None = None, *, passphrase: str | None = None) -> BackgroundJob | None:
        """A verified copy of the log; one outside the data folder is encrypted, with a passphrase asked for."""
        if not self._ensure_officer():
            return None
        if target is None:
            default = str(Path.home() / f"safedesk-backup-{self.desk.local_now().date().isoformat()}.db.enc")
            name, _ = QFileDialog.getSaveFileName(
                self, "Back up the case log", default, "Encrypted case log (*.enc);;Case log (*.db)"
            )
            if not name:
                return None
            target = Path(name)
        if passphrase is None:
            from desktop.ui.passphrase import ask_copy_passphrase

            go_on, passphrase = ask_copy_passphrase(self.desk, target, self)
            if not go_on:
                return None
        desk, actor = self.desk, self.actor

        def job(progress: Progress, _cancelled: Cancelled) -> str:
            progress(0, 0)
            result = desk.copies.backup(actor, target, passphrase=passphrase)
            sealed = " (encrypted)" if passphrase is not None else ""
            return f"Backed up to {result.path}{sealed} ({result.report.records_checked} records verified)"

        return self._run("Backing up the case log", job)

    def export_memos(self, folder: Path | None = None, *, passphrase: str | None = None) -> BackgroundJob | None:
        """The memo of every case the log shows, into a folder; outside the data folder they are encrypted."""
        if not self._ensure_officer():
            return None
        if self._log_view is None:
            self.show_view(VIEW_LOG)
        assert self._log_view is not None
        query = self._log_view.current_query()
        if folder is None:
            name = QFileDialog.getExistingDirectory(self, "Write the memos to")
            if not name:
                return None
            folder = Path(name)
        if passphrase is None:
            from desktop.ui.passphrase import ask_copy_passphrase

            go_on, passphrase = ask_copy_passphrase(self.desk, folder / "memo.pdf", self)
            if not go_on:
                return None
        desk, actor = self.desk, self.actor

        def job(progress: Progress, cancelled: Cancelled) -> str:
            result = desk.paper.export_memos(
                actor, folder, query, progress=progress, cancelled=cancelled, passphrase=passphrase
            )
            stopped = " (stopped)" if result.cancelled else ""
            sealed = ", encrypted" if passphrase is not None else ""
            return f"Wrote {len(result.files)} memo(s) to {folder}{sealed}{stopped}"

        return self._run("Exporting memos", job)

    def _run(self, title: str, job: Any) -> BackgroundJob:
        from desktop.ui.background import BackgroundJob  # loaded with the first long job, not at start

        runner = BackgroundJob(self, title, job, desk=self.desk)
        runner.finished.connect(lambda message: self._job_done(str(message)))
        runner.failed.connect(lambda message: QMessageBox.critical(self, title, message))  # logged by the job
        runner.start()
        return runner

    def _job_done(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)
        self._log_changed()

    def verify(self) -> BackgroundJob | None:
        """Check the whole log on a background thread (it takes a minute on a large log)."""
        if not self._ensure_officer():
            return None
        desk, actor = self.desk, self.actor
        self._verify_result: Any = None

        def job(progress: Progress, _cancelled: Cancelled) -> str:
            progress(0, 0)
            self._verify_result = desk.log.verify(actor)
            return "Verified the case log"

        runner = self._run("Verifying the case log", job)
        runner.finished.connect(lambda _message: self._show_verify())
        return runner

    def _show_verify(self) -> None:
        check = self._verify_result
        if check is None:
            return
        # The same rows as `main.py verify` prints (desktop/present.py): counts, head, fingerprint, problems.
        rows = present.log_check_rows(check)
        details = "\n".join(f"{row.label}: {row.value}" for row in rows[1:12])
        if check.ok:
            QMessageBox.information(self, "Verify the log", f"The log is intact.\n\n{details}")
        else:
            QMessageBox.critical(self, "Verify the log", f"The log has been altered.\n\n{details}")

    def open_reports(self) -> QWidget | None:
        """The Reports window (desktop/ui/reports_view.py), for the officer on duty."""
        if not self._ensure_officer():
            return None
        from desktop.ui.reports_view import open_reports

        self._reports_dialog = open_reports(self.desk, self.actor, self)
        return self._reports_dialog

    def about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\n\nDecides, records and prints the "
            "City's response to federal immigration requests under the Safe Communities ordinance. "
            "Works offline; records no immigration status.",
        )

    # --- closing --------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.wizard is not None and self.wizard.isVisible() and self.wizard.has_answers:
            self._save_draft()
            answer = QMessageBox.question(
                self,
                "Quit?",
                "A request is not recorded yet. Quit anyway? It stays saved as a draft.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self.wizard.discard_quietly()  # asked once: the wizard does not ask again
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/view", self.stack.currentIndex())
        self.settings.sync()
        self._unsubscribe()
        for dialog in list(self.case_dialogs):
            dialog.close()
        temporary_files.remove_all()  # the draft memo, copies of attachments opened
        self.desk.close()
        event.accept()
