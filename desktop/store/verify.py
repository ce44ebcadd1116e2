"""Verification: recompute the whole audit chain and every record, and check what hangs off them.

Everything is streamed in one pass over each table, so `verify` keeps a steady memory use however
large the log is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Final

from desktop.records import Actor, CaseVersion, EventKind, printable
from desktop.store import schema
from desktop.store.chain import append_event, entries_after
from desktop.store.connect import StoreBase, translate
from desktop.store.errors import StoreError
from desktop.store.fields import actor_text, utc_now
from desktop.store.hashing import GENESIS_HASH, canonical, entry_hash, record_hash
from desktop.store.index import INDEX_COLUMNS, PackZones, facets, index_row, reindex_missing
from desktop.store.query import VerifyReport
from desktop.store.rows import attachment_detail, record_fields, version_from_row
from desktop.store.signatures import (
    Ledger,
    SignatureCheck,
    SignatureJob,
    check_accounts,
    parse_time,
    read_keys,
)

# How far an entry may be dated before the one before it: a PC clock set back a little (a time server's
# correction) is not a backdated record; more than this is named, as a warning: no check inside the file
# can tell a backdated entry from a PC clock that was wrong (a flat CMOS battery), and a log is never
# rewritten to mend one, so it must not fail every verify from then on. A version or a certificate
# dated otherwise than the entry written with it, in the same reading of the clock, is a failure.
SKEW: Final = dt.timedelta(minutes=5)
# A version and its audit entry are written with one reading of the clock.
SAME_MOMENT: Final = dt.timedelta(seconds=1)
# Progress (done, total) of a verify, in steps: each entry walked, each version checked, each signature checked.
VerifyProgress = Callable[[int, int], None]
PROGRESS_EVERY: Final = 2000  # rows between two reports of progress


@dataclass
class _Chain:
    """What walking the audit chain found, for the checks of the rows it vouches for."""

    entries: int = 0
    last_seq: int = 0
    head: str = GENESIS_HASH
    # record hash -> seq, case, version, the entry's time
    records: dict[str, tuple[int, str, int, str]] = field(default_factory=dict)
    attachments: list[tuple[int, str, str]] = field(default_factory=list)  # seq, case, detail
    signatures: list[SignatureCheck] = field(default_factory=list)  # still to check, all at once
    warnings: list[str] = field(default_factory=list)  # entries dated before the one before them
    # Every entry's signature as stored, hashed in order (the entry hash does not cover the signature, which
    # signs it): what a checkpoint keeps, so a signature changed after it was checked is seen without it.
    signed: Any = field(default_factory=hashlib.sha256)
    taken_through: int = 0  # signatures of entries up to this one taken from a checkpoint, not checked again
    at_checkpoint: tuple[str, str] | None = None  # the head and the signatures' hash at that entry


@dataclass(frozen=True)
class Checkpoint:
    """A full verify, recorded in its own signed entry: every signature up to `through` was checked then.

    `verify` checks those signatures again only if no outside witness holds the checkpoint's entry: a receipt
    kept away from this PC, or a register's cosignature, whose head the chain must still reach, so that
    everything up to it, the checkpoint's own entry with it, is as it was when the witness saw it. `head` and
    `signatures` (the hash of every stored signature up to `through`) must then still be what they were.
    """

    entry: int  # the verify entry that records it
    through: int
    head: str
    signatures: str


def checkpoint_state(through: int, head: str, signatures: str) -> dict[str, Any]:
    return {"checkpoint": {"through": through, "head": head, "signatures": signatures}}


def _checkpoint(conn: sqlite3.Connection, witnessed: int) -> Checkpoint | None:
    """The newest checkpoint whose own entry an outside witness holds (`witnessed`: the newest entry one does)."""
    row = conn.execute(
        "SELECT seq, json_extract(state, '$.checkpoint.through'), json_extract(state, '$.checkpoint.head'), "
        "json_extract(state, '$.checkpoint.signatures') FROM audit_log "
        "WHERE kind = ? AND state IS NOT NULL AND seq <= ? AND json_valid(state) "
        "AND json_type(state, '$.checkpoint.through') = 'integer' ORDER BY seq DESC LIMIT 1",
        [EventKind.VERIFY.value, witnessed],
    ).fetchone()
    if row is None or not all(isinstance(v, str) for v in row[2:]) or not 0 < row[1] < row[0]:
        return None
    return Checkpoint(int(row[0]), int(row[1]), str(row[2]), str(row[3]))


def _walk_chain(
    conn: sqlite3.Connection,
    problems: list[str],
    ledger: Ledger,
    taken_through: int = 0,
    step: Callable[[int], None] | None = None,
) -> _Chain:
    """Walk every entry: its hash, its place, its time, the ledger's rules; the signatures to check are queued,
    except those of entries up to `taken_through` (a witnessed checkpoint's), whose stored bytes are hashed."""
    chain = _Chain(taken_through=taken_through)
    expected_seq = 1
    before: tuple[int, dt.datetime] | None = None  # the entry before, and its time
    for row in conn.execute("SELECT * FROM audit_log ORDER BY seq"):
        chain.entries += 1
        entry = dict(row)
        seq = entry["seq"]
        if seq != expected_seq:
            problems.append(f"audit entry {expected_seq} is missing (next entry is {seq})")
        if entry["prev_hash"] != chain.head:
            problems.append(f"audit entry {seq} does not follow the entry before it (chain broken)")
        if entry_hash(entry["prev_hash"], entry) != entry["entry_hash"]:
            problems.append(
                f"audit entry {seq} ({entry['kind']}, {entry['case_number'] or 'no case'}) "
                "was altered: its hash does not match its content"
            )
        at = parse_time(entry["at"])
        if at is None:
            problems.append(f"audit entry {seq} has no readable time ({entry['at']!r})")
        else:
            if before is not None and at < before[1] - SKEW:
                chain.warnings.append(
                    f"audit entry {seq} ({entry['kind']}) is dated {entry['at']}, {_span(before[1] - at)} before entry "
                    f"{before[0]} just before it (more than {_span(SKEW)}): it was backdated, or the PC's clock was "
                    "set back"
                )
            before = (seq, at)
        if entry["record_hash"] and entry["kind"] in (EventKind.RECORDED, EventKind.AMENDED):
            chain.records[entry["record_hash"]] = (seq, entry["case_number"], entry["version"], entry["at"])
        if entry["kind"] == EventKind.ATTACHMENT:
            chain.attachments.append((seq, entry["case_number"], entry["detail"]))
        check = ledger.entry(entry)
        if check is not None and seq > taken_through:
            chain.signatures.append(check)
        chain.signed.update(f"{seq}:{entry.get('signature') or ''}\n".encode())
        chain.head = entry["entry_hash"]
        if seq == taken_through:
            chain.at_checkpoint = (str(chain.head), chain.signed.hexdigest())
        chain.last_seq = seq if isinstance(seq, int) else chain.last_seq
        expected_seq = seq + 1
        if step is not None and chain.entries % PROGRESS_EVERY == 0:
            step(PROGRESS_EVERY)
    if step is not None:
        step(chain.entries % PROGRESS_EVERY)
    return chain


class _Steps:
    """A verify's progress: every entry, every version, then every signature to check (known after the walk;
    until then counted as one per entry)."""

    def __init__(self, conn: sqlite3.Connection, progress: VerifyProgress) -> None:
        self._progress = progress
        self.entries = int(conn.execute("SELECT coalesce(max(seq), 0) FROM audit_log").fetchone()[0])
        self.versions = int(conn.execute("SELECT count(*) FROM case_versions").fetchone()[0])
        self.total = 2 * self.entries + self.versions
        self.done = 0
        progress(0, self.total)

    def signatures(self, count: int) -> None:
        self.total = self.entries + self.versions + count
        self._progress(self.done, self.total)

    def step(self, count: int) -> None:
        self.done = min(self.done + count, self.total)
        self._progress(self.done, self.total)


def _checkpoint_problems(checkpoint: Checkpoint, chain: _Chain) -> list[str]:
    """What no longer matches the witnessed checkpoint the signatures up to it were taken from."""
    where = f"the checkpoint of entry {checkpoint.entry} (a full verify through entry {checkpoint.through})"
    if chain.at_checkpoint is None:
        return [f"{where}: the log no longer reaches entry {checkpoint.through}: entries were cut"]
    head, signed = chain.at_checkpoint
    if head != checkpoint.head:
        return [f"{where}: entry {checkpoint.through} no longer has the head it had then: the log was rewritten"]
    if signed != checkpoint.signatures:
        return [
            f"{where}: a signature of an entry up to {checkpoint.through} was changed after it was checked "
            "(`verify --full` names which)"
        ]
    return []


def _span(delta: dt.timedelta) -> str:
    """A length of time in the largest unit that says it (3 days, 5 minutes)."""
    seconds = int(delta.total_seconds())
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


_JSON_OBJECTS = ("intake_json", "decision_json")
_TEXTS = ("case_number", "policy_sha256", "officer", "received_at", "recorded_at", "record_hash", "status")


def _wrong_type(row: dict[str, object]) -> str | dict[str, Any]:
    """What in a stored version has the wrong type for the log to read it; else its hashed fields, each JSON
    column read once (for its hash, and for the version it is)."""
    if type(row["version"]) is not int:
        return f"its version number is {row['version']!r}, not a whole number"
    for column in _TEXTS:
        if not isinstance(row[column], str):
            return f"its {column} is {row[column]!r}, not text"
    for column in _JSON_OBJECTS:
        if not isinstance(row[column], str | bytes):
            return f"its {column} is not a JSON object"
    try:
        fields = record_fields(row)
    except ValueError:
        column = next(c for c in _JSON_OBJECTS if not _is_json(row[c]))
        return f"its {column} is not JSON"
    for column, key in zip(_JSON_OBJECTS, ("intake", "decision"), strict=True):
        if not isinstance(fields[key], dict):
            return f"its {column} is not a JSON object"
    return fields


def _is_json(text: object) -> bool:
    try:
        json.loads(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


def _check_versions(
    conn: sqlite3.Connection,
    chain: _Chain,
    zones: PackZones,
    problems: list[str],
    step: Callable[[int], None] | None = None,
) -> int:
    """Every version: its hash, its link to the version before, its own audit entry, its search row."""
    records = 0
    previous_by_case: dict[str, str] = {}
    index_check = _IndexCheck(conn, zones)
    latest: CaseVersion | None = None
    for row in conn.execute("SELECT * FROM case_versions ORDER BY case_number, version"):
        records += 1
        if step is not None and records % PROGRESS_EVERY == 0:
            step(PROGRESS_EVERY)
        data = dict(row)
        label = f"case {data['case_number']} version {data['version']}"
        fields = _wrong_type(data)
        if isinstance(fields, str):
            problems.append(f"{label} cannot be read: {fields}")
            continue
        try:
            version = version_from_row(data, fields)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            problems.append(f"{label} cannot be read: {exc}")
            continue
        if data["previous_hash"] != previous_by_case.get(version.case_number):
            problems.append(f"{label} does not point at the version before it")
        if record_hash(fields) != data["record_hash"]:
            problems.append(f"{label} was altered: its content no longer matches its hash")
        chained = chain.records.pop(data["record_hash"], None)
        if chained is None:
            problems.append(f"{label} has no entry in the audit chain")
        elif chained[1:3] != (version.case_number, version.version):
            problems.append(f"{label} carries the hash audit entry {chained[0]} gave to another version")
        else:
            recorded, entered = parse_time(data["recorded_at"]), parse_time(chained[3])
            if recorded is None or entered is None or abs(recorded - entered) > SAME_MOMENT:
                problems.append(
                    f"{label} says it was recorded at {data['recorded_at']}, but its audit entry {chained[0]} is dated "
                    f"{chained[3]}: the version was backdated"
                )
        previous_by_case[version.case_number] = data["record_hash"]
        if latest is not None and latest.case_number != version.case_number:
            index_check.settle(latest)  # versions come in case order: the previous case is complete
        latest = version
    for seq, case_number, version_number, _at in sorted(chain.records.values()):
        problems.append(
            f"audit entry {seq} records case {case_number} version {version_number}, "
            "which is missing from the log (deleted)"
        )
    if latest is not None:
        index_check.settle(latest)
    problems.extend(index_check.finish())
    if step is not None:
        step(records % PROGRESS_EVERY)
    return records


def _check_attachments(conn: sqlite3.Connection, chained: list[tuple[int, str, str]]) -> list[str]:
    """Each attachment matches its own audit entry (case, file name, type, checksum), one to one."""
    problems = []
    unmatched: dict[tuple[str, str], list[int]] = {}  # the same scan may be attached twice
    for seq, case_number, detail in chained:
        unmatched.setdefault((case_number, detail), []).append(seq)
    for attachment_id, case_number, name, content_type, sha, content in conn.execute(
        "SELECT id, case_number, filename, content_type, sha256, content FROM attachments ORDER BY id"
    ):
        if hashlib.sha256(bytes(content)).hexdigest() != sha:
            problems.append(f"attachment {attachment_id} ({name}) was altered: its content no longer matches")
        key = (case_number, attachment_detail(name, content_type, sha))
        if unmatched.get(key):
            unmatched[key].pop(0)
        else:
            problems.append(
                f"attachment {attachment_id} ({name}, case {case_number}) has no entry of its own in the audit chain"
            )
    leftovers = sorted((seq, key) for key, seqs in unmatched.items() for seq in seqs)
    for seq, (case_number, detail) in leftovers:
        problems.append(
            f"audit entry {seq} attached {detail.split(' (')[0]} to case {case_number}, "
            "which is missing from the log (deleted)"
        )
    return problems


def _check_packs_and_links(conn: sqlite3.Connection) -> list[str]:
    problems = []
    for (sha,) in conn.execute(
        "SELECT DISTINCT policy_sha256 FROM case_versions WHERE policy_sha256 NOT IN (SELECT sha256 FROM policy_packs)"
    ):
        problems.append(f"the policy pack {sha[:12]}… that decisions rest on is missing from the log")
    for sha, content in conn.execute("SELECT sha256, content FROM policy_packs"):
        if hashlib.sha256(bytes(content)).hexdigest() != sha:
            problems.append(f"the policy pack kept as {sha[:12]}… was altered")
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        problems.append(f"{table} row {rowid} points at a missing {parent} row")
    return problems


def _lenient_text(data: bytes) -> str:
    """Stored text as it is: UTF-8, with any byte that is not kept as an escape (so it hashes as stored)."""
    return data.decode("utf-8", "surrogateescape")


def _readable(text: str) -> str:
    """A problem line with any stored byte that is not UTF-8 shown as \\xNN (printable on any console)."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


_TEXT_COLUMNS: Final = {
    "audit_log": "seq",
    "case_versions": "id",
    "cases": "case_number",
    "accounts": "username",
    "signing_keys": "key_id",
    "key_certificates": "id",
    "attachments": "id",
    "meta": "key",
}


def _bad_text(conn: sqlite3.Connection) -> list[str]:
    """The rows holding text that is not UTF-8 (only looked for when reading the log found some)."""
    if conn.text_factory is not _lenient_text:
        return []
    problems = []
    for table, ident in _TEXT_COLUMNS.items():
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if str(r[2]).upper() == "TEXT"]
        for row in conn.execute(f"SELECT {ident}, {', '.join(columns)} FROM {table}"):
            bad = [
                (c, v) for c, v in zip(columns, tuple(row)[1:], strict=True) if isinstance(v, str) and _undecodable(v)
            ]
            if bad:
                shown = ", ".join(f'{column} ("{printable(_readable(value[:60]))}")' for column, value in bad)
                problems.append(
                    f"{table} row {_readable(str(row[0]))} holds bytes that are not UTF-8 text in {shown}: it was "
                    "edited outside the desk"
                )
    return problems


def _undecodable(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


class VerifyMixin(StoreBase):
    """`verify`, rebuilding the search projection, and SQLite's own integrity check."""

    def verify(
        self,
        *,
        actor: str | Actor | None = None,
        now: dt.datetime | None = None,
        witnessed: int | None = None,
        progress: VerifyProgress | None = None,
    ) -> VerifyReport:
        """Recompute the whole chain and every record's hash; report every break, the first first.

        Every signature is checked, except where `witnessed` (the newest entry an outside witness holds, as
        the caller found it: a receipt kept away from this PC, a register's cosignature) reaches a checkpoint:
        then the signatures up to it, checked by the full verify that made it, are not checked again, but their
        stored bytes must hash as they did then, and the chain must still reach the checkpoint's head. Hashes,
        records and the ledger's rules are always checked whole: no check skips a row it could not see changed.

        With `actor` (a person), a successful check is itself added to the chain as a `verify` event (at
        `now`), carrying a new checkpoint through the last entry it checked. `progress` hears (done, total) in
        steps: each entry walked, each version checked, each signature checked.
        """
        try:
            report, signed = self._verify_once(witnessed=witnessed, progress=progress)
        except sqlite3.OperationalError as exc:
            if "decode" not in str(exc).lower():
                raise translate(exc, self.path) from None
            # Some stored text is not UTF-8 (edited with another tool): read every text as the bytes it is,
            # so each such row is a problem line, never a traceback. Slower, so only when needed.
            report, signed = self._verify_once(lenient=True, witnessed=witnessed, progress=progress)
        if actor and report.ok:
            who = actor_text(actor, "who verified")
            detail = f"{report.entries_checked} entries and {report.records_checked} records verified"
            if report.checkpoint_through:
                detail += f" (signatures up to entry {report.checkpoint_through} as the witnessed checkpoint kept them)"
            state = None
            if isinstance(actor, Actor) and actor.signer is not None and report.entries_checked:
                # Only a person's key signs a checkpoint: the desk's own key is in the data folder for anyone.
                state = canonical(checkpoint_state(report.entries_checked, report.chain_head, signed))
            try:
                with self._write() as write_conn:
                    head = append_event(
                        write_conn,
                        EventKind.VERIFY,
                        actor if isinstance(actor, Actor) else who,
                        detail,
                        at=now or utc_now(),
                        desk_signer=self.desk_signer,
                        state=state,
                    )
            except StoreError:
                return report  # a read-only log can still be verified; the run just is not logged
            report = replace(report, entries_checked=report.entries_checked + 1, chain_head=head)
        return report

    def _verify_once(
        self, *, lenient: bool = False, witnessed: int | None = None, progress: VerifyProgress | None = None
    ) -> tuple[VerifyReport, str]:
        """Every check in one read snapshot: writers beside us cannot make it look torn. Returns the report and
        the hash of every stored signature (a new checkpoint's)."""
        conn = self._conn
        factory = conn.text_factory
        if lenient:
            conn.text_factory = _lenient_text
        try:
            try:
                conn.execute("BEGIN DEFERRED")
            except sqlite3.Error as exc:
                raise translate(exc, self.path) from None
            try:
                report, signed = self._verify_snapshot(conn, witnessed, progress)
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")  # only read; ending it lets the VERIFY event be written
        finally:
            conn.text_factory = factory
        if lenient:
            report = replace(
                report,
                problems=tuple(_readable(p) for p in report.problems),
                warnings=tuple(_readable(w) for w in report.warnings),
            )
        return report, signed

    def _verify_snapshot(
        self, conn: sqlite3.Connection, witnessed: int | None, progress: VerifyProgress | None
    ) -> tuple[VerifyReport, str]:
        """Every check, all reading the one snapshot the caller's read transaction holds."""
        steps = _Steps(conn, progress) if progress is not None else None
        step = steps.step if steps is not None else None
        problems: list[str] = []
        present = {r[0]: r[1] for r in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
        expected = schema.append_only_trigger_sql()
        missing = [t for t in expected if t not in present]
        if missing:
            problems.append(f"append-only protection removed: trigger(s) {', '.join(missing)} missing")
        changed = [t for t, sql in expected.items() if t in present and not schema.same_sql(present[t], sql)]
        if changed:
            problems.append(
                f"append-only protection altered: trigger(s) {', '.join(changed)} differ from the schema's (a no-op?)"
            )
        problems.extend(_bad_text(conn))
        book = read_keys(conn, problems)
        ledger = Ledger(book, problems)
        checkpoint = _checkpoint(conn, witnessed) if witnessed else None
        chain = _walk_chain(conn, problems, ledger, checkpoint.through if checkpoint else 0, step)
        if steps is not None:
            steps.signatures(len(chain.signatures))
        if checkpoint is not None:
            problems.extend(_checkpoint_problems(checkpoint, chain))
        job = SignatureJob(chain.signatures)  # in worker processes while the records are checked here
        try:
            broken_at = len(problems)  # the broken signatures are named here, after the chain's own problems
            notes = ledger.finish(conn, chain.last_seq)
            check_accounts(conn, book, problems)
            records = _check_versions(conn, chain, self._zones, problems, step)
            problems.extend(_check_attachments(conn, chain.attachments))
            problems.extend(_check_packs_and_links(conn))
            broken: list[str] = []
            signatures = job.finish(broken, step)
            problems[broken_at:broken_at] = broken
        finally:
            job.cancel()
        if book.signing_from is not None:
            start = book.signing_from[0]
            notes.insert(
                0,
                f"every entry after entry {start} is signed, as the first admin's own certificate says"
                + (f"; entries 1 to {start} come from before accounts and rest on the chain alone" if start else ""),
            )
        if checkpoint is not None:
            notes.insert(
                0,
                f"signatures up to entry {checkpoint.through} were checked by the full verify of entry "
                f"{checkpoint.entry}, which an outside witness holds; they are unchanged since (`verify --full` "
                "checks each again)",
            )
        witness = ledger.witness
        after = entries_after(conn, witness.entries) if witness is not None else (0, 0)
        report = VerifyReport(
            chain.entries,
            records,
            chain.head,
            tuple(problems),
            signatures,
            book.root_fingerprint,
            notes=tuple(notes),
            warnings=tuple(chain.warnings),
            signing_from=book.signing_from[0] if book.signing_from else None,
            witness=witness,
            entries_after_witness=after[0],
            versions_after_witness=after[1],
            checkpoint_through=checkpoint.through if checkpoint is not None else None,
        )
        return report, chain.signed.hexdigest()

    def rebuild_index(self) -> int:
        """Rebuild the search projection from the log itself; returns the number of cases indexed.

        The full-text index's triggers are set aside while the rows are replaced, and the index is then
        rebuilt from the rows ('rebuild'), so even one whose entries were deleted behind its back (which
        its delete trigger would take for damage) comes out whole. All of it is one transaction.
        """
        with self._write() as conn:
            triggers = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'case_index'"
            ).fetchall()
            for name, _sql in triggers:
                conn.execute(f'DROP TRIGGER "{name}"')
            conn.execute("DELETE FROM case_facets")
            conn.execute("DELETE FROM case_index")
            count = reindex_missing(conn, self._zones)
            conn.execute("INSERT INTO case_index_fts (case_index_fts) VALUES ('rebuild')")
            for _name, sql in triggers:
                conn.execute(sql)
            return count

    def integrity_ok(self) -> bool:
        row = self._conn.execute("PRAGMA integrity_check").fetchone()
        return bool(row) and row[0] == "ok"


class _IndexCheck:
    """Compares the search projection with each case's current version, walking both in case order."""

    def __init__(self, conn: sqlite3.Connection, zones: PackZones) -> None:
        columns = ", ".join(INDEX_COLUMNS)
        self._conn = conn
        self._rows = iter(conn.execute(f"SELECT id, {columns} FROM case_index ORDER BY case_number"))
        self._pending: sqlite3.Row | None = next(self._rows, None)
        self._zones = zones
        self.problems: list[str] = []

    def _skip_extra(self, before: str | None) -> None:
        while self._pending is not None and (before is None or self._pending["case_number"] < before):
            self.problems.append(f"the search index lists case {self._pending['case_number']}, which is not in the log")
            self._pending = next(self._rows, None)

    def settle(self, version: CaseVersion) -> None:
        try:
            self._settle(version)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:  # a stored value of the wrong type
            self.problems.append(f"case {version.case_number} cannot be compared with the search index: {exc}")
            self._pending = next(self._rows, None)

    def _settle(self, version: CaseVersion) -> None:
        self._skip_extra(version.case_number)
        if self._pending is None or self._pending["case_number"] != version.case_number:
            self.problems.append(
                f"case {version.case_number} is missing from the search index (run `main.py verify --rebuild-index`)"
            )
            return
        stored = dict(self._pending)
        case_id = stored.pop("id")
        if stored != index_row(version, self._zones.of(version)):
            self.problems.append(
                f"the search index does not match case {version.case_number} (run `main.py verify --rebuild-index`)"
            )
        else:
            kept = {r[0] for r in self._conn.execute("SELECT facet FROM case_facets WHERE case_id = ?", [case_id])}
            if kept != facets(version):
                self.problems.append(
                    f"the search facets of case {version.case_number} do not match it, so filters and the review "
                    "queue may miss it (run `main.py verify --rebuild-index`)"
                )
        self._pending = next(self._rows, None)

    def finish(self) -> list[str]:
        self._skip_extra(None)
        orphans = self._conn.execute(
            "SELECT COUNT(*) FROM case_facets WHERE case_id NOT IN (SELECT id FROM case_index)"
        ).fetchone()[0]
        if orphans:
            self.problems.append(f"the search index holds {orphans} facet row(s) of no case")
        unsearchable = [
            r[0]
            for r in self._conn.execute(
                "SELECT case_number FROM case_index WHERE id NOT IN (SELECT id FROM case_index_fts_docsize)"
                " ORDER BY case_number LIMIT 20"
            )
        ]
        for number in unsearchable:
            self.problems.append(
                f"case {number} is missing from the full-text index, so a search by name cannot find it "
                "(run `main.py verify --rebuild-index`)"
            )
        return self.problems
