"""Tests for the pack's model and reader: the shipped pack is faithful to the ordinance, and bad packs are refused."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from desktop.rules import PackError, decide, load_pack, parse_intake
from desktop.rules.catalog import choose_pack, pack_in_force
from desktop.rules.checks import load_scenarios, run_scenario
from desktop.rules.conditions import parse_condition
from desktop.rules.pack import NotInForceError
from desktop.rules.vocab import ACTIONS, RESPONSE_CODES
from tests.conftest import FIXTURES, PACK_DIR

CLAUSE_IDS = {"DEF-ELIG", "DEF-DET", "DEF-IE", "A", "B1", "B2", "B3", "B4", "C", "ENF-A", "ENF-B"}


def test_every_clause_is_quoted_word_for_word(pack) -> None:
    source = (PACK_DIR / "ordinance-source.txt").read_text(encoding="utf-8")
    source_lines = source.splitlines()
    assert set(pack.clauses) == CLAUSE_IDS
    for clause in pack.clauses.values():
        assert clause.text in source_lines, clause.id  # a whole line of the published text, unchanged
        if clause.lead:
            assert clause.lead in source_lines


def test_ordinance_source_is_the_seed_text() -> None:
    seed_dir = PACK_DIR.parents[2].parent / "shared" / "seeds"
    if not seed_dir.is_dir():
        pytest.skip("the shared seed folder is not beside this checkout")
    seeds = [p.read_bytes() for p in seed_dir.glob("*.txt")]
    assert (PACK_DIR / "ordinance-source.txt").read_bytes() in seeds


def test_metadata_and_review_state(pack) -> None:
    assert pack.id == "northampton-2019"
    assert pack.effective_from == dt.date(2019, 12, 5)
    assert pack.effective_to is None
    assert pack.awaiting_review  # no City Solicitor has signed it yet; decisions say so
    assert re.fullmatch(r"[0-9a-f]{64}", pack.sha256)


def test_every_code_and_action_is_reachable(pack) -> None:
    codes = {rule.code for rule in pack.rules}
    assert codes == set(RESPONSE_CODES)
    for action in ACTIONS:
        assert any(rule.applies_to(action, None) for rule in pack.rules), action


def test_pack_scenarios_cover_every_rule_variant_and_code(pack) -> None:
    scenarios = load_scenarios(pack.scenario_dir)
    results = [run_scenario(s, pack) for s in scenarios]
    assert [r.scenario.id for r in results if not r.passed] == []
    decided = [resp for r in results if r.decision is not None for resp in r.decision.responses]
    fired_rules = {resp.rule for resp in decided}
    fired_codes = {resp.code for resp in decided}
    fired_wordings = {(resp.rule, resp.variant) for resp in decided}
    assert fired_rules == {rule.id for rule in pack.rules}
    assert fired_codes == set(RESPONSE_CODES)
    # every instruction variant, and every varied rule's own words, has a scenario (3C v2, item 7)
    wordings = {(rule.id, v.id) for rule in pack.rules for v in rule.variants}
    wordings |= {(rule.id, None) for rule in pack.rules}
    assert wordings - fired_wordings == set()
    # both sides of the time-zone edge (3C v2, item 8)
    assert any(r.scenario.refused for r in results)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("no_such_fact", "unknown fact"),
        ("requester in [martians]", "unknown value 'martians'"),
        ("requester", "takes a value"),
        ("eligible_for_release in [yes]", "is yes/no"),
        ("requester in []", "empty list"),
        ("requester == ice_ero", "cannot read"),
    ],
)
def test_bad_conditions_are_refused(text: str, error: str) -> None:
    with pytest.raises(ValueError, match=re.escape(error)):
        parse_condition(text)


def test_condition_with_alternatives() -> None:
    condition = parse_condition("not immigration_authority or requester in [uscis]")
    assert [a.fact for a in condition.alternatives] == ["immigration_authority", "requester"]
    assert condition.alternatives[0].negate and condition.alternatives[1].values == ("uscis",)


def broken_pack(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    """A copy of the shipped pack with one textual change, in its own folder."""
    text = (PACK_DIR / "pack.toml").read_text(encoding="utf-8")
    assert old in text, old
    target = tmp_path / "broken" / "pack.toml"
    target.parent.mkdir()
    target.write_text(text.replace(old, new, count), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("old", "new", "key", "words"),
    [
        ('clauses = ["B3", "DEF-DET", "DEF-ELIG", "A"]', 'clauses = ["B3", "Z9"]', "rules[17].clauses", "'Z9'"),
        ('code = "NO_HOLD"', 'code = "MAYBE_HOLD"', "rules[17].code", "unknown response code"),
        (
            'actions = ["hold"]\nwhen = ["eligible_for_release"]',
            'actions = ["juggle"]\nwhen = ["eligible_for_release"]',
            "rules[17].actions",
            "unknown action 'juggle'",
        ),
        (
            'instruction = "Do not hold or delay release, not even for minutes. Release at the normal time under '
            "state law; the immigration request adds no time. In answer to this request, say nothing about custody "
            'or the release time. Do not call ICE."\n',
            "",
            "rules[17].instruction",
            "missing or empty",
        ),
        (
            'instruction = "Do not hold or delay release',
            'instructions = "Do not hold or delay release',
            "rules[17].instructions",
            "unknown key",
        ),
        ('refer = "AMB-19"\n', "", "rules[31].refer", "must name its ambiguity"),
        ('refer = "AMB-19"', 'refer = "AMB-99"', "rules[31].refer", "unknown ambiguity"),
        ('when = ["eligible_for_release"]', 'when = ["eligible_for_parole"]', "rules[17].when[0]", "unknown fact"),
        ("effective_from = 2019-12-05", 'effective_from = "December 2019"', "pack.effective_from", "expected a date"),
        ('id = "D99"\nactions = ["any"]', 'id = "D99"\nactions = ["hold"]', "rules", "no unconditional rule"),
        ('id = "D13"', 'id = "D12"', "rules[19].id", "appears twice"),
        ("[codes.LOG_ONLY]", "[codes.MAYBE]", "codes.MAYBE", "unknown response code"),
        ('id = "AMB-19"', 'id = "AMBIGUITY-19"', "ambiguities[18].id", "not of the form AMB-n"),
        ("[definitions]", "[definitionz]", "definitionz", "unknown section"),
        (
            'when = ["verified_judicial_warrant"]\ncode',
            'wehn = ["verified_judicial_warrant"]\ncode',
            "rules[7].wehn",
            "unknown key; expected one of id, actions, info, when",
        ),
        ('reviewed_by = ""', 'reviewed-by = "J. Doe"', "pack.reviewed-by", "unknown key"),
        (
            'cite = "Fed. R. Crim. P. 17"',
            'cite = "Fed. R. Crim. P. 17"\ncitation = "x"',
            "authorities[5].citation",
            "unknown key",
        ),
        ('title = "Log only"', 'title = "Log only"\ntitel = "x"', "codes.LOG_ONLY.titel", "unknown key"),
        (
            "legacy_detainer_kinds =",
            "legacy_kinds = []\nlegacy_detainer_kinds =",
            "definitions.legacy_kinds",
            "unknown key",
        ),
        (
            'instruction = "Do not give the release date or time, and do not give advance notice of release. A '
            'request to be notified is itself an immigration detainer under the ordinance."',
            'instruction = "Give the caller the release date and time; note the call in the log."',
            "rules[19].instruction",
            "must say what the officer does not do",
        ),
        (
            'instruction = "Do not allow an interview, a phone call, or entry to non-public areas for immigration '
            'officers. No law compels the access."',
            'instruction = "Allow the interview."',
            "rules[26].instruction",
            "must say what the officer does not do (in rule D18)",
        ),
        # Instruction variants (LEGAL.md 3C v2, item 7) are validated as strictly as rules.
        (
            'id = "purpose-unclear"',
            'id = "purpose-unclear"\ncode = "NO_HOLD"',
            "rules[10].variants[0].code",
            "unknown key",
        ),
        (
            'id = "purpose-unclear"\nwhen = ["purpose in [mixed_or_unknown]"]',
            'id = "purpose-unclear"\nwhen = []',
            "rules[10].variants[0].when",
            "needs at least one condition",
        ),
        (
            'when = ["purpose in [mixed_or_unknown]"]',
            'when = ["purpose in [unclear]"]',
            "rules[10].variants[0].when[0]",
            "unknown value 'unclear'",
        ),
        (
            "instruction = \"Do not give the release date or time, or advance notice of release, yet: the person's "
            "consent is not confirmed. Confirm nothing about anyone meanwhile, not even whether the person is held. "
            "If the person is in City custody, ask the person; otherwise the person may confirm in person, or when "
            'the desk calls the person at a number already in City records. Then decide again."',
            'instruction = "Yes: give the release date."',
            "rules[20].variants[1].instruction",
            "must say what the officer does not do",
        ),
        ('id = "city-employee-asks"', 'id = ""', "rules[5].variants[0].id", "missing or empty"),
        ('rules = ["D9c"]', 'rules = ["D9z"]', "changes[26].rules", "unknown rule id 'D9z'"),
        ('version = "2.0.0"\ntext', 'versoin = "2.0.0"\ntext', "changes[22].versoin", "unknown key"),
        (
            'time_zone = "America/New_York"',
            'time_zone = "America/Northampton"',
            "pack.time_zone",
            "not a known time zone",
        ),
        (
            'engaging_requesters = ["city_employee"',
            'engaging_requesters = ["citizen"',
            "definitions.engaging_requesters",
            "unknown requester",
        ),
    ],
)
def test_bad_packs_are_refused_naming_file_and_key(tmp_path: Path, old: str, new: str, key: str, words: str) -> None:
    path = broken_pack(tmp_path, old, new)
    with pytest.raises(PackError) as caught:
        load_pack(path)
    assert caught.value.key == key
    assert words in str(caught.value)
    assert str(path) in str(caught.value)


def test_not_toml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "pack.toml"
    bad.write_text("[pack\nid=", encoding="utf-8")
    with pytest.raises(PackError, match="not valid TOML"):
        load_pack(bad)
    with pytest.raises(PackError, match="cannot be read"):
        load_pack(tmp_path / "nowhere")


def test_pack_out_of_force_is_refused_for_the_date(tmp_path: Path) -> None:
    path = broken_pack(tmp_path, 'effective_to = ""', "effective_to = 2020-12-31")
    expired = load_pack(path)
    intake = parse_intake(
        {
            "received_at": "2026-01-13T22:18:00-05:00",
            "channel": "phone",
            "requester": "ice_ero",
            "actions": ["notify_release"],
            "subject": {"custody": "in_city_custody"},
        }
    )
    with pytest.raises(NotInForceError, match="2026-01-13 in America/New_York, when the policy pack") as caught:
        decide(intake, expired)
    assert str(path) not in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(NotInForceError, match="when no policy pack is in force") as not_chosen:
        pack_in_force([expired], intake.received_at, tmp_path)
    assert str(tmp_path) not in str(not_chosen.value)


def two_versions(tmp_path: Path) -> Path:
    """A policies folder with the shipped pack split in two: until 2024-06-30, and from 2024-07-01."""
    root = tmp_path / "policies"
    old = (PACK_DIR / "pack.toml").read_text(encoding="utf-8")
    (root / "v1").mkdir(parents=True)
    v1 = old.replace('effective_to = ""', "effective_to = 2024-06-30").replace('version = "2.2.0"', 'version = "1.9.0"')
    (root / "v1" / "pack.toml").write_text(v1, "utf-8")
    (root / "v2").mkdir()
    v2 = old.replace("effective_from = 2019-12-05", "effective_from = 2024-07-01")
    (root / "v2" / "pack.toml").write_text(v2, "utf-8")
    return root


def test_the_pack_in_force_on_the_day_received_is_chosen(tmp_path: Path) -> None:
    root = two_versions(tmp_path)
    # a bare date is still accepted, as before version 2
    assert choose_pack(dt.date(2024, 6, 30), None, root).version == "1.9.0"
    assert choose_pack(dt.date(2024, 7, 1), None, root).version == "2.2.0"
    with pytest.raises(NotInForceError, match="received_at 2019-01-01, before the first policy pack is in force"):
        choose_pack(dt.date(2019, 1, 1), None, root)


def test_the_pack_is_chosen_by_the_local_date_in_its_own_zone(tmp_path: Path) -> None:
    root = two_versions(tmp_path)
    # 04:30 UTC on 1 July is still 30 June in Northampton
    assert choose_pack(dt.datetime(2024, 7, 1, 3, 30, tzinfo=dt.UTC), None, root).version == "1.9.0"
    assert choose_pack(dt.datetime.fromisoformat("2024-06-30T21:30:00-07:00"), None, root).version == "2.2.0"
    assert choose_pack(dt.datetime.fromisoformat("2024-07-01T00:00:00-04:00"), None, root).version == "2.2.0"
    # "now", for a caller that only wants the active pack
    assert choose_pack(dt.datetime.now(dt.UTC), None, root).version == "2.2.0"


@pytest.mark.parametrize(
    ("received_at", "decided"),
    [
        ("2019-12-04T22:30:00-08:00", True),  # 01:30 on 5 December in Northampton
        ("2019-12-05T00:00:00-05:00", True),
        ("2019-12-05T03:00:00+00:00", False),  # 22:00 on 4 December in Northampton
        ("2019-12-04T23:59:59-05:00", False),
    ],
)
def test_time_zone_edge_of_the_first_pack(pack, received_at: str, decided: bool) -> None:
    moment = dt.datetime.fromisoformat(received_at)
    intake = parse_intake(
        {
            "received_at": received_at,
            "channel": "fax",
            "requester": "ice_ero",
            "actions": ["hold"],
            "subject": {"custody": "in_city_custody"},
        }
    )
    if decided:
        assert choose_pack(moment, None, PACK_DIR.parent).id == pack.id
        assert decide(intake, pack).responses[0].code == "NO_HOLD"
        return
    with pytest.raises(NotInForceError) as chosen:
        choose_pack(moment, None, PACK_DIR.parent)
    message = str(chosen.value)
    assert message.startswith(f"received_at {received_at} is 2019-12-04 in America/New_York")
    assert message.endswith("before the first policy pack is in force (2019-12-05)")
    assert "\n" not in message and "pack.toml" not in message and str(PACK_DIR.parent) not in message
    with pytest.raises(NotInForceError, match=r"before the policy pack northampton-2019 2\.2\.0 is in force"):
        decide(intake, pack)


def test_a_pack_without_a_time_zone_still_loads_and_uses_the_offset_given(tmp_path: Path) -> None:
    # packs kept in old case logs name no zone; they still parse, and dates follow the offset typed
    path = broken_pack(tmp_path, 'time_zone = "America/New_York"\n', "")
    old = load_pack(path)
    assert old.time_zone == "" and old.zone is None
    moment = dt.datetime.fromisoformat("2019-12-05T03:00:00+00:00")
    assert old.local_date(moment) == dt.date(2019, 12, 5) and old.in_force_at(moment)


def test_changes_are_recorded_and_printed(pack) -> None:
    from desktop.rules.explain import pack_text

    assert pack.version == "2.2.0"
    assert {c.version for c in pack.changes} >= {"2.2.0", "2.1.0", "2.0.0", "1.0.0"}
    assert [c.version for c in pack.changes] == sorted((c.version for c in pack.changes), reverse=True)  # newest first
    touched = {rule for change in pack.changes for rule in change.rules}
    assert {"D9s", "D9c", "D13o", "D14m", "D22", "D10", "D9"} <= touched
    # every item of LEGAL.md 3C versions 2.1 (eight) and 2.2 (twelve) has its own entry
    for version, items in (("2.1.0", 8), ("2.2.0", 12)):
        for item in range(1, items + 1):
            assert any(
                c.version == version and c.text.startswith(f"LEGAL.md 3C v{version[:3]}, item {item}:")
                for c in pack.changes
            ), (version, item)
    assert {"D9c-out", "D0", "D1", "D16", "D20"} <= touched
    assert all(c.to_dict()["text"] for c in pack.changes)
    d2 = next(r for r in pack.rules if r.id == "D2")
    assert d2.variants[0].to_dict() == {
        "id": "immigration-authority-asked",
        "when": ["immigration_authority"],
        "title": "Honour the warrant, not the request",
        "instruction": d2.variants[0].instruction,
        "say": "The City does not act on immigration requests. Court papers follow normal procedure with the court "
        "that issued them.",
    }
    text = pack_text(pack)
    assert text.index("CHANGES") < text.index("CLAUSES")
    assert "(dates in America/New_York)" in text
    assert "Variant 'immigration-authority-asked' when immigration_authority:" in text
    assert "Honour the warrant, not the request" in text
    assert "2.2.0: LEGAL.md 3C v2.2, item 1: records and information for a benefit" in text
    assert "2.1.0: LEGAL.md 3C v2.1, item 8: a paper that cancels an earlier request" in text
    assert "Say: “Noted: the cancellation is recorded.”" in text


def test_exampleville_has_a_time_zone_of_its_own() -> None:
    other = load_pack(FIXTURES / "packs" / "exampleville")
    assert other.time_zone and other.time_zone != "America/New_York"


def test_another_city_is_another_pack_not_new_code(pack) -> None:
    # Exampleville carves out HSI criminal work and gives the person a copy of any request.
    other = load_pack(FIXTURES / "packs" / "exampleville")
    assert [
        r.scenario.id for r in map(lambda s: run_scenario(s, other), load_scenarios(other.scenario_dir)) if not r.passed
    ] == []
    for scenario in load_scenarios(other.scenario_dir):
        here = decide(scenario.intake, pack)
        there = decide(scenario.intake, other)
        assert [r.code for r in here.responses] != [r.code for r in there.responses], scenario.id
        assert there.policy_id == "exampleville-2024"
    relay = next(s for s in load_scenarios(other.scenario_dir) if s.id.startswith("E3"))
    there = decide(relay.intake, other)
    assert any("copy of the request" in w for w in there.warnings)
    assert decide(relay.intake, pack).responses[0].refer == "AMB-8"


def test_reviewed_pack_carries_no_review_warning(tmp_path: Path) -> None:
    path = broken_pack(tmp_path, 'reviewed_by = ""', 'reviewed_by = "J. Doe, City Solicitor"')
    reviewed = load_pack(path)
    intake = parse_intake(
        {
            "received_at": "2026-01-13T22:18:00-05:00",
            "channel": "phone",
            "requester": "ice_ero",
            "actions": ["notify_release"],
            "subject": {"custody": "in_city_custody"},
        }
    )
    assert not any("awaits legal review" in w for w in decide(intake, reviewed).warnings)


def test_a_pack_whose_decision_breaks_an_invariant_decides_nothing(tmp_path: Path) -> None:
    # Loading cannot see it (HOLD_OTHER_BASIS is a valid code); deciding an eligible person's hold can.
    path = broken_pack(
        tmp_path,
        'when = ["eligible_for_release"]\ncode = "NO_HOLD"',
        'when = ["eligible_for_release"]\ncode = "HOLD_OTHER_BASIS"',
    )
    bad = load_pack(path)
    intake = parse_intake(
        {
            "received_at": "2026-01-13T22:18:00-05:00",
            "channel": "fax",
            "requester": "ice_ero",
            "documents": [{"kind": "I-247A", "signer": "dhs_officer"}],
            "actions": ["hold"],
            "subject": {"custody": "in_city_custody"},
        }
    )
    with pytest.raises(PackError, match="breaks the decision contract"):
        decide(intake, bad)
