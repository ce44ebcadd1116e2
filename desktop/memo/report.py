"""render_report: an oversight report's figures (the JSON form of desktop.desk.reports.Report) as a PDF.

Letter size, black and grey: the department and period, the statements ("No requests received",
"No one was held on an immigration detainer"), the key figures, a chart of requests by month and
one of responses by code, then one table per section. Every page's footer names the audit entry the
figures were read up to and its hash, so the paper can be checked against the log. The PDF has a
fixed creation date and document id (reportlab's invariant mode), so the same figures always give
the same bytes. It holds no personal data because it is given none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from desktop.memo.fonts import BOLD, register_fonts
from desktop.memo.kit import (
    AUTHOR,
    BODY_WIDTH,
    INK,
    LIGHT_SHADE,
    LINE,
    QUIET_TEXT,
    RULE,
    BandLine,
    BodyType,
    PageFinish,
    build_pdf,
    draw_band_text,
    draw_rule,
    framed,
    graphics_state,
)
from desktop.memo.report_charts import bars_by_month, bars_by_response

FOOTER_HEIGHT = 62.0  # the stamp band's height; the body stops just above it
BAND_RULE = FOOTER_HEIGHT - 10
CREATOR = f"{AUTHOR} (desktop.memo.report)"
KEY_FIGURES = (
    ("requests", "total", "Requests received"),
    ("detainers", "received", "Detainers received"),
    ("detainers", "held_on_detainer", "Held on a detainer"),
    ("referrals", "referred", "Referred to counsel"),
)
BODY = BodyType(9, 12)
# The rows of the figures' tables: a grey rule under each, tight padding. The report's tables take a plain
# TableStyle, not the kit's table_style: their cells' font has always been reportlab's default (the file names
# Helvetica, though no text is set in it), and the embedded one would change the bytes of every report.
_ROWS: list[tuple[Any, ...]] = [
    ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ("LEFTPADDING", (0, 0), (-1, -1), 2),
    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
]


@dataclass(frozen=True)
class ReportStyles:
    """The paragraph styles of the report, built once the fonts are registered."""

    department: ParagraphStyle
    title: ParagraphStyle
    period: ParagraphStyle
    statement: ParagraphStyle
    section: ParagraphStyle
    note: ParagraphStyle
    cell: ParagraphStyle
    group: ParagraphStyle
    value: ParagraphStyle
    big: ParagraphStyle
    big_label: ParagraphStyle
    source: ParagraphStyle


def make_styles() -> ReportStyles:
    style = BODY.style
    return ReportStyles(
        department=style("department", fontName=BOLD, fontSize=13, leading=16),
        title=style("title", fontSize=16, leading=20, spaceBefore=2, spaceAfter=4),
        period=style("period", fontSize=9.5, leading=13),
        statement=style("statement", fontName=BOLD, fontSize=10.5, leading=14),
        section=style("section", fontName=BOLD, fontSize=11, leading=14, spaceBefore=10, spaceAfter=3),
        note=style("note", fontSize=7.8, leading=10, textColor=QUIET_TEXT, spaceAfter=3),
        cell=style("cell", fontSize=8.5, leading=10.5),
        group=style("group", fontSize=7, leading=10.5, textColor=LINE),
        value=style("value", fontName=BOLD, fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
        big=style("big", fontName=BOLD, fontSize=18, leading=21, alignment=TA_CENTER),
        big_label=style("big_label", fontSize=7.5, leading=9.5, alignment=TA_CENTER),
        source=style("source", fontSize=8, leading=10.5),
    )


def _text(value: object) -> str:
    return escape(str(value))


def _number(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _figure(report: Mapping[str, Any], section_id: str, group: str) -> object:
    for section in report["sections"]:
        if section["id"] == section_id:
            for figure in section["figures"]:
                if figure["group"] == group:
                    return figure["value"]
    return 0


def _band(lines: Sequence[str]) -> PageFinish:
    """The report's stamp band: what the paper is and "Page x of y", then the log entry it was read up to."""

    def finish(canvas: Canvas, page: int, pages: int) -> None:
        with graphics_state(canvas):
            draw_rule(canvas, BAND_RULE, RULE)
            draw_band_text(
                canvas,
                rule_y=BAND_RULE,
                headline=lines[0],
                size=8,
                page=page,
                pages=pages,
                lines=[BandLine(line, drop=11 + 10 * index, size=7) for index, line in enumerate(lines[1:])],
            )

    return finish


