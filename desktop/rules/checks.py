"""Scenario files and the contract's invariants: how a pack proves it decides as counsel expects."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.rules import vocab
from desktop.rules.engine import Decision, decide
from desktop.rules.intake import Intake, IntakeError, parse_intake
from desktop.rules.invariants import invariant_violations
from desktop.rules.pack import NotInForceError, Pack


@dataclass(frozen=True)
class Words:
    """Phrases a response's words must not hold (`lacks`), one of which they must hold (`has_any`), or the
    exact line (`equals`, for a say line); matched case-insensitively (LEGAL.md 3C version 2.1)."""

    lacks: tuple[str, ...] = ()
    has_any: tuple[str, ...] = ()
    equals: str | None = None
    has_all: tuple[str, ...] = ()

    def problems(self, text: str, what: str) -> list[str]:
        folded = text.casefold()
        found = [f"{p!r} is in {what}: {text!r}" for p in self.lacks if p.casefold() in folded]
        if self.has_any and not any(p.casefold() in folded for p in self.has_any):
            found.append(f"none of {list(self.has_any)!r} is in {what}: {text!r}")
        found += [f"{p!r} is not in {what}: {text!r}" for p in self.has_all if p.casefold() not in folded]
        if self.equals is not None and text != self.equals:
            found.append(f"{what} is {text!r}, expected {self.equals!r}")
        return found


@dataclass(frozen=True)
class Expectation:
    """The codes allowed for one response of a scenario, and optionally its rule, wording and say line."""

    action: str
    info: str | None
    codes: tuple[str, ...]
    rule: str | None = None  # optional: the rule id counsel expects to decide it
    variant: str | None = None  # optional: the rule's wording expected ("" for the rule's own words)
    wording: Words | None = None  # optional: phrases of the title and instruction (LEGAL.md 3C v2.1)
    say: Words | None = None  # optional: phrases, or the exact words, of the say line (pack 2.2)


@dataclass(frozen=True)
class Scenario:
    """A named fact pattern with the responses counsel expects (the contract's scenario format)."""

    id: str
    title: str
    intake: Intake
    expect: tuple[Expectation, ...]
    invariants_only: bool
    source: Path
    refused: str | None = None  # the request must be refused, with a one-line message containing this
    warnings: Words | None = None  # optional: phrases the decision's warnings must hold or lack


EXPECT_KEYS = ("action", "info", "codes", "rule", "variant", "wording", "say")


def _words(path: Path, where: str, value: object, keys: tuple[str, ...]) -> Words | None:
    """An optional `wording` or `say` object: lists of phrases (`lacks`, `has_any`), or `equals` for a say line."""
    if value is None:
        return None
    if not isinstance(value, dict) or not value or any(k not in keys for k in value):
        raise ValueError(f"{path}: {where} must be an object with {' and/or '.join(keys)}")
    lists = {}
    for key in ("lacks", "has_any", "has_all"):
        phrases = value.get(key, [])
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p for p in phrases):
            raise ValueError(f"{path}: {where}.{key} must be a list of phrases")
        lists[key] = tuple(phrases)
    equals = value.get("equals")
    if equals is not None and not isinstance(equals, str):
        raise ValueError(f"{path}: {where}.equals must be the exact words")
    return Words(lists["lacks"], lists["has_any"], equals, lists["has_all"])


