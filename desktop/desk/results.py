"""What the desk's checks and long jobs return: plain values both doors print or show."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.rules import Decision, Intake, Pack


@dataclass(frozen=True)
class Decided:
    """An intake, the decision on it and the pack that decided it: what record and amend take."""

    intake: Intake
    decision: Decision
    pack: Pack


@dataclass(frozen=True)
class LogCheck:
    """The one meaning of "verify the log": the audit chain, every record, and SQLite's integrity_check."""

    entries_checked: int
    records_checked: int
    chain_head: str | None
    problems: tuple[str, ...]
    index_rebuilt: int | None = None  # cases re-indexed first, when asked

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class MemoCheck:
    """Whether a memo file is a memo of a record this log holds, and in what words to say so."""

    memo: Path
    case_number: str
    version: int
    record_hash: str
    matches: bool
    verdict: str


@dataclass(frozen=True)
class ExportResult:
    """Memos written by an export: the files, and whether the officer stopped it early."""

    folder: Path
    files: tuple[Path, ...] = field(default_factory=tuple)
    cancelled: bool = False
