"""The pack's "what to say" lines: strictly validated, given for every code, rule and variant of the shipped pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.rules import load_pack
from desktop.rules.pack import PackError
from desktop.rules.reader import parse_pack
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
