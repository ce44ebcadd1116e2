"""Every figure of the report against an independent count of the known log (tests/unit/reports/conftest.py)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from typing import Any

import pytest

from desktop.desk.reports import FEWER_THAN, Period, Report, suppressed
from desktop.records import Status
from tests.unit.reports.conftest import NEW_YEAR_EDGES, Known, local_day, minors_by_year

DETAINER_FORMS = {"I-247A", "I-247D", "I-247N", "I-247X", "I-247"}
CUSTODY = {"hold", "transfer_custody", "arrest"}
NOT_HELD = {"NO_HOLD", "NOT_IN_CUSTODY", "LOG_ONLY", "REFER_COUNSEL", "NOT_COVERED", "DECLINE_TRANSFER"}


def in_year(known: Known, year: int) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    return {n: c for n, c in known.current.items() if local_day(c[0]["received_at"]).year == year}


def expected(known: Known, year: int) -> dict[tuple[str, str], int | str]:
    """The figures of a year, counted here from the intakes and decisions the desk returned."""
    cases = in_year(known, year)
    want: dict[tuple[str, str], int | str] = {}
    intakes = [i for i, _d in cases.values()]
    want["requests", "total"] = len(cases)
    want["requests", "no_papers"] = sum(not i["documents"] for i in intakes)
    authorities = {"ice_ero", "ice_hsi", "cbp", "uscis", "other_dhs", "agency_287g", "state_or_local_relay"}
    want["requests", "from_immigration_authorities"] = sum(i["requester"] in authorities for i in intakes)
    want["requests", "about_minors"] = suppressed(sum(bool(i["subject"].get("minor")) for i in intakes))
    months = Counter(local_day(i["received_at"]).strftime("%Y-%m") for i in intakes)
    for month in range(1, 13):
        want["requests_by_month", f"{year}-{month:02d}"] = months.get(f"{year}-{month:02d}", 0)
    for key, values in (
        ("requests_by_requester", Counter(i["requester"] for i in intakes)),
        ("requests_by_channel", Counter(i["channel"] for i in intakes)),
        (
            "requests_by_document",
            Counter(k for i in intakes for k in ({d["kind"] for d in i["documents"]} or {"none"})),
        ),
        ("requests_by_action", Counter(a for i in intakes for a in set(i["actions"]))),
        ("responses_by_code", Counter(r["code"] for _i, d in cases.values() for r in d["responses"])),
    ):
        for group, count in values.items():
            want[key, group] = count
    detainers = [(i, d) for i, d in cases.values() if {x["kind"] for x in i["documents"]} & DETAINER_FORMS]
    want["detainers", "received"] = len(detainers)
    held_other = judicial = on_detainer = not_held = 0
    forms: Counter[str] = Counter()
    for intake, decision in detainers:
        forms.update({x["kind"] for x in intake["documents"]} & DETAINER_FORMS)
        codes = {r["code"] for r in decision["responses"] if r["action"] in CUSTODY}
        held_other += "HOLD_OTHER_BASIS" in codes
        judicial += "HONOR_JUDICIAL" in codes
        on_detainer += bool(codes - NOT_HELD - {"HOLD_OTHER_BASIS", "HONOR_JUDICIAL"})
        not_held += codes <= NOT_HELD
    want["detainers", "held_other_basis"] = held_other
    want["detainers", "held_or_transferred_judicial"] = judicial
    want["detainers", "held_on_detainer"] = on_detainer
    want["detainers", "not_held"] = not_held
    want["detainers", "about_minors"] = suppressed(sum(bool(i["subject"].get("minor")) for i, _d in detainers))
    for form, count in forms.items():
        want["detainers_by_form", form] = count
    referred = [n for n in cases if n in known.referred_at]
    durations = [
        (known.resolved_at[n] - known.referred_at[n]).total_seconds() for n in referred if n in known.resolved_at
    ]
    want["referrals", "referred"] = len(referred)
    want["referrals", "resolved"] = len(durations)
    want["referrals", "open"] = len(referred) - len(durations)
    if durations:
        want["referrals", "median_days"] = f"{statistics.median(durations) / 86400:.1f}"
        want["referrals", "longest_days"] = f"{max(durations) / 86400:.1f}"
    overridden = [n for n in cases if n in known.overridden]
    want["overrides", "overridden"] = len(overridden)
    want["overrides", "signed_off"] = sum(n in known.signed_off for n in overridden)
    want["overrides", "awaiting"] = sum(n not in known.signed_off for n in overridden)
    for benefit in ("u_visa", "t_visa"):
        asked = [(i, d) for i, d in cases.values() if i.get("benefit") == benefit]
        want["benefits", f"{benefit}/requested"] = len(asked)
        want["benefits", f"{benefit}/processed"] = sum(
            any(r["code"] == "PROCESS_BENEFIT" for r in d["responses"]) for _i, d in asked
        )
    want["amendments", "amendments"] = sum(known.amendments.get(n, 0) for n in cases)
    want["amendments", "resolutions"] = sum(known.resolutions.get(n, 0) for n in cases)
    want["amendments", "cases_amended"] = sum(n in known.amendments for n in cases)
    return want


def got(report: Report) -> dict[tuple[str, str], int | str]:
    return {(s.id, f.group): f.value for s in report.sections for f in s.figures}


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_figure_matches_an_independent_count(known: Known, year: int) -> None:
    report = known.desk.reports.figures(known.officer, Period.year(year), ice_count=40)
    figures = got(report)
    want = expected(known, year)
    # Every figure counted here is in the report with the same value ...
    assert {k: figures.get(k) for k in want} == want
    # ... and the report has no breakdown figure this count does not know.
    counted_sections = {"requests_by_requester", "requests_by_channel", "requests_by_document", "requests_by_action"}
    counted_sections |= {"responses_by_code", "detainers_by_form"}
    assert {k for k in figures if k[0] in counted_sections} == {k for k in want if k[0] in counted_sections}
    assert report.requests == want["requests", "total"] > 0
    # ICE's count, typed in, beside the log's requests from ICE.
    from_ice = sum(i["requester"] in ("ice_ero", "ice_hsi") for i, _d in in_year(known, year).values())
    assert figures["ice_count", "reported_by_ice"] == 40
    assert figures["ice_count", "logged_from_ice"] == from_ice
    assert figures["ice_count", "difference"] == 40 - from_ice


def test_the_known_log_exercises_every_kind_of_figure(known: Known) -> None:
    figures = got(known.desk.reports.figures(known.officer, Period.year(2026)))
    assert figures["detainers", "received"] > 0 and figures["detainers", "held_other_basis"] > 0
    assert figures["detainers", "held_or_transferred_judicial"] > 0
    assert figures["referrals", "resolved"] == 3 and figures["referrals", "open"] > 0
    # Resolved after 2, 5 and 9.5 days (recorded by the desk clock).
    assert (figures["referrals", "median_days"], figures["referrals", "longest_days"]) == ("5.0", "9.5")
    assert figures["overrides", "overridden"] == 2 and figures["overrides", "signed_off"] == 1
    assert figures["benefits", "u_visa/requested"] > 0 and figures["amendments", "amendments"] == 5
    assert any(k[0] == "referrals_by_amb" and k[1].startswith("AMB-") for k in figures)


def test_referrals_by_open_question_add_up(known: Known) -> None:
    report = known.desk.reports.figures(known.officer, Period.year(2026))
    by_amb = report.section("referrals_by_amb")
    pack = known.desk.active_pack()
    for figure in by_amb.figures:
        if figure.group.endswith("/referred"):
            amb = figure.group.split("/")[0]
            assert amb in pack.ambiguities and figure.label.startswith(f"{amb}: ")
            resolved = by_amb.value(f"{amb}/resolved")
            still = by_amb.value(f"{amb}/open")
            assert isinstance(resolved, int) and isinstance(still, int) and resolved + still == figure.value


def test_held_on_the_detainer_is_zero_and_the_report_says_so(known: Known) -> None:
    report = known.desk.reports.figures(known.officer, Period.year(2026))
    assert report.value("detainers", "held_on_detainer") == 0
    assert "No one was held on an immigration detainer." in report.statements


def test_new_years_eve_counts_in_the_desks_own_year(known: Known) -> None:
    reports = known.desk.reports
    by_year = Counter(NEW_YEAR_EDGES.values())
    # Twice each: the generated intakes run through the dates twice.
    edge_days = {
        2025: reports.figures(known.officer, Period.between(dt.date(2025, 12, 31), dt.date(2025, 12, 31))).requests,
        2026: reports.figures(known.officer, Period.between(dt.date(2026, 1, 1), dt.date(2026, 1, 1))).requests,
    }
    assert edge_days == {2025: 2 * by_year[2025], 2026: 2 * 2}
    # 23:30 on 31 December 2026 (typed in UTC as 1 January 2027) is in December 2026, not in 2027.
    assert reports.figures(known.officer, Period.month("2026-12")).value("requests_by_month", "2026-12") == 2 * 4
    assert reports.figures(known.officer, Period.year(2027)).requests == 2


def test_minors_under_five_read_fewer_than_five(known: Known) -> None:
    minors = minors_by_year(known)
    assert 0 < minors[2025] < 5 <= minors[2026]
    reports = known.desk.reports
    assert reports.figures(known.officer, Period.year(2025)).value("requests", "about_minors") == FEWER_THAN
    assert reports.figures(known.officer, Period.year(2026)).value("requests", "about_minors") == minors[2026]
    assert [suppressed(n) for n in (0, 1, 4, 5, 12)] == [FEWER_THAN] * 3 + [5, 12]


def test_an_empty_period_says_no_requests_received(known: Known) -> None:
    report = known.desk.reports.figures(known.officer, Period.year(2024))
    assert report.empty and report.requests == 0
    assert report.statements[0].startswith("No requests received: City of Northampton, Police Department received")
    assert report.value("detainers", "held_on_detainer") == 0
    assert [f.value for f in report.section("requests_by_month").figures] == [0] * 12
    assert report.section("responses_by_code").figures == ()


def test_periods_by_preset() -> None:
    assert (Period.year(2026).start, Period.year(2026).end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    q = Period.quarter("2026-Q1")
    assert (q.start, q.end, q.label) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31), "2026-Q1")
    assert Period.quarter("2024q4").end == dt.date(2024, 12, 31)
    m = Period.month("2024-02")
    assert (m.start, m.end, m.months()) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29), ["2024-02"])
    assert Period.between(dt.date(2025, 11, 15), dt.date(2026, 2, 1)).months() == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    from desktop.desk.reports import ReportError

    for bad in (lambda: Period.quarter("2026-Q5"), lambda: Period.month("2026-13")):
        with pytest.raises(ReportError):
            bad()
    with pytest.raises(ReportError, match="ends"):
        Period.between(dt.date(2026, 2, 1), dt.date(2026, 1, 1))


def test_statuses_in_the_log_are_the_known_ones(known: Known) -> None:
    # The resolutions the figures count are versions recorded as resolved.
    for number in known.resolved_at:
        assert known.desk.cases.open(known.supervisor, number, audit=False).current.status == Status.RESOLVED
