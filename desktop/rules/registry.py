"""The facts a pack's conditions can name: how each is computed and the one line it adds to `because`.

Intake fields (requester, purpose, ...) and the derived facts of desktop.rules.facts (LEGAL.md 3A).
Every line that names papers names the live ones only (those that do not cancel an earlier request),
except the line for `ordinance_engaged`, which a cancelled detainer still engages (LEGAL.md 3A).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from desktop.rules import labels, vocab
from desktop.rules.facts import (
    Context,
    FactValue,
    administrative_warrant_present,
    all_documents_cancel_prior,
    benefit_recipient,
    court_paper_not_judicial,
    court_proceeding_purpose,
    detainer_without_warrant,
    eligible_for_release,
    immigration_authority,
    immigration_document_present,
    immigration_paper,
    immigration_request,
    immigration_subpoena,
    is_honourable,
    is_judicial,
    judicial_compulsory_process,
    judicial_court_order,
    legacy_detainer,
    ncic_immigration_hit,
    ordinance_engaged,
    unconfirmed_court_paper,
    verified_judicial_court_order,
    verified_judicial_warrant,
)
from desktop.rules.intake import Document


@dataclass(frozen=True)
class Fact:
    """A named fact: how to compute it, which values it can take, and how to say it in one line."""

    name: str
    values: tuple[str, ...] | None  # None for a yes/no fact
    compute: Callable[[Context], FactValue]
    describe: Callable[[FactValue, Context], str]
    doc: str


def _document_list(ctx: Context, predicate: Callable[[Document], bool], *, every: bool = False) -> str:
    """The papers that fit, by name: the live ones, or `every` paper (for `ordinance_engaged` only)."""
    papers = ctx.intake.documents if every else ctx.papers
    names = [labels.DOCUMENT_KIND[d.kind].split(" (")[0] for d in papers if predicate(d)]
    return "; ".join(names) if names else "none"


def _yes_no(yes: str, no: str) -> Callable[[FactValue, Context], str]:
    return lambda value, _ctx: yes if value else no


def _enum_line(prefix: str, names: Mapping[str, str]) -> Callable[[FactValue, Context], str]:
    return lambda value, _ctx: f"{prefix}: {names.get(str(value), str(value))} ({value})."


def _describe_judicial_warrant(value: FactValue, ctx: Context) -> str:
    if value:
        found = _document_list(
            ctx,
            lambda d: d.kind in ctx.definitions.judicial_warrant_kinds and is_honourable(d, ctx.definitions),
        )
        return f"A verified judicial warrant is among the papers: {found}."
    return "No verified judicial warrant (AO 442 or Massachusetts warrant signed by a judge) is among the papers."


def _describe_unconfirmed(value: FactValue, ctx: Context) -> str:
    if not value:
        return "Every warrant or court order received is judicial and verified."
    kinds = ctx.definitions.judicial_warrant_kinds | ctx.definitions.court_order_kinds | {"federal_criminal_complaint"}
    found = _document_list(ctx, lambda d: d.kind in kinds and not is_honourable(d, ctx.definitions))
    return (
        f"A warrant, order or complaint is not a verified judicial paper: {found}. "
        "Its judicial character must be confirmed before anyone acts on it."
    )


def _describe_blockers(value: FactValue, ctx: Context) -> str:
    if value:
        return "No release blocker is recorded: the person is eligible for release under state law (DEF-ELIG)."
    blockers = ", ".join(labels.RELEASE_BLOCKER[b] for b in ctx.intake.subject.release_blockers)
    return f"Custody has its own basis under state law: {blockers}."


def _describe_engaged(value: FactValue, ctx: Context) -> str:
    intake, definitions = ctx.intake, ctx.definitions
    if not value:
        return (
            "The ordinance is not engaged: no immigration paper was received, the requester "
            f"({intake.requester}) is not an immigration authority, and the purpose is a criminal matter "
            "with no immigration purpose (LEGAL.md 3A)."
        )
    reasons: list[str] = []
    papers = _document_list(ctx, lambda d: immigration_paper(d, definitions), every=True)
    if papers != "none":
        reasons.append(f"immigration papers are among those received ({papers})")
    if intake.requester in definitions.immigration_authorities:
        reasons.append(f"the requester ({intake.requester}) is, or speaks for, an immigration authority")
    if intake.purpose != "criminal_unrelated":
        reasons.append(f"the purpose is not a criminal matter unrelated to immigration ({intake.purpose})")
    if intake.requester in definitions.engaging_requesters:
        reasons.append(f"requests by this requester ({intake.requester}) always engage it")
    return "The ordinance is engaged (LEGAL.md 3A): " + "; ".join(reasons) + "."


def _describe_immigration_request(value: FactValue, ctx: Context) -> str:
    intake = ctx.intake
    if not value:
        return (
            f"No immigration request is shown (LEGAL.md 3A): the requester ({intake.requester}) is not an immigration "
            "authority, no immigration paper is in hand (other than one that cancels an earlier request), and the "
            f"purpose is not civil immigration enforcement ({intake.purpose})."
        )
    reasons: list[str] = []
    if immigration_authority(ctx):
        reasons.append(f"the requester ({intake.requester}) is, or speaks for, an immigration authority")
    papers = _document_list(ctx, lambda d: immigration_paper(d, ctx.definitions))
    if papers != "none":
        reasons.append(f"immigration papers are in hand ({papers})")
    if intake.purpose == "civil_immigration":
        reasons.append("the purpose is civil immigration enforcement")
    return "This is an immigration request (LEGAL.md 3A): " + "; ".join(reasons) + "."


FACTS: Final[dict[str, Fact]] = {}


def _register(
    name: str,
    values: tuple[str, ...] | None,
    compute: Callable[[Context], FactValue],
    describe: Callable[[FactValue, Context], str],
    doc: str | None = None,
) -> None:
    if doc is None:
        doc = (compute.__doc__ or "").strip().split("\n")[0] or f"The intake's {name} field."
    FACTS[name] = Fact(name, values, compute, describe, doc)


# Intake fields the rules may test directly.
_register("action", vocab.ACTIONS, lambda c: c.action, _enum_line("Requested action", labels.ACTION))
_register("info", vocab.INFO_KINDS, lambda c: c.info, _enum_line("Information asked for", labels.INFO))
_register("requester", vocab.REQUESTERS, lambda c: c.intake.requester, _enum_line("Requester", labels.REQUESTER))
_register("purpose", vocab.PURPOSES, lambda c: c.intake.purpose, _enum_line("Purpose", labels.PURPOSE))
_register("benefit", vocab.BENEFITS, lambda c: c.intake.benefit, _enum_line("Benefit", labels.BENEFIT))
_register("channel", vocab.CHANNELS, lambda c: c.intake.channel, _enum_line("Channel", labels.CHANNEL))
_register("custody", vocab.CUSTODY, lambda c: c.intake.subject.custody, _enum_line("Custody", labels.CUSTODY))
_register(
    "claims_mandatory",
    None,
    lambda c: c.intake.claims_mandatory,
    _yes_no(
        "The requester says a law, order or regulation makes compliance mandatory.",
        "The requester does not claim that compliance is mandatory.",
    ),
)
_register(
    "public_records_request",
    None,
    lambda c: c.intake.public_records_request,
    _yes_no(
        "The request is made as a public-records request.",
        "The request is not a public-records request.",
    ),
)
_register(
    "consent_confirmed",
    None,
    lambda c: c.intake.consent_confirmed,
    _yes_no(
        "The person named this lawyer and agreed when the desk asked the person, or asks in person "
        "(consent confirmed).",
        "No consent of the person to this request is confirmed.",
    ),
    doc="For a request by the person or their lawyer: the person named this lawyer and agreed, or asks in person.",
)
_register(
    "minor",
    None,
    lambda c: c.intake.subject.minor,
    _yes_no("The person is under 18.", "The person is not recorded as under 18."),
)

# Derived facts.
_register(
    "immigration_authority",
    None,
    immigration_authority,
    lambda v, c: (
        f"The requester ({c.intake.requester}) is, or speaks for, an immigration authority (DEF-IE)."
        if v
        else f"The requester ({c.intake.requester}) is not an immigration authority (DEF-IE)."
    ),
)
_register(
    "benefit_requested",
    None,
    lambda c: c.intake.benefit != "none",
    lambda v, c: (
        f"The request concerns an immigration or public benefit: {labels.BENEFIT[c.intake.benefit]}."
        if v
        else "No immigration or public benefit is involved."
    ),
    doc="The request concerns an immigration or public benefit (benefit is not none).",
)
_register(
    "all_documents_cancel_prior",
    None,
    all_documents_cancel_prior,
    _yes_no(
        "Every paper received cancels an earlier request (a cancelled detainer, a recalled warrant, a withdrawn "
        "order or subpoena).",
        "The papers do not (all) cancel an earlier request.",
    ),
)
_register("immigration_request", None, immigration_request, _describe_immigration_request)
_register(
    "benefit_recipient",
    None,
    benefit_recipient,
    lambda v, c: (
        f"The requester ({c.intake.requester}) may receive a benefit's records: USCIS, or the person or the "
        "person's own lawyer with consent confirmed (LEGAL.md 3A)."
        if v
        else f"The requester ({c.intake.requester}) is not one a benefit's records go to: only USCIS, or the "
        "person or the person's own lawyer with consent confirmed (LEGAL.md 3A)."
    ),
)
_register("verified_judicial_warrant", None, verified_judicial_warrant, _describe_judicial_warrant)
_register("unconfirmed_court_paper", None, unconfirmed_court_paper, _describe_unconfirmed)
_register(
    "verified_judicial_court_order",
    None,
    verified_judicial_court_order,
    lambda v, c: (
        "A verified judicial writ or court order is among the papers: "
        + _document_list(c, lambda d: d.kind in c.definitions.court_order_kinds and is_honourable(d, c.definitions))
        + "."
        if v
        else "No verified judicial writ or court order is among the papers."
    ),
)
_register(
    "judicial_court_order",
    None,
    judicial_court_order,
    lambda v, c: (
        "A judicial writ or court order is among the papers: "
        + _document_list(c, lambda d: d.kind in c.definitions.court_order_kinds and is_judicial(d, c.definitions))
        + "."
        if v
        else "No judicial writ or court order is among the papers."
    ),
)
_register(
    "court_proceeding_purpose",
    None,
    court_proceeding_purpose,
    lambda v, c: (
        f"The paper serves a criminal or court proceeding "
        f"(purpose: {c.intake.purpose}, requester: {c.intake.requester})."
        if v
        else f"The paper serves civil immigration enforcement or an unclear purpose "
        f"(purpose: {c.intake.purpose}, requester: {c.intake.requester})."
    ),
)
_register(
    "judicial_compulsory_process",
    None,
    judicial_compulsory_process,
    _yes_no(
        "A judicial subpoena or a verified judicial court order compels production.",
        "No judicial subpoena or verified court order compels production.",
    ),
)
_register(
    "immigration_subpoena",
    None,
    immigration_subpoena,
    _yes_no(
        "An I-138 immigration administrative subpoena was received; it binds no one until a U.S. district "
        "court orders compliance (8 U.S.C. § 1225(d)(4)).",
        "No immigration administrative subpoena was received.",
    ),
)
_register(
    "immigration_document_present",
    None,
    immigration_document_present,
    lambda v, c: (
        "Immigration papers are among those received: "
        + _document_list(c, lambda d: d.kind in c.definitions.immigration_documents)
        + "."
        if v
        else "No DHS form, EOIR order or NCIC immigration hit is among the papers."
    ),
)
_register("eligible_for_release", None, eligible_for_release, _describe_blockers)
_register("ordinance_engaged", None, ordinance_engaged, _describe_engaged)
_register(
    "detainer_without_warrant",
    None,
    detainer_without_warrant,
    _yes_no(
        "An I-247A that does not cancel an earlier request arrived without an I-200 or I-205.",
        "No I-247A (other than a cancellation) arrived without an I-200 or I-205.",
    ),
)
_register(
    "administrative_warrant_present",
    None,
    administrative_warrant_present,
    lambda v, c: (
        "Administrative DHS papers titled 'warrant' or 'order' are among those received: "
        + _document_list(c, lambda d: d.kind in c.definitions.administrative_warrant_kinds)
        + "; none is signed by a judge."
        if v
        else "No administrative DHS warrant is among the papers."
    ),
)
_register(
    "court_paper_not_judicial",
    None,
    court_paper_not_judicial,
    _yes_no(
        "A paper presented as a court's is not signed by a judge or clerk-magistrate.",
        "Every court paper is signed by a judge, clerk-magistrate or (where allowed) the clerk.",
    ),
)
_register(
    "legacy_detainer",
    None,
    legacy_detainer,
    _yes_no("A pre-2017 detainer form is among the papers.", "No pre-2017 detainer form is among the papers."),
)
_register(
    "ncic_immigration_hit",
    None,
    ncic_immigration_hit,
    _yes_no("An NCIC Immigration Violator File hit was received.", "No NCIC Immigration Violator File hit."),
)
