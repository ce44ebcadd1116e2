"""What every memo page carries besides the body: running header, draft watermark, integrity footer and QR code."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from desktop.memo.fonts import BOLD, REGULAR, visible
from desktop.memo.stamp import DRAFT_MARK

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN_X = 54.0  # 0.75 in
MARGIN_TOP = 54.0
FOOTER_TOP = 102.0  # the body stops above this line; the footer sits below it
QR_SIZE = 64.0
_QR_FORM = "safedesk-qr"
SUBHEADING = "Response to a federal immigration request"


@dataclass(frozen=True)
class PageMarks:
    """What the header and footer of every page say."""

    draft: bool
    heading: str = ""  # the department the memo is from (its pack's [department] name)
    case_number: str = ""
    version: int = 0
    version_count: int = 0
    record_hash: str = ""
    chain_head: str = ""
    qr_text: str = ""
    admin_fingerprint: str = ""  # the admin key that certifies the accounts, when the desk has one

    @property
    def case_line(self) -> str:
        if self.draft:
            return f"{DRAFT_MARK}: a preview, not a record of the City"
        return f"Case {self.case_number}, version {self.version} of {self.version_count}"


def _rule(canvas: Canvas, y: float, gray: float = 0.45, width: float = 0.6) -> None:
    canvas.saveState()
    canvas.setStrokeGray(gray)
    canvas.setLineWidth(width)
    canvas.line(MARGIN_X, y, PAGE_WIDTH - MARGIN_X, y)
    canvas.restoreState()


def format_fingerprint(fingerprint: str) -> str:
    """A key fingerprint as printed: hex digits in groups of four, upper case ("FFFF FFFF ...")."""
    digits = "".join(c for c in fingerprint if c not in " :-").upper()
    if not digits or any(c not in "0123456789ABCDEF" for c in digits):
        return visible(" ".join(fingerprint.split()))
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def draw_page_start(canvas: Canvas, marks: PageMarks, page: int) -> None:
    """Drawn before the body of each page: the running header (on a draft, on every page)."""
    if not marks.draft and page == 1:
        return  # the first page of a memo has the full heading instead
    top = PAGE_HEIGHT - 34
    canvas.saveState()
    if marks.draft:
        canvas.setFont(BOLD, 10)
        canvas.drawString(MARGIN_X, top, DRAFT_MARK)
        canvas.setFont(REGULAR, 7.5)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, top, "Preview of a decision that has not been recorded")
    else:
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillGray(0.25)
        heading = f"{marks.heading} · {SUBHEADING}" if marks.heading else SUBHEADING
        canvas.drawString(MARGIN_X, top, visible(heading))
        canvas.setFillGray(0)
        canvas.setFont(BOLD, 8)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, top, marks.case_line)
    canvas.restoreState()
    _rule(canvas, top - 6)


def draw_watermark(canvas: Canvas) -> None:
    """DRAFT - NOT RECORDED across the body, drawn over it as a light outline so the text stays readable."""
    body_height = PAGE_HEIGHT - FOOTER_TOP - MARGIN_TOP
    body_width = PAGE_WIDTH - 2 * MARGIN_X
    size = min(60.0, 0.85 * math.hypot(body_width, body_height) / stringWidth(DRAFT_MARK, BOLD, 1))
    canvas.saveState()
    canvas.translate(PAGE_WIDTH / 2, FOOTER_TOP + body_height / 2)
    canvas.rotate(math.degrees(math.atan2(body_height, body_width)))
    canvas.setFillGray(0.5)
    canvas.setFillAlpha(0.12)
    canvas.setStrokeGray(0.3)
    canvas.setStrokeAlpha(0.55)
    canvas.setLineWidth(0.8)
    text = canvas.beginText()
    text.setTextRenderMode(2)  # fill and outline
    text.setFont(BOLD, size)
    text.setTextOrigin(-stringWidth(DRAFT_MARK, BOLD, size) / 2, -size / 3)
    text.textOut(DRAFT_MARK)
    canvas.drawText(text)
    canvas.restoreState()


def qr_modules(text: str) -> list[list[bool]]:
    """The dark (True) and light modules of the QR code for `text`, error correction level M."""
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    return [[bool(module) for module in row] for row in code.modules]


def _draw_qr(canvas: Canvas, text: str, size: float) -> None:
    """The QR code as one filled path (a rectangle per run of dark modules), lower left corner at 0, 0."""
    modules = qr_modules(text)
    step = size / len(modules)
    path = canvas.beginPath()
    for row_index, row in enumerate(modules):
        y = size - (row_index + 1) * step
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            path.rect(start * step, y, (column - start) * step, step)
    canvas.setFillGray(0)
    canvas.drawPath(path, stroke=0, fill=1)


def draw_footer(canvas: Canvas, marks: PageMarks, page: int, pages: int, *, define_qr: bool) -> None:
    """The integrity footer: page x of y, case and version, full record hash and chain head, and the QR code."""
    _rule(canvas, FOOTER_TOP - 6)
    right = PAGE_WIDTH - MARGIN_X
    text_right = right if marks.draft else right - QR_SIZE - 10
    y = FOOTER_TOP - 19
    canvas.saveState()
    canvas.setFont(BOLD, 8.5)
    canvas.drawString(MARGIN_X, y, marks.case_line)
    canvas.drawRightString(text_right, y, f"Page {page} of {pages}")
    canvas.setFont(REGULAR, 7.2)
    record = marks.record_hash or "not recorded"
    chain = marks.chain_head or "not recorded"
    canvas.drawString(MARGIN_X, y - 12, f"Record sha256: {record}")
    canvas.drawString(MARGIN_X, y - 22, f"Audit chain head: {chain}")
    canvas.setFont(REGULAR, 6.5)
    canvas.setFillGray(0.3)
    if marks.draft:
        note = "A draft proves nothing: record the decision, then print the memo of the recorded case."
    else:
        note = (
            "Safe Communities Desk. The record hash and the audit chain head let anyone check this paper "
            "against the case log."
        )
    canvas.drawString(MARGIN_X, y - 34, note)
    if marks.admin_fingerprint:
        canvas.setFillGray(0)
        canvas.setFont(REGULAR, 7.2)
        canvas.drawString(MARGIN_X, y - 45, f"Admin key {format_fingerprint(marks.admin_fingerprint)}")
    canvas.restoreState()
    if not marks.draft and marks.qr_text:
        if define_qr:
            canvas.beginForm(_QR_FORM)
            _draw_qr(canvas, marks.qr_text, QR_SIZE)
            canvas.endForm()
        canvas.saveState()
        canvas.translate(right - QR_SIZE, FOOTER_TOP - 12 - QR_SIZE)
        canvas.doForm(_QR_FORM)
        canvas.restoreState()


class MemoCanvas(Canvas):
    """A canvas that holds each page back until the end, so every footer can say "Page x of y"."""

    def __init__(self, *args: Any, marks: PageMarks, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._marks = marks
        self._held_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own "page x of y" recipe

    def save(self) -> None:
        pages = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            if self._marks.draft:
                draw_watermark(self)
            draw_footer(self, self._marks, number, pages, define_qr=number == 1)
            super().showPage()
        super().save()
