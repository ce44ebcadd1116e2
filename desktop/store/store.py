"""The case log: record, amend, find and verify cases in one SQLite file through sqlite-utils."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from sqlite_utils import Database

from desktop import __version__
from desktop.records import (
    STATUS_DECIDED,
    STATUS_REFERRED,
    STATUSES,
    Attachment,
    CaseEvent,
    CaseRecord,
    CaseVersion,
    Override,
)
from desktop.rules import Decision, Intake, Pack
from desktop.store import schema
from desktop.store.errors import (
    CaseNotFound,
    InvalidInput,
    LogDamaged,
    LogLocked,
    NewerLog,
    StoreError,
    describe_os_error,
)
from desktop.store.hashing import GENESIS_HASH, canonical, entry_hash, record_hash
from desktop.store.query import CaseQuery, CaseSummary, VerifyReport

DB_NAME: Final = "cases.db"
BUSY_TIMEOUT_MS: Final = 15_000
MAX_TEXT: Final = 500  # officer, reason and similar one-line fields

# Audit event kinds.
EVENT_RECORDED = "recorded"
EVENT_AMENDED = "amended"
EVENT_MEMO = "memo"
EVENT_BACKUP = "backup"
EVENT_RESTORE = "restore"
EVENT_VERIFY = "verify"
EVENT_ATTACHMENT = "attachment"
EVENT_MIGRATED = "migrated"
EVENT_KINDS: Final = (
    EVENT_RECORDED,
    EVENT_AMENDED,
    EVENT_MEMO,
    EVENT_BACKUP,
    EVENT_RESTORE,
    EVENT_VERIFY,
    EVENT_ATTACHMENT,
    EVENT_MIGRATED,
)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _zone_label(moment: dt.datetime) -> str:
    local = moment.astimezone()
    offset = local.strftime("%z")
    return f"{local.tzname()} ({offset[:3]}:{offset[3:]})"


def _one_line(value: str, what: str, *, required: bool = True) -> str:
    text = " ".join(value.split()) if value else ""
    if required and not text:
        raise InvalidInput(f"{what} is required")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"{what} is longer than {MAX_TEXT} characters")
    return text


def check_officer(officer: str) -> str:
    """The officer as 'NAME #BADGE'; refuses a missing name or badge."""
    text = _one_line(officer, "the officer (name and badge)")
    name, _, badge = text.rpartition("#")
    if not name.strip() or not badge.strip() or " " in badge.strip():
        raise InvalidInput(f"officer {text!r} should be a name and a badge number, like 'J. SMITH #1234'")
    return text


def _facets(intake: dict[str, Any], decision: dict[str, Any], status: str) -> set[str]:
    facets = {f"requester:{intake['requester']}", f"status:{status}"}
    facets.update(f"doc:{d['kind']}" for d in intake.get("documents", []))
    facets.update(f"code:{r['code']}" for r in decision["responses"])
    if decision.get("refer_to_counsel"):
        facets.add("referred:1")
    return facets


def _fts_query(text: str) -> str:
    """User words as an FTS5 query: every word must match, each as a quoted prefix."""
    words = [w.replace('"', '""') for w in text.split()]
    return " ".join(f'"{w}"*' for w in words)


class CaseStore:
    """The case log in one data folder. Open with `open_store()`; one instance per thread."""

    def __init__(self, data_dir: Path, db: Database, conn: sqlite3.Connection) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DB_NAME
        self.db = db
        self._conn = conn
        self.notices: list[str] = []  # what happened at open (migrated, backed up), for the status bar

    # --- lifecycle ------------------------------------------------------------------------------

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so case numbers stay gapless."""
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _translate(exc, self.path) from None
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise _translate(exc, self.path) from None
            raise

    # --- the audit chain ------------------------------------------------------------------------

    def _append_event(
        self,
        conn: sqlite3.Connection,
        kind: str,
        actor: str,
        detail: str,
        *,
        case_number: str | None = None,
        version: int | None = None,
        record_hash_value: str | None = None,
        at: dt.datetime | None = None,
    ) -> str:
        last = conn.execute("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        entry = {
            "seq": seq,
            "at": _iso_utc(at or _utc_now()),
            "kind": kind,
            "case_number": case_number,
            "version": version,
            "actor": actor,
            "detail": detail,
            "record_hash": record_hash_value,
        }
        digest = entry_hash(prev, entry)
        conn.execute(
            "INSERT INTO audit_log (seq, at, kind, case_number, version, actor, detail, record_hash, prev_hash,"
            " entry_hash) VALUES (:seq, :at, :kind, :case_number, :version, :actor, :detail, :record_hash,"
            " :prev_hash, :entry_hash)",
            {**entry, "prev_hash": prev, "entry_hash": digest},
        )
        return digest

    def chain_head(self) -> str:
        """The hash of the newest audit entry (the genesis hash for an empty log)."""
        row = self._conn.execute("SELECT entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        return str(row[0]) if row else GENESIS_HASH

    def chain_position(self, entry_hash_value: str) -> int | None:
        """The audit entry whose hash this is (0 for the empty log's genesis), or None when not in the chain."""
        if entry_hash_value == GENESIS_HASH:
            return 0
        row = self._conn.execute("SELECT seq FROM audit_log WHERE entry_hash = ?", [entry_hash_value]).fetchone()
        return int(row[0]) if row else None

    def chain_position_of_record(self, record_hash_value: str) -> int | None:
        """The audit entry that recorded a version with this record hash, or None."""
        row = self._conn.execute("SELECT MIN(seq) FROM audit_log WHERE record_hash = ?", [record_hash_value]).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def log_event(self, case_number: str | None, kind: str, actor: str, detail: str) -> str:
        """Add an event (memo printed, exported, ...) to the audit chain; returns the new chain head."""
        if kind not in EVENT_KINDS:
            raise InvalidInput(f"unknown event kind {kind!r}; expected one of {', '.join(EVENT_KINDS)}")
        actor = _one_line(actor, "who did it")
        with self._write() as conn:
            if (
                case_number is not None
                and not conn.execute("SELECT 1 FROM cases WHERE case_number = ?", [case_number]).fetchone()
            ):
                raise CaseNotFound(case_number)
            return self._append_event(
                conn, kind, actor, _one_line(detail, "detail", required=False), case_number=case_number
            )

    # --- recording ------------------------------------------------------------------------------

    def _save_pack(self, conn: sqlite3.Connection, pack: Pack, now: dt.datetime) -> None:
        if conn.execute("SELECT 1 FROM policy_packs WHERE sha256 = ?", [pack.sha256]).fetchone():
            return
        try:
            content = pack.path.read_bytes()
        except OSError as exc:
            raise StoreError(f"the policy pack {pack.path} cannot be read: {describe_os_error(exc)}") from None
        if hashlib.sha256(content).hexdigest() != pack.sha256:
            raise StoreError(f"the policy pack {pack.path} changed on disk after it was loaded; decide again")
        conn.execute(
            "INSERT INTO policy_packs (sha256, pack_id, version, content, added_at) VALUES (?, ?, ?, ?, ?)",
            [pack.sha256, pack.id, pack.version, content, _iso_utc(now)],
        )

    def _next_case_number(self, conn: sqlite3.Connection, year: int) -> tuple[str, int]:
        """The next number of the year: after every case in the log, every case the audit chain has
        ever recorded (so a deleted case's number is never handed out again), and any floor left by
        a restore (so numbers printed from the replaced log are not reused)."""
        highest = int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM cases WHERE year = ?", [year]).fetchone()[0])
        chained = conn.execute(
            "SELECT case_number FROM audit_log WHERE case_number >= ? AND case_number < ? AND kind = ?"
            " ORDER BY case_number DESC LIMIT 1",
            [f"{year}-", f"{year}-~", EVENT_RECORDED],
        ).fetchone()
        if chained:
            highest = max(highest, int(str(chained[0]).split("-")[1]))
        floor = conn.execute("SELECT value FROM meta WHERE key = ?", [f"case_number_floor:{year}"]).fetchone()
        if floor:
            highest = max(highest, int(floor[0]))
        seq = highest + 1
        return f"{year}-{seq:06d}", seq

    def _write_version(
        self,
        conn: sqlite3.Connection,
        *,
        case_number: str,
        version: int,
        intake: Intake,
        decision: Decision,
        officer: str,
        desk: str,
        now: dt.datetime,
        status: str,
        amendment_reason: str | None,
        override: Override | None,
        previous_hash: str | None,
    ) -> CaseVersion:
        record: dict[str, Any] = {
            "case_number": case_number,
            "version": version,
            "intake": intake.to_dict(),
            "decision": decision.to_dict(),
            "policy_sha256": decision.policy_sha256,
            "officer": officer,
            "desk": desk,
            "received_at": intake.received_at.isoformat(),
            "recorded_at": _iso_utc(now),
            "recorded_zone": _zone_label(now),
            "status": status,
            "amendment_reason": amendment_reason,
            "override": {"reason": override.reason, "officer": override.officer} if override else None,
            "previous_hash": previous_hash,
        }
        digest = record_hash(record)
        conn.execute(
            "INSERT INTO case_versions (case_number, version, intake_json, decision_json, policy_sha256, officer,"
            " desk, received_at, recorded_at, recorded_zone, status, amendment_reason, override_reason,"
            " override_officer, previous_hash, record_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                case_number,
                version,
                canonical(record["intake"]),
                canonical(record["decision"]),
                decision.policy_sha256,
                officer,
                desk,
                record["received_at"],
                record["recorded_at"],
                record["recorded_zone"],
                status,
                amendment_reason,
                override.reason if override else None,
                override.officer if override else None,
                previous_hash,
                digest,
            ],
        )
        saved = CaseVersion(
            case_number=case_number,
            version=version,
            intake=record["intake"],
            decision=record["decision"],
            officer=officer,
            desk=desk,
            received_at=record["received_at"],
            recorded_at=record["recorded_at"],
            recorded_zone=record["recorded_zone"],
            status=status,
            record_hash=digest,
            amendment_reason=amendment_reason,
            override=override,
        )
        self._index(conn, saved)
        return saved

    def _index(self, conn: sqlite3.Connection, version: CaseVersion) -> None:
        """Point the search projection at this (current) version of its case."""
        intake, decision = version.intake, version.decision
        row = _index_row(version)
        existing = conn.execute("SELECT id FROM case_index WHERE case_number = ?", [version.case_number]).fetchone()
        if existing:
            case_id = int(existing[0])
            assignments = ", ".join(f"{k} = :{k}" for k in row if k != "case_number")
            conn.execute(f"UPDATE case_index SET {assignments} WHERE id = :id", {**row, "id": case_id})
            conn.execute("DELETE FROM case_facets WHERE case_id = ?", [case_id])
        else:
            columns = ", ".join(row)
            cursor = conn.execute(f"INSERT INTO case_index ({columns}) VALUES ({', '.join(':' + k for k in row)})", row)
            case_id = int(cursor.lastrowid or 0)
            # A row id can be handed out again after a deleted row: never inherit its facets.
            conn.execute("DELETE FROM case_facets WHERE case_id = ?", [case_id])
        conn.executemany(
            "INSERT INTO case_facets (facet, case_id) VALUES (?, ?)",
            [(facet, case_id) for facet in sorted(_facets(intake, decision, version.status))],
        )

    def record(
        self,
        intake: Intake,
        decision: Decision,
        pack: Pack,
        *,
        officer: str,
        desk: str | None = None,
        override: Override | None = None,
        now: dt.datetime | None = None,
    ) -> CaseVersion:
        """Record a new case: its number, the intake and decision, and its audit entry, in one transaction.

        Raises:
            InvalidInput: the officer, override or pack does not fit the decision.
            StoreError: the log cannot be written (locked, full disk, read-only, damaged).
        """
        return self.record_many([(intake, decision, officer, override)], pack, desk=desk, now=now)[0]

    def record_many(
        self,
        cases: Sequence[tuple[Intake, Decision, str, Override | None]],
        pack: Pack,
        *,
        desk: str | None = None,
        now: dt.datetime | None = None,
    ) -> list[CaseVersion]:
        """Record several cases (intake, decision, officer, override) in one transaction: all or none.

        Used for imports and synthetic logs; each case gets its own number, record and audit entry
        exactly as `record` would give it.
        """
        checked = []
        for intake, decision, officer, override in cases:
            if pack.sha256 != decision.policy_sha256:
                raise InvalidInput("the decision was not made under the pack given")
            checked.append((intake, decision, check_officer(officer), _check_override(override)))
        now = now or _utc_now()
        desk = _one_line(desk or default_desk(), "desk name")
        saved: list[CaseVersion] = []
        with self._write() as conn:
            self._save_pack(conn, pack, now)
            year = now.astimezone().year
            for intake, decision, officer, override in checked:
                case_number, seq = self._next_case_number(conn, year)
                conn.execute(
                    "INSERT INTO cases (case_number, year, seq, created_at) VALUES (?, ?, ?, ?)",
                    [case_number, year, seq, _iso_utc(now)],
                )
                version = self._write_version(
                    conn,
                    case_number=case_number,
                    version=1,
                    intake=intake,
                    decision=decision,
                    officer=officer,
                    desk=desk,
                    now=now,
                    status=STATUS_REFERRED if decision.refer_to_counsel or override else STATUS_DECIDED,
                    amendment_reason=None,
                    override=override,
                    previous_hash=None,
                )
                detail = "codes " + " ".join(r.code for r in decision.responses)
                if override:
                    detail += "; officer disagreed, supervisor review required"
                self._append_event(
                    conn,
                    EVENT_RECORDED,
                    officer,
                    detail,
                    case_number=case_number,
                    version=1,
                    record_hash_value=version.record_hash,
                    at=now,
                )
                saved.append(version)
        return saved

    def amend(
        self,
        case_number: str,
        intake: Intake,
        decision: Decision,
        pack: Pack,
        *,
        officer: str,
        reason: str,
        status: str | None = None,
        override: Override | None = None,
        desk: str | None = None,
        now: dt.datetime | None = None,
    ) -> CaseVersion:
        """Record a new version of a case; the versions before it stay exactly as they were.

        `status` defaults to referred when the new decision refers or is overridden, else decided;
        pass `resolved` when a supervisor or counsel closes a referral.
        """
        officer = check_officer(officer)
        reason = _one_line(reason, "the reason for the amendment")
        override = _check_override(override)
        if status is not None and status not in STATUSES:
            raise InvalidInput(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
        if pack.sha256 != decision.policy_sha256:
            raise InvalidInput("the decision was not made under the pack given")
        now = now or _utc_now()
        desk = _one_line(desk or default_desk(), "desk name")
        if status is None:
            status = STATUS_REFERRED if decision.refer_to_counsel or override else STATUS_DECIDED
        with self._write() as conn:
            last = conn.execute(
                "SELECT version, record_hash FROM case_versions WHERE case_number = ? ORDER BY version DESC LIMIT 1",
                [case_number],
            ).fetchone()
            if last is None:
                raise CaseNotFound(case_number)
            self._save_pack(conn, pack, now)
            version = int(last[0]) + 1
            saved = self._write_version(
                conn,
                case_number=case_number,
                version=version,
                intake=intake,
                decision=decision,
                officer=officer,
                desk=desk,
                now=now,
                status=status,
                amendment_reason=reason,
                override=override,
                previous_hash=str(last[1]),
            )
            self._append_event(
                conn,
                EVENT_AMENDED,
                officer,
                f"version {version}: {reason}",
                case_number=case_number,
                version=version,
                record_hash_value=saved.record_hash,
                at=now,
            )
        return saved

    def add_attachment(self, case_number: str, file: Path, *, actor: str) -> Attachment:
        """Attach a scan (PDF, PNG, JPEG or TIFF, at most 25 MB), checked by its content, to a case."""
        from desktop.store.attachments import read_scan

        actor = _one_line(actor, "who attached it")
        scan = read_scan(file)
        now = _utc_now()
        with self._write() as conn:
            if not conn.execute("SELECT 1 FROM cases WHERE case_number = ?", [case_number]).fetchone():
                raise CaseNotFound(case_number)
            cursor = conn.execute(
                "INSERT INTO attachments (case_number, filename, content_type, size, sha256, content, added_at,"
                " added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    case_number,
                    scan.filename,
                    scan.content_type,
                    len(scan.content),
                    scan.sha256,
                    scan.content,
                    _iso_utc(now),
                    actor,
                ],
            )
            self._append_event(
                conn,
                EVENT_ATTACHMENT,
                actor,
                _attachment_detail(scan.filename, scan.content_type, scan.sha256),
                case_number=case_number,
                at=now,
            )
        return Attachment(
            int(cursor.lastrowid or 0),
            case_number,
            scan.filename,
            scan.content_type,
            len(scan.content),
            scan.sha256,
            _iso_utc(now),
            actor,
        )

    def attachment_content(self, attachment_id: int) -> bytes:
        row = self._conn.execute("SELECT content FROM attachments WHERE id = ?", [attachment_id]).fetchone()
        if row is None:
            raise StoreError(f"attachment {attachment_id} is not in the log")
        return bytes(row[0])

    # --- reading --------------------------------------------------------------------------------

    def get(self, case_number: str) -> CaseRecord:
        """The case with every version (oldest first), its events and its attachments."""
        case_number = case_number.strip()
        rows = self._conn.execute(
            "SELECT * FROM case_versions WHERE case_number = ? ORDER BY version", [case_number]
        ).fetchall()
        if not rows:
            raise CaseNotFound(case_number)
        versions = tuple(_version_from_row(dict(r)) for r in rows)
        events = tuple(
            CaseEvent(r["seq"], r["kind"], r["actor"], r["at"], r["detail"], r["entry_hash"])
            for r in self._conn.execute("SELECT * FROM audit_log WHERE case_number = ? ORDER BY seq", [case_number])
        )
        attachments = tuple(
            Attachment(
                r["id"],
                r["case_number"],
                r["filename"],
                r["content_type"],
                r["size"],
                r["sha256"],
                r["added_at"],
                r["added_by"],
            )
            for r in self._conn.execute(
                "SELECT id, case_number, filename, content_type, size, sha256, added_at, added_by FROM attachments"
                " WHERE case_number = ? ORDER BY id",
                [case_number],
            )
        )
        return CaseRecord(case_number, versions, events, attachments)

    def pack_content(self, sha256: str) -> bytes:
        """The exact pack file a decision was made under, as kept in the log."""
        row = self._conn.execute("SELECT content FROM policy_packs WHERE sha256 = ?", [sha256]).fetchone()
        if row is None:
            raise LogDamaged(f"the policy pack {sha256[:12]}… is missing from the log")
        return bytes(row[0])

    def pack_for(self, version: CaseVersion) -> Pack:
        """The pack the version was decided under, parsed from the copy kept in the log."""
        from desktop.rules.pack import parse_pack

        sha = str(version.decision["policy"]["sha256"])
        policy = version.decision["policy"]
        return parse_pack(self.pack_content(sha), Path(f"<log: pack {policy['id']} {policy['version']}>"))

    def _select(self, query: CaseQuery) -> tuple[str, list[Any], str]:
        """FROM ... WHERE ... for a query, its parameters, and the column that orders cases by recording.

        With a filter on a facet (requester, paper, response, status, referred) the facet's index
        drives the query newest-first, so a page of 50 stops after 50 matches even at a million cases.
        """
        facets = []
        if query.requester:
            facets.append(f"requester:{query.requester}")
        if query.document_kind:
            facets.append(f"doc:{query.document_kind}")
        if query.code:
            facets.append(f"code:{query.code}")
        if query.status:
            facets.append(f"status:{query.status}")
        if query.referred is True:
            facets.append("referred:1")
        if len(facets) > 1:
            # Drive with the rarest facet, so an empty intersection is found by a short walk.
            facets.sort(key=self._facet_size)
        if facets:
            # CROSS JOIN fixes the join order: walk the first facet's index, probe the rest.
            # The other facets are probed before the case row is read, so a case that fails them
            # costs two index lookups, not a read of its (wide) search row.
            joins = ["case_facets f0"]
            joins += [
                f"CROSS JOIN case_facets f{n} ON f{n}.facet = ? AND f{n}.case_id = f0.case_id"
                for n in range(1, len(facets))
            ]
            joins.append("CROSS JOIN case_index ci ON ci.id = f0.case_id")
            clauses = ["f0.facet = ?"]
            order_column = "f0.case_id"
        else:
            joins = ["case_index ci"]
            clauses = []
            order_column = "ci.id"
        # Join parameters come first, in the order the joins name them; then the WHERE parameters.
        join_params = facets[1:]
        where_params: list[Any] = [facets[0]] if facets else []
        if query.text.strip():
            clauses.append("ci.id IN (SELECT rowid FROM case_index_fts WHERE case_index_fts MATCH ?)")
            where_params.append(_fts_query(query.text))
        # Days are the desk's days: a request faxed at 22:18 on 13 January (-05:00) is on the 13th.
        if query.since:
            clauses.append("ci.received_day >= ?")
            where_params.append(query.since.isoformat())
        if query.until:
            clauses.append("ci.received_day <= ?")
            where_params.append(query.until.isoformat())
        if query.referred is False:
            clauses.append("ci.referred = 0")
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        return f"FROM {' '.join(joins)}{where}", [*join_params, *where_params], order_column

    def _facet_size(self, facet: str) -> int:
        """How many cases carry a facet, counted up to a bound (enough to rank facets, cheap at any size)."""
        row = self._conn.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM case_facets WHERE facet = ? LIMIT 20000)", [facet]
        ).fetchone()
        return int(row[0])

    def search(
        self, query: CaseQuery | None = None, *, limit: int = 50, offset: int = 0, newest_first: bool = True
    ) -> list[CaseSummary]:
        """Cases matching the query, most recently recorded first (or oldest first), one page at a time."""
        sql, params, order_column = self._select(query or CaseQuery())
        order = "DESC" if newest_first else "ASC"
        try:
            rows = self._conn.execute(
                f"SELECT ci.* {sql} ORDER BY {order_column} {order} LIMIT ? OFFSET ?",
                [*params, max(0, limit), max(0, offset)],
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise _translate(exc, self.path) from None
        return [_summary(dict(r)) for r in rows]

    def count(self, query: CaseQuery | None = None) -> int:
        sql, params, _order = self._select(query or CaseQuery())
        try:
            return int(self._conn.execute(f"SELECT COUNT(*) {sql}", params).fetchone()[0])
        except sqlite3.OperationalError as exc:
            raise _translate(exc, self.path) from None

    def case_numbers(self, query: CaseQuery | None = None) -> list[str]:
        """Every matching case number, newest first (for exports of a whole selection)."""
        sql, params, order_column = self._select(query or CaseQuery())
        return [r[0] for r in self._conn.execute(f"SELECT ci.case_number {sql} ORDER BY {order_column} DESC", params)]

    def total_cases(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0])

    def _reindex_missing(self, conn: sqlite3.Connection) -> int:
        """Index every case whose current version is not in the search projection yet (after m002)."""
        rows = conn.execute(
            "SELECT v.* FROM case_versions v JOIN (SELECT case_number, MAX(version) AS version FROM case_versions"
            " GROUP BY case_number) latest USING (case_number, version)"
            " WHERE v.case_number NOT IN (SELECT case_number FROM case_index) ORDER BY v.id"
        ).fetchall()
        for row in rows:
            self._index(conn, _version_from_row(dict(row)))
        return len(rows)

    # --- verification ---------------------------------------------------------------------------

    def verify(self, *, actor: str | None = None) -> VerifyReport:
        """Recompute the whole chain and every record's hash; report every break, the first first.

        With `actor`, a successful check is itself added to the chain as a `verify` event.
        """
        conn = self._conn
        problems: list[str] = []
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        missing = [t for t in schema.append_only_triggers() if t not in present]
        if missing:
            problems.append(f"append-only protection removed: trigger(s) {', '.join(missing)} missing")

        prev = GENESIS_HASH
        expected_seq = 1
        entries = 0
        chained_records: dict[str, tuple[int, str, int]] = {}
        chained_attachments: list[tuple[int, str, str]] = []
        for row in conn.execute("SELECT * FROM audit_log ORDER BY seq"):
            entries += 1
            entry = dict(row)
            seq = entry["seq"]
            if seq != expected_seq:
                problems.append(f"audit entry {expected_seq} is missing (next entry is {seq})")
            if entry["prev_hash"] != prev:
                problems.append(f"audit entry {seq} does not follow the entry before it (chain broken)")
            if entry_hash(entry["prev_hash"], entry) != entry["entry_hash"]:
                problems.append(
                    f"audit entry {seq} ({entry['kind']}, {entry['case_number'] or 'no case'}) "
                    "was altered: its hash does not match its content"
                )
            if entry["record_hash"] and entry["kind"] in (EVENT_RECORDED, EVENT_AMENDED):
                chained_records[entry["record_hash"]] = (seq, entry["case_number"], entry["version"])
            if entry["kind"] == EVENT_ATTACHMENT:
                chained_attachments.append((seq, entry["case_number"], entry["detail"]))
            prev = entry["entry_hash"]
            expected_seq = seq + 1

        records = 0
        previous_by_case: dict[str, str] = {}
        index_check = _IndexCheck(conn)
        latest: CaseVersion | None = None
        for row in conn.execute("SELECT * FROM case_versions ORDER BY case_number, version"):
            records += 1
            data = dict(row)
            label = f"case {data['case_number']} version {data['version']}"
            try:
                version = _version_from_row(data)
            except (ValueError, KeyError) as exc:
                problems.append(f"{label} cannot be read: {exc}")
                continue
            expected_previous = previous_by_case.get(version.case_number)
            if data["previous_hash"] != expected_previous:
                problems.append(f"{label} does not point at the version before it")
            recomputed = record_hash(_record_fields(data))
            if recomputed != data["record_hash"]:
                problems.append(f"{label} was altered: its content no longer matches its hash")
            chained = chained_records.pop(data["record_hash"], None)
            if chained is None:
                problems.append(f"{label} has no entry in the audit chain")
            elif chained[1:] != (version.case_number, version.version):
                problems.append(f"{label} carries the hash audit entry {chained[0]} gave to another version")
            previous_by_case[version.case_number] = data["record_hash"]
            if latest is not None and latest.case_number != version.case_number:
                index_check.settle(latest)  # versions come in case order: the previous case is complete
            latest = version
        for seq, case_number, version_number in sorted(chained_records.values()):
            problems.append(
                f"audit entry {seq} records case {case_number} version {version_number}, "
                "which is missing from the log (deleted)"
            )
        problems.extend(self._verify_attachments(chained_attachments))
        for (sha,) in conn.execute(
            "SELECT DISTINCT policy_sha256 FROM case_versions"
            " WHERE policy_sha256 NOT IN (SELECT sha256 FROM policy_packs)"
        ):
            problems.append(f"the policy pack {sha[:12]}… that decisions rest on is missing from the log")
        for sha, content in conn.execute("SELECT sha256, content FROM policy_packs"):
            if hashlib.sha256(bytes(content)).hexdigest() != sha:
                problems.append(f"the policy pack kept as {sha[:12]}… was altered")
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} points at a missing {parent} row")
        if latest is not None:
            index_check.settle(latest)
        problems.extend(index_check.finish())
        report = VerifyReport(entries, records, prev, tuple(problems))
        if actor and report.ok:
            try:
                head = self.log_event(None, EVENT_VERIFY, actor, f"{entries} entries and {records} records verified")
            except StoreError:
                return report  # a read-only log can still be verified; the run just is not logged
            report = VerifyReport(entries + 1, records, head, ())
        return report

    def _verify_attachments(self, chained: list[tuple[int, str, str]]) -> list[str]:
        """Each attachment matches its own audit entry (case, file name, type, checksum), one to one."""
        problems = []
        unmatched: dict[tuple[str, str], list[int]] = {}  # the same scan may be attached twice
        for seq, case_number, detail in chained:
            unmatched.setdefault((case_number, detail), []).append(seq)
        for attachment_id, case_number, name, content_type, sha, content in self._conn.execute(
            "SELECT id, case_number, filename, content_type, sha256, content FROM attachments ORDER BY id"
        ):
            if hashlib.sha256(bytes(content)).hexdigest() != sha:
                problems.append(f"attachment {attachment_id} ({name}) was altered: its content no longer matches")
            key = (case_number, _attachment_detail(name, content_type, sha))
            if unmatched.get(key):
                unmatched[key].pop(0)
            else:
                problems.append(
                    f"attachment {attachment_id} ({name}, case {case_number}) has no entry of its own "
                    "in the audit chain"
                )
        leftovers = sorted((seq, key) for key, seqs in unmatched.items() for seq in seqs)
        for seq, (case_number, detail) in leftovers:
            problems.append(
                f"audit entry {seq} attached {detail.split(' (')[0]} to case {case_number}, "
                "which is missing from the log (deleted)"
            )
        return problems

    def rebuild_index(self) -> int:
        """Rebuild the search projection from the log itself; returns the number of cases indexed."""
        with self._write() as conn:
            conn.execute("DELETE FROM case_facets")
            conn.execute("DELETE FROM case_index")
            return self._reindex_missing(conn)

    def integrity_ok(self) -> bool:
        row = self._conn.execute("PRAGMA integrity_check").fetchone()
        return bool(row) and row[0] == "ok"


