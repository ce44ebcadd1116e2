"""Property tests: the contract's invariants hold, and nothing crashes, for thousands of generated intakes."""

from __future__ import annotations

import functools
import io
import json
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop import cli
from desktop.rules import Pack, decide, load_pack, parse_intake, vocab
from desktop.rules.facts import Context, ordinance_engaged
from desktop.rules.invariants import invariant_violations
from tests.conftest import FIXTURES

documents = st.fixed_dictionaries(
    {"kind": st.sampled_from(vocab.DOCUMENT_KINDS), "signer": st.sampled_from(vocab.SIGNERS)},
    optional={"verified": st.booleans(), "cancels_prior": st.booleans(), "edition": st.text(max_size=8)},
)


@st.composite
def intakes(draw: st.DrawFn) -> dict[str, Any]:
    actions = draw(st.lists(st.sampled_from(vocab.ACTIONS), min_size=1, max_size=5, unique=True))
    data: dict[str, Any] = {
        "received_at": draw(
            st.sampled_from(
                [
                    "2019-12-04T22:30:00-08:00",  # already 5 December in Northampton
                    "2020-01-01T00:00:00+00:00",
                    "2026-01-13T22:18:00-05:00",
                    "2031-07-04T12:30:00-04:00",
                ]
            )
        ),
        "channel": draw(st.sampled_from(vocab.CHANNELS)),
        "requester": draw(st.sampled_from(vocab.REQUESTERS)),
        "documents": draw(st.lists(documents, max_size=4)),
        "actions": actions,
        "subject": {
            "custody": draw(st.sampled_from(vocab.CUSTODY)),
            "release_blockers": draw(st.lists(st.sampled_from(vocab.RELEASE_BLOCKERS), max_size=3, unique=True)),
            "minor": draw(st.booleans()),
        },
        "purpose": draw(st.sampled_from(vocab.PURPOSES)),
        "benefit": draw(st.sampled_from(vocab.BENEFITS)),
        "claims_mandatory": draw(st.booleans()),
        "consent_confirmed": draw(st.booleans()),
        "public_records_request": draw(st.booleans()),
    }
    if "share_info" in actions or draw(st.booleans()):
        data["info"] = draw(st.lists(st.sampled_from(vocab.INFO_KINDS), min_size=1, max_size=4, unique=True))
    return data


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(intakes())
def test_invariants_hold_for_any_intake(pack, data: dict[str, Any]) -> None:
    intake = parse_intake(data)
    decision = decide(intake, pack)
    assert invariant_violations(intake, decision, pack) == []
    assert decide(intake, pack).to_json() == decision.to_json()


@functools.cache
def exampleville() -> Pack:
    return load_pack(FIXTURES / "packs" / "exampleville")


@st.composite
def plain_criminal_intakes(draw: st.DrawFn) -> dict[str, Any]:
    """Intakes near the edge of LEGAL.md 3A: often not engaging the ordinance, often one step from it."""
    data = draw(intakes())
    data["purpose"] = draw(st.sampled_from(["criminal_unrelated", "criminal_unrelated", "mixed_or_unknown"]))
    data["requester"] = draw(
        st.sampled_from(["state_or_local", "other_federal", "court", "state_or_local_relay", "unknown", "consulate"])
    )
    court_papers = st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["state_warrant", "AO-442", "state_court_order", "letter", "other", "I-247A"]),
            "signer": st.sampled_from(["clerk_magistrate", "state_judge", "dhs_officer", "unknown"]),
        },
        optional={"verified": st.booleans(), "cancels_prior": st.booleans()},
    )
    data["documents"] = draw(st.lists(court_papers, max_size=2))
    data["actions"] = draw(
        st.lists(st.sampled_from(["hold", "transfer_custody", "notify_release", "arrest"]), min_size=1, unique=True)
    )
    return data


