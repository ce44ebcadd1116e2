"""The end of the memo: warnings, the officer's notes, the versions of the case and the signature lines."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from desktop.memo import text as t
from desktop.memo.body.content import MemoContent
from desktop.memo.body.sheet import BODY_SIZE, GRID_WITH_HEADER, Sheet
from desktop.memo.fonts import code_point
from desktop.memo.kit import INK, table_style
from desktop.records import STATUS_RESOLVED


def warnings(sheet: Sheet, memo: MemoContent) -> list[Flowable]:
    """The decision's warnings, and a warning of its own when entered characters print as code points."""
    warnings = [t.markup(w) for w in memo.decision.warnings]
    missing = memo.undrawable()
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
    items: list[Flowable] = [Paragraph(w, sheet.s.bullet, bulletText="•") for w in warnings]
    return [*sheet.section("Warnings"), sheet.box(items, border=1.0)]


def notes(sheet: Sheet, memo: MemoContent) -> list[Flowable]:
    """The officer's notes as typed, line breaks kept, however long ("No notes." when there are none)."""
    notes = memo.intake.notes
    story: list[Flowable] = [*sheet.section("Officer's notes")]
    if not notes or not str(notes).strip():
        story.append(sheet.p("No notes.", sheet.s.italic_small))
        return story
    story += sheet.free_text(str(notes), sheet.s.notes)
    return story


def versions(sheet: Sheet, memo: MemoContent) -> list[Flowable]:
    """Every version of a case that has more than one: when, by whom, its hash and the reason given."""
    if len(memo.versions) < 2:
        return []
    header = ["Version", "Recorded", "Officer", "Record sha256", "Reason for the amendment"]
    rows: list[list[Flowable]] = [[sheet.p(h, sheet.s.cell_bold) for h in header]]
    current = memo.version.version if memo.version is not None else -1
    for version in memo.versions:
        number = f"{version.version}{' (this memo)' if version.version == current else ''}"
        reason = version.amendment_reason or ("original record" if version.version == 1 else "not given")
        rows.append(
            [
                sheet.p(number, sheet.s.cell_bold if version.version == current else sheet.s.cell),
                sheet.p(t.markup(t.recorded(version.recorded_at, version.recorded_zone)), sheet.s.cell),
                sheet.p(t.markup(version.officer), sheet.s.cell),
                sheet.p(t.markup(t.short_hash(version.record_hash)), sheet.s.cell),
                sheet.p(t.markup(reason), sheet.s.cell),
            ]
        )
    widths = [50.0, 118.0, 96.0, 88.0]
    widths.append(sheet.width - sum(widths))
    table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1, splitInRow=1)
    table.setStyle(table_style(GRID_WITH_HEADER, BODY_SIZE))
    return [*sheet.section("Versions"), table]


def signatures(sheet: Sheet, memo: MemoContent) -> list[Flowable]:
    """Lines to sign for the officer and the reviewing supervisor; on a resolved referral, the two people who acted."""
    version = memo.version
    officer = memo.officer or (version.officer if version is not None else "")
    reviewer = ""
    if version is not None and version.status == STATUS_RESOLVED and memo.first_recorder() != version.officer:
        # Two people: the officer who recorded the referral, and the one who resolved it.
        officer, reviewer = memo.first_recorder(), version.officer
    printed = f"printed: {t.markup(officer)}" if officer else "printed:"
    reviewed = f"printed: {t.markup(reviewer)}" if reviewer else "printed:"
    rows = [
        [sheet.p("Officer:", sheet.s.cell_bold), "", sheet.p("Date/time:", sheet.s.cell_bold), ""],
        ["", sheet.p(printed, sheet.s.small), "", ""],
        [sheet.p("Reviewing supervisor:", sheet.s.cell_bold), "", sheet.p("Date/time:", sheet.s.cell_bold), ""],
        ["", sheet.p(reviewed, sheet.s.small), "", ""],
    ]
    widths = [120.0, 0.0, 72.0, 112.0]
    widths[1] = sheet.width - sum(widths)
    table = Table(rows, colWidths=widths, rowHeights=[17, 9, 17, 9], hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("VALIGN", (0, 1), (-1, 1), "TOP"),
                ("VALIGN", (0, 3), (-1, 3), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LINEBELOW", (1, 0), (1, 0), 0.8, INK),
                ("LINEBELOW", (3, 0), (3, 0), 0.8, INK),
                ("LINEBELOW", (1, 2), (1, 2), 0.8, INK),
                ("LINEBELOW", (3, 2), (3, 2), 0.8, INK),
                ("RIGHTPADDING", (1, 0), (1, -1), 14),
            ],
            BODY_SIZE,
        )
    )
    return [KeepTogether([Spacer(1, 2), sheet.p("Signatures", sheet.s.subsection), table])]