def load_scenario(path: Path) -> Scenario:
    """Read one scenario file.

    Raises:
        ValueError: naming the file and what is wrong with it.
    """
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot be read as JSON ({exc})") from None
    if not isinstance(data, dict) or "intake" not in data:
        raise ValueError(f"{path}: expected an object with id, title, intake and expect")
    try:
        intake = parse_intake(data["intake"])
    except IntakeError as exc:
        raise ValueError(f"{path}: intake.{exc}") from None
    expectations = []
    for index, item in enumerate(data.get("expect") or []):
        codes = item.get("codes") if isinstance(item, dict) else None
        if not isinstance(codes, list) or not codes or any(c not in vocab.RESPONSE_CODES for c in codes):
            raise ValueError(f"{path}: expect[{index}].codes must list known response codes")
        unknown = [k for k in item if k not in EXPECT_KEYS]
        if unknown:
            raise ValueError(
                f"{path}: expect[{index}].{unknown[0]}: unknown key; expected one of {', '.join(EXPECT_KEYS)}"
            )
        rule = item.get("rule")
        if rule is not None and not isinstance(rule, str):
            raise ValueError(f"{path}: expect[{index}].rule must be a rule id")
        variant = item.get("variant")
        if variant is not None and not isinstance(variant, str):
            raise ValueError(f'{path}: expect[{index}].variant must be a variant id ("" for the rule\'s own words)')
        wording = _words(path, f"expect[{index}].wording", item.get("wording"), ("lacks", "has_any"))
        say = _words(path, f"expect[{index}].say", item.get("say"), ("lacks", "has_any", "equals"))
        expectations.append(
            Expectation(item.get("action", ""), item.get("info"), tuple(codes), rule, variant, wording, say)
        )
    warnings = _words(path, "warnings", data.get("warnings"), ("lacks", "has_any", "has_all"))
    refused = data.get("refused")
    if refused is not None and (not isinstance(refused, str) or not refused or expectations):
        raise ValueError(f"{path}: refused must be the words the refusal contains, with no expect list")
    return Scenario(
        id=str(data.get("id") or path.stem),
        title=str(data.get("title") or ""),
        intake=intake,
        expect=tuple(expectations),
        invariants_only=bool(data.get("invariants_only", False)),
        source=path,
        refused=refused,
        warnings=warnings,
    )


def load_scenarios(folder: Path) -> list[Scenario]:
    """Every scenario file in a folder, in file-name order."""
    return [load_scenario(p) for p in sorted(folder.glob("*.json"))]


@dataclass(frozen=True)
class ScenarioResult:
    """What one scenario gave, and every way it differs from what was expected."""

    scenario: Scenario
    decision: Decision | None
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


def run_scenario(scenario: Scenario, pack: Pack) -> ScenarioResult:
    """Decide a scenario under the pack and compare with its expectations and the invariants."""
    try:
        decision = decide(scenario.intake, pack)
    except NotInForceError as exc:
        if scenario.refused is None:
            return ScenarioResult(scenario, None, (str(exc),))
        message = str(exc)
        problems = [] if scenario.refused in message else [f"refused, but without {scenario.refused!r}: {message}"]
        if "\n" in message:
            problems.append("the refusal is more than one line")
        return ScenarioResult(scenario, None, tuple(problems))
    except ValueError as exc:
        return ScenarioResult(scenario, None, (str(exc),))
    if scenario.refused is not None:
        return ScenarioResult(scenario, decision, (f"decided, but expected a refusal ({scenario.refused!r})",))
    problems = invariant_violations(scenario.intake, decision, pack)
    if scenario.warnings is not None:
        problems += scenario.warnings.problems("\n".join(decision.warnings), "the warnings")
    if not scenario.invariants_only:
        got = decision.responses
        if len(got) != len(scenario.expect):
            problems.append(f"expected {len(scenario.expect)} responses, got {len(got)}")
        for response, expected in zip(got, scenario.expect, strict=False):
            label = f"{response.action}{f' ({response.info})' if response.info else ''}"
            if (response.action, response.info) != (expected.action, expected.info):
                problems.append(f"response for {label} where {expected.action} ({expected.info}) was expected")
            elif response.code not in expected.codes:
                problems.append(
                    f"{label}: got {response.code} (rule {response.rule}), expected {' or '.join(expected.codes)}"
                )
            elif expected.rule is not None and response.rule != expected.rule:
                problems.append(f"{label}: decided by rule {response.rule}, expected rule {expected.rule}")
            elif expected.variant is not None and (response.variant or "") != expected.variant:
                problems.append(
                    f"{label}: rule {response.rule} gave wording {response.variant or 'its own'!r}, "
                    f"expected {expected.variant or 'its own'!r}"
                )
            else:
                if expected.wording is not None:
                    words = f"{response.title}\n{response.instruction}"
                    problems += [f"{label}: {p}" for p in expected.wording.problems(words, "the wording")]
                if expected.say is not None:
                    problems += [f"{label}: {p}" for p in expected.say.problems(response.say or "", "the say line")]
    return ScenarioResult(scenario, decision, tuple(problems))