class _IndexCheck:
    """Compares the search projection with each case's current version, walking both in case order.

    Streaming keeps `verify` at a steady memory use however large the log is.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        columns = ", ".join(_INDEX_COLUMNS)
        self._rows = iter(conn.execute(f"SELECT {columns} FROM case_index ORDER BY case_number"))
        self._pending: sqlite3.Row | None = next(self._rows, None)
        self.problems: list[str] = []

    def _skip_extra(self, before: str | None) -> None:
        while self._pending is not None and (before is None or self._pending["case_number"] < before):
            self.problems.append(f"the search index lists case {self._pending['case_number']}, which is not in the log")
            self._pending = next(self._rows, None)

    def settle(self, version: CaseVersion) -> None:
        self._skip_extra(version.case_number)
        if self._pending is None or self._pending["case_number"] != version.case_number:
            self.problems.append(
                f"case {version.case_number} is missing from the search index (run `main.py verify --rebuild-index`)"
            )
            return
        if dict(self._pending) != _index_row(version):
            self.problems.append(
                f"the search index does not match case {version.case_number} (run `main.py verify --rebuild-index`)"
            )
        self._pending = next(self._rows, None)

    def finish(self) -> list[str]:
        self._skip_extra(None)
        return self.problems


def _attachment_detail(filename: str, content_type: str, sha256: str) -> str:
    """The audit entry's words for an attachment; verify matches each attachment to exactly this."""
    return f"{filename} ({content_type}) sha256 {sha256}"


