"""Printing a memo from the window: Qt's print dialog (printer, copies) and a preview, both drawn from the very
PDF bytes the desk renders, so what is previewed is what is printed and what the log reproduces.

The desk draws the pages (pypdfium2, behind `desktop.desk.paper.page_pngs`); this module turns them into
QImages and paints them on the printer. A print is audited only after it succeeded; a cancelled one writes
nothing, and a failed one says why.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.desk.paper import page_pngs
from desktop.errors import one_line
from desktop.ui.messages import warn
from desktop.ui.ops import DeskOp
from desktop.ui.screen import fit_to_screen

if TYPE_CHECKING:
    from desktop.desk import Desk, Session

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


@dataclass(frozen=True)
class Memo:
    """A case's memo as it prints now: its version and its bytes."""

    case_number: str
    version: int
    pdf: bytes


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
    first = True
    for _ in range(repeat):
        for page in pages:
            if not first and not printer.newPage():
                painter.end()
                return f"the printer {printer_name(printer)} refused a new page"
            first = False
            target = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
            painter.drawImage(target, page)
    painter.end()
    if printer.printerState() == QPrinter.PrinterState.Error:
        return f"the printer {printer_name(printer)} reported an error"
    return ""


def memo_of(parent: QWidget, desk: Desk, session: Session, case_number: str) -> Memo | None:
    """The case's memo as it prints now (the current version's), or None once the desk's refusal was shown."""

    def read() -> Memo:
        record = desk.cases.open(session, case_number, audit=False)  # the view was audited when it was opened
        return Memo(record.case_number, record.current.version, desk.paper.memo_bytes(session, case_number))

    return DeskOp(parent, "reading the memo", read, title="Memo").run()


def print_memo(
    parent: QWidget,
    desk: Desk,
    case_number: str,
    session: Session,
    *,
    memo: Memo | None = None,
    printer: QPrinter | None = None,
) -> PrintOutcome:
    """Ask for a printer and copies (QPrintDialog), print the memo, then audit the print.

    `memo` is the memo to print (the one a preview showed); by default the case's memo as it renders now.
    """
    memo = memo or memo_of(parent, desk, session, case_number)
    if memo is None:
        return PrintOutcome(printed=False, problem="the memo could not be read")
    version = memo.version
    return print_paper(
        parent,
        memo.pdf,
        what="memo",
        doc_name=f"Case {case_number} memo, version {version}",
        title=f"Print the memo of case {case_number}",
        audit=lambda name, copies: desk.paper.record_print(
            session, case_number, printer=name, copies=copies, version=version
        ),
        done=f"the memo of case {case_number}, version {version}",
        printer=printer,
    )


def print_paper(
    parent: QWidget,
    pdf: bytes,
    *,
    what: str,
    doc_name: str,
    title: str,
    audit: Callable[[str, int], object],
    done: str,
    printer: QPrinter | None = None,
) -> PrintOutcome:
    """Ask for a printer and copies (QPrintDialog), print these PDF bytes, then `audit(printer, copies)`.

    One home for printing the desk's paper (a memo, a notice to the person): a print is audited only once it
    succeeded; a cancelled one writes nothing; a failed one says why. `what` names the paper in messages.
    """
    printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
    if sys.platform == "win32" and printer.outputFormat() != QPrinter.OutputFormat.NativeFormat:
        # Windows' print dialog takes installed printers only. On a PC with none, Qt makes a PDF printer instead
        # and the dialog refuses it without a window ("Cannot be used on non-native printers"): Print would seem
        # to do nothing. Say why instead; the paper is still in the log and opens in the PDF viewer.
        problem = "no printer is installed on this PC (add one in Windows Settings, or use Open in viewer)"
        warn(parent, "Print", f"The {what} was not printed: {problem}.")
        return PrintOutcome(printed=False, problem=problem)
    printer.setDocName(doc_name)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return PrintOutcome(printed=False, cancelled=True)
    name, copies = printer_name(printer), printer.copyCount()
    drawn = DeskOp(parent, f"drawing the {what}'s pages", lambda: page_pngs(pdf, dpi=PRINT_DPI), title="Print")
    pages = drawn.run()
    if pages is None:  # the desk's problem was shown; nothing was printed
        return PrintOutcome(printed=False, printer=name, copies=copies, problem=one_line(drawn.error or Exception()))
    problem = paint(printer, images(pages))
    if problem:
        warn(parent, "Print", f"The {what} was not printed: {problem}.")
        return PrintOutcome(printed=False, printer=name, copies=copies, problem=problem)
    audited = DeskOp(
        parent,
        "recording the print",
        lambda: audit(name, copies),
        title="Print",
        after=f"The {what} was printed; its print is not in the log.",
    )
    audited.run()
    if audited.ok:
        plural = "copies" if copies != 1 else "copy"
        say_in_status_bar(parent, f"Printed {done}: {copies} {plural} on {name}")
    return PrintOutcome(printed=audited.ok, printer=name, copies=copies, problem="" if audited.ok else "not audited")


