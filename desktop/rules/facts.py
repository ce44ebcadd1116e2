"""The derived facts of LEGAL.md 3A, computed from an intake and the pack's definitions (no words here).

desktop.rules.registry names them for a pack's conditions and gives each its line in `because`.
Every fact that looks at papers reads the live ones only (`Context.papers`: those that do not cancel
an earlier request), except `all_documents_cancel_prior` (D0) and `ordinance_engaged` (LEGAL.md 3A,
version 2.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

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

    @cached_property
    def papers(self) -> tuple[Document, ...]:
        """The papers a rule may act on: those that do not cancel an earlier request (LEGAL.md 3A, version 2.1).

        A cancelled detainer, a recalled warrant or a withdrawn order or subpoena is never a basis
        to act. Only D0 (`all_documents_cancel_prior`) and `ordinance_engaged` read every paper.
        """
        return live_papers(self.intake)


# --- derived facts (LEGAL.md 3A) ---------------------------------------------------------------


def live_papers(intake: Intake) -> tuple[Document, ...]:
    """The papers of an intake that do not cancel an earlier request (LEGAL.md 3A, version 2.1)."""
    return tuple(d for d in intake.documents if not d.cancels_prior)


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
        d.kind in ctx.definitions.judicial_warrant_kinds and is_honourable(d, ctx.definitions) for d in ctx.papers
    )


def unconfirmed_court_paper(ctx: Context) -> bool:
    """A warrant, writ or court order that is unverified or not judicial, or a bare criminal complaint."""
    kinds = ctx.definitions.judicial_warrant_kinds | ctx.definitions.court_order_kinds
    for document in ctx.papers:
        if document.kind in kinds and not is_honourable(document, ctx.definitions):
            return True
    has_complaint = any(d.kind == "federal_criminal_complaint" for d in ctx.papers)
    return has_complaint and not any(d.kind == "AO-442" and is_honourable(d, ctx.definitions) for d in ctx.papers)


def verified_judicial_court_order(ctx: Context) -> bool:
    """A verified judicial writ or court order is among the papers."""
    return any(d.kind in ctx.definitions.court_order_kinds and is_honourable(d, ctx.definitions) for d in ctx.papers)


def judicial_court_order(ctx: Context) -> bool:
    """A judicial writ or court order is among the papers (verified or not)."""
    return any(d.kind in ctx.definitions.court_order_kinds and is_judicial(d, ctx.definitions) for d in ctx.papers)


def court_proceeding_purpose(ctx: Context) -> bool:
    """The order serves a criminal or court proceeding, not civil immigration enforcement (D3 vs D4)."""
    purpose = ctx.intake.purpose
    return purpose == "criminal_unrelated" or (purpose == "mixed_or_unknown" and ctx.intake.requester == "court")


def judicial_compulsory_process(ctx: Context) -> bool:
    """A judicial grand-jury subpoena, or a verified judicial court order, compels production (D5)."""
    definitions = ctx.definitions
    for document in ctx.papers:
        if document.kind == "grand_jury_subpoena" and is_judicial(document, definitions):
            return True
        if document.kind in {"federal_court_order", "state_court_order"} and is_honourable(document, definitions):
            return True
    return False


def immigration_subpoena(ctx: Context) -> bool:
    """An I-138 immigration administrative subpoena is among the papers."""
    return any(d.kind == "I-138" for d in ctx.papers)


def immigration_document_present(ctx: Context) -> bool:
    """Any DHS form, EOIR order or NCIC immigration-violator hit is among the papers."""
    return any(d.kind in ctx.definitions.immigration_documents for d in ctx.papers)


def all_documents_cancel_prior(ctx: Context) -> bool:
    """Every paper received cancels an earlier request (and there is at least one): D0's fact, reading every paper."""
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
    kinds = {d.kind for d in ctx.papers}
    return "I-247A" in kinds and not kinds & {"I-200", "I-205"}


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
    return any(d.kind in ctx.definitions.administrative_warrant_kinds for d in ctx.papers)


def court_paper_not_judicial(ctx: Context) -> bool:
    """A paper presented as a court's is signed by someone who is not a judge or clerk-magistrate."""
    return any(
        d.kind in ctx.definitions.court_document_kinds and not is_judicial(d, ctx.definitions) for d in ctx.papers
    )


def legacy_detainer(ctx: Context) -> bool:
    """A pre-2017 detainer form (I-247, I-247D, I-247N, I-247X) is among the papers."""
    return any(d.kind in ctx.definitions.legacy_detainer_kinds for d in ctx.papers)


def ncic_immigration_hit(ctx: Context) -> bool:
    """An NCIC Immigration Violator File hit is among the papers."""
    return any(d.kind == "ncic_immigration_violator" for d in ctx.papers)


def immigration_request(ctx: Context) -> bool:
    """The request is an immigration request: an immigration authority asks, a live immigration paper is in hand,
    or the purpose is civil immigration enforcement (LEGAL.md 3A, version 2.2)."""
    return (
        immigration_authority(ctx)
        or any(immigration_paper(d, ctx.definitions) for d in ctx.papers)
        or ctx.intake.purpose == "civil_immigration"
    )


def benefit_recipient(ctx: Context) -> bool:
    """The requester may receive a benefit's records: USCIS, or the person or their lawyer with consent confirmed."""
    requester = ctx.intake.requester
    return requester == "uscis" or (requester == "subject_or_attorney" and ctx.intake.consent_confirmed)