def _index_row(version: CaseVersion) -> dict[str, Any]:
    """The search projection's row for a case's current version: all of it derived from the record."""
    intake, decision = version.intake, version.decision
    documents = intake.get("documents", [])
    return {
        "case_number": version.case_number,
        "version": version.version,
        "received_utc": _iso_utc(dt.datetime.fromisoformat(version.received_at)),
        "received_at": version.received_at,
        "received_day": version.received_at[:10],
        "recorded_at": version.recorded_at,
        "requester": intake["requester"],
        "status": version.status,
        "referred": 1 if decision.get("refer_to_counsel") else 0,
        "codes": " ".join(dict.fromkeys(r["code"] for r in decision["responses"])),
        "document_kinds": " ".join(dict.fromkeys(d["kind"] for d in documents)),
        "booking_number": intake["subject"].get("booking_number") or "",
        "subject_name": intake["subject"].get("name") or "",
        "requester_name": intake.get("requester_name") or "",
        "signer_names": " ".join(d.get("signer_name") or "" for d in documents).strip(),
        "officer": version.officer,
        "notes": intake.get("notes") or "",
    }


_INDEX_COLUMNS: Final = (
    "case_number",
    "version",
    "received_utc",
    "received_at",
    "received_day",
    "recorded_at",
    "requester",
    "status",
    "referred",
    "codes",
    "document_kinds",
    "booking_number",
    "subject_name",
    "requester_name",
    "signer_names",
    "officer",
    "notes",
)


