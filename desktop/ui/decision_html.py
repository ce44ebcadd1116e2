"""A decision as HTML for the window: what to do and say first, the codes, reasons and clauses under details."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from desktop.rules import labels
from desktop.rules.pack import Pack


def _asked(response: Mapping[str, Any]) -> str:
    text = labels.ACTION.get(response["action"], response["action"])
    if response.get("info"):
        text += f": {labels.INFO.get(response['info'], response['info'])}"
    return escape(text)


def response_title(response: Mapping[str, Any], pack: Pack) -> str:
    """A response's short title: the rule's own words for these facts, else its code's title in the pack."""
    code = str(response["code"])
    return str(response.get("title") or (pack.codes[code].title if code in pack.codes else code))


def decision_html(decision: Mapping[str, Any], pack: Pack, *, details: bool = False) -> str:
    """What the officer needs at the desk, in that order: warnings, then for each response the instruction
    (the biggest type), what to say and what was asked; the referral with whom to call. With `details`,
    the codes, rules, reasons, the clauses quoted and the authorities follow (the memo always prints them).
    """
    parts: list[str] = []
    warnings = decision.get("warnings") or []
    if warnings:
        parts.append("<table width='100%' border='1' cellpadding='6' cellspacing='0'><tr><td>")
        parts.append("<p><b>⚠ Warnings</b></p><ul>")
        parts.extend(f"<li>{escape(w)}</li>" for w in warnings)
        parts.append("</ul></td></tr></table>")
    for response in decision["responses"]:
        title = response_title(response, pack)
        parts.append(f"<p style='margin-top:14px'><small>Asked: {_asked(response)}</small></p>")
        parts.append(f"<p style='font-size:x-large'><b>{escape(response['instruction'])}</b></p>")
        say = str(response["say"]) if "say" in response else pack.say_for(response)
        if say:
            parts.append(f"<p style='font-size:large'><b>Say:</b> “{escape(say)}”</p>")
        parts.append(f"<p><small>In short: {escape(title)}</small></p>")
    refers = sorted({r["refer"] for r in decision["responses"] if r.get("refer")})
    if refers:
        parts.append("<table width='100%' border='1' cellpadding='6' cellspacing='0'><tr><td>")
        parts.append(f"<p><b>Refer to {escape(pack.department.counsel_title)}.</b></p>")
        if pack.department.referral_contact:
            parts.append(f"<p><b>Who to call:</b> {escape(pack.department.referral_contact)}</p>")
        for amb in refers:
            ambiguity = pack.ambiguities.get(amb)
            if ambiguity:
                parts.append(f"<p>{escape(ambiguity.issue)}<br><i>Meanwhile:</i> {escape(ambiguity.meanwhile)}</p>")
        parts.append("</td></tr></table>")
    if not details:
        parts.append(
            "<p><small>The reasons, the rules and the ordinance quoted are under Show details, "
            "and on the memo.</small></p>"
        )
        return "\n".join(parts)
    parts.append("<hr><h3>Details</h3>")
    for response in decision["responses"]:
        code = response["code"]
        variant = f", wording {escape(response['variant'])}" if response.get("variant") else ""
        parts.append(f"<h4>{_asked(response)}</h4>")
        parts.append(
            f"<p>{escape(response_title(response, pack))}: code {escape(code)}, "
            f"rule {escape(response['rule'])}{variant}"
            + (f", open question {escape(response['refer'])}" if response.get("refer") else "")
            + "</p>"
        )
        parts.append("<p><b>Why</b></p><ul>")
        parts.extend(f"<li>{escape(line)}</li>" for line in response["because"])
        parts.append("</ul>")
        if response["clauses"]:
            parts.append("<p><b>Clauses</b></p>")
            for clause_id in response["clauses"]:
                clause = pack.clauses.get(clause_id)
                if clause is None:
                    parts.append(f"<p>{escape(clause_id)}</p>")
                    continue
                lead = f"{escape(clause.lead)} " if clause.lead else ""
                parts.append(
                    f"<blockquote><b>{escape(clause.id)}</b> ({escape(clause.title)}): "
                    f"{lead}{escape(clause.text)}</blockquote>"
                )
        if response["authorities"]:
            parts.append("<p><b>Authorities:</b> " + "; ".join(escape(a) for a in response["authorities"]) + "</p>")
    return "\n".join(parts)


