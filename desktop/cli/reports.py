"""`report`: the oversight report of a period as PDF, CSV or JSON, or the register (supervisors and admins)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.common import EXIT_OK, UsageError, copy_passphrase, day, open_desk, print_json, signed_in

if TYPE_CHECKING:
    from desktop.desk import Desk, Session
    from desktop.desk.reports import Period


def add_arguments(sub: argparse.ArgumentParser) -> None:
    """The `report` command's options (the parser registers the command and the global options)."""
    sub.add_argument("--from", dest="start", metavar="DATE", type=day, help="the first day of the period (YYYY-MM-DD)")
    sub.add_argument("--to", dest="end", metavar="DATE", type=day, help="the last day of the period (YYYY-MM-DD)")
    sub.add_argument("--year", metavar="YYYY", type=int, help="the calendar year (instead of --from/--to)")
    sub.add_argument("--quarter", metavar="YYYY-Qn", help="a quarter, like 2026-Q1")
    sub.add_argument("--month", metavar="YYYY-MM", help="a month, like 2026-03")
    sub.add_argument(
        "-o", "--output", metavar="FILE", help="write FILE.pdf, FILE.csv or FILE.json (default: print the figures)"
    )
    sub.add_argument("--ice-count", metavar="N", type=int, help="the count ICE reports for the period, to compare")
    sub.add_argument(
        "--register",
        action="store_true",
        help="instead, the register of every case (personal data: supervisors and admins only; CSV, "
        "encrypted outside the data folder)",
    )
    sub.add_argument(
        "--no-encrypt",
        action="store_true",
        help="the register unencrypted: only for a copy that stays inside the station (the audit entry says so)",
    )


def period_from(args: argparse.Namespace) -> Period:
    """Exactly one way of naming the period: --from and --to, --year, --quarter or --month."""
    from desktop.desk.reports import Period

    given = [name for name in ("year", "quarter", "month") if getattr(args, name) is not None]
    if args.start is not None or args.end is not None:
        given.append("from/to")
    if len(given) != 1:
        raise UsageError("name the period once: --from DATE --to DATE, --year, --quarter or --month")
    if args.year is not None:
        return Period.year(args.year)
    if args.quarter is not None:
        return Period.quarter(args.quarter)
    if args.month is not None:
        return Period.month(args.month)
    if args.start is None or args.end is None:
        raise UsageError("--from and --to go together")
    return Period.between(args.start, args.end)


def cmd_report(args: argparse.Namespace) -> int:
    period = period_from(args)
    if args.ice_count is not None and args.ice_count < 0:
        raise UsageError("--ice-count must be 0 or more")
    with open_desk(args) as desk:
        who = signed_in(args, desk)
        reports = desk.reports
        if args.register:
            return _register(args, desk, period, who)
        if args.output:
            result = reports.make(who, period, Path(args.output), ice_count=args.ice_count)
            if args.json:
                print_json(
                    {
                        "file": str(result.path),
                        "format": result.format,
                        "from": period.start.isoformat(),
                        "to": period.end.isoformat(),
                        "requests": result.requests,
                        "audit_entries": result.entries,
                        "chain_head": result.chain_head,
                    }
                )
            else:
                sys.stdout.write(f"{result.path}\n")
            return EXIT_OK
        fmt = "json" if args.json else "csv"
        _report, data = reports.produce(who, period, fmt=fmt, ice_count=args.ice_count, where="printed")
    sys.stdout.write(data.decode("utf-8").replace("\r\n", "\n"))
    return EXIT_OK


def _register(args: argparse.Namespace, desk: Desk, period: Period, who: Session) -> int:
    if args.ice_count is not None:
        raise UsageError("--ice-count belongs to the public report, not the register")
    desk.admit(who, "reports.register")  # before a passphrase is asked for
    if args.output:
        target = Path(args.output)
        passphrase = copy_passphrase(args, desk, target)
        result = desk.reports.save_register(who, period, target, passphrase=passphrase, no_encrypt=args.no_encrypt)
        if args.json:
            print_json({"file": str(result.path), "cases": result.requests})
        else:
            sys.stdout.write(f"{result.path}\n")
        return EXIT_OK
    rows = desk.reports.register(who, period)
    if args.json:
        print_json(
            {"from": period.start.isoformat(), "to": period.end.isoformat(), "cases": [r.to_dict() for r in rows]}
        )
    else:
        for row in rows:
            sys.stdout.write("  ".join(row.cells()) + "\n")
    return EXIT_OK
