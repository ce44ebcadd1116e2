"""The benchmarks' synthetic case log: built once per size, kept under the temporary folder, and reused.

Run: .venv/bin/python -m bench.biglog 1000000      (build it now; a later benchmark reuses it)

The log is a real one, written through the store's own functions: a desk with accounts (an admin,
four officers, a supervisor), cases recorded by `record_many` 1,000 to a transaction, every entry
signed by the officer's key, exactly the rows a desk writes. One case in five referred to counsel is
resolved by the supervisor a few days later and one case in a hundred is corrected (both by `amend`,
in the same transaction as their batch), so the reports have history to count.

The newest 10,000 cases are received over the two years before 1 November 2026 (so about 4,200 in
2026, at any size); the older ones evenly from 1 January 2020 to then. A yearly report of 2026 reads
the same year in a 10,000-case log and in a million-case one, as a real desk's year is a few hundred
requests however long its log. Each case has its own booking number, so a search for one finds one.

A built log is a folder `safedesk-bench-log-SIZE-vLAYOUT` under $BENCH_TMP (or the temporary folder)
with `built.json` beside it; a folder without it (a build stopped half-way) is built anew. Change
LAYOUT when the way a log is built changes, so no benchmark reads a log built the old way.
Benchmarks that write (a case recorded, the index rebuilt) do so on a copy (`scratch_copy`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from bench.common import ROOT
from desktop.demo import synthetic_intakes
from desktop.desk import Desk, Session
from desktop.records import CaseVersion
from desktop.rules import Decision, Intake, decide, load_pack, parse_intake
from desktop.store import CaseStore

PACK = load_pack(ROOT / "resources" / "policies" / "northampton-2019")
LAYOUT: Final = 1
PASSWORD: Final = "bench-password-1"
OFFICERS: Final = ("bench.martin", "bench.chen", "bench.okafor", "bench.silva")
SUPERVISOR: Final = "bench.sgt"
RECENT: Final = 10_000
END: Final = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
RECENT_START: Final = END - dt.timedelta(days=730)
OLD_START: Final = dt.datetime(2020, 1, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
BATCH: Final = 1000
TEMPLATES: Final = 5000


def bench_root() -> Path:
    return Path(os.environ.get("BENCH_TMP") or tempfile.gettempdir())


def log_folder(size: int) -> Path:
    return bench_root() / f"safedesk-bench-log-{size}-v{LAYOUT}"


def received(n: int, size: int) -> dt.datetime:
    """When case `n` (0 the oldest) of a `size`-case log was received, on the jurisdiction's local time."""
    recent = min(size, RECENT)
    old = size - recent
    if n < old:
        moment = OLD_START + (RECENT_START - OLD_START) * (n / old)
    else:
        moment = RECENT_START + (END - RECENT_START) * ((n - old) / recent)
    return PACK.local_time(moment.replace(microsecond=0))


def open_desk(folder: Path) -> Desk:
    return Desk(folder / "data", clock=lambda: dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC))


def sign_in(desk: Desk, username: str = SUPERVISOR) -> Session:
    return desk.people.sign_in(username, PASSWORD)


def _staff(desk: Desk) -> None:
    admin = desk.people.setup(username="bench.admin", name="BENCH ADMIN", badge="0", password=PASSWORD)
    for k, username in enumerate(OFFICERS, start=1):
        desk.people.add_user(
            admin,
            username=username,
            name=f"OFC. {username.split('.')[1].upper()}",
            badge=str(1000 + k),
            roles=frozenset({"officer"}),
            password=PASSWORD,
        )
    desk.people.add_user(
        admin,
        username=SUPERVISOR,
        name="SGT. BENCH",
        badge="77",
        roles=frozenset({"supervisor", "officer"}),
        password=PASSWORD,
    )
    desk.people.sign_out(admin)


def _case(templates: list[tuple[Intake, Decision]], n: int, size: int) -> tuple[Intake, Decision]:
    intake, decision = templates[n % len(templates)]
    when = received(n, size)
    subject = intake.subject
    if subject.booking_number:  # every case its own booking number (the decision does not read it)
        subject = dataclasses.replace(subject, booking_number=f"{when.year % 100:02d}-{n:07d}")
    return dataclasses.replace(intake, received_at=when, subject=subject), decision


