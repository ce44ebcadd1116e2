"""The condition language of a pack's `when` lines: `fact`, `not fact`, `fact in [..]`, `fact not in [..]`, or-joined.

Each fact is one of desktop.rules.registry.FACTS; a line naming an unknown fact or value is refused
when the pack is read, so a misspelt condition never silently holds or fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.rules.registry import FACTS


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
