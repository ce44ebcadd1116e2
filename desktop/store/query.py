"""What the log is asked and what it answers: queries, rows of the log, and verification reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.store.signatures import Witness


MAX_ROWS = 2**62  # SQLite's integers end at 2**63 - 1; no log holds more rows than this


def row_count(n: int) -> int:
    """A page's limit or offset as SQLite takes it: below 0 is 0, and a number past any log's size (a 30-digit
    --limit) is the same as the largest SQLite holds, so it lists everything instead of overflowing."""
    return min(max(0, n), MAX_ROWS)


@dataclass(frozen=True)
class CaseSummary:
    """One row of the case log, from the search projection of the current version."""

    case_number: str
    version: int
    received_at: str
    recorded_at: str
    requester: str
    requester_name: str
    subject_name: str
    booking_number: str
    codes: tuple[str, ...]
    document_kinds: tuple[str, ...]
    referred: bool
    status: str
    officer: str


@dataclass(frozen=True)
class CaseQuery:
    """A search of the log: full text plus filters. Empty fields do not filter."""

    text: str = ""
    since: dt.date | None = None  # received on or after this day (the desk's day, as received)
    until: dt.date | None = None  # received on or before this day
    requester: str | None = None
    document_kind: str | None = None
    code: str | None = None
    status: str | None = None
    referred: bool | None = None

    def describe(self) -> str:
        """The search in words, as the audit log records it: its terms and each filter."""
        parts = [f"text {self.text.strip()!r}"] if self.text.strip() else []
        for name in ("since", "until", "requester", "document_kind", "code", "status"):
            value = getattr(self, name)
            if value:
                parts.append(f"{name} {value}")
        if self.referred is not None:
            parts.append("referred" if self.referred else "not referred")
        return ", ".join(parts)


@dataclass(frozen=True)
class VerifyReport:
    """What `verify` found: entries and records checked, the chain head, and every problem."""

    entries_checked: int
    records_checked: int
    chain_head: str
    problems: tuple[str, ...]
    signatures_checked: int = 0
    admin_fingerprint: str | None = None  # the root of trust: compare it with the one IT wrote down at install
    notes: tuple[str, ...] = ()  # what is true of the log but no failure (what it cannot prove, say)
    warnings: tuple[str, ...] = ()  # what a person must look at, though no check can call it altered (time order)
    signing_from: int | None = None  # every entry after this one is signed, as the first admin signed
    witness: Witness | None = None  # the newest receipt checked against the log, as its signed entry says
    entries_after_witness: int = 0  # entries after the entry that receipt names
    versions_after_witness: int = 0  # of them, cases recorded or amended
    checkpoint_through: int | None = None  # signatures up to this entry taken from a witnessed checkpoint

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> str | None:
        return self.problems[0] if self.problems else None