def _amend(
    store: CaseStore, version: CaseVersion, by: Session, reason: str, now: dt.datetime, status: str | None = None
) -> None:
    """A new version of the case, the same request and decision, by `by` at `now`."""
    store.amend(
        version.case_number,
        version.intake,
        version.decision,
        PACK,
        officer=by.actor,
        reason=reason,
        status=status,
        now=now,
    )


def build(size: int, folder: Path) -> float:
    """Write a `size`-case log into `folder`; returns the seconds it took."""
    started = time.perf_counter()
    desk = open_desk(folder)
    try:
        _staff(desk)
        officers = [sign_in(desk, name) for name in OFFICERS]
        supervisor = sign_in(desk)
        store = desk._store  # the store's own write path, in batches (the desk records one case at a time)
        raw = [parse_intake(d) for d in synthetic_intakes(PACK, min(size, TEMPLATES), seed=26, start=END)]
        templates = [(i, decide(i, PACK)) for i in raw]
        done = 0
        while done < size:
            count = min(BATCH, size - done)
            cases = [_case(templates, done + k, size) for k in range(count)]
            recorded_at = cases[-1][0].received_at.astimezone(dt.UTC) + dt.timedelta(hours=1)
            batch = [(i, d, officers[(done + k) % len(officers)].actor, None) for k, (i, d) in enumerate(cases)]
            with store.exclusive():  # the batch, its resolutions and corrections: one transaction
                saved = store.record_many(batch, PACK, now=recorded_at)
                referred = [v for v in saved if v.decision.refer_to_counsel]
                for k, version in enumerate(referred):
                    if k % 5 == 0:  # resolved by the supervisor a few days later
                        later = recorded_at + dt.timedelta(days=2 + k % 9, hours=k % 7)
                        _amend(
                            store, version, supervisor, "Counsel advised; the request was declined", later, "resolved"
                        )
                for version in saved[::100]:
                    if not version.decision.refer_to_counsel:  # corrected the same day
                        _amend(store, version, supervisor, "Corrected at review", recorded_at + dt.timedelta(hours=3))
            done += count
            if size >= 100_000 and done % 50_000 == 0:
                print(f"    built {done:,} of {size:,} cases ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    finally:
        desk.close()
    fold(folder / "data" / "cases.db")
    return time.perf_counter() - started


def fold(db: Path) -> None:
    """Fold the write-ahead journal into the file, so a copy of the one file is the whole log."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def prepared(size: int, *, quiet: bool = False) -> Path:
    """The folder of a built `size`-case log (its data folder is `data/`), building it first if need be."""
    folder = log_folder(size)
    stamp = folder / "built.json"
    if stamp.exists():
        return folder
    if folder.exists():
        shutil.rmtree(folder)  # a build stopped half-way
    folder.mkdir(parents=True)
    if not quiet:
        print(f"    building a {size:,}-case log in {folder} (once; later runs reuse it)", file=sys.stderr)
    seconds = build(size, folder)
    stamp.write_text(
        json.dumps({"size": size, "layout": LAYOUT, "seconds": round(seconds, 1), "rate": round(size / seconds)}),
        encoding="utf-8",
    )
    return folder


def build_note(size: int) -> str:
    """How the log was built (once): its rate and time, for the benchmark's output."""
    data = json.loads((log_folder(size) / "built.json").read_text(encoding="utf-8"))
    return f"built once at {data['rate']:,} cases/s ({data['seconds']:,.0f} s), through record_many and amend"


@contextmanager
def scratch_copy(size: int) -> Iterator[Path]:
    """A copy of the built log's data folder, for a benchmark that writes; removed afterwards."""
    source = prepared(size) / "data"
    fold(source / "cases.db")
    with tempfile.TemporaryDirectory(dir=bench_root(), prefix="safedesk-bench-scratch-") as tmp:
        target = Path(tmp) / "data"
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("*-wal", "*-shm", "backups"))
        yield target


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["10000"]:
        started = time.perf_counter()
        where = prepared(int(arg))
        print(f"{int(arg):,}-case log ready in {where} ({time.perf_counter() - started:.1f} s)")
