"""The kit both printed papers are made with: the decision memo (render.py) and the oversight report (report.py).

One home for what the two papers share: the letter page and its margins, the body frame, the PDF settings
that make the bytes reproducible, the canvas that holds pages back so each can say "Page x of y", the
stamp band at the foot of every page, the greys, paragraph and table styles in the embedded font, the
framed box, and the charts' look. The font itself (its faces, and the characters it cannot draw) is
fonts.py's; what each paper's band says is the paper's own (page.py, report.py).

Nothing here may change a byte of what either paper draws. A memo is checked by drawing it again from the
log and comparing bytes (desktop/desk/paper.py): a memo printed by an earlier release is found "identical"
only while the drawing stays the same. A report says of itself that the same period reported again gives
the same file. So where the two papers draw a thing differently (their greys, their type sizes, whether a
rule shares the band's graphics state) the kit takes the difference as an argument rather than settling
on one look; a new look would be a release's own decision, taken knowing that earlier papers would then
verify by their text only.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table, TableStyle

from desktop.memo.fonts import BOLD, REGULAR

if TYPE_CHECKING:
    from reportlab.graphics.charts.barcharts import BarChart
    from reportlab.graphics.shapes import Drawing

# --- the page ------------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN_X = 54.0  # 0.75 in, left and right
MARGIN_TOP = 54.0
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
AUTHOR = "Safe Communities Desk"

# A page's finish, drawn once the page count is known: (canvas, page number from 1, pages).
PageFinish = Callable[[Canvas, int, int], None]
# Drawn before the body of each page: (canvas, page number from 1).
PageStart = Callable[[Canvas, int], None]


def body_frame(bottom: float) -> Frame:
    """The body's frame, from the top margin down to `bottom` (just above the paper's stamp band).

    Without reportlab's default inner padding, so the body lines up with the band and the running header.
    """
    return Frame(
        MARGIN_X,
        bottom,
        BODY_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )


class HeldPagesCanvas(Canvas):
    """A canvas that holds each page back until the end, so every page's finish can say "Page x of y".

    reportlab's own "page x of y" recipe: each page's drawing is kept, and `finish` is drawn over it,
    with the page count, when the document is saved.
    """

    def __init__(self, *args: Any, finish: PageFinish, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._finish = finish
        self._held_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own "page x of y" recipe

    def save(self) -> None:
        pages = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            self._finish(self, number, pages)
            super().showPage()
        super().save()


def build_pdf(
    story: list[Flowable],
    *,
    body_bottom: float,
    finish: PageFinish,
    start: PageStart | None = None,
    template: str,
    title: str,
    author: str,
    subject: str,
    creator: str,
    keywords: Sequence[str] = (),
    lang: str = "en-US",
) -> bytes:
    """A letter-size PDF of `story`, the same bytes for the same story and words.

    reportlab's invariant mode fixes the creation date and the document id, which it would otherwise take
    from the clock; page compression keeps a memo near 75 KB. The embedded DejaVu Sans is the initial
    font, so nothing falls back to Helvetica (which has no glyphs for most names).
    """
    buffer = io.BytesIO()
    page_kwargs: dict[str, Any] = {}
    if start is not None:
        draw_start = start

        def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
            draw_start(canvas, doc.page)

        page_kwargs["onPage"] = on_page
    doc = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        pageTemplates=[PageTemplate(id=template, frames=[body_frame(body_bottom)], **page_kwargs)],
        title=title,
        author=author,
        subject=subject,
        keywords=list(keywords),
        creator=creator,
        invariant=1,
        pageCompression=1,
        initialFontName=REGULAR,
        lang=lang,
    )

    def canvasmaker(*args: Any, **kwargs: Any) -> HeldPagesCanvas:
        return HeldPagesCanvas(*args, finish=finish, **kwargs)

    doc.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()


# --- the stamp band: what ties every page to the log ---------------------------------------------

HEADLINE_DROP = 13.0  # the band's headline sits this far below its rule


@contextmanager
def graphics_state(canvas: Canvas) -> Iterator[Canvas]:
    """Drawing whose colours, fonts and line widths end with the block (PDF q ... Q)."""
    canvas.saveState()
    try:
        yield canvas
    finally:
        canvas.restoreState()


def draw_rule(canvas: Canvas, y: float, stroke: float | colors.Color, width: float = 0.6) -> None:
    """A rule across the text width at `y`: `stroke` a grey level (0 black, 1 white) or a colour."""
    if isinstance(stroke, colors.Color):
        canvas.setStrokeColor(stroke)
    else:
        canvas.setStrokeGray(stroke)
    canvas.setLineWidth(width)
    canvas.line(MARGIN_X, y, PAGE_WIDTH - MARGIN_X, y)


@dataclass(frozen=True)
class BandLine:
    """One small line of a stamp band, `drop` points below the band's headline."""

    text: str
    drop: float
    size: float
    gray: float | None = None  # set before the line, and kept for the lines after; None keeps the one in force


