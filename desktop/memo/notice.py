"""The notice to the person as a letter-size PDF: in the person's language, and the English beside an unofficial
translation.

The words are the pack's (desktop/rules/notice.py composes them); this module only lays them out. A notice
carries, on every page and in its metadata, the case number, the case version it tells of, its language, the
hash of the pack text it prints and its own hash (the serving's: case version, language, pack text, when and
by whom), and a QR code with the same, so a notice handed back can be checked against the log.

A notice is drawn from the log alone (the case version, the pack, the serving's time and officer), so the
same serving always gives the same bytes: the desk checks a notice by drawing it again.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from desktop.memo.fonts import BOLD, register_fonts, visible
from desktop.memo.kit import (
    AUTHOR,
    BODY_WIDTH,
    MARGIN_X,
    PAGE_WIDTH,
    SHADE,
    BandLine,
    BodyType,
    PageFinish,
    build_pdf,
    draw_band_text,
    draw_rule,
    framed,
    graphics_state,
    table_style,
)
from desktop.memo.page import BAND_RULE, BODY_BOTTOM, FOOTER_TOP, QR_SIZE, draw_qr
from desktop.memo.stamp import CASE_NUMBER, MemoError
from desktop.rules.notice import ComposedNotice, NoticeWords

NOTICE_PREFIX = "safedesk-notice"
NOTICE_QR_PREFIX = "SAFEDESK-NOTICE"
CREATOR = f"{AUTHOR} (desktop.memo.notice)"
_HASH = r"[0-9a-f]{64}"
_STAMP = re.compile(
    rf"^{NOTICE_PREFIX};case=(?P<case>[^;\s]+);version=(?P<version>[1-9]\d*);lang=(?P<lang>[A-Za-z_]+);"
    rf"record=(?P<record>{_HASH});text=(?P<text>{_HASH});notice=(?P<notice>{_HASH})$"
)
# The band's lines as printed and read back (the first line's label is in the notice's language).
_BAND = re.compile(
    rf": (?P<notice>{_HASH})\s+Case (?P<case>\S+), version (?P<version>[1-9]\d*); record sha256: (?P<record>{_HASH})"
    rf"\s+Notice text \((?P<lang>[A-Za-z_]+)\) sha256: (?P<text>{_HASH})"
)
_QR_FORM = "safedesk-notice-qr"
_TYPE = BodyType(size=10.5, leading=14)
_SIDE_TYPE = BodyType(size=9, leading=12)  # two languages side by side


@dataclass(frozen=True)
class NoticeStamp:
    """What a printed notice says about the serving it was printed for."""

    case_number: str
    version: int
    language: str
    record_hash: str  # the case version the notice tells of
    text_sha256: str  # the pack text it prints (rules/notice.py NoticeSettings.text_sha256)
    notice_sha256: str  # the serving's own hash (notice_hash)

    def to_text(self) -> str:
        return (
            f"{NOTICE_PREFIX};case={self.case_number};version={self.version};lang={self.language};"
            f"record={self.record_hash};text={self.text_sha256};notice={self.notice_sha256}"
        )

    def qr_text(self) -> str:
        return f"{NOTICE_QR_PREFIX}|{self.case_number}|v{self.version}|{self.language}|{self.notice_sha256}"


def parse_notice_stamp(text: str) -> NoticeStamp | None:
    """The notice stamp in `text` (a PDF's Subject or Keywords), or None when it is not one."""
    match = _STAMP.match(text.strip())
    if match is None:
        return None
    return NoticeStamp(
        match["case"], int(match["version"]), match["lang"], match["record"], match["text"], match["notice"]
    )


def _stamp_from_band(text: str) -> NoticeStamp | None:
    """The stamp printed in a notice's band (the last one on the page), or None."""
    matches = list(_BAND.finditer(text))
    if not matches:
        return None
    m = matches[-1]
    return NoticeStamp(m["case"], int(m["version"]), m["lang"], m["record"], m["text"], m["notice"])


def read_notice_stamps(data: bytes) -> tuple[NoticeStamp | None, NoticeStamp | None]:
    """A PDF's notice stamps: its metadata's (Subject, else Keywords) and the one printed in its first page's
    band; (None, None) when the file is not a notice or not readable. Both are given, so the check can say
    a notice whose two disagree was altered, and read one whose metadata was stripped by its band."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        metadata = reader.metadata
        printed = _stamp_from_band(reader.pages[0].extract_text() or "") if reader.pages else None
    except (PyPdfError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None, None
    fields = [str(metadata.get(key) or "") for key in ("/Subject", "/Keywords")] if metadata else []
    return next((s for s in map(parse_notice_stamp, fields) if s is not None), None), printed


def notice_text(data: bytes) -> tuple[str, ...]:
    """Each page's text, whitespace made single spaces (two notices compared by what they say)."""
    from pypdf import PdfReader

    return tuple(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages)


def notice_hash(
    case_number: str, version: int, record_hash: str, language: str, text_sha256: str, served_at: str, officer: str
) -> str:
    """A serving's own hash: which case version, in which language, which pack text, when and by whom."""
    parts = [NOTICE_PREFIX, case_number, str(version), record_hash, language, text_sha256, served_at, officer]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _text(value: str) -> str:
    return escape(visible(value))


def _styles(type_: BodyType) -> dict[str, ParagraphStyle]:
    return {
        "title": type_.style("notice-title", fontName=BOLD, fontSize=type_.size + 4, leading=type_.leading + 5),
        "heading": type_.style("notice-heading", fontName=BOLD, spaceBefore=6),
        "body": type_.style("notice-body"),
        "fact": type_.style("notice-fact"),
        "sentence": type_.style("notice-sentence", leftIndent=12, bulletIndent=0),
    }


def _paragraph(kind: str, text: str, styles: dict[str, ParagraphStyle]) -> Paragraph:
    if kind == "sentence":
        return Paragraph(_text(text), styles[kind], bulletText="•")
    return Paragraph(_text(text), styles[kind])


def _header(words: NoticeWords, beside: NoticeWords | None) -> list[Flowable]:
    heading = words.heading if beside is None else f"{words.heading} · {beside.heading}"
    style = _TYPE.style("notice-from", fontSize=9, leading=12, textColor=colors.Color(0.25, 0.25, 0.25))
    return [Paragraph(_text(heading), style), Spacer(1, 8)]


def _alone(words: NoticeWords) -> list[Flowable]:
    styles = _styles(_TYPE)
    story: list[Flowable] = []
    for kind, text in words.blocks():
        story.append(_paragraph(kind, text, styles))
        story.append(Spacer(1, 10 if kind == "title" else 4))
    return story


def _side_by_side(words: NoticeWords, beside: NoticeWords) -> list[Flowable]:
    """The person's language on the left and the source's on the right, row by row, each under its banner."""
    styles = _styles(_SIDE_TYPE)
    banner = _SIDE_TYPE.style("notice-banner", fontName=BOLD)
    gap = 14.0
    column = (BODY_WIDTH - gap) / 2
    rows: list[list[Flowable]] = [
        [
            framed([Paragraph(_text(words.banner), banner)], column, border=1, shade=SHADE, font_size=9),
            framed([Paragraph(_text(beside.banner), banner)], column, border=0.5, font_size=9),
        ]
    ]
    blocks, beside_blocks = words.blocks(), beside.blocks()
    if [k for k, _ in blocks] != [k for k, _ in beside_blocks]:
        raise MemoError("the notice's two languages do not print the same lines side by side")
    for (kind, left), (_same, right) in zip(blocks, beside_blocks, strict=True):
        rows.append([_paragraph(kind, left, styles), _paragraph(kind, right, styles)])
    table = Table(rows, colWidths=[column + gap / 2, column + gap / 2], hAlign="LEFT", repeatRows=1)
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), gap / 2),
                ("LEFTPADDING", (1, 0), (1, -1), gap / 2),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 8),
                ("LINEAFTER", (0, 1), (0, -1), 0.4, colors.Color(0.6, 0.6, 0.6)),
            ],
            _SIDE_TYPE.size,
        )
    )
    return [table]


