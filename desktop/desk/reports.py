"""Oversight reports: the figures of a period, counted from the log, as PDF, CSV or JSON; and the register.

The public report (LEGAL.md 4C item 2; ../shared/REPORTS-AND-CJIS.md section 1) holds no personal
data: no name, booking number, case number, address or note is read into it (the store hands over
only enum values, codes and times, desktop/store/reports.py), counts about minors under 5 read
"fewer than 5", and the CSV is tidy, one figure a row (`section,group,value`), for open data.

It is provable: the same log and the same period give the same bytes (nothing in it depends on the
clock), and it names the audit entry it was made from, the newest that recorded a case or an
amendment, with that entry's hash. Prints, views and other reports made since do not change it.

The register (LEGAL.md 4C item 1) lists each case with its number: personal data, for supervisors
and admins only, audited as an export, never part of the public report.

No Qt here; the window and the command line call `Desk.reports()`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from desktop.records import Actor, EventKind, Status
from desktop.rules import labels, vocab
from desktop.store.errors import InvalidInput

if TYPE_CHECKING:
    from desktop.desk.desk import Desk
    from desktop.rules.pack import Pack
    from desktop.store.reports import ChainAnchor, ReportCase, VersionFacts

SUPPRESS_BELOW: Final = 5  # counts about minors under this read FEWER_THAN
FEWER_THAN: Final = f"fewer than {SUPPRESS_BELOW}"
REGISTER_ROLES: Final = ("supervisor", "admin")
CSV_COLUMNS: Final = ("section", "group", "value")
REGISTER_COLUMNS: Final = ("case_number", "received_day", "requester", "responses", "status")
FORMATS: Final = ("pdf", "csv", "json")
TITLE: Final = "Federal immigration requests: oversight report"
MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# A request's hold, transfer or arrest is answered by one of these codes: which of them keep the person?
CUSTODY_ACTIONS: Final = frozenset({"hold", "transfer_custody", "arrest"})
NOT_HELD_CODES: Final = frozenset(vocab.NON_HOLDING_CODES | {"NOT_COVERED", "DECLINE_TRANSFER"})
ICE_REQUESTERS: Final = ("ice_ero", "ice_hsi")
BENEFITS: Final = {"u_visa": "U visa", "t_visa": "T visa"}
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class ReportError(InvalidInput):
    """A report cannot be made as asked (a bad period, format or count); the message says why."""


class NotAllowed(ReportError):
    """The actor's roles do not allow this (the register: supervisors and admins only)."""


