"""The report's figures tallied in Python, one case at a time, from rows read somewhere other than the desk's
SQLite: the county register's report (desktop/register/reading.py) reads each desk's versions from PostgreSQL
and counts them here. A desk's own report counts the same figures in SQLite (desktop/store/reports.py); the
two are held to the same figures on varied logs by tests/unit/reports/test_sql_figures.py, and a desk's report
from the register is its own report byte for byte (tests/register).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from desktop.desk.reports.figures import BENEFITS, CUSTODY_ACTIONS, ICE_REQUESTERS, NOT_HELD_CODES
from desktop.records import Status
from desktop.store.reports import PeriodCounts, Referral, ReportCase, VersionFacts


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@dataclass
class _Referral:
    ambs: tuple[str, ...]
    seconds: float | None  # None while open
    referred_at: str = ""
    resolved_at: str | None = None


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
            self.referrals.append(_Referral(ambs, seconds, start.recorded_at, end.recorded_at if end else None))
        overridden = next((i for i, v in enumerate(versions) if v.overridden), None)
        if overridden is not None:
            self.overridden += 1
            if any(v.status != Status.REFERRED for v in versions[overridden + 1 :]):
                self.signed_off += 1

    def counts(self) -> PeriodCounts:
        """The tally in the form the store hands the report (the questions of a referral naming none: none)."""
        totals = {
            name: getattr(self, name)
            for name in (
                "requests",
                "minors",
                "no_papers",
                "from_authorities",
                "from_ice",
                "detainers",
                "minor_detainers",
                "held_other_basis",
                "judicial",
                "held_on_detainer",
                "not_held",
                "amendments",
                "cases_amended",
                "resolutions",
                "overridden",
                "signed_off",
            )
        }
        groups = {
            "month": self.by_month,
            "requester": self.by_requester,
            "channel": self.by_channel,
            "document": self.by_document,
            "detainer_form": self.detainers_by_form,
            "action": self.by_action,
            "code": self.by_code,
            "benefit": self.benefits,
        }
        referrals = tuple(
            Referral(() if r.ambs == ("(none named)",) else r.ambs, r.referred_at, r.resolved_at)
            for r in self.referrals
        )
        return PeriodCounts(totals, {k: +v for k, v in groups.items() if +v}, referrals)


def tally(cases: Iterable[ReportCase], detainer_kinds: frozenset[str], authorities: frozenset[str]) -> _Tally:
    """Count the cases in one pass; `.counts()` gives what the desk's SQL gives for the same cases."""
    counted = _Tally(detainer_kinds, authorities)
    for case in cases:
        counted.add(case)
    return counted
