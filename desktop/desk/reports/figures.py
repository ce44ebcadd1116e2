"""The figures of a report, counted from the log: every section, the small-count rule, CSV and JSON.

What is counted is said here (`report_terms`: which papers make a detainer, which codes keep a
person); the counting itself is SQLite's, over the period's rows only (desktop/store/reports.py,
`period_counts`), so a year's report costs what its year costs. The public report holds no personal
data: the store hands over only counts and, for each referral, its open questions and two times;
counts about minors under 5 read "fewer than 5"; the CSV is tidy, one figure a row
(`section,group,value`), for open data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from desktop.desk.reports.period import Period, ReportError, month_words
from desktop.rules import labels, vocab

if TYPE_CHECKING:
    from desktop.rules.pack import Pack
    from desktop.store.reports import ChainAnchor, PeriodCounts, ReportTerms

SUPPRESS_BELOW: Final = 5  # counts about minors under this read FEWER_THAN
FEWER_THAN: Final = f"fewer than {SUPPRESS_BELOW}"
CSV_COLUMNS: Final = ("section", "group", "value")
TITLE: Final = "Federal immigration requests: oversight report"
# A request's hold, transfer or arrest is answered by one of these codes: which of them keep the person?
CUSTODY_ACTIONS: Final = frozenset({"hold", "transfer_custody", "arrest"})
NOT_HELD_CODES: Final = frozenset(vocab.NON_HOLDING_CODES | {"NOT_COVERED", "DECLINE_TRANSFER"})
ICE_REQUESTERS: Final = ("ice_ero", "ice_hsi")
BENEFITS: Final = {"u_visa": "U visa", "t_visa": "T visa"}
OTHER_BASIS: Final = "HOLD_OTHER_BASIS"  # custody continued on its own basis, not the detainer
JUDICIAL: Final = "HONOR_JUDICIAL"  # held or handed over on a judge's warrant or order
PROCESSED: Final = "PROCESS_BENEFIT"  # a benefit certification processed


@dataclass(frozen=True)
class Figure:
    """One figure: its group within the section (a code, a month, "total"), its words and its value."""

    group: str
    label: str
    value: int | str


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    figures: tuple[Figure, ...]
    note: str = ""

    def value(self, group: str) -> int | str | None:
        return next((f.value for f in self.figures if f.group == group), None)


@dataclass(frozen=True)
class IceCount:
    """The count ICE gives for the period (typed in), beside the requests from ICE in the log."""

    reported: int
    logged: int

    @property
    def difference(self) -> int:
        return self.reported - self.logged

    @property
    def words(self) -> str:
        if self.difference == 0:
            return "ICE's count and the log agree."
        more = "ICE's count" if self.difference > 0 else "the log"
        return f"{more} has {abs(self.difference):,} more than the other."


@dataclass(frozen=True)
class Report:
    """The figures of one period, and what they were made from. Holds no personal data."""

    title: str
    department: str
    period: Period
    time_zone: str
    entries: int  # the audit entry the report was made up to (the number of entries then)
    chain_head: str  # that entry's hash
    requests: int
    sections: tuple[Section, ...]
    statements: tuple[str, ...]
    ice: IceCount | None = None

    @property
    def empty(self) -> bool:
        return self.requests == 0

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def value(self, section_id: str, group: str) -> int | str | None:
        return self.section(section_id).value(group)

    def rows(self) -> list[tuple[str, str, str]]:
        """The tidy rows of the CSV: what it was made from first, then one row per figure."""
        rows = [
            ("report", "period_from", self.period.start.isoformat()),
            ("report", "period_to", self.period.end.isoformat()),
            ("report", "time_zone", self.time_zone),
            ("report", "audit_entries", str(self.entries)),
            ("report", "chain_head", self.chain_head),
        ]
        for section in self.sections:
            rows.extend((section.id, f.group, str(f.value)) for f in section.figures)
        return rows

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (`report --json`), which the PDF is also drawn from."""
        return {
            "title": self.title,
            "department": self.department,
            "period": {
                "from": self.period.start.isoformat(),
                "to": self.period.end.isoformat(),
                "label": self.period.label,
                "words": self.period.words,
                "time_zone": self.time_zone,
            },
            "source": {"audit_entries": self.entries, "chain_head": self.chain_head},
            "requests": self.requests,
            "empty": self.empty,
            "statements": list(self.statements),
            "sections": [
                {
                    "id": s.id,
                    "title": s.title,
                    "note": s.note,
                    "figures": [{"group": f.group, "label": f.label, "value": f.value} for f in s.figures],
                }
                for s in self.sections
            ],
            "ice_count": None
            if self.ice is None
            else {"reported": self.ice.reported, "logged": self.ice.logged, "difference": self.ice.difference},
        }


def suppressed(count: int) -> int | str:
    """A count about minors: under 5 it reads "fewer than 5" (0 too, so no small count can be told apart)."""
    return FEWER_THAN if count < SUPPRESS_BELOW else count


