"""What the oversight reports read from the log: the counts of a period, and every version of its cases.

The period is a range of the desk's local dates, matched against the search index's `received_day`
(already in each case's pack zone, desktop/store/index.py; indexed since m004), so a fax at 23:30 on
New Year's Eve is counted in the old year, and a report reads only its period's cases and their
versions, however long the log.

The public report's figures are counted by SQLite itself (`period_counts`): GROUP BY over the
period's current versions and their history, with SQLite's own JSON functions picking out the few
fields a report counts, so no intake or decision is read into Python and a year costs what its
cases cost. Only the referrals come back one by one (each with the two moments its time to resolve
runs between), as a median needs them. The register, which lists each case, reads them as
`ReportCase` values (`report_snapshot`).

Each is read in one read transaction: the figures or cases and the audit entry they were read up to
agree, even while another desk records a case.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class ReportTerms:
    """What a report counts by, from the pack and the vocabulary (desktop/desk/reports/figures.py says which)."""

    detainer_kinds: frozenset[str]  # the papers that make a request a detainer
    authorities: frozenset[str]  # the requesters that are immigration authorities
    ice: frozenset[str]  # the requesters that are ICE (for ICE's own count)
    custody_actions: frozenset[str]  # what asks to keep or hand over a person (hold, transfer, arrest)
    not_held: frozenset[str]  # response codes that keep no one
    other_basis: str  # the code for custody continued on its own basis
    judicial: str  # the code for a judge's warrant or order honoured
    benefits: tuple[str, ...]  # the benefit certifications counted (u_visa, t_visa)
    processed: str  # the code that says a certification was processed


@dataclass(frozen=True)
class Referral:
    """A case referred to counsel: the open questions named, and when it was referred and resolved (UTC)."""

    ambs: tuple[str, ...]
    referred_at: str
    resolved_at: str | None  # None while open


@dataclass(frozen=True)
class PeriodCounts:
    """The counts of a period's cases, as SQLite made them. Holds no name, number, note or address."""

    totals: dict[str, int]  # one figure each: "requests", "minors", "detainers", ...
    groups: dict[str, Counter[str]] = field(default_factory=dict)  # "month", "requester", "code", ...
    referrals: tuple[Referral, ...] = ()

    def total(self, name: str) -> int:
        return self.totals.get(name, 0)

    def group(self, name: str) -> Counter[str]:
        return self.groups.get(name, Counter())


# The period's cases, each with its current version (the newest), and the few fields counted. Every
# CTE used more than once is computed once (SQLite materializes it). Named parameters: :start, :end,
# and one per value of each set of terms (see _in).
_PERIOD_CTES: Final = """
WITH
cur AS MATERIALIZED (
  SELECT ci.case_number AS case_number, v.id AS id, substr(ci.received_day, 1, 7) AS month,
         json_extract(v.intake_json, '$.channel') AS channel,
         json_extract(v.intake_json, '$.requester') AS requester,
         coalesce(json_extract(v.intake_json, '$.subject.minor'), 0) <> 0 AS minor,
         coalesce(json_extract(v.intake_json, '$.benefit'), 'none') AS benefit
    FROM case_index ci JOIN case_versions v ON v.case_number = ci.case_number
     AND v.version = (SELECT MAX(n.version) FROM case_versions n WHERE n.case_number = ci.case_number)
   WHERE ci.received_day >= :start AND ci.received_day <= :end
),
docs AS MATERIALIZED (
  SELECT DISTINCT c.case_number AS case_number, t.value AS kind
    FROM cur c JOIN case_versions v ON v.id = c.id, json_tree(v.intake_json, '$.documents') t
   WHERE t.key = 'kind' AND t.value IS NOT NULL  -- a paper's own kind, not a kind nested deeper in it:
     AND substr(t.path, 1, 12) = '$.documents[' AND instr(substr(t.path, 13), '.') + instr(substr(t.path, 13), '[') = 0
),
resp AS MATERIALIZED (
  SELECT c.case_number AS case_number, json_extract(r.value, '$.action') AS action,
         json_extract(r.value, '$.code') AS code
    FROM cur c JOIN case_versions v ON v.id = c.id, json_each(v.decision_json, '$.responses') r
),
facts AS MATERIALIZED (
  SELECT c.case_number AS case_number, c.month AS month, c.channel AS channel, c.requester AS requester,
         c.minor AS minor, c.benefit AS benefit, d.case_number IS NOT NULL AS papers,
         coalesce(d.detainer, 0) AS is_detainer, coalesce(k.other_basis, 0) AS other_basis,
         coalesce(k.judicial, 0) AS judicial, coalesce(k.on_detainer, 0) AS on_detainer,
         coalesce(k.some_held, 0) AS some_held, coalesce(k.processed, 0) AS processed
    FROM cur c
    LEFT JOIN (SELECT case_number, MAX(kind IN ({detainer_kinds})) AS detainer FROM docs GROUP BY case_number) d
           ON d.case_number = c.case_number
    LEFT JOIN (
      SELECT case_number,
             MAX(action IN ({custody_actions}) AND code = :other_basis) AS other_basis,
             MAX(action IN ({custody_actions}) AND code = :judicial) AS judicial,
             MAX(action IN ({custody_actions}) AND code NOT IN ({not_held}) AND code NOT IN (:other_basis, :judicial))
               AS on_detainer,
             MAX(action IN ({custody_actions}) AND code NOT IN ({not_held})) AS some_held,
             MAX(code = :processed) AS processed
        FROM resp GROUP BY case_number) k
           ON k.case_number = c.case_number
),
history AS MATERIALIZED (
  SELECT v.case_number AS case_number, v.version AS version, v.status AS status,
         v.override_reason IS NOT NULL AS overridden
    FROM cur c JOIN case_versions v ON v.case_number = c.case_number
),
marks AS MATERIALIZED (
  SELECT case_number, MIN(version) AS first, COUNT(*) AS versions,
         MIN(CASE WHEN overridden THEN version END) AS overridden_in
    FROM history GROUP BY case_number
)
"""

