"""One case: the decision and its reasons, the request, every version and event, attachments, memo, amend."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.present import STATUS_WORDS, resolution, version_rows
from desktop.records import CaseRecord, printable
from desktop.ui.decision_html import decision_html, intake_summary_html, resolution_html, version_html
from desktop.ui.ops import DeskOp
from desktop.ui.printing import MemoPreview, PrintOutcome, open_preview
from desktop.ui.printing import print_memo as print_case_memo
from desktop.ui.scan_view import ScanView, open_scan
from desktop.ui.screen import fit_to_screen
from desktop.ui.when import on_desk_clock, zone_words
from desktop.ui.widgets import open_file

if TYPE_CHECKING:
    from desktop.desk import Desk, Session
    from desktop.rules import Pack

ATTACHMENT_ID = Qt.ItemDataRole.UserRole
ATTACHMENT_NAME = Qt.ItemDataRole.UserRole + 1
ATTACHMENT_TYPE = Qt.ItemDataRole.UserRole + 2


def _table(headers: list[str], rows: list[list[str]], name: str) -> QTableWidget:
    # A handful of fixed rows per case: a plain table widget is right here (the log itself is model/view).
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    return table


@dataclass(frozen=True)
class CaseShown:
    """A case as the window shows it: the record, and the pack each of its versions was decided under."""

    record: CaseRecord
    packs: dict[int, Pack]


def read_case(desk: Desk, session: Session, case_number: str, *, audit: bool) -> CaseShown:
    """The case and its packs, read through the desk; `audit` when the officer opens it (CJIS 5.4)."""
    record = desk.cases.open(session, case_number, audit=audit)
    return CaseShown(record, {v.version: desk.cases.pack_of(session, v) for v in record.versions})


def open_case(parent: QWidget, desk: Desk, session: Session, case_number: str) -> CaseDialog | None:
    """The case's window, its opening audited; None once the desk's refusal or a problem was shown."""
    shown = DeskOp(
        parent, "opening the case", lambda: read_case(desk, session, case_number, audit=True), title="Case"
    ).run()
    return CaseDialog(desk=desk, session=session, shown=shown, parent=parent) if shown is not None else None


class CaseDialog(QDialog):
    """Shows a recorded case; amending re-runs the wizard prefilled (the old version stays)."""

    amend_requested = Signal(str)
    # The desk tells its listeners on the thread that changed the log; this brings the notice here.
    _log_changed = Signal(object)

    def __init__(self, *, desk: Desk, session: Session, shown: CaseShown, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._session = session
        case_number = shown.record.case_number
        self.case_number = case_number
        self.setWindowTitle(f"Case {case_number}")
        fit_to_screen(self, 900, 680)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setAccessibleName("Case number and status")
        layout.addWidget(self.heading)
        self.zone = QLabel()  # the one place the dialog names the zone its times are in
        self.zone.setAccessibleName("Time zone of the times shown")
        layout.addWidget(self.zone)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Case details")
        layout.addWidget(self.tabs, 1)
        buttons = QHBoxLayout()
        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print the memo")
        self.preview_button = QPushButton("Previe&w")
        self.preview_button.setAccessibleName("Preview the memo as it will print")
        self.memo_button = QPushButton("Ope&n in viewer")
        self.memo_button.setAccessibleName("Save the memo and open it in the PDF viewer")
        self.amend_button = QPushButton("&Amend…")
        self.amend_button.setAccessibleName("Amend this case")
        self.attach_button = QPushButton("Attach &scan…")
        self.attach_button.setAccessibleName("Attach a scan to this case")
        self.notice_button = QPushButton("Not&ice to the person…")
        self.notice_button.setAccessibleName("The notice to the person, in their language: preview and print")
        close = QPushButton("&Close")
        close.setAccessibleName("Close")
        for button in (
            self.print_button,
            self.preview_button,
            self.memo_button,
            self.notice_button,
            self.amend_button,
            self.attach_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.memo_button.clicked.connect(self.reprint)
        self.print_button.clicked.connect(lambda: self.print_memo())
        self.preview_button.clicked.connect(lambda: self.preview())
        self.amend_button.clicked.connect(lambda: self.amend_requested.emit(self.case_number))
        self.attach_button.clicked.connect(self._attach)
        self.notice_button.clicked.connect(lambda: self.notice())
        close.clicked.connect(self.accept)
        self.memo_path: Path | None = None
        self.print_outcome: PrintOutcome | None = None
        self.preview_dialog: MemoPreview | None = None
        self.notice_dialog: QDialog | None = None
        self.scan_dialog: ScanView | None = None
        self.shown_version: int | None = None  # the version shown in the Versions tab (None: the newest)
        self.details: QCheckBox | None = None
        self._show(shown)
        # An amendment, a resolution or a scan recorded anywhere shows here at once (never a stale version).
        self._log_changed.connect(self._changed)
        self._unsubscribe = desk.changes.subscribe(self._log_changed.emit)
        self.finished.connect(lambda _result: self._unsubscribe())

    def _changed(self, change: object) -> None:
        if getattr(change, "case_number", None) in (self.case_number, None):
            self.reload()

    def reload(self) -> bool:
        """Read the case again (its view was audited when it was opened) and show it; False if it could not be."""
        desk, session, number = self._desk, self._session, self.case_number
        shown = DeskOp(
            self, "reading the case again", lambda: read_case(desk, session, number, audit=False), title="Case"
        ).run()
        if shown is not None:
            self._show(shown)
        return shown is not None

    def _show(self, shown: CaseShown) -> None:
        record = shown.record
        self.packs = shown.packs
        current = record.current
        status = STATUS_WORDS[current.status.value]
        amended = f", amended ({len(record.versions)} versions)" if record.amended else ""
        self.heading.setText(f"Case {record.case_number}: {status}{amended}, showing version {current.version}")
        tab = self.tabs.currentIndex()
        self.record = record
        self.tabs.clear()
        decision = QTextBrowser()
        decision.setAccessibleName("Decision and reasons")
        pack = shown.packs[current.version]
        self.zone.setText(f"{zone_words(pack)}.")
        resolved = resolution(record.versions, current)
        override = ""
        if current.override:
            override = (
                f"<p><b>Officer disagreed</b> ({current.override.officer}): {current.override.reason}. "
                "Supervisor review required.</p>"
            )
        decision_tab = QWidget()
        decision_column = QVBoxLayout(decision_tab)
        decision_column.setContentsMargins(0, 0, 0, 0)
        decision_column.addWidget(decision, 1)
        details = QCheckBox("Show de&tails: codes, rules, reasons and the ordinance quoted")
        details.setChecked(self.details.isChecked() if self.details is not None else False)
        decision_column.addWidget(details)

        def show_decision() -> None:
            outcome = resolution_html(resolved, pack) if resolved is not None else ""  # first, as on the memo
            body = decision_html(current.decision, pack, details=details.isChecked(), resolved=resolved is not None)
            decision.setHtml(outcome + override + body)

        details.toggled.connect(show_decision)
        show_decision()
        self.details = details
        self.decision_view = decision
        self.tabs.addTab(decision_tab, "&Decision")
        request = QTextBrowser()
        request.setAccessibleName("The request as entered")
        request.setHtml(intake_summary_html(current.intake))
        self.tabs.addTab(request, "Re&quest")
        versions = _table(
            ["Version", "Recorded", "Officer", "Status", "Reason", "Record sha256"],
            [
                [
                    str(v.version),
                    on_desk_clock(v.recorded_at, pack),
                    v.officer,
                    v.status,
                    v.amendment_reason or "",
                    v.record_hash,
                ]
                for v in record.versions
            ],
            "Versions",
        )
        self.tabs.addTab(self._versions_tab(record, versions), "&Versions")
        events = _table(
            ["#", "When", "What", "Who", "Detail"],
            [[str(e.seq), on_desk_clock(e.at, pack), e.kind, e.actor, e.detail] for e in record.events],
            "Events",
        )
        self.tabs.addTab(events, "&Events")
        attachments = QWidget()
        column = QVBoxLayout(attachments)
        self.attachment_list = QListWidget()
        self.attachment_list.setAccessibleName("Attachments")
        for attachment in record.attachments:
            name = printable(attachment.filename)  # rows stored before names were cleaned show escaped
            item = QListWidgetItem(f"{name} ({attachment.content_type}, {attachment.size:,} bytes)")
            item.setData(ATTACHMENT_ID, attachment.id)
            item.setData(ATTACHMENT_NAME, attachment.filename)
            item.setData(ATTACHMENT_TYPE, attachment.content_type)
            self.attachment_list.addItem(item)
        self.attachment_list.itemActivated.connect(self._open_attachment)  # a double-click shows it
        self.attachment_list.installEventFilter(self)  # Enter too, and only that: no dialog button as well
        if record.attachments:
            self.attachment_list.setCurrentRow(0)
        label = QLabel("Attachments (Up, Down to choose; Enter or Show to show it here):")
        label.setBuddy(self.attachment_list)
        column.addWidget(label)
        column.addWidget(self.attachment_list)
        open_button = QPushButton("Sh&ow attachment")
        open_button.setAccessibleName("Show the selected attachment in a viewer inside the app")
        open_button.clicked.connect(lambda: self._open_attachment(self.attachment_list.currentItem()))
        column.addWidget(open_button)
        self.tabs.addTab(attachments, f"Attac&hments ({len(record.attachments)})")
        attachments.setFocusProxy(self.attachment_list)
        if 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.attachment_list
            and event.type() == QEvent.Type.KeyPress
            and cast(QKeyEvent, event).key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._open_attachment(self.attachment_list.currentItem())
            return True
        return super().eventFilter(watched, event)

    def _versions_tab(self, record: CaseRecord, table: QTableWidget) -> QWidget:
        """The versions, and any one of them in full with the fields that changed from the one before marked."""
        tab = QWidget()
        column = QVBoxLayout(tab)
        table.setMaximumHeight(34 + 26 * min(len(record.versions), 4))
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        column.addWidget(table)
        row = QHBoxLayout()
        self.version_picker = QComboBox()
        self.version_picker.setAccessibleName("Version shown")
        for version in reversed(record.versions):
            reason = f": {version.amendment_reason}" if version.amendment_reason else ""
            self.version_picker.addItem(f"Version {version.version}{reason}", version.version)
        picker_label = QLabel("Show this ve&rsion:")
        picker_label.setBuddy(self.version_picker)
        row.addWidget(picker_label)
        row.addWidget(self.version_picker, 1)
        column.addLayout(row)
        self.version_view = QTextBrowser()
        self.version_view.setAccessibleName("The version shown, changes marked")
        column.addWidget(self.version_view, 1)
        self.version_picker.currentIndexChanged.connect(lambda _i: self.show_version(self.version_picker.currentData()))
        wanted = self.shown_version if self.shown_version is not None else record.current.version
        index = self.version_picker.findData(wanted)
        self.version_picker.setCurrentIndex(max(index, 0))
        self.show_version(self.version_picker.currentData())
        return tab

    def show_version(self, number: int | None) -> None:
        """Show one version in full, marking what changed from the version before it."""
        versions = {v.version: v for v in self.record.versions}
        version = versions.get(int(number)) if number is not None else None
        if version is None:
            return
        self.shown_version = version.version if version.version != self.record.current.version else None
        rows = version_rows(version, self.packs[version.version])
        previous = versions.get(version.version - 1)
        before = version_rows(previous, self.packs[previous.version]) if previous is not None else None
        self.version_view.setHtml(version_html(rows, before))

    def print_memo(self) -> None:
        """The print dialog (printer, copies), then the print, audited once it succeeded."""
        self.print_outcome = print_case_memo(self, self._desk, self.case_number, self._session)
        if self.print_outcome.printed:
            self.reload()

    def preview(self) -> QDialog | None:
        """The memo's pages as they will print, drawn from the same PDF, with Print… for those bytes."""
        dialog = open_preview(self, self._desk, self._session, self.case_number)
        if dialog is None:
            return None
        dialog.accepted.connect(self.reload)
        self.preview_dialog = dialog
        dialog.open()
        return dialog

    def notice(self) -> QDialog | None:
        """The notice to the person in the language they read: its pages, then Print… (the serving, audited)."""
        from desktop.ui.notice import open_notice

        dialog = open_notice(self, self._desk, self._session, self.case_number)
        if dialog is None:
            return None
        dialog.accepted.connect(self.reload)
        self.notice_dialog = dialog
        dialog.open()
        return dialog

    def reprint(self) -> None:
        """Save the memo (audited as a memo saved) and open it in the system's PDF viewer."""
        desk, session, number = self._desk, self._session, self.case_number
        path = DeskOp(self, "saving the memo", lambda: desk.paper.print_memo(session, number), title="Memo").run()
        if path is None:
            return
        self.memo_path = path
        open_file(self, path)
        self.reload()

    def _attach(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Attach a scan", str(Path.home()), "Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"
        )
        if not name:
            return
        desk, session, number = self._desk, self._session, self.case_number
        attached = DeskOp(self, "attaching a scan", lambda: desk.cases.attach(session, number, Path(name)))
        attached.run()
        if attached.ok:
            self.reload()

    def _open_attachment(self, item: QListWidgetItem | None) -> ScanView | None:
        """Show the scan in the app's own viewer: no copy is written to disk, no other program opens it."""
        if item is None:
            return None
        dialog = open_scan(
            self,
            self._desk,
            self._session,
            attachment_id=int(item.data(ATTACHMENT_ID)),
            name=str(item.data(ATTACHMENT_NAME)),
            content_type=str(item.data(ATTACHMENT_TYPE)),
            case_number=self.case_number,
        )
        if dialog is not None:
            self.scan_dialog = dialog
            dialog.open()
        return dialog
