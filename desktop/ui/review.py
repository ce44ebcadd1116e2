"""The supervisor's outcome of a referred case, by keyboard: Tab leaves the text, Ctrl+Enter records."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.widgets import FieldError


class OutcomeDialog(QDialog):
    """What was decided on a referral, and by whom; OK only with some words in it."""

    def __init__(self, case_number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Outcome of case {case_number}")
        layout = QVBoxLayout(self)
        label = QLabel("&What was decided, and by whom (supervisor or counsel):")
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)  # Tab moves on to the buttons; it never types a tab
        self.text.setAccessibleName("Outcome")
        label.setBuddy(self.text)
        layout.addWidget(label)
        layout.addWidget(self.text, 1)
        self.error = FieldError("Outcome")
        layout.addWidget(self.error)
        layout.addWidget(QLabel("Ctrl+Enter records the outcome; Esc cancels."))
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
        self.resize(520, 260)
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

    def accept(self) -> None:
        if not self.outcome():
            self.error.show_error("Describe the outcome: what was decided, and by whom.")
            self.text.setFocus()
            return
        super().accept()
