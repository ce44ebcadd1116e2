"""The memo's body as reportlab flowables: heading, what to do, the request, the decision, the ordinance quoted,
notes, versions and signatures.

Page 1 carries every response's instruction; each clause is quoted once, in "The ordinance, quoted", and the
responses name the clauses they rest on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from desktop.memo import text as t
from desktop.memo.flowables import TextLines
from desktop.memo.fonts import BOLD, ITALIC, REGULAR, code_point, undrawable
from desktop.memo.page import SUBHEADING
from desktop.memo.stamp import DRAFT_MARK
from desktop.records import STATUS_DECIDED, STATUS_REFERRED, STATUS_RESOLVED, CaseVersion, Override
from desktop.rules import labels
from desktop.rules.pack import Pack

BODY_SIZE = 8.6
SHADE = colors.Color(0.9, 0.9, 0.9)
DARK_SHADE = colors.Color(0.78, 0.78, 0.78)
LINE = colors.Color(0.35, 0.35, 0.35)

_STATUS_WORDS: dict[str, str] = {
    STATUS_DECIDED: "Decided",
    STATUS_REFERRED: "Referred: waiting for counsel or a supervisor",
    STATUS_RESOLVED: "Resolved",
}


def _strings(value: object) -> list[str]:
    """Every string in a JSON-like value (the intake), keys left out."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _style(name: str, **kwargs: Any) -> ParagraphStyle:
    base: dict[str, Any] = {
        "fontName": REGULAR,
        "fontSize": BODY_SIZE,
        "leading": BODY_SIZE * 1.2,
        "bulletFontName": REGULAR,
        "bulletFontSize": BODY_SIZE,
        "alignment": TA_LEFT,
    }
    base.update(kwargs)
    return ParagraphStyle(name, **base)


# A boxed grid whose first row is a shaded header (the documents and versions tables).
_GRID_WITH_HEADER: list[tuple[Any, ...]] = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("BACKGROUND", (0, 0), (-1, 0), SHADE),
    ("BOX", (0, 0), (-1, -1), 0.6, LINE),
    ("INNERGRID", (0, 0), (-1, -1), 0.25, LINE),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
]


def _table_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A table style whose plain-string cells (the empty ones) use the embedded font, never Helvetica."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), ("FONTSIZE", (0, 0), (-1, -1), BODY_SIZE), *commands])


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
    return Styles(
        body=_style("body"),
        small=_style("small", fontSize=8, leading=10.4),
        italic_small=_style("italic_small", fontName=ITALIC, fontSize=8, leading=10.4),
        heading=_style("heading", fontName=BOLD, fontSize=12.5, leading=15.5),
        title=_style("title", fontName=BOLD, fontSize=12.5, leading=15.5, spaceBefore=2, spaceAfter=2),
        case_label=_style("case_label", fontSize=8, leading=10),
        case_number=_style("case_number", fontName=BOLD, fontSize=20, leading=24),
        case_version=_style("case_version", fontName=BOLD, fontSize=10, leading=13),
        section=_style("section", fontName=BOLD, fontSize=11.5, leading=14, spaceBefore=5, spaceAfter=1.5),
        subsection=_style("subsection", fontName=BOLD, fontSize=9.2, leading=12, spaceBefore=4, spaceAfter=1.5),
        response_title=_style("response_title", fontName=BOLD, fontSize=10, leading=13),
        response_code=_style("response_code", fontName=BOLD, fontSize=11, leading=14.5),
        bullet=_style("bullet", leftIndent=14, bulletIndent=3, spaceAfter=0.8),
        clause_title=_style("clause_title", fontName=BOLD, fontSize=8.4, leading=10.8, leftIndent=4, spaceBefore=2),
        quote=_style("quote", fontSize=8.1, leading=9.9, leftIndent=16, spaceAfter=1),
        box_title=_style("box_title", fontName=BOLD, fontSize=10.5, leading=13.5, spaceAfter=3),
        banner=_style("banner", fontName=BOLD, fontSize=13, leading=16),
        notes=_style("notes", fontSize=8.6, leading=11),
        cell=_style("cell", fontSize=8.3, leading=9.9),
        cell_bold=_style("cell_bold", fontName=BOLD, fontSize=8.3, leading=9.9),
    )


