"""The review queue: cases referred to counsel or overridden by the officer, and the supervisor's outcome
of one, by keyboard (Tab leaves the text, Ctrl+Enter records)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.case_log import CaseLogView
from desktop.ui.messages import confirm, tell
from desktop.ui.ops import DeskOp
from desktop.ui.screen import fit_to_screen
from desktop.ui.widgets import FieldError

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


class ReviewView(QWidget):
    """Cases referred to counsel or overridden by the officer, with a way to record the outcome."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        assert window.session is not None  # the views are built only for someone signed in
        self._window = window
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Cases waiting for a supervisor or counsel. Record the outcome as an "
                "amendment: the original decision stays in the log."
            )
        )
        self.log = CaseLogView(desk=window.desk, session=window.session, review_only=True)
        layout.addWidget(self.log, 1)
        row = QHBoxLayout()
        self.resolve_button = QPushButton("Record &outcome…")
        self.resolve_button.setAccessibleName("Record the outcome of the selected case")
        self.resolve_button.clicked.connect(self.resolve_selected)
        # Only a supervisor records an outcome (desk/policy.py); the desk refuses anyone else in any case.
        self.resolve_button.setVisible(window.desk.allowed(window.session, "cases.resolve"))
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

    def resolve_selected(self) -> None:
        """The outcome of the selected case (or the only one), recorded by the desk as a new version."""
        window = self._window
        session = window.session
        case_number = self.log.selected_case()
        if case_number is None and self.log.model.rowCount() == 1:
            case_number = self.log.model.case_number(0)  # the only case: no need to select it
        if case_number is None or session is None:
            tell(window, "Record outcome", "Select a case in the review queue first.")
            return
        number = case_number
        dialog = OutcomeDialog(case_number, window, question=self.log.model.question(case_number))
        if not dialog.exec():
            return
        outcome = dialog.outcome()
        saved = DeskOp(
            window,
            "recording the outcome",
            lambda: window.desk.cases.resolve(session, number, outcome=outcome),
            title="Record outcome",
        ).run()
        if saved is not None:
            window.statusBar().showMessage(f"Case {number} resolved (version {saved.version})", 10000)


class OutcomeDialog(QDialog):
    """What was decided on a referral, and by whom; OK only with some words in it. The question it answers is
    shown above; Esc (or closing) with words typed asks before they are thrown away."""

    def __init__(self, case_number: str, parent: QWidget | None = None, *, question: str = "") -> None:
        super().__init__(parent)
        self.case_number = case_number
        self.setWindowTitle(f"Outcome of case {case_number}")
        layout = QVBoxLayout(self)
        self.question = QLabel(f"<b>Open question:</b> {escape(question)}" if question else "")
        self.question.setWordWrap(True)
        self.question.setAccessibleName("The open question")
        self.question.setVisible(bool(question))
        layout.addWidget(self.question)
        label = QLabel("&What was decided, and by whom (supervisor or counsel):")
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)  # Tab moves on to the buttons; it never types a tab
        self.text.setAccessibleName("Outcome")
        label.setBuddy(self.text)
        layout.addWidget(label)
        layout.addWidget(self.text, 1)
        self.error = FieldError("Outcome")
        layout.addWidget(self.error)
        layout.addWidget(QLabel("Ctrl+Enter records the outcome; Esc cancels (asking first if you typed)."))
        buttons = QDialogButtonBox()
        self.ok = QPushButton("&Record outcome")
        self.ok.setAccessibleName("Record the outcome")
        self.ok.setDefault(True)
        cancel = QPushButton("Cancel")
        buttons.addButton(self.ok, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)
        self.text.installEventFilter(self)  # Ctrl+Enter in the text records too, whatever has the shortcut
        fit_to_screen(self, 520, 260)  # never taller than a laptop's screen at 150%: its buttons stay on it
        self.text.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.text and event.type() == QEvent.Type.KeyPress:
            key = cast(QKeyEvent, event)
            if key.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                key.modifiers() & Qt.KeyboardModifier.ControlModifier
            ):
                self.accept()
                return True
        return super().eventFilter(watched, event)

    def outcome(self) -> str:
        return " ".join(self.text.toPlainText().split())

    def reject(self) -> None:
        """Esc, Cancel or the window's close: words typed are thrown away only when the officer says so."""
        if self.outcome() and not confirm(
            self,
            "Discard the outcome?",
            f"Discard what you typed about case {self.case_number}? It has not been recorded.",
        ):
            self.text.setFocus()
            return
        super().reject()

    def accept(self) -> None:
        if not self.outcome():
            self.error.show_error("Describe the outcome: what was decided, and by whom.")
            self.text.setFocus()
            return
        super().accept()
