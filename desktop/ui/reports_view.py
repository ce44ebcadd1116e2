"""The Reports window: choose a period, type ICE's count, see the report's pages, save it as PDF or CSV.

Everything goes through the desk (`Desk.reports()`): the window counts nothing and lays out nothing.
Showing a report is making one, so it is audited like a saved one. The register (personal data)
is offered only to supervisors and admins; the desk refuses anyone else in any case.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.desk.paper import page_pngs
from desktop.desk.reports import Period, Report, ReportResult
from desktop.ui.ops import DeskOp
from desktop.ui.screen import fit_to_screen
from desktop.ui.widgets import date_of

if TYPE_CHECKING:
    from desktop.desk import Desk, Session

PRESETS = ("Year", "Quarter", "Month", "Dates")
NO_COUNT = "not given"


class ReportsDialog(QDialog):
    """A period, ICE's count, the pages of the report, and Save buttons."""

    def __init__(self, desk: Desk, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.session = session
        self.setWindowTitle("Oversight reports")
        fit_to_screen(self, 860, 900)  # never taller than a laptop's screen at 150%: its buttons stay on it
        today = desk.local_now().date()
        layout = QVBoxLayout(self)
        about = QLabel(
            "Figures for the Mayor and the Council: counted from the log by the day received, with no "
            "names, booking or case numbers, addresses or notes. Making a report is recorded in the log."
        )
        about.setWordWrap(True)  # one line of it would widen the window past a laptop's screen at 150%
        layout.addWidget(about)
        form = QFormLayout()
        self.preset = QComboBox()
        self.preset.addItems(PRESETS)
        self.preset.setAccessibleName("Period")
        form.addRow("&Period:", self.preset)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.year.setAccessibleName("Year")
        self.quarter = QComboBox()
        self.quarter.addItems([f"Q{n}" for n in range(1, 5)])
        self.quarter.setCurrentIndex((today.month - 1) // 3)
        self.quarter.setAccessibleName("Quarter")
        self.month = QComboBox()
        self.month.addItems([dt.date(2000, n, 1).strftime("%B") for n in range(1, 13)])
        self.month.setCurrentIndex(today.month - 1)
        self.month.setAccessibleName("Month")
        self.start = QDateEdit(QDate(today.year, 1, 1))
        self.end = QDateEdit(QDate(today.year, today.month, today.day))
        for edit, name in ((self.start, "First day"), (self.end, "Last day")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
        self.details = QStackedWidget()
        rows: tuple[tuple[QWidget, ...], ...] = (
            (self.year,),
            (self._year_copy(), self.quarter),
            (self._year_copy(), self.month),
            (self.start, QLabel("to"), self.end),
        )
        for widgets in rows:
            page = QWidget()
            row = QHBoxLayout(page)
            row.setContentsMargins(0, 0, 0, 0)
            for widget in widgets:
                row.addWidget(widget)
            row.addStretch()
            self.details.addWidget(page)
        form.addRow("", self.details)
        self.ice_count = QSpinBox()
        self.ice_count.setRange(-1, 1_000_000)
        self.ice_count.setValue(-1)
        self.ice_count.setSpecialValueText(NO_COUNT)
        self.ice_count.setAccessibleName("The count ICE reports for the period")
        self.ice_count.setToolTip("Type the number of requests ICE says it sent for the period, to compare")
        form.addRow("&ICE's own count:", self.ice_count)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.show_button = QPushButton("&Show the report")
        self.pdf_button = QPushButton("Save as P&DF…")
        self.csv_button = QPushButton("Save as &CSV…")
        self.register_button = QPushButton("Save the &register…")
        allowed = desk.allowed(session, "reports.register")
        self.register_button.setEnabled(allowed)
        self.register_button.setToolTip(
            "Every case with its number: personal data, for supervisors and admins only"
            + ("" if allowed else f" ({session.label} is neither)")
        )
        for button in (self.show_button, self.pdf_button, self.csv_button, self.register_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout.addLayout(buttons)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What the report says")
        layout.addWidget(self.summary)
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(False)  # the pages keep their size; the view scrolls
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        scroll.setWidget(self.pages)
        scroll.setAccessibleName("The report's pages")
        layout.addWidget(scroll, 1)
        self.page_labels: list[QLabel] = []
        self.preset.currentIndexChanged.connect(self.details.setCurrentIndex)
        self.show_button.clicked.connect(self.show_report)
        self.pdf_button.clicked.connect(lambda: self.save("pdf"))
        self.csv_button.clicked.connect(lambda: self.save("csv"))
        self.register_button.clicked.connect(lambda: self.save_register())

    def _year_copy(self) -> QSpinBox:
        """Each preset has its own year box, kept in step with the others."""
        box = QSpinBox()
        box.setRange(2000, 2100)
        box.setValue(self.year.value())
        box.setAccessibleName("Year")
        self.year.valueChanged.connect(box.setValue)
        box.valueChanged.connect(self.year.setValue)
        return box

    def period(self) -> Period:
        preset = PRESETS[self.preset.currentIndex()]
        if preset == "Year":
            return Period.year(self.year.value())
        if preset == "Quarter":
            return Period.quarter(f"{self.year.value()}-Q{self.quarter.currentIndex() + 1}")
        if preset == "Month":
            return Period.month(f"{self.year.value()}-{self.month.currentIndex() + 1:02d}")
        return Period.between(date_of(self.start.date()), date_of(self.end.date()))

    def ice(self) -> int | None:
        value = self.ice_count.value()
        return None if value < 0 else value

    def _period(self) -> Period | None:
        """The period chosen, read on the GUI thread (a bad range is said, in one line)."""
        return DeskOp(self, "reading the period", self.period, title="Oversight reports").run()

    def show_report(self) -> DeskOp[tuple[Report, list[bytes]]] | None:
        """Make the report and show its pages (audited as shown), in the background: a year of a large log
        takes a while. None when the period cannot be read."""
        period = self._period()
        if period is None:
            return None
        desk, session, ice = self.desk, self.session, self.ice()

        def make() -> tuple[Report, list[bytes]]:
            report, pdf = desk.reports.produce(session, period, ice_count=ice, where="shown in the window")
            return report, page_pngs(pdf, dpi=90)

        op = DeskOp(self, "making the report", make, title="Oversight reports", desk=desk)
        return op.on_success(self._show_pages).in_background("Making the report")

    def _show_pages(self, made: tuple[Report, list[bytes]]) -> None:
        report, images = made
        self.summary.setText(" ".join(report.statements))
        for label in self.page_labels:
            label.deleteLater()
        self.page_labels = []
        for number, image in enumerate(images, start=1):
            label = QLabel()
            pixmap = QPixmap.fromImage(QImage.fromData(image))
            label.setPixmap(pixmap)
            label.setFixedSize(pixmap.size())  # a page keeps its size; the view scrolls
            label.setAccessibleName(f"Page {number} of {len(images)}")
            label.setStyleSheet("border: 1px solid #888; background: white;")
            self.pages_layout.addWidget(label)
            label.show()
            self.page_labels.append(label)
        self.pages_layout.activate()
        self.pages.adjustSize()

    def _target(self, suffix: str, target: Path | None, what: str, period: Period) -> Path | None:
        """The file to write: `target`, or the one the officer picks (None: they cancelled)."""
        if target is not None:
            return target
        name, _filter = QFileDialog.getSaveFileName(
            self, f"Save {what}", str(Path.home() / f"{what}-{period.label}.{suffix}"), f"*.{suffix}"
        )
        return Path(name) if name else None

    def save(self, fmt: str, target: Path | None = None) -> DeskOp[ReportResult] | None:
        """The report saved as `fmt` (pdf or csv), in the background; None when the officer cancelled."""
        period = self._period()
        chosen = self._target(fmt, target, "report", period) if period is not None else None
        if period is None or chosen is None:
            return None
        desk, session, ice = self.desk, self.session, self.ice()
        op = DeskOp(
            self,
            "saving the report",
            lambda: desk.reports.make(session, period, chosen, ice_count=ice, fmt=fmt),
            title="Oversight reports",
            desk=desk,
        )
        return op.on_success(self._saved).in_background("Saving the report")

    def _saved(self, result: ReportResult) -> None:
        self.summary.setText(f"Saved {result.path} ({result.requests:,} requests).")

    def save_register(
        self, target: Path | None = None, *, passphrase: str | None = None
    ) -> DeskOp[ReportResult] | None:
        """The register as CSV: personal data, so outside the data folder it is encrypted (a passphrase is asked).

        Refused before anything is asked of an account that may not see it. In the background; None when
        refused or cancelled.
        """
        desk, session = self.desk, self.session
        admitted = DeskOp(
            self, "saving the register", lambda: desk.admit(session, "reports.register"), title="The register"
        )
        admitted.run()
        if not admitted.ok:  # refused before a file or a passphrase is asked for
            return None
        period = self._period()
        chosen = self._target("csv", target, "register", period) if period is not None else None
        if period is None or chosen is None:
            return None
        if passphrase is None:
            from desktop.ui.passphrase import ask_copy_passphrase

            go_on, passphrase = ask_copy_passphrase(desk, chosen, self)
            if not go_on:
                return None
        sealed_with = passphrase
        op = DeskOp(
            self,
            "saving the register",
            lambda: desk.reports.save_register(session, period, chosen, passphrase=sealed_with),
            title="The register",
            desk=desk,
        )
        return op.on_success(self._register_saved).in_background("Saving the register")

    def _register_saved(self, result: ReportResult) -> None:
        self.summary.setText(
            f"Saved the register, {result.requests:,} cases, to {result.path}: it holds personal data."
        )
