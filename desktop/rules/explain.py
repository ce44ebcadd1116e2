"""A policy pack as plain text, for counsel to review (`main.py policy show`)."""

from __future__ import annotations

import textwrap

from desktop.rules.notice import HOLDS_WORDS, NONE, language_lines
from desktop.rules.pack import Pack
from desktop.rules.registry import FACTS

_WIDTH = 96


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(text, _WIDTH, initial_indent=indent, subsequent_indent=indent)


def _notice_text(pack: Pack) -> list[str]:
    """What a notice to the person holds, whether counsel settled that, and each language with its status."""
    notice = pack.notice
    out = [f"NOTICE TO THE PERSON: {notice.holds} ({HOLDS_WORDS[notice.holds]})"]
    if notice.holds != NONE:
        settled = (
            f"settled by {notice.reviewed_by} on {notice.reviewed_on or 'an unrecorded date'}"
            if not notice.awaiting_review
            else f"awaiting review by {pack.department.counsel_title}"
        )
        out.append(f"  What a notice holds: {settled}")
    out += [f"  {line}" for line in language_lines(notice)]
    return out


def pack_text(pack: Pack) -> str:
    """The whole pack: metadata, clauses word for word, then the rules in the order they are tried."""
    out: list[str] = []
    reviewed = (
        f"{pack.reviewed_by} on {pack.reviewed_on or 'an unrecorded date'}"
        if not pack.awaiting_review
        else f"NOT YET REVIEWED by {pack.department.counsel_title}"
    )
    out += [
        f"{pack.jurisdiction}",
        f"{pack.instrument}",
        f"Policy pack {pack.id} version {pack.version}, in force {pack.period()}"
        + (f" (dates in {pack.time_zone})" if pack.time_zone else " (dates at the offset each request gives)"),
        f"Source: {pack.source_url}",
        f"Reviewed: {reviewed}",
        f"File: {pack.path} (sha256 {pack.sha256})",
        "",
    ]
    if pack.summary:
        out += [_wrap(pack.summary, ""), ""]
    if pack.changes:
        out.append("CHANGES (newest first)")
        for change in pack.changes:
            touched = f" [rules {', '.join(change.rules)}]" if change.rules else ""
            out.append(_wrap(f"{change.version}: {change.text}{touched}", "  "))
        out.append("")
    out.append("CLAUSES (word for word)")
    for clause in pack.clauses.values():
        out.append(f"  [{clause.id}] {clause.title}")
        if clause.lead:
            out.append(_wrap(clause.lead))
        out.append(_wrap(clause.text))
    out += ["", "RULES (tried top to bottom for each requested action; the first that fits decides)"]
    for rule in pack.rules:
        scope = ", ".join(rule.actions) + (f" (information: {', '.join(rule.info)})" if rule.info else "")
        out.append(f"  {rule.id}: {rule.code}  for {scope}")
        for condition in rule.when:
            out.append(f"      when {condition.text}")
        if not rule.when:
            out.append("      always (no further condition)")
        if rule.title:
            out.append(f"      Title: {rule.title}")
        out.append(_wrap(rule.instruction, "      "))
        out.append(_wrap(f"Say: “{pack.say_line(rule, None, rule.code)}”", "      "))
        for variant in rule.variants:
            out.append(f"      Variant {variant.id!r} when {' and '.join(c.text for c in variant.when)}:")
            if variant.title:
                out.append(f"          Title: {variant.title}")
            out.append(_wrap(variant.instruction, "          "))
            out.append(_wrap(f"Say: “{pack.say_line(rule, variant, rule.code)}”", "          "))
        cites = list(rule.clauses) + [pack.authorities[a].cite for a in rule.authorities]
        out.append(_wrap("Rests on: " + "; ".join(cites), "      "))
        if rule.refer:
            out.append(f"      Refers: {rule.refer}: {pack.ambiguities[rule.refer].issue}")
    out += ["", f"AMBIGUITIES (sent to {pack.department.counsel_title} where a rule refers)"]
    for amb in pack.ambiguities.values():
        out.append(f"  {amb.id}: {amb.issue}")
        out.append(_wrap(f"Meanwhile: {amb.meanwhile}"))
    out += ["", "WARNINGS"]
    for warning in pack.warnings:
        out.append(f"  {warning.id} when {' and '.join(c.text for c in warning.when)}")
        out.append(_wrap(warning.text))
    out += ["", *_notice_text(pack)]
    out += ["", "FACTS the rules can test"]
    for fact in FACTS.values():
        kind = "one of " + ", ".join(fact.values) if fact.values else "yes/no"
        out.append(f"  {fact.name} ({kind}): {fact.doc}")
    return "\n".join(out) + "\n"
