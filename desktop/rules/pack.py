"""Policy packs: load a TOML pack, validate every key, and pick the pack in force on a date."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.rules import vocab
from desktop.rules.facts import FACTS, Definitions
from desktop.rules.jurisdiction import Department, Guidance, parse_department, parse_guidance

PACK_FILE = "pack.toml"
SCENARIO_DIR = "scenarios"
ANY_ACTION = "any"
PACK_KEYS = (
    "id",
    "version",
    "jurisdiction",
    "instrument",
    "source_url",
    "effective_from",
    "effective_to",
    "reviewed_by",
    "reviewed_on",
    "summary",
    "time_zone",
)
RULE_KEYS = (
    "id",
    "actions",
    "info",
    "when",
    "code",
    "title",
    "instruction",
    "variants",
    "clauses",
    "authorities",
    "refer",
    "considers",
    "say",
)
VARIANT_KEYS = ("id", "when", "title", "instruction", "say")
CODE_KEYS = ("title", "wording", "say")
SAY_MAX = 240  # one line read out at the counter or on the phone
CHANGE_KEYS = ("version", "text", "rules")
AMBIGUITY_ID = re.compile(r"^AMB-\d+$")


class PackError(ValueError):
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
class Atom:
    """One test of one fact: `fact`, `not fact`, `fact in [..]` or `fact not in [..]`."""

    fact: str
    negate: bool
    values: tuple[str, ...] | None

    def holds(self, value: object) -> bool:
        result = bool(value) if self.values is None else value in self.values
        return result != self.negate


@dataclass(frozen=True)
class Condition:
    """A condition line of a rule: atoms joined by `or`; a rule's lines all have to hold."""

    text: str
    alternatives: tuple[Atom, ...]

    @property
    def facts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(atom.fact for atom in self.alternatives))


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

    def say_for(self, response: Mapping[str, Any]) -> str:
        """What the officer may say to the requester for a response (a decision's dict): the words of its
        rule's variant, else its rule's, else its code's; empty when the pack gives none."""
        rule = next((r for r in self.rules if r.id == response.get("rule")), None)
        if rule is not None:
            variant = next((v for v in rule.variants if v.id == response.get("variant")), None)
            if variant is not None and variant.say:
                return variant.say
            if rule.say:
                return rule.say
        code = self.codes.get(str(response.get("code")))
        return code.say if code is not None else ""

    def period(self) -> str:
        if self.effective_to is None:
            return f"from {self.effective_from.isoformat()} until replaced"
        return f"from {self.effective_from.isoformat()} to {self.effective_to.isoformat()}"


# --- parsing helpers ---------------------------------------------------------------------------


