"""A log of known cases for the report tests: the public examples plus generated cases with known dates.

Everything the tests expect is counted here, independently, from the intakes and decisions as the
desk returned them (never from the report's own code or the store's projection).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from desktop.desk import Desk, Session
from desktop.records import Override
from desktop.rules.checks import load_scenarios
from tests.conftest import EXAMPLES_DIR, PACK_DIR, Clock
from tests.unit.desk.people import staffed_desk

# The harness records every generated intake as it is: the checks an officer confirms at the desk
# (a booking number with an open case, say) are not what these tests count.
EVERY_CHECK = ("future", "blank", "open-case", "relay")

# Around New Year's Eve in Northampton (America/New_York, UTC-5 in winter), typed with several offsets.
NEW_YEAR_EDGES = {
    "2025-12-31T23:59:00-05:00": 2025,
    "2026-01-01T04:59:00+00:00": 2025,  # 23:59 on the 31st in Northampton
    "2025-12-31T20:30:00-08:00": 2025,  # typed on Pacific time: 23:30 in Northampton
    "2026-01-01T05:00:00+00:00": 2026,  # midnight in Northampton
    "2026-01-01T00:00:00-05:00": 2026,
    "2026-12-31T23:30:00-05:00": 2026,
    "2027-01-01T04:30:00+00:00": 2026,  # 23:30 on 31 December 2026 in Northampton
    "2027-01-01T05:00:00+00:00": 2027,
}
# Other known dates, spread over 2025 and 2026 (summer time too).
SPREAD = [
    "2025-03-09T01:30:00-05:00",
    "2025-07-04T12:00:00-04:00",
    "2025-11-02T01:30:00-04:00",
    *[
        f"2026-{month:02d}-{day:02d}T{9 + day % 10:02d}:15:00-0{4 if 3 < month < 11 else 5}:00"
        for month in range(1, 13)
        for day in (3, 17)
    ],
]


# A detainer that arrives with a verified federal judge's warrant: the person is held on the warrant.
JUDICIAL_WITH_DETAINER = {
    "received_at": "2026-06-10T09:00:00-04:00",
    "channel": "in_person",
    "requester": "ice_ero",
    "documents": [
        {"kind": "I-247A", "signer": "dhs_officer"},
        {"kind": "AO-442", "signer": "federal_judge", "verified": True},
    ],
    "actions": ["hold", "transfer_custody"],
    "purpose": "mixed_or_unknown",
    "subject": {
        "custody": "in_city_custody",
        "release_blockers": [],
        "name": "WARRANT, WES",
        "booking_number": "BK-W1",
    },
}


@dataclass
class Known:
    """The log and everything about it the tests count by hand."""

    desk: Desk
    clock: Clock
    officer: Session
    supervisor: Session
    admin: Session
    current: dict[str, tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=dict)  # case -> intake, decision
    referred_at: dict[str, dt.datetime] = field(default_factory=dict)
    resolved_at: dict[str, dt.datetime] = field(default_factory=dict)
    overridden: set[str] = field(default_factory=set)
    signed_off: set[str] = field(default_factory=set)
    amendments: dict[str, int] = field(default_factory=dict)  # case -> versions after the first
    resolutions: dict[str, int] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    bookings: set[str] = field(default_factory=set)
    requester_names: set[str] = field(default_factory=set)
    notes: set[str] = field(default_factory=set)

    def record(self, intake: dict[str, Any], *, override: Override | None = None) -> str:
        self.clock.advance(minutes=7)
        saved = self.desk.cases.record(self.officer, self.desk.decide(intake), override=override, confirmed=EVERY_CHECK)
        number = saved.case_number
        self.current[number] = (saved.intake.to_dict(), saved.decision.to_dict())
        if saved.decision.refer_to_counsel:
            self.referred_at[number] = dt.datetime.fromisoformat(saved.recorded_at)
        if override is not None:
            self.overridden.add(number)
        subject = intake.get("subject", {})
        for value, bucket in (
            (subject.get("name"), self.names),
            (subject.get("booking_number"), self.bookings),
            (intake.get("requester_name"), self.requester_names),
            (intake.get("notes"), self.notes),
        ):
            if value:
                bucket.add(value)
        return number

    def resolve(self, number: str, *, after: dt.timedelta) -> None:
        start = self.referred_at.get(number) or dt.datetime.fromisoformat(
            self.desk.cases.open(self.supervisor, number, audit=False).versions[0].recorded_at
        )
        self.clock.now = start + after
        saved = self.desk.cases.resolve(self.supervisor, number, outcome="Counsel advised; the request was declined")
        self.current[number] = (saved.intake.to_dict(), saved.decision.to_dict())
        self.resolved_at[number] = dt.datetime.fromisoformat(saved.recorded_at)
        self.amendments[number] = self.amendments.get(number, 0) + 1
        self.resolutions[number] = self.resolutions.get(number, 0) + 1
        if number in self.overridden:
            self.signed_off.add(number)

    def correct(self, number: str, changes: dict[str, Any]) -> None:
        self.clock.advance(hours=1)
        intake = {**copy.deepcopy(self.current[number][0]), **changes}
        saved = self.desk.cases.amend(
            self.supervisor, number, self.desk.decide(intake), reason="Corrected at review", confirmed=EVERY_CHECK
        )
        self.current[number] = (saved.intake.to_dict(), saved.decision.to_dict())
        self.amendments[number] = self.amendments.get(number, 0) + 1


def example_intakes() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8"))["intake"] for p in sorted(EXAMPLES_DIR.glob("*.json"))]


def generated_intakes() -> list[dict[str, Any]]:
    """The pack's scenarios, one after another, at the known dates, each with a made-up name and booking number."""
    templates = [s.intake.to_dict() for s in load_scenarios(PACK_DIR / "scenarios")]
    dates = [*NEW_YEAR_EDGES, *SPREAD]
    made = []
    minors: Counter[int] = Counter()
    for index, when in enumerate(dates * 2):
        intake = copy.deepcopy(templates[(index * 7) % len(templates)])
        intake["received_at"] = when
        intake["subject"] = {
            **intake["subject"],
            "name": f"TESTNAME{index:03d}, PERSON",
            "booking_number": f"BK-{index:05d}",
            # 3 minors in 2025 (fewer than 5), and 6 in 2026.
            "minor": minors[local_day(when).year] < {2025: 3, 2026: 6}.get(local_day(when).year, 0),
        }
        minors[local_day(when).year] += intake["subject"]["minor"]
        intake["notes"] = f"Test note {index}: 12 Elm Street, the person's address."
        made.append(intake)
    return made


