"""The decision, response by response, and the ordinance it rests on, quoted.

Each response names its rule and the clauses it rests on; each clause is quoted word for word once, in
"The ordinance, quoted", in the order first cited.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from desktop.memo import text as t
from desktop.memo.body.content import MemoContent
from desktop.memo.body.sheet import BODY_SIZE, Sheet
from desktop.memo.kit import INK, SHADE, table_style
from desktop.rules.engine import Response


def the_decision(sheet: Sheet, memo: MemoContent) -> list[Flowable]:
    """Each response in full: what was asked, the response, the reasons, and the rule and clauses it rests on."""
    story: list[Flowable] = [*sheet.section("The decision", keep=60)]
    responses = memo.responses()
    for number, response in enumerate(responses, start=1):
        story += _response(sheet, memo, number, len(responses), response)
    return story


def _response(sheet: Sheet, memo: MemoContent, number: int, count: int, response: Response) -> list[Flowable]:
    head = Table(
        [
            [
                [
                    sheet.p(f"{number} of {count}. Asked: {memo.asked(response)}", sheet.s.response_title),
                    sheet.p(f"Response: {memo.code_words(response)}", sheet.s.response_code),
                ]
            ]
        ],
        colWidths=[sheet.width],
        hAlign="LEFT",
    )
    head.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, 0), 2.5),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 3),
            ],
            BODY_SIZE,
        )
    )
    because = list(response.because)
    story: list[Flowable] = [
        Spacer(1, 6 if number > 1 else 2),
        KeepTogether([head, Spacer(1, 2), *sheet.bullets(because[:1])]),
        *sheet.bullets(because[1:]),
    ]
    pack = memo.pack
    clause_ids = list(response.clauses)
    basis = (
        f"<b>Rule</b> {t.markup(response.rule)} of policy pack {t.markup(pack.id)} version {t.markup(pack.version)}."
    )
    if clause_ids:
        basis += f" <b>Clauses</b> {', '.join(t.markup(c) for c in clause_ids)} (quoted below)."
    authorities = list(response.authorities)
    if authorities:
        basis += f" <b>Authorities:</b> {'; '.join(t.markup(a) for a in authorities)}."
    story.append(sheet.p(basis))
    return story


def the_ordinance(sheet: Sheet, memo: MemoContent) -> list[Flowable]:
    """Every clause the responses cite, quoted word for word once, in the order first cited."""
    cited: list[str] = []
    for response in memo.responses():
        for clause_id in response.clauses:
            if clause_id not in cited:
                cited.append(clause_id)
    if not cited:
        return []
    story: list[Flowable] = [*sheet.section("The ordinance, quoted")]
    for clause_id in cited:
        story.append(KeepTogether(_clause(sheet, memo, clause_id)))
    return story


def _clause(sheet: Sheet, memo: MemoContent, clause_id: str) -> list[Flowable]:
    """A clause's title and its words in quotation marks (a clause the pack lacks is named as missing)."""
    clause = memo.pack.clauses.get(clause_id)
    if clause is None:
        return [
            sheet.p(f"{t.markup(clause_id)}: not in this policy pack", sheet.s.clause_title),
        ]
    quoted = f"{clause.lead} {clause.text}" if clause.lead else clause.text
    return [
        sheet.p(f"{t.markup(clause.id)} — {t.markup(clause.title)}", sheet.s.clause_title),
        sheet.p(f"“{t.markup(quoted)}”", sheet.s.quote),
    ]
