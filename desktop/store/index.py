"""The search projection: one row per case (its current version) plus facet rows, all derived from the log.

Unlike the log this projection is updated on amendment, and can always be rebuilt from the versions.
A request's day (`received_day`, for the date filters) is its day in the time zone of the pack the
version was decided under; a pack kept from before packs named a zone gives the day as typed.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
import tomllib
from typing import TYPE_CHECKING, Any, Final

from desktop.records import CaseVersion
from desktop.store.fields import iso_utc
from desktop.store.rows import version_from_row

if TYPE_CHECKING:
    from desktop.store.connect import StoreBase

INDEX_COLUMNS: Final = (
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


def zone_of_pack(content: bytes) -> dt.tzinfo | None:
    """The time zone a kept pack file names (`[pack] time_zone`), or None when it names none or cannot be read."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        meta = tomllib.loads(content.decode("utf-8")).get("pack", {})
        name = meta.get("time_zone", "") if isinstance(meta, dict) else ""
        return ZoneInfo(name.strip()) if isinstance(name, str) and name.strip() else None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, ZoneInfoNotFoundError, ValueError):
        return None


class PackZones:
    """Each kept pack's time zone, by sha256, read once from the copy in the log."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._zones: dict[str, dt.tzinfo | None] = {}

    def remember(self, sha256: str, zone: dt.tzinfo | None) -> None:
        self._zones[sha256] = zone

    def __call__(self, sha256: str) -> dt.tzinfo | None:
        if sha256 in self._zones:
            return self._zones[sha256]
        row = self._conn.execute("SELECT content FROM policy_packs WHERE sha256 = ?", [sha256]).fetchone()
        if row is None:
            return None  # not kept (yet): not cached, so a pack saved later is read then
        zone = self._zones[sha256] = zone_of_pack(bytes(row[0]))
        return zone

    def of(self, version: CaseVersion) -> dt.tzinfo | None:
        """The zone of the pack the version was decided under (None when its decision names no pack)."""
        return self(version.decision.policy_sha256)


def received_day(received_at: str, zone: dt.tzinfo | None) -> str:
    """The day a request was received: in the pack's zone, else as typed (its own offset)."""
    if zone is None:
        return received_at[:10]
    return dt.datetime.fromisoformat(received_at).astimezone(zone).date().isoformat()


def facets(version: CaseVersion) -> set[str]:
    """The facets a case's current version files it under (requester, paper, response code, status)."""
    intake, decision = version.intake, version.decision
    found = {f"requester:{intake.requester}", f"status:{version.status.value}"}
    found.update(f"doc:{d.kind}" for d in intake.documents)
    found.update(f"code:{r.code}" for r in decision.responses)
    if decision.refer_to_counsel:
        found.add("referred:1")
    return found


def index_row(version: CaseVersion, zone: dt.tzinfo | None) -> dict[str, Any]:
    """The search projection's row for a case's current version: all of it derived from the record."""
    intake, decision = version.intake, version.decision
    documents = intake.documents
    return {
        "case_number": version.case_number,
        "version": version.version,
        "received_utc": iso_utc(dt.datetime.fromisoformat(version.received_at)),
        "received_at": version.received_at,
        "received_day": received_day(version.received_at, zone),
        "recorded_at": version.recorded_at,
        "requester": intake.requester,
        "status": version.status.value,
        "referred": 1 if decision.refer_to_counsel else 0,
        "codes": " ".join(dict.fromkeys(r.code for r in decision.responses)),
        "document_kinds": " ".join(dict.fromkeys(d.kind for d in documents)),
        "booking_number": intake.subject.booking_number or "",
        "subject_name": intake.subject.name or "",
        "requester_name": intake.requester_name or "",
        "signer_names": " ".join(d.signer_name or "" for d in documents).strip(),
        "officer": version.officer,
        "notes": intake.notes or "",
    }


def write_index(conn: sqlite3.Connection, version: CaseVersion, zones: PackZones) -> None:
    """Point the search projection at this (current) version of its case."""
    row = index_row(version, zones.of(version))
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
        [(facet, case_id) for facet in sorted(facets(version))],
    )


def reindex_missing(conn: sqlite3.Connection, zones: PackZones) -> int:
    """Index every case whose current version is not in the search projection yet (after m002)."""
    rows = conn.execute(
        "SELECT v.* FROM case_versions v JOIN (SELECT case_number, MAX(version) AS version FROM case_versions"
        " GROUP BY case_number) latest USING (case_number, version)"
        " WHERE v.case_number NOT IN (SELECT case_number FROM case_index) ORDER BY v.id"
    ).fetchall()
    for row in rows:
        write_index(conn, version_from_row(dict(row)), zones)
    return len(rows)


# The newest version of each case after a case number, whose search row is missing, in case-number order.
_MISSING_AFTER: Final = """
SELECT v.* FROM cases c CROSS JOIN case_versions v ON v.case_number = c.case_number
   AND v.version = (SELECT MAX(n.version) FROM case_versions n WHERE n.case_number = c.case_number)
 WHERE c.case_number > ? AND NOT EXISTS (SELECT 1 FROM case_index ci WHERE ci.case_number = c.case_number)
 ORDER BY c.case_number LIMIT ?
"""
# How long one transaction of a rebuild may hold the write lock, and how long it then lets go: longer than
# the longest wait between two tries of another desk's busy handler (SQLite's is 100 ms), so a desk
# saving meanwhile gets the lock within about a second, far inside its 15 s busy timeout.
HOLD_SECONDS: Final = 1.0
LET_GO_SECONDS: Final = 0.15
_CHUNK: Final = 100  # cases indexed between two looks at the time
_FACET_RANGE: Final = 20_000  # cases whose facets are deleted between two looks at the time


