"""The memo's body as reportlab flowables: heading, what to do, the request, the decision, the ordinance quoted,
notes, versions and signatures.

Page 1 (front.py) carries every response's instruction; each clause is quoted once, in "The ordinance,
quoted" (decision.py), and the responses name the clauses they rest on. The parts write with one `Sheet`
(sheet.py) and read the case through `MemoContent` (content.py).
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from desktop.memo.body import closing, decision, front, request
from desktop.memo.body.content import MemoContent
from desktop.memo.body.sheet import Sheet, make_styles

__all__ = ["MemoContent", "memo_story"]


def memo_story(memo: MemoContent, width: float) -> list[Flowable]:
    """The memo's body, in the order it prints, for a text frame `width` points wide."""
    sheet = Sheet(make_styles(), width)
    override = memo.version.override if memo.version is not None else None
    return [
        *front.heading(sheet, memo),
        *front.amended_banner(sheet, memo),
        *front.override_box(sheet, memo, override),
        *front.at_a_glance(sheet, memo),
        *front.referral(sheet, memo),
        *request.the_request(sheet, memo),
        *decision.the_decision(sheet, memo),
        *closing.warnings(sheet, memo),
        *decision.the_ordinance(sheet, memo),
        *closing.notes(sheet, memo),
        *closing.versions(sheet, memo),
        *closing.signatures(sheet, memo),
    ]
