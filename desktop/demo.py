"""Synthetic cases for the demo log and the benchmarks: the pack's own scenarios with made-up people.

Nothing here invents an immigration status: the intake has no field for one, and the notes only
describe the paper and the custody events.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from desktop.rules.checks import load_scenarios
from desktop.rules.pack import Pack

if TYPE_CHECKING:
    from desktop.desk import Desk, Session

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


DEMO_PASSWORD = "demo-password"  # a throw-away log of synthetic cases: shown in the window's title
# The demo's accounts: user name and roles of each officer in OFFICERS, in that order.
DEMO_STAFF = (
    ("demo.martin", frozenset({"officer"})),
    ("demo.chen", frozenset({"officer"})),
    ("demo.sgt", frozenset({"supervisor", "officer"})),
    ("demo.okafor", frozenset({"officer"})),
)
DEMO_ADMIN = "demo.admin"


def demo_accounts(desk: Desk) -> Session:
    """The demo's accounts (an admin, three officers and a supervisor who is also an officer), set up on a
    new log; returns the supervisor, signed in. On a log that has them already, only signs in."""
    from desktop.records import Actor

    if desk.people.needs_setup():
        admin = desk.people.setup(username=DEMO_ADMIN, name="DEMO ADMIN", badge="0000", password=DEMO_PASSWORD)
        for label, (username, roles) in zip(OFFICERS, DEMO_STAFF, strict=True):
            officer = Actor.parse(label)
            desk.people.add_user(
                admin, username=username, name=officer.name, badge=officer.badge, roles=roles, password=DEMO_PASSWORD
            )
        desk.people.sign_out(admin)
    return desk.people.sign_in("demo.sgt", DEMO_PASSWORD)


def fill_demo_log(desk: Desk, *, count: int = 36, seed: int = 7) -> list[str]:
    """Fill a log with `count` synthetic cases, a few amended, overridden or resolved, by the demo's officers.

    Everything goes through the desk, signed in, exactly as the window and the command line record
    cases. The demo's accounts are set up first on a new log (`demo_accounts`).
    """
    from desktop.records import Override, Status

    demo_accounts(desk)
    sessions = [desk.people.sign_in(username, DEMO_PASSWORD) for username, _roles in DEMO_STAFF]
    pack = desk.active_pack()
    numbers: list[str] = []
    for index, data in enumerate(synthetic_intakes(pack, count, seed=seed, start=desk.clock())):
        override = None
        if index == 5:
            override = Override("Supervisor on scene says the papers looked like a court order", OFFICERS[2])
        who = sessions[index % len(sessions)]
        saved = desk.cases.record(who, desk.decide(data), override=override, confirmed=ALL_CHECKS)
        numbers.append(saved.case_number)
    # A correction, and a referral resolved by counsel, as a newcomer would find them.
    supervisor = sessions[2]
    first = desk.cases.open(supervisor, numbers[0], audit=False).current
    corrected = dataclasses.replace(first.intake, notes=(first.intake.notes or "") + " Booking number re-checked.")
    desk.cases.amend(
        supervisor,
        numbers[0],
        desk.decide(corrected),
        reason="Booking number re-checked against the booking sheet",
        confirmed=ALL_CHECKS,
    )
    # The supervisor resolves a referral they took no part in: not one they recorded, nor the one they amended.
    referred = [
        n
        for index, n in enumerate(numbers)
        if index % len(sessions) != 2
        and n != numbers[0]
        and desk.cases.open(supervisor, n, audit=False).current.status == Status.REFERRED
    ]
    if referred:
        desk.cases.resolve(supervisor, referred[0], outcome="Counsel advised no action; the request was declined")
    for session in sessions:
        desk.people.sign_out(session)
    return numbers


# Synthetic cases repeat the pack's scenarios, so they trip the checks an officer confirms at the desk.
ALL_CHECKS = ("future", "blank", "open-case", "relay")
