"""Page 1 of the memo: the heading, the banners (amended, officer disagreed), every response in short, and the
referral or its resolution.

An officer reads page 1 standing at the counter: it says what was asked, what to do and what to say for every
response, and, when the case was referred, who to call and that nothing is done meanwhile.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, Spacer, Table

from desktop import present
from desktop.memo import text as t
from desktop.memo.body.content import STATUS_WORDS, MemoContent
from desktop.memo.body.sheet import BODY_SIZE, Sheet
from desktop.memo.kit import DARK_SHADE, INK, LINE, SHADE, table_style
from desktop.memo.page import SUBHEADING
from desktop.memo.stamp import DRAFT_MARK
from desktop.records import STATUS_RESOLVED, CaseVersion, Override


def heading(sheet: Sheet, memo: MemoContent) -> list[Flowable]:
    """The department and the pack at left, the case number boxed at right (DRAFT on a draft), then who recorded it."""
    pack = memo.pack
    department = pack.department
    left: list[Flowable] = [
        *([sheet.p(t.markup(department.name), sheet.s.heading)] if department.name else []),
        *([sheet.p(t.markup(", ".join(department.address)), sheet.s.small)] if department.address else []),
        sheet.p(t.markup(SUBHEADING), sheet.s.title),
        *([sheet.p(t.markup(pack.instrument), sheet.s.small)] if pack.instrument.strip() else []),
        sheet.p(
            t.markup(f"Policy pack {pack.id} version {pack.version} (sha256 {t.short_hash(pack.sha256)})"),
            sheet.s.small,
        ),
    ]
    if pack.awaiting_review:
        left.append(
            sheet.p(f"Policy pack awaiting legal review by {t.markup(department.counsel_title)}", sheet.s.italic_small)
        )
    version = memo.version
    if version is None:
        right: list[Flowable] = [
            sheet.p("CASE NUMBER", sheet.s.case_label),
            sheet.p("DRAFT", sheet.s.case_number),
            sheet.p("not recorded", sheet.s.case_version),
        ]
    else:
        right = [
            sheet.p("CASE NUMBER", sheet.s.case_label),
            sheet.p(t.markup(version.case_number), sheet.s.case_number),
            sheet.p(f"Version {version.version} of {len(memo.versions)}", sheet.s.case_version),
        ]
    booking = memo.intake.subject.booking_number
    if booking:
        right.append(Spacer(1, 5))
        right.append(sheet.p(f"Booking no. {t.markup(booking)}", sheet.s.small))
    box_width = 168.0
    table = Table([[left, right]], colWidths=[sheet.width - box_width - 10, box_width + 10], hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("LEFTPADDING", (1, 0), (1, 0), 10),
                ("TOPPADDING", (1, 0), (1, 0), 7),
                ("BOTTOMPADDING", (1, 0), (1, 0), 8),
                ("BACKGROUND", (1, 0), (1, 0), SHADE),
                ("BOX", (1, 0), (1, 0), 1.2, INK),
            ],
            BODY_SIZE,
        )
    )
    story: list[Flowable] = [table, Spacer(1, 6)]
    story.append(sheet.p(_recorded_line(memo), sheet.s.small))
    return story


def _recorded_line(memo: MemoContent) -> str:
    version = memo.version
    if version is None:
        officer = f" Officer: {t.markup(memo.officer)}." if memo.officer else ""
        return f"<b>{DRAFT_MARK}.</b> Case number: not recorded. Record hash: not recorded.{officer}"
    status = STATUS_WORDS.get(version.status, version.status)
    return (
        f"<b>Recorded</b> {t.markup(t.recorded(version.recorded_at, version.recorded_zone))} "
        f"by {t.markup(version.officer)} at desk {t.markup(version.desk)}. "
        f"<b>Case state:</b> {t.markup(status)}."
    )


def amended_banner(sheet: Sheet, memo: MemoContent) -> list[Flowable]:
    """AMENDED, dark, at the top of a case with more than one version, so no one acts on an earlier paper."""
    version = memo.version
    if version is None or len(memo.versions) < 2:
        return []
    reason = version.amendment_reason or "no reason recorded"
    flowables: list[Flowable] = [
        sheet.p("AMENDED", sheet.s.banner),
        sheet.p(
            f"This memo prints version {version.version} of {len(memo.versions)}; it replaces the earlier "
            f"versions, which stay in the case log (see Versions). Reason: {t.markup(reason)}",
            sheet.s.body,
        ),
    ]
    return [Spacer(1, 8), sheet.box(flowables, shade=DARK_SHADE, border=2)]


def override_box(sheet: Sheet, memo: MemoContent, override: Override | None) -> list[Flowable]:
    """The officer's disagreement, in their words, above the decision it does not change."""
    if override is None:
        return []
    flowables: list[Flowable] = [
        sheet.p("Officer disagreed with this decision — supervisor review required", sheet.s.box_title),
        sheet.p(f"<b>Officer:</b> {t.markup(override.officer)}"),
        sheet.p("<b>Reason given:</b>"),
        *sheet.free_text(override.reason, sheet.s.body),
        sheet.p(
            "The decision below is unchanged: it stands until a supervisor has reviewed it.",
            sheet.s.italic_small,
        ),
    ]
    return [Spacer(1, 8), sheet.box(flowables, border=2)]