def _check_override(override: Override | None) -> Override | None:
    if override is None:
        return None
    return Override(_one_line(override.reason, "the reason for disagreeing"), check_officer(override.officer))


def _record_fields(row: dict[str, Any]) -> dict[str, Any]:
    """The hashed fields of a stored version, read back from its columns."""
    override = None
    if row["override_reason"] is not None:
        override = {"reason": row["override_reason"], "officer": row["override_officer"]}
    return {
        "case_number": row["case_number"],
        "version": row["version"],
        "intake": json.loads(row["intake_json"]),
        "decision": json.loads(row["decision_json"]),
        "policy_sha256": row["policy_sha256"],
        "officer": row["officer"],
        "desk": row["desk"],
        "received_at": row["received_at"],
        "recorded_at": row["recorded_at"],
        "recorded_zone": row["recorded_zone"],
        "status": row["status"],
        "amendment_reason": row["amendment_reason"],
        "override": override,
        "previous_hash": row["previous_hash"],
    }


def _version_from_row(row: dict[str, Any]) -> CaseVersion:
    fields = _record_fields(row)
    override = Override(**fields["override"]) if fields["override"] else None
    return CaseVersion(
        case_number=row["case_number"],
        version=row["version"],
        intake=fields["intake"],
        decision=fields["decision"],
        officer=row["officer"],
        desk=row["desk"],
        received_at=row["received_at"],
        recorded_at=row["recorded_at"],
        recorded_zone=row["recorded_zone"],
        status=row["status"],
        record_hash=row["record_hash"],
        amendment_reason=row["amendment_reason"],
        override=override,
    )