# --- the period ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A range of the desk's local dates, both ends included, and the name it goes by."""

    start: dt.date
    end: dt.date
    name: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ReportError(f"the period ends ({self.end}) before it starts ({self.start})")

    @property
    def label(self) -> str:
        return self.name or f"{self.start.isoformat()} to {self.end.isoformat()}"

    @property
    def words(self) -> str:
        """The period in a sentence: "1 January 2026 to 31 December 2026"."""
        return f"{long_date(self.start)} to {long_date(self.end)}"

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> Period:
        return cls(start, end)

    @classmethod
    def year(cls, year: int) -> Period:
        if not 1900 <= year <= 9999:
            raise ReportError(f"the year {year} is not a year like 2026")
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))

    @classmethod
    def quarter(cls, text: str) -> Period:
        """ "2026-Q1" (or 2026Q1)."""
        found = _QUARTER.match(text.strip())
        if not found:
            raise ReportError(f"the quarter {text!r} should look like 2026-Q1")
        year, quarter = int(found[1]), int(found[2])
        first = dt.date(year, 3 * quarter - 2, 1)
        return cls(first, _month_end(year, 3 * quarter), f"{year}-Q{quarter}")

    @classmethod
    def month(cls, text: str) -> Period:
        """ "2026-03"."""
        found = _MONTH.match(text.strip())
        if not found or not 1 <= int(found[2]) <= 12:
            raise ReportError(f"the month {text!r} should look like 2026-03")
        year, month = int(found[1]), int(found[2])
        return cls(dt.date(year, month, 1), _month_end(year, month), f"{year}-{month:02d}")

    def months(self) -> list[str]:
        """Every month the period touches, as YYYY-MM, in order."""
        found = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            found.append(f"{year}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return following - dt.timedelta(days=1)


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_words(month: str) -> str:
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


# --- the figures --------------------------------------------------------------------------------


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


@dataclass
class _Referral:
    ambs: tuple[str, ...]
    seconds: float | None  # None while open


@dataclass
class _Tally:
    """Counts made in one pass over the period's cases."""

    definitions_detainers: frozenset[str]
    immigration_authorities: frozenset[str]
    requests: int = 0
    minors: int = 0
    minor_detainers: int = 0
    no_papers: int = 0
    from_authorities: int = 0
    by_month: Counter[str] = field(default_factory=Counter)
    by_requester: Counter[str] = field(default_factory=Counter)
    by_channel: Counter[str] = field(default_factory=Counter)
    by_document: Counter[str] = field(default_factory=Counter)
    by_action: Counter[str] = field(default_factory=Counter)
    by_code: Counter[str] = field(default_factory=Counter)
    detainers: int = 0
    detainers_by_form: Counter[str] = field(default_factory=Counter)
    held_other_basis: int = 0
    judicial: int = 0
    held_on_detainer: int = 0
    not_held: int = 0
    referrals: list[_Referral] = field(default_factory=list)
    overridden: int = 0
    signed_off: int = 0
    benefits: Counter[str] = field(default_factory=Counter)
    amendments: int = 0
    resolutions: int = 0
    cases_amended: int = 0
    from_ice: int = 0

    def add(self, case: ReportCase) -> None:
        now = case.current
        self.requests += 1
        self.by_month[case.received_day[:7]] += 1
        self.by_requester[now.requester] += 1
        self.by_channel[now.channel] += 1
        kinds = set(now.document_kinds)
        self.by_document.update(kinds or {"none"})
        self.no_papers += not kinds
        self.by_action.update(set(now.actions))
        self.by_code.update(r.code for r in now.responses)
        self.from_authorities += now.requester in self.immigration_authorities
        self.from_ice += now.requester in ICE_REQUESTERS
        self.minors += now.minor
        detainer = kinds & self.definitions_detainers
        if detainer:
            self._detainer(now, detainer)
        if now.benefit in BENEFITS:
            self.benefits[f"{now.benefit}/requested"] += 1
            if any(r.code == "PROCESS_BENEFIT" for r in now.responses):
                self.benefits[f"{now.benefit}/processed"] += 1
        self._history(case.versions)

    def _detainer(self, now: VersionFacts, forms: set[str]) -> None:
        self.detainers += 1
        self.minor_detainers += now.minor
        self.detainers_by_form.update(forms)
        codes = {r.code for r in now.responses if r.action in CUSTODY_ACTIONS}
        if "HOLD_OTHER_BASIS" in codes:
            self.held_other_basis += 1
        if "HONOR_JUDICIAL" in codes:
            self.judicial += 1
        # Any other code in answer to a hold, transfer or arrest would keep the person on the detainer itself.
        if codes - NOT_HELD_CODES - {"HOLD_OTHER_BASIS", "HONOR_JUDICIAL"}:
            self.held_on_detainer += 1
        if codes <= NOT_HELD_CODES:
            self.not_held += 1

    def _history(self, versions: Sequence[VersionFacts]) -> None:
        later = versions[1:]
        self.amendments += len(later)
        self.resolutions += sum(v.status == Status.RESOLVED for v in later)
        self.cases_amended += bool(later)
        referred = next((i for i, v in enumerate(versions) if v.refer_to_counsel), None)
        if referred is not None:
            start = versions[referred]
            ambs = tuple(sorted({r.refer for r in start.responses if r.refer})) or ("(none named)",)
            end = next((v for v in versions[referred + 1 :] if v.status == Status.RESOLVED), None)
            seconds = None if end is None else (_moment(end.recorded_at) - _moment(start.recorded_at)).total_seconds()
            self.referrals.append(_Referral(ambs, seconds))
        overridden = next((i for i, v in enumerate(versions) if v.overridden), None)
        if overridden is not None:
            self.overridden += 1
            if any(v.status != Status.REFERRED for v in versions[overridden + 1 :]):
                self.signed_off += 1


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
    cases: Iterable[ReportCase],
    anchor: ChainAnchor,
    period: Period,
    pack: Pack,
    *,
    ice_count: int | None = None,
) -> Report:
    """The figures of the period from its cases (a pure function: the same cases give the same report)."""
    if ice_count is not None and ice_count < 0:
        raise ReportError(f"ICE's count must be 0 or more, not {ice_count}")
    tally = _Tally(pack.definitions.detainer_kinds, pack.definitions.immigration_authorities)
    for case in cases:
        tally.add(case)
    referral_totals, referral_by_amb = _referral_figures(tally.referrals, pack)
    counsel = pack.department.counsel
    sections = [
        Section(
            "requests",
            "Requests received",
            (
                Figure("total", "all requests received", tally.requests),
                Figure("from_immigration_authorities", "from immigration authorities", tally.from_authorities),
                Figure("no_papers", "with no papers (by phone, verbal or informal)", tally.no_papers),
                Figure("about_minors", "about a person under 18", suppressed(tally.minors)),
            ),
            f"Counted by the day received, in {pack.time_zone or 'the desk’s time zone'}. "
            f"Counts about minors under {SUPPRESS_BELOW} read “{FEWER_THAN}”.",
        ),
        Section(
            "requests_by_month",
            "Requests by month",
            tuple(Figure(m, month_words(m), tally.by_month.get(m, 0)) for m in period.months()),
        ),
        Section(
            "requests_by_requester",
            "Requests by requester",
            _ordered(tally.by_requester, vocab.REQUESTERS, labels.REQUESTER),
        ),
        Section(
            "requests_by_channel", "Requests by channel", _ordered(tally.by_channel, vocab.CHANNELS, labels.CHANNEL)
        ),
        Section(
            "requests_by_document",
            "Requests by kind of paper",
            _ordered(
                tally.by_document,
                (*vocab.DOCUMENT_KINDS, "none"),
                {**labels.DOCUMENT_KIND, "none": "no papers"},
            ),
            "A request with several papers counts once under each kind.",
        ),
        Section(
            "requests_by_action",
            "What was asked",
            _ordered(tally.by_action, vocab.ACTIONS, labels.ACTION),
            "A request asking several things counts once under each.",
        ),
        Section(
            "responses_by_code",
            "The City's responses",
            _ordered(tally.by_code, vocab.RESPONSE_CODES, labels.CODE),
            "One response for each thing asked, as the case stands now (after any amendment).",
        ),
        Section(
            "detainers",
            "Detainers",
            (
                Figure("received", "detainers received", tally.detainers),
                Figure("not_held", "no one held: declined, not in custody or logged only", tally.not_held),
                Figure(
                    "held_other_basis", "custody continued on its own basis (not the detainer)", tally.held_other_basis
                ),
                Figure(
                    "held_or_transferred_judicial",
                    "held or handed over on a judge's warrant or order (not the detainer)",
                    tally.judicial,
                ),
                Figure("held_on_detainer", "held on the detainer itself (must be 0)", tally.held_on_detainer),
                Figure("about_minors", "detainers about a person under 18", suppressed(tally.minor_detainers)),
            ),
            "A detainer is a request carrying a detainer form ("
            + ", ".join(sorted(pack.definitions.detainer_kinds))
            + "). The log records the City's response to each request, not release times.",
        ),
        Section(
            "detainers_by_form",
            "Detainers by form",
            _ordered(tally.detainers_by_form, vocab.DOCUMENT_KINDS, labels.DOCUMENT_KIND),
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
                Figure("overridden", "cases where the officer disagreed with the decision", tally.overridden),
                Figure("signed_off", "signed off by a later version", tally.signed_off),
                Figure("awaiting", "awaiting sign-off", tally.overridden - tally.signed_off),
            ),
        ),
        Section(
            "benefits",
            "Benefit certifications (U and T visas)",
            tuple(
                Figure(f"{key}/{what}", f"{name} {what}", tally.benefits.get(f"{key}/{what}", 0))
                for key, name in BENEFITS.items()
                for what in ("requested", "processed")
            ),
        ),
        Section(
            "amendments",
            "Amendments",
            (
                Figure("amendments", "amendments recorded (new versions)", tally.amendments),
                Figure("resolutions", "of which resolving a referral or override", tally.resolutions),
                Figure("cases_amended", "cases amended", tally.cases_amended),
            ),
            "Nothing in the log is edited: a correction is a new version, and the old one stays.",
        ),
    ]
    ice = None
    if ice_count is not None:
        ice = IceCount(ice_count, tally.from_ice)
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
    if tally.requests == 0:
        statements.append(
            f"No requests received: {department or 'the department'} received no federal immigration "
            f"request from {period.words}."
        )
    else:
        statements.append(
            f"{tally.requests:,} request{'s' if tally.requests != 1 else ''} received from {period.words}, "
            f"{tally.detainers:,} of {'them' if tally.requests != 1 else 'it'} with a detainer."
        )
    if tally.held_on_detainer == 0:
        statements.append("No one was held on an immigration detainer.")
    else:
        statements.append(
            f"ATTENTION: {tally.held_on_detainer} detainer(s) answered with a hold on the detainer itself; "
            "the ordinance allows none. Review them in the register."
        )
    return Report(
        title=TITLE,
        department=department,
        period=period,
        time_zone=pack.time_zone,
        entries=anchor.position,
        chain_head=anchor.entry_hash,
        requests=tally.requests,
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


# --- the register -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    """One case of the register: personal data (its number), for the City's counsel."""

    case_number: str
    received_day: str
    requester: str
    responses: tuple[str, ...]
    status: str

    def cells(self) -> tuple[str, ...]:
        return (self.case_number, self.received_day, self.requester, " ".join(self.responses), self.status)

    def to_dict(self) -> dict[str, Any]:
        return dict(zip(REGISTER_COLUMNS, self.cells(), strict=True))


def register_rows(cases: Iterable[ReportCase]) -> list[RegisterRow]:
    return [
        RegisterRow(
            case.case_number,
            case.received_day,
            case.current.requester,
            tuple(r.code for r in case.current.responses),
            case.current.status,
        )
        for case in cases
    ]


def register_csv(rows: Sequence[RegisterRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REGISTER_COLUMNS)
    writer.writerows(row.cells() for row in rows)
    return out.getvalue().encode("utf-8")


# --- what the desk does -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportResult:
    """A report or register written: where, in what format, and what it holds."""

    path: Path
    format: str
    period: Period
    requests: int
    entries: int
    chain_head: str


def format_of(target: Path, fmt: str | None = None) -> str:
    """The format asked for, else the file's extension (.pdf, .csv, .json)."""
    chosen = (fmt or Path(target).suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ReportError(
            f"{target}: a report is written as .pdf, .csv or .json, not {Path(target).suffix or '(none)'}"
        )
    return chosen


class Reports:
    """The reports of one desk: figures, the files and their audit entries. Get one with `Desk.reports()`."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def pack_for(self, period: Period) -> Pack:
        """The pack in force on the period's last day (its department and definitions), else the active pack."""
        from desktop.rules import PackError

        try:
            return self.desk.pack_at(dt.datetime.combine(period.end, dt.time(12), dt.UTC))
        except PackError:
            return self.desk.active_pack()

    def figures(self, period: Period, *, ice_count: int | None = None) -> Report:
        """The figures of the period, read now; nothing is written and nothing audited."""
        pack = self.pack_for(period)
        with self.desk.store.report_snapshot(period.start, period.end) as snapshot:
            return build_report(snapshot.cases, snapshot.anchor, period, pack, ice_count=ice_count)

    def render(self, report: Report, fmt: str) -> bytes:
        """The report's bytes in a format: the same report always gives the same bytes."""
        if fmt == "csv":
            return report_csv(report)
        if fmt == "json":
            return report_json(report)
        if fmt == "pdf":
            from desktop.memo.report import render_report

            return render_report(report.to_dict())
        raise ReportError(f"a report is written as pdf, csv or json, not {fmt!r}")

    def produce(
        self, period: Period, *, actor: Actor, fmt: str = "pdf", ice_count: int | None = None, where: str = "shown"
    ) -> tuple[Report, bytes]:
        """The report and its bytes in `fmt`, audited as made (`where` it went: "shown", "printed", ...)."""
        report = self.figures(period, ice_count=ice_count)
        data = self.render(report, fmt)
        self._audit(EventKind.REPORT, actor, self._detail(report, fmt, where, ice_count))
        return report, data

    def make(
        self, period: Period, target: Path, *, actor: Actor, ice_count: int | None = None, fmt: str | None = None
    ) -> ReportResult:
        """Write the public report of the period to `target` (whole or not at all), and audit it."""
        from desktop.desk.files import safe_write

        chosen = format_of(target, fmt)
        report = self.figures(period, ice_count=ice_count)
        path = safe_write(Path(target), self.render(report, chosen))
        self._audit(EventKind.REPORT, actor, self._detail(report, chosen, f"saved as {path.name}", ice_count))
        return ReportResult(path, chosen, period, report.requests, report.entries, report.chain_head)

    @staticmethod
    def _detail(report: Report, fmt: str, where: str, ice_count: int | None) -> str:
        period = report.period
        ice = "" if ice_count is None else f", ICE count {ice_count}"
        return (
            f"oversight report {period.label} ({period.start} to {period.end}, {report.requests} requests{ice}) "
            f"made from entry {report.entries} as {fmt}, {where}"
        )

    def register(self, period: Period, *, actor: Actor) -> list[RegisterRow]:
        """The register of the period (supervisors and admins only), audited as an export of personal data."""
        rows = self._register_rows(period, actor)
        self._audit(
            EventKind.EXPORT,
            actor,
            f"register of {period.label} ({period.start} to {period.end}), {len(rows)} cases, shown",
        )
        return rows

    def save_register(
        self,
        period: Period,
        target: Path,
        *,
        actor: Actor,
        passphrase: str | None = None,
        no_encrypt: bool = False,
    ) -> ReportResult:
        """Write the register as CSV (supervisors and admins only), audited as an export.

        It holds personal data: outside the data folder it is sealed (`….csv.enc`, desk/files.py).
        """
        from desktop.desk.files import CopyPolicy

        if Path(target).suffix.lower() != ".csv":
            raise ReportError(f"{target}: the register is written as .csv")
        copy = CopyPolicy(passphrase, no_encrypt)
        note = copy.check(Path(target), self.desk.data_dir)
        anchor = self.desk.store.report_anchor()
        rows = self._register_rows(period, actor)
        path = copy.write(Path(target), register_csv(rows), self.desk.data_dir, kind="register")
        detail = (
            f"register of {period.label} ({period.start} to {period.end}), {len(rows)} cases, "
            f"saved as {path.name}{note}"
        )
        self._audit(EventKind.EXPORT, actor, detail)
        return ReportResult(path, "csv", period, len(rows), anchor.position, anchor.entry_hash)

    def check_register_role(self, actor: Actor) -> None:
        """Refuse (NotAllowed) an actor who may not see the register: it holds personal data."""
        if not any(actor.has_role(role) for role in REGISTER_ROLES):
            raise NotAllowed(
                f"{actor.label} may not see the register: it holds personal data, for supervisors and admins only"
            )

    def _register_rows(self, period: Period, actor: Actor) -> list[RegisterRow]:
        self.check_register_role(actor)
        with self.desk.store.report_snapshot(period.start, period.end) as snapshot:
            return register_rows(snapshot.cases)

    def _audit(self, kind: EventKind, actor: Actor, detail: str) -> None:
        from desktop.desk.changes import Change

        self.desk.store.log_event(None, kind, actor, detail, now=self.desk.clock())
        self.desk.changes.emit(Change(kind, None))

    def page_images(self, pdf: bytes, *, dpi: int = 80) -> list[PageImage]:
        """Each page of a PDF as RGB pixels, for the window to show without a PDF library of its own."""
        import pypdfium2  # type: ignore[import-untyped]

        document = pypdfium2.PdfDocument(pdf)
        try:
            pages = []
            for index in range(len(document)):
                page = document[index]
                bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
                pages.append(PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer)))
                page.close()
            return pages
        finally:
            document.close()


@dataclass(frozen=True)
class PageImage:
    """One page drawn as 8-bit RGB pixels, `stride` bytes a row."""

    width: int
    height: int
    stride: int
    rgb: bytes = field(repr=False)
