"""Recorded cases as plain values: what the store returns and what the memo and the window show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STATUS_DECIDED = "decided"
STATUS_REFERRED = "referred"  # waiting for the City Solicitor or a supervisor
STATUS_RESOLVED = "resolved"
STATUSES = (STATUS_DECIDED, STATUS_REFERRED, STATUS_RESOLVED)


@dataclass(frozen=True)
class Override:
    """The officer disagreed with the decision; a supervisor must review. The decision itself is unchanged."""

    reason: str
    officer: str


@dataclass(frozen=True)
class CaseVersion:
    """One version of a case. Version 1 is the original record; later versions are amendments."""

    case_number: str  # e.g. "2026-000123": year and a gapless sequence
    version: int
    intake: dict[str, Any]  # contract form (Intake.to_dict())
    decision: dict[str, Any]  # contract form (Decision.to_dict())
    officer: str  # name and badge, as given
    desk: str  # machine name
    received_at: str  # ISO 8601 with the offset given at intake
    recorded_at: str  # ISO 8601, UTC
    recorded_zone: str  # the desk's time zone at recording, e.g. "EST (-05:00)"
    status: str
    record_hash: str  # sha256 over the canonical record (see desktop.store)
    amendment_reason: str | None = None  # set on versions > 1
    override: Override | None = None

    @property
    def is_amendment(self) -> bool:
        return self.version > 1

    @property
    def subject_name(self) -> str:
        return str(self.intake.get("subject", {}).get("name") or "")

    @property
    def booking_number(self) -> str:
        return str(self.intake.get("subject", {}).get("booking_number") or "")


@dataclass(frozen=True)
class CaseEvent:
    """Something that happened to a case: recorded, amended, memo printed, and so on."""

    seq: int  # position in the audit chain
    kind: str
    actor: str
    at: str  # ISO 8601, UTC
    detail: str
    entry_hash: str


@dataclass(frozen=True)
class Attachment:
    """A scan of the paper received, stored with its checksum."""

    id: int
    case_number: str
    filename: str
    content_type: str
    size: int
    sha256: str
    added_at: str
    added_by: str


@dataclass(frozen=True)
class CaseRecord:
    """A case with all its versions (oldest first), events and attachments."""

    case_number: str
    versions: tuple[CaseVersion, ...]
    events: tuple[CaseEvent, ...] = ()
    attachments: tuple[Attachment, ...] = ()

    @property
    def current(self) -> CaseVersion:
        return self.versions[-1]

    @property
    def amended(self) -> bool:
        return len(self.versions) > 1