def _finish(notice: ComposedNotice, stamp: NoticeStamp) -> PageFinish:
    """The stamp band over each page once the page count is known, in the notice's language; the QR code."""
    words, beside = notice.words, notice.beside
    headline = f"{words.band} · {words.case_line}"
    if beside is not None:
        headline += f" · {beside.band}"

    def finish(canvas: Canvas, page: int, pages: int) -> None:
        right = PAGE_WIDTH - MARGIN_X
        with graphics_state(canvas):
            draw_rule(canvas, BAND_RULE, 0.45)
        lines = [
            BandLine(f"{words.code_label}: {stamp.notice_sha256}", drop=12, size=7.2),
            BandLine(
                f"Case {stamp.case_number}, version {stamp.version}; record sha256: {stamp.record_hash}",
                drop=22,
                size=6.2,
                gray=0.3,
            ),
            BandLine(f"Notice text ({stamp.language}) sha256: {stamp.text_sha256}", drop=31, size=6.2),
            BandLine("Safe Communities Desk", drop=40, size=6.2),
        ]
        with graphics_state(canvas):
            draw_band_text(
                canvas,
                rule_y=BAND_RULE,
                headline=visible(headline),
                size=8.5,
                page=page,
                pages=pages,
                lines=lines,
                right=right - QR_SIZE - 10,
                page_words=words.language.line("page", page=str(page), pages=str(pages)),
            )
        if page == 1:
            canvas.beginForm(_QR_FORM)
            draw_qr(canvas, stamp.qr_text(), QR_SIZE)
            canvas.endForm()
        with graphics_state(canvas):
            canvas.translate(right - QR_SIZE, FOOTER_TOP - 12 - QR_SIZE)
            canvas.doForm(_QR_FORM)

    return finish


def render_notice(notice: ComposedNotice, stamp: NoticeStamp) -> bytes:
    """The notice as PDF bytes: the same notice and stamp always give the same bytes.

    Raises:
        MemoError: the case number cannot be stamped, or the stamp's language is not the notice's.
    """
    if not CASE_NUMBER.match(stamp.case_number):
        raise MemoError(f"case number {stamp.case_number!r} cannot be stamped on a notice")
    if stamp.language != notice.language.code:
        raise MemoError(f"the stamp says {stamp.language!r} but the notice is in {notice.language.code!r}")
    register_fonts()
    words, beside = notice.words, notice.beside
    story = _header(words, beside)
    story += _alone(words) if beside is None else _side_by_side(words, beside)
    return build_pdf(
        story,
        body_bottom=BODY_BOTTOM,
        finish=_finish(notice, stamp),
        template="notice",
        title=f"{words.title} — {stamp.case_number}",
        author=AUTHOR,
        subject=stamp.to_text(),
        creator=CREATOR,
        keywords=[stamp.to_text()],
        lang=notice.language.code.replace("_", "-"),
    )


__all__ = [
    "NOTICE_PREFIX",
    "NoticeStamp",
    "notice_hash",
    "notice_text",
    "parse_notice_stamp",
    "read_notice_stamps",
    "render_notice",
]