class _Reader:
    """Reads typed values out of the decoded TOML, naming the key on any error."""

    def __init__(self, source: Path) -> None:
        self.source = source

    def fail(self, key: str, problem: str) -> PackError:
        return PackError(self.source, key, problem)

    def only(self, data: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
        """Refuse keys the pack format does not know: a misspelt `when` must not make a rule a catch-all."""
        for key in data:
            if key not in allowed:
                raise self.fail(
                    f"{where}.{key}" if where else key, f"unknown key; expected one of {', '.join(allowed)}"
                )

    def table(self, data: Mapping[str, Any], key: str, where: str = "") -> Mapping[str, Any]:
        path = f"{where}.{key}" if where else key
        value = data.get(key)
        if not isinstance(value, Mapping):
            raise self.fail(path, "missing or not a table")
        return value

    def text(self, data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
        path = f"{where}.{key}" if where else key
        value = data.get(key, "")
        if not isinstance(value, str):
            raise self.fail(path, f"expected text, got {type(value).__name__}")
        if required and not value.strip():
            raise self.fail(path, "missing or empty")
        return value.strip()

    def say(self, data: Mapping[str, Any], where: str) -> str | None:
        """An optional `say` line: one line of plain words, at most SAY_MAX characters, no codes or rule ids."""
        if "say" not in data:
            return None
        path = f"{where}.say" if where else "say"
        value = self.text(data, "say", where)
        if "\n" in value or len(value) > SAY_MAX:
            raise self.fail(path, f"expected one line of at most {SAY_MAX} characters")
        if re.search(r"\[[A-Z_]+\]|\bAMB-\d+|\bD\d+[a-z]*\b|[A-Z]+_[A-Z_]+", value):
            raise self.fail(path, "is read out to the requester: no response codes, rule ids or AMB ids")
        return value

    def strings(
        self, data: Mapping[str, Any], key: str, where: str, allowed: Sequence[str] | None = None, what: str = "value"
    ) -> tuple[str, ...]:
        path = f"{where}.{key}" if where else key
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(path, "expected a list of text values")
        if allowed is not None:
            for item in value:
                if item not in allowed:
                    raise self.fail(path, f"unknown {what} {item!r}; expected one of {', '.join(allowed)}")
        return tuple(value)

    def date(self, data: Mapping[str, Any], key: str, *, required: bool) -> dt.date | None:
        value = data.get(key)
        if value in (None, "") and not required:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(f"pack.{key}", f"expected a date like 2019-12-05, got {value!r}")


def parse_condition(text: str) -> Condition:
    """Parse one condition line, e.g. `requester not in [court, unknown]` or `not eligible_for_release`.

    Raises:
        ValueError: naming what is wrong with the line.
    """
    alternatives: list[Atom] = []
    for part in text.split(" or "):
        part = part.strip()
        match = re.fullmatch(r"([a-z_]+)\s+(not\s+in|in)\s+\[(.*)\]", part)
        if match:
            fact, operator, raw_values = match.groups()
            values = tuple(v.strip() for v in raw_values.split(",") if v.strip())
            if not values:
                raise ValueError(f"empty list in {part!r}")
            atom = Atom(fact, operator != "in", values)
        else:
            match = re.fullmatch(r"(not\s+)?([a-z_]+)", part)
            if not match:
                raise ValueError(
                    f"cannot read {part!r}; write `fact`, `not fact`, `fact in [a, b]` or `fact not in [a, b]`"
                )
            atom = Atom(match.group(2), match.group(1) is not None, None)
        fact_def = FACTS.get(atom.fact)
        if fact_def is None:
            raise ValueError(f"unknown fact {atom.fact!r}; known facts: {', '.join(sorted(FACTS))}")
        if atom.values is None and fact_def.values is not None:
            raise ValueError(f"{atom.fact!r} takes a value; write `{atom.fact} in [...]`")
        if atom.values is not None:
            if fact_def.values is None:
                raise ValueError(f"{atom.fact!r} is yes/no; write `{atom.fact}` or `not {atom.fact}`")
            for value in atom.values:
                if value not in fact_def.values:
                    raise ValueError(
                        f"unknown value {value!r} for {atom.fact!r}; expected one of {', '.join(fact_def.values)}"
                    )
        alternatives.append(atom)
    return Condition(text, tuple(alternatives))


def _conditions(reader: _Reader, data: Mapping[str, Any], where: str) -> tuple[Condition, ...]:
    lines = reader.strings(data, "when", where)
    parsed = []
    for index, line in enumerate(lines):
        try:
            parsed.append(parse_condition(line))
        except ValueError as exc:
            raise reader.fail(f"{where}.when[{index}]", str(exc)) from None
    return tuple(parsed)


def _definitions(reader: _Reader, data: Mapping[str, Any]) -> Definitions:
    table = reader.table(data, "definitions")
    reader.only(table, [f.name for f in dataclasses.fields(Definitions)], "definitions")

    def kinds(key: str, allowed: Sequence[str], what: str) -> frozenset[str]:
        return frozenset(reader.strings(table, key, "definitions", allowed, what))

    # Added with version 2 of the model: optional, so packs kept in old logs still load (with 3A's values).
    optional: dict[str, frozenset[str]] = {}
    if "administrative_signers" in table:
        optional["administrative_signers"] = kinds("administrative_signers", vocab.SIGNERS, "signer")
    if "engaging_requesters" in table:
        optional["engaging_requesters"] = kinds("engaging_requesters", vocab.REQUESTERS, "requester")

    return Definitions(
        immigration_authorities=kinds("immigration_authorities", vocab.REQUESTERS, "requester"),
        judicial_signers=kinds("judicial_signers", vocab.SIGNERS, "signer"),
        clerk_signed_kinds=kinds("clerk_signed_kinds", vocab.DOCUMENT_KINDS, "document kind"),
        judicial_warrant_kinds=kinds("judicial_warrant_kinds", vocab.DOCUMENT_KINDS, "document kind"),
        court_order_kinds=kinds("court_order_kinds", vocab.DOCUMENT_KINDS, "document kind"),
        court_document_kinds=kinds("court_document_kinds", vocab.DOCUMENT_KINDS, "document kind"),
        immigration_documents=kinds("immigration_documents", vocab.DOCUMENT_KINDS, "document kind"),
        administrative_warrant_kinds=kinds("administrative_warrant_kinds", vocab.DOCUMENT_KINDS, "document kind"),
        detainer_kinds=kinds("detainer_kinds", vocab.DOCUMENT_KINDS, "document kind"),
        legacy_detainer_kinds=kinds("legacy_detainer_kinds", vocab.DOCUMENT_KINDS, "document kind"),
        **optional,
    )


def _records(reader: _Reader, data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, Mapping) for v in value):
        raise reader.fail(key, f"expected one or more [[{key}]] tables")
    return value


def _unique(reader: _Reader, key: str, ids: Sequence[str]) -> None:
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            raise reader.fail(f"{key}[{index}].id", f"{item!r} appears twice")
        seen.add(item)


def _rule(
    reader: _Reader,
    data: Mapping[str, Any],
    where: str,
    clauses: Mapping[str, Clause],
    authorities: Mapping[str, Authority],
    ambiguities: Mapping[str, Ambiguity],
) -> Rule:
    reader.only(data, RULE_KEYS, where)
    rule_id = reader.text(data, "id", where)
    actions = reader.strings(data, "actions", where, (*vocab.ACTIONS, ANY_ACTION), "action")
    if not actions:
        raise reader.fail(f"{where}.actions", 'empty; list the actions the rule answers, or "any"')
    info = reader.strings(data, "info", where, vocab.INFO_KINDS, "info value")
    code = reader.text(data, "code", where)
    if code not in vocab.RESPONSE_CODES:
        raise reader.fail(
            f"{where}.code", f"unknown response code {code!r}; expected one of {', '.join(vocab.RESPONSE_CODES)}"
        )
    instruction = reader.text(data, "instruction", where)
    cited = reader.strings(data, "clauses", where, tuple(clauses), "clause id")
    authority_ids = reader.strings(data, "authorities", where, tuple(authorities), "authority id")
    if not cited and not authority_ids:
        raise reader.fail(where, "cites no clause and no authority; every rule must rest on one")
    refer = reader.text(data, "refer", where, required=False) or None
    if code == "REFER_COUNSEL" and refer is None:
        raise reader.fail(f"{where}.refer", "a REFER_COUNSEL rule must name its ambiguity (AMB-n)")
    if refer is not None and refer not in ambiguities:
        raise reader.fail(f"{where}.refer", f"unknown ambiguity {refer!r}; expected one of {', '.join(ambiguities)}")
    if code in vocab.DECLINING_CODES and not vocab.says_what_not_to_do(instruction):
        raise reader.fail(f"{where}.instruction", f"a {code} instruction must say what the officer does not do")
    considers = reader.strings(data, "considers", where, tuple(FACTS), "fact")
    title = reader.text(data, "title", where, required=False) or None
    say = reader.say(data, where)
    return Rule(
        rule_id,
        actions,
        info,
        _conditions(reader, data, where),
        code,
        instruction,
        cited,
        authority_ids,
        refer,
        considers,
        title,
        _variants(reader, data, where, code),
        say,
    )


def _variants(reader: _Reader, data: Mapping[str, Any], where: str, code: str) -> tuple[Variant, ...]:
    """A rule's [[rules.variants]]: each with an id, at least one condition and its own instruction."""
    raw = data.get("variants", [])
    if not isinstance(raw, list) or not all(isinstance(v, Mapping) for v in raw):
        raise reader.fail(f"{where}.variants", "expected [[rules.variants]] tables")
    variants: list[Variant] = []
    for index, record in enumerate(raw):
        at = f"{where}.variants[{index}]"
        reader.only(record, VARIANT_KEYS, at)
        variant_id = reader.text(record, "id", at)
        if any(v.id == variant_id for v in variants):
            raise reader.fail(f"{at}.id", f"{variant_id!r} appears twice in this rule")
        when = _conditions(reader, record, at)
        if not when:
            raise reader.fail(
                f"{at}.when", "a variant needs at least one condition (the rule's own words are the default)"
            )
        instruction = reader.text(record, "instruction", at)
        if code in vocab.DECLINING_CODES and not vocab.says_what_not_to_do(instruction):
            raise reader.fail(f"{at}.instruction", f"a {code} instruction must say what the officer does not do")
        variants.append(
            Variant(
                variant_id,
                when,
                instruction,
                reader.text(record, "title", at, required=False) or None,
                reader.say(record, at),
            )
        )
    return tuple(variants)


def _changes(reader: _Reader, data: Mapping[str, Any], rule_ids: Sequence[str]) -> tuple[Change, ...]:
    """The optional [[changes]] log: each entry a version, what changed, and the rules it touched."""
    raw = data.get("changes", [])
    if not isinstance(raw, list) or not all(isinstance(c, Mapping) for c in raw):
        raise reader.fail("changes", "expected [[changes]] tables")
    changes: list[Change] = []
    for index, record in enumerate(raw):
        at = f"changes[{index}]"
        reader.only(record, CHANGE_KEYS, at)
        rules = reader.strings(record, "rules", at, tuple(rule_ids), "rule id")
        changes.append(Change(reader.text(record, "version", at), reader.text(record, "text", at), rules))
    return tuple(changes)


def _named_rule(
    reader: _Reader,
    data: Mapping[str, Any],
    index: int,
    clauses: Mapping[str, Clause],
    authorities: Mapping[str, Authority],
    ambiguities: Mapping[str, Ambiguity],
) -> Rule:
    """Read rules[index]; an error also names the rule's id, which is what counsel will look for."""
    try:
        return _rule(reader, data, f"rules[{index}]", clauses, authorities, ambiguities)
    except PackError as exc:
        rule_id = data.get("id")
        if not isinstance(rule_id, str) or not rule_id:
            raise
        raise PackError(exc.source, exc.key, f"{exc.problem} (in rule {rule_id})") from None


def _check_coverage(reader: _Reader, rules: Sequence[Rule]) -> None:
    """Every action (and info value) must reach a rule with no conditions, so no request is left unanswered."""
    for action in vocab.ACTIONS:
        infos: Sequence[str | None] = vocab.INFO_KINDS if action == "share_info" else (None,)
        for info in infos:
            if not any(r.applies_to(action, info) and not r.when for r in rules):
                what = f"{action} ({info})" if info else action
                raise reader.fail("rules", f"no unconditional rule answers {what}; end the table with a catch-all")


def load_pack(path: Path | str) -> Pack:
    """Load and validate a policy pack from its pack.toml (or the folder holding it).

    Raises:
        PackError: naming the file and the key that is wrong.
    """
    path = Path(path)
    if path.is_dir():
        path = path / PACK_FILE
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PackError(path, "file", f"cannot be read ({exc.strerror or exc})") from None
    return parse_pack(raw, path)


def parse_pack(raw: bytes, path: Path) -> Pack:
    """Validate a pack from its bytes (as kept in the case log); `path` names it in errors.

    Raises:
        PackError: naming the file and the key that is wrong.
    """
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise PackError(path, "file", "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise PackError(path, "file", f"is not valid TOML ({exc})") from None

    reader = _Reader(path)
    known_top = {
        "pack",
        "definitions",
        "clauses",
        "authorities",
        "ambiguities",
        "codes",
        "rules",
        "warnings",
        "changes",
        "department",
        "guidance",
    }
    for key in data:
        if key not in known_top:
            raise reader.fail(key, f"unknown section; expected one of {', '.join(sorted(known_top))}")
    meta = reader.table(data, "pack")
    reader.only(meta, PACK_KEYS, "pack")
    for section, keys in (
        ("clauses", ("id", "title", "text", "lead")),
        ("authorities", ("id", "cite", "url")),
        ("ambiguities", ("id", "issue", "meanwhile")),
        ("warnings", ("id", "when", "text")),
    ):
        records = data.get(section, [])
        for i, record in enumerate(records if isinstance(records, list) else []):
            if isinstance(record, Mapping):
                reader.only(record, keys, f"{section}[{i}]")
    clauses = {
        c.id: c
        for c in (
            Clause(
                reader.text(r, "id", f"clauses[{i}]"),
                reader.text(r, "title", f"clauses[{i}]"),
                reader.text(r, "text", f"clauses[{i}]"),
                reader.text(r, "lead", f"clauses[{i}]", required=False) or None,
            )
            for i, r in enumerate(_records(reader, data, "clauses"))
        )
    }
    _unique(reader, "clauses", [reader.text(r, "id", "clauses") for r in data["clauses"]])
    authority_records = _records(reader, data, "authorities")
    _unique(reader, "authorities", [reader.text(r, "id", "authorities") for r in authority_records])
    authorities = {
        a.id: a
        for a in (
            Authority(
                reader.text(r, "id", f"authorities[{i}]"),
                reader.text(r, "cite", f"authorities[{i}]"),
                reader.text(r, "url", f"authorities[{i}]", required=False) or None,
            )
            for i, r in enumerate(authority_records)
        )
    }
    ambiguity_records = _records(reader, data, "ambiguities")
    ambiguities: dict[str, Ambiguity] = {}
    for i, r in enumerate(ambiguity_records):
        amb_id = reader.text(r, "id", f"ambiguities[{i}]")
        if not AMBIGUITY_ID.match(amb_id):
            raise reader.fail(f"ambiguities[{i}].id", f"{amb_id!r} is not of the form AMB-n")
        ambiguities[amb_id] = Ambiguity(
            amb_id, reader.text(r, "issue", f"ambiguities[{i}]"), reader.text(r, "meanwhile", f"ambiguities[{i}]")
        )
    _unique(reader, "ambiguities", [reader.text(r, "id", "ambiguities") for r in ambiguity_records])

    code_table = reader.table(data, "codes")
    codes: dict[str, CodeText] = {}
    for code, entry in code_table.items():
        if code not in vocab.RESPONSE_CODES:
            raise reader.fail(
                f"codes.{code}", f"unknown response code; expected one of {', '.join(vocab.RESPONSE_CODES)}"
            )
        if not isinstance(entry, Mapping):
            raise reader.fail(f"codes.{code}", "expected a table with title and wording")
        reader.only(entry, CODE_KEYS, f"codes.{code}")
        codes[code] = CodeText(
            code,
            reader.text(entry, "title", f"codes.{code}"),
            reader.text(entry, "wording", f"codes.{code}"),
            reader.say(entry, f"codes.{code}") or "",
        )
    missing_codes = [c for c in vocab.RESPONSE_CODES if c not in codes]
    if missing_codes:
        raise reader.fail("codes", f"no wording for {', '.join(missing_codes)}")

    rule_records = _records(reader, data, "rules")
    rules = tuple(_named_rule(reader, r, i, clauses, authorities, ambiguities) for i, r in enumerate(rule_records))
    _unique(reader, "rules", [r.id for r in rules])
    _check_coverage(reader, rules)

    warnings = tuple(
        WarningRule(
            reader.text(r, "id", f"warnings[{i}]"),
            _conditions(reader, r, f"warnings[{i}]"),
            reader.text(r, "text", f"warnings[{i}]"),
        )
        for i, r in enumerate(data.get("warnings", []) if isinstance(data.get("warnings", []), list) else [])
    )
    for i, warning in enumerate(warnings):
        if not warning.when:
            raise reader.fail(f"warnings[{i}].when", "a warning needs at least one condition")

    effective_from = reader.date(meta, "effective_from", required=True)
    assert effective_from is not None
    effective_to = reader.date(meta, "effective_to", required=False)
    if effective_to is not None and effective_to < effective_from:
        raise reader.fail("pack.effective_to", "is before effective_from")

    return Pack(
        id=reader.text(meta, "id", "pack"),
        version=reader.text(meta, "version", "pack"),
        jurisdiction=reader.text(meta, "jurisdiction", "pack"),
        instrument=reader.text(meta, "instrument", "pack", required=False),  # the memo skips an empty one
        source_url=reader.text(meta, "source_url", "pack"),
        effective_from=effective_from,
        effective_to=effective_to,
        reviewed_by=reader.text(meta, "reviewed_by", "pack", required=False),
        reviewed_on=reader.text(meta, "reviewed_on", "pack", required=False),
        summary=reader.text(meta, "summary", "pack", required=False),
        time_zone=_time_zone(reader, meta),
        changes=_changes(reader, data, [r.id for r in rules]),
        department=parse_department(reader, data),
        guidance=parse_guidance(reader, data),
        definitions=_definitions(reader, data),
        clauses=clauses,
        authorities=authorities,
        ambiguities=ambiguities,
        codes=codes,
        rules=rules,
        warnings=warnings,
        sha256=hashlib.sha256(raw).hexdigest(),
        path=path,
    )


def _time_zone(reader: _Reader, meta: Mapping[str, Any]) -> str:
    """The pack's IANA time zone name, checked against the zone database (tzdata on Windows)."""
    name = reader.text(meta, "time_zone", "pack", required=False)
    if not name:
        return ""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise reader.fail(
            "pack.time_zone", f"{name!r} is not a known time zone (expected a name like America/New_York)"
        ) from None
    return name


def discover_packs(root: Path) -> list[Path]:
    """The pack files under a policies folder, one per subfolder, in name order."""
    return sorted(p for p in root.glob(f"*/{PACK_FILE}") if p.is_file())


def _moment(when: dt.datetime | dt.date) -> dt.datetime | None:
    """An aware datetime for `when`, or None for a bare date (the old calling convention)."""
    if isinstance(when, dt.datetime):
        return when if when.tzinfo is not None else when.astimezone()  # naive: this machine's clock
    return None


def pack_in_force(packs: Sequence[Pack], when: dt.datetime | dt.date, source: Path | str) -> Pack:
    """The one pack in force at `when`; refuses a gap or an overlap rather than guessing.

    `when` is the aware `received_at` (or "now"): each pack is judged by the local date in its own
    time zone (LEGAL.md 3C version 2, item 8). A bare date is still accepted and compared as it is
    (the convention before version 2, kept while callers move over).

    Raises:
        NotInForceError: (one line, no file path) when no pack is in force at that moment.
        PackError: when more than one is.
    """
    moment = _moment(when)
    if moment is None:
        day = when if not isinstance(when, dt.datetime) else when.date()
        matching = [p for p in packs if p.in_force(day)]
    else:
        matching = [p for p in packs if p.in_force_at(moment)]
    if not matching:
        raise NotInForceError(_not_in_force(packs, when, moment))
    if len(matching) > 1:
        names = ", ".join(f"{p.id} {p.version}" for p in matching)
        on = moment.isoformat() if moment is not None else when.isoformat()
        raise PackError(source, "effective_from", f"more than one pack is in force on {on}: {names}")
    return matching[0]


def _not_in_force(packs: Sequence[Pack], when: dt.datetime | dt.date, moment: dt.datetime | None) -> str:
    """One line for a request no pack answers: the date, and the first date any pack is in force."""
    if not packs:
        return f"received_at {when.isoformat()}: no policy pack is installed"
    first = min(packs, key=lambda p: p.effective_from)
    said = first.describe_moment(moment) if moment is not None else when.isoformat()
    day = first.local_date(moment) if moment is not None else when
    if day < first.effective_from:
        return f"received_at {said}, before the first policy pack is in force ({first.effective_from.isoformat()})"
    periods = "; ".join(f"{p.id} {p.version} {p.period()}" for p in sorted(packs, key=lambda p: p.effective_from))
    return (
        f"received_at {said}, when no policy pack is in force (the first is in force from "
        f"{first.effective_from.isoformat()}; {periods})"
    )


def choose_pack(when: dt.datetime | dt.date, policy: Path | str | None, root: Path) -> Pack:
    """The pack to decide with: the one named, else the shipped one in force at `when`.

    `when` is the intake's aware `received_at`, or the current moment (`dt.datetime.now(dt.UTC)`)
    for a caller that only wants the pack in force now. A named pack is returned as it is; decide()
    still refuses a request outside its period.

    Raises:
        NotInForceError: when no shipped pack is in force at `when` (one line, no file path).
        PackError: when the named pack is bad, no pack is installed, or two are in force at once.
    """
    if policy is not None:
        return load_pack(policy)
    files = discover_packs(root)
    if not files:
        raise PackError(root, "policies", "no policy pack found (expected <name>/pack.toml)")
    return pack_in_force([load_pack(f) for f in files], when, root)
