"""The review queue: referred cases read from the log itself, never from the search projection.

A case waiting for counsel must never drop out of sight because a derived row went missing (a
kill mid-upgrade, a row deleted by hand). So the queue reads each case's current version from
`case_versions`, and applies the window's filters here, in Python, to the few cases it holds.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from typing import Any

from desktop.records import Status
from desktop.store.connect import StoreBase, translate
from desktop.store.index import facets, index_row
from desktop.store.query import CaseQuery, CaseSummary, row_count
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
    wanted = {
        f"requester:{query.requester}" if query.requester else None,
        f"doc:{query.document_kind}" if query.document_kind else None,
        f"code:{query.code}" if query.code else None,
        f"status:{query.status}" if query.status else None,
        "referred:1" if query.referred else None,
    } - {None}
    if not wanted <= found:
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


# The current version of every case, where it is referred (the status index finds them; m008).
_CURRENT_REFERRED = (
    "FROM case_versions v WHERE v.status = ? AND v.version ="
    " (SELECT MAX(n.version) FROM case_versions n WHERE n.case_number = v.case_number)"
)


def _unfiltered(query: CaseQuery | None) -> bool:
    """The queue as it opens: no filter but the referred status it always has."""
    return query is None or query in (CaseQuery(), CaseQuery(status=Status.REFERRED.value))


class QueueMixin(StoreBase):
    """Referred cases awaiting a supervisor, straight from their current versions."""

    def _summaries(self, rows: list[sqlite3.Row], query: CaseQuery | None) -> list[CaseSummary]:
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
        """One page of the referred cases (filtered by `query`), newest case first by default.

        Unfiltered, SQLite pages through the versions and only that page is read; with a filter every
        referred case is read and filtered here (the queue is short: cases leave it once resolved).
        """
        order = "DESC" if newest_first else "ASC"
        if _unfiltered(query):
            rows = self._rows(
                f"SELECT v.* {_CURRENT_REFERRED} ORDER BY v.case_number {order} LIMIT ? OFFSET ?",
                [Status.REFERRED.value, row_count(limit), row_count(offset)],
            )
            return self._summaries(rows, None)
        rows = self._rows(f"SELECT v.* {_CURRENT_REFERRED} ORDER BY v.case_number {order}", [Status.REFERRED.value])
        return self._summaries(rows, query)[row_count(offset) : row_count(offset) + row_count(limit)]

    def review_count(self, query: CaseQuery | None = None) -> int:
        if _unfiltered(query):
            return int(self._rows(f"SELECT COUNT(*) {_CURRENT_REFERRED}", [Status.REFERRED.value])[0][0])
        rows = self._rows(f"SELECT v.* {_CURRENT_REFERRED}", [Status.REFERRED.value])
        return len(self._summaries(rows, query))
