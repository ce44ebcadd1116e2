"""A policy pack's model: the frozen values a validated pack is made of (reading is desktop.rules.reader).

Nothing here reads a file: `desktop.rules.reader` turns TOML into these values, and
`desktop.rules.catalog` finds the packs of a folder and picks the one in force on a date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.errors import BadInput
from desktop.rules.conditions import Condition
from desktop.rules.facts import Definitions
from desktop.rules.jurisdiction import Department, Guidance
from desktop.rules.notice import NoticeSettings

PACK_FILE = "pack.toml"
SCENARIO_DIR = "scenarios"
ANY_ACTION = "any"
SAY_MAX = 240  # one line read out at the counter or on the phone
AMBIGUITY_ID = re.compile(r"^AMB-\d+$")


class PackError(BadInput, ValueError):
    """A policy pack that cannot be used; the message names the file and the key."""

    def __init__(self, source: Path | str, key: str, problem: str) -> None:
        super().__init__(f"{source}: {key}: {problem}")
        self.source = str(source)
        self.key = key
        self.problem = problem


class NotInForceError(PackError):
    """No pack is in force on the request's local date: one line naming `received_at`, no file path.

    The packs are fine; the request's date is what the officer must check, so the message speaks
    of the date only (LEGAL.md 3C version 2, item 8).
    """

    def __init__(self, problem: str) -> None:
        ValueError.__init__(self, problem)
        self.source = ""
        self.key = "received_at"
        self.problem = problem


@dataclass(frozen=True)
class Clause:
    """A clause of the ordinance, word for word."""

    id: str
    title: str
    text: str
    lead: str | None = None


@dataclass(frozen=True)
class Authority:
    """A case, statute, regulation or policy a rule rests on."""

    id: str
    cite: str
    url: str | None = None


@dataclass(frozen=True)
class Ambiguity:
    """An open question of interpretation (LEGAL.md 3D) and what to do meanwhile."""

    id: str
    issue: str
    meanwhile: str


@dataclass(frozen=True)
class CodeText:
    """The plain-words title and memo wording of a response code."""

    code: str
    title: str
    wording: str
    say: str = ""  # what the officer may say to the requester, in plain words (empty: the pack gives none)


@dataclass(frozen=True)
class Variant:
    """Other words for a rule's instruction (and short title) where its `when` lines hold (3C v2, item 7).

    A variant changes only what the officer is told, never the response code, the citations or the
    referral: the words must be true of the facts in hand.
    """

    id: str
    when: tuple[Condition, ...]
    instruction: str
    title: str | None = None
    say: str | None = None  # what to say to the requester where these words apply, instead of the rule's

    def to_dict(self) -> dict[str, Any]:
        """For `policy show --json`."""
        return {
            "id": self.id,
            "when": [c.text for c in self.when],
            "title": self.title,
            "instruction": self.instruction,
            "say": self.say,
        }


@dataclass(frozen=True)
class Change:
    """One entry of the pack's change log: what changed in a version, and the rules it touched."""

    version: str
    text: str
    rules: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "text": self.text, "rules": list(self.rules)}


@dataclass(frozen=True)
class Rule:
    """One row of the first-match table."""

    id: str
    actions: tuple[str, ...]
    info: tuple[str, ...]
    when: tuple[Condition, ...]
    code: str
    instruction: str
    clauses: tuple[str, ...]
    authorities: tuple[str, ...]
    refer: str | None
    considers: tuple[str, ...]
    title: str | None = None  # a short title for this rule's response, instead of the code's own
    variants: tuple[Variant, ...] = ()  # tried in order; the first whose `when` lines all hold gives the words
    say: str | None = None  # what to say to the requester, instead of the code's own line

    def applies_to(self, action: str, info: str | None) -> bool:
        if ANY_ACTION not in self.actions and action not in self.actions:
            return False
        return not (self.info and info is not None and info not in self.info)


@dataclass(frozen=True)
class WarningRule:
    """A warning shown with the decision when its conditions hold."""

    id: str
    when: tuple[Condition, ...]
    text: str


@dataclass(frozen=True)
class Pack:
    """A validated policy pack: metadata, ordinance text, definitions, rules and warnings."""

    id: str
    version: str
    jurisdiction: str
    instrument: str
    source_url: str
    effective_from: dt.date
    effective_to: dt.date | None
    reviewed_by: str
    reviewed_on: str
    summary: str
    definitions: Definitions
    clauses: Mapping[str, Clause]
    authorities: Mapping[str, Authority]
    ambiguities: Mapping[str, Ambiguity]
    codes: Mapping[str, CodeText]
    rules: tuple[Rule, ...]
    warnings: tuple[WarningRule, ...]
    sha256: str
    path: Path
    time_zone: str = ""  # IANA name, e.g. "America/New_York"; empty only in packs kept from before v2
    changes: tuple[Change, ...] = ()  # newest first, as written in the pack
    department: Department = Department()  # the memo's heading, counsel's title and contact
    guidance: Guidance = Guidance()  # presets, desk cues and hints the window shows
    notice: NoticeSettings = NoticeSettings()  # the notice to the person: what it holds, its words per language

    @property
    def zone(self) -> dt.tzinfo | None:
        """The pack's time zone, or None for an old pack that names none (dates then follow the offset typed)."""
        if not self.time_zone:
            return None
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.time_zone)

    def local_time(self, moment: dt.datetime) -> dt.datetime:
        """`moment` on the clock of the pack's jurisdiction (LEGAL.md 3C version 2, item 8)."""
        zone = self.zone
        return moment.astimezone(zone) if zone is not None else moment

    def local_date(self, moment: dt.datetime) -> dt.date:
        """The jurisdiction's date at `moment`: the day that chooses the pack, numbers cases and files reports."""
        return self.local_time(moment).date()

    @property
    def scenario_dir(self) -> Path:
        return self.path.parent / SCENARIO_DIR

    @property
    def awaiting_review(self) -> bool:
        return not self.reviewed_by.strip()

    def in_force(self, day: dt.date) -> bool:
        """In force on `day`, a date in the pack's own time zone (see local_date)."""
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def in_force_at(self, moment: dt.datetime) -> bool:
        """In force at `moment`, judged by the local date in the pack's time zone."""
        return self.in_force(self.local_date(moment))

    def describe_moment(self, moment: dt.datetime) -> str:
        """E.g. "2019-12-05T03:00:00+00:00 is 2019-12-04 in America/New_York", for one-line refusals."""
        local = self.local_date(moment).isoformat()
        where = f"in {self.time_zone}" if self.time_zone else "at the offset given"
        return f"{moment.isoformat()} is {local} {where}"

    def say_line(self, rule: Rule | None, variant: Variant | None, code: str) -> str:
        """What the officer says to the requester: the variant's words, else the rule's, else the code's; or ""."""
        if variant is not None and variant.say:
            return variant.say
        if rule is not None and rule.say:
            return rule.say
        code_text = self.codes.get(code)
        return code_text.say if code_text is not None else ""

    def say_for(self, response: Mapping[str, Any]) -> str:
        """The say line of a response recorded before decisions carried their own `say` (a decision's dict).

        A decision made since pack version 2.2 carries the words it was given; read those instead.
        """
        rule = next((r for r in self.rules if r.id == response.get("rule")), None)
        variant = None if rule is None else next((v for v in rule.variants if v.id == response.get("variant")), None)
        return self.say_line(rule, variant, str(response.get("code")))

    def period(self) -> str:
        if self.effective_to is None:
            return f"from {self.effective_from.isoformat()} until replaced"
        return f"from {self.effective_from.isoformat()} to {self.effective_to.isoformat()}"
