"""Accounts for tests: a desk set up with an admin, a supervisor and two officers, on a clock tests set."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from desktop.desk import Desk
from desktop.records import Actor
from tests.conftest import Clock

PASSWORDS = {
    "admin": "first-root-pass-0001",
    "sgt.jones": "supervisor-pass-77",
    "ofc.smith": "officer-pass-1234",
    "ofc.chen": "officer-pass-1203",
}


@dataclass
class Staff:
    desk: Desk
    clock: Clock
    admin: Actor
    supervisor: Actor
    officer: Actor
    other_officer: Actor


def staffed_desk(folder: Path, clock: Clock | None = None) -> Staff:
    """A new desk: the first admin set up, then a supervisor and two officers added by that admin."""
    clock = clock or Clock(dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC))
    desk = Desk(folder, clock=clock)
    admin = desk.people.setup(username="admin", name="A. ADMIN", badge="900", password=PASSWORDS["admin"])
    for username, name, badge, roles in (
        ("sgt.jones", "SGT. K. JONES", "77", {"supervisor", "officer"}),
        ("ofc.smith", "J. SMITH", "1234", {"officer"}),
        ("ofc.chen", "L. CHEN", "1203", {"officer"}),
    ):
        desk.people.add_user(
            admin, username=username, name=name, badge=badge, roles=frozenset(roles), password=PASSWORDS[username]
        )
    return Staff(
        desk,
        clock,
        admin,
        desk.people.sign_in("sgt.jones", PASSWORDS["sgt.jones"]),
        desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"]),
        desk.people.sign_in("ofc.chen", PASSWORDS["ofc.chen"]),
    )


# Most tests record the same intake (S01, one booking number) more than once; the desk asks the officer
# to confirm a second open case for a booking number (desk/cases.py, "open-case"), and these confirm it.
SAME_BOOKING = ("open-case",)
