"""A decision as HTML for the window, in the memo's order: what was asked, the answer, why, the clauses."""

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


def decision_html(decision: Mapping[str, Any], pack: Pack) -> str:
    """Every response with its instruction, reasons, clauses (quoted from the pack) and authorities."""
    parts: list[str] = ["<p><b>In short:</b></p><ul>"]
    for response in decision["responses"]:
        code = response["code"]
        title = response_title(response, pack)
        parts.append(f"<li>{_asked(response)}: <b>{escape(title)}</b></li>")
    parts.append("</ul>")
    warnings = decision.get("warnings") or []
    refers = sorted({r["refer"] for r in decision["responses"] if r.get("refer")})
    if refers:
        parts.append("<table width='100%' border='1' cellpadding='6' cellspacing='0'><tr><td>")
        parts.append(f"<b>Refer to {escape(pack.department.counsel_title)}.</b>")
        if pack.department.referral_contact:
            parts.append(f"<p>{escape(pack.department.referral_contact)}</p>")
        for amb in refers:
            ambiguity = pack.ambiguities.get(amb)
            if ambiguity:
                parts.append(
                    f"<p><b>{escape(amb)}</b>: {escape(ambiguity.issue)}<br>"
                    f"<i>Meanwhile:</i> {escape(ambiguity.meanwhile)}</p>"
                )
        parts.append("</td></tr></table>")
    for response in decision["responses"]:
        code = response["code"]
        title = response_title(response, pack)
        parts.append(f"<h3>{_asked(response)}</h3>")
        parts.append(f"<p><b>{escape(title)}</b> [{escape(code)}]</p>")
        parts.append(f"<p>{escape(response['instruction'])}</p>")
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
        parts.append(f"<p><small>Rule {escape(response['rule'])}</small></p>")
    if warnings:
        parts.append("<h3>Warnings</h3><ul>")
        parts.extend(f"<li>{escape(w)}</li>" for w in warnings)
        parts.append("</ul>")
    return "\n".join(parts)


def intake_summary_html(intake: Mapping[str, Any]) -> str:
    """The request as entered, grouped as the wizard asks it."""
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
    body = "".join(f"<tr><td valign='top'><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in rows)
    notes = intake.get("notes")
    notes_html = f"<p><b>Notes</b></p><p>{escape(notes[:5000])}{'…' if len(notes) > 5000 else ''}</p>" if notes else ""
    return f"<table cellpadding='3'>{body}</table>{notes_html}"