def clear_projection(conn: sqlite3.Connection) -> None:
    """Empty the search rows and the full-text index, in the caller's transaction (the facets: clear_facets).

    The full-text index's triggers are set aside meanwhile, so an index whose entries were deleted behind
    its back (which its delete trigger would take for damage) is emptied whole ('delete-all'); with no
    trigger, SQLite empties the tables without visiting each row.
    """
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'case_index'"
    ).fetchall()
    for name, _sql in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("DELETE FROM case_facets")  # what clear_facets left: the facets saved meanwhile
    conn.execute("DELETE FROM case_index")
    conn.execute("INSERT INTO case_index_fts (case_index_fts) VALUES ('delete-all')")
    for _name, sql in triggers:
        conn.execute(sql)


def clear_facets(store: StoreBase) -> None:
    """Delete every facet row, a range of cases to a transaction (each about HOLD_SECONDS at most).

    A case saved meanwhile gets its facets again; clear_projection removes those with the rest.
    """
    top = int(store._conn.execute("SELECT COALESCE(MAX(case_id), 0) FROM case_facets").fetchone()[0])
    start, step = 0, _FACET_RANGE
    while start <= top:
        with store._write() as conn:
            began = time.monotonic()
            while start <= top:  # a range at least, then more while the transaction is young
                conn.execute("DELETE FROM case_facets WHERE case_id >= ? AND case_id < ?", [start, start + step])
                start += step
                if time.monotonic() - began >= HOLD_SECONDS:
                    break
        if start <= top:
            time.sleep(LET_GO_SECONDS)


def rebuild_in_batches(store: StoreBase) -> int:
    """Rebuild the search projection from the log without holding the write lock for long; returns the cases
    indexed.

    Short transactions empty it (`clear_facets`, then `clear_projection`: at a million cases that one takes
    about five seconds, the only one longer than HOLD_SECONDS); then the cases are indexed in case-number order,
    each transaction holding the lock at most about HOLD_SECONDS and letting go for LET_GO_SECONDS, so other
    desks save meanwhile (`bench.bench_store` measures the longest any of them waits). A case those desks
    record or amend meanwhile is indexed by their own save, and skipped here. Until the last batch the
    search misses the cases not yet indexed; the review queue does not (store/queue.py reads the log while
    the projection's counts disagree with it). A kill between batches leaves a projection whose counts
    disagree, and the next open rebuilds it again.
    """
    clear_facets(store)
    with store._write() as conn:
        clear_projection(conn)
    zones, after, total, done = store._zones, "", 0, False
    while not done:
        with store._write() as conn:
            started = time.monotonic()
            while not done:  # a chunk at least, then more while the transaction is young
                rows = conn.execute(_MISSING_AFTER, [after, _CHUNK]).fetchall()
                for row in rows:
                    write_index(conn, version_from_row(dict(row)), zones)
                total += len(rows)
                done = len(rows) < _CHUNK
                after = str(rows[-1]["case_number"]) if rows else after
                if time.monotonic() - started >= HOLD_SECONDS:
                    break
        if not done:
            time.sleep(LET_GO_SECONDS)
    return total


def recompute_received_days(conn: sqlite3.Connection) -> int:
    """Set each indexed case's received_day in its pack's zone, where that differs; returns the rows changed.

    Only cases decided under a pack that names a zone can change, so a log whose packs name none
    is left as it is after one look at its packs.
    """
    zoned = {}
    for sha, content in conn.execute("SELECT sha256, content FROM policy_packs"):
        zone = zone_of_pack(bytes(content))
        if zone is not None:
            zoned[str(sha)] = zone
    changed = 0
    for sha, zone in zoned.items():
        rows = conn.execute(
            "SELECT ci.id, ci.received_at, ci.received_day FROM case_index ci JOIN case_versions v"
            " ON v.case_number = ci.case_number AND v.version = ci.version WHERE v.policy_sha256 = ?",
            [sha],
        ).fetchall()
        updates = [(day, row[0]) for row in rows if (day := received_day(row[1], zone)) != row[2]]
        conn.executemany("UPDATE case_index SET received_day = ? WHERE id = ?", updates)
        changed += len(updates)
    return changed


def index_disagrees(conn: sqlite3.Connection) -> str | None:
    """Why the search projection disagrees with the cases, or None: a quick look, made at every open.

    It counts rather than compares, so it costs a few milliseconds at any size (`bench.bench_store`):
    one projection row per case, one status facet per row, and one full-text entry per row. Those are
    what a kill mid-upgrade or deleted rows break. A row that is there but wrong is for `verify`,
    which compares every row; the review queue does not depend on the projection at all.
    """
    cases = int(conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0])
    indexed = int(conn.execute("SELECT COUNT(*) FROM case_index").fetchone()[0])
    if cases != indexed:
        return f"{indexed:,} of {cases:,} cases are indexed"
    statuses = int(
        conn.execute("SELECT COUNT(*) FROM case_facets WHERE facet >= 'status:' AND facet < 'status;'").fetchone()[0]
    )
    if statuses != indexed:
        return f"{indexed - statuses:,} indexed case(s) have lost their search facets"
    texts = int(conn.execute("SELECT COUNT(*) FROM case_index_fts_docsize").fetchone()[0])
    if texts != indexed:
        return f"{texts:,} of {indexed:,} cases are in the full-text index"
    return None
