"""A decision as HTML for the window: what to do and say first, the codes, reasons and clauses under details."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from desktop import present
from desktop.rules import Decision, Intake, Pack

if TYPE_CHECKING:
    from desktop.records import CaseVersion


RESPONSE_END = "response-end-"  # the anchor on the last line of each response shown


def resolution_html(resolution: present.Resolution, pack: Pack) -> str:
    """A resolved referral, first on the case's Decision tab as on the memo: the outcome, who resolved it and
    when (on the desk's clock), who referred it, and what to do now."""
    from desktop.dates import when

    def at(version: CaseVersion) -> str:
        moment = dt.datetime.fromisoformat(version.recorded_at)
        return when(pack.local_time(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)))

    resolved, referred = resolution.resolved, resolution.referred
    parts = [
        "<table width='100%' border='1' cellpadding='6' cellspacing='0'><tr><td>",
        f"<p><b>Referral to {escape(pack.department.counsel_title)} resolved</b></p>",
        f"<p style='font-size:x-large'><b>Outcome:</b> {escape(resolution.outcome or 'not recorded')}</p>",
        f"<p><b>Resolved by</b> {escape(resolved.officer)}, {escape(at(resolved))} (version {resolved.version}).",
    ]
    if referred is not None:
        parts.append(f"<br><b>Referred by</b> {escape(referred.officer)}, {escape(at(referred))}.")
    parts.append("</p>")
    if resolution.two_people:
        parts.append(f"<p><small>Two people: recorded by {escape(referred.officer if referred else '')}, resolved by ")
        parts.append(f"{escape(resolved.officer)}.</small></p>")
    parts.append(f"<p><b>What to do now:</b> {escape(present.ACT_ON_OUTCOME)}</p></td></tr></table>")
    return "".join(parts)


def decision_html(decision: Decision, pack: Pack, *, details: bool = False, resolved: bool = False) -> str:
    """What the officer needs at the desk, in that order: warnings, then for each response the instruction
    (the biggest type), what to say and what was asked; the referral with whom to call. With `details`,
    the codes, rules, reasons, the clauses quoted and the authorities follow (the memo always prints them).
    A `resolved` referral leaves out the referral box: its outcome (`resolution_html`) is shown above instead.
    """
    parts: list[str] = []
    if decision.warnings:
        parts.append("<table width='100%' border='1' cellpadding='4' cellspacing='0'><tr><td>")
        parts.append("<b>⚠ Warnings</b><ul style='margin-top:2px; margin-bottom:0px'>")
        parts.extend(f"<li>{escape(w)}</li>" for w in decision.warnings)
        parts.append("</ul></td></tr></table>")
    views = present.response_views(decision, pack)
    for number, group in enumerate(response_groups(views), start=1):
        view = group[0]
        asked = "; ".join(escape(v.asked) for v in group)
        parts.append(f"<p style='margin-top:10px'><small>Asked: {asked}. In short: {escape(view.title)}</small></p>")
        # The last line of each response carries an anchor: the page counts which have been on screen.
        end = f"<a name='{RESPONSE_END}{number}'>&nbsp;</a>"
        instruction = f"<p style='font-size:large; margin-top:4px'><b>{escape(view.instruction)}</b>"
        if view.say:
            parts.append(f"{instruction}</p><p style='margin-top:4px'><b>Say:</b> “{escape(view.say)}”{end}</p>")
        else:
            parts.append(f"{instruction}{end}</p>")
    referral = None if resolved else present.referral(decision, pack)  # once resolved, the outcome is shown instead
    if referral is not None:
        parts.append("<table width='100%' border='1' cellpadding='6' cellspacing='0'><tr><td>")
        parts.append(f"<p><b>Refer to {escape(referral.counsel)}.</b></p>")
        if referral.contact:
            parts.append(f"<p><b>Who to call:</b> {escape(referral.contact)}</p>")
        parts.extend(f"<p><b>{escape(row.label)}:</b> {escape(row.value)}</p>" for row in referral.calls())
        for question in referral.questions:
            if question.issue:
                parts.append(f"<p>{escape(question.issue)}<br><i>Meanwhile:</i> {escape(question.meanwhile)}</p>")
        parts.append("</td></tr></table>")
    if not details:
        parts.append(
            "<p><small>The reasons, the rules and the ordinance quoted are under Show details, "
            "and on the memo.</small></p>"
        )
        return "\n".join(parts)
    parts.append("<hr><h3>Details</h3>")
    for view in views:
        parts.append(f"<h4>{escape(view.asked)}</h4>")
        parts.append(f"<p>{escape(view.title)}: {escape(view.rule_words)}</p>")
        parts.append("<p><b>Why</b></p><ul>")
        parts.extend(f"<li>{escape(line)}</li>" for line in view.because)
        parts.append("</ul>")
        if view.clauses:
            parts.append("<p><b>Clauses</b></p>")
            for clause in view.clauses:
                if isinstance(clause, str):
                    parts.append(f"<p>{escape(clause)}</p>")
                    continue
                lead = f"{escape(clause.lead)} " if clause.lead else ""
                parts.append(
                    f"<blockquote><b>{escape(clause.id)}</b> ({escape(clause.title)}): "
                    f"{lead}{escape(clause.text)}</blockquote>"
                )
        if view.authorities:
            parts.append("<p><b>Authorities:</b> " + "; ".join(escape(a) for a in view.authorities) + "</p>")
    return "\n".join(parts)


