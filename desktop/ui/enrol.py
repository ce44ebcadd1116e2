"""Enrolling a second factor: the QR code for the officer's authenticator app, and the code it then shows.

The desk makes the secret and its QR code (desk.people.new_second_factor) and stores it only once a code the
app made from it is typed (desk.people.enrol_second_factor): an app that took the code wrongly is found here,
not at the next sign-in, which it would lock out. Where the desk requires a second factor, an account that has
none is brought here by the sign-in before anything else; cancelling signs it out again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.ops import DeskOp
from desktop.ui.widgets import FieldError, password_field

if TYPE_CHECKING:
    from desktop.desk import Desk, SecondFactor, Session

MODULE_PX = 5  # one QR module, in pixels at scale 1: a 33-module code is about 200 px with its margin
QUIET = 4  # the light margin a reader needs around the code, in modules


def qr_pixmap(qr: tuple[tuple[bool, ...], ...], module: int = MODULE_PX) -> QPixmap:
    """The QR code's modules painted black on white, with its quiet zone, one square per module."""
    side = (len(qr) + 2 * QUIET) * module
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        for y, row in enumerate(qr):
            for x, dark in enumerate(row):
                if dark:
                    painter.fillRect((x + QUIET) * module, (y + QUIET) * module, module, module, QColor("black"))
    finally:
        painter.end()
    return QPixmap.fromImage(image)


class EnrolDialog(QDialog):
    """Take the QR code into the authenticator app, then type your password and the code the app shows."""

    def __init__(self, *, desk: Desk, session: Session, required: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk, self._session = desk, session
        self.enrolled = False
        self.setWindowTitle("Set up your authenticator app")
        self.setAccessibleName("Second factor enrolment")
        self.factor: SecondFactor | None = DeskOp(
            self, "making a new authenticator key", lambda: desk.people.new_second_factor(session)
        ).run()
        layout = QVBoxLayout(self)
        why = (
            "This desk requires a second factor: set it up now to go on. "
            if required
            else "A second factor keeps your account yours even if someone learns your password. "
        )
        intro = QLabel(
            why + "Open your authenticator app, add an account, and scan this code (or type the key below it). "
            "Then type your password and the 6-digit code the app shows."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.qr = QLabel()
        self.qr.setAccessibleName("QR code for the authenticator app")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key = QLabel()
        self.key.setAccessibleName("Key to type by hand")
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if self.factor is not None:
            self.qr.setPixmap(qr_pixmap(self.factor.qr))
            self.key.setText(f"Key: {self.factor.grouped}")
        layout.addWidget(self.qr)
        layout.addWidget(self.key)
        form = QFormLayout()
        self.password = password_field("Password")
        self.code = QLineEdit()
        self.code.setAccessibleName("Code from the app")
        self.code.setMaxLength(8)
        self.code.setPlaceholderText("6 digits")
        form.addRow("&Password:", self.password)
        form.addRow("C&ode from the app:", self.code)
        layout.addLayout(form)
        self.error = FieldError("Second factor")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Turn it on")
        ok.setEnabled(self.factor is not None)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Sign out" if required else "Not now")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.password.setFocus()

    def accept(self) -> None:
        factor = self.factor
        if factor is None:
            return
        password, code = self.password.text(), self.code.text()
        done = (
            DeskOp(
                self,
                "turning on the second factor",
                lambda: self._desk.people.enrol_second_factor(self._session, password, secret=factor.secret, code=code),
            )
            .on_failure(self._refused)
            .run()
        )
        if done is not None:
            self.enrolled = True
            super().accept()

    def _refused(self, exc: BaseException) -> None:
        self.error.show_error(str(exc))
        self.code.clear()
        self.code.setFocus()
