"""A pack's jurisdiction text: the department's name and address, who counsel is, and the desk's guidance.

None of this is in the code (docs/DESIGN.md): another city's pack brings its own heading for the
memo, its own contact for referrals, its own presets and desk cues. A pack that gives none gets
plain, generic words, never another city's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.rules.reader import _Reader

DEPARTMENT_KEYS = ("name", "address", "counsel", "referral_contact", "counsel_phone", "after_hours")
GUIDANCE_KEYS = ("public_records_label", "desk_cues", "kind_hints", "help", "presets")
HELP_FIELDS = ("requester", "signer", "action", "field")
PRESET_KEYS = ("name", "intake")
GENERIC_COUNSEL = "counsel"
# A value the jurisdiction has not given yet: printed as it is, so no one takes it for a number to dial.
PLACEHOLDER_LEAD = "[TO BE FILLED IN:"


def is_placeholder(value: str) -> bool:
    """Whether a pack's value is a marked placeholder, "[TO BE FILLED IN: what goes here]"."""
    return value.startswith(PLACEHOLDER_LEAD) and value.endswith("]") and len(value) > len(PLACEHOLDER_LEAD) + 2


@dataclass(frozen=True)
class Department:
    """Who the memo is from, and whom a referral goes to."""

    name: str = ""
    address: tuple[str, ...] = ()
    counsel: str = GENERIC_COUNSEL  # the title of counsel, printed wherever a case is referred
    referral_contact: str = ""  # how to reach counsel, printed in the referral box
    counsel_phone: str = ""  # counsel's phone, in the referral box: a number, or a placeholder the City fills in
    after_hours: str = ""  # how to reach counsel at night and at weekends, or a placeholder

    def placeholders(self) -> tuple[str, ...]:
        """The keys of the department still to be filled in by the jurisdiction."""
        values = {"counsel_phone": self.counsel_phone, "after_hours": self.after_hours}
        return tuple(key for key, value in values.items() if is_placeholder(value))

    @property
    def counsel_title(self) -> str:
        """Counsel's title with its article, for running text ("the Town Counsel")."""
        return f"the {self.counsel}"


@dataclass(frozen=True)
class Preset:
    """A starting point for a common paper: the intake fields it fills (every answer can still change)."""

    name: str
    intake: Mapping[str, Any]


@dataclass(frozen=True)
class Guidance:
    """What the window shows an officer about this jurisdiction's papers."""

    public_records_label: str = "Made as a public-records request"
    desk_cues: str = ""  # simple HTML: telling a judge's paper from an agency's form
    kind_hints: Mapping[str, str] = field(default_factory=dict)  # document kind -> one-line hint
    help: Mapping[str, str] = field(default_factory=dict)  # "signer.clerk_magistrate" -> this jurisdiction's help
    presets: tuple[Preset, ...] = ()

    def help_for(self, what: str, value: str, generic: Mapping[str, str]) -> str:
        """The pack's help for an intake value, else the generic words (labels.*_HELP)."""
        return self.help.get(f"{what}.{value}") or generic.get(value, "")


def parse_department(reader: _Reader, data: Mapping[str, Any]) -> Department:
    if "department" not in data:
        return Department()
    table = reader.table(data, "department")
    reader.only(table, DEPARTMENT_KEYS, "department")
    return Department(
        name=reader.text(table, "name", "department"),
        address=reader.strings(table, "address", "department"),
        counsel=reader.text(table, "counsel", "department", required=False) or GENERIC_COUNSEL,
        referral_contact=reader.text(table, "referral_contact", "department", required=False),
        counsel_phone=reader.contact(table, "counsel_phone", "department", phone=True),
        after_hours=reader.contact(table, "after_hours", "department", phone=False),
    )


def parse_guidance(reader: _Reader, data: Mapping[str, Any]) -> Guidance:
    from desktop.rules import vocab

    if "guidance" not in data:
        return Guidance()
    table = reader.table(data, "guidance")
    reader.only(table, GUIDANCE_KEYS, "guidance")
    hints_table = table.get("kind_hints", {})
    if not isinstance(hints_table, Mapping):
        raise reader.fail("guidance.kind_hints", "expected a table of document kind = hint")
    hints: dict[str, str] = {}
    for kind in hints_table:
        if kind not in vocab.DOCUMENT_KINDS:
            raise reader.fail(
                f"guidance.kind_hints.{kind}",
                f"unknown document kind; expected one of {', '.join(vocab.DOCUMENT_KINDS)}",
            )
        hints[kind] = reader.text(hints_table, kind, "guidance.kind_hints")
    help_table = table.get("help", {})
    if not isinstance(help_table, Mapping):
        raise reader.fail("guidance.help", 'expected a table of "field.value" = help text')
    help_texts: dict[str, str] = {}
    for key in help_table:
        what, _, value = key.partition(".")
        if what not in HELP_FIELDS or not value:
            raise reader.fail(
                f"guidance.help.{key}", f"expected a key like signer.clerk_magistrate ({', '.join(HELP_FIELDS)})"
            )
        help_texts[key] = reader.text(help_table, key, "guidance.help")
    raw_presets = table.get("presets", [])
    if not isinstance(raw_presets, list):
        raise reader.fail("guidance.presets", "expected a list of presets")
    presets = tuple(_preset(reader, p, i) for i, p in enumerate(raw_presets))
    names = [p.name for p in presets]
    if len(set(names)) != len(names):
        raise reader.fail("guidance.presets", "two presets have the same name")
    return Guidance(
        public_records_label=reader.text(table, "public_records_label", "guidance", required=False)
        or Guidance.public_records_label,
        desk_cues=reader.text(table, "desk_cues", "guidance", required=False),
        kind_hints=hints,
        help=help_texts,
        presets=presets,
    )


# What a preset may leave out: the intake parser needs these, and the officer supplies them.
_PRESET_FILLER: dict[str, Any] = {
    "received_at": "2020-01-01T12:00:00+00:00",
    "channel": "other",
    "requester": "unknown",
    "actions": ["hold"],
    "subject": {"custody": "in_city_custody", "release_blockers": []},
}


def _preset(reader: _Reader, data: object, index: int) -> Preset:
    from desktop.rules.intake import IntakeError, parse_intake

    where = f"guidance.presets[{index}]"
    if not isinstance(data, Mapping):
        raise reader.fail(where, "expected a table with name and intake")
    reader.only(data, PRESET_KEYS, where)
    name = reader.text(data, "name", where)
    intake = data.get("intake")
    if not isinstance(intake, Mapping) or not intake:
        raise reader.fail(f"{where}.intake", "expected a table of intake fields")
    if "received_at" in intake:
        raise reader.fail(f"{where}.intake.received_at", "a preset never sets when the request was received")
    try:  # the fields it fills must be valid intake fields with valid values
        parse_intake({**_PRESET_FILLER, **intake})
    except IntakeError as exc:
        raise reader.fail(f"{where}.intake", str(exc)) from None
    return Preset(name, dict(intake))