def say_in_status_bar(widget: QWidget, text: str) -> None:
    """A short message on the main window's status bar, from a dialog over it (a print done, say)."""
    window: QWidget | None = widget
    while window is not None and not isinstance(window, QMainWindow):
        window = window.parentWidget()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, 15000)


def open_preview(parent: QWidget, desk: Desk, session: Session, case_number: str) -> MemoPreview | None:
    """The preview of the case's memo, drawn by the desk; None once a refusal or a problem was shown."""
    memo = memo_of(parent, desk, session, case_number)
    if memo is None:
        return None
    pages = DeskOp(parent, "drawing the memo's pages", lambda: page_pngs(memo.pdf, dpi=PREVIEW_DPI), title="Preview")
    pngs = pages.run()
    if pngs is None:
        return None
    return MemoPreview(desk=desk, session=session, memo=memo, pages=images(pngs), parent=parent)


class PagesPreview(QDialog):
    """Pages of a memo drawn in the window itself (no copy on disk, no other program), with Close."""

    def __init__(self, *, title: str, pages: list[QImage], summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = pages
        self.setWindowTitle(title)
        fit_to_screen(self, 900, 940)  # never taller than a laptop's screen at 150%: its buttons stay on it
        layout = QVBoxLayout(self)
        said = QLabel(summary)
        said.setWordWrap(True)
        said.setAccessibleName("What the preview shows")
        layout.addWidget(said)
        column = QWidget()
        pages_column = QVBoxLayout(column)
        pages_column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.page_labels: list[QLabel] = []
        for number, image in enumerate(self.pages, start=1):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(f"Page {number} of {len(self.pages)}")
            label.setStyleSheet("border: 1px solid #888; background: white;")
            pages_column.addWidget(label)
            self.page_labels.append(label)
        scroll = QScrollArea()
        scroll.setWidget(column)
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("The memo's pages")
        layout.addWidget(scroll, 1)
        self.buttons = QHBoxLayout()
        self.close_button = QPushButton("&Close")
        self.close_button.setAccessibleName("Close the preview")
        self.buttons.addStretch()
        self.buttons.addWidget(self.close_button)
        layout.addLayout(self.buttons)
        self.close_button.clicked.connect(self.reject)
        self.close_button.setFocus()


def pages_count(pages: list[QImage]) -> str:
    return f"{len(pages)} page{'s' if len(pages) != 1 else ''}"


class MemoPreview(PagesPreview):
    """The memo's pages as they will print, with Print… for exactly these bytes."""

    def __init__(
        self, *, desk: Desk, session: Session, memo: Memo, pages: list[QImage], parent: QWidget | None = None
    ) -> None:
        super().__init__(
            title=f"Memo of case {memo.case_number}, version {memo.version}: preview",
            pages=pages,
            summary=f"{pages_count(pages)}, exactly as they will print.",
            parent=parent,
        )
        self._desk = desk
        self._session = session
        self.memo = memo
        self.case_number = memo.case_number
        self.version = memo.version
        self.pdf = memo.pdf
        self.outcome: PrintOutcome | None = None
        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print these pages")
        self.buttons.insertWidget(1, self.print_button)
        self.print_button.clicked.connect(lambda: self.print_pages())
        self.print_button.setFocus()

    def print_pages(self, printer: QPrinter | None = None) -> PrintOutcome:
        self.outcome = print_memo(self, self._desk, self.case_number, self._session, memo=self.memo, printer=printer)
        if self.outcome.printed:
            self.accept()
        return self.outcome
