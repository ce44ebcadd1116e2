"""The memo's writing tools: its type (styles made from the kit's body type) and the pieces every part is made of.

A `Sheet` is the memo's styles and the width of its text frame; the parts (front.py, request.py, decision.py,
closing.py) write with its paragraphs, bullets, section headings, key and value tables and boxes, so that a
section heading, say, looks the same wherever it stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table

from desktop.memo import text as t
from desktop.memo.flowables import TextLines
from desktop.memo.fonts import BOLD, ITALIC
from desktop.memo.kit import FAINT_LINE, LINE, SHADE, BodyType, framed, table_style

BODY_SIZE = 8.6
BODY = BodyType(BODY_SIZE, BODY_SIZE * 1.2)

# A boxed grid whose first row is a shaded header (the documents and versions tables).
GRID_WITH_HEADER: list[tuple[Any, ...]] = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("BACKGROUND", (0, 0), (-1, 0), SHADE),
    ("BOX", (0, 0), (-1, -1), 0.6, LINE),
    ("INNERGRID", (0, 0), (-1, -1), 0.25, LINE),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
]


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of the memo, built once the fonts are registered."""

    body: ParagraphStyle
    small: ParagraphStyle
    italic_small: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    case_label: ParagraphStyle
    case_number: ParagraphStyle
    case_version: ParagraphStyle
    section: ParagraphStyle
    subsection: ParagraphStyle
    response_title: ParagraphStyle
    response_code: ParagraphStyle
    bullet: ParagraphStyle
    clause_title: ParagraphStyle
    quote: ParagraphStyle
    box_title: ParagraphStyle
    banner: ParagraphStyle
    notes: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle


def make_styles() -> Styles:
    style = BODY.style
    return Styles(
        body=style("body"),
        small=style("small", fontSize=8, leading=10.4),
        italic_small=style("italic_small", fontName=ITALIC, fontSize=8, leading=10.4),
        heading=style("heading", fontName=BOLD, fontSize=12.5, leading=15.5),
        title=style("title", fontName=BOLD, fontSize=12.5, leading=15.5, spaceBefore=2, spaceAfter=2),
        case_label=style("case_label", fontSize=8, leading=10),
        case_number=style("case_number", fontName=BOLD, fontSize=20, leading=24),
        case_version=style("case_version", fontName=BOLD, fontSize=10, leading=13),
        section=style("section", fontName=BOLD, fontSize=11.5, leading=14, spaceBefore=5, spaceAfter=1.5),
        subsection=style("subsection", fontName=BOLD, fontSize=9.2, leading=12, spaceBefore=4, spaceAfter=1.5),
        response_title=style("response_title", fontName=BOLD, fontSize=10, leading=13),
        response_code=style("response_code", fontName=BOLD, fontSize=11, leading=14.5),
        bullet=style("bullet", leftIndent=14, bulletIndent=3, spaceAfter=0.8),
        clause_title=style("clause_title", fontName=BOLD, fontSize=8.4, leading=10.8, leftIndent=4, spaceBefore=2),
        quote=style("quote", fontSize=8.1, leading=9.9, leftIndent=16, spaceAfter=1),
        box_title=style("box_title", fontName=BOLD, fontSize=10.5, leading=13.5, spaceAfter=3),
        banner=style("banner", fontName=BOLD, fontSize=13, leading=16),
        notes=style("notes", fontSize=8.6, leading=11),
        cell=style("cell", fontSize=8.3, leading=9.9),
        cell_bold=style("cell_bold", fontName=BOLD, fontSize=8.3, leading=9.9),
    )


def _key_rows(*, padding: float) -> list[tuple[Any, ...]]:
    """The rows of a key and value table: top-aligned, a faint rule under each, `padding` above and below."""
    return [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, FAINT_LINE),
    ]


class Sheet:
    """The memo's styles and the width of its text frame, with the pieces the parts write with."""

    def __init__(self, styles: Styles, width: float) -> None:
        self.s = styles
        self.width = width

    def p(self, markup: str, style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of reportlab markup (free text goes through text.markup first), in `style` or the body's."""
        return Paragraph(markup, style or self.s.body)

    def bullets(self, items: Sequence[str], style: ParagraphStyle | None = None) -> list[Flowable]:
        """Plain-text items as bullets (escaped here)."""
        return [Paragraph(t.markup(item), style or self.s.bullet, bulletText="•") for item in items]

    def section(self, title: str, keep: float = 90) -> list[Flowable]:
        # Keep a heading with what follows it: no heading alone at the foot of a page.
        return [CondPageBreak(keep), self.p(t.markup(title), self.s.section), self.hr(1.1)]

    def hr(self, thickness: float) -> Flowable:
        """A rule across the frame: a one-cell table, so it splits and keeps like any other flowable."""
        rule = Table([[""]], colWidths=[self.width], rowHeights=[thickness + 3])
        rule.setStyle(table_style([("LINEABOVE", (0, 0), (-1, 0), thickness, LINE)], BODY_SIZE))
        return rule

    def key_values(self, rows: Sequence[tuple[str, str]], key_width: float = 118, inset: float = 0) -> Table:
        """Plain-text keys in bold beside markup values, a pair a row; `inset` narrows it (inside a box)."""
        data = [[self.p(t.markup(k), self.s.cell_bold), self.p(v, self.s.cell)] for k, v in rows]
        width = self.width - inset
        table = Table(data, colWidths=[key_width, width - key_width], hAlign="LEFT", splitInRow=1)
        table.setStyle(table_style(_key_rows(padding=1.6), BODY_SIZE))
        return table

    def key_pairs(self, rows: Sequence[Sequence[tuple[str, str]]], key_width: float = 118) -> Table:
        """Keys and values two to a row; a row with one pair runs the whole width."""
        value_width = self.width / 2 - key_width
        data: list[list[Any]] = []
        commands = _key_rows(padding=1.4)
        for index, pairs in enumerate(rows):
            row: list[Any] = []
            for key, value in pairs:
                row += [self.p(t.markup(key), self.s.cell_bold), self.p(value, self.s.cell)]
            if len(pairs) == 1:
                row += ["", ""]
                commands.append(("SPAN", (1, index), (3, index)))
            data.append(row)
        table = Table(data, colWidths=[key_width, value_width, key_width, value_width], hAlign="LEFT", splitInRow=1)
        table.setStyle(table_style(commands, BODY_SIZE))
        return table

    def box(self, flowables: list[Flowable], *, shade: Color | None = None, border: float = 1.0) -> Table:
        """Flowables framed across the whole width (the banners, the referral, the warnings)."""
        return framed(flowables, self.width, border=border, shade=shade, font_size=BODY_SIZE)

    def free_text(self, text: str, style: ParagraphStyle) -> list[Flowable]:
        """Free text of any length with its line breaks kept, flowing over as many pages as it needs."""
        return [TextLines(t.clean(text).strip("\n"), style.fontName, style.fontSize, style.leading)]