# One row per figure: (name, group, count). A name with groups ("month", "code") has a row per group.
_COUNTS_SQL: Final = (
    _PERIOD_CTES
    + """
SELECT 'requests', '', COUNT(*) FROM facts
UNION ALL SELECT 'minors', '', coalesce(SUM(minor), 0) FROM facts
UNION ALL SELECT 'no_papers', '', coalesce(SUM(NOT papers), 0) FROM facts
UNION ALL SELECT 'from_authorities', '', coalesce(SUM(requester IN ({authorities})), 0) FROM facts
UNION ALL SELECT 'from_ice', '', coalesce(SUM(requester IN ({ice})), 0) FROM facts
UNION ALL SELECT 'detainers', '', coalesce(SUM(is_detainer), 0) FROM facts
UNION ALL SELECT 'minor_detainers', '', coalesce(SUM(is_detainer AND minor), 0) FROM facts
UNION ALL SELECT 'held_other_basis', '', coalesce(SUM(is_detainer AND other_basis), 0) FROM facts
UNION ALL SELECT 'judicial', '', coalesce(SUM(is_detainer AND judicial), 0) FROM facts
UNION ALL SELECT 'held_on_detainer', '', coalesce(SUM(is_detainer AND on_detainer), 0) FROM facts
UNION ALL SELECT 'not_held', '', coalesce(SUM(is_detainer AND NOT some_held), 0) FROM facts
UNION ALL SELECT 'month', month, COUNT(*) FROM facts GROUP BY month
UNION ALL SELECT 'requester', requester, COUNT(*) FROM facts GROUP BY requester
UNION ALL SELECT 'channel', channel, COUNT(*) FROM facts GROUP BY channel
UNION ALL SELECT 'document', kind, COUNT(*) FROM docs GROUP BY kind
UNION ALL SELECT 'document', 'none', COUNT(*) FROM facts WHERE NOT papers HAVING COUNT(*) > 0
UNION ALL SELECT 'detainer_form', kind, COUNT(*) FROM docs WHERE kind IN ({detainer_kinds}) GROUP BY kind
UNION ALL SELECT 'action', action, COUNT(*) FROM (
            SELECT DISTINCT c.case_number, a.value AS action
              FROM cur c JOIN case_versions v ON v.id = c.id, json_each(v.intake_json, '$.actions') a
             WHERE a.value IS NOT NULL
          ) GROUP BY action
UNION ALL SELECT 'code', code, COUNT(*) FROM resp GROUP BY code
UNION ALL SELECT 'benefit', benefit || '/requested', COUNT(*) FROM facts WHERE benefit IN ({benefits}) GROUP BY benefit
UNION ALL SELECT 'benefit', benefit || '/processed', COUNT(*) FROM facts
            WHERE benefit IN ({benefits}) AND processed GROUP BY benefit
UNION ALL SELECT 'amendments', '', coalesce(SUM(versions - 1), 0) FROM marks
UNION ALL SELECT 'cases_amended', '', coalesce(SUM(versions > 1), 0) FROM marks
UNION ALL SELECT 'resolutions', '', COUNT(*) FROM history h JOIN marks m USING (case_number)
            WHERE h.version > m.first AND h.status = 'resolved'
UNION ALL SELECT 'overridden', '', COUNT(overridden_in) FROM marks
UNION ALL SELECT 'signed_off', '', COUNT(DISTINCT m.case_number) FROM marks m JOIN history h
            ON h.case_number = m.case_number AND h.version > m.overridden_in AND h.status <> 'referred'
"""
)

