"""Accounts, for admins: add an officer, unlock, disable or enable, change roles, reset a password.

Each action is the desk's (desktop/desk/accounts.py) and an audit entry; a refusal is shown in one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.records import ROLES
from desktop.ui.ops import DeskOp
from desktop.ui.screen import fit_to_screen
from desktop.ui.widgets import FieldError, password_field

if TYPE_CHECKING:
    from desktop.desk import Desk, Session
    from desktop.records import Account

T = TypeVar("T")


class AccountForm(QDialog):
    """A new account (or a new password): user name, name, badge, roles and a first password."""

    def __init__(self, *, title: str, reset_of: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.username = QLineEdit(reset_of or "")
        self.username.setAccessibleName("User name")
        self.name = QLineEdit()
        self.name.setAccessibleName("Name as printed")
        self.badge = QLineEdit()
        self.badge.setAccessibleName("Badge")
        self.roles = {role: QCheckBox(role) for role in ROLES}
        self.roles["officer"].setChecked(True)
        self.password = password_field("First password")
        if reset_of is None:
            form.addRow("&User name:", self.username)
            form.addRow("&Name as printed:", self.name)
            form.addRow("&Badge:", self.badge)
            row = QHBoxLayout()
            for box in self.roles.values():
                row.addWidget(box)
            form.addRow("Roles:", row)
        form.addRow("&Password (10 or more characters):", self.password)
        layout.addLayout(form)
        self.error = FieldError("Account")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen_roles(self) -> frozenset[str]:
        return frozenset(role for role, box in self.roles.items() if box.isChecked())


class UsersDialog(QDialog):
    """Every account with its roles and state, and what an admin can do to each."""

    def __init__(self, *, desk: Desk, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._session = session
        self.accounts: list[Account] = []
        self.setWindowTitle("Accounts")
        fit_to_screen(self, 820, 420)  # never taller than a laptop's screen at 150%: its buttons stay on it
        layout = QVBoxLayout(self)
        self.error = FieldError("Accounts")
        fingerprint = self._do("reading the admin key fingerprint", desk.people.admin_fingerprint)
        layout.addWidget(QLabel(f"Admin key fingerprint: {fingerprint or '(not set up)'}"))
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["User name", "Name and badge", "Roles", "State", "Second factor"])
        self.table.setAccessibleName("Accounts")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text in (
            ("add", "&Add…"),
            ("unlock", "&Unlock"),
            ("disable", "&Disable"),
            ("enable", "&Enable"),
            ("reset", "&Reset password…"),
        ):
            button = QPushButton(text)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch()
        close = QPushButton("Clo&se")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.buttons["add"].clicked.connect(lambda: self.add())
        for key in ("unlock", "disable", "enable"):
            self.buttons[key].clicked.connect(lambda _checked=False, k=key: self.change(k))
        self.buttons["reset"].clicked.connect(lambda: self.reset())
        self.refresh()

    def _do(self, what: str, call: Callable[[], T]) -> T | None:
        """A desk call for this window: a refusal is said in one line under the table, not in a box."""
        op = DeskOp(self, what, call).on_failure(lambda exc: self.error.show_error(str(exc)))
        done = op.run()
        if op.ok:
            self.error.clear()
        return done

    def refresh(self) -> None:
        accounts = self._do("listing the accounts", lambda: self._desk.people.accounts(self._session))
        if accounts is None:
            return
        self.accounts = accounts
        self.table.setRowCount(len(self.accounts))
        for r, a in enumerate(self.accounts):
            state = "disabled" if a.disabled else "LOCKED" if a.locked else "active"
            values = (a.username, a.label, ", ".join(sorted(a.roles)), state, "yes" if a.second_factor else "no")
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def selected(self) -> str | None:
        row = self.table.currentRow()
        return self.accounts[row].username if 0 <= row < len(self.accounts) else None

    def add(self, form: AccountForm | None = None) -> bool:
        form = form or AccountForm(title="Add an account", parent=self)
        if form.result() != QDialog.DialogCode.Accepted and not form.exec():
            return False
        added = self._do(
            "adding an account",
            lambda: self._desk.people.add_user(
                self._session,
                username=form.username.text(),
                name=form.name.text(),
                badge=form.badge.text(),
                roles=form.chosen_roles(),
                password=form.password.text(),
            ),
        )
        if added is None:
            return False
        self.refresh()
        return True

    def change(self, what: str, username: str | None = None) -> bool:
        username = username or self.selected()
        if username is None:
            self.error.show_error("Select an account first.")
            return False
        changed = self._do(
            f"changing the account {username}",
            lambda: self._desk.people.change_user(
                self._session,
                username,
                unlock=what == "unlock",
                disabled={"disable": True, "enable": False}.get(what),
            ),
        )
        if changed is None:
            return False
        self.refresh()
        return True

    def reset(self) -> bool:
        username = self.selected()
        if username is None:
            self.error.show_error("Select an account first.")
            return False
        form = AccountForm(title=f"New password for {username}", reset_of=username, parent=self)
        if not form.exec():
            return False
        password = form.password.text()
        changed = self._do(
            f"setting a new password for {username}",
            lambda: self._desk.people.change_user(self._session, username, new_password=password),
        )
        if changed is None:
            return False
        self.refresh()
        return True
