"""A policy pack's reader: TOML in, a validated `Pack` out, or one PackError that names the file and the key.

Every key is checked (a misspelt `when` must not make a rule a catch-all), every id a rule cites
must exist, and every action must reach an unconditional rule. This module only validates: it
keeps nothing between calls (desktop.rules.catalog reads each pack once per process).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from desktop.rules import vocab
from desktop.rules.conditions import Condition, parse_condition
from desktop.rules.facts import Definitions
from desktop.rules.jurisdiction import PLACEHOLDER_LEAD, is_placeholder, parse_department, parse_guidance
from desktop.rules.notice import parse_notice
from desktop.rules.pack import (
    AMBIGUITY_ID,
    ANY_ACTION,
    SAY_MAX,
    Ambiguity,
    Authority,
    Change,
    Clause,
    CodeText,
    Pack,
    PackError,
    Rule,
    Variant,
    WarningRule,
)
from desktop.rules.registry import FACTS
from desktop.rules.sayline import check_say_lines

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
CHANGE_KEYS = ("version", "text", "rules")
SECTIONS = frozenset(
    {"pack", "definitions", "clauses", "authorities", "ambiguities", "codes", "rules", "warnings", "changes"}
    | {"department", "guidance", "notice"}
)
CONTACT_MAX = 200  # a line of the referral box
# A phone number as a department writes it: digits, spaces, +, -, dots and brackets, an extension.
PHONE = re.compile(r"\+?[0-9 ().-]{7,}(?: *(?:ext\.?|x) *[0-9]{1,6})?")
# 555-0100 to 555-0199: the numbers kept for fiction. A referral box must never print an invented number.
FICTIONAL = re.compile(r"555[ .)-]*01[0-9]{2}")
RECORD_KEYS: dict[str, tuple[str, ...]] = {
    "clauses": ("id", "title", "text", "lead"),
    "authorities": ("id", "cite", "url"),
    "ambiguities": ("id", "issue", "meanwhile"),
    "warnings": ("id", "when", "text"),
}


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
        return value  # what else a machine can check of it, sayline.check_say_lines checks on the whole pack

    def contact(self, data: Mapping[str, Any], key: str, where: str, *, phone: bool) -> str:
        """An optional line of the referral box (a phone, or how to reach counsel after hours): one line, and
        either the jurisdiction's own words or a marked placeholder, "[TO BE FILLED IN: what goes
        here]", printed as it is until the jurisdiction fills it in. A phone must read as a phone number; no
        value may hold a fictional 555-01xx number."""
        value = self.text(data, key, where, required=False)
        if not value:
            return ""
        path = f"{where}.{key}"
        if "\n" in value or len(value) > CONTACT_MAX:
            raise self.fail(path, f"expected one line of at most {CONTACT_MAX} characters")
        if value.startswith("[") or "TO BE FILLED" in value.upper():
            if not is_placeholder(value):
                raise self.fail(path, f"a placeholder reads {PLACEHOLDER_LEAD} what goes here]")
            return value
        if FICTIONAL.search(value):
            raise self.fail(path, "555-01xx numbers are fictional: give the real number, or keep the placeholder")
        digits = sum(ch.isdigit() for ch in value)
        if phone and (not PHONE.fullmatch(value) or digits < 7):
            raise self.fail(path, "expected a phone number (digits, spaces, + - . ( ), ext.), or a placeholder")
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
    for key in data:
        if key not in SECTIONS:
            raise reader.fail(key, f"unknown section; expected one of {', '.join(sorted(SECTIONS))}")
    meta = reader.table(data, "pack")
    reader.only(meta, PACK_KEYS, "pack")
    for section, keys in RECORD_KEYS.items():
        records = data.get(section, [])
        for i, record in enumerate(records if isinstance(records, list) else []):
            if isinstance(record, Mapping):
                reader.only(record, keys, f"{section}[{i}]")
    clauses = {c.id: c for c in _clauses(reader, data)}
    authorities = {a.id: a for a in _authorities(reader, data)}
    ambiguities = {a.id: a for a in _ambiguities(reader, data)}
    codes = _codes(reader, data)
    rule_records = _records(reader, data, "rules")
    rules = tuple(_named_rule(reader, r, i, clauses, authorities, ambiguities) for i, r in enumerate(rule_records))
    _unique(reader, "rules", [r.id for r in rules])
    _check_coverage(reader, rules)
    warnings = _warnings(reader, data)

    effective_from = reader.date(meta, "effective_from", required=True)
    assert effective_from is not None
    effective_to = reader.date(meta, "effective_to", required=False)
    if effective_to is not None and effective_to < effective_from:
        raise reader.fail("pack.effective_to", "is before effective_from")

    pack = Pack(
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
        notice=parse_notice(reader, data),
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
    check_say_lines(pack)
    return pack


def _clauses(reader: _Reader, data: Mapping[str, Any]) -> list[Clause]:
    """[[clauses]]: the ordinance word for word, each with the id the rules cite."""
    records = _records(reader, data, "clauses")
    clauses = [
        Clause(
            reader.text(r, "id", f"clauses[{i}]"),
            reader.text(r, "title", f"clauses[{i}]"),
            reader.text(r, "text", f"clauses[{i}]"),
            reader.text(r, "lead", f"clauses[{i}]", required=False) or None,
        )
        for i, r in enumerate(records)
    ]
    _unique(reader, "clauses", [c.id for c in clauses])
    return clauses


def _authorities(reader: _Reader, data: Mapping[str, Any]) -> list[Authority]:
    """[[authorities]]: the cases, statutes and policies the rules rest on."""
    records = _records(reader, data, "authorities")
    _unique(reader, "authorities", [reader.text(r, "id", "authorities") for r in records])
    return [
        Authority(
            reader.text(r, "id", f"authorities[{i}]"),
            reader.text(r, "cite", f"authorities[{i}]"),
            reader.text(r, "url", f"authorities[{i}]", required=False) or None,
        )
        for i, r in enumerate(records)
    ]


def _ambiguities(reader: _Reader, data: Mapping[str, Any]) -> list[Ambiguity]:
    """[[ambiguities]]: the open questions sent to counsel, each AMB-n with what to do meanwhile."""
    ambiguities: list[Ambiguity] = []
    for i, r in enumerate(_records(reader, data, "ambiguities")):
        at = f"ambiguities[{i}]"
        amb_id = reader.text(r, "id", at)
        if not AMBIGUITY_ID.match(amb_id):
            raise reader.fail(f"{at}.id", f"{amb_id!r} is not of the form AMB-n")
        ambiguities.append(Ambiguity(amb_id, reader.text(r, "issue", at), reader.text(r, "meanwhile", at)))
    _unique(reader, "ambiguities", [a.id for a in ambiguities])
    return ambiguities


def _codes(reader: _Reader, data: Mapping[str, Any]) -> dict[str, CodeText]:
    """[codes.X]: the title, memo wording and say line of every response code."""
    codes: dict[str, CodeText] = {}
    for code, entry in reader.table(data, "codes").items():
        at = f"codes.{code}"
        if code not in vocab.RESPONSE_CODES:
            raise reader.fail(at, f"unknown response code; expected one of {', '.join(vocab.RESPONSE_CODES)}")
        if not isinstance(entry, Mapping):
            raise reader.fail(at, "expected a table with title and wording")
        reader.only(entry, CODE_KEYS, at)
        title, wording = reader.text(entry, "title", at), reader.text(entry, "wording", at)
        codes[code] = CodeText(code, title, wording, reader.say(entry, at) or "")
    missing = [c for c in vocab.RESPONSE_CODES if c not in codes]
    if missing:
        raise reader.fail("codes", f"no wording for {', '.join(missing)}")
    return codes


def _warnings(reader: _Reader, data: Mapping[str, Any]) -> tuple[WarningRule, ...]:
    """[[warnings]]: each shown with a decision when all its conditions hold (at least one)."""
    raw = data.get("warnings", [])
    warnings: list[WarningRule] = []
    for i, r in enumerate(raw if isinstance(raw, list) else []):
        at = f"warnings[{i}]"
        warning = WarningRule(reader.text(r, "id", at), _conditions(reader, r, at), reader.text(r, "text", at))
        warnings.append(warning)
    for i, warning in enumerate(warnings):
        if not warning.when:
            raise reader.fail(f"warnings[{i}].when", "a warning needs at least one condition")
    return tuple(warnings)


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
