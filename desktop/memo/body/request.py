"""The request as entered: when and how it came, who sent it, the documents received, the person, and what
was asked beyond the actions page 1 answers."""

from __future__ import annotations

from reportlab.platypus import Flowable, Table

from desktop import present
from desktop.memo import text as t
from desktop.memo.body.content import MemoContent
from desktop.memo.body.sheet import BODY_SIZE, GRID_WITH_HEADER, Sheet
from desktop.memo.kit import table_style
from desktop.rules import labels


def the_request(sheet: Sheet, memo: MemoContent) -> list[Flowable]:
    """The request as entered: received, channel and requester, the documents, the person, and what was asked.

    The words are desktop/present.py's, the same the window and `show` print; the memo lays them out in
    pairs, the papers as a table, and leaves out the actions page 1 lists one response each.
    """
    sections = {section.title: {row.label: row.value for row in section.rows} for section in request_sections(memo)}
    asked_rows = sections["What was asked"]

    def cell(section: str, label: str) -> tuple[str, str]:
        return label, t.markup(sections[section][label])

    story: list[Flowable] = [*sheet.section("The request")]
    story.append(
        sheet.key_values(
            [cell("The request", "Received"), cell("The request", "Channel"), cell("The request", "Requester")]
        )
    )
    story += [sheet.p("Documents received", sheet.s.subsection), *_documents(sheet, memo)]
    story += [
        sheet.p("The person", sheet.s.subsection),
        sheet.key_pairs(
            [
                [cell("The person", "Booking number"), cell("The person", "Name")],
                [cell("The person", "Custody"), cell("The person", "Minor (under 18)")],
                [cell("The person", "Release blockers")],
            ]
        ),
    ]
    # The actions asked are listed on page 1, one response each; here only what page 1 does not say.
    asked: list[list[tuple[str, str]]] = [] if memo.intake.actions else [[("Actions", "none")]]
    if "Information" in asked_rows:
        info = [present.label_of(labels.INFO, i) for i in memo.intake.info]
        asked.append([("Information", "<br/>".join(t.markup(i) for i in info))])
    asked += [
        [cell("What was asked", "Purpose"), cell("What was asked", "Benefit")],
        [cell("What was asked", "Claims mandatory"), cell("What was asked", "Public-records request")],
    ]
    story += [sheet.p("What was asked", sheet.s.subsection), sheet.key_pairs(asked)]
    return story


def request_sections(memo: MemoContent) -> tuple[present.Section, ...]:
    return present.request_sections(memo.intake)


def _documents(sheet: Sheet, memo: MemoContent) -> list[Flowable]:
    """The documents received, a row each (a verbal or informal request has none)."""
    documents = memo.intake.documents
    if not documents:
        return [sheet.p("None: a verbal or informal request.", sheet.s.body)]
    header = ["#", "Form", "Signed by", "Edition", "Verified", "Cancels"]
    rows: list[list[Flowable]] = [[sheet.p(h, sheet.s.cell_bold) for h in header]]
    for index, doc in enumerate(documents, start=1):
        signer = present.label_of(labels.SIGNER, doc.signer or "unknown")
        if doc.signer_name:
            signer = f"{signer}: {doc.signer_name}"
        rows.append(
            [
                sheet.p(str(index), sheet.s.cell),
                sheet.p(t.markup(present.label_of(labels.DOCUMENT_KIND, doc.kind)), sheet.s.cell),
                sheet.p(t.markup(signer), sheet.s.cell),
                sheet.p(t.markup(doc.edition or "–"), sheet.s.cell),
                sheet.p(present.yes_no(doc.verified), sheet.s.cell),
                sheet.p(present.yes_no(doc.cancels_prior), sheet.s.cell),
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
