"""The audit log for supervisors and admins: who did what and when, filtered by person, case, kind and
date, exported as CSV. Opening it, filtering it and exporting it are audit entries themselves."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
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

from desktop.records import AuditEntry, EventKind
from desktop.ui.ops import DeskOp
from desktop.ui.widgets import date_of

if TYPE_CHECKING:
    import datetime as dt

    from desktop.desk import Desk, Session

COLUMNS = ("#", "When (UTC)", "What", "Case", "Who", "Detail", "Signed")


class AuditDialog(QDialog):
    """Filters above, entries below, newest first; Export CSV writes what is shown."""

    def __init__(self, *, desk: Desk, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._session = session
        self.entries: list[AuditEntry] = []
        self.setWindowTitle("Audit log")
        self.resize(1000, 600)
        layout = QVBoxLayout(self)
        fingerprint = DeskOp(self, "reading the admin key fingerprint", desk.people.admin_fingerprint).run()
        fingerprint = fingerprint or "(not set up)"
        layout.addWidget(QLabel(f"Admin key fingerprint: {fingerprint}. Compare it with the one IT wrote down."))
        form = QFormLayout()
        self.person = QLineEdit()
        self.person.setAccessibleName("Person")
        self.person.setPlaceholderText("user name, or words of a name")
        self.case = QLineEdit()
        self.case.setAccessibleName("Case number")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of entry")
        self.kind.addItem("(any)", None)
        for kind in EventKind:
            self.kind.addItem(kind.value.replace("_", " "), kind.value)
        dates = QHBoxLayout()
        self.use_dates = QCheckBox("&Between")
        self.since = QDateEdit(QDate.currentDate().addDays(-30))
        self.until = QDateEdit(QDate.currentDate())
        for edit, name in ((self.since, "From day"), (self.until, "To day")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            dates.addWidget(edit)
        dates.insertWidget(0, self.use_dates)
        form.addRow("&Person:", self.person)
        form.addRow("&Case:", self.case)
        form.addRow("&Kind:", self.kind)
        form.addRow("Days (UTC):", dates)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.filter_button = QPushButton("&Show")
        self.export_button = QPushButton("E&xport CSV…")
        close = QPushButton("Clos&e")  # S is Show
        for button in (self.filter_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Audit entries")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.status = QLabel()
        layout.addWidget(self.status)
        self.filter_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(lambda: self.export())
        close.clicked.connect(self.accept)
        self.filter_button.setDefault(True)
        self.refresh()

    def _day(self, edit: QDateEdit) -> dt.date:
        return date_of(edit.date())

    def refresh(self) -> None:
        """The entries the filters match, newest first (viewing them is itself an entry)."""
        desk, session = self._desk, self._session
        user, case_number = self.person.text().strip() or None, self.case.text().strip() or None
        kind = self.kind.currentData()
        since = self._day(self.since) if self.use_dates.isChecked() else None
        until = self._day(self.until) if self.use_dates.isChecked() else None
        entries = DeskOp(
            self,
            "reading the audit log",
            lambda: desk.log.entries(session, user=user, case_number=case_number, kind=kind, since=since, until=until),
            title="Audit log",
        ).run()
        if entries is None:
            return
        self.entries = entries
        self.table.setRowCount(len(self.entries))
        for row, e in enumerate(self.entries):
            values = (str(e.seq), e.at[:19].replace("T", " "), e.kind, e.case_number or "", e.actor, e.detail)
            for column, value in enumerate((*values, "yes" if e.signer else "no (before accounts)")):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.status.setText(f"{len(self.entries)} entries (at most 1,000, newest first)")

    def export(self, target: Path | None = None, *, passphrase: str | None = None) -> Path | None:
        """The entries shown, as CSV; outside the data folder the file is encrypted (a passphrase is asked for)."""
        if target is None:
            name, _ = QFileDialog.getSaveFileName(
                self, "Export the audit entries", str(Path.home() / "audit.csv"), "CSV (*.csv)"
            )
            if not name:
                return None
            target = Path(name)
        if passphrase is None:
            from desktop.ui.passphrase import ask_copy_passphrase

            go_on, passphrase = ask_copy_passphrase(self._desk, target, self)
            if not go_on:
                return None
        desk, session, entries, chosen = self._desk, self._session, self.entries, target
        path = DeskOp(
            self,
            "exporting the audit entries",
            lambda: desk.log.export_csv(session, chosen, entries, passphrase=passphrase),
            title="Export",
        ).run()
        if path is None:
            return None
        self.status.setText(f"Wrote {len(self.entries)} entries to {path}")
        return path