@dataclass(frozen=True)
class MemoContent:
    """Everything the body needs, for a recorded version and for a draft alike."""

    intake: Mapping[str, Any]
    decision: Mapping[str, Any]
    pack: Pack
    officer: str | None
    version: CaseVersion | None = None  # None for a draft
    versions: Sequence[CaseVersion] = ()


class Builder:
    """Builds the flowables of one memo; `width` is the width of the text frame."""

    def __init__(self, content: MemoContent, styles: Styles, width: float) -> None:
        self.c = content
        self.s = styles
        self.width = width

    # --- small pieces ----------------------------------------------------------------------

    def p(self, markup: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(markup, style or self.s.body)

    def bullets(self, items: Sequence[str], style: ParagraphStyle | None = None) -> list[Flowable]:
        return [Paragraph(t.markup(item), style or self.s.bullet, bulletText="•") for item in items]

    def section(self, title: str, keep: float = 90) -> list[Flowable]:
        # Keep a heading with what follows it: no heading alone at the foot of a page.
        return [CondPageBreak(keep), self.p(t.markup(title), self.s.section), self._hr(1.1)]

    def _hr(self, thickness: float) -> Flowable:
        rule = Table([[""]], colWidths=[self.width], rowHeights=[thickness + 3])
        rule.setStyle(_table_style([("LINEABOVE", (0, 0), (-1, 0), thickness, LINE)]))
        return rule

    def key_values(self, rows: Sequence[tuple[str, str]], key_width: float = 118, inset: float = 0) -> Table:
        data = [[self.p(t.markup(k), self.s.cell_bold), self.p(v, self.s.cell)] for k, v in rows]
        width = self.width - inset
        table = Table(data, colWidths=[key_width, width - key_width], hAlign="LEFT", splitInRow=1)
        table.setStyle(
            _table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.Color(0.75, 0.75, 0.75)),
                ]
            )
        )
        return table

    def key_pairs(self, rows: Sequence[Sequence[tuple[str, str]]], key_width: float = 118) -> Table:
        """Keys and values two to a row; a row with one pair runs the whole width."""
        value_width = self.width / 2 - key_width
        data: list[list[Any]] = []
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 1.4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.4),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.Color(0.75, 0.75, 0.75)),
        ]
        for index, pairs in enumerate(rows):
            row: list[Any] = []
            for key, value in pairs:
                row += [self.p(t.markup(key), self.s.cell_bold), self.p(value, self.s.cell)]
            if len(pairs) == 1:
                row += ["", ""]
                commands.append(("SPAN", (1, index), (3, index)))
            data.append(row)
        table = Table(data, colWidths=[key_width, value_width, key_width, value_width], hAlign="LEFT", splitInRow=1)
        table.setStyle(_table_style(commands))
        return table

    def box(self, flowables: list[Flowable], *, shade: colors.Color | None = None, border: float = 1.0) -> Table:
        table = Table([[flowables]], colWidths=[self.width], hAlign="LEFT", splitInRow=1)
        commands: list[tuple[Any, ...]] = [
            ("BOX", (0, 0), (-1, -1), border, colors.black),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        ]
        if shade is not None:
            commands.append(("BACKGROUND", (0, 0), (-1, -1), shade))
        table.setStyle(_table_style(commands))
        return table

    # --- the parts of the memo -------------------------------------------------------------

    def heading(self) -> list[Flowable]:
        pack = self.c.pack
        department = pack.department
        left: list[Flowable] = [
            *([self.p(t.markup(department.name), self.s.heading)] if department.name else []),
            *([self.p(t.markup(", ".join(department.address)), self.s.small)] if department.address else []),
            self.p(t.markup(SUBHEADING), self.s.title),
            *([self.p(t.markup(pack.instrument), self.s.small)] if pack.instrument.strip() else []),
            self.p(
                t.markup(f"Policy pack {pack.id} version {pack.version} (sha256 {t.short_hash(pack.sha256)})"),
                self.s.small,
            ),
        ]
        if pack.awaiting_review:
            left.append(
                self.p(
                    f"Policy pack awaiting legal review by {t.markup(department.counsel_title)}", self.s.italic_small
                )
            )
        version = self.c.version
        if version is None:
            right: list[Flowable] = [
                self.p("CASE NUMBER", self.s.case_label),
                self.p("DRAFT", self.s.case_number),
                self.p("not recorded", self.s.case_version),
            ]
        else:
            right = [
                self.p("CASE NUMBER", self.s.case_label),
                self.p(t.markup(version.case_number), self.s.case_number),
                self.p(f"Version {version.version} of {len(self.c.versions)}", self.s.case_version),
            ]
        booking = (self.c.intake.get("subject") or {}).get("booking_number")
        if booking:
            right.append(Spacer(1, 5))
            right.append(self.p(f"Booking no. {t.markup(booking)}", self.s.small))
        box_width = 168.0
        table = Table([[left, right]], colWidths=[self.width - box_width - 10, box_width + 10], hAlign="LEFT")
        table.setStyle(
            _table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (0, 0), 0),
                    ("LEFTPADDING", (1, 0), (1, 0), 10),
                    ("TOPPADDING", (1, 0), (1, 0), 7),
                    ("BOTTOMPADDING", (1, 0), (1, 0), 8),
                    ("BACKGROUND", (1, 0), (1, 0), SHADE),
                    ("BOX", (1, 0), (1, 0), 1.2, colors.black),
                ]
            )
        )
        story: list[Flowable] = [table, Spacer(1, 6)]
        story.append(self.p(self._recorded_line(), self.s.small))
        return story

    def _recorded_line(self) -> str:
        version = self.c.version
        if version is None:
            officer = f" Officer: {t.markup(self.c.officer)}." if self.c.officer else ""
            return f"<b>{DRAFT_MARK}.</b> Case number: not recorded. Record hash: not recorded.{officer}"
        status = _STATUS_WORDS.get(version.status, version.status)
        return (
            f"<b>Recorded</b> {t.markup(t.recorded(version.recorded_at, version.recorded_zone))} "
            f"by {t.markup(version.officer)} at desk {t.markup(version.desk)}. "
            f"<b>Case state:</b> {t.markup(status)}."
        )

    def amended_banner(self) -> list[Flowable]:
        version = self.c.version
        if version is None or len(self.c.versions) < 2:
            return []
        reason = version.amendment_reason or "no reason recorded"
        flowables: list[Flowable] = [
            self.p("AMENDED", self.s.banner),
            self.p(
                f"This memo prints version {version.version} of {len(self.c.versions)}; it replaces the earlier "
                f"versions, which stay in the case log (see Versions). Reason: {t.markup(reason)}",
                self.s.body,
            ),
        ]
        return [Spacer(1, 8), self.box(flowables, shade=DARK_SHADE, border=2)]

    def override_box(self, override: Override | None) -> list[Flowable]:
        if override is None:
            return []
        flowables: list[Flowable] = [
            self.p("Officer disagreed with this decision — supervisor review required", self.s.box_title),
            self.p(f"<b>Officer:</b> {t.markup(override.officer)}"),
            self.p("<b>Reason given:</b>"),
            *self._free_text(override.reason, self.s.body),
            self.p(
                "The decision below is unchanged: it stands until a supervisor has reviewed it.",
                self.s.italic_small,
            ),
        ]
        return [Spacer(1, 8), self.box(flowables, border=2)]

    def at_a_glance(self) -> list[Flowable]:
        """Every response on page 1: what was asked, the response, what to do and the City's answer in words."""
        responses = self._responses()
        rows: list[list[Any]] = [
            [self.p("What was asked", self.s.cell_bold), self.p("The City's response", self.s.cell_bold)]
        ]
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LINEBELOW", (0, 0), (-1, 0), 0.3, LINE),
        ]
        for number, response in enumerate(responses, start=1):
            top = len(rows)
            rows.append(
                [self.p(f"{number}. {self._asked(response)}", self.s.cell_bold), self.p(self._code_words(response))]
            )
            words = [self.p(f"<b>What to do:</b> {t.markup(response.get('instruction', ''))}", self.s.cell)]
            say = str(response["say"]) if "say" in response else self.c.pack.say_for(response)
            if say.strip():
                words.append(self.p(f"<b>What to say:</b> {t.markup(say)}", self.s.cell))
            rows.append([words, ""])
            commands += [
                ("SPAN", (0, top + 1), (1, top + 1)),
                ("LEFTPADDING", (0, top + 1), (0, top + 1), 12),
                ("TOPPADDING", (0, top + 1), (-1, top + 1), 0),
                ("BOTTOMPADDING", (0, top + 1), (-1, top + 1), 4),
            ]
            if number < len(responses):
                commands.append(("LINEBELOW", (0, top + 1), (-1, top + 1), 0.3, LINE))
        table = Table(rows, colWidths=[self.width * 0.52, self.width * 0.48], hAlign="LEFT", repeatRows=1)
        table.setStyle(_table_style(commands))
        return [Spacer(1, 10), self.p("In short: what to do", self.s.subsection), table]

    def request(self) -> list[Flowable]:
        intake = self.c.intake
        requester = t.label(labels.REQUESTER, intake.get("requester"))
        if intake.get("requester_name"):
            requester = f"{requester}: {intake['requester_name']}"
        story: list[Flowable] = [*self.section("The request")]
        story.append(
            self.key_values(
                [
                    ("Received", t.markup(t.received(str(intake.get("received_at", ""))))),
                    ("Channel", t.markup(t.label(labels.CHANNEL, intake.get("channel")))),
                    ("Requester", t.markup(requester)),
                ]
            )
        )
        story += [self.p("Documents received", self.s.subsection), *self._documents()]
        subject = intake.get("subject") or {}
        blockers = [t.label(labels.RELEASE_BLOCKER, b) for b in subject.get("release_blockers") or []]
        story += [
            self.p("The person", self.s.subsection),
            self.key_pairs(
                [
                    [
                        ("Booking number", t.markup(subject.get("booking_number") or "not given")),
                        ("Name", t.markup(subject.get("name") or "not given")),
                    ],
                    [
                        ("Custody", t.markup(t.label(labels.CUSTODY, subject.get("custody")))),
                        ("Minor (under 18)", t.yes_no(subject.get("minor"))),
                    ],
                    [
                        (
                            "Release blockers",
                            t.markup("; ".join(blockers)) if blockers else "none: eligible for release",
                        )
                    ],
                ]
            ),
        ]
        actions = [t.label(labels.ACTION, a) for a in intake.get("actions") or []]
        info = [t.label(labels.INFO, i) for i in intake.get("info") or []]
        # The actions asked are listed on page 1, one response each; here only what page 1 does not say.
        asked: list[list[tuple[str, str]]] = [] if actions else [[("Actions", "none")]]
        if info:
            asked.append([("Information", "<br/>".join(t.markup(i) for i in info))])
        asked += [
            [
                ("Purpose", t.markup(t.label(labels.PURPOSE, intake.get("purpose", "civil_immigration")))),
                ("Benefit", t.markup(t.label(labels.BENEFIT, intake.get("benefit", "none")))),
            ],
            [
                ("Claims mandatory", t.yes_no(intake.get("claims_mandatory"))),
                ("Public-records request", t.yes_no(intake.get("public_records_request"))),
            ],
        ]
        story += [self.p("What was asked", self.s.subsection), self.key_pairs(asked)]
        return story

    def _documents(self) -> list[Flowable]:
        documents = self.c.intake.get("documents") or []
        if not documents:
            return [self.p("None: a verbal or informal request.", self.s.body)]
        header = ["#", "Form", "Signed by", "Edition", "Verified", "Cancels"]
        rows: list[list[Flowable]] = [[self.p(h, self.s.cell_bold) for h in header]]
        for index, doc in enumerate(documents, start=1):
            signer = t.label(labels.SIGNER, doc.get("signer", "unknown"))
            if doc.get("signer_name"):
                signer = f"{signer}: {doc['signer_name']}"
            rows.append(
                [
                    self.p(str(index), self.s.cell),
                    self.p(t.markup(t.label(labels.DOCUMENT_KIND, doc.get("kind"))), self.s.cell),
                    self.p(t.markup(signer), self.s.cell),
                    self.p(t.markup(doc.get("edition") or "–"), self.s.cell),
                    self.p(t.yes_no(doc.get("verified")), self.s.cell),
                    self.p(t.yes_no(doc.get("cancels_prior")), self.s.cell),
                ]
            )
        fixed = [16.0, 0.0, 0.0, 40.0, 46.0, 42.0]
        rest = self.width - sum(fixed)
        widths = [16.0, rest * 0.55, rest * 0.45, 40.0, 46.0, 42.0]
        table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1, splitInRow=1)
        table.setStyle(
            _table_style(
                [
                    *_GRID_WITH_HEADER,
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ]
            )
        )
        return [table]

    def _responses(self) -> list[Mapping[str, Any]]:
        return [r for r in self.c.decision.get("responses") or [] if isinstance(r, Mapping)]

    def _asked(self, response: Mapping[str, Any]) -> str:
        asked = t.label(labels.ACTION, response.get("action"))
        if response.get("info"):
            asked = f"{asked}: {t.label(labels.INFO, response['info'])}"
        return t.markup(asked)

    def _code_words(self, response: Mapping[str, Any]) -> str:
        """The response's short title (the rule's own words for these facts, else its code's) and its code."""
        code = str(response.get("code", ""))
        code_text = self.c.pack.codes.get(code)
        title = response.get("title") or (code_text.title if code_text is not None else t.label(labels.CODE, code))
        return f"<b>{t.markup(title)}</b> [{t.markup(code)}]"

    def decision(self) -> list[Flowable]:
        story: list[Flowable] = [*self.section("The decision", keep=60)]
        responses = self._responses()
        for number, response in enumerate(responses, start=1):
            story += self._response(number, len(responses), response)
        return story

    def _response(self, number: int, count: int, response: Mapping[str, Any]) -> list[Flowable]:
        head = Table(
            [
                [
                    [
                        self.p(f"{number} of {count}. Asked: {self._asked(response)}", self.s.response_title),
                        self.p(f"Response: {self._code_words(response)}", self.s.response_code),
                    ]
                ]
            ],
            colWidths=[self.width],
            hAlign="LEFT",
        )
        head.setStyle(
            _table_style(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                    ("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.black),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, 0), 2.5),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), 3),
                ]
            )
        )
        because = [str(line) for line in response.get("because") or []]
        story: list[Flowable] = [
            Spacer(1, 6 if number > 1 else 2),
            KeepTogether([head, Spacer(1, 2), *self.bullets(because[:1])]),
            *self.bullets(because[1:]),
        ]
        pack = self.c.pack
        clause_ids = [str(c) for c in response.get("clauses") or []]
        basis = (
            f"<b>Rule</b> {t.markup(response.get('rule', ''))} of policy pack {t.markup(pack.id)} "
            f"version {t.markup(pack.version)}."
        )
        if clause_ids:
            basis += f" <b>Clauses</b> {', '.join(t.markup(c) for c in clause_ids)} (quoted below)."
        authorities = [str(a) for a in response.get("authorities") or []]
        if authorities:
            basis += f" <b>Authorities:</b> {'; '.join(t.markup(a) for a in authorities)}."
        story.append(self.p(basis))
        return story

    def ordinance(self) -> list[Flowable]:
        """Every clause the responses cite, quoted word for word once, in the order first cited."""
        cited: list[str] = []
        for response in self._responses():
            for clause_id in response.get("clauses") or []:
                if str(clause_id) not in cited:
                    cited.append(str(clause_id))
        if not cited:
            return []
        story: list[Flowable] = [*self.section("The ordinance, quoted")]
        for clause_id in cited:
            story.append(KeepTogether(self._clause(clause_id)))
        return story

    def _clause(self, clause_id: str) -> list[Flowable]:
        clause = self.c.pack.clauses.get(clause_id)
        if clause is None:
            return [
                self.p(f"{t.markup(clause_id)}: not in this policy pack", self.s.clause_title),
            ]
        quoted = f"{clause.lead} {clause.text}" if clause.lead else clause.text
        return [
            self.p(f"{t.markup(clause.id)} — {t.markup(clause.title)}", self.s.clause_title),
            self.p(f"“{t.markup(quoted)}”", self.s.quote),
        ]

    def referral(self) -> list[Flowable]:
        if not self.c.decision.get("refer_to_counsel"):
            return []
        version = self.c.version
        if version is not None and version.status == STATUS_RESOLVED:
            return self.resolution(version)
        refers: list[str] = []
        for response in self._responses():
            refer = response.get("refer")
            if refer and str(refer) not in refers:
                refers.append(str(refer))
        department = self.c.pack.department
        flowables: list[Flowable] = [self.p(f"Referred to {t.markup(department.counsel_title)}", self.s.box_title)]
        for refer in refers:
            ambiguity = self.c.pack.ambiguities.get(refer)
            issue = ambiguity.issue if ambiguity is not None else "not described in this policy pack"
            flowables.append(self.p(f"<b>{t.markup(refer)}:</b> {t.markup(issue)}"))
            if ambiguity is not None:
                flowables.append(self.p(f"<b>Meanwhile:</b> {t.markup(ambiguity.meanwhile)}"))
            flowables.append(Spacer(1, 4))
        flowables.append(
            self.p(
                f"Refer to {t.markup(department.counsel_title)}: send this memo and the papers received. "
                f"Do not act on the referred request until {t.markup(department.counsel)} answers.",
                self.s.body,
            )
        )
        if department.referral_contact:
            flowables.append(self.p(f"<b>Contact:</b> {t.markup(department.referral_contact)}", self.s.body))
        return [Spacer(1, 8), self.box(flowables, shade=SHADE, border=1.5)]

    def _first_recorder(self) -> str:
        return self.c.versions[0].officer if self.c.versions else (self.c.officer or "")

    def resolution(self, version: CaseVersion) -> list[Flowable]:
        """The outcome of a resolved referral: who decided, when, and what, in place of "do not act"."""
        department = self.c.pack.department
        reason = version.amendment_reason or ""
        outcome = reason[len("Resolved:") :].strip() if reason.startswith("Resolved:") else reason
        referred = next((v for v in self.c.versions if v.status == STATUS_REFERRED), None)
        rows = [
            ("Outcome", t.markup(outcome or "not recorded")),
            ("Resolved by", t.markup(version.officer)),
            ("When", t.markup(t.recorded(version.recorded_at, version.recorded_zone))),
        ]
        if referred is not None:
            rows.append(
                (
                    "Referred by",
                    f"{t.markup(referred.officer)}, version {referred.version}, "
                    f"{t.markup(t.recorded(referred.recorded_at, referred.recorded_zone))}",
                )
            )
        flowables: list[Flowable] = [
            self.p(f"Referral to {t.markup(department.counsel_title)} resolved", self.s.box_title),
            self.key_values(rows, key_width=80, inset=16),  # inside the box's padding
        ]
        if referred is not None and referred.officer != version.officer:
            flowables.append(
                self.p(
                    f"Two people: recorded by {t.markup(referred.officer)}, resolved by {t.markup(version.officer)}.",
                    self.s.small,
                )
            )
        flowables.append(
            self.p("Act on the outcome above; the responses below are the rules' decision on the same facts.")
        )
        return [Spacer(1, 8), self.box(flowables, shade=SHADE, border=1.5)]

    def _undrawable(self) -> list[str]:
        """Characters of the entered text that the memo's fonts cannot draw (printed as code points)."""
        parts = [text[: t.NOTES_LIMIT] for text in _strings(self.c.intake)]
        parts += [v.officer for v in self.c.versions] + [v.amendment_reason or "" for v in self.c.versions]
        if self.c.officer:
            parts.append(self.c.officer)
        if self.c.version is not None and self.c.version.override is not None:
            parts += [self.c.version.override.reason, self.c.version.override.officer]
        return undrawable("".join(parts))

    def warnings(self) -> list[Flowable]:
        warnings = [t.markup(w) for w in self.c.decision.get("warnings") or []]
        missing = self._undrawable()
        if missing:
            shown = ", ".join(code_point(c) for c in missing[:8]) + (", …" if len(missing) > 8 else "")
            warnings.append(
                t.markup(
                    f"{len(missing)} character(s) entered cannot be drawn by the memo's font and print as their "
                    f"Unicode code points ({shown}). Check names against the papers; the case log keeps the "
                    "text as entered."
                )
            )
        if not warnings:
            return []
        items: list[Flowable] = [Paragraph(w, self.s.bullet, bulletText="•") for w in warnings]
        return [*self.section("Warnings"), self.box(items, border=1.0)]

    def notes(self) -> list[Flowable]:
        notes = self.c.intake.get("notes")
        story: list[Flowable] = [*self.section("Officer's notes")]
        if not notes or not str(notes).strip():
            story.append(self.p("No notes.", self.s.italic_small))
            return story
        story += self._free_text(str(notes), self.s.notes)
        return story

    def _free_text(self, text: str, style: ParagraphStyle) -> list[Flowable]:
        """Free text of any length with its line breaks kept, flowing over as many pages as it needs."""
        return [TextLines(t.clean(text).strip("\n"), style.fontName, style.fontSize, style.leading)]

    def versions(self) -> list[Flowable]:
        if len(self.c.versions) < 2:
            return []
        header = ["Version", "Recorded", "Officer", "Record sha256", "Reason for the amendment"]
        rows: list[list[Flowable]] = [[self.p(h, self.s.cell_bold) for h in header]]
        current = self.c.version.version if self.c.version is not None else -1
        for version in self.c.versions:
            number = f"{version.version}{' (this memo)' if version.version == current else ''}"
            reason = version.amendment_reason or ("original record" if version.version == 1 else "not given")
            rows.append(
                [
                    self.p(number, self.s.cell_bold if version.version == current else self.s.cell),
                    self.p(t.markup(t.recorded(version.recorded_at, version.recorded_zone)), self.s.cell),
                    self.p(t.markup(version.officer), self.s.cell),
                    self.p(t.markup(t.short_hash(version.record_hash)), self.s.cell),
                    self.p(t.markup(reason), self.s.cell),
                ]
            )
        widths = [50.0, 118.0, 96.0, 88.0]
        widths.append(self.width - sum(widths))
        table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1, splitInRow=1)
        table.setStyle(
            _table_style(
                [
                    *_GRID_WITH_HEADER,
                ]
            )
        )
        return [*self.section("Versions"), table]

    def signatures(self) -> list[Flowable]:
        version = self.c.version
        officer = self.c.officer or (version.officer if version is not None else "")
        reviewer = ""
        if version is not None and version.status == STATUS_RESOLVED and self._first_recorder() != version.officer:
            # Two people: the officer who recorded the referral, and the one who resolved it.
            officer, reviewer = self._first_recorder(), version.officer
        printed = f"printed: {t.markup(officer)}" if officer else "printed:"
        reviewed = f"printed: {t.markup(reviewer)}" if reviewer else "printed:"
        rows = [
            [self.p("Officer:", self.s.cell_bold), "", self.p("Date/time:", self.s.cell_bold), ""],
            ["", self.p(printed, self.s.small), "", ""],
            [self.p("Reviewing supervisor:", self.s.cell_bold), "", self.p("Date/time:", self.s.cell_bold), ""],
            ["", self.p(reviewed, self.s.small), "", ""],
        ]
        widths = [120.0, 0.0, 72.0, 112.0]
        widths[1] = self.width - sum(widths)
        table = Table(rows, colWidths=widths, rowHeights=[17, 9, 17, 9], hAlign="LEFT")
        table.setStyle(
            _table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("VALIGN", (0, 1), (-1, 1), "TOP"),
                    ("VALIGN", (0, 3), (-1, 3), "TOP"),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ("LINEBELOW", (1, 0), (1, 0), 0.8, colors.black),
                    ("LINEBELOW", (3, 0), (3, 0), 0.8, colors.black),
                    ("LINEBELOW", (1, 2), (1, 2), 0.8, colors.black),
                    ("LINEBELOW", (3, 2), (3, 2), 0.8, colors.black),
                    ("RIGHTPADDING", (1, 0), (1, -1), 14),
                ]
            )
        )
        return [KeepTogether([Spacer(1, 2), self.p("Signatures", self.s.subsection), table])]

    def story(self) -> list[Flowable]:
        override = self.c.version.override if self.c.version is not None else None
        return [
            *self.heading(),
            *self.amended_banner(),
            *self.override_box(override),
            *self.at_a_glance(),
            *self.referral(),
            *self.request(),
            *self.decision(),
            *self.warnings(),
            *self.ordinance(),
            *self.notes(),
            *self.versions(),
            *self.signatures(),
        ]
