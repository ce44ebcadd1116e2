"""The audit log for supervisors and admins: who did what and when, filtered by person, case, kind and
date, exported as CSV. Opening it, filtering it and exporting it are audit entries themselves."""

from __future__ import annotations

import datetime as dt
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
from desktop.ui.screen import fit_to_screen
from desktop.ui.when import desk_days, on_desk_clock, zone_words
from desktop.ui.widgets import date_of

if TYPE_CHECKING:
    from desktop.desk import Desk, Session

COLUMNS = ("#", "When", "What", "Case", "Who", "Detail", "Signed")


class AuditDialog(QDialog):
    """Filters above, entries below, newest first; Export CSV writes what is shown."""

    def __init__(self, *, desk: Desk, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._session = session
        self.entries: list[AuditEntry] = []
        self.setWindowTitle("Audit log")
        fit_to_screen(self, 1000, 600)  # never taller than a laptop's screen at 150%: its buttons stay on it
        layout = QVBoxLayout(self)
        fingerprint = DeskOp(self, "reading the admin key fingerprint", desk.people.admin_fingerprint).run()
        fingerprint = fingerprint or "(not set up)"
        layout.addWidget(QLabel(f"Admin key fingerprint: {fingerprint}. Compare it with the one IT wrote down."))
        # The desk's clock: the zone of the pack in force (UTC, and said, when none is in force).
        self._pack = DeskOp(self, "finding the policy in force", desk.active_pack).on_failure(_no_pack).run()
        self.zone = QLabel(f"{zone_words(self._pack)}.")
        self.zone.setAccessibleName("Time zone of the times shown")
        layout.addWidget(self.zone)
        today = self._pack.local_date(desk.clock()) if self._pack is not None else desk.clock().date()
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
        self.since = QDateEdit(QDate(today.year, today.month, today.day).addDays(-30))  # the desk's clock
        self.until = QDateEdit(QDate(today.year, today.month, today.day))
        for edit, name in ((self.since, "From day"), (self.until, "To day")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            dates.addWidget(edit)
        dates.insertWidget(0, self.use_dates)
        form.addRow("&Person:", self.person)
        form.addRow("&Case:", self.case)
        form.addRow("&Kind:", self.kind)
        form.addRow("Days:", dates)
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
        since: dt.date | None = None
        until: dt.date | None = None
        if self.use_dates.isChecked():
            # The days on the desk's clock, as moments: the log compares its UTC times with them, and adds a
            # day to `until` as it does to a UTC day.
            start, end = desk_days(self._day(self.since), self._day(self.until), self._pack)
            since, until = start, end - dt.timedelta(days=1)
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
            values = (str(e.seq), on_desk_clock(e.at, self._pack), e.kind, e.case_number or "", e.actor, e.detail)
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


def _no_pack(_exc: BaseException) -> None:
    """No pack in force: the times are shown in UTC, and the window says so."""