def intake_rows(intake: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The request as entered, as (label, value) rows grouped as the wizard asks it."""
    from desktop.dates import received

    subject = intake.get("subject", {})
    rows = [
        ("Received", received(intake["received_at"]) if intake.get("received_at") else "-"),
        ("Channel", labels.CHANNEL.get(intake.get("channel", ""), "-")),
        (
            "Requester",
            labels.REQUESTER.get(intake.get("requester", ""), "-")
            + (f" ({intake['requester_name']})" if intake.get("requester_name") else ""),
        ),
    ]
    if intake.get("requester") == "subject_or_attorney":
        rows.append(("Consent confirmed", "yes" if intake.get("consent_confirmed") else "no"))
    documents = intake.get("documents") or []
    for index, doc in enumerate(documents, 1):
        bits = [labels.DOCUMENT_KIND.get(doc["kind"], doc["kind"]), labels.SIGNER.get(doc.get("signer", ""), "")]
        if doc.get("signer_name"):
            bits.append(doc["signer_name"])
        if doc.get("edition"):
            bits.append(f"edition {doc['edition']}")
        bits.append("verified" if doc.get("verified") else "not verified")
        if doc.get("cancels_prior"):
            bits.append("cancels an earlier request")
        rows.append((f"Paper {index}", ", ".join(b for b in bits if b)))
    if not documents:
        rows.append(("Papers", "none (a verbal or informal request)"))
    blockers = ", ".join(labels.RELEASE_BLOCKER[b] for b in subject.get("release_blockers", [])) or "none"
    rows += [
        ("Person", f"{subject.get('name') or '(no name)'}, booking {subject.get('booking_number') or '-'}"),
        ("Custody", labels.CUSTODY.get(subject.get("custody", ""), "-")),
        ("Release blockers", blockers),
        ("Under 18", "yes" if subject.get("minor") else "no"),
        ("Asked", "; ".join(labels.ACTION.get(a, a) for a in intake.get("actions", [])) or "-"),
    ]
    if intake.get("info"):
        rows.append(("Information asked for", "; ".join(labels.INFO.get(i, i) for i in intake["info"])))
    rows += [
        ("Purpose", labels.PURPOSE.get(intake.get("purpose", "civil_immigration"), "-")),
        ("Benefit", labels.BENEFIT.get(intake.get("benefit", "none"), "-")),
        ("Says it is mandatory", "yes" if intake.get("claims_mandatory") else "no"),
        ("Public-records request", "yes" if intake.get("public_records_request") else "no"),
    ]
    if intake.get("notes"):
        rows.append(("Notes", str(intake["notes"])))
    return rows


def intake_summary_html(intake: Mapping[str, Any]) -> str:
    """The request as entered, grouped as the wizard asks it."""
    rows = [(k, v) for k, v in intake_rows(intake) if k != "Notes"]
    body = "".join(f"<tr><td valign='top'><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in rows)
    notes = intake.get("notes")
    notes_html = f"<p><b>Notes</b></p><p>{escape(notes[:5000])}{'…' if len(notes) > 5000 else ''}</p>" if notes else ""
    return f"<table cellpadding='3'>{body}</table>{notes_html}"


def version_rows(version: Any, pack: Pack) -> list[tuple[str, str]]:
    """Everything a version says, as (label, value) rows: who and why, the request, then each response."""
    rows = [
        ("Status", str(version.status)),
        ("Recorded by", str(version.officer)),
        ("Reason for this version", str(version.amendment_reason or "-")),
    ]
    if version.override:
        rows.append(("Officer disagreed", f"{version.override.officer}: {version.override.reason}"))
    rows += intake_rows(version.intake)
    for response in version.decision["responses"]:
        rows.append((f"Response: {_asked(response)}", f"{response_title(response, pack)}. {response['instruction']}"))
    return rows


def version_html(rows: list[tuple[str, str]], before: list[tuple[str, str]] | None) -> str:
    """A version's rows, each changed one marked (text, not colour alone) with what it was before."""
    old = dict(before or [])
    parts = ["<table cellpadding='3' width='100%'>"]
    changed = 0
    for label, value in rows:
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
    now = {label for label, _ in rows}
    for label, value in before or []:
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