# Each referred case: the questions its first referring version names, and when that version and the
# first resolution after it were recorded.
_REFERRALS_SQL: Final = """
WITH
period AS (
  SELECT ci.case_number AS case_number FROM case_index ci
   WHERE ci.received_day >= :start AND ci.received_day <= :end
),
referred AS (
  SELECT v.case_number AS case_number, MIN(v.version) AS version
    FROM period p JOIN case_versions v ON v.case_number = p.case_number
   WHERE coalesce(json_extract(v.decision_json, '$.refer_to_counsel'), 0) <> 0
   GROUP BY v.case_number
)
SELECT s.recorded_at AS referred_at,
       (SELECT e.recorded_at FROM case_versions e WHERE e.case_number = r.case_number AND e.version > r.version
           AND e.status = 'resolved' ORDER BY e.version LIMIT 1) AS resolved_at,
       (SELECT json_group_array(DISTINCT json_extract(x.value, '$.refer'))
          FROM json_each(s.decision_json, '$.responses') x
         WHERE coalesce(json_extract(x.value, '$.refer'), '') <> '') AS ambs
  FROM referred r JOIN case_versions s ON s.case_number = r.case_number AND s.version = r.version
 ORDER BY r.case_number
"""


def _in(name: str, values: Collection[str]) -> tuple[str, dict[str, str]]:
    """A list of named parameters for `IN (...)`, in a stable order, and their values."""
    ordered = sorted(values)
    return ", ".join(f":{name}{k}" for k in range(len(ordered))), {f"{name}{k}": v for k, v in enumerate(ordered)}


def _counts_statement(terms: ReportTerms, start: dt.date, end: dt.date) -> tuple[str, dict[str, str]]:
    params = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "other_basis": terms.other_basis,
        "judicial": terms.judicial,
        "processed": terms.processed,
    }
    lists = {}
    for name, values in (
        ("detainer_kinds", terms.detainer_kinds),
        ("not_held", terms.not_held),
        ("custody_actions", terms.custody_actions),
        ("authorities", terms.authorities),
        ("ice", terms.ice),
        ("benefits", terms.benefits),
    ):
        lists[name], named = _in(name, values)
        params.update(named)
    return _COUNTS_SQL.format(**lists), params


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

    def period_counts(self, start: dt.date, end: dt.date, terms: ReportTerms) -> tuple[ChainAnchor, PeriodCounts]:
        """The counts of every case whose current version was received from `start` to `end` (local days,
        inclusive), and the audit entry they were read up to, in one read transaction."""
        sql, params = _counts_statement(terms, start, end)
        with self._read() as conn:
            anchor = self.report_anchor()
            totals: dict[str, int] = {}
            groups: dict[str, Counter[str]] = {}
            for name, group, count in conn.execute(sql, params):
                if group == "":
                    totals[str(name)] = int(count)
                elif count:
                    groups.setdefault(str(name), Counter())[str(group)] += int(count)
            referrals = tuple(
                Referral(
                    tuple(sorted(str(a) for a in json.loads(row["ambs"] or "[]"))),
                    str(row["referred_at"]),
                    None if row["resolved_at"] is None else str(row["resolved_at"]),
                )
                for row in conn.execute(_REFERRALS_SQL, {"start": params["start"], "end": params["end"]})
            )
        return anchor, PeriodCounts(totals, groups, referrals)

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every statement in it sees the same log."""
        conn = self._conn
        try:
            conn.execute("BEGIN")
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        try:
            yield conn
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    def _report_cases(self, start: dt.date, end: dt.date) -> Iterator[ReportCase]:
        return report_cases(self._conn.execute(_VERSIONS_SQL, [start.isoformat(), end.isoformat()]))

    @contextmanager
    def report_snapshot(self, start: dt.date, end: dt.date) -> Iterator[ReportSnapshot]:
        """Every case whose current version was received from `start` to `end` (local days, inclusive).

        Cases come in case-number order, each with all its versions; the anchor is read in the same
        read transaction, so it is exactly the chain the cases were read from.
        """
        with self._read():
            yield ReportSnapshot(self.report_anchor(), self._report_cases(start, end))