class _Builder:
    def __init__(self, report: Mapping[str, Any], width: float) -> None:
        self.report = report
        self.width = width
        self.s = make_styles()

    def p(self, text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(text, style)

    def heading(self) -> list[Flowable]:
        period = self.report["period"]
        department = self.report["department"]
        zone = period["time_zone"] or "the desk's time zone"
        story: list[Flowable] = []
        if department:
            story.append(self.p(_text(department), self.s.department))
        story += [
            self.p(_text(self.report["title"]), self.s.title),
            self.p(
                f"Period: <b>{_text(period['words'])}</b> ({_text(period['label'])}); each request counted by the "
                f"day it was received, in {_text(zone)}. No personal data: no names, booking numbers, case "
                "numbers, addresses or notes.",
                self.s.period,
            ),
            Spacer(1, 8),
        ]
        statements: list[Flowable] = [self.p(_text(s), self.s.statement) for s in self.report["statements"]]
        box = framed(statements, self.width, border=1.0, shade=LIGHT_SHADE)
        return [*story, box, Spacer(1, 10), self.key_figures(), Spacer(1, 12)]

    def key_figures(self) -> Table:
        cells = [
            [self.p(_number(_figure(self.report, s, g)), self.s.big), self.p(_text(words), self.s.big_label)]
            for s, g, words in KEY_FIGURES
        ]
        column = self.width / len(cells)
        table = Table([[c[0] for c in cells], [c[1] for c in cells]], colWidths=[column] * len(cells))
        table.setStyle(
            TableStyle(
                [
                    ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE),
                    ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table

    def charts(self) -> list[Flowable]:
        sections = {s["id"]: s for s in self.report["sections"]}
        months = [(f["group"], int(f["value"])) for f in sections["requests_by_month"]["figures"]]
        codes = sorted(
            ((f["label"], int(f["value"])) for f in sections["responses_by_code"]["figures"]),
            key=lambda item: (-item[1], item[0]),
        )
        return [
            bars_by_month("Requests received, by month", months, self.width),
            Spacer(1, 10),
            bars_by_response("The City's responses, by code (one for each thing asked)", codes, self.width),
            Spacer(1, 4),
        ]

    def section(self, section: Mapping[str, Any]) -> list[Flowable]:
        head: list[Flowable] = [self.p(_text(section["title"]), self.s.section)]
        if section["note"]:
            head.append(self.p(_text(section["note"]), self.s.note))
        figures = section["figures"]
        if figures and section["id"] == "referrals_by_amb":
            return [CondPageBreak(80), *head, self.by_question(figures)]
        if not figures:
            return [CondPageBreak(60), *head, self.p("None in this period.", self.s.cell)]
        rows = [
            [
                self.p(_text(f["label"]), self.s.cell),
                self.p(_text(f["group"]), self.s.group),
                self.p(_number(f["value"]), self.s.value),
            ]
            for f in figures
        ]
        table = Table(rows, colWidths=[self.width * 0.62, self.width * 0.24, self.width * 0.14], repeatRows=0)
        table.setStyle(TableStyle(_ROWS))
        if len(rows) <= 12:
            return [KeepTogether([*head, table])]
        return [CondPageBreak(80), *head, table]

    def by_question(self, figures: Sequence[Mapping[str, Any]]) -> Table:
        """Referrals by open question, one row each: its words, then referred, resolved, open, median, longest."""
        columns = ("referred", "resolved", "open", "median_days", "longest_days")
        values: dict[str, dict[str, object]] = {}
        words: dict[str, str] = {}
        for figure in figures:
            question, _sep, what = str(figure["group"]).partition("/")
            values.setdefault(question, {})[what] = figure["value"]
            if what == "referred":
                words[question] = str(figure["label"])
        head = ["open question", "referred", "resolved", "still open", "median days", "longest days"]
        rows: list[list[Any]] = [
            [self.p(f"<b>{h}</b>", self.s.cell if i == 0 else self.s.value) for i, h in enumerate(head)]
        ]
        for question, found in values.items():
            cells = [self.p(_number(found.get(c, "–")), self.s.value) for c in columns]
            rows.append([self.p(_text(words.get(question, question)), self.s.cell), *cells])
        narrow = self.width * 0.095
        table = Table(rows, colWidths=[self.width - 5 * narrow, *[narrow] * 5], repeatRows=1)
        table.setStyle(TableStyle([*_ROWS, ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK)]))
        return table

    def source(self) -> list[Flowable]:
        source = self.report["source"]
        return [
            self.p("How to check this report", self.s.section),
            self.p(
                f"These figures were read from the case log up to audit entry {source['audit_entries']:,}, the "
                "newest entry then recording a case or an amendment; that entry's sha256 is "
                f"<b>{_text(source['chain_head'])}</b>. On the desk, <i>main.py verify</i> checks the whole "
                "chain, and the same period reported again from the same log gives this file byte for byte. "
                "Requests are counted by their current version: a corrected case counts as corrected.",
                self.s.source,
            ),
        ]

    def story(self) -> list[Flowable]:
        story = self.heading() + self.charts()
        for section in self.report["sections"]:
            story += self.section(section)
        return story + self.source()


def render_report(report: Mapping[str, Any]) -> bytes:
    """The report as PDF bytes; the same figures always give the same bytes."""
    register_fonts()
    period = report["period"]
    source = report["source"]
    footer = (
        f"{report['title']}: {period['label']} · no personal data",
        f"Made from the case log up to audit entry {source['audit_entries']:,}; that entry's sha256: "
        f"{source['chain_head']}",
        "Safe Communities Desk. Check it against the log with main.py verify.",
    )
    title = f"{report['title']}: {period['label']}"
    return build_pdf(
        _Builder(report, BODY_WIDTH).story(),
        body_bottom=FOOTER_HEIGHT + 4,
        finish=_band(footer),
        template="report",
        title=title,
        author=report["department"] or AUTHOR,
        subject=f"period {period['from']} to {period['to']}; audit entry {source['audit_entries']}; "
        f"sha256 {source['chain_head']}",
        creator=CREATOR,
    )
