"""Accounts, for admins: add an officer, unlock, disable or enable, change roles, reset a password.

Each action is the desk's (desktop/desk/accounts.py) and an audit entry; a refusal is shown in one line.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.records import ROLES
from desktop.store.errors import AccountError, StoreError
from desktop.ui.widgets import FieldError, password_field

if TYPE_CHECKING:
    from desktop.desk import Desk, Session
    from desktop.records import Account

log = logging.getLogger(__name__)


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
        self.resize(820, 420)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Admin key fingerprint: {desk.people.admin_fingerprint()}"))
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
        self.error = FieldError("Accounts")
        layout.addWidget(self.error)
        self.buttons["add"].clicked.connect(lambda: self.add())
        for key in ("unlock", "disable", "enable"):
            self.buttons[key].clicked.connect(lambda _checked=False, k=key: self.change(k))
        self.buttons["reset"].clicked.connect(lambda: self.reset())
        self.refresh()

    def refresh(self) -> None:
        try:
            self.accounts = self._desk.people.accounts(self._session)
        except (AccountError, StoreError) as exc:
            self.error.show_error(str(exc))
            return
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
        try:
            self._desk.people.add_user(
                self._session,
                username=form.username.text(),
                name=form.name.text(),
                badge=form.badge.text(),
                roles=form.chosen_roles(),
                password=form.password.text(),
            )
        except (AccountError, StoreError, ValueError) as exc:
            self.error.show_error(str(exc))
            return False
        self.error.clear()
        self.refresh()
        return True

    def change(self, what: str, username: str | None = None) -> bool:
        username = username or self.selected()
        if username is None:
            self.error.show_error("Select an account first.")
            return False
        try:
            self._desk.people.change_user(
                self._session,
                username,
                unlock=what == "unlock",
                disabled={"disable": True, "enable": False}.get(what),
            )
        except (AccountError, StoreError) as exc:
            log.info("account change refused", exc_info=True)
            self.error.show_error(str(exc))
            return False
        self.error.clear()
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
        try:
            self._desk.people.change_user(self._session, username, new_password=form.password.text())
        except (AccountError, StoreError) as exc:
            QMessageBox.warning(self, "Reset password", str(exc))
            return False
        self.refresh()
        return True
