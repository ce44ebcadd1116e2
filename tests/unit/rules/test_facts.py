"""Tests for desktop.rules.facts and .registry: each derived fact on its own, with a case for and against."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.rules import facts, labels, registry
from desktop.rules.facts import Context
from desktop.rules.intake import parse_intake


def ctx(pack, documents=(), requester="ice_ero", purpose="civil_immigration", blockers=(), **extra: Any) -> Context:
    data: dict[str, Any] = {
        "received_at": "2026-02-01T10:00:00-05:00",
        "channel": "fax",
        "requester": requester,
        "documents": [dict(d) for d in documents],
        "actions": ["hold"],
        "subject": {"custody": "in_city_custody", "release_blockers": list(blockers)},
        "purpose": purpose,
    }
    data.update(extra)
    return Context(parse_intake(data), pack.definitions, "hold")


def doc(kind: str, signer: str, verified: bool = False, cancels_prior: bool = False) -> dict[str, Any]:
    return {"kind": kind, "signer": signer, "verified": verified, "cancels_prior": cancels_prior}


@pytest.mark.parametrize(
    ("document", "judicial"),
    [
        (doc("AO-442", "federal_judge"), True),
        (doc("AO-442", "court_clerk"), True),  # warrant on an indictment, Fed. R. Crim. P. 9(b)(1)
        (doc("state_warrant", "clerk_magistrate"), True),
        (doc("grand_jury_subpoena", "court_clerk"), True),
        (doc("state_court_order", "court_clerk"), False),
        (doc("AO-442", "dhs_officer"), False),
        (doc("federal_court_order", "immigration_judge"), False),
        (doc("I-200", "federal_judge"), False),  # a DHS form is administrative whoever signs it
        (doc("I-205", "dhs_officer"), False),
        (doc("eoir_order", "immigration_judge"), False),
        (doc("state_warrant", "unknown"), False),
    ],
)
def test_is_judicial(pack, document, judicial) -> None:
    intake_doc = ctx(pack, [document]).intake.documents[0]
    assert facts.is_judicial(intake_doc, pack.definitions) is judicial


def test_verified_judicial_warrant_needs_both(pack) -> None:
    assert facts.verified_judicial_warrant(ctx(pack, [doc("AO-442", "federal_judge", verified=True)]))
    assert not facts.verified_judicial_warrant(ctx(pack, [doc("AO-442", "federal_judge")]))
    assert not facts.verified_judicial_warrant(ctx(pack, [doc("AO-442", "dhs_officer", verified=True)]))
    assert not facts.verified_judicial_warrant(ctx(pack, [doc("ncic_wanted_person", "unknown", verified=True)]))


def test_unconfirmed_court_paper(pack) -> None:
    assert facts.unconfirmed_court_paper(ctx(pack, [doc("state_court_order", "state_judge")]))
    assert facts.unconfirmed_court_paper(ctx(pack, [doc("federal_writ", "dhs_officer", verified=True)]))
    assert facts.unconfirmed_court_paper(ctx(pack, [doc("federal_criminal_complaint", "prosecutor_or_agent")]))
    complaint_with_warrant = [
        doc("federal_criminal_complaint", "prosecutor_or_agent"),
        doc("AO-442", "federal_judge", verified=True),
    ]
    assert not facts.unconfirmed_court_paper(ctx(pack, complaint_with_warrant))
    assert not facts.unconfirmed_court_paper(ctx(pack, [doc("I-247A", "dhs_officer")]))
    assert not facts.unconfirmed_court_paper(ctx(pack, [doc("state_warrant", "state_judge", verified=True)]))


def test_court_orders(pack) -> None:
    verified = ctx(pack, [doc("state_court_order", "state_judge", verified=True)])
    unverified = ctx(pack, [doc("state_court_order", "state_judge")])
    assert facts.verified_judicial_court_order(verified)
    assert not facts.verified_judicial_court_order(unverified)
    assert facts.judicial_court_order(unverified)
    assert not facts.judicial_court_order(ctx(pack, [doc("eoir_order", "immigration_judge", verified=True)]))


@pytest.mark.parametrize(
    ("purpose", "requester", "expected"),
    [
        ("criminal_unrelated", "ice_ero", True),
        ("mixed_or_unknown", "court", True),
        ("mixed_or_unknown", "ice_ero", False),
        ("civil_immigration", "court", False),
    ],
)
def test_court_proceeding_purpose(pack, purpose, requester, expected) -> None:
    assert facts.court_proceeding_purpose(ctx(pack, requester=requester, purpose=purpose)) is expected


def test_judicial_compulsory_process(pack) -> None:
    assert facts.judicial_compulsory_process(ctx(pack, [doc("grand_jury_subpoena", "court_clerk")]))
    assert not facts.judicial_compulsory_process(ctx(pack, [doc("grand_jury_subpoena", "prosecutor_or_agent")]))
    assert facts.judicial_compulsory_process(ctx(pack, [doc("federal_court_order", "federal_judge", verified=True)]))
    assert not facts.judicial_compulsory_process(ctx(pack, [doc("federal_court_order", "federal_judge")]))
    assert not facts.judicial_compulsory_process(ctx(pack, [doc("I-138", "dhs_officer")]))


def test_immigration_papers(pack) -> None:
    assert facts.immigration_subpoena(ctx(pack, [doc("I-138", "dhs_officer")]))
    assert not facts.immigration_subpoena(ctx(pack, [doc("grand_jury_subpoena", "court_clerk")]))
    assert facts.immigration_document_present(ctx(pack, [doc("ncic_immigration_violator", "unknown")]))
    assert not facts.immigration_document_present(ctx(pack, [doc("AO-442", "federal_judge")]))


def test_cancellation_needs_every_paper_to_cancel(pack) -> None:
    assert facts.all_documents_cancel_prior(ctx(pack, [doc("I-247A", "dhs_officer", cancels_prior=True)]))
    mixed = [doc("I-247A", "dhs_officer", cancels_prior=True), doc("I-247A", "dhs_officer")]
    assert not facts.all_documents_cancel_prior(ctx(pack, mixed))
    assert not facts.all_documents_cancel_prior(ctx(pack, []))


def test_eligible_for_release(pack) -> None:
    assert facts.eligible_for_release(ctx(pack))
    assert not facts.eligible_for_release(ctx(pack, blockers=["bail_not_posted"]))


@pytest.mark.parametrize(
    ("requester", "expected"),
    [("ice_ero", True), ("state_or_local_relay", True), ("agency_287g", True), ("court", False), ("unknown", False)],
)
def test_immigration_authority(pack, requester, expected) -> None:
    assert facts.immigration_authority(ctx(pack, requester=requester)) is expected


def test_detainer_without_warrant(pack) -> None:
    assert facts.detainer_without_warrant(ctx(pack, [doc("I-247A", "dhs_officer")]))
    assert not facts.detainer_without_warrant(ctx(pack, [doc("I-247A", "dhs_officer"), doc("I-205", "dhs_officer")]))
    assert not facts.detainer_without_warrant(ctx(pack, [doc("I-247N", "dhs_officer")]))


def test_every_fact_describes_both_values(pack) -> None:
    sample = ctx(pack, [doc("I-247A", "dhs_officer"), doc("AO-442", "federal_judge", verified=True)])
    for fact in registry.FACTS.values():
        value = fact.compute(sample)
        line = fact.describe(value, sample)
        assert line and line.endswith("."), fact.name
        if fact.values is None:
            assert fact.describe(not value, sample) != line, fact.name
        assert fact.doc, fact.name


@pytest.mark.parametrize(
    ("requester", "purpose", "documents", "engaged"),
    [
        ("state_or_local", "criminal_unrelated", [], False),
        ("other_federal", "criminal_unrelated", [doc("state_warrant", "clerk_magistrate")], False),
        ("court", "criminal_unrelated", [doc("federal_writ", "federal_judge")], False),
        ("state_or_local", "criminal_unrelated", [doc("I-247A", "dhs_officer")], True),
        ("state_or_local", "criminal_unrelated", [doc("I-247A", "dhs_officer", cancels_prior=True)], True),
        ("state_or_local", "criminal_unrelated", [doc("letter", "dhs_officer")], True),  # signer, whatever the kind
        ("state_or_local", "criminal_unrelated", [doc("other", "immigration_judge")], True),
        ("state_or_local", "mixed_or_unknown", [], True),
        ("state_or_local", "civil_immigration", [], True),
        ("state_or_local_relay", "criminal_unrelated", [], True),
        ("ice_hsi", "criminal_unrelated", [], True),
        ("city_employee", "criminal_unrelated", [], True),
        ("subject_or_attorney", "criminal_unrelated", [], True),
        ("consulate", "criminal_unrelated", [], True),
        ("unknown", "criminal_unrelated", [], True),
    ],
)
def test_ordinance_engaged(pack, requester, purpose, documents, engaged) -> None:
    context = ctx(pack, documents, requester=requester, purpose=purpose)
    assert facts.ordinance_engaged(context) is engaged
    line = registry.FACTS["ordinance_engaged"].describe(engaged, context)
    assert line.startswith("The ordinance is engaged" if engaged else "The ordinance is not engaged")


def test_old_packs_get_the_3a_definitions_by_default(pack) -> None:
    assert pack.definitions.administrative_signers == {"dhs_officer", "immigration_judge"}
    assert pack.definitions.engaging_requesters == {"city_employee", "subject_or_attorney", "consulate", "unknown"}
    assert facts.Definitions(*[frozenset()] * 10).engaging_requesters == pack.definitions.engaging_requesters


def test_consent_confirmed_is_a_fact(pack) -> None:
    assert registry.FACTS["consent_confirmed"].compute(ctx(pack, consent_confirmed=True)) is True
    assert registry.FACTS["consent_confirmed"].compute(ctx(pack)) is False


# --- version 2.1: a paper that cancels an earlier request is never a basis to act ---------------------


@pytest.mark.parametrize(
    ("fact", "paper"),
    [
        ("verified_judicial_warrant", doc("AO-442", "federal_judge", verified=True)),
        ("verified_judicial_warrant", doc("state_warrant", "clerk_magistrate", verified=True)),
        ("unconfirmed_court_paper", doc("state_court_order", "state_judge")),
        ("unconfirmed_court_paper", doc("federal_criminal_complaint", "prosecutor_or_agent")),
        ("verified_judicial_court_order", doc("federal_writ", "federal_judge", verified=True)),
        ("judicial_court_order", doc("state_court_order", "state_judge")),
        ("judicial_compulsory_process", doc("grand_jury_subpoena", "court_clerk")),
        ("immigration_subpoena", doc("I-138", "dhs_officer")),
        ("immigration_document_present", doc("I-247A", "dhs_officer")),
        ("detainer_without_warrant", doc("I-247A", "dhs_officer")),
        ("administrative_warrant_present", doc("I-200", "dhs_officer")),
        ("court_paper_not_judicial", doc("state_warrant", "unknown")),
        ("legacy_detainer", doc("I-247D", "dhs_officer")),
        ("ncic_immigration_hit", doc("ncic_immigration_violator", "unknown")),
    ],
)
def test_every_fact_that_looks_at_papers_reads_only_live_ones(pack, fact: str, paper: dict[str, Any]) -> None:
    compute = registry.FACTS[fact].compute
    assert compute(ctx(pack, [paper], requester="court", purpose="criminal_unrelated")) is True
    withdrawn = {**paper, "cancels_prior": True}
    assert compute(ctx(pack, [withdrawn], requester="court", purpose="criminal_unrelated")) is False
    # a line that lists the papers it found names no withdrawn paper either
    if fact in LISTING_FACTS:
        line = registry.FACTS[fact].describe(True, ctx(pack, [withdrawn, doc("letter", "unsigned")]))
        assert labels.DOCUMENT_KIND[paper["kind"]].split(" (")[0] not in line


LISTING_FACTS = {
    "verified_judicial_warrant",
    "unconfirmed_court_paper",
    "verified_judicial_court_order",
    "judicial_court_order",
    "immigration_document_present",
    "administrative_warrant_present",
}


def test_a_recalled_warrant_does_not_mask_a_live_one(pack) -> None:
    papers = [
        doc("AO-442", "federal_judge", verified=True, cancels_prior=True),
        doc("state_warrant", "state_judge", verified=True),
    ]
    context = ctx(pack, papers)
    assert facts.verified_judicial_warrant(context)
    line = registry.FACTS["verified_judicial_warrant"].describe(True, context)
    assert "Massachusetts court warrant" in line and "Federal criminal arrest warrant" not in line


def test_only_d0_and_the_ordinance_read_cancelled_papers(pack) -> None:
    cancelled = [doc("I-247A", "dhs_officer", cancels_prior=True)]
    context = ctx(pack, cancelled, requester="state_or_local", purpose="criminal_unrelated")
    assert facts.all_documents_cancel_prior(context) and facts.ordinance_engaged(context)
    assert "I-247A" in registry.FACTS["ordinance_engaged"].describe(True, context)
    assert context.papers == () and not facts.immigration_request(context)


@pytest.mark.parametrize(
    ("requester", "purpose", "documents", "expected"),
    [
        ("ice_ero", "criminal_unrelated", [], True),  # an immigration authority asks
        ("state_or_local_relay", "mixed_or_unknown", [], True),  # a relay counts as one
        ("other_federal", "civil_immigration", [], True),  # the purpose is civil immigration
        ("other_federal", "mixed_or_unknown", [doc("I-247A", "dhs_officer")], True),  # a live immigration paper
        ("court", "mixed_or_unknown", [doc("letter", "immigration_judge")], True),  # signed by an immigration judge
        ("other_federal", "mixed_or_unknown", [doc("I-247A", "dhs_officer", cancels_prior=True)], False),
        ("consulate", "criminal_unrelated", [], False),
        ("unknown", "mixed_or_unknown", [], False),
        ("city_employee", "criminal_unrelated", [doc("state_warrant", "clerk_magistrate")], False),
    ],
)
def test_immigration_request(pack, requester, purpose, documents, expected) -> None:
    context = ctx(pack, documents, requester=requester, purpose=purpose)
    assert facts.immigration_request(context) is expected
    line = registry.FACTS["immigration_request"].describe(expected, context)
    assert line.startswith("This is an immigration request" if expected else "No immigration request is shown")


@pytest.mark.parametrize(
    ("requester", "consent", "expected"),
    [
        ("uscis", False, True),
        ("subject_or_attorney", True, True),
        ("subject_or_attorney", False, False),
        ("unknown", True, False),
        ("ice_ero", True, False),
        ("state_or_local", True, False),
    ],
)
def test_benefit_recipient(pack, requester, consent, expected) -> None:
    assert facts.benefit_recipient(ctx(pack, requester=requester, consent_confirmed=consent)) is expected