def _summary(row: dict[str, Any]) -> CaseSummary:
    return CaseSummary(
        case_number=row["case_number"],
        version=row["version"],
        received_at=row["received_at"],
        recorded_at=row["recorded_at"],
        requester=row["requester"],
        requester_name=row["requester_name"],
        subject_name=row["subject_name"],
        booking_number=row["booking_number"],
        codes=tuple(row["codes"].split()),
        document_kinds=tuple(row["document_kinds"].split()),
        referred=bool(row["referred"]),
        status=row["status"],
        officer=row["officer"],
    )


def _translate(exc: sqlite3.Error, path: Path) -> StoreError:
    """A clear message for what SQLite reports, naming the file."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return LogLocked(f"the case log {path} is busy (another officer is saving); try again in a moment")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"the case log {path} is read-only; ask IT to give desk users write access to its folder")
    if "disk is full" in text or "full" in text:
        return StoreError(f"the disk holding {path} is full; nothing was saved. Free space and try again")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return LogDamaged(f"the case log {path} is damaged ({exc}); restore it from a backup")
    if "append-only" in text:
        return StoreError(f"refused: {exc}")
    return StoreError(f"the case log {path} could not be used: {exc}")


def _connect(path: Path, *, create: bool) -> sqlite3.Connection:
    """Open the SQLite file in autocommit mode (transactions are explicit) with the durability we need."""
    if not create and not path.exists():
        raise StoreError(f"there is no case log at {path}")
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=True)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"the case log {path} cannot use write-ahead logging (journal mode {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn
    except sqlite3.Error as exc:
        raise _translate(exc, path) from None


def _is_log(conn: sqlite3.Connection) -> bool:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    return int(app_id) == schema.APPLICATION_ID


def open_store(data_dir: Path, *, create: bool = True) -> CaseStore:
    """Open (or create) the case log in `data_dir`, migrating an older log after a backup copy.

    Raises:
        NewerLog: the log was written by a newer version of the app; it is left untouched.
        LogDamaged: the file is not a usable SQLite database, or is another program's database.
        StoreError: the folder cannot be created or written.
    """
    data_dir = Path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"the data folder {data_dir} cannot be created: {describe_os_error(exc)}") from None
    path = data_dir / DB_NAME
    existed = path.exists() and path.stat().st_size > 0
    conn = _connect(path, create=create)
    try:
        try:
            is_empty = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0
        except sqlite3.DatabaseError as exc:
            raise _translate(exc, path) from None
        if not is_empty and not _is_log(conn):
            raise LogDamaged(f"{path} is not a Safe Communities Desk case log; it was left untouched")
        db = Database(conn)
        applied = {m.name for m in schema.migrations.applied(db)}
        unknown = sorted(applied - set(schema.known_migrations()))
        if unknown:
            raise NewerLog(
                f"the case log {path} was written by a newer version of Safe Communities Desk "
                f"(schema {', '.join(unknown)}); install that version. The log was not changed."
            )
        store = CaseStore(data_dir, db, conn)
        pending = schema.migrations.pending(db)
        if pending:
            if existed and not is_empty:
                from desktop.store.backup import backup_before_migration

                copy = backup_before_migration(store, [m.name for m in pending])
                store.notices.append(f"Case log backed up to {copy} before upgrading")
            try:
                schema.migrations.apply(db)
                with store._write() as write_conn:
                    store._reindex_missing(write_conn)
                    write_conn.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES ('app_version', ?)", [__version__]
                    )
                    if existed and not is_empty:
                        store._append_event(
                            write_conn,
                            EVENT_MIGRATED,
                            "system",
                            f"schema upgraded: {', '.join(m.name for m in pending)}",
                        )
            except sqlite3.Error as exc:
                raise _translate(exc, path) from None
            if existed and not is_empty:
                store.notices.append(f"Case log upgraded ({', '.join(m.name for m in pending)})")
        return store
    except BaseException:
        conn.close()
        raise


def default_desk() -> str:
    """This machine's name, as Windows and other systems report it."""
    return os.environ.get("COMPUTERNAME") or platform.node() or "unknown desk"
