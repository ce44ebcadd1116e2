"""Synthetic cases for the demo log and the benchmarks: the pack's own scenarios with made-up people.

Nothing here invents an immigration status: the intake has no field for one, and the notes only
describe the paper and the custody events.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from desktop.rules.checks import load_scenarios
from desktop.rules.pack import Pack

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
        received = received.replace(microsecond=0)
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


def fill_demo_log(store: Any, pack: Pack, *, count: int = 36, seed: int = 7) -> list[str]:
    """Fill an empty log with `count` synthetic cases, a few amended, overridden or resolved.

    `store` is a desktop.store.CaseStore (not imported here, so the rules stay free of SQL).
    """
    from desktop.records import Override
    from desktop.rules import decide, parse_intake

    numbers: list[str] = []
    for index, data in enumerate(synthetic_intakes(pack, count, seed=seed)):
        intake = parse_intake(data)
        override = None
        if index == 5:
            override = Override("Supervisor on scene says the papers looked like a court order", OFFICERS[2])
        saved = store.record(intake, decide(intake, pack), pack, officer=synthetic_officer(index), override=override)
        numbers.append(saved.case_number)
    # A correction, and a referral resolved by the City Solicitor, as a newcomer would find them.
    first = store.get(numbers[0]).current
    corrected = parse_intake(
        {**first.intake, "notes": (first.intake.get("notes") or "") + " Booking number re-checked."}
    )
    store.amend(
        numbers[0],
        corrected,
        decide(corrected, pack),
        pack,
        officer=OFFICERS[2],
        reason="Booking number re-checked against the booking sheet",
    )
    referred = [n for n in numbers if store.get(n).current.status == "referred"]
    if referred:
        case = store.get(referred[0]).current
        intake = parse_intake(case.intake)
        store.amend(
            referred[0],
            intake,
            decide(intake, pack),
            pack,
            officer=OFFICERS[2],
            reason="Resolved: City Solicitor advised no action; the request was declined",
            status="resolved",
        )
    return numbers
