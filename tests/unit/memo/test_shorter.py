"""Tests for the shorter memo: page 1 says what to do, each clause is quoted once, resolved referrals, and
what the memo does with text it cannot draw, a pack without an instrument and an admin key."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.memo import render_memo
from desktop.records import CaseRecord
from desktop.rules import decide, parse_intake
from desktop.rules.pack import Pack
from tests.conftest import ROOT
from tests.unit.memo import samples
from tests.unit.memo.conftest import Memo, norm, section

EXAMPLES = ROOT / "tests" / "data" / "examples"


def example(pack: Pack, name: str) -> CaseRecord:
    intake = parse_intake(json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))["intake"])
    record = samples.single(pack, samples.DECLINE)
    current = replace(record.current, intake=intake, decision=decide(intake, pack))
    return CaseRecord(record.case_number, (current,))


def test_s01_fits_on_two_pages(pack: Pack, render) -> None:
    memo = render(example(pack, "S01"))
    assert len(memo.pages) == 2
    assert "Signatures" in memo.pages[1]


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*.json")))
def test_page_one_carries_every_instruction(pack: Pack, render, name: str) -> None:
    record = example(pack, name)
    memo = render(record)
    first = norm(memo.pages[0])
    for response in record.current.decision.responses:
        assert norm(f"What to do: {response.instruction}") in first, response.rule
        if pack.say_for(response.to_dict()):
            assert norm(f"What to say: {pack.say_for(response.to_dict())}") in first, response.rule
        assert f"[{response.code}]" in first


@pytest.mark.parametrize("scenario", [samples.DECLINE, samples.JUDICIAL, samples.REFERRAL, samples.RECORDS_REQUEST])
def test_each_clause_is_quoted_once_in_the_ordinance_section(pack: Pack, render, scenario: str) -> None:
    record = samples.single(pack, scenario)
    memo = render(record)
    body = memo.body()
    quoted = body[body.index("The ordinance, quoted") :]
    cited = {c for r in record.current.decision.responses for c in r.clauses}
    for clause_id in cited:
        clause = pack.clauses[clause_id]
        text = norm(f"{clause.lead} {clause.text}" if clause.lead else clause.text)
        assert body.count(f"“{text}”") == 1, clause_id
        assert f"“{text}”" in quoted, clause_id
    # every response names its clauses and points to the quotes
    assert body.count("(quoted below)") == sum(1 for r in record.current.decision.responses if r.clauses)


def test_a_resolved_referral_shows_the_outcome_not_do_not_act(pack: Pack, render) -> None:
    record = samples.resolved(pack)
    memo = render(record)
    first = norm(memo.pages[0])
    box = section(memo.text, "Referral to the City Solicitor resolved", "The request")
    assert f"Outcome {norm(samples.OUTCOME)}" in box
    assert f"Resolved by {samples.SUPERVISOR}" in box
    assert "When Wed 4 Mar 2026, 10:20 (EST, UTC-05:00)" in box
    assert f"Referred by {samples.OFFICER}, version 1" in box
    assert f"Two people: recorded by {samples.OFFICER}, resolved by {samples.SUPERVISOR}." in box
    assert "Do not act on the referred request" not in memo.text
    assert "Referral to the City Solicitor resolved" in first
    assert "Case state: Resolved" in memo.text
    # both people on the signature lines
    assert f"Officer: Date/time: printed: {samples.OFFICER}" in memo.text
    assert f"Reviewing supervisor: Date/time: printed: {samples.SUPERVISOR}" in memo.text


def test_an_open_referral_still_says_do_not_act(pack: Pack, render) -> None:
    memo = render(samples.single(pack, samples.REFERRAL))
    assert "Do not act on the referred request until" in memo.text
    assert "resolved" not in memo.text.lower().split("the request")[0]


def test_a_pack_may_leave_the_instrument_out(pack: Pack) -> None:
    record = samples.single(pack, samples.DECLINE)
    bare = replace(pack, instrument="")
    memo = Memo(render_memo(record, bare, chain_head=samples.CHAIN_HEAD))
    assert "Ord. No. 19.153" not in memo.text
    assert "Response to a federal immigration request Policy pack" in memo.text
    assert "to be confirmed" not in Memo(render_memo(record, pack, chain_head=samples.CHAIN_HEAD)).text


def test_characters_the_font_cannot_draw_print_as_code_points_with_a_warning(pack: Pack, render) -> None:
    record = samples.single(pack, samples.DECLINE, subject={"name": "李小龍 (Lee) 🙂"}, notes="통역: 김민준")
    memo = render(record)
    assert "[U+674E][U+5C0F][U+9F8D] (Lee) [U+1F642]" in memo.text
    assert "[U+D1B5][U+C5ED]: [U+AE40][U+BBFC][U+C900]" in memo.body()
    warnings = section(memo.text, "Warnings", "The ordinance, quoted")
    assert "9 character(s) entered cannot be drawn by the memo's font" in warnings
    assert "[U+674E], [U+5C0F]" in warnings
    # what DejaVu draws is untouched, and a memo without such characters has no such warning
    assert "cannot be drawn" not in render(samples.single(pack, samples.DECLINE, subject={"name": "Łukasz"})).text


def test_the_admin_key_is_printed_on_every_page(pack: Pack) -> None:
    record = samples.amended(pack)
    fingerprint = "a1b2c3d4e5f60718293a4b5c6d7e8f9001122334"
    memo = Memo(render_memo(record, pack, chain_head=samples.CHAIN_HEAD, admin_fingerprint=fingerprint))
    for page in memo.pages:
        assert "Admin key A1B2 C3D4 E5F6 0718 293A 4B5C 6D7E 8F90 0112 2334" in page
    assert "Admin key" not in Memo(render_memo(record, pack, chain_head=samples.CHAIN_HEAD)).text


def test_a_huge_recorded_case_still_prints_within_seconds(pack: Pack) -> None:
    # Logged before the intake limits: a 50 MB note and a 1 MB name. The memo prints their start and says so.
    record = samples.single(pack, samples.DECLINE)
    current = record.current.intake
    intake = replace(current, notes="word " * 10_000_000, subject=replace(current.subject, name="N" * 1_000_000))
    huge = CaseRecord(record.case_number, (replace(record.current, intake=intake),))
    started = time.perf_counter()
    memo = Memo(render_memo(huge, pack, chain_head=samples.CHAIN_HEAD))
    assert time.perf_counter() - started < 20
    assert "more characters: see the case log]" in memo.text
    assert len(memo.pages) < 200


def test_sample_memos_can_be_written(tmp_path: Path) -> None:
    samples.main(str(tmp_path))
    assert {p.name for p in tmp_path.iterdir()} >= {"resolved.pdf", "referral.pdf", "long-notes.pdf"}


@pytest.mark.parametrize(
    ("field", "limit"),
    [("notes", 250_000), ("requester_name", 1_000), ("subject.name", 300), ("subject.booking_number", 100)],
)
def test_intake_limits_free_text_and_names_the_field_and_the_limit(field: str, limit: int) -> None:
    from desktop.rules import IntakeError

    data = json.loads((EXAMPLES / "S01.json").read_text(encoding="utf-8"))["intake"]
    where = data["subject"] if field.startswith("subject.") else data
    key = field.split(".")[-1]
    where[key] = "x" * limit
    parse_intake(data)  # at the limit: accepted
    where[key] = "x" * (limit + 1)
    with pytest.raises(IntakeError, match=f"{limit:,} characters") as error:
        parse_intake(data)
    assert error.value.field_path == field


def test_page_one_says_the_words_the_decision_carries(pack: Pack, render) -> None:
    # Since pack 2.2 each response carries its say line; a version recorded before that gets the pack's.
    record = example(pack, "S01")
    decision = record.current.decision
    carried = replace(
        decision, responses=tuple(replace(r, say=f"Carried words {i}.") for i, r in enumerate(decision.responses))
    )
    older = replace(decision, responses=tuple(replace(r, say=None) for r in decision.responses))  # no say kept
    first = norm(render(CaseRecord(record.case_number, (replace(record.current, decision=carried),))).pages[0])
    assert "What to say: Carried words 0." in first and "What to say: Carried words 1." in first
    first = norm(render(CaseRecord(record.case_number, (replace(record.current, decision=older),))).pages[0])
    for response in decision.responses:
        assert norm(f"What to say: {pack.say_for(response.to_dict())}") in first
