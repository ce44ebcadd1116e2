"""Tests for desktop.rules.engine: decide() follows the contract, the worked examples and its own reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.rules import decide, parse_intake
from desktop.rules.checks import load_scenario, run_scenario
from desktop.rules.invariants import invariant_violations
from tests.conftest import SHARED_EXAMPLES

EXAMPLES = sorted(SHARED_EXAMPLES.glob("*.json")) if SHARED_EXAMPLES.is_dir() else []


@pytest.mark.skipif(not EXAMPLES, reason="../shared/examples is not beside this checkout")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_shared_worked_examples(pack, path: Path) -> None:
    result = run_scenario(load_scenario(path), pack)
    assert result.problems == ()


def intake(**overrides):
    data = {
        "received_at": "2026-01-13T22:18:00-05:00",
        "channel": "fax",
        "requester": "ice_ero",
        "documents": [{"kind": "I-247A", "signer": "dhs_officer"}, {"kind": "I-200", "signer": "dhs_officer"}],
        "actions": ["hold", "notify_release"],
        "subject": {"custody": "in_city_custody", "release_blockers": []},
    }
    data.update(overrides)
    return parse_intake(data)


def test_decision_follows_the_contract_shape(pack) -> None:
    decision = decide(intake(), pack).to_dict()
    assert set(decision) == {"policy", "responses", "refer_to_counsel", "warnings"}
    assert decision["policy"] == {"id": "northampton-2019", "version": pack.version, "sha256": pack.sha256}
    hold = decision["responses"][0]
    contract = {"action", "info", "code", "rule", "instruction", "say", "clauses", "authorities", "refer", "because"}
    assert set(hold) == contract | {"title", "variant"}  # two optional fields added with version 2
    assert list(hold)[:8] == ["action", "info", "code", "title", "rule", "variant", "instruction", "say"]
    assert hold["say"] == pack.say_for(hold) and hold["say"]  # the words the window and the memo show
    assert hold["title"] == pack.codes["NO_HOLD"].title and hold["variant"] is None
    assert hold["code"] == "NO_HOLD" and hold["rule"] == "D11" and hold["info"] is None
    assert hold["clauses"] == ["B3", "DEF-DET", "DEF-ELIG", "A"]
    assert "Lunn v. Commonwealth, 477 Mass. 517 (2017)" in hold["authorities"]
    assert decision["refer_to_counsel"] is False


def test_same_intake_same_bytes(pack) -> None:
    first = decide(intake(notes="x" * 1000), pack).to_json()
    assert all(decide(intake(notes="x" * 1000), pack).to_json() == first for _ in range(5))


def test_share_info_gives_one_response_per_kind_in_order(pack) -> None:
    decision = decide(
        intake(actions=["notify_release", "share_info"], info=["address", "immigration_status", "photo"]), pack
    )
    assert [(r.action, r.info, r.code) for r in decision.responses] == [
        ("notify_release", None, "DECLINE_NOTIFY"),
        ("share_info", "address", "DECLINE_INFO"),
        ("share_info", "immigration_status", "STATUS_ONLY"),
        ("share_info", "photo", "DECLINE_INFO"),
    ]


def test_because_names_the_facts_relied_on(pack) -> None:
    blocked = decide(intake(subject={"custody": "in_city_custody", "release_blockers": ["bail_not_posted"]}), pack)
    hold = blocked.responses[0]
    assert hold.code == "HOLD_OTHER_BASIS"
    assert any("Bail not posted" in line for line in hold.because)
    assert hold.because[-1].startswith("Rule D12")
    free = decide(intake(), pack).responses[0]
    assert any("eligible for release" in line for line in free.because)
    assert any("I-200" in line for line in free.because)


def test_referral_names_its_ambiguity_and_sets_the_flag(pack) -> None:
    decision = decide(intake(claims_mandatory=True), pack)
    assert {r.refer for r in decision.responses} == {"AMB-17"}
    assert decision.to_dict()["refer_to_counsel"] is True


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"documents": [{"kind": "I-247A", "signer": "dhs_officer"}]}, "without the signed I-200 or I-205"),
        ({}, 'titled "warrant"'),
        ({"subject": {"custody": "in_city_custody", "minor": True}}, "under 18"),
        ({"subject": {"custody": "released"}}, "not in City custody"),
        ({"documents": [{"kind": "I-247D", "signer": "dhs_officer"}]}, "pre-2017"),
        ({"documents": [{"kind": "state_warrant", "signer": "dhs_officer"}]}, "not signed by a judge"),
        ({"info": ["address"]}, "no response was given for them"),
        ({}, "awaits legal review"),
    ],
)
def test_warnings_an_officer_needs(pack, overrides, fragment: str) -> None:
    assert any(fragment in w for w in decide(intake(**overrides), pack).warnings)


def test_no_warning_without_cause(pack) -> None:
    clean = intake(documents=[], actions=["notify_release"], channel="phone")
    warnings = decide(clean, pack).warnings
    assert len(warnings) == 1 and "awaits legal review" in warnings[0]


def test_invariant_checker_catches_a_bad_decision(pack) -> None:
    # The checker itself must be able to fail: feed it a decision that breaks invariant 1.
    from dataclasses import replace

    good = decide(intake(), pack)
    bad_hold = replace(good.responses[0], code="HOLD_OTHER_BASIS")
    bad = replace(good, responses=(bad_hold, *good.responses[1:]))
    problems = invariant_violations(intake(), bad, pack)
    assert any("eligible for release" in p for p in problems)
    assert invariant_violations(intake(), good, pack) == []
    # invariant 1 since version 2: NOT_COVERED answers a hold only where the ordinance is not engaged
    not_covered = replace(good.responses[0], code="NOT_COVERED")
    problems = invariant_violations(intake(), replace(good, responses=(not_covered, *good.responses[1:])), pack)
    assert any("ordinance is engaged" in p for p in problems)
    plain = intake(requester="state_or_local", purpose="criminal_unrelated", documents=[], actions=["hold"])
    decided = decide(plain, pack)
    assert decided.responses[0].code == "NOT_COVERED" and invariant_violations(plain, decided, pack) == []
    silent = replace(decided.responses[0], instruction="Handle it under normal procedures.")
    problems = invariant_violations(plain, replace(decided, responses=(silent,)), pack)
    assert any("no one is kept" in p for p in problems)


def test_variants_give_words_true_of_the_facts(pack) -> None:
    warrant = [{"kind": "AO-442", "signer": "federal_judge", "verified": True}]
    by_ice = decide(intake(documents=warrant, actions=["hold"]), pack).responses[0]
    by_marshals = decide(intake(documents=warrant, actions=["hold"], requester="other_federal"), pack).responses[0]
    assert (by_ice.rule, by_ice.variant, by_ice.title) == (
        "D2",
        "immigration-authority-asked",
        "Honour the warrant, not the request",
    )
    assert (by_marshals.rule, by_marshals.variant) == ("D2", None)
    assert by_marshals.title == pack.codes["HONOR_JUDICIAL"].title
    assert by_ice.instruction != by_marshals.instruction and by_ice.code == by_marshals.code
    assert any("wording 'immigration-authority-asked'" in line for line in by_ice.because)
    assert any("immigration authority" in line for line in by_ice.because)
    # D13 calls a notification request a detainer only when an immigration authority asked
    ice = decide(intake(documents=[], actions=["notify_release"]), pack).responses[0]
    sheriff = decide(intake(documents=[], actions=["notify_release"], requester="state_or_local"), pack).responses[0]
    assert ice.rule == "D13" and "detainer" in ice.instruction
    assert sheriff.rule == "D13o" and "detainer" not in sheriff.instruction


def test_missing_warrant_warning_only_for_a_live_i247a(pack) -> None:
    cancelled = intake(documents=[{"kind": "I-247A", "signer": "dhs_officer", "cancels_prior": True}])
    live = intake(documents=[{"kind": "I-247A", "signer": "dhs_officer"}])
    assert not any("I-200 or I-205" in w for w in decide(cancelled, pack).warnings)
    assert any("I-200 or I-205" in w for w in decide(live, pack).warnings)


def test_decision_json_is_valid_json(pack) -> None:
    assert json.loads(decide(intake(), pack).to_json())["responses"][1]["code"] == "DECLINE_NOTIFY"


def test_invariant_checker_holds_invariants_2_6_7_and_8(pack) -> None:
    # Each check must be able to fail: feed the checker decisions that break it.
    from dataclasses import replace

    recalled = [{"kind": "AO-442", "signer": "federal_judge", "verified": True, "cancels_prior": True}]
    ice = intake(documents=[*recalled, {"kind": "I-247A", "signer": "dhs_officer"}], actions=["hold", "access"])
    good = decide(ice, pack)
    assert [r.code for r in good.responses] == ["NO_HOLD", "DECLINE_ACCESS"] and invariant_violations(
        ice, good, pack
    ) == []
    # 2. honouring the recalled warrant
    honour = replace(good.responses[0], code="HONOR_JUDICIAL")
    problems = invariant_violations(ice, replace(good, responses=(honour, good.responses[1])), pack)
    assert any("does not cancel an earlier one" in p for p in problems)
    # 7. LOG_ONLY for an access request
    logged = replace(good.responses[1], code="LOG_ONLY")
    problems = invariant_violations(ice, replace(good, responses=(good.responses[0], logged)), pack)
    assert any("logs only an action that no cancellation settles" in p for p in problems)
    # 6. a victim's records to an unknown caller
    caller = intake(requester="unknown", documents=[], actions=["share_info"], info=["address"], benefit="u_visa")
    declined = decide(caller, pack)
    assert declined.responses[0].code == "DECLINE_INFO" and invariant_violations(caller, declined, pack) == []
    given = replace(declined.responses[0], code="PROCESS_BENEFIT")
    problems = invariant_violations(caller, replace(declined, responses=(given,)), pack)
    assert any("gives a benefit's records to unknown" in p for p in problems)
    # 8. a response whose words or reasons come from a cancelled paper
    reasons = replace(good.responses[0], because=(*good.responses[0].because[:-1], "A recalled warrant is in hand."))
    problems = invariant_violations(ice, replace(good, responses=(reasons, good.responses[1])), pack)
    assert any("rests on a paper that cancels an earlier request" in p for p in problems)


def test_a_fact_that_reads_a_recalled_warrant_gets_no_decision(pack, monkeypatch) -> None:
    # The attack of LEGAL.md 3C v2.2's review: a fact that reads every paper would honour a recalled
    # warrant (arrest, hold and notice). The engine's own check refuses to decide at all.
    from desktop.rules.facts import Context
    from desktop.rules.pack import PackError

    recalled = {"kind": "AO-442", "signer": "federal_judge", "verified": True, "cancels_prior": True}
    ice = intake(documents=[recalled, {"kind": "I-247A", "signer": "dhs_officer"}], actions=["arrest", "hold"])
    assert [r.rule for r in decide(ice, pack).responses] == ["D20", "D11"]
    monkeypatch.setattr(Context, "papers", property(lambda self: self.intake.documents))
    with pytest.raises(PackError, match="breaks the decision contract") as caught:
        decide(ice, pack)
    assert "does not cancel an earlier one" in str(caught.value) or "rests on a paper" in str(caught.value)


def test_because_names_only_live_papers_but_for_the_ordinance(pack) -> None:
    recalled = {"kind": "state_warrant", "signer": "unknown", "cancels_prior": True}
    ice = intake(
        documents=[recalled, {"kind": "I-247A", "signer": "dhs_officer"}], actions=["hold"], claims_mandatory=True
    )
    hold = decide(ice, pack).responses[0]
    assert hold.rule == "D7"  # not D2u: the unconfirmed paper was withdrawn
    assert not any("Massachusetts court warrant" in line for line in hold.because if "ordinance is engaged" not in line)
    assert not any("not a verified judicial paper" in line for line in hold.because)


def test_every_response_carries_the_say_line_the_pack_gives(pack) -> None:
    from desktop.rules.checks import load_scenarios

    for scenario in load_scenarios(pack.scenario_dir):
        if scenario.refused is None:
            for response in decide(scenario.intake, pack).to_dict()["responses"]:
                assert response["say"] and response["say"] == pack.say_for(response), scenario.id


# The 12 public examples (LEGAL.md section 5) decide as their files say, in the words of pack 2.2.0:
# (rule, variant, say line) for each response, in order.
HOLD_ANYONE = "The City does not hold anyone on an immigration request."
NO_RELEASE_INFO = "The City does not give release information for immigration purposes."
NO_WHEREABOUTS = "The City gives no information about this person's custody or whereabouts."
NO_INFO = "The City does not give out that information. No law requires it."
EXAMPLE_WORDS = {
    "S01": [("D11", None, HOLD_ANYONE), ("D13", None, NO_RELEASE_INFO)],
    "S04": [("D2", None, "Court papers follow normal procedure with the court that issued them.")],
    "S06": [("D13", None, NO_RELEASE_INFO)],
    "S08": [
        (
            "D14",
            None,
            "I can tell you only what City records already say about citizenship or immigration status, nothing else.",
        ),
        ("D21", None, "City officers do not ask about or look up immigration status."),
    ],
    "S09": [
        ("D1", None, "We will process this under normal department procedure, once we have checked who is asking.")
    ],
    "S14": [
        ("D10", None, NO_WHEREABOUTS),
        ("D10", None, NO_WHEREABOUTS),
        ("D16", None, NO_INFO),
        ("D16", None, NO_INFO),
    ],
    "S17": [
        ("D4", None, "This order has gone to the City Solicitor, who will contact the court about it without delay.")
    ]
    * 2,
    "S19": [("D13", None, NO_RELEASE_INFO)],
    "S23": [("D18", None, "The City does not allow immigration interviews or access to people in its custody.")],
    "S25": [("D20", None, "City officers do not do immigration enforcement work.")],
    "S31": [("D5", None, "The paper goes to the City Solicitor today, who will answer it.")],
    "S40": [("D0", None, "Noted: the cancellation is recorded.")],
}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_shared_worked_examples_in_their_new_words(pack, path: Path) -> None:
    scenario = load_scenario(path)
    decision = decide(scenario.intake, pack)
    assert [(r.rule, r.variant, r.say) for r in decision.responses] == EXAMPLE_WORDS[scenario.id]
    for response in decision.responses:
        assert "released at the normal time" not in response.say and "Do not call" not in response.say
    if scenario.id == "S09":  # a victim asking for her certification: the victim's warning, not the custody one
        assert any("victim's benefit" in w for w in decision.warnings)
        assert not any(w.startswith("The person is not in City custody") for w in decision.warnings)


def test_the_examples_are_the_public_ones() -> None:
    shared = Path(__file__).resolve().parents[4] / "shared" / "examples"
    if not shared.is_dir():
        pytest.skip("../shared/examples is not beside this checkout")
    assert sorted(p.name for p in shared.glob("*.json")) == sorted(p.name for p in EXAMPLES)
    for path in EXAMPLES:
        assert path.read_bytes() == (shared / path.name).read_bytes(), path.name
