"""One case: the decision and its reasons, the request, every version and event, attachments, memo, amend."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.records import CaseRecord
from desktop.ui.decision_html import decision_html, intake_summary_html
from desktop.ui.widgets import open_file

if TYPE_CHECKING:
    from desktop.desk import Desk
    from desktop.records import Actor

log = logging.getLogger(__name__)

ATTACHMENT_ID = Qt.ItemDataRole.UserRole
ATTACHMENT_NAME = Qt.ItemDataRole.UserRole + 1


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


class CaseDialog(QDialog):
    """Shows a recorded case; amending re-runs the wizard prefilled (the old version stays)."""

    amend_requested = Signal(str)

    def __init__(self, *, desk: Desk, case_number: str, officer: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._officer = officer
        self.case_number = case_number
        self.setWindowTitle(f"Case {case_number}")
        self.resize(900, 680)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setAccessibleName("Case number and status")
        layout.addWidget(self.heading)
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
        close = QPushButton("&Close")
        close.setAccessibleName("Close")
        for button in (self.print_button, self.preview_button, self.memo_button, self.amend_button, self.attach_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.memo_button.clicked.connect(self.reprint)
        self.print_button.clicked.connect(lambda: self.print_memo())
        self.preview_button.clicked.connect(lambda: self.preview())
        self.amend_button.clicked.connect(lambda: self.amend_requested.emit(self.case_number))
        self.attach_button.clicked.connect(self._attach)
        close.clicked.connect(self.accept)
        self.memo_path: Path | None = None
        self.reload()

    def reload(self) -> None:
        record: CaseRecord = self._desk.open_case(self.case_number)
        current = record.current
        status = {"referred": "referred for review", "resolved": "resolved", "decided": "decided"}[current.status]
        amended = f", amended ({len(record.versions)} versions)" if record.amended else ""
        self.heading.setText(f"Case {record.case_number}: {status}{amended}")
        self.tabs.clear()
        decision = QTextBrowser()
        decision.setAccessibleName("Decision and reasons")
        pack = self._desk.pack_of(current)
        override = ""
        if current.override:
            override = (
                f"<p><b>Officer disagreed</b> ({current.override.officer}): {current.override.reason}. "
                "Supervisor review required.</p>"
            )
        decision.setHtml(override + decision_html(current.decision, pack))
        self.tabs.addTab(decision, "&Decision")
        request = QTextBrowser()
        request.setAccessibleName("The request as entered")
        request.setHtml(intake_summary_html(current.intake))
        self.tabs.addTab(request, "Re&quest")
        versions = _table(
            ["Version", "Recorded (UTC)", "Officer", "Status", "Reason", "Record sha256"],
            [
                [
                    str(v.version),
                    v.recorded_at[:19].replace("T", " "),
                    v.officer,
                    v.status,
                    v.amendment_reason or "",
                    v.record_hash,
                ]
                for v in record.versions
            ],
            "Versions",
        )
        self.tabs.addTab(versions, "&Versions")
        events = _table(
            ["#", "When (UTC)", "What", "Who", "Detail"],
            [[str(e.seq), e.at[:19].replace("T", " "), e.kind, e.actor, e.detail] for e in record.events],
            "Events",
        )
        self.tabs.addTab(events, "&Events")
        attachments = QWidget()
        column = QVBoxLayout(attachments)
        self.attachment_list = QListWidget()
        self.attachment_list.setAccessibleName("Attachments")
        for attachment in record.attachments:
            item = QListWidgetItem(f"{attachment.filename} ({attachment.content_type}, {attachment.size:,} bytes)")
            item.setData(ATTACHMENT_ID, attachment.id)
            item.setData(ATTACHMENT_NAME, attachment.filename)
            self.attachment_list.addItem(item)
        self.attachment_list.itemActivated.connect(self._open_attachment)
        column.addWidget(self.attachment_list)
        open_button = QPushButton("&Open attachment")
        open_button.setAccessibleName("Open the selected attachment")
        open_button.clicked.connect(lambda: self._open_attachment(self.attachment_list.currentItem()))
        column.addWidget(open_button)
        self.tabs.addTab(attachments, f"A&ttachments ({len(record.attachments)})")

    def _actor(self, title: str) -> Actor | None:
        """The officer on duty, or None (with a message) when no one has said who is on duty."""
        from desktop.records import Actor, ActorError

        try:
            return Actor.parse(self._officer or "")
        except ActorError:
            QMessageBox.warning(self, title, "Say who is on duty first (File, Change officer).")
            return None

    def print_memo(self) -> None:
        """The print dialog (printer, copies), then the print, audited once it succeeded."""
        from desktop.ui.printing import print_memo

        actor = self._actor("Print")
        if actor is None:
            return
        try:
            self.print_outcome = print_memo(self, self._desk, self.case_number, actor)
        except Exception as exc:  # shown, never a traceback: the case itself is safe in the log
            log.exception("the memo of case %s could not be printed", self.case_number)
            QMessageBox.critical(self, "Print", f"The memo could not be printed: {exc}")
            return
        if self.print_outcome.printed:
            self.reload()

    def preview(self) -> QDialog | None:
        """The memo's pages as they will print, drawn from the same PDF, with Print… for those bytes."""
        from desktop.ui.printing import MemoPreview

        actor = self._actor("Preview")
        if actor is None:
            return None
        try:
            dialog = MemoPreview(desk=self._desk, case_number=self.case_number, actor=actor, parent=self)
        except Exception as exc:
            log.exception("the memo of case %s could not be previewed", self.case_number)
            QMessageBox.critical(self, "Preview", f"The memo could not be shown: {exc}")
            return None
        dialog.accepted.connect(self.reload)
        self.preview_dialog = dialog
        dialog.open()
        return dialog

    def reprint(self) -> None:
        """Save the memo (audited as a memo saved) and open it in the system's PDF viewer."""
        actor = self._actor("Memo")
        if actor is None:
            return
        try:
            self.memo_path = self._desk.print_memo(self.case_number, actor=actor)
        except Exception as exc:  # shown, never a traceback: the case itself is safe in the log
            log.exception("the memo of case %s could not be written", self.case_number)
            QMessageBox.critical(self, "Memo", f"The memo could not be written: {exc}")
            return
        open_file(self, self.memo_path)
        self.reload()

    def _attach(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Attach a scan", str(Path.home()), "Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"
        )
        if not name:
            return
        from desktop.store import StoreError

        actor = self._actor("Attach a scan")
        if actor is None:
            return
        try:
            self._desk.attach(self.case_number, Path(name), actor=actor)
        except StoreError as exc:
            log.warning("attaching %s to case %s was refused", name, self.case_number, exc_info=True)
            QMessageBox.warning(self, "Attach a scan", str(exc))
            return
        self.reload()

    def _open_attachment(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        content = self._desk.attachment_content(int(item.data(ATTACHMENT_ID)))
        folder = Path(tempfile.mkdtemp(prefix="safedesk-attachment-"))
        path = folder / str(item.data(ATTACHMENT_NAME))
        path.write_bytes(content)
        open_file(self, path)
