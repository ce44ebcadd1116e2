"""The main window: New request, Case log, Review queue and Policy views, with menus, toolbar and status bar."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME, __version__
from desktop.store.errors import StoreError
from desktop.ui.drafts import DraftFile
from desktop.ui.officer import OfficerDialog, remembered_officer

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.desk import Change, Desk
    from desktop.records import Actor
    from desktop.rules.jurisdiction import Preset

if TYPE_CHECKING:
    from desktop.desk import Cancelled, Progress
    from desktop.ui.background import BackgroundJob
    from desktop.ui.case_log import CaseLogView
    from desktop.ui.case_view import CaseDialog
    from desktop.ui.intake_wizard import IntakeWizard

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
        self.resume = QPushButton()
        self.resume.setAccessibleName("Resume the unfinished request")
        self.resume.clicked.connect(window.resume_draft)
        self.resume.hide()
        layout.addWidget(self.resume)
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

    def show_draft(self, saved_at: str | None) -> None:
        if saved_at:
            self.resume.setText(f"&Resume the unfinished request (saved {saved_at})")
            self.resume.show()
        else:
            self.resume.hide()


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

        self.log = CaseLogView(desk=window.desk, review_only=True)
        layout.addWidget(self.log, 1)
        row = QHBoxLayout()
        self.resolve_button = QPushButton("Record &outcome…")
        self.resolve_button.setAccessibleName("Record the outcome of the selected case")
        self.resolve_button.clicked.connect(window.resolve_selected)
        row.addWidget(self.resolve_button)
        row.addStretch()
        layout.addLayout(row)


class MainWindow(QMainWindow):
    """Holds no rules, SQL or layout of memos: every action goes through the desk (desktop.desk)."""

    # The desk tells its listeners on the thread that changed the log (a background job's, too);
    # this signal brings the notice to the window's own thread before any widget is touched.
    log_changed = Signal(object)

    def __init__(self, *, desk: Desk, settings: QSettings, officer: str | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.settings = settings
        self.officer = officer
        self.drafts = DraftFile(desk.data_dir)
        self.wizard: IntakeWizard | None = None
        self.case_dialogs: list[CaseDialog] = []
        self._log_view: CaseLogView | None = None
        self._review_view: ReviewView | None = None
        self._policy_view: QTextBrowser | None = None
        self._built = {VIEW_HOME}
        self._presets_shown = False  # the other views are placeholders until first shown
        self.setWindowTitle(f"{APP_NAME}")
        self.resize(1180, 760)
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
        self.officer_action = self._action("Change &officer…", self.ask_officer, None, "Who is on duty")
        quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        about = self._action("&About", self.about)

        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.new_action)
        file_menu.addSeparator()
        for action in (self.backup_action, self.verify_action, self.export_action, self.officer_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        for action in self.view_actions:
            view_menu.addAction(action)
        self.reports_action = self._action("Re&ports…", self.open_reports, None, "Oversight reports, no personal data")
        view_menu.addAction(self.reports_action)
        help_menu = self.menuBar().addMenu("&Help")
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
                waiting = self.desk.referred_count()
                self.review_label.setText(f"Awaiting review: {waiting}")
            except StoreError as exc:
                log.exception("the review count could not be read")
                self.review_label.setText(f"Log problem: {exc}")

    # --- start-up -------------------------------------------------------------------------------

    def finish_start(self) -> None:
        """After the window shows: open the log, say what happened to it, offer a draft, ask who is on duty."""
        try:
            notices = self.desk.store.notices
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
        if last_view != VIEW_HOME and self.desk.store_is_open:
            self.show_view(last_view)
        self._offer_draft()
        if self.officer is None:
            self.officer = remembered_officer(self.settings)
        if self.officer is None:
            QTimer.singleShot(0, self.ask_officer)
        self.update_status()

    def ask_officer(self) -> bool:
        dialog = OfficerDialog(self.settings, self)
        if dialog.exec():
            self.officer = dialog.officer
            self.update_status()
            return True
        return False

    # --- views ----------------------------------------------------------------------------------

    def _build_view(self, index: int) -> QWidget:
        if index == VIEW_LOG:
            from desktop.ui.case_log import CaseLogView

            self._log_view = CaseLogView(desk=self.desk)
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

    def _log_changed(self, _change: Change | None = None) -> None:
        for view in (self._log_view, self._review_view.log if self._review_view else None):
            if view is not None:
                view.refresh()
        self.update_status()

    # --- intake ---------------------------------------------------------------------------------

    def _ensure_officer(self) -> bool:
        return self.officer is not None or self.ask_officer()

    @property
    def actor(self) -> Actor:
        """The officer on duty, as the desk records them (ask first with `_ensure_officer`)."""
        from desktop.records import Actor

        assert self.officer is not None, "no officer on duty"
        return Actor.parse(self.officer)

    def start_intake(
        self, prefill: dict[str, Any] | None = None, *, amend_case: str | None = None
    ) -> IntakeWizard | None:
        if not self._ensure_officer():
            return None
        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.raise_()
            self.wizard.activateWindow()
            return self.wizard
        assert self.officer is not None
        from desktop.ui.intake_wizard import IntakeWizard

        wizard = IntakeWizard(desk=self.desk, officer=self.officer, amend_case=amend_case, parent=self)
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
        if wizard is not None and wizard.saved is None:
            try:
                self.drafts.save(wizard.intake_data(), amend_case=wizard.amend_case)
            except OSError as exc:
                self.statusBar().showMessage(f"The draft could not be saved: {exc}", 8000)

    def _recorded(self, case_number: str) -> None:
        self._draft_timer.stop()
        self.drafts.clear()
        self.statusBar().showMessage(f"Recorded case {case_number}", 10000)

    def _offer_draft(self) -> None:
        draft = self.drafts.load()
        saved_at = None
        if draft is not None:
            try:
                saved_at = dt.datetime.fromisoformat(draft["saved_at"]).astimezone().strftime("%a %d %b %H:%M")
            except (KeyError, ValueError):
                saved_at = "earlier"
        self.home.show_draft(saved_at)

    def resume_draft(self) -> None:
        draft = self.drafts.load()
        if draft is not None:
            self.start_intake(draft["intake"], amend_case=draft.get("amend_case"))

    # --- cases ----------------------------------------------------------------------------------

    def open_case(self, case_number: str) -> CaseDialog | None:
        from desktop.ui.case_view import CaseDialog

        try:
            dialog = CaseDialog(desk=self.desk, case_number=case_number, officer=self.officer, parent=self)
        except StoreError as exc:
            QMessageBox.critical(self, "Case", str(exc))
            return None
        dialog.amend_requested.connect(self.amend_case)
        self.case_dialogs.append(dialog)
        dialog.finished.connect(lambda _r, d=dialog: self.case_dialogs.remove(d) if d in self.case_dialogs else None)
        dialog.show()
        return dialog

    def amend_case(self, case_number: str) -> IntakeWizard | None:
        record = self.desk.open_case(case_number)
        return self.start_intake(record.current.intake, amend_case=case_number)

    def resolve_selected(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        if self._review_view is None:
            return
        case_number = self._review_view.log.selected_case()
        if case_number is None:
            QMessageBox.information(self, "Record outcome", "Select a case in the review queue first.")
            return
        if not self._ensure_officer():
            return
        outcome, ok = QInputDialog.getMultiLineText(
            self, f"Outcome of case {case_number}", "What was decided, and by whom (supervisor or counsel):"
        )
        if not ok:
            return
        if not outcome.strip():
            QMessageBox.warning(self, "Record outcome", "Describe the outcome; nothing was recorded.")
            return
        try:
            saved = self.desk.resolve(case_number, actor=self.actor, outcome=outcome.strip())
        except (StoreError, ValueError) as exc:
            log.exception("resolving case %s failed", case_number)
            QMessageBox.critical(self, "Record outcome", str(exc))
            return
        self.statusBar().showMessage(f"Case {case_number} resolved (version {saved.version})", 10000)

    # --- long jobs ------------------------------------------------------------------------------

    def backup(self, target: Path | None = None) -> BackgroundJob | None:
        if not self._ensure_officer():
            return None
        if target is None:
            default = str(Path.home() / f"safedesk-backup-{self.desk.local_now().date().isoformat()}.db")
            name, _ = QFileDialog.getSaveFileName(self, "Back up the case log", default, "Case log (*.db)")
            if not name:
                return None
            target = Path(name)
        desk, actor = self.desk, self.actor

        def job(progress: Progress, _cancelled: Cancelled) -> str:
            progress(0, 0)
            result = desk.backup(target, actor=actor)
            return f"Backed up to {result.path} ({result.report.records_checked} records verified)"

        return self._run("Backing up the case log", job)

    def export_memos(self, folder: Path | None = None) -> BackgroundJob | None:
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
        desk, actor = self.desk, self.actor

        def job(progress: Progress, cancelled: Cancelled) -> str:
            result = desk.export_memos(folder, query, actor=actor, progress=progress, cancelled=cancelled)
            stopped = " (stopped)" if result.cancelled else ""
            return f"Wrote {len(result.files)} memo(s) to {folder}{stopped}"

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
            self._verify_result = desk.verify_log(actor=actor)
            return "Verified the case log"

        runner = self._run("Verifying the case log", job)
        runner.finished.connect(lambda _message: self._show_verify())
        return runner

    def _show_verify(self) -> None:
        check = self._verify_result
        if check is None:
            return
        if check.ok:
            QMessageBox.information(
                self,
                "Verify the log",
                f"The log is intact: {check.entries_checked} audit "
                f"entries and {check.records_checked} records checked.\n"
                f"Chain head {check.chain_head}",
            )
        else:
            QMessageBox.critical(
                self, "Verify the log", "The log has been altered:\n\n" + "\n".join(check.problems[:10])
            )

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
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/view", self.stack.currentIndex())
        self.settings.sync()
        self._unsubscribe()
        self.desk.close()
        event.accept()
