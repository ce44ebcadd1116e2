"""The case log: a lazy table model over the store's search, and the view with its search box and filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
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
from desktop.ui.ops import DeskOp
from desktop.ui.when import moment_of, zone_words
from desktop.ui.widgets import date_of

if TYPE_CHECKING:
    from desktop.desk import Desk, Session
    from desktop.rules import Pack

T = TypeVar("T")
PAGE_SIZE = 200
COLUMNS = ("Case", "Received", "Requester", "Person", "Booking", "Response", "Status")
REVIEW_COLUMNS = (*COLUMNS, "Open question", "Waiting", "Waits for")
SORT_COLUMN = 0  # case numbers follow the order cases were recorded: the one order the log is shown in
ModelIndex = QModelIndex | QPersistentModelIndex


class CaseLogModel(QAbstractTableModel):
    """Rows are fetched from the store a page at a time as the view asks for them; nothing else is held.

    Only the row count is known up front, so a log of a million cases opens as fast as one of ten.
    A search the officer makes (`set_query(..., audit=True)`) is audited once, with its first page;
    the pages fetched after it, a new sort order and a refresh after the log changed are not searches.
    """

    def __init__(self, *, desk: Desk, session: Session, review: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._session = session
        self._widget = parent  # where a problem is shown
        self._columns = REVIEW_COLUMNS if review else COLUMNS
        self._review = review  # the queue reads the log itself, never the search index (store/queue.py)
        self._questions: dict[str, str] = {}
        self._query = CaseQuery()
        self._newest_first = True
        self._count = 0
        self._pages: dict[int, list[CaseSummary]] = {}
        self.problem = ""  # why the log could not be read just now, for the view to say
        self._pack: Pack | None = self._read("finding the policy in force", desk.active_pack)  # its time zone
        self.refresh()

    @property
    def pack(self) -> Pack | None:
        """The pack in force when the view opened: its zone is the desk's clock."""
        return self._pack

    def today(self) -> dt.date:
        """Today on the desk's clock, in the zone of the pack in force (UTC when none is)."""
        now = self._desk.clock()
        return self._pack.local_date(now) if self._pack is not None else now.date()

    # --- the query ------------------------------------------------------------------------------

    @property
    def query(self) -> CaseQuery:
        return self._query

    def set_query(self, query: CaseQuery, *, audit: bool = False) -> None:
        """Show the cases `query` matches; `audit` when the officer made the search (audited once, CJIS 5.4)."""
        self._query = query
        self.refresh(audit=audit)

    def refresh(self, *, audit: bool = False) -> None:
        """Re-count and forget every cached page (after a search, a filter or a new case)."""
        self.beginResetModel()
        self._pages.clear()
        self._questions.clear()
        self.problem = ""
        desk, session, query = self._desk, self._session, self._query
        count = desk.cases.review_count if self._review else desk.cases.count
        counted = self._read("counting the cases", lambda: count(session, query))
        self._count = counted or 0
        if audit:  # the search itself, audited, and its first page with it
            self._pages[0] = self._fetch(0, audit=True)
        self.endResetModel()

    def _read(self, what: str, call: Callable[[], T]) -> T | None:
        """A read of the log for the table: a problem is kept for the view to say, never a box mid-paint."""
        return DeskOp(self._widget, what, call).on_failure(self._keep_problem).run()

    def _keep_problem(self, exc: BaseException) -> None:
        self.problem = str(exc)

    def _fetch(self, page: int, *, audit: bool = False) -> list[CaseSummary]:
        desk, session, query = self._desk, self._session, self._query
        offset, newest_first = page * PAGE_SIZE, self._newest_first

        def fetch() -> list[CaseSummary]:
            if not self._review:
                return desk.cases.search(
                    session, query, limit=PAGE_SIZE, offset=offset, newest_first=newest_first, audit=audit
                )
            if audit:
                desk.cases.audit_search(session, query)
            return desk.cases.review_queue(session, query, limit=PAGE_SIZE, offset=offset, newest_first=newest_first)

        return self._read("reading the case log", fetch) or []  # a page that cannot be read shows empty

    def summary(self, row: int) -> CaseSummary | None:
        if not 0 <= row < self._count:
            return None
        page = row // PAGE_SIZE
        if page not in self._pages:
            self._pages[page] = self._fetch(page)
        rows = self._pages[page]
        index = row % PAGE_SIZE
        return rows[index] if index < len(rows) else None

    # --- Qt's model interface -------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section]
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
        if column == 7:
            return self.question(summary.case_number)
        if column == 8:
            return self._waiting(summary.recorded_at)
        if column == 9:
            return self._waits_for(summary.case_number)
        return None

    def _waits_for(self, case_number: str) -> str:
        """Who the case waits on: a supervisor other than the officer who recorded it (two people)."""
        key = f"waits:{case_number}"
        if key not in self._questions:
            desk, session = self._desk, self._session
            waits = self._read("reading who a case waits for", lambda: desk.cases.waiting_on(session, case_number))
            self._questions[key] = waits or ""  # blank when unreadable; the row itself still reads
        return self._questions[key]

    def question(self, case_number: str) -> str:
        """The open questions a referred case waits on, e.g. "AMB-3: A court order for a civil…"."""
        if case_number not in self._questions:
            desk, session = self._desk, self._session
            found = self._read("reading a case's questions", lambda: desk.cases.open_questions(session, case_number))
            self._questions[case_number] = "; ".join(f"{amb}: {issue}" for amb, issue in found or ()) or (
                "Officer disagreed" if found is not None else ""
            )
        return self._questions[case_number]

    def _waiting(self, recorded_at: str) -> str:
        """How long since the case was recorded (or last amended), e.g. "2 d 5 h" or "40 min"."""
        since = moment_of(recorded_at)
        if since is None:
            return ""
        if since.tzinfo is None:
            since = since.replace(tzinfo=dt.UTC)
        minutes = max(0, int((self._desk.clock() - since).total_seconds() // 60))
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        if days:
            return f"{days} d {hours} h"
        return f"{hours} h {minutes} min" if hours else f"{minutes} min"

    def _received(self, iso: str) -> str:
        """The receipt time on the desk's clock (the pack's zone), whatever offset it was typed with."""
        moment = moment_of(iso)
        if moment is None or self._pack is None:  # not a moment, or no pack in force: shown as typed
            return iso[:16].replace("T", " ")
        return self._pack.local_time(moment).strftime("%Y-%m-%d %H:%M")

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
    _viewport: QWidget | None = None  # the table's, once it exists: the filter sees the search box's events first

    def __init__(
        self, *, desk: Desk, session: Session, review_only: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._review_only = review_only
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Case or booking number, name, requester, signer, notes…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the case log")
        self.search.returnPressed.connect(self.apply_filters)  # Enter searches now
        self.search.installEventFilter(self)  # Down moves into the results
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
        for edit in (self.since, self.until):
            edit.setDisplayFormat("yyyy-MM-dd")  # as the log shows its dates, whatever the system's locale
        and_label = QLabel("and")
        dates.addWidget(self.use_dates)
        dates.addWidget(self.since)
        dates.addWidget(and_label)
        dates.addWidget(self.until)
        dates.addStretch()
        self.zone_label = QLabel()  # the one place the view names the zone of its times
        self.zone_label.setAccessibleName("Time zone of the times shown")
        dates.addWidget(self.zone_label)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of cases shown")
        dates.addWidget(self.count_label)
        layout.addLayout(dates)

        self.model = CaseLogModel(desk=desk, session=session, review=review_only, parent=self)
        today = self.model.today()  # the date filters start from today on the desk's clock, not the PC's
        self.until.setDate(QDate(today.year, today.month, today.day))
        self.since.setDate(self.until.date().addMonths(-1))
        self.zone_label.setText(f"{zone_words(self.model.pack)}.")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Review queue" if review_only else "Case log")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move a whole row at a time
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(SORT_COLUMN, Qt.SortOrder.DescendingOrder)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._keep_sort_column)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self._fit_columns(review_only)
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

    def _fit_columns(self, review_only: bool) -> None:
        """Every column fits the width the window has (at 150% on a laptop too), and says what it holds whole.

        Case numbers, times and booking numbers get the width of the longest they can be; the other columns share
        the rest by weight (an open question most), never narrower than their header's longest word, their long
        text elided with the whole value in the tooltip. The queue wraps its headers and gives each case four
        lines, so an open question's code and heading read in place (the whole question in the tooltip); it shows
        no Status column (every case in it is referred).
        """
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(48)
        metrics = self.table.fontMetrics()
        padding = 3 * metrics.averageCharWidth()  # the cell's margins; the Case column's sort arrow too
        samples = {0: "2026-000000 (v9)", 1: "2026-12-31 23:59", 4: "26-000000"}
        if review_only:
            samples[8] = "30 d 23 h"
        self._fixed = {column: metrics.horizontalAdvance(sample) + padding for column, sample in samples.items()}
        self._fixed[0] += metrics.averageCharWidth()  # the sort arrow
        self._weights = {2: 1.0, 3: 1.2, 5: 1.1, 7: 5.0, 9: 1.0} if review_only else {2: 1.6, 3: 1.4, 5: 1.8, 6: 0.8}
        self.table.setWordWrap(review_only)
        if review_only:
            self.table.setColumnHidden(COLUMNS.index("Status"), True)
            self.table.verticalHeader().setDefaultSectionSize(4 * metrics.lineSpacing() + 8)
            header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag(Qt.TextFlag.TextWordWrap))
            header.setMinimumHeight(2 * metrics.lineSpacing() + 8)
        else:
            self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self._reshare = QTimer(self)
        self._reshare.setSingleShot(True)
        self._reshare.setInterval(0)
        self._reshare.timeout.connect(self._share_width)
        self._viewport = self.table.viewport()
        self._viewport.installEventFilter(self)  # shared out again when the window is resized
        self._share_width()

    def _share_width(self) -> None:
        header = self.table.horizontalHeader()
        for column, width in self._fixed.items():
            header.resizeSection(column, width)
        width = self.table.viewport().width() - 2
        spare = max(0, width - sum(self._fixed.values()))
        total = sum(self._weights.values())
        least = {column: self._least(column) for column in self._weights}  # a header word is never cut
        shares = {column: max(least[column], int(spare * weight / total)) for column, weight in self._weights.items()}
        widest = max(self._weights, key=self._weights.__getitem__)  # gives back what the least sizes took
        over = max(0, sum(self._fixed.values()) + sum(shares.values()) - width)
        shares[widest] = max(least[widest], shares[widest] - over)
        for column, size in shares.items():
            header.resizeSection(column, size)

    def _least(self, column: int) -> int:
        """The narrowest a column may be: its header's longest word whole (headers wrap between words)."""
        title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
        metrics = self.table.horizontalHeader().fontMetrics()
        words = max((metrics.horizontalAdvance(word) for word in title.split()), default=0)
        return max(self.table.horizontalHeader().minimumSectionSize(), words + 2 * metrics.averageCharWidth())

    def _keep_sort_column(self, column: int, order: Qt.SortOrder) -> None:
        """The log sorts only in recording order: the arrow stays on the Case column, pointing the way shown."""
        if column != SORT_COLUMN:
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(SORT_COLUMN, order)
            header.blockSignals(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._viewport and event.type() == QEvent.Type.Resize:
            self._reshare.start()  # after the resize: sharing out now could resize the viewport again
            return False
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and cast(QKeyEvent, event).key() == Qt.Key.Key_Down
        ):
            if self._debounce.isActive():
                self.apply_filters()
            self.focus_results()
            return True
        return super().eventFilter(watched, event)

    def focus_results(self) -> None:
        """Into the results, on the first row when none is selected."""
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.selectRow(0)
        self.table.setFocus()

    def _combo(self, name: str, values: tuple[str, ...], names: dict[str, str]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(f"Any {name.lower()}", None)
        for value in values:
            combo.addItem(names.get(value, value), value)
        combo.setAccessibleName(f"Filter by {name.lower()}")
        # Long labels (a form's full title) must not widen the window past a small screen.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(10)
        return combo

    def current_query(self) -> CaseQuery:
        since: dt.date | None = None
        until: dt.date | None = None
        if self.use_dates.isChecked():
            since = date_of(self.since.date())
            until = date_of(self.until.date())
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
        """The officer's search or filter, now: shown, and audited once (CJIS 5.4)."""
        self._debounce.stop()
        self.model.set_query(self.current_query(), audit=True)
        self._show_count()

    def refresh(self) -> None:
        """The log changed: the same search, read again (not a new search; a search still being typed is one)."""
        if self._debounce.isActive():
            self.apply_filters()
            return
        self.model.refresh()
        self._show_count()

    def _show_count(self) -> None:
        total = self.model.rowCount()
        problem = f" (the log could not be read: {self.model.problem})" if self.model.problem else ""
        self.count_label.setText(f"{total:,} case{'s' if total != 1 else ''}{problem}")

    def selected_case(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.case_number(index.row()) if index.isValid() else None

    def _open_index(self, index: QModelIndex) -> None:
        number = self.model.case_number(index.row())
        if number:
            self.open_case.emit(number)
