"""Synthetic cases for the demo log and the benchmarks: the pack's own scenarios with made-up people.

Nothing here invents an immigration status: the intake has no field for one, and the notes only
describe the paper and the custody events.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from desktop.rules.checks import load_scenarios
from desktop.rules.pack import Pack

if TYPE_CHECKING:
    from desktop.desk import Desk
    from desktop.records import Actor

FAMILY_NAMES = (
    "ADAMS",
    "BAKER",
    "CRUZ",
    "DIAZ",
    "EVANS",
    "FOSTER",
    "GARCIA",
    "HUGHES",
    "IBARRA",
    "JENSEN",
    "KOWALSKI",
    "LOPEZ",
    "MURPHY",
    "NGUYEN",
    "O'BRIEN",
    "PATEL",
    "QUINTERO",
    "ROSSI",
    "SANTOS",
    "TRAN",
    "URIBE",
    "VARGAS",
    "WALSH",
    "XAVIER",
    "YILMAZ",
    "ZIELINSKI",
    "NÚÑEZ",
    "ŁUKASIEWICZ",
    "MÜLLER",
    "DUBOIS",
)
GIVEN_NAMES = (
    "ALEX",
    "BLAIR",
    "CASEY",
    "DANA",
    "ELLIS",
    "FRANCIS",
    "GRAY",
    "HARPER",
    "JORDAN",
    "KAI",
    "LEE",
    "MORGAN",
    "NOEL",
    "PAT",
    "QUINN",
    "REESE",
    "SAM",
    "TAYLOR",
    "JOSÉ",
    "THỊ ÁNH",
    "ŁUKASZ",
    "RENÉE",
)
OFFICERS = ("OFC. R. MARTIN #1147", "OFC. L. CHEN #1203", "SGT. K. JONES #77", "OFC. D. OKAFOR #1318")
NOTES = (
    "Paper received at the booking desk and entered by the officer on duty.",
    "Fax arrived during the overnight shift; the cover sheet gives a callback number.",
    "Caller would not leave a callback number.",
    "Bail set by the bail commissioner; posted by a family member.",
    "Copy of the paper placed in the booking file.",
)


def synthetic_intakes(
    pack: Pack, count: int, *, seed: int = 1, start: dt.datetime | None = None
) -> Iterator[dict[str, Any]]:
    """`count` realistic intakes in contract form, received over the months before `start`."""
    rng = random.Random(seed)
    templates = [s.intake.to_dict() for s in load_scenarios(pack.scenario_dir)]
    start = start or dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    spacing = dt.timedelta(minutes=37)
    for index in range(count):
        intake = dict(rng.choice(templates))
        received = start - spacing * (count - index) - dt.timedelta(minutes=rng.randrange(30))
        received = pack.local_time(received.replace(microsecond=0))  # as the desk types it, on local time
        if received.date() < pack.effective_from:
            received = dt.datetime.combine(pack.effective_from, dt.time(12), received.tzinfo)
        intake["received_at"] = received.isoformat()
        subject = dict(intake["subject"])
        if subject.get("name") or subject.get("booking_number"):
            subject["name"] = f"{rng.choice(FAMILY_NAMES)}, {rng.choice(GIVEN_NAMES)}"
            subject["booking_number"] = f"{received.year % 100:02d}-{rng.randrange(1, 999_999):06d}"
        intake["subject"] = subject
        intake["notes"] = rng.choice(NOTES)
        yield intake


def synthetic_officer(index: int) -> str:
    return OFFICERS[index % len(OFFICERS)]


def fill_demo_log(desk: Desk, *, count: int = 36, seed: int = 7) -> list[str]:
    """Fill an empty log with `count` synthetic cases, a few amended, overridden or resolved.

    Everything goes through the desk, exactly as the window and the command line record cases.
    """
    from desktop.records import Actor, Override, Status

    pack = desk.active_pack()
    numbers: list[str] = []
    for index, data in enumerate(synthetic_intakes(pack, count, seed=seed, start=desk.clock())):
        override = None
        if index == 5:
            override = Override("Supervisor on scene says the papers looked like a court order", OFFICERS[2])
        saved = desk.record(desk.decide(data), actor=Actor.parse(synthetic_officer(index)), override=override)
        numbers.append(saved.case_number)
    # A correction, and a referral resolved by counsel, as a newcomer would find them.
    supervisor = Actor.parse(OFFICERS[2])
    first = desk.open_case(numbers[0]).current
    corrected = {**first.intake, "notes": (first.intake.get("notes") or "") + " Booking number re-checked."}
    desk.amend(
        numbers[0],
        desk.decide(corrected),
        actor=supervisor,
        reason="Booking number re-checked against the booking sheet",
    )
    referred = [n for n in numbers if desk.open_case(n).current.status == Status.REFERRED]
    if referred:
        desk.resolve(referred[0], actor=supervisor, outcome="Counsel advised no action; the request was declined")
    return numbers


DEMO_PASSWORD = "demo-password"  # a throw-away log of synthetic cases: shown in the window's title


def demo_accounts(desk: Desk) -> Actor:
    """Accounts for the demo log (an admin, and a supervisor who is also an officer); returns the supervisor,
    signed in. Run after `fill_demo_log`: the synthetic cases are from before accounts, as an upgraded log's are."""
    from desktop.records import Actor as _Actor

    admin = desk.setup(username="demo.admin", name="DEMO ADMIN", badge="0000", password=DEMO_PASSWORD)
    supervisor = _Actor.parse(OFFICERS[2])
    desk.add_user(
        actor=admin,
        username="demo.sgt",
        name=supervisor.name,
        badge=supervisor.badge,
        roles=frozenset({"supervisor", "officer"}),
        password=DEMO_PASSWORD,
    )
    return desk.sign_in("demo.sgt", DEMO_PASSWORD)
