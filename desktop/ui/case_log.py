"""The case log: a lazy table model over the store's search, and the view with its search box and filters."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.rules import labels, vocab
from desktop.store.query import CaseQuery, CaseSummary

if TYPE_CHECKING:
    from desktop.desk import Desk

PAGE_SIZE = 200
COLUMNS = ("Case", "Received", "Requester", "Person", "Booking", "Response", "Status")
ModelIndex = QModelIndex | QPersistentModelIndex


class CaseLogModel(QAbstractTableModel):
    """Rows are fetched from the store a page at a time as the view asks for them; nothing else is held.

    Only the row count is known up front, so a log of a million cases opens as fast as one of ten.
    """

    def __init__(self, *, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._query = CaseQuery()
        self._newest_first = True
        self._count = 0
        self._pages: dict[int, list[CaseSummary]] = {}
        self.refresh()

    # --- the query ------------------------------------------------------------------------------

    @property
    def query(self) -> CaseQuery:
        return self._query

    def set_query(self, query: CaseQuery) -> None:
        self._query = query
        self.refresh()

    def refresh(self) -> None:
        """Re-count and forget every cached page (after a search, a filter or a new case)."""
        self.beginResetModel()
        self._pages.clear()
        self._count = self._desk.count(self._query)
        self.endResetModel()

    def summary(self, row: int) -> CaseSummary | None:
        if not 0 <= row < self._count:
            return None
        page = row // PAGE_SIZE
        if page not in self._pages:
            self._pages[page] = self._desk.search(
                self._query, limit=PAGE_SIZE, offset=page * PAGE_SIZE, newest_first=self._newest_first
            )
        rows = self._pages[page]
        index = row % PAGE_SIZE
        return rows[index] if index < len(rows) else None

    # --- Qt's model interface -------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        summary = self.summary(index.row())
        if summary is None:
            return None
        if role == Qt.ItemDataRole.UserRole:
            return summary.case_number
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = index.column()
        if column == 0:
            return summary.case_number + (f" (v{summary.version})" if summary.version > 1 else "")
        if column == 1:
            return self._received(summary.received_at)
        if column == 2:
            return labels.REQUESTER.get(summary.requester, summary.requester)
        if column == 3:
            return summary.subject_name
        if column == 4:
            return summary.booking_number
        if column == 5:
            return ", ".join(labels.CODE.get(c, c) for c in summary.codes)
        if column == 6:
            return "Referred" if summary.status == "referred" else summary.status.capitalize()
        return None

    def _received(self, iso: str) -> str:
        """The receipt time on the desk's clock (the pack's zone), whatever offset it was typed with."""
        try:
            return self._desk.local_time(iso).strftime("%Y-%m-%d %H:%M")
        except (ValueError, LookupError):  # no pack in force: show it as typed
            return iso[:16].replace("T", " ")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Cases sort by date only (the order they were recorded); other columns keep that order."""
        newest_first = order == Qt.SortOrder.DescendingOrder
        if newest_first != self._newest_first:
            self._newest_first = newest_first
            self.refresh()

    def case_number(self, row: int) -> str | None:
        summary = self.summary(row)
        return summary.case_number if summary else None


class CaseLogView(QWidget):
    """The log with a full-text search box and filters; Enter or a double-click opens a case."""

    open_case = Signal(str)

    def __init__(self, *, desk: Desk, review_only: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._review_only = review_only
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Case or booking number, name, requester, signer, notes…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the case log")
        search_label = QLabel("&Search:")
        search_label.setBuddy(self.search)
        search_row = QHBoxLayout()
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)
        layout.addLayout(search_row)
        self.requester = self._combo("Requester", vocab.REQUESTERS, labels.REQUESTER)
        self.document = self._combo("Paper", vocab.DOCUMENT_KINDS, labels.DOCUMENT_KIND)
        self.code = self._combo("Response", vocab.RESPONSE_CODES, labels.CODE)
        for combo in (self.requester, self.document, self.code):
            filters.addWidget(combo, 1)
        self.referred = QCheckBox("&Referred only")
        self.referred.setAccessibleName("Referred to counsel only")
        if not review_only:
            filters.addWidget(self.referred)
        layout.addLayout(filters)
        dates = QHBoxLayout()
        self.use_dates = QCheckBox("Received &between")
        self.use_dates.setAccessibleName("Filter by date received")
        self.since = QDateEdit(QDate.currentDate().addMonths(-1))
        self.since.setCalendarPopup(True)
        self.since.setAccessibleName("Received on or after")
        self.until = QDateEdit(QDate.currentDate())
        self.until.setCalendarPopup(True)
        self.until.setAccessibleName("Received on or before")
        and_label = QLabel("and")
        dates.addWidget(self.use_dates)
        dates.addWidget(self.since)
        dates.addWidget(and_label)
        dates.addWidget(self.until)
        dates.addStretch()
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of cases shown")
        dates.addWidget(self.count_label)
        layout.addLayout(dates)

        self.model = CaseLogModel(desk=desk, parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Review queue" if review_only else "Case log")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((150, 130, 220, 170, 100, 260)):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)

        # Typing searches after a short pause, so a fast typist is not slowed by every key.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._debounce.start)
        for combo in (self.requester, self.document, self.code):
            combo.currentIndexChanged.connect(self.apply_filters)
        for box in (self.referred, self.use_dates):
            box.toggled.connect(self.apply_filters)
        self.since.dateChanged.connect(self.apply_filters)
        self.until.dateChanged.connect(self.apply_filters)
        self.apply_filters()

    def _combo(self, name: str, values: tuple[str, ...], names: dict[str, str]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(f"Any {name.lower()}", None)
        for value in values:
            combo.addItem(names.get(value, value), value)
        combo.setAccessibleName(f"Filter by {name.lower()}")
        return combo

    def current_query(self) -> CaseQuery:
        since: dt.date | None = None
        until: dt.date | None = None
        if self.use_dates.isChecked():
            since = cast(dt.date, self.since.date().toPython())
            until = cast(dt.date, self.until.date().toPython())
        return CaseQuery(
            text=self.search.text(),
            since=since,
            until=until,
            requester=self.requester.currentData(),
            document_kind=self.document.currentData(),
            code=self.code.currentData(),
            status="referred" if self._review_only else None,
            referred=True if self.referred.isChecked() and not self._review_only else None,
        )

    def apply_filters(self) -> None:
        self._debounce.stop()
        self.model.set_query(self.current_query())
        total = self.model.rowCount()
        self.count_label.setText(f"{total:,} case{'s' if total != 1 else ''}")

    def refresh(self) -> None:
        self.apply_filters()

    def selected_case(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.case_number(index.row()) if index.isValid() else None

    def _open_index(self, index: QModelIndex) -> None:
        number = self.model.case_number(index.row())
        if number:
            self.open_case.emit(number)
