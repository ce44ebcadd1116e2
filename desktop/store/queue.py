"""The review queue: referred cases, whose membership is read from the log itself.

A case waiting for counsel must never drop out of sight because a derived row went missing (a
kill mid-upgrade, a row deleted by hand). So the queue as it opens, and its count, read each case's
newest version from `case_versions`, never the search projection.

A filtered queue (a requester, a paper, words, days) asks the projection which referred cases match,
as the search does, and then checks each against the log: its newest version is the one indexed, and
referred. The projection is trusted for that only while its counts agree with the log: the check every
open makes (one search row, one status facet and one full-text entry per case, index.py
`index_disagrees`), and as many `status:referred` facets as the log has referred cases. Both are
counted again whenever the log changed (`PRAGMA data_version`). When they disagree, say a facet row
deleted by hand, every referred case is read from the log and filtered here, in Python, as the search
would filter it (`matches`): slower, never wrong, until the next open rebuilds the projection. A row
there but wrong in a way no count shows (a facet renamed by hand while another case's row is put back
to an old version) is for `verify`, which compares every row, as for the search.

Pages are walked in case-number order down the index of referred versions (m010), which also holds
their case numbers and version numbers, so the first page of a queue of 200,000 referred cases reads
about 50 index entries and 50 versions, and its count reads the index alone (`bench.bench_store`).
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import replace
from typing import Any, Final

from desktop.records import Status
from desktop.store.connect import translate
from desktop.store.index import facets, index_disagrees, index_row
from desktop.store.query import CaseQuery, CaseSummary, row_count
from desktop.store.read import ReadMixin, fts_query, query_facets, row_clauses
from desktop.store.rows import summary_from_row, version_from_row

_SEARCHED = ("case_number", "booking_number", "subject_name", "requester_name", "signer_names", "notes")
_WORD = re.compile(r"\w+")


def _tokens(text: str) -> list[str]:
    """Words as the full-text index sees them (unicode61, diacritics removed, case folded)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _WORD.findall(plain.casefold())


def _has_phrase(words: list[str], phrase: list[str]) -> bool:
    """The phrase's words appear in a row, the last one as a prefix (what `"w"*` means to FTS5)."""
    n = len(phrase)
    for start in range(len(words) - n + 1):
        window = words[start : start + n]
        if window[:-1] == phrase[:-1] and window[-1].startswith(phrase[-1]):
            return True
    return False


def matches(query: CaseQuery, row: dict[str, Any], found: set[str]) -> bool:
    """Whether a case (its projection row, computed afresh, and its facets) passes the query's filters."""
    if not set(query_facets(query)) <= found:
        return False
    if query.referred is False and row["referred"]:
        return False
    if query.since and row["received_day"] < query.since.isoformat():
        return False
    if query.until and row["received_day"] > query.until.isoformat():
        return False
    if query.text.strip():
        words = _tokens(" ".join(str(row[c]) for c in _SEARCHED))
        for term in query.text.split():
            phrase = _tokens(term)
            if phrase and not _has_phrase(words, phrase):
                return False
    return True


REFERRED: Final = Status.REFERRED.value
# A version is its case's state now when no later version follows it.
_NEWEST: Final = (
    "NOT EXISTS (SELECT 1 FROM case_versions n WHERE n.case_number = v.case_number AND n.version > v.version)"
)
# A filter this rare (its rarest facet, or its words) is read whole and sorted; a commoner one is walked
# down the referred cases' numbers until the page is full.
RARE_BELOW: Final = 20_000


def _unfiltered(query: CaseQuery | None) -> bool:
    """The queue as it opens: no filter but the referred status it always has."""
    return query is None or query in (CaseQuery(), CaseQuery(status=REFERRED))


