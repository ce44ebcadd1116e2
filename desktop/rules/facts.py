"""Facts the rules test: intake fields and small derived facts, each with the sentence it adds to `because`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from desktop.rules import labels, vocab
from desktop.rules.intake import Document, Intake

FactValue = bool | str | None


@dataclass(frozen=True)
class Definitions:
    """The pack's own vocabulary (LEGAL.md 3A, 4B): which agencies, papers and signers count as what."""

    immigration_authorities: frozenset[str]
    judicial_signers: frozenset[str]
    clerk_signed_kinds: frozenset[str]
    judicial_warrant_kinds: frozenset[str]
    court_order_kinds: frozenset[str]
    court_document_kinds: frozenset[str]
    immigration_documents: frozenset[str]
    administrative_warrant_kinds: frozenset[str]
    detainer_kinds: frozenset[str]
    legacy_detainer_kinds: frozenset[str]
    # Added in version 2 of the model; packs kept from before it get LEGAL.md 3A's values.
    # A paper signed by one of these is an immigration paper whatever its kind (3A).
    administrative_signers: frozenset[str] = frozenset({"dhs_officer", "immigration_judge"})
    # Requesters whose requests always engage the ordinance, even for a criminal matter (3A).
    engaging_requesters: frozenset[str] = frozenset({"city_employee", "subject_or_attorney", "consulate", "unknown"})


@dataclass(frozen=True)
class Context:
    """What one rule is evaluated against: the intake, the pack's definitions and the action at hand."""

    intake: Intake
    definitions: Definitions
    action: str | None = None
    info: str | None = None


@dataclass(frozen=True)
class Fact:
    """A named fact: how to compute it, which values it can take, and how to say it in one line."""

    name: str
    values: tuple[str, ...] | None  # None for a yes/no fact
    compute: Callable[[Context], FactValue]
    describe: Callable[[FactValue, Context], str]
    doc: str


# --- derived facts (LEGAL.md 3A) ---------------------------------------------------------------


def is_judicial(document: Document, definitions: Definitions) -> bool:
    """A court's paper signed by a judge or clerk-magistrate (or the clerk, where a clerk signs).

    DHS forms, EOIR orders and anything signed by a DHS officer or an immigration judge are
    administrative whatever their title says (LEGAL.md 1C, AMB-2).
    """
    if document.kind not in definitions.court_document_kinds:
        return False
    if document.signer in definitions.judicial_signers:
        return True
    return document.signer == "court_clerk" and document.kind in definitions.clerk_signed_kinds


def is_honourable(document: Document, definitions: Definitions) -> bool:
    """Judicial and verified with NCIC, the issuing court or the U.S. Marshals."""
    return document.verified and is_judicial(document, definitions)


def verified_judicial_warrant(ctx: Context) -> bool:
    """A verified judicial arrest warrant (AO 442 or a Massachusetts warrant) is among the papers."""
    return any(
        d.kind in ctx.definitions.judicial_warrant_kinds and is_honourable(d, ctx.definitions)
        for d in ctx.intake.documents
    )


def unconfirmed_court_paper(ctx: Context) -> bool:
    """A warrant, writ or court order that is unverified or not judicial, or a bare criminal complaint."""
    kinds = ctx.definitions.judicial_warrant_kinds | ctx.definitions.court_order_kinds
    for document in ctx.intake.documents:
        if document.kind in kinds and not is_honourable(document, ctx.definitions):
            return True
    has_complaint = any(d.kind == "federal_criminal_complaint" for d in ctx.intake.documents)
    return has_complaint and not any(
        d.kind == "AO-442" and is_honourable(d, ctx.definitions) for d in ctx.intake.documents
    )


def verified_judicial_court_order(ctx: Context) -> bool:
    """A verified judicial writ or court order is among the papers."""
    return any(
        d.kind in ctx.definitions.court_order_kinds and is_honourable(d, ctx.definitions) for d in ctx.intake.documents
    )


def judicial_court_order(ctx: Context) -> bool:
    """A judicial writ or court order is among the papers (verified or not)."""
    return any(
        d.kind in ctx.definitions.court_order_kinds and is_judicial(d, ctx.definitions) for d in ctx.intake.documents
    )


def court_proceeding_purpose(ctx: Context) -> bool:
    """The order serves a criminal or court proceeding, not civil immigration enforcement (D3 vs D4)."""
    purpose = ctx.intake.purpose
    return purpose == "criminal_unrelated" or (purpose == "mixed_or_unknown" and ctx.intake.requester == "court")


def judicial_compulsory_process(ctx: Context) -> bool:
    """A judicial grand-jury subpoena, or a verified judicial court order, compels production (D5)."""
    definitions = ctx.definitions
    for document in ctx.intake.documents:
        if document.kind == "grand_jury_subpoena" and is_judicial(document, definitions):
            return True
        if document.kind in {"federal_court_order", "state_court_order"} and is_honourable(document, definitions):
            return True
    return False


