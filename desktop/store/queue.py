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
from desktop.store.query import CaseQuery, CaseSummary
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


class QueueMixin(StoreBase):
    """Referred cases awaiting a supervisor, straight from their current versions."""

    def _referred_now(self, query: CaseQuery | None) -> list[CaseSummary]:
        """Every case whose current version is referred and passes the query, oldest case first (case number order)."""
        try:
            rows = self._conn.execute(
                "SELECT v.* FROM case_versions v WHERE v.status = ? AND v.version ="
                " (SELECT MAX(n.version) FROM case_versions n WHERE n.case_number = v.case_number)"
                " ORDER BY v.case_number",
                [Status.REFERRED.value],
            ).fetchall()
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        found = []
        for data in rows:
            version = version_from_row(dict(data))
            row = index_row(version, self._zones.of(version))
            if query is None or matches(query, row, facets(version.intake, version.decision, version.status)):
                found.append(summary_from_row(row))
        return found

    def review_queue(
        self, query: CaseQuery | None = None, *, limit: int = 50, offset: int = 0, newest_first: bool = True
    ) -> list[CaseSummary]:
        """One page of the referred cases (filtered by `query`), most recently recorded first by default."""
        found = self._referred_now(query)
        if newest_first:
            found.reverse()
        return found[max(0, offset) : max(0, offset) + max(0, limit)]

    def review_count(self, query: CaseQuery | None = None) -> int:
        return len(self._referred_now(query))
