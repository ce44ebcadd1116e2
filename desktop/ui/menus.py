"""The main window's actions: the menus, the toolbar and their keys, each offered only to a session the
policy table allows (desk/policy.py); the desk refuses the rest in any case."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar

if TYPE_CHECKING:
    from desktop.desk import Session
    from desktop.ui.main_window import MainWindow

VIEW_HOME, VIEW_LOG, VIEW_REVIEW, VIEW_POLICY = range(4)  # the main window's views, in its stack's order


class Menus:
    """File, View and Help, and the toolbar, of one main window."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.new_action = self._action(
            "&New request", window.start_intake, QKeySequence.StandardKey.New, "Start the intake of a federal request"
        )
        self.view_actions = [
            self._action("&Home", lambda: window.show_view(VIEW_HOME), "Ctrl+H"),
            self._action("Case &log", lambda: window.show_view(VIEW_LOG), "Ctrl+L", "Find and open recorded cases"),
            self._action(
                "&Review queue",
                lambda: window.show_view(VIEW_REVIEW),
                "Ctrl+R",
                "Cases waiting for a supervisor or counsel",
            ),
            self._action(
                "&Policy",
                lambda: window.show_view(VIEW_POLICY),
                "Ctrl+Shift+P",
                "The ordinance and the rules table (read-only)",
            ),
        ]
        self.backup_action = self._action(
            "&Back up the log…", window.jobs.backup, None, "A verified copy of the case log"
        )
        self.verify_action = self._action("&Verify the log", window.jobs.verify, None, "Check the audit chain")
        self.export_action = self._action(
            "&Export memos of the cases shown…",
            window.jobs.export_memos,
            None,
            "Write a memo for every case in the case log view",
        )
        self.officer_action = self._action(
            "&Sign in as another officer…", window.ask_officer, None, "Another officer signs in at this PC"
        )
        self.lock_action = self._action(
            "&Lock now", window.lock_now, "Ctrl+Shift+L", "Hide every case behind the lock screen"
        )
        self.audit_action = self._action(
            "&Audit log…", window.open_audit, None, "Who did what (supervisors and admins)"
        )
        self.users_action = self._action(
            "A&ccounts…", window.open_users, None, "Add, unlock or disable accounts (admins)"
        )
        # Ctrl+Q itself: the standard Quit key is none on Windows (and on the offscreen platform).
        self.quit_action = self._action("&Quit", window.close, "Ctrl+Q")
        about_action = self._action("&About", window.about)
        self.guide_action = self._action(
            "Officer's &guide", lambda: window.show_help(), "F1", "What to do at the desk, step by step"
        )
        self.shortcuts_action = self._action(
            "&Keyboard shortcuts", lambda: window.show_help(shortcuts=True), None, "Every key the window knows"
        )

        file_menu = window.menuBar().addMenu("&File")
        file_menu.addAction(self.new_action)
        file_menu.addSeparator()
        for action in (self.backup_action, self.verify_action, self.export_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        for action in (self.officer_action, self.lock_action, self.audit_action, self.users_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = window.menuBar().addMenu("&View")
        for action in self.view_actions:
            view_menu.addAction(action)
        self.reports_action = self._action(
            "Rep&orts…", window.open_reports, None, "Oversight reports, no personal data"
        )
        view_menu.addAction(self.reports_action)
        help_menu = window.menuBar().addMenu("&Help")
        help_menu.addAction(self.guide_action)
        help_menu.addAction(self.shortcuts_action)
        help_menu.addSeparator()
        help_menu.addAction(about_action)

        toolbar = QToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        # The actions have no icons, so the buttons show their text (and the Qt enums load after start).
        toolbar.addAction(self.new_action)
        for action in self.view_actions[1:]:
            toolbar.addAction(action)
        window.addToolBar(toolbar)

    def _action(
        self,
        text: str,
        slot: Callable[[], Any],
        shortcut: QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self._window)
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            # WORKAROUND: setShortcut() is overloaded, and PySide6 6.12 loads its signature module
            # (about 11 ms) to resolve it; setShortcuts() with a list takes the fast path before start.
            action.setShortcuts([QKeySequence(shortcut)])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def offer_to(self, session: Session | None) -> None:
        """Offer only what the signed-in account may do (desk/policy.py); the desk refuses the rest anyway.

        Before anyone has signed in, nothing that reaches case data or the log is offered at all.
        """
        window = self._window
        for action, name in (
            (self.new_action, "cases.record"),
            (self.view_actions[VIEW_LOG], "cases.search"),
            (self.view_actions[VIEW_REVIEW], "cases.review_queue"),
            (self.backup_action, "copies.backup"),
            (self.verify_action, "log.verify"),
            (self.export_action, "paper.export"),
            (self.lock_action, "people.session"),
            (self.audit_action, "log.audit"),
            (self.users_action, "people.list"),
            (self.reports_action, "reports.figures"),
        ):
            offered = session is not None and window.desk.allowed(session, name)
            action.setVisible(offered)
            action.setEnabled(offered)  # its key too
        window.home.new_button.setVisible(self.new_action.isVisible())
