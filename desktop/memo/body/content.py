"""What the memo's body reads from a case: the intake, the decision and the pack, for a recorded version or a draft.

The parts ask it for the responses, what each asked and answered in words, who first recorded the case, and
which entered characters the fonts cannot draw, so each of those is worked out in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from desktop import present
from desktop.memo import text as t
from desktop.memo.fonts import undrawable
from desktop.records import STATUS_DECIDED, STATUS_REFERRED, STATUS_RESOLVED, CaseVersion
from desktop.rules import Decision, Intake
from desktop.rules.engine import Response
from desktop.rules.pack import Pack

STATUS_WORDS: dict[str, str] = {
    STATUS_DECIDED: "Decided",
    STATUS_REFERRED: "Referred: waiting for counsel or a supervisor",
    STATUS_RESOLVED: "Resolved",
}


def _strings(value: object) -> list[str]:
    """Every string in a JSON-like value (the intake), keys left out."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


@dataclass(frozen=True)
class MemoContent:
    """Everything the body needs, for a recorded version and for a draft alike."""

    intake: Intake
    decision: Decision
    pack: Pack
    officer: str | None
    version: CaseVersion | None = None  # None for a draft
    versions: Sequence[CaseVersion] = ()

    def responses(self) -> tuple[Response, ...]:
        return self.decision.responses

    def asked(self, response: Response) -> str:
        return t.markup(present.asked(response))

    def code_words(self, response: Response) -> str:
        """The response's short title (the rule's own words for these facts, else its code's) and its code."""
        return f"<b>{t.markup(present.response_title(response, self.pack))}</b> [{t.markup(response.code)}]"

    def first_recorder(self) -> str:
        return self.versions[0].officer if self.versions else (self.officer or "")

    def undrawable(self) -> list[str]:
        """Characters of the entered text that the memo's fonts cannot draw (printed as code points)."""
        parts = [text[: t.NOTES_LIMIT] for text in _strings(self.intake.to_dict())]
        parts += [v.officer for v in self.versions] + [v.amendment_reason or "" for v in self.versions]
        if self.officer:
            parts.append(self.officer)
        if self.version is not None and self.version.override is not None:
            parts += [self.version.override.reason, self.version.override.officer]
        return undrawable("".join(parts))