def draw_band_text(
    canvas: Canvas,
    *,
    rule_y: float,
    headline: str,
    size: float,
    page: int,
    pages: int,
    lines: Sequence[BandLine],
    right: float = PAGE_WIDTH - MARGIN_X,
    page_words: str = "",
) -> None:
    """The words of a stamp band under its rule at `rule_y`: a bold headline (what the paper is) with
    "Page x of y" (or `page_words`, in another language) at its right, ending at `right`, then the lines
    that name what the paper was made from.

    Drawn in the caller's graphics state: the memo and the report each keep their own around it.
    """
    y = rule_y - HEADLINE_DROP
    canvas.setFont(BOLD, size)
    canvas.drawString(MARGIN_X, y, headline)
    canvas.drawRightString(right, y, page_words or f"Page {page} of {pages}")
    for line in lines:
        if line.gray is not None:
            canvas.setFillGray(line.gray)
        canvas.setFont(REGULAR, line.size)
        canvas.drawString(MARGIN_X, y - line.drop, line.text)


# --- greys ---------------------------------------------------------------------------------------
# Black and grey only: both papers are photocopied and faxed. Each grey is named for what it does; the two
# papers' shades differ (0.9 and 0.93), and stay so (see the module's docstring).

INK = colors.black
LINE = colors.Color(0.35, 0.35, 0.35)  # table rules (memo), chart bars and the quiet words of a table (report)
FAINT_LINE = colors.Color(0.75, 0.75, 0.75)  # the rows of the memo's key and value tables
RULE = colors.Color(0.55, 0.55, 0.55)  # the report's rules
SHADE = colors.Color(0.9, 0.9, 0.9)  # the memo's shaded boxes and table headers
DARK_SHADE = colors.Color(0.78, 0.78, 0.78)  # the memo's AMENDED banner
LIGHT_SHADE = colors.Color(0.93, 0.93, 0.93)  # the report's statements box
QUIET_TEXT = colors.Color(0.25, 0.25, 0.25)  # the report's notes under a heading


# --- paragraph and table styles ------------------------------------------------------------------


@dataclass(frozen=True)
class BodyType:
    """A paper's body type (size and leading), from which all its paragraph styles are made.

    Every style is in the embedded DejaVu Sans, bullets too, so no paragraph falls back to reportlab's
    Helvetica, which cannot draw most names.
    """

    size: float
    leading: float

    def style(self, name: str, **overrides: Any) -> ParagraphStyle:
        base: dict[str, Any] = {
            "fontName": REGULAR,
            "fontSize": self.size,
            "leading": self.leading,
            "bulletFontName": REGULAR,
            "bulletFontSize": self.size,
            "alignment": TA_LEFT,
        }
        base.update(overrides)
        return ParagraphStyle(name, **base)


def table_style(commands: Sequence[tuple[Any, ...]], size: float) -> TableStyle:
    """A table style whose plain-string cells (the empty ones) use the embedded font at `size`, never Helvetica."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), ("FONTSIZE", (0, 0), (-1, -1), size), *commands])


def framed(
    flowables: list[Flowable],
    width: float,
    *,
    border: float,
    shade: colors.Color | None = None,
    font_size: float | None = None,
) -> Table:
    """Flowables in a black frame `border` points thick, on `shade` when given: the papers' boxed statements.

    With `font_size`, a plain-string cell would be set in the embedded font (table_style); without it, in
    reportlab's default, as the report has always had it (its bytes name Helvetica, though no text is set in it).
    """
    table = Table([[flowables]], colWidths=[width], hAlign="LEFT", splitInRow=1)
    commands: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), border, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
    ]
    if shade is not None:
        commands.append(("BACKGROUND", (0, 0), (-1, -1), shade))
    table.setStyle(table_style(commands, font_size) if font_size is not None else TableStyle(commands))
    return table


# --- charts --------------------------------------------------------------------------------------

CHART_TITLE_SIZE = 9.5
CHART_LABEL_SIZE = 7  # the axes' words and numbers
BAR_LABEL_SIZE = 6.5  # the number on each bar


def chart_title(drawing: Drawing, text: str) -> None:
    """A chart's title at the top left of its drawing, in the bold face."""
    from reportlab.graphics.shapes import String  # charts only: a memo does not load reportlab's graphics

    drawing.add(String(0, drawing.height - 11, text, fontName=BOLD, fontSize=CHART_TITLE_SIZE, fillColor=INK))


def style_bars(chart: BarChart) -> None:
    """The papers' bar chart look: grey bars without outline, each carrying its count, axes in the body face.

    Every bar carries its number so the chart reads without the table beside it, on a fax as on screen.
    The caller sets the scale and anything particular to its chart (angled month names, say).
    """
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = CHART_LABEL_SIZE
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = CHART_LABEL_SIZE
    chart.valueAxis.labelTextFormat = "%d"
    chart.bars[0].fillColor = LINE
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = BAR_LABEL_SIZE
