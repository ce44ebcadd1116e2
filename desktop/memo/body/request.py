"""The request as entered: when and how it came, who sent it, the documents received, the person, and what
was asked beyond the actions page 1 answers."""

from __future__ import annotations

from reportlab.platypus import Flowable, Table

from desktop.memo import text as t
from desktop.memo.body.content import MemoContent
from desktop.memo.body.sheet import BODY_SIZE, GRID_WITH_HEADER, Sheet
from desktop.memo.kit import table_style
from desktop.rules import labels


def the_request(sheet: Sheet, memo: MemoContent) -> list[Flowable]:
    """The request as entered: received, channel and requester, the documents, the person, and what was asked."""
    intake = memo.intake
    requester = t.label(labels.REQUESTER, intake.get("requester"))
    if intake.get("requester_name"):
        requester = f"{requester}: {intake['requester_name']}"
    story: list[Flowable] = [*sheet.section("The request")]
    story.append(
        sheet.key_values(
            [
                ("Received", t.markup(t.received(str(intake.get("received_at", ""))))),
                ("Channel", t.markup(t.label(labels.CHANNEL, intake.get("channel")))),
                ("Requester", t.markup(requester)),
            ]
        )
    )
    story += [sheet.p("Documents received", sheet.s.subsection), *_documents(sheet, memo)]
    subject = intake.get("subject") or {}
    blockers = [t.label(labels.RELEASE_BLOCKER, b) for b in subject.get("release_blockers") or []]
    story += [
        sheet.p("The person", sheet.s.subsection),
        sheet.key_pairs(
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
    story += [sheet.p("What was asked", sheet.s.subsection), sheet.key_pairs(asked)]
    return story


def _documents(sheet: Sheet, memo: MemoContent) -> list[Flowable]:
    """The documents received, a row each (a verbal or informal request has none)."""
    documents = memo.intake.get("documents") or []
    if not documents:
        return [sheet.p("None: a verbal or informal request.", sheet.s.body)]
    header = ["#", "Form", "Signed by", "Edition", "Verified", "Cancels"]
    rows: list[list[Flowable]] = [[sheet.p(h, sheet.s.cell_bold) for h in header]]
    for index, doc in enumerate(documents, start=1):
        signer = t.label(labels.SIGNER, doc.get("signer", "unknown"))
        if doc.get("signer_name"):
            signer = f"{signer}: {doc['signer_name']}"
        rows.append(
            [
                sheet.p(str(index), sheet.s.cell),
                sheet.p(t.markup(t.label(labels.DOCUMENT_KIND, doc.get("kind"))), sheet.s.cell),
                sheet.p(t.markup(signer), sheet.s.cell),
                sheet.p(t.markup(doc.get("edition") or "–"), sheet.s.cell),
                sheet.p(t.yes_no(doc.get("verified")), sheet.s.cell),
                sheet.p(t.yes_no(doc.get("cancels_prior")), sheet.s.cell),
            ]
        )
    fixed = [16.0, 0.0, 0.0, 40.0, 46.0, 42.0]
    rest = sheet.width - sum(fixed)
    widths = [16.0, rest * 0.55, rest * 0.45, 40.0, 46.0, 42.0]
    table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1, splitInRow=1)
    table.setStyle(
        table_style(
            [
                *GRID_WITH_HEADER,
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ],
            BODY_SIZE,
        )
    )
    return [table]