def immigration_subpoena(ctx: Context) -> bool:
    """An I-138 immigration administrative subpoena is among the papers."""
    return any(d.kind == "I-138" for d in ctx.intake.documents)


def immigration_document_present(ctx: Context) -> bool:
    """Any DHS form, EOIR order or NCIC immigration-violator hit is among the papers."""
    return any(d.kind in ctx.definitions.immigration_documents for d in ctx.intake.documents)


def all_documents_cancel_prior(ctx: Context) -> bool:
    """Every paper received cancels an earlier request (and there is at least one)."""
    documents = ctx.intake.documents
    return bool(documents) and all(d.cancels_prior for d in documents)


def eligible_for_release(ctx: Context) -> bool:
    """Nothing but the immigration request keeps the person in custody (DEF-ELIG)."""
    return not ctx.intake.subject.release_blockers


def immigration_authority(ctx: Context) -> bool:
    """The requester is, or speaks for, a federal immigration agency (DEF-IE)."""
    return ctx.intake.requester in ctx.definitions.immigration_authorities


def detainer_without_warrant(ctx: Context) -> bool:
    """An I-247A that does not cancel an earlier request arrived without the I-200 or I-205 ICE policy requires."""
    kinds = {d.kind for d in ctx.intake.documents}
    live_detainer = any(d.kind == "I-247A" and not d.cancels_prior for d in ctx.intake.documents)
    return live_detainer and not kinds & {"I-200", "I-205"}


def immigration_paper(document: Document, definitions: Definitions) -> bool:
    """A DHS form, EOIR order or NCIC immigration hit, or any paper signed by a DHS officer or immigration judge."""
    return document.kind in definitions.immigration_documents or document.signer in definitions.administrative_signers


def ordinance_engaged(ctx: Context) -> bool:
    """The ordinance is engaged: unless every one of LEGAL.md 3A's four conditions for a plain criminal matter holds.

    Not engaged only when no immigration paper is present (a cancelled one still counts), the
    requester is not an immigration authority, the purpose is `criminal_unrelated`, and the
    requester is not one whose requests always engage it (City employee, the person or their
    lawyer, a consulate, unknown).
    """
    if any(immigration_paper(d, ctx.definitions) for d in ctx.intake.documents):
        return True
    if immigration_authority(ctx):
        return True
    if ctx.intake.purpose != "criminal_unrelated":
        return True
    return ctx.intake.requester in ctx.definitions.engaging_requesters


def administrative_warrant_present(ctx: Context) -> bool:
    """A DHS paper titled 'warrant' or 'order' (I-200, I-205, I-203, EOIR order) is among the papers."""
    return any(d.kind in ctx.definitions.administrative_warrant_kinds for d in ctx.intake.documents)


def court_paper_not_judicial(ctx: Context) -> bool:
    """A paper presented as a court's is signed by someone who is not a judge or clerk-magistrate."""
    return any(
        d.kind in ctx.definitions.court_document_kinds and not is_judicial(d, ctx.definitions)
        for d in ctx.intake.documents
    )


def legacy_detainer(ctx: Context) -> bool:
    """A pre-2017 detainer form (I-247, I-247D, I-247N, I-247X) is among the papers."""
    return any(d.kind in ctx.definitions.legacy_detainer_kinds for d in ctx.intake.documents)


def ncic_immigration_hit(ctx: Context) -> bool:
    """An NCIC Immigration Violator File hit is among the papers."""
    return any(d.kind == "ncic_immigration_violator" for d in ctx.intake.documents)


def _document_list(ctx: Context, predicate: Callable[[Document], bool]) -> str:
    names = [labels.DOCUMENT_KIND[d.kind].split(" (")[0] for d in ctx.intake.documents if predicate(d)]
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
    papers = _document_list(ctx, lambda d: immigration_paper(d, definitions))
    if papers != "none":
        reasons.append(f"immigration papers are among those received ({papers})")
    if intake.requester in definitions.immigration_authorities:
        reasons.append(f"the requester ({intake.requester}) is, or speaks for, an immigration authority")
    if intake.purpose != "criminal_unrelated":
        reasons.append(f"the purpose is not a criminal matter unrelated to immigration ({intake.purpose})")
    if intake.requester in definitions.engaging_requesters:
        reasons.append(f"requests by this requester ({intake.requester}) always engage it")
    return "The ordinance is engaged (LEGAL.md 3A): " + "; ".join(reasons) + "."


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
        "The person, asked in custody, named this lawyer and agreed, or asks in person (consent confirmed).",
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
        "Every paper received cancels an earlier request: nothing is left to act on.",
        "The papers do not (all) cancel an earlier request.",
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