def at_a_glance(sheet: Sheet, memo: MemoContent) -> list[Flowable]:
    """Every response on page 1: what was asked, the response, what to do and the City's answer in words."""
    responses = memo.responses()
    rows: list[list[Any]] = [
        [sheet.p("What was asked", sheet.s.cell_bold), sheet.p("The City's response", sheet.s.cell_bold)]
    ]
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("BOX", (0, 0), (-1, -1), 0.8, INK),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, 0), 0.3, LINE),
    ]
    for number, response in enumerate(responses, start=1):
        top = len(rows)
        rows.append(
            [sheet.p(f"{number}. {memo.asked(response)}", sheet.s.cell_bold), sheet.p(memo.code_words(response))]
        )
        words = [sheet.p(f"<b>What to do:</b> {t.markup(response.instruction)}", sheet.s.cell)]
        say = present.say(response, memo.pack)
        if say.strip():
            words.append(sheet.p(f"<b>What to say:</b> {t.markup(say)}", sheet.s.cell))
        rows.append([words, ""])
        commands += [
            ("SPAN", (0, top + 1), (1, top + 1)),
            ("LEFTPADDING", (0, top + 1), (0, top + 1), 12),
            ("TOPPADDING", (0, top + 1), (-1, top + 1), 0),
            ("BOTTOMPADDING", (0, top + 1), (-1, top + 1), 4),
        ]
        if number < len(responses):
            commands.append(("LINEBELOW", (0, top + 1), (-1, top + 1), 0.3, LINE))
    table = Table(rows, colWidths=[sheet.width * 0.52, sheet.width * 0.48], hAlign="LEFT", repeatRows=1)
    table.setStyle(table_style(commands, BODY_SIZE))
    return [Spacer(1, 10), sheet.p("In short: what to do", sheet.s.subsection), table]


def referral(sheet: Sheet, memo: MemoContent) -> list[Flowable]:
    """A referred case: the open questions, what to do meanwhile and who to call; once resolved, the outcome."""
    if not memo.decision.refer_to_counsel:
        return []
    version = memo.version
    if version is not None and version.status == STATUS_RESOLVED:
        return resolution(sheet, memo, version)
    found = present.referral(memo.decision, memo.pack)
    department = memo.pack.department
    flowables: list[Flowable] = [sheet.p(f"Referred to {t.markup(department.counsel_title)}", sheet.s.box_title)]
    for question in found.questions if found is not None else ():
        issue = question.issue or "not described in this policy pack"
        flowables.append(sheet.p(f"<b>{t.markup(question.id)}:</b> {t.markup(issue)}"))
        if question.issue:
            flowables.append(sheet.p(f"<b>Meanwhile:</b> {t.markup(question.meanwhile)}"))
        flowables.append(Spacer(1, 4))
    flowables.append(
        sheet.p(
            f"Refer to {t.markup(department.counsel_title)}: send this memo and the papers received. "
            f"Do not act on the referred request until {t.markup(department.counsel)} answers.",
            sheet.s.body,
        )
    )
    if department.referral_contact:
        flowables.append(sheet.p(f"<b>Contact:</b> {t.markup(department.referral_contact)}", sheet.s.body))
    for row in found.calls() if found is not None else ():  # a pack without them prints neither line
        flowables.append(sheet.p(f"<b>{row.label}:</b> {t.markup(row.value)}", sheet.s.body))
    return [Spacer(1, 8), sheet.box(flowables, shade=SHADE, border=1.5)]


def resolution(sheet: Sheet, memo: MemoContent, version: CaseVersion) -> list[Flowable]:
    """The outcome of a resolved referral: who decided, when, and what, in place of "do not act"."""
    department = memo.pack.department
    resolved = present.resolution(memo.versions, version)
    outcome = resolved.outcome if resolved is not None else ""
    referred = resolved.referred if resolved is not None else None
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
        sheet.p(f"Referral to {t.markup(department.counsel_title)} resolved", sheet.s.box_title),
        sheet.key_values(rows, key_width=80, inset=16),  # inside the box's padding
    ]
    if resolved is not None and referred is not None and resolved.two_people:
        flowables.append(
            sheet.p(
                f"Two people: recorded by {t.markup(referred.officer)}, resolved by {t.markup(version.officer)}.",
                sheet.s.small,
            )
        )
    flowables.append(sheet.p(present.ACT_ON_OUTCOME))
    return [Spacer(1, 8), sheet.box(flowables, shade=SHADE, border=1.5)]