def _ordered(counts: Counter[str], order: Sequence[str], names: Mapping[str, str]) -> tuple[Figure, ...]:
    """The non-zero counts in the vocabulary's order, then anything the vocabulary does not know, sorted."""
    known = [k for k in order if counts.get(k)]
    unknown = sorted(k for k in counts if k not in order and counts[k])
    return tuple(Figure(k, names.get(k, k), counts[k]) for k in [*known, *unknown])


def _days(seconds: float) -> str:
    return f"{seconds / 86400:.1f}"


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def report_terms(pack: Pack) -> ReportTerms:
    """What a report of this pack counts by: its detainer forms and immigration authorities, and which
    answers to a hold, transfer or arrest keep the person (any code not in NOT_HELD_CODES does)."""
    from desktop.store.reports import ReportTerms  # not at import: `decide` loads no database module

    return ReportTerms(
        detainer_kinds=frozenset(pack.definitions.detainer_kinds),
        authorities=frozenset(pack.definitions.immigration_authorities),
        ice=frozenset(ICE_REQUESTERS),
        custody_actions=CUSTODY_ACTIONS,
        not_held=NOT_HELD_CODES,
        other_basis=OTHER_BASIS,
        judicial=JUDICIAL,
        benefits=tuple(BENEFITS),
        processed=PROCESSED,
    )


@dataclass
class _Referral:
    ambs: tuple[str, ...]
    seconds: float | None  # None while open


def _referrals(counts: PeriodCounts) -> list[_Referral]:
    """Each referral's questions ("(none named)" for none) and its seconds from referral to resolution."""
    return [
        _Referral(
            r.ambs or ("(none named)",),
            None if r.resolved_at is None else (_moment(r.resolved_at) - _moment(r.referred_at)).total_seconds(),
        )
        for r in counts.referrals
    ]


def _referral_figures(referrals: Sequence[_Referral], pack: Pack) -> tuple[tuple[Figure, ...], tuple[Figure, ...]]:
    def timing(group: Sequence[_Referral], prefix: str) -> list[Figure]:
        done = [r.seconds for r in group if r.seconds is not None]
        resolved, still = len(done), len(group) - len(done)
        figures = [
            Figure(f"{prefix}resolved", "resolved", resolved),
            Figure(f"{prefix}open", "still open", still),
        ]
        if done:
            figures += [
                Figure(f"{prefix}median_days", "median days to resolve", _days(statistics.median(done))),
                Figure(f"{prefix}longest_days", "longest days to resolve", _days(max(done))),
            ]
        return figures

    totals = (Figure("referred", "referred", len(referrals)), *timing(referrals, ""))
    by_amb: list[Figure] = []
    ids = sorted({a for r in referrals for a in r.ambs}, key=_amb_order)
    for amb in ids:
        group = [r for r in referrals if amb in r.ambs]
        ambiguity = pack.ambiguities.get(amb)
        issue = ambiguity.issue if ambiguity is not None else ""
        by_amb.append(Figure(f"{amb}/referred", f"{amb}: {issue}" if issue else amb, len(group)))
        by_amb.extend(timing(group, f"{amb}/"))
    return totals, tuple(by_amb)


def _amb_order(amb: str) -> tuple[int, str]:
    number = amb.rpartition("-")[2]
    return (int(number), amb) if number.isdigit() else (10**6, amb)


