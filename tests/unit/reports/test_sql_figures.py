"""The figures SQLite counts (store/reports.py) are those the report's Python tally counted, on varied logs.

tally.py is that tally, kept only for this cross-check. Each log is compared over many periods: years,
quarters, months, New Year's Eve, every case, and a period with none. The counts themselves, and the
whole report made from them, must be the same.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from desktop.demo import synthetic_intakes
from desktop.desk import Desk, Session
from desktop.desk.reports import Period, build_report
from desktop.desk.reports.figures import report_terms
from desktop.desk.reports.tally import tally
from desktop.errors import DeskError
from desktop.records import Override, Status
from desktop.rules import load_pack
from tests.conftest import PACK_DIR, Clock
from tests.unit.desk.people import staffed_desk
from tests.unit.reports.conftest import EVERY_CHECK, NEW_YEAR_EDGES, Known

PERIODS = [
    Period.year(2025),
    Period.year(2026),
    Period.quarter("2026-Q1"),
    Period.quarter("2026-Q4"),
    Period.month("2026-03"),
    Period.month("2025-12"),
    Period.between(dt.date(2025, 12, 31), dt.date(2026, 1, 1)),
    Period.between(dt.date(2019, 1, 1), dt.date(2027, 12, 31)),
    Period.year(2031),
]


def _compare(desk: Desk, session: Session, period: Period) -> int:
    """The SQL counts against the Python tally of the same snapshot; returns the requests compared."""
    store = desk._store
    pack = desk.reports.pack_for(period)
    terms = report_terms(pack)
    anchor, counts = store.period_counts(period.start, period.end, terms)
    with store.report_snapshot(period.start, period.end) as snapshot:
        expected = tally(snapshot.cases, terms.detainer_kinds, terms.authorities).counts()
        assert snapshot.anchor == anchor
    assert counts.totals == expected.totals, period
    assert counts.groups == expected.groups, period
    assert sorted(counts.referrals, key=repr) == sorted(expected.referrals, key=repr), period
    made = build_report(counts, anchor, period, pack, ice_count=3).to_dict()
    assert made == build_report(expected, anchor, period, pack, ice_count=3).to_dict()
    assert desk.reports.figures(session, period, ice_count=3).to_dict() == made
    return counts.total("requests")


def test_the_known_log_counts_the_same_in_sql(known: Known) -> None:
    compared = [_compare(known.desk, known.supervisor, period) for period in PERIODS]
    assert compared[-1] == 0 and compared[-2] == len(known.current)  # none in 2031; every case
    assert min(compared[:2]) > 10


def _varied_intakes(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """Synthetic intakes from every scenario, received at random moments of 2025 and 2026 and at New Year."""
    pack = load_pack(PACK_DIR)
    made = list(synthetic_intakes(pack, count, seed=rng.randrange(1000)))
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    for index, intake in enumerate(made):
        edges = list(NEW_YEAR_EDGES)
        if index < len(edges):
            intake["received_at"] = edges[index]
        else:
            moment = start + dt.timedelta(seconds=rng.randrange(730 * 86400))
            offset = dt.timezone(dt.timedelta(hours=rng.choice((-5, -4, 0, -8))))
            intake["received_at"] = moment.astimezone(offset).replace(microsecond=0).isoformat()
        subject = dict(intake["subject"])
        subject["minor"] = rng.random() < 0.15
        intake["subject"] = subject
    return made


@pytest.fixture(scope="module")
def varied(tmp_path_factory: pytest.TempPathFactory) -> tuple[Desk, Session]:
    """A log of random cases: overridden, amended to another request (another day, requester or
    papers), referred and resolved after random times, some twice, some corrected after resolution."""
    rng = random.Random(26)
    clock = Clock(dt.datetime(2027, 1, 10, 12, 0, tzinfo=dt.UTC))
    staff = staffed_desk(Path(tmp_path_factory.mktemp("varied")) / "data", clock)
    desk, officer, supervisor = staff.desk, staff.officer, staff.supervisor
    intakes = _varied_intakes(rng, 160)
    numbers, overridden = [], []
    for intake in intakes:
        clock.advance(minutes=rng.randrange(1, 300))
        override = Override("The paper looked like a court order", officer.label) if rng.random() < 0.08 else None
        saved = desk.cases.record(officer, desk.decide(intake), override=override, confirmed=EVERY_CHECK)
        numbers.append(saved.case_number)
        if override is not None:
            overridden.append(saved.case_number)
    # Overrides signed off by a decided version (not a resolution), and one corrected but still in review.
    plain = next(i for i in intakes if not desk.decide(i).decision.refer_to_counsel)
    for number in overridden[:3]:
        clock.advance(hours=5)
        desk.cases.amend(supervisor, number, desk.decide(plain), reason="Signed off", confirmed=EVERY_CHECK)
    for number in rng.sample([n for n in numbers if n not in overridden[:3]], 70):
        for _step in range(rng.randrange(1, 4)):
            clock.advance(hours=rng.randrange(1, 24 * 12), seconds=rng.randrange(60))
            current = desk.cases.open(supervisor, number, audit=False).current
            try:
                if current.status == Status.REFERRED and rng.random() < 0.7:
                    desk.cases.resolve(supervisor, number, outcome="Counsel advised; the request was declined")
                else:
                    other = rng.choice(intakes)
                    changed = {**current.intake.to_dict(), **{k: other[k] for k in rng.sample(sorted(other), 3)}}
                    desk.cases.amend(
                        supervisor, number, desk.decide(changed), reason="Corrected at review", confirmed=EVERY_CHECK
                    )
            except DeskError:
                pass  # the two-person rule: this supervisor made the version that put it in review
    return desk, supervisor


def test_a_varied_log_counts_the_same_in_sql(varied: tuple[Desk, Session]) -> None:
    desk, session = varied
    compared = [_compare(desk, session, period) for period in PERIODS]
    assert compared[-2] == 160 and compared[-1] == 0
    every = desk.reports.figures(session, PERIODS[-2])
    assert every.value("amendments", "amendments") and every.value("overrides", "overridden")
    assert every.value("referrals", "resolved") and every.value("referrals", "open")
    assert every.value("requests", "about_minors") != "fewer than 5"
