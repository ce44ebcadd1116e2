"""render_report: an oversight report's figures (the JSON form of desktop.desk.reports.Report) as a PDF.

Letter size, black and grey: the department and period, the statements ("No requests received",
"No one was held on an immigration detainer"), the key figures, a chart of requests by month and
one of responses by code, then one table per section. Every page's footer names the audit entry the
figures were read up to and its hash, so the paper can be checked against the log. The PDF has a
fixed creation date and document id (reportlab's invariant mode), so the same figures always give
the same bytes. It holds no personal data because it is given none.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from desktop.memo.fonts import BOLD, REGULAR, register_fonts
from desktop.memo.report_charts import bars_by_month, bars_by_response

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN_X = 54.0
MARGIN_TOP = 54.0
FOOTER_HEIGHT = 62.0
CREATOR = "Safe Communities Desk (desktop.memo.report)"
KEY_FIGURES = (
    ("requests", "total", "Requests received"),
    ("detainers", "received", "Detainers received"),
    ("detainers", "held_on_detainer", "Held on a detainer"),
    ("referrals", "referred", "Referred to counsel"),
)
RULE_GREY = colors.Color(0.55, 0.55, 0.55)
SHADE = colors.Color(0.93, 0.93, 0.93)


def _style(name: str, **kwargs: Any) -> ParagraphStyle:
    base: dict[str, Any] = {"fontName": REGULAR, "fontSize": 9, "leading": 12}
    base.update(kwargs)
    return ParagraphStyle(name, **base)


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "department": _style("department", fontName=BOLD, fontSize=13, leading=16),
        "title": _style("title", fontSize=16, leading=20, spaceBefore=2, spaceAfter=4),
        "period": _style("period", fontSize=9.5, leading=13),
        "statement": _style("statement", fontName=BOLD, fontSize=10.5, leading=14),
        "section": _style("section", fontName=BOLD, fontSize=11, leading=14, spaceBefore=10, spaceAfter=3),
        "note": _style("note", fontSize=7.8, leading=10, textColor=colors.Color(0.25, 0.25, 0.25), spaceAfter=3),
        "cell": _style("cell", fontSize=8.5, leading=10.5),
        "group": _style("group", fontSize=7, leading=10.5, textColor=colors.Color(0.35, 0.35, 0.35)),
        "value": _style("value", fontName=BOLD, fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
        "big": _style("big", fontName=BOLD, fontSize=18, leading=21, alignment=1),
        "big_label": _style("big_label", fontSize=7.5, leading=9.5, alignment=1),
        "source": _style("source", fontSize=8, leading=10.5),
    }


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


class _ReportCanvas(Canvas):
    """Holds each page back to the end, so every footer can say "Page x of y"."""

    def __init__(self, *args: Any, footer: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own "page x of y" recipe

    def save(self) -> None:
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, len(self._held))
            super().showPage()
        super().save()

    def _draw_footer(self, page: int, pages: int) -> None:
        top = FOOTER_HEIGHT - 10
        self.saveState()
        self.setStrokeColor(RULE_GREY)
        self.setLineWidth(0.6)
        self.line(MARGIN_X, top, PAGE_WIDTH - MARGIN_X, top)
        self.setFont(BOLD, 8)
        self.drawString(MARGIN_X, top - 13, self._footer[0])
        self.drawRightString(PAGE_WIDTH - MARGIN_X, top - 13, f"Page {page} of {pages}")
        self.setFont(REGULAR, 7)
        for index, line in enumerate(self._footer[1:]):
            self.drawString(MARGIN_X, top - 24 - 10 * index, line)
        self.restoreState()


class _Builder:
    def __init__(self, report: Mapping[str, Any], width: float) -> None:
        self.report = report
        self.width = width
        self.styles = _styles()

    def p(self, text: str, style: str) -> Paragraph:
        return Paragraph(text, self.styles[style])

    def heading(self) -> list[Flowable]:
        period = self.report["period"]
        department = self.report["department"]
        zone = period["time_zone"] or "the desk's time zone"
        story: list[Flowable] = []
        if department:
            story.append(self.p(_text(department), "department"))
        story += [
            self.p(_text(self.report["title"]), "title"),
            self.p(
                f"Period: <b>{_text(period['words'])}</b> ({_text(period['label'])}); each request counted by the "
                f"day it was received, in {_text(zone)}. No personal data: no names, booking numbers, case "
                "numbers, addresses or notes.",
                "period",
            ),
            Spacer(1, 8),
        ]
        statements = [self.p(_text(s), "statement") for s in self.report["statements"]]
        box = Table([[statements]], colWidths=[self.width])
        box.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
                    ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ]
            )
        )
        return [*story, box, Spacer(1, 10), self.key_figures(), Spacer(1, 12)]

    def key_figures(self) -> Table:
        cells = [
            [self.p(_number(_figure(self.report, s, g)), "big"), self.p(_text(words), "big_label")]
            for s, g, words in KEY_FIGURES
        ]
        column = self.width / len(cells)
        table = Table([[c[0] for c in cells], [c[1] for c in cells]], colWidths=[column] * len(cells))
        table.setStyle(
            TableStyle(
                [
                    ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE_GREY),
                    ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE_GREY),
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
        head: list[Flowable] = [self.p(_text(section["title"]), "section")]
        if section["note"]:
            head.append(self.p(_text(section["note"]), "note"))
        figures = section["figures"]
        if figures and section["id"] == "referrals_by_amb":
            return [CondPageBreak(80), *head, self.by_question(figures)]
        if not figures:
            return [CondPageBreak(60), *head, self.p("None in this period.", "cell")]
        rows = [
            [
                self.p(_text(f["label"]), "cell"),
                self.p(_text(f["group"]), "group"),
                self.p(_number(f["value"]), "value"),
            ]
            for f in figures
        ]
        table = Table(rows, colWidths=[self.width * 0.62, self.width * 0.24, self.width * 0.14], repeatRows=0)
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE_GREY),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
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
        rows: list[list[Any]] = [[self.p(f"<b>{h}</b>", "cell" if i == 0 else "value") for i, h in enumerate(head)]]
        for question, found in values.items():
            cells = [self.p(_number(found.get(c, "–")), "value") for c in columns]
            rows.append([self.p(_text(words.get(question, question)), "cell"), *cells])
        narrow = self.width * 0.095
        table = Table(rows, colWidths=[self.width - 5 * narrow, *[narrow] * 5], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE_GREY),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return table

    def source(self) -> list[Flowable]:
        source = self.report["source"]
        return [
            self.p("How to check this report", "section"),
            self.p(
                f"These figures were read from the case log up to audit entry {source['audit_entries']:,}, the "
                "newest entry then recording a case or an amendment; that entry's sha256 is "
                f"<b>{_text(source['chain_head'])}</b>. On the desk, <i>main.py verify</i> checks the whole "
                "chain, and the same period reported again from the same log gives this file byte for byte. "
                "Requests are counted by their current version: a corrected case counts as corrected.",
                "source",
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
    buffer = io.BytesIO()
    width = PAGE_WIDTH - 2 * MARGIN_X
    frame = Frame(
        MARGIN_X,
        FOOTER_HEIGHT + 4,
        width,
        PAGE_HEIGHT - MARGIN_TOP - FOOTER_HEIGHT - 4,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    title = f"{report['title']}: {period['label']}"
    doc = BaseDocTemplate(
        buffer,
        pagesize=LETTER,
        pageTemplates=[PageTemplate(id="report", frames=[frame])],
        title=title,
        author=report["department"] or "Safe Communities Desk",
        subject=f"period {period['from']} to {period['to']}; audit entry {source['audit_entries']}; "
        f"sha256 {source['chain_head']}",
        creator=CREATOR,
        invariant=1,
        pageCompression=1,
        initialFontName=REGULAR,
        lang="en-US",
    )

    def canvas(*args: Any, **kwargs: Any) -> _ReportCanvas:
        return _ReportCanvas(*args, footer=footer, **kwargs)

    doc.build(_Builder(report, width).story(), canvasmaker=canvas)
    return buffer.getvalue()
