"""Sign-in at a shared desk PC: the first admin's set-up, and an officer's sign-in at the start of a shift.

Both dialogs only gather what is typed and hand it to the desk (desktop/desk/accounts.py decides);
a refusal is shown inline, in one line, and the password field is cleared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.ui.ops import DeskOp
from desktop.ui.widgets import FieldError, password_field

if TYPE_CHECKING:
    from desktop.desk import Desk, Session


class SignInDialog(QDialog):
    """Who is at the desk: user name, password, and the authenticator code where one is asked for."""

    def __init__(self, *, desk: Desk, parent: QWidget | None = None, username: str = "", locked_for: str = "") -> None:
        super().__init__(parent)
        self._desk = desk
        self.actor: Session | None = None
        self.setWindowTitle("Sign in" if not locked_for else "Locked")
        layout = QVBoxLayout(self)
        intro = (
            f"The desk is locked. {locked_for} may unlock it with their password, or another officer signs in."
            if locked_for
            else "Sign in with your own account. Everything you record is signed in your name."
        )
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.username = QLineEdit(username)
        self.username.setAccessibleName("User name")
        self.password = password_field("Password")
        self.code = QLineEdit()
        self.code.setAccessibleName("Authenticator code")
        self.code.setPlaceholderText("if your account asks for one")
        form.addRow("&User name:", self.username)
        form.addRow("&Password:", self.password)
        form.addRow("Authenticator &code:", self.code)
        layout.addLayout(form)
        self.error = FieldError("Sign-in")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons = buttons
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Sign in" if not locked_for else "Un&lock or sign in")  # U is the User name's
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.password if username else self.username).setFocus()

    def accept(self) -> None:
        username, password, code = self.username.text(), self.password.text(), self.code.text() or None
        actor = (
            DeskOp(self, "signing in", lambda: self._desk.people.sign_in(username, password, code=code))
            .on_failure(self._refused)
            .run()
        )
        if actor is not None and self._second_factor_ready(actor):
            self.actor = actor
            super().accept()

    def _second_factor_ready(self, actor: Session) -> bool:
        """Where the desk requires a second factor and the account has none, its enrolment comes before anything
        else; cancelled, the new session is signed out again and the sign-in stays."""
        from desktop.ui.enrol import EnrolDialog

        must = DeskOp(self, "looking at the second factor", lambda: self._desk.people.must_enrol(actor)).run()
        if not must:
            return must is not None
        enrol = EnrolDialog(desk=self._desk, session=actor, required=True, parent=self)
        if enrol.exec() and enrol.enrolled:
            return True
        DeskOp(self, "signing out", lambda: self._desk.people.sign_out(actor)).run()
        self.error.show_error("This desk requires a second factor: sign in again to set it up.")
        self.password.clear()
        self.password.setFocus()
        return False

    def _refused(self, exc: BaseException) -> None:
        """A refusal in one line under the fields; the password is cleared for the next try."""
        self.error.show_error(str(exc))
        self.password.clear()
        self.password.setFocus()


class SetupDialog(QDialog):
    """The first start: the first admin account. There is no default password; it is chosen here."""

    def __init__(self, *, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.actor: Session | None = None
        self.setWindowTitle("Set up this desk")
        layout = QVBoxLayout(self)
        text = QLabel(
            "This desk has no accounts yet. Create the first admin account: the admin adds every officer "
            "and supervisor after this. Write down the admin key fingerprint shown next and keep it away from "
            "this PC."
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setAccessibleName("Admin user name")
        self.name = QLineEdit()
        self.name.setAccessibleName("Admin name")
        self.badge = QLineEdit()
        self.badge.setAccessibleName("Admin badge or staff number")
        self.password = password_field("New password")
        self.again = password_field("New password again")
        form.addRow("&User name:", self.username)
        form.addRow("&Name as printed:", self.name)
        form.addRow("&Badge or staff number:", self.badge)
        form.addRow("&Password (10 characters or more):", self.password)
        form.addRow("Password &again:", self.again)
        layout.addLayout(form)
        self.error = FieldError("Set-up")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Create the admin account")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if self.password.text() != self.again.text():
            self.error.show_error("The two passwords differ.")
            self.again.clear()
            self.again.setFocus()
            return
        username, name, badge, password = (
            self.username.text(),
            self.name.text(),
            self.badge.text(),
            self.password.text(),
        )
        self.actor = (
            DeskOp(
                self,
                "setting up the first admin",
                lambda: self._desk.people.setup(username=username, name=name, badge=badge, password=password),
            )
            .on_failure(lambda exc: self.error.show_error(str(exc)))
            .run()
        )
        if self.actor is not None:
            super().accept()