def build_report(
    counts: PeriodCounts,
    anchor: ChainAnchor,
    period: Period,
    pack: Pack,
    *,
    ice_count: int | None = None,
) -> Report:
    """The figures of the period from its counts (a pure function: the same counts give the same report)."""
    if ice_count is not None and ice_count < 0:
        raise ReportError(f"ICE's count must be 0 or more, not {ice_count}")
    total = counts.total
    requests, detainers, held_on_detainer = total("requests"), total("detainers"), total("held_on_detainer")
    referral_totals, referral_by_amb = _referral_figures(_referrals(counts), pack)
    counsel = pack.department.counsel
    sections = [
        Section(
            "requests",
            "Requests received",
            (
                Figure("total", "all requests received", requests),
                Figure("from_immigration_authorities", "from immigration authorities", total("from_authorities")),
                Figure("no_papers", "with no papers (by phone, verbal or informal)", total("no_papers")),
                Figure("about_minors", "about a person under 18", suppressed(total("minors"))),
            ),
            f"Counted by the day received, in {pack.time_zone or 'the desk’s time zone'}. "
            f"Counts about minors under {SUPPRESS_BELOW} read “{FEWER_THAN}”.",
        ),
        Section(
            "requests_by_month",
            "Requests by month",
            tuple(Figure(m, month_words(m), counts.group("month").get(m, 0)) for m in period.months()),
        ),
        Section(
            "requests_by_requester",
            "Requests by requester",
            _ordered(counts.group("requester"), vocab.REQUESTERS, labels.REQUESTER),
        ),
        Section(
            "requests_by_channel",
            "Requests by channel",
            _ordered(counts.group("channel"), vocab.CHANNELS, labels.CHANNEL),
        ),
        Section(
            "requests_by_document",
            "Requests by kind of paper",
            _ordered(
                counts.group("document"),
                (*vocab.DOCUMENT_KINDS, "none"),
                {**labels.DOCUMENT_KIND, "none": "no papers"},
            ),
            "A request with several papers counts once under each kind.",
        ),
        Section(
            "requests_by_action",
            "What was asked",
            _ordered(counts.group("action"), vocab.ACTIONS, labels.ACTION),
            "A request asking several things counts once under each.",
        ),
        Section(
            "responses_by_code",
            "The City's responses",
            _ordered(counts.group("code"), vocab.RESPONSE_CODES, labels.CODE),
            "One response for each thing asked, as the case stands now (after any amendment).",
        ),
        Section(
            "detainers",
            "Detainers",
            (
                Figure("received", "detainers received", detainers),
                Figure("not_held", "no one held: declined, not in custody or logged only", total("not_held")),
                Figure(
                    "held_other_basis",
                    "custody continued on its own basis (not the detainer)",
                    total("held_other_basis"),
                ),
                Figure(
                    "held_or_transferred_judicial",
                    "held or handed over on a judge's warrant or order (not the detainer)",
                    total("judicial"),
                ),
                Figure("held_on_detainer", "held on the detainer itself (must be 0)", held_on_detainer),
                Figure("about_minors", "detainers about a person under 18", suppressed(total("minor_detainers"))),
            ),
            "A detainer is a request carrying a detainer form ("
            + ", ".join(sorted(pack.definitions.detainer_kinds))
            + "). The log records the City's response to each request, not release times.",
        ),
        Section(
            "detainers_by_form",
            "Detainers by form",
            _ordered(counts.group("detainer_form"), vocab.DOCUMENT_KINDS, labels.DOCUMENT_KIND),
        ),
        Section(
            "referrals",
            f"Referrals to the {counsel}",
            referral_totals,
            "A referral is resolved by a later version recorded as resolved; days run from the referral's "
            "recording to the resolution's.",
        ),
        Section("referrals_by_amb", f"Referrals to the {counsel}, by open question", referral_by_amb),
        Section(
            "overrides",
            "Officer overrides",
            (
                Figure("overridden", "cases where the officer disagreed with the decision", total("overridden")),
                Figure("signed_off", "signed off by a later version", total("signed_off")),
                Figure("awaiting", "awaiting sign-off", total("overridden") - total("signed_off")),
            ),
        ),
        Section(
            "benefits",
            "Benefit certifications (U and T visas)",
            tuple(
                Figure(f"{key}/{what}", f"{name} {what}", counts.group("benefit").get(f"{key}/{what}", 0))
                for key, name in BENEFITS.items()
                for what in ("requested", "processed")
            ),
        ),
        Section(
            "amendments",
            "Amendments",
            (
                Figure("amendments", "amendments recorded (new versions)", total("amendments")),
                Figure("resolutions", "of which resolving a referral or override", total("resolutions")),
                Figure("cases_amended", "cases amended", total("cases_amended")),
            ),
            "Nothing in the log is edited: a correction is a new version, and the old one stays.",
        ),
    ]
    ice = None
    if ice_count is not None:
        ice = IceCount(ice_count, total("from_ice"))
        sections.append(
            Section(
                "ice_count",
                "ICE's own count",
                (
                    Figure("reported_by_ice", "requests ICE reports for the period", ice.reported),
                    Figure("logged_from_ice", "requests from ICE (ERO and HSI) in the log", ice.logged),
                    Figure("difference", "difference (ICE's count less the log's)", ice.difference),
                ),
                "ICE's count is typed in by the person making the report. " + ice.words,
            )
        )
    department = pack.department.name
    statements = []
    if requests == 0:
        statements.append(
            f"No requests received: {department or 'the department'} received no federal immigration "
            f"request from {period.words}."
        )
    else:
        statements.append(
            f"{requests:,} request{'s' if requests != 1 else ''} received from {period.words}, "
            f"{detainers:,} of {'them' if requests != 1 else 'it'} with a detainer."
        )
    if held_on_detainer == 0:
        statements.append("No one was held on an immigration detainer.")
    else:
        statements.append(
            f"ATTENTION: {held_on_detainer} detainer(s) answered with a hold on the detainer itself; "
            "the ordinance allows none. Review them in the register."
        )
    return Report(
        title=TITLE,
        department=department,
        period=period,
        time_zone=pack.time_zone,
        entries=anchor.position,
        chain_head=anchor.entry_hash,
        requests=requests,
        sections=tuple(sections),
        statements=tuple(statements),
        ice=ice,
    )


def report_csv(report: Report) -> bytes:
    """The tidy CSV: `section,group,value`, one row per figure (UTF-8, CRLF as RFC 4180 has it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(report.rows())
    return out.getvalue().encode("utf-8")


def report_json(report: Report) -> bytes:
    return (json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
