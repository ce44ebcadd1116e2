"""The pack's "what to say" lines: strictly validated, given for every code, rule and variant of the shipped pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.rules import load_pack
from desktop.rules.pack import PackError
from desktop.rules.reader import parse_pack
from desktop.rules.sayline import say_problem
from tests.conftest import PACK_DIR


def test_every_code_rule_and_variant_of_the_pack_says_something() -> None:
    pack = load_pack(PACK_DIR)
    assert all(c.say for c in pack.codes.values())
    for rule in pack.rules:
        assert rule.say, rule.id
        for variant in rule.variants:
            assert variant.say, (rule.id, variant.id)


def test_say_for_prefers_the_variant_then_the_rule_then_the_code() -> None:
    pack = load_pack(PACK_DIR)
    rule = next(r for r in pack.rules if r.variants)
    variant = rule.variants[0]
    assert pack.say_for({"rule": rule.id, "variant": variant.id, "code": rule.code}) == variant.say
    assert pack.say_for({"rule": rule.id, "variant": None, "code": rule.code}) == rule.say
    assert pack.say_for({"rule": "no such rule", "code": "DECLINE_NOTIFY"}) == pack.codes["DECLINE_NOTIFY"].say
    assert "release information" in pack.say_for({"rule": "D13", "code": "DECLINE_NOTIFY"})


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('say = ""', "missing or empty"),
        ('say = "Two\\nlines"', "one line"),
        (f'say = "{"x" * 241}"', "one line"),
        ('say = "Code [NO_HOLD] applies"', "no response codes"),
        ('say = "See AMB-3"', "no response codes"),
        ("say = 3", "expected text"),
        # LEGAL.md 3B (version 2.2), "A rule for every say line", where a machine can see it:
        # a code or an id
        ('say = "NO_HOLD applies here."', "no response codes, rule ids"),
        ('say = "Rule D11 says no."', "no response codes, rule ids"),
        ('say = "As D9c-out says, call back."', "no response codes, rule ids"),
        ('say = "Under B3 the City does not hold anyone."', "no response codes, rule ids"),
        ('say = "ENF-B lets us share status."', "no response codes, rule ids"),
        ('say = "See W-MINOR."', "no response codes, rule ids"),
        ('say = "We use the city-employee-asks words."', "no response codes, rule ids"),
        # a clock time or a date
        ('say = "The person leaves at 10:30."', "no clock time"),
        ('say = "Bail was posted at 10 p.m."', "no clock time"),
        ('say = "Release is at 2200 hours."', "no clock time"),
        ('say = "Release is at midnight."', "no clock time"),
        ('say = "Court is on 2026-03-02."', "no date"),
        ('say = "Court is on 3/2."', "no date"),
        ('say = "Court is on March 2."', "no date"),
        ('say = "Court is on the 2nd of March."', "no date"),
        ('say = "Court is on Monday."', "no date"),
        ('say = "He was arrested in 2025."', "no date"),
        # a paper's name
        ('say = "The I-247A is not honoured."', "no paper's name"),
        ('say = "The AO 442 is confirmed."', "no paper's name"),
        ('say = "Form I-918 goes to the Solicitor."', "no paper's name"),
        ('say = "A Warrant for Arrest of Alien is not a warrant."', "no paper's name"),
        ('say = "The Notice to Appear is not ours to serve."', "no paper's name"),
        ('say = "The state_warrant is confirmed."', "no paper's name"),
        ('say = "The writ of habeas corpus is followed."', "no paper's name"),
    ],
)
def test_a_bad_say_line_is_refused_naming_its_key(line: str, problem: str) -> None:
    raw = (Path(PACK_DIR) / "pack.toml").read_text(encoding="utf-8")
    marker = "[codes.NO_HOLD]\n"
    start = raw.index(marker)
    end = raw.index("\n\n", start)
    block = "\n".join(x for x in raw[start:end].split("\n") if not x.startswith("say ="))
    bad = raw[:start] + block + "\n" + line + raw[end:]
    with pytest.raises(PackError) as caught:
        parse_pack(bad.encode("utf-8"), Path("pack.toml"))
    assert caught.value.key == "codes.NO_HOLD.say" and problem in caught.value.problem


def test_say_is_optional_in_the_format() -> None:
    raw = (Path(PACK_DIR) / "pack.toml").read_text(encoding="utf-8")
    without = "\n".join(x for x in raw.split("\n") if not x.startswith("say ="))
    pack = parse_pack(without.encode("utf-8"), Path("pack.toml"))
    assert pack.say_for({"rule": "D13", "code": "DECLINE_NOTIFY"}) == ""


@pytest.mark.parametrize(
    "line",
    [
        "The City does not hold or delay anyone's release on this request.",
        "The paper goes to the City Solicitor today, who will answer it.",  # D5: "today" is not a date
        "The City does not answer immigration subpoenas voluntarily. It has gone to the City Solicitor.",
        "A court's order is answered; a warrant follows normal procedure.",  # nouns in general, not a paper's name
        "We hold no one for 48 hours or any other time.",  # a length of time, not a clock time
        "I can't confirm anything about anyone without that person's consent.",
    ],
)
def test_plain_words_pass(line: str) -> None:
    assert say_problem(line, frozenset({"D11", "city-employee-asks", "B3"})) is None


def test_every_say_line_of_the_pack_passes_and_the_checker_sees_each_place(tmp_path: Path) -> None:
    pack = load_pack(PACK_DIR)
    ids = frozenset({r.id for r in pack.rules})
    lines = [c.say for c in pack.codes.values()] + [r.say or "" for r in pack.rules]
    lines += [v.say or "" for r in pack.rules for v in r.variants]
    assert [line for line in lines if say_problem(line, ids)] == []
    raw = (Path(PACK_DIR) / "pack.toml").read_text(encoding="utf-8")
    for old, new, key in (
        (
            'say = "The City does not hold anyone on an immigration request."\nclauses',
            'say = "The City releases people at 10:30 at the latest."\nclauses',
            "rules[17].say",
        ),
        (
            'say = "The City does not hold or delay anyone\'s release on this request."\n\n[[rules]]',
            'say = "The I-247A adds no time."\n\n[[rules]]',
            "rules[17].variants[0].say",
        ),
    ):
        assert old in raw, old
        with pytest.raises(PackError) as caught:
            parse_pack(raw.replace(old, new, 1).encode("utf-8"), Path("pack.toml"))
        assert caught.value.key == key and "(in rule D11)" in caught.value.problem