def response_groups(views: Sequence[present.ResponseView]) -> list[list[present.ResponseView]]:
    """The responses to show, those with the same words told once: three actions a court's order asks for,
    all answered "refer, and hold no one meanwhile", are one instruction and one say line (in the order
    first asked). The memo and the details still give every response on its own."""
    groups: dict[tuple[str, str, str], list[present.ResponseView]] = {}
    for view in views:
        groups.setdefault((view.title, view.instruction, view.say), []).append(view)
    return list(groups.values())


def rows_html(rows: Sequence[present.Row]) -> str:
    body = "".join(f"<tr><td valign='top'><b>{escape(r.label)}</b></td><td>{escape(r.value)}</td></tr>" for r in rows)
    return f"<table cellpadding='3'>{body}</table>"


def intake_summary_html(intake: Intake) -> str:
    """The request as entered, grouped as the wizard asks it; long notes cut at 5,000 characters here."""
    rows = [r for r in present.request_rows(intake) if r.label != "Notes"]
    notes = intake.notes
    notes_html = f"<p><b>Notes</b></p><p>{escape(notes[:5000])}{'…' if len(notes) > 5000 else ''}</p>" if notes else ""
    return rows_html(rows) + notes_html


def version_html(rows: Sequence[present.Row], before: Sequence[present.Row] | None) -> str:
    """A version's rows, each changed one marked (text, not colour alone) with what it was before."""
    old = {r.label: r.value for r in before or []}
    parts = ["<table cellpadding='3' width='100%'>"]
    changed = 0
    for label, value in ((r.label, r.value) for r in rows):
        mark = ""
        was = ""
        if before is not None and old.get(label) != value:
            changed += 1
            mark = "<b>● changed</b> " if label in old else "<b>● new</b> "
            if label in old:
                was = f"<br><small>was: {escape(old[label])}</small>"
        style = " style='background-color:#fff3c4'" if mark else ""
        parts.append(
            f"<tr{style}><td valign='top' width='28%'><b>{escape(label)}</b></td>"
            f"<td>{mark}{escape(value)}{was}</td></tr>"
        )
    now = {r.label for r in rows}
    for label, value in ((r.label, r.value) for r in before or []):
        if label not in now:
            changed += 1
            parts.append(
                f"<tr style='background-color:#fff3c4'><td valign='top'><b>{escape(label)}</b></td>"
                f"<td><b>● removed</b> <s>{escape(value)}</s></td></tr>"
            )
    parts.append("</table>")
    if before is None:
        head = "<p>The first version.</p>"
    else:
        head = f"<p><b>{changed} field{'s' if changed != 1 else ''} changed</b> from the version before.</p>"
    return head + "".join(parts)