def check_invariant_1(pack, data: dict[str, Any]) -> None:
    """Invariant 1 as CONTRACT.md states it since version 2 (NOT_COVERED answers a hold only where not engaged)."""
    intake = parse_intake(data)
    decision = decide(intake, pack)
    assert invariant_violations(intake, decision, pack) == []
    engaged = ordinance_engaged(Context(intake, pack.definitions))
    for response in decision.responses:
        if response.action in ("hold", "transfer_custody") and response.code == "NOT_COVERED":
            assert not engaged, response
            # its words hold no one: only a confirmed warrant or a recorded release blocker keeps custody
            assert "Do not keep or hand over the person on this request" in response.instruction
        if response.action == "hold" and not intake.subject.release_blockers:
            assert response.code in (*vocab.NON_HOLDING_CODES, "NOT_COVERED", "HONOR_JUDICIAL"), response
            if response.code == "HONOR_JUDICIAL":
                assert any(d.verified for d in intake.documents)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plain_criminal_intakes())
def test_invariant_1_at_the_edge_of_the_ordinance(pack, data: dict[str, Any]) -> None:
    check_invariant_1(pack, data)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(intakes())
def test_invariant_1_for_any_intake(pack, data: dict[str, Any]) -> None:
    check_invariant_1(pack, data)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(intakes())
def test_another_citys_pack_keeps_the_invariants_too(data: dict[str, Any]) -> None:
    other = exampleville()
    data["received_at"] = "2026-01-13T22:18:00-05:00"
    intake = parse_intake(data)
    assert invariant_violations(intake, decide(intake, other), other) == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intakes())
def test_the_command_decides_any_valid_intake(tmp_path, data: dict[str, Any]) -> None:
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["decide", str(path)])
    assert code == 0, err.getvalue()
    assert json.loads(out.getvalue())["responses"]
    assert err.getvalue() == ""


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


@st.composite
def mutated_intakes(draw: st.DrawFn) -> dict[str, Any]:
    """A valid intake with one field (top level or in subject) replaced by arbitrary JSON."""
    data = draw(intakes())
    junk = draw(json_values)
    key = draw(st.sampled_from(sorted(data)))
    if key == "subject":
        data["subject"][draw(st.sampled_from(sorted(data["subject"])))] = junk
    else:
        data[key] = junk
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(json_values, mutated_intakes()))
def test_the_command_never_crashes_on_any_json(tmp_path, data: Any) -> None:
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["decide", str(path)])
    assert code in (0, 2)
    if code == 2:
        assert out.getvalue() == ""
        assert err.getvalue().count("\n") == 1 and err.getvalue().startswith("error: ")


# --- invariants 2, 6, 7 and 8 (CONTRACT.md, version 2.2), each stated here on its own -------------------

JUDICIAL_SIGNERS = {"federal_judge", "state_judge", "clerk_magistrate"}
COURT_KINDS = {"AO-442", "state_warrant", "federal_writ", "federal_court_order", "state_court_order"}
IMMIGRATION_AUTHORITIES = {"ice_ero", "ice_hsi", "cbp", "uscis", "other_dhs", "agency_287g", "state_or_local_relay"}
ALWAYS_ENGAGING = {"city_employee", "subject_or_attorney", "consulate", "unknown"}
IMMIGRATION_KINDS = {
    *("I-247A", "I-247D", "I-247N", "I-247X", "I-247", "I-200", "I-205", "I-203", "I-286", "I-862", "I-138"),
    *("eoir_order", "ncic_immigration_violator"),
}

court_papers = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(sorted(COURT_KINDS | {"grand_jury_subpoena", "I-247A", "I-138", "I-200"})),
        "signer": st.sampled_from(["federal_judge", "state_judge", "clerk_magistrate", "court_clerk", "dhs_officer"]),
        "verified": st.booleans(),
        "cancels_prior": st.booleans(),
    }
)


