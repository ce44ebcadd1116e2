"""What the desk's checks and long jobs return: plain values both doors print or show."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.desk.notices import Serving
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
    signatures_checked: int = 0
    admin_fingerprint: str | None = None  # the root of trust, to compare with the one written down at install
    notes: tuple[str, ...] = ()  # true, and no failure: the pinned key compared, what no receipt witnesses yet
    warnings: tuple[str, ...] = ()  # for a person to look at: an entry dated before the one before it
    witnessed: str | None = None  # the newest head the county register cosigned, and what came after it
    checkpoint_through: int | None = None  # signatures up to this entry kept by a witnessed checkpoint, not checked

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
    # What was seen (README, docs/CONTRACT.md): "identical" (byte for byte the current version's memo),
    # "same-text" (says and shows the same, other bytes), "superseded" (a true memo of a version a newer one
    # replaced), "scan" (a picture: its QR codes name a record, compare the words by eye); and, refused:
    # "differs", "altered" (stamps disagree), "not-in-log", "log-rewritten", "printed-after-next" (a
    # version's memo carrying a chain head from after the next version was recorded).
    kind: str = ""
    page: int | None = None  # the first page that differs, from 1
    line: int | None = None  # and its first line that differs, from 1 (text lines, blank ones skipped)
    expected: str = ""  # that line in the record's memo
    found: str = ""  # that line in the file
    notes: tuple[str, ...] = ()  # what the check can and cannot prove (a scan)
    newer_version: int | None = None  # the case's current version, when the paper names an older one


@dataclass(frozen=True)
class ExportResult:
    """Memos written by an export: the files, and whether the officer stopped it early."""

    folder: Path
    files: tuple[Path, ...] = field(default_factory=tuple)
    cancelled: bool = False


@dataclass(frozen=True)
class SecondFactor:
    """A new authenticator secret, to be shown once: the key typed by hand, its otpauth:// URI, and that URI as the
    dark (True) and light modules of a QR code for the app to take. Nothing is stored until it is confirmed."""

    secret: str
    uri: str
    qr: tuple[tuple[bool, ...], ...]

    @property
    def grouped(self) -> str:
        """The key in groups of four, as an app asks for it typed by hand."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


@dataclass(frozen=True)
class DrawnNotice:
    """A notice to the person drawn for printing from the window: exactly these bytes are previewed and printed,
    and the serving's entry (written once the print succeeded) names them by their hash."""

    case_number: str
    version: int
    language: str
    language_words: str  # the language's name and whether its text is certified, as the entry says
    pdf: bytes
    serving: Serving  # what the entry will say
