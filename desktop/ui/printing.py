"""Printing a memo from the window: Qt's print dialog (printer, copies) and a preview, both drawn from the very
PDF bytes the desk renders, so what is previewed is what is printed and what the log reproduces.

The desk draws the pages (pypdfium2, behind Desk.memo_pages); this module turns them into QImages and
paints them on the printer. A print is audited only after it succeeded; a cancelled one writes nothing,
and a failed one says why.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from desktop.desk import Desk
    from desktop.records import Actor

log = logging.getLogger(__name__)

PRINT_DPI = 300  # the pictures sent to the printer: sharp text and a QR code a scanner reads
PREVIEW_DPI = 96


@dataclass(frozen=True)
class PrintOutcome:
    """What happened to one print: printed (audited), cancelled (nothing written), or failed (and why)."""

    printed: bool
    cancelled: bool = False
    printer: str = ""
    copies: int = 0
    problem: str = ""


def printer_name(printer: QPrinter) -> str:
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        return f"PDF file {printer.outputFileName()}"
    return printer.printerName() or "the default printer"


def images(pngs: list[bytes]) -> list[QImage]:
    out = []
    for png in pngs:
        image = QImage()
        image.loadFromData(png, "PNG")
        out.append(image)
    return out


def paint(printer: QPrinter, pages: list[QImage]) -> str:
    """Paint the pages on the printer, each filling its sheet; returns why it failed, or "" when it printed."""
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    printer.setFullPage(True)
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    copies = printer.copyCount()
    # Where the printer cannot make copies itself (a PDF file), the pages are sent that many times.
    repeat = 1 if printer.supportsMultipleCopies() else max(1, copies)
    painter = QPainter()
    if not painter.begin(printer):
        return f"the printer {printer_name(printer)} could not be started"
    try:
        first = True
        for _ in range(repeat):
            for page in pages:
                if not first and not printer.newPage():
                    return f"the printer {printer_name(printer)} refused a new page"
                first = False
                target = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
                painter.drawImage(target, page)
    finally:
        painter.end()
    if printer.printerState() == QPrinter.PrinterState.Error:
        return f"the printer {printer_name(printer)} reported an error"
    return ""


def print_memo(
    parent: QWidget,
    desk: Desk,
    case_number: str,
    actor: Actor,
    *,
    pdf: bytes | None = None,
    printer: QPrinter | None = None,
) -> PrintOutcome:
    """Ask for a printer and copies (QPrintDialog), print the memo, then audit the print.

    `pdf` is the memo to print (the one a preview showed); by default the case's memo as it renders now.
    """
    record = desk.open_case(case_number)
    version = record.current.version
    data = pdf if pdf is not None else desk.memo_bytes(record)
    printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
    if sys.platform == "win32" and printer.outputFormat() != QPrinter.OutputFormat.NativeFormat:
        # Windows' print dialog takes installed printers only. On a PC with none, Qt makes a PDF printer instead
        # and the dialog refuses it without a window ("Cannot be used on non-native printers"): Print would seem
        # to do nothing. Say why instead; the memo is still in the log and opens in the PDF viewer.
        problem = "no printer is installed on this PC (add one in Windows Settings, or use Open in viewer)"
        log.warning("printing the memo of case %s failed: %s", case_number, problem)
        QMessageBox.warning(parent, "Print", f"The memo was not printed: {problem}.")
        return PrintOutcome(printed=False, problem=problem)
    printer.setDocName(f"Case {case_number} memo, version {version}")
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print the memo of case {case_number}")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return PrintOutcome(printed=False, cancelled=True)
    name, copies = printer_name(printer), printer.copyCount()
    try:
        problem = paint(printer, images(desk.memo_pages(data, dpi=PRINT_DPI)))
    except Exception as exc:  # a drawing or driver problem: say it, the case is safe in the log
        log.exception("printing the memo of case %s failed", case_number)
        problem = str(exc) or type(exc).__name__
    if problem:
        log.warning("printing the memo of case %s failed: %s", case_number, problem)
        QMessageBox.warning(parent, "Print", f"The memo was not printed: {problem}.")
        return PrintOutcome(printed=False, printer=name, copies=copies, problem=problem)
    desk.record_print(case_number, actor=actor, printer=name, copies=copies, version=version)
    return PrintOutcome(printed=True, printer=name, copies=copies)


class MemoPreview(QDialog):
    """The memo's pages as they will print, with Print… for exactly these bytes."""

    def __init__(self, *, desk: Desk, case_number: str, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.case_number = case_number
        record = desk.open_case(case_number)
        self.version = record.current.version
        self.pdf = desk.memo_bytes(record)
        self.pages = images(desk.memo_pages(self.pdf, dpi=PREVIEW_DPI))
        self.outcome: PrintOutcome | None = None
        self.setWindowTitle(f"Memo of case {case_number}, version {self.version}: preview")
        self.resize(900, 940)
        layout = QVBoxLayout(self)
        summary = QLabel(f"{len(self.pages)} page{'s' if len(self.pages) != 1 else ''}, exactly as they will print.")
        summary.setAccessibleName("What the preview shows")
        layout.addWidget(summary)
        column = QWidget()
        pages = QVBoxLayout(column)
        pages.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.page_labels: list[QLabel] = []
        for number, image in enumerate(self.pages, start=1):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(f"Page {number} of {len(self.pages)}")
            label.setStyleSheet("border: 1px solid #888; background: white;")
            pages.addWidget(label)
            self.page_labels.append(label)
        scroll = QScrollArea()
        scroll.setWidget(column)
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("The memo's pages")
        layout.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print these pages")
        close = QPushButton("&Close")
        close.setAccessibleName("Close the preview")
        buttons.addStretch()
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.print_button.clicked.connect(lambda: self.print_pages())
        close.clicked.connect(self.reject)
        self.print_button.setFocus()

    def print_pages(self, printer: QPrinter | None = None) -> PrintOutcome:
        self.outcome = print_memo(self, self._desk, self.case_number, self._actor, pdf=self.pdf, printer=printer)
        if self.outcome.printed:
            self.accept()
        return self.outcome
