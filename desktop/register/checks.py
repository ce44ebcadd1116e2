"""One desk's chain checked entry by entry, with the project's own code: the same rules as the desk's `verify`.

Entry hashes are recomputed with desktop/store/hashing.py (never in SQL: PostgreSQL's jsonb text is not
the canonical form), record hashes likewise, certificates with the log's own certificate checks
(desktop/store/delivery.key_book), and each entry with the desk's own replay of the signed entries
(desktop/store/signatures.Ledger): who may sign at each point (a replaced or disabled key signs nothing),
what each entry sets (an account's standing, a setting, the numbering floor), and where signing began
(the first admin's certificate names that entry and its hash; an unsigned entry after it was stripped);
every signature in the end at once, over the cores. On top of the desk's rules the register holds each
desk to the admin root it enrolled: an entry signed under another root is a log made anew, and a chain
with no entry signed by its root has had its signatures stripped.

The importer feeds a bundle's rows, after replaying what the register already holds of that desk that
the rules rest on (`needed_before`, `replay`); `register verify` feeds the rows it holds, from the first.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from desktop.records import EventKind
from desktop.store.hashing import GENESIS_HASH, entry_hash, record_hash
from desktop.store.index import received_day
from desktop.store.rows import record_fields
from desktop.store.signatures import KeyBook, Ledger, SignatureCheck, SignatureJob

ENTRY_COLUMNS: Final = (
    "seq",
    "at",
    "kind",
    "case_number",
    "version",
    "actor",
    "detail",
    "record_hash",
    "prev_hash",
    "entry_hash",
    "signer",
    "signature",
)
VERSION_COLUMNS: Final = (
    "case_number",
    "version",
    "record_hash",
    "previous_hash",
    "intake_json",
    "decision_json",
    "policy_sha256",
    "officer",
    "desk",
    "received_at",
    "recorded_at",
    "recorded_zone",
    "status",
    "amendment_reason",
    "override_reason",
    "override_officer",
)
LEFT_OUT: Final = frozenset({"id"})  # the desk's own row ids: not part of what was hashed or signed
CASE_KINDS: Final = frozenset({EventKind.RECORDED.value, EventKind.AMENDED.value})


def fingerprint_of_key_id(key: str) -> str:
    """A key id as people compare fingerprints: 8 groups of 4 upper-case hex digits."""
    ident = key.upper()
    return " ".join(ident[i : i + 4] for i in range(0, len(ident), 4))


def split_row(row: Mapping[str, Any], columns: tuple[str, ...]) -> tuple[dict[str, Any], str | None]:
    """A log row as the register's columns and `extra`: the canonical JSON of any other column that holds a
    value (None if none)."""
    from desktop.store.hashing import canonical

    known = {c: row.get(c) for c in columns}
    # A column that is empty is left out: it hashes as if absent (an entry that sets nothing has no state), and
    # an entry whose `extra` is kept is one that sets something, which the replay of a later import looks for.
    others = {k: v for k, v in row.items() if k not in columns and k not in LEFT_OUT and v is not None}
    return known, (canonical(others) if others else None)


def join_row(row: Mapping[str, Any], columns: tuple[str, ...]) -> dict[str, Any]:
    """A row the register holds, as the log held it (its columns and what `extra` keeps)."""
    whole = {c: row[c] for c in columns}
    if row.get("extra"):
        whole.update(json.loads(str(row["extra"])))
    return whole


@dataclass(frozen=True)
class VersionSeen:
    """A case version checked: what the register keeps of it beyond its columns."""

    case_number: str
    version: int
    record_hash: str
    received_day: dt.date


@dataclass
class ChainCheck:
    """The checks of one run of a desk's chain, fed in order; `finish` returns every problem, worst first.

    `start` is the entry before the first one fed and its hash ((0, genesis) from the beginning);
    `held` the last entry the register already holds (entries up to it were recorded before: their
    versions are the register's already). `root` is the admin key the register enrolled. A run that
    starts after the first entry first `replay`s the held entries the rules rest on, so an entry of the
    run is judged as the desk's `verify` judges it in the whole log.
    """

    origin: str
    book: KeyBook
    root: str
    start: tuple[int, str] = (0, GENESIS_HASH)
    held: int = 0
    signed_before: bool = False
    root_seen: bool = False
    zone_of: Callable[[str], dt.tzinfo | None] = lambda sha: None
    held_version: Callable[[str, int], str | None] = lambda case, version: None
    problems: list[str] = field(default_factory=list)
    entries: int = 0
    versions: int = 0
    _next: int = 0
    _head: str = GENESIS_HASH
    _signatures: list[SignatureCheck] = field(default_factory=list)
    _recorded: dict[str, tuple[int, str, int]] = field(default_factory=dict)
    _versions: dict[tuple[str, int], str] = field(default_factory=dict)
    _chained: set[str] = field(default_factory=set)
    _foreign: bool = False
    _found: list[str] = field(default_factory=list)  # what the replay names, moved into `problems` as it comes
    _ledger: Ledger = field(init=False)

    def __post_init__(self) -> None:
        self._next, self._head = self.start[0] + 1, self.start[1]
        self._ledger = Ledger(self.book, self._found)
        self._ledger.signed_before = self.signed_before

    @property
    def head(self) -> tuple[int, str]:
        """The last entry fed and its hash."""
        return self._next - 1, self._head

    def _problem(self, text: str) -> None:
        self.problems.append(f"{self.origin}: {text}")

    def _drain(self) -> None:
        self.problems.extend(f"{self.origin}: {p}" for p in self._found)
        self._found.clear()

    def needed_before(self) -> set[int]:
        """The entries up to `start`, besides those that set something, that the replay needs: the ones
        certificates name as made with them, and the entry the first admin signed as where signing began."""
        needed = {seq for seq in self.book.pending if seq <= self.start[0]}
        if self.book.signing_from is not None and 0 < self.book.signing_from[0] <= self.start[0]:
            needed.add(self.book.signing_from[0])
        return needed

    def replay(self, held: Iterable[Mapping[str, Any]]) -> None:
        """Feed the held entries before `start` that set something or that `needed_before` names, in order.

        Their hashes and signatures were checked when they were imported; here they bring the rules to where
        the desk's log stood (the certificates made with them, the standings and settings they set, the
        point where signing began), and whatever they break under certificates new in this bundle is named.
        """
        for row in held:
            self._ledger.entry(dict(row))
        self._ledger.signed_before = self.signed_before  # from every held entry, not only those replayed
        self._drain()

    def entry(self, row: Mapping[str, Any]) -> None:
        """Check one entry (a dict of the log's columns) in its place after the one before."""
        self.entries += 1
        seq = row.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool):
            self._problem(f"an entry after entry {self._next - 1} has no entry number")
            return
        where = f"audit entry {seq} ({row.get('kind')}, by {row.get('actor')})"
        if seq != self._next:
            self._problem(f"audit entry {self._next} is missing (the next entry is {seq})")
        if row.get("prev_hash") != self._head:
            self._problem(f"{where} does not follow the entry before it (chain broken)")
        try:
            recomputed = entry_hash(str(row.get("prev_hash")), row)
        except (KeyError, TypeError, ValueError, UnicodeEncodeError) as exc:
            self._problem(f"{where} cannot be read ({exc})")
            recomputed = None
        if recomputed != row.get("entry_hash"):
            self._problem(f"{where} was altered: its hash does not match its content")
        signer = row.get("signer")
        if signer and not self._foreign and self.book.root not in (None, self.root):
            self._foreign = True
            self._problem(
                f"{where} is signed under admin root {fingerprint_of_key_id(str(self.book.root))}, not the root the "
                f"register enrolled ({fingerprint_of_key_id(self.root)}): the log was made anew with a new root"
            )
        try:
            check = self._ledger.entry(dict(row))
        except (KeyError, TypeError, ValueError) as exc:
            self._problem(f"{where} cannot be read ({exc})")
            check = None
        self._drain()
        if check is not None:
            self._signatures.append(check)
        if signer:
            self.root_seen = self.root_seen or signer == self.root
        if row.get("kind") in CASE_KINDS and row.get("record_hash"):
            self._chained.add(str(row["record_hash"]))
            if seq > self.held:
                self._recorded[str(row["record_hash"])] = (
                    seq,
                    str(row.get("case_number")),
                    int(row.get("version") or 0),
                )
        self._next, self._head = seq + 1, str(row.get("entry_hash"))

    def version(self, row: Mapping[str, Any]) -> VersionSeen | None:
        """Check one case version: its hash, its link to the version before; returns what the register keeps."""
        self.versions += 1
        label = f"case {row.get('case_number')} version {row.get('version')}"
        try:
            case, number = str(row["case_number"]), int(row["version"])
            fields = record_fields(row)
            recomputed = record_hash(fields)
            day = dt.date.fromisoformat(received_day(str(row["received_at"]), self.zone_of(str(row["policy_sha256"]))))
        except (KeyError, TypeError, ValueError, UnicodeEncodeError) as exc:
            self._problem(f"{label} cannot be read ({exc})")
            return None
        if recomputed != row.get("record_hash"):
            self._problem(f"{label} was altered: its content no longer matches its hash")
        before = None
        if number > 1:
            before = self._versions.get((case, number - 1)) or self.held_version(case, number - 1)
        if row.get("previous_hash") != before:
            self._problem(f"{label} does not point at the version before it")
        self._versions[(case, number)] = str(row.get("record_hash"))
        return VersionSeen(case, number, str(row.get("record_hash")), day)

    def finish(self, book_problems: list[str] | None = None) -> list[str]:
        """Every signature at once, the entries and versions matched one to one; all problems, worst first."""
        self._ledger.finish_chain(self._next - 1)
        self._drain()
        SignatureJob(self._signatures).finish(self._found)
        self._drain()
        recorded_versions = {h for h in self._versions.values()}
        for record, (seq, case, version) in sorted(self._recorded.items(), key=lambda item: item[1]):
            if record not in recorded_versions:
                self._problem(
                    f"audit entry {seq} records case {case} version {version}, which the bundle does not carry"
                )
        for (case, version), record in sorted(self._versions.items()):
            if record not in self._chained:
                self._problem(f"case {case} version {version} is recorded by no entry the bundle carries")
        if self.entries and not self.root_seen:
            stripped = (
                f"{self.origin}: no entry up to entry {self._next - 1} is signed by the enrolled admin root: the "
                "signatures were stripped"
            )
            # Under the enrolled root it is the worst there is (every entry's own problem follows from it), so it
            # comes first; in a log made anew under another root, that is named first and this follows from it.
            self.problems.insert(len(self.problems) if self._foreign else 0, stripped)
        self.problems.extend(f"{self.origin}: {p}" for p in book_problems or [])
        return self.problems