@st.composite
def intakes_with_cancelled_papers(draw: st.DrawFn) -> dict[str, Any]:
    """Intakes whose papers are often verified court papers, often recalled or withdrawn (LEGAL.md 3A v2.1)."""
    data = draw(intakes())
    data["documents"] = draw(st.lists(court_papers, min_size=1, max_size=4))
    data["purpose"] = draw(st.sampled_from(vocab.PURPOSES))
    return data


def honourable(document: dict[str, Any]) -> bool:
    """A live, verified court paper signed by a judge or clerk-magistrate (or the clerk, for an AO 442)."""
    signer_ok = document["signer"] in JUDICIAL_SIGNERS or (
        document["signer"] == "court_clerk" and document["kind"] == "AO-442"
    )
    return (
        document["kind"] in COURT_KINDS
        and signer_ok
        and document.get("verified", False)
        and not document.get("cancels_prior", False)
    )


def engaged_whatever_the_papers(data: dict[str, Any]) -> bool:
    """Whether the ordinance is engaged without looking at any paper (LEGAL.md 3A)."""
    requester = data["requester"]
    return (
        requester in IMMIGRATION_AUTHORITIES or requester in ALWAYS_ENGAGING or data["purpose"] != "criminal_unrelated"
    )


def comparable(response: Any) -> dict[str, Any]:
    """A response's words and reasons, but the one reason that may read a cancelling paper (LEGAL.md 3A)."""
    result = response.to_dict()
    result["because"] = [line for line in result["because"] if not line.startswith("The ordinance is engaged")]
    return result


def check_invariants_2_6_7_8(pack: Pack, data: dict[str, Any]) -> None:
    intake = parse_intake(data)
    decision = decide(intake, pack)
    for response in decision.responses:
        # 2. HONOR_JUDICIAL only where a verified court paper that does not cancel an earlier one is in hand.
        if response.code == "HONOR_JUDICIAL":
            assert any(honourable(d) for d in data["documents"]), response
        # 6. A benefit's records and information go only to USCIS, or the person (or their lawyer) with consent.
        if response.code == "PROCESS_BENEFIT" and response.action in ("produce_records", "share_info"):
            assert data["requester"] == "uscis" or (
                data["requester"] == "subject_or_attorney" and data["consent_confirmed"]
            ), response
        # 7. LOG_ONLY answers only what a cancellation cancels.
        if response.code == "LOG_ONLY":
            assert response.action in ("hold", "notify_release", "transfer_custody", "relay", "arrest"), response
    # 8. No response but D0's LOG_ONLY rests on a cancelling paper: take them away and nothing else changes,
    #    wherever that cannot change whether the ordinance is engaged.
    cancelled = [d for d in data["documents"] if d.get("cancels_prior")]
    if cancelled and (
        engaged_whatever_the_papers(data)
        or not any(
            d["kind"] in IMMIGRATION_KINDS or d["signer"] in ("dhs_officer", "immigration_judge") for d in cancelled
        )
    ):
        without = parse_intake({**data, "documents": [d for d in data["documents"] if not d.get("cancels_prior")]})
        again = decide(without, pack)
        for before, after in zip(decision.responses, again.responses, strict=True):
            if before.code != "LOG_ONLY":
                assert comparable(before) == comparable(after), (before.rule, after.rule)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(intakes_with_cancelled_papers())
def test_invariants_2_6_7_8_with_recalled_and_withdrawn_papers(pack, data: dict[str, Any]) -> None:
    check_invariants_2_6_7_8(pack, data)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(intakes())
def test_invariants_2_6_7_8_for_any_intake(pack, data: dict[str, Any]) -> None:
    check_invariants_2_6_7_8(pack, data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(intakes_with_cancelled_papers())
def test_another_citys_pack_keeps_invariants_2_6_7_8(data: dict[str, Any]) -> None:
    data["received_at"] = "2026-01-13T22:18:00-05:00"
    check_invariants_2_6_7_8(exampleville(), data)
