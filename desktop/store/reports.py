"""What the oversight reports read from the log: every version of the cases received in a period.

The period is a range of the desk's local dates, matched against the search index's `received_day`
(already in each case's pack zone, desktop/store/index.py), so a fax at 23:30 on New Year's Eve is
counted in the old year. Only the few fields a report counts are read, and SQLite's own JSON
functions pick them out of each version, so no intake or decision is parsed whole in Python.

A snapshot is read in one read transaction: the cases and the audit entry they were read up to
agree, even while another desk records a case.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

from desktop.records import EventKind
from desktop.store.connect import StoreBase, translate
from desktop.store.hashing import GENESIS_HASH

# The audit entries that change what a case says; a report is made from the chain up to the newest of these.
CASE_ENTRY_KINDS: Final = (EventKind.RECORDED.value, EventKind.AMENDED.value)

_VERSIONS_SQL: Final = """
SELECT ci.case_number AS case_number, ci.received_day AS received_day,
       v.version AS version, v.status AS status, v.recorded_at AS recorded_at, v.received_at AS received_at,
       v.officer AS officer, v.override_officer AS override_officer, v.override_reason IS NOT NULL AS overridden,
       json_extract(v.intake_json, '$.channel', '$.requester', '$.documents', '$.actions', '$.info',
                    '$.subject.minor', '$.benefit') AS intake,
       (SELECT json_group_array(json_array(json_extract(r.value, '$.action', '$.info', '$.code', '$.refer')))
          FROM json_each(v.decision_json, '$.responses') r) AS responses,
       json_extract(v.decision_json, '$.refer_to_counsel') AS refer_to_counsel
  FROM case_index ci JOIN case_versions v ON v.case_number = ci.case_number
 WHERE ci.received_day >= ? AND ci.received_day <= ?
 ORDER BY ci.case_number, v.version
"""


@dataclass(frozen=True, slots=True)
class ResponseFacts:
    """One response of a decision, as a report counts it (no instruction text, no reasons)."""

    action: str
    info: str | None
    code: str
    refer: str | None


@dataclass(frozen=True, slots=True)
class VersionFacts:
    """One version of a case, reduced to what the reports count. Holds no name, note or address."""

    version: int
    status: str
    recorded_at: str  # ISO 8601, UTC
    received_at: str  # ISO 8601 with the offset typed
    officer: str
    override_officer: str | None  # set when the officer disagreed with this version's decision
    overridden: bool
    channel: str
    requester: str
    document_kinds: tuple[str, ...]
    actions: tuple[str, ...]
    info: tuple[str, ...]
    minor: bool
    benefit: str
    responses: tuple[ResponseFacts, ...]
    refer_to_counsel: bool


@dataclass(frozen=True, slots=True)
class ReportCase:
    """A case received in the period: its number, its local day and all its versions, oldest first."""

    case_number: str
    received_day: str  # YYYY-MM-DD in the pack's time zone (the current version's)
    versions: tuple[VersionFacts, ...]

    @property
    def first(self) -> VersionFacts:
        return self.versions[0]

    @property
    def current(self) -> VersionFacts:
        return self.versions[-1]


@dataclass(frozen=True)
class ChainAnchor:
    """The audit entry a report was read up to: its position (the entry count) and its hash."""

    position: int  # 0 for a log with no case entry yet
    entry_hash: str


@dataclass(frozen=True)
class ReportSnapshot:
    """The anchor and the cases of one consistent read. `cases` streams; read it inside the `with` block."""

    anchor: ChainAnchor
    cases: Iterator[ReportCase]


def _strings(values: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in values or () if v is not None)


def version_facts(row: Mapping[str, Any]) -> VersionFacts:
    """One version's facts from a row of the report query's shape (this module's SQL, or the county
    register's `report_facts`, desktop/register): the few fields counted, the intake's and the responses'
    as JSON arrays."""
    channel, requester, documents, actions, info, minor, benefit = json.loads(row["intake"])
    responses = tuple(
        ResponseFacts(str(action), info_kind, str(code), refer)
        for ((action, info_kind, code, refer),) in json.loads(row["responses"])
    )
    return VersionFacts(
        version=int(row["version"]),
        status=str(row["status"]),
        recorded_at=str(row["recorded_at"]),
        received_at=str(row["received_at"]),
        officer=str(row["officer"]),
        override_officer=row["override_officer"],
        overridden=bool(row["overridden"]),
        channel=str(channel),
        requester=str(requester),
        document_kinds=_strings(d.get("kind") for d in documents or ()),
        actions=_strings(actions),
        info=_strings(info),
        minor=bool(minor),
        benefit=str(benefit or "none"),
        responses=responses,
        refer_to_counsel=bool(row["refer_to_counsel"]),
    )


def report_cases(rows: Iterable[Mapping[str, Any]], *, key: str = "case_number") -> Iterator[ReportCase]:
    """Rows of the report query's shape, in case order, as cases with their versions (streamed).

    `key` names the column that tells one case from the next (the county register groups by a key that
    is not the case number, and its cases carry no number).
    """
    current: object = None
    number, day = "", ""
    versions: list[VersionFacts] = []
    for row in rows:
        if row[key] != current:
            if versions:
                yield ReportCase(number, day, tuple(versions))
            current, versions = row[key], []
            number, day = str(row[key]) if key == "case_number" else "", str(row["received_day"])
        versions.append(version_facts(row))
    if versions:
        yield ReportCase(number, day, tuple(versions))


class ReportMixin(StoreBase):
    """Reading a period's cases for the oversight reports; nothing here writes."""

    def report_anchor(self) -> ChainAnchor:
        """The newest audit entry that recorded a case or an amendment (the genesis hash for none)."""
        marks = ", ".join("?" for _ in CASE_ENTRY_KINDS)
        row = self._conn.execute(
            f"SELECT seq, entry_hash FROM audit_log WHERE kind IN ({marks}) ORDER BY seq DESC LIMIT 1",
            list(CASE_ENTRY_KINDS),
        ).fetchone()
        return ChainAnchor(int(row[0]), str(row[1])) if row else ChainAnchor(0, GENESIS_HASH)

    def _report_cases(self, start: dt.date, end: dt.date) -> Iterator[ReportCase]:
        return report_cases(self._conn.execute(_VERSIONS_SQL, [start.isoformat(), end.isoformat()]))

    @contextmanager
    def report_snapshot(self, start: dt.date, end: dt.date) -> Iterator[ReportSnapshot]:
        """Every case whose current version was received from `start` to `end` (local days, inclusive).

        Cases come in case-number order, each with all its versions; the anchor is read in the same
        read transaction, so it is exactly the chain the cases were read from.
        """
        conn = self._conn
        try:
            conn.execute("BEGIN")
            anchor = self.report_anchor()
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise translate(exc, self.path) from None
        try:
            yield ReportSnapshot(anchor, self._report_cases(start, end))
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")
