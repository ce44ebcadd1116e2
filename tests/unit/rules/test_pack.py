"""Tests for desktop.rules.pack: the shipped pack is faithful to the ordinance, and bad packs are refused."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from desktop.rules import PackError, decide, load_pack, parse_intake
from desktop.rules.checks import load_scenarios, run_scenario
from desktop.rules.pack import choose_pack, pack_in_force, parse_condition
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


def test_pack_scenarios_cover_every_rule_and_code(pack) -> None:
    scenarios = load_scenarios(pack.scenario_dir)
    results = [run_scenario(s, pack) for s in scenarios]
    assert [r.scenario.id for r in results if not r.passed] == []
    fired_rules = {resp.rule for r in results for resp in r.decision.responses}
    fired_codes = {resp.code for r in results for resp in r.decision.responses}
    assert fired_rules == {rule.id for rule in pack.rules}
    assert fired_codes == set(RESPONSE_CODES)


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
        ('clauses = ["B3", "DEF-DET", "DEF-ELIG", "A"]', 'clauses = ["B3", "Z9"]', "rules[13].clauses", "'Z9'"),
        ('code = "NO_HOLD"', 'code = "MAYBE_HOLD"', "rules[13].code", "unknown response code"),
        (
            'actions = ["hold"]\nwhen = ["eligible_for_release"]',
            'actions = ["juggle"]\nwhen = ["eligible_for_release"]',
            "rules[13].actions",
            "unknown action 'juggle'",
        ),
        (
            'instruction = "Do not hold or delay release, not even for minutes. Release at the normal time under '
            'state law; the immigration request adds no time. Do not call ICE."\n',
            "",
            "rules[13].instruction",
            "missing or empty",
        ),
        (
            'instruction = "Do not hold or delay release',
            'instructions = "Do not hold or delay release',
            "rules[13].instructions",
            "unknown key",
        ),
        ('refer = "AMB-19"\n', "", "rules[26].refer", "must name its ambiguity"),
        ('refer = "AMB-19"', 'refer = "AMB-99"', "rules[26].refer", "unknown ambiguity"),
        ('when = ["eligible_for_release"]', 'when = ["eligible_for_parole"]', "rules[13].when[0]", "unknown fact"),
        ("effective_from = 2019-12-05", 'effective_from = "December 2019"', "pack.effective_from", "expected a date"),
        ('id = "D99"\nactions = ["any"]', 'id = "D99"\nactions = ["hold"]', "rules", "no unconditional rule"),
        ('id = "D13"', 'id = "D12"', "rules[15].id", "appears twice"),
        ("[codes.LOG_ONLY]", "[codes.MAYBE]", "codes.MAYBE", "unknown response code"),
        ('id = "AMB-19"', 'id = "AMBIGUITY-19"', "ambiguities[18].id", "not of the form AMB-n"),
        ("[definitions]", "[definitionz]", "definitionz", "unknown section"),
        (
            'when = ["verified_judicial_warrant"]',
            'wehn = ["verified_judicial_warrant"]',
            "rules[2].wehn",
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
            "rules[15].instruction",
            "must say what the officer does not do",
        ),
        (
            'instruction = "Do not allow an interview, a phone call, or entry to non-public areas for immigration '
            'officers. No law compels the access."',
            'instruction = "Allow the interview."',
            "rules[20].instruction",
            "must say what the officer does not do (in rule D18)",
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
    with pytest.raises(PackError, match="not on 2026-01-13"):
        decide(intake, expired)
    with pytest.raises(PackError, match="no policy pack is in force on 2026-01-13"):
        pack_in_force([expired], dt.date(2026, 1, 13), tmp_path)


def test_the_pack_in_force_on_the_day_received_is_chosen(tmp_path: Path) -> None:
    root = tmp_path / "policies"
    old = (PACK_DIR / "pack.toml").read_text(encoding="utf-8")
    (root / "v1").mkdir(parents=True)
    (root / "v1" / "pack.toml").write_text(old.replace('effective_to = ""', "effective_to = 2024-06-30"), "utf-8")
    (root / "v2").mkdir()
    v2 = old.replace("effective_from = 2019-12-05", "effective_from = 2024-07-01").replace(
        'version = "1.0.0"', 'version = "2.0.0"'
    )
    (root / "v2" / "pack.toml").write_text(v2, "utf-8")
    assert choose_pack(dt.date(2024, 6, 30), None, root).version == "1.0.0"
    assert choose_pack(dt.date(2024, 7, 1), None, root).version == "2.0.0"
    with pytest.raises(PackError, match="no policy pack is in force on 2019-01-01"):
        choose_pack(dt.date(2019, 1, 1), None, root)


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