def minors_by_year(known: Known) -> dict[int, int]:
    counts: dict[int, int] = {}
    for intake, _decision in known.current.values():
        if intake["subject"].get("minor"):
            year = local_day(intake["received_at"]).year
            counts[year] = counts.get(year, 0) + 1
    return counts


def local_day(received_at: str) -> dt.date:
    from zoneinfo import ZoneInfo

    return dt.datetime.fromisoformat(received_at).astimezone(ZoneInfo("America/New_York")).date()


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> Known:
    clock = Clock(dt.datetime(2027, 1, 10, 12, 0, tzinfo=dt.UTC))
    staff = staffed_desk(Path(tmp_path_factory.mktemp("reports")) / "data", clock)
    desk = staff.desk
    log = Known(desk, clock, staff.officer, staff.supervisor, staff.admin)
    numbers = [log.record(intake) for intake in example_intakes()]
    generated = generated_intakes()
    numbers += [log.record(intake) for intake in generated[:-1]]
    numbers.append(log.record(JUDICIAL_WITH_DETAINER))
    # An override the supervisor signs off, and one still waiting.
    plain = next(n for n in numbers if n not in log.referred_at)
    waiting = log.record(generated[-1], override=Override("The paper looked like a court order", log.officer.label))
    signed = log.record(log.current[plain][0], override=Override("Thought the hold was lawful", log.officer.label))
    log.resolve(signed, after=dt.timedelta(hours=30))
    del waiting
    # Referrals resolved after 2, 5 and 9.5 days; the rest stay open.
    referred = [n for n in numbers if n in log.referred_at and local_day(log.current[n][0]["received_at"]).year == 2026]
    for number, days in zip(referred, (2, 5, 9.5), strict=False):
        log.resolve(number, after=dt.timedelta(days=days))
    # A correction: the channel was mistyped.
    fax = next(n for n in numbers if log.current[n][0]["channel"] == "fax" and n not in log.resolved_at)
    log.correct(fax, {"channel": "email"})
    yield log
    desk.close()
