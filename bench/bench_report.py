"""Benchmark the oversight report at 10,000 (and optionally 1,000,000) synthetic cases.

Run: .venv/bin/python -m bench.bench_report              (10,000 cases)
     .venv/bin/python -m bench.bench_report 10000 1000000
The cases are spread over the two years before 1 November 2026 (received a few hours apart at 10k;
record_many loads them in batches of 1,000, as bench_store does). Prints, for the yearly report of
2026 and for one month: reading the figures from the log, and the whole PDF and CSV (figures
included), and the same over every case in the log. Target: under 1 s at 10,000 cases.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, median_seconds, ms
from desktop.demo import synthetic_intakes, synthetic_officer
from desktop.desk import Desk
from desktop.desk.reports import Period
from desktop.rules import decide, load_pack, parse_intake

PACK = load_pack(ROOT / "resources" / "policies" / "northampton-2019")
START = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
SPAN = dt.timedelta(days=730)


def load(desk: Desk, size: int) -> float:
    """`size` cases received evenly over SPAN, loaded in batches; returns the seconds it took."""
    templates = [parse_intake(d) for d in synthetic_intakes(PACK, min(size, 5000), seed=size, start=START)]
    decisions = [decide(t, PACK) for t in templates]  # the day received does not change the decision
    step = SPAN / size
    store = desk.store
    started = time.perf_counter()
    done = 0
    while done < size:
        batch = []
        for k in range(min(1000, size - done)):
            n = done + k
            received = PACK.local_time(START - SPAN + step * n).replace(microsecond=0)
            intake = dataclasses.replace(templates[n % len(templates)], received_at=received)
            batch.append((intake, decisions[n % len(templates)], synthetic_officer(n), None))
        store.record_many(batch, PACK)
        done += len(batch)
        if size >= 100_000 and done % 100_000 == 0:
            print(f"    loaded {done:,} cases ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return time.perf_counter() - started


def run(size: int) -> None:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        desk = Desk(Path(tmp) / "data", clock=lambda: dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
        load_seconds = load(desk, size)
        reports = desk.reports()
        year, month = Period.year(2026), Period.month("2026-03")
        repeat = 5 if size <= 100_000 else 1
        in_year = reports.figures(year).requests
        everything = Period.between(dt.date(2024, 1, 1), dt.date(2026, 12, 31))
        timings = {
            f"figures, every case ({size:,})": lambda: reports.figures(everything),
            f"figures + PDF, every case ({size:,})": lambda: reports.render(reports.figures(everything), "pdf"),
            f"figures, year 2026 ({in_year:,} requests)": lambda: reports.figures(year),
            "figures + PDF, year 2026": lambda: reports.render(reports.figures(year), "pdf"),
            "figures + CSV, year 2026": lambda: reports.render(reports.figures(year), "csv"),
            f"figures, one month ({reports.figures(month).requests:,} requests)": lambda: reports.figures(month),
        }
        results = {name: median_seconds(fn, repeat, warmup=1 if repeat > 1 else 0) for name, fn in timings.items()}
        desk.close()
    print(f"oversight report benchmark at {size:,} cases (medians of {repeat})")
    print(f"  bulk load:                                   {size / load_seconds:,.0f} cases/s ({load_seconds:.1f} s)")
    for name, seconds in results.items():
        print(f"  {name + ':':<50} {ms(seconds)}")


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["10000"]:
        run(int(arg))