class QueueMixin(ReadMixin):
    """Referred cases awaiting a supervisor: their newest versions, read from the log."""

    _queue_check: tuple[tuple[int, int], bool] | None = None  # (the log's state, whether the projection holds)

    def _summaries(self, rows: list[sqlite3.Row], query: CaseQuery | None) -> list[CaseSummary]:
        """The rows' summaries, computed afresh from each version (those that pass `query`, if one is given)."""
        found = []
        for data in rows:
            version = version_from_row(dict(data))
            row = index_row(version, self._zones.of(version))
            if query is None or matches(query, row, facets(version)):
                found.append(summary_from_row(row))
        return found

    def _rows(self, sql: str, params: list[Any]) -> list[sqlite3.Row]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None

    def review_queue(
        self, query: CaseQuery | None = None, *, limit: int = 50, offset: int = 0, newest_first: bool = True
    ) -> list[CaseSummary]:
        """One page of the referred cases (filtered by `query`), newest case first by default."""
        order = "DESC" if newest_first else "ASC"
        limit, offset = row_count(limit), row_count(offset)  # a huge number lists as far as the log goes
        if query is None or _unfiltered(query):
            ids = self._rows(
                f"SELECT v.id FROM case_versions v WHERE v.status = ? AND {_NEWEST}"
                f" ORDER BY v.case_number {order} LIMIT ? OFFSET ?",
                [REFERRED, limit, offset],
            )
            return self._summaries(self._versions([int(r[0]) for r in ids]), None)
        if query.status and query.status != REFERRED:
            return []
        if self._projection_holds_queue():
            return self._summaries(self._versions(self._indexed_page(query, order, limit, offset)), None)
        return self._summaries(self._every_referred(order), query)[offset : offset + limit]

    def review_count(self, query: CaseQuery | None = None) -> int:
        if query is None or _unfiltered(query):
            return self._referred_count()
        if query.status and query.status != REFERRED:
            return 0
        if self._projection_holds_queue():
            return self.count(replace(query, status=REFERRED))
        return len(self._summaries(self._every_referred("DESC"), query))

    # --- from the log alone ---

    def _referred_count(self) -> int:
        return int(
            self._rows(f"SELECT COUNT(*) FROM case_versions v WHERE v.status = ? AND {_NEWEST}", [REFERRED])[0][0]
        )

    def _versions(self, ids: list[int]) -> list[sqlite3.Row]:
        """The versions with these ids, in the order given."""
        if not ids:
            return []
        rows = {
            int(r["id"]): r
            for r in self._rows(f"SELECT * FROM case_versions WHERE id IN ({', '.join('?' * len(ids))})", ids)
        }
        return [rows[i] for i in ids if i in rows]

    def _every_referred(self, order: str) -> list[sqlite3.Row]:
        return self._rows(
            f"SELECT v.* FROM case_versions v WHERE v.status = ? AND {_NEWEST} ORDER BY v.case_number {order}",
            [REFERRED],
        )

    # --- through the projection, each case shown checked against the log ---

    def _projection_holds_queue(self) -> bool:
        """Whether the projection's counts agree with the log's (the open's check, and as many cases filed under
        `status:referred` as the log has referred); counted once for each state of the log."""
        conn = self._conn
        state = (int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes)
        if self._queue_check is not None and self._queue_check[0] == state:
            return self._queue_check[1]
        facet = f"status:{REFERRED}"
        filed = int(self._rows("SELECT COUNT(*) FROM case_facets WHERE facet = ?", [facet])[0][0])
        holds = filed == self._referred_count() and index_disagrees(conn) is None
        self._queue_check = (state, holds)
        return holds

    def _indexed_page(self, query: CaseQuery, order: str, limit: int, offset: int) -> list[int]:
        """The ids of one page of the referred versions the projection finds for `query`, each the newest of its
        case in the log and referred there, in case-number order."""
        filed = replace(query, status=REFERRED)
        if self._rarest(query) < RARE_BELOW:
            sql, params, _order = self._select(filed)
            rows = self._rows(
                f"SELECT v.id FROM (SELECT ci.case_number AS case_number, ci.version AS version {sql}) c"
                " CROSS JOIN case_versions v ON v.status = ? AND v.case_number = c.case_number"
                f" AND v.version = c.version WHERE {_NEWEST} ORDER BY v.case_number {order} LIMIT ? OFFSET ?",
                [*params, REFERRED, limit, offset],
            )
            return [int(r[0]) for r in rows]
        # A common filter: walk the referred cases down their numbers, probing each one's search row and facets.
        wanted = query_facets(filed)
        clauses = ["EXISTS (SELECT 1 FROM case_facets f WHERE f.facet = ? AND f.case_id = ci.id)" for _ in wanted]
        more, more_params = row_clauses(query, probe=True)
        rows = self._rows(
            "SELECT v.id FROM case_versions v CROSS JOIN case_index ci"
            " ON ci.case_number = v.case_number AND ci.version = v.version"
            f" WHERE v.status = ? AND {_NEWEST} AND {' AND '.join([*clauses, *more])}"
            f" ORDER BY v.case_number {order} LIMIT ? OFFSET ?",
            [REFERRED, *wanted, *more_params, limit, offset],
        )
        return [int(r[0]) for r in rows]

    def _rarest(self, query: CaseQuery) -> int:
        """How many cases the query's rarest part finds, counted up to RARE_BELOW."""
        sizes = [self._facet_size(f) for f in query_facets(replace(query, status=REFERRED))]
        if query.text.strip():
            row = self._rows(
                "SELECT COUNT(*) FROM (SELECT 1 FROM case_index_fts WHERE case_index_fts MATCH ? LIMIT ?)",
                [fts_query(query.text), RARE_BELOW],
            )
            sizes.append(int(row[0][0]))
        return min(sizes)
