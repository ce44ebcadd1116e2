"""The read path: a case with all its versions, the packs kept in the log, and the case log's search."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from desktop.records import CaseEvent, CaseRecord, CaseVersion
from desktop.rules import Pack
from desktop.store.connect import StoreBase, translate
from desktop.store.errors import CaseNotFound, LogDamaged, StoreError
from desktop.store.query import CaseQuery, CaseSummary, row_count
from desktop.store.rows import attachment_from_row, summary_from_row, version_from_row


def fts_query(text: str) -> str:
    """User words as an FTS5 query: every word must match, each as a quoted prefix."""
    words = [w.replace('"', '""') for w in text.split()]
    return " ".join(f'"{w}"*' for w in words)


def query_facets(query: CaseQuery) -> list[str]:
    """The facets a query asks for (requester, paper, response, status, referred), in this order."""
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
    return facets


def row_clauses(query: CaseQuery, *, probe: bool = False) -> tuple[list[str], list[Any]]:
    """The query's conditions on a search row `ci` other than its facets: words, days, not referred.

    With `probe`, the words only test each row another index found (`+ci.id`: SQLite then never walks
    their matches for each such row).
    """
    clauses: list[str] = []
    params: list[Any] = []
    if query.text.strip():
        column = "+ci.id" if probe else "ci.id"
        clauses.append(f"{column} IN (SELECT rowid FROM case_index_fts WHERE case_index_fts MATCH ?)")
        params.append(fts_query(query.text))
    # Days are the jurisdiction's days (the pack's zone): a request faxed at 22:18 on 13 January
    # (-05:00) is on the 13th.
    if query.since:
        clauses.append("ci.received_day >= ?")
        params.append(query.since.isoformat())
    if query.until:
        clauses.append("ci.received_day <= ?")
        params.append(query.until.isoformat())
    if query.referred is False:
        clauses.append("ci.referred = 0")
    return clauses, params


class ReadMixin(StoreBase):
    """Reading cases and searching the projection; nothing here writes."""

    def get(self, case_number: str) -> CaseRecord:
        """The case with every version (oldest first), its events and its attachments."""
        case_number = case_number.strip()
        rows = self._conn.execute(
            "SELECT * FROM case_versions WHERE case_number = ? ORDER BY version", [case_number]
        ).fetchall()
        if not rows:
            raise CaseNotFound(case_number)
        versions = tuple(version_from_row(dict(r)) for r in rows)
        events = tuple(
            CaseEvent(r["seq"], r["kind"], r["actor"], r["at"], r["detail"], r["entry_hash"])
            for r in self._conn.execute("SELECT * FROM audit_log WHERE case_number = ? ORDER BY seq", [case_number])
        )
        attachments = tuple(
            attachment_from_row(dict(r))
            for r in self._conn.execute(
                "SELECT id, case_number, filename, content_type, size, sha256, added_at, added_by FROM attachments"
                " WHERE case_number = ? ORDER BY id",
                [case_number],
            )
        )
        return CaseRecord(case_number, versions, events, attachments)

    def attachment_content(self, attachment_id: int) -> bytes:
        row = self._conn.execute("SELECT content FROM attachments WHERE id = ?", [attachment_id]).fetchone()
        if row is None:
            raise StoreError(f"attachment {attachment_id} is not in the log")
        return bytes(row[0])

    def pack_content(self, sha256: str) -> bytes:
        """The exact pack file a decision was made under, as kept in the log."""
        row = self._conn.execute("SELECT content FROM policy_packs WHERE sha256 = ?", [sha256]).fetchone()
        if row is None:
            raise LogDamaged(f"the policy pack {sha256[:12]}… is missing from the log")
        return bytes(row[0])

    def pack_for(self, version: CaseVersion) -> Pack:
        """The pack the version was decided under, parsed from the copy kept in the log."""
        from desktop.rules.catalog import pack_from_bytes

        decision = version.decision
        source = Path(f"<log: pack {decision.policy_id} {decision.policy_version}>")
        return pack_from_bytes(self.pack_content(decision.policy_sha256), source)

    def _select(self, query: CaseQuery) -> tuple[str, list[Any], str]:
        """FROM ... WHERE ... for a query, its parameters, and the column that orders cases by recording.

        With a filter on a facet (requester, paper, response, status, referred) the facet's index
        drives the query newest-first, so a page of 50 stops after 50 matches even at a million cases.
        """
        facets = query_facets(query)
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
        more, more_params = row_clauses(query)
        clauses += more
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        return f"FROM {' '.join(joins)}{where}", [*join_params, *where_params, *more_params], order_column

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
                [*params, row_count(limit), row_count(offset)],
            ).fetchall()
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        return [summary_from_row(dict(r)) for r in rows]

    def count(self, query: CaseQuery | None = None) -> int:
        sql, params, _order = self._select(query or CaseQuery())
        try:
            return int(self._conn.execute(f"SELECT COUNT(*) {sql}", params).fetchone()[0])
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None

    def case_numbers(self, query: CaseQuery | None = None) -> list[str]:
        """Every matching case number, newest first (for exports of a whole selection)."""
        sql, params, order_column = self._select(query or CaseQuery())
        return [r[0] for r in self._conn.execute(f"SELECT ci.case_number {sql} ORDER BY {order_column} DESC", params)]

    def total_cases(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0])
