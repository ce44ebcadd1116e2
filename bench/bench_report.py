"""Benchmark the oversight report: the figures of a year and a month, and the PDF and CSV made from them.

Run: .venv/bin/python -m bench.bench_report                    (10,000 cases)
     .venv/bin/python -m bench.bench_report 10000 1000000      (by hand; the million is built once, minutes)
     .venv/bin/python -m bench.bench_report --quick            (1,000 cases: what the test suite runs once)

The log is bench/biglog.py's: its newest 10,000 cases over the two years before 1 November 2026
(about 4,200 received in 2026 at any size), the older ones from 2020 on, so the yearly report of
2026 reads the same year in a 10,000-case log and in a million-case one. Goal: a yearly report,
figures and PDF, under 2 s at a million cases, costing what its year costs, not what the log costs.
Above 10,000 cases one old year (2022) is timed too: a year of many more requests than a desk sees.

Baseline, measured in the same run on the same file: a bare sqlite3 SELECT of every version of the
period's cases (all columns), through the index on the received day: what merely reading the
period's rows costs. `--all` also times a report of every case in the log.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
from collections.abc import Callable, Sequence

from bench.biglog import RECENT, build_note, open_desk, prepared, sign_in
from bench.common import median_seconds, ms, print_table
from desktop.desk.reports import Period

MODULE = "bench.bench_report"
QUICK_SIZE = 1000
BARE = (
    "SELECT v.* FROM case_index ci JOIN case_versions v ON v.case_number = ci.case_number"
    " WHERE ci.received_day >= ? AND ci.received_day <= ?"
)


def run(size: int, repeat: int, *, everything: bool) -> list[tuple[str, str, str]]:
    folder = prepared(size)
    desk = open_desk(folder)
    session = sign_in(desk)
    reports = desk.reports
    conn = sqlite3.connect(folder / "data" / "cases.db")
    rows: list[tuple[str, str, str]] = []

    def bare(period: Period) -> Callable[[], object]:
        return lambda: conn.execute(BARE, [period.start.isoformat(), period.end.isoformat()]).fetchall()

    periods = [("year 2026", Period.year(2026)), ("one month, 2026-03", Period.month("2026-03"))]
    if size > RECENT:
        periods.append(("an old year, 2022", Period.year(2022)))
    if everything:
        periods.append(("every case", Period.between(dt.date(2019, 1, 1), dt.date(2026, 12, 31))))
    for name, period in periods:
        requests = reports.figures(session, period).requests
        base = median_seconds(bare(period), repeat)
        figures = median_seconds(lambda p=period: reports.figures(session, p), repeat)
        pdf = median_seconds(lambda p=period: reports.render(reports.figures(session, p), "pdf"), repeat)
        rows.append((f"baseline: bare SELECT of the versions of {name} ({requests:,} requests)", ms(base), ""))
        rows.append((f"  figures, {name}", ms(figures), f"{figures / base:6.1f}x"))
        rows.append((f"  figures + PDF, {name}", ms(pdf), f"{pdf / base:6.1f}x"))
        if period.name == "2026":
            csv = median_seconds(lambda p=period: reports.render(reports.figures(session, p), "csv"), repeat)
            rows.append((f"  figures + CSV, {name}", ms(csv), f"{csv / base:6.1f}x"))
    conn.close()
    desk.close()
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE}", description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, help="cases in the log (default 10,000)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SIZE:,} cases, few repeats (seconds)")
    parser.add_argument("--all", action="store_true", help="also a report of every case in the log")
    args = parser.parse_args(argv)
    sizes = [QUICK_SIZE] if args.quick else (args.sizes or [10_000])
    repeat = 3 if args.quick else 5
    for size in sizes:
        rows = run(size, repeat, everything=args.all or args.quick)
        print_table(
            f"oversight report benchmark at {size:,} cases (medians of {repeat})",
            [("log: " + build_note(size), "", ""), *rows],
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
