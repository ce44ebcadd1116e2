"""What every memo page carries besides the body: running header, draft watermark, stamp band and QR code.

The page, the band's layout and "Page x of y" are the kit's (kit.py), shared with the oversight report;
what the memo's header and band say, and the QR code, are the memo's own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from desktop.memo.fonts import BOLD, REGULAR, visible
from desktop.memo.kit import (
    MARGIN_TOP,
    MARGIN_X,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    BandLine,
    PageFinish,
    draw_band_text,
    draw_rule,
    graphics_state,
)
from desktop.memo.stamp import ADMIN_LABEL, CHAIN_LABEL, DRAFT_MARK, FOOTER_DRAFT, RECORD_LABEL, footer_case_line

FOOTER_TOP = 102.0  # the stamp band sits below this line
BODY_BOTTOM = FOOTER_TOP + 6  # the body stops above this one
BAND_RULE = FOOTER_TOP - 6
QR_SIZE = 64.0
RULE_GRAY = 0.45
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
            return FOOTER_DRAFT
        return footer_case_line(self.case_number, self.version, self.version_count)


def _rule(canvas: Canvas, y: float) -> None:
    with graphics_state(canvas):
        draw_rule(canvas, y, RULE_GRAY)


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


def draw_qr(canvas: Canvas, text: str, size: float) -> None:
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
    """The stamp band: case and version, page x of y, full record hash and chain head, and the QR code."""
    _rule(canvas, BAND_RULE)
    right = PAGE_WIDTH - MARGIN_X
    if marks.draft:
        note = "A draft proves nothing: record the decision, then print the memo of the recorded case."
    else:
        note = (
            "Safe Communities Desk. The record hash and the audit chain head let anyone check this paper "
            "against the case log."
        )
    lines = [
        BandLine(f"{RECORD_LABEL} {marks.record_hash or 'not recorded'}", drop=12, size=7.2),
        BandLine(f"{CHAIN_LABEL} {marks.chain_head or 'not recorded'}", drop=22, size=7.2),
        BandLine(note, drop=34, size=6.5, gray=0.3),
    ]
    if marks.admin_fingerprint:
        admin = f"{ADMIN_LABEL} {format_fingerprint(marks.admin_fingerprint)}"
        lines.append(BandLine(admin, drop=45, size=7.2, gray=0))
    with graphics_state(canvas):
        draw_band_text(
            canvas,
            rule_y=BAND_RULE,
            headline=marks.case_line,
            size=8.5,
            page=page,
            pages=pages,
            lines=lines,
            right=right if marks.draft else right - QR_SIZE - 10,  # clear of the QR code
        )
    if not marks.draft and marks.qr_text:
        if define_qr:
            canvas.beginForm(_QR_FORM)
            draw_qr(canvas, marks.qr_text, QR_SIZE)
            canvas.endForm()
        with graphics_state(canvas):
            canvas.translate(right - QR_SIZE, FOOTER_TOP - 12 - QR_SIZE)
            canvas.doForm(_QR_FORM)


def finish_page(marks: PageMarks) -> PageFinish:
    """What is drawn over each page once the page count is known: a draft's watermark, then the stamp band.

    The QR code is drawn once, as a form on page 1, and placed on every page from there.
    """

    def finish(canvas: Canvas, page: int, pages: int) -> None:
        if marks.draft:
            draw_watermark(canvas)
        draw_footer(canvas, marks, page, pages, define_qr=page == 1)

    return finish
