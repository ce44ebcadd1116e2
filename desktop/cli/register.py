"""`register …`: the county register's commands, each a thin call into desktop.register.Register.

Which register: --db URL, else $SAFEDESK_REGISTER_URL. Who: the role the URL signs in with (IT's
log-in users, each granted one of the register's roles). The register's key, which signs its
cosignatures and journal, opens with $SAFEDESK_REGISTER_PASSPHRASE (or the passphrase typed at a
terminal); a sealed bundle with $SAFEDESK_BACKUP_PASSPHRASE, as a sealed backup does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli.common import EXIT_CHECK_FAILED, EXIT_OK, Parser, UsageError, day, print_json, secret

if TYPE_CHECKING:
    from desktop.register import Register

REGISTER_PASSPHRASE_ENV = "SAFEDESK_REGISTER_PASSPHRASE"
Command = Callable[[Any, str, str], Parser]


def add_commands(register: argparse.ArgumentParser, command: Command) -> None:
    """The `register` subcommands; `command(subparsers, name, help)` makes each as the parser makes others."""
    subs = register.add_subparsers(dest="register_command", metavar="SUBCOMMAND", parser_class=Parser, required=True)

    def sub(name: str, words: str, func: Callable[[argparse.Namespace], int]) -> Parser:
        made = command(subs, name, words)
        made.add_argument("--db", metavar="URL", help="the register (default: $SAFEDESK_REGISTER_URL)")
        made.set_defaults(func=func)
        return made

    made = sub("init", "set up the register: schema, roles, append-only guards and its key", cmd_init)
    made.add_argument("--name", help="the register's name on its cosignatures (first init only)")
    made = sub("enrol", "pin a desk to its admin root (from the desk's set-up paper), once", cmd_enrol)
    made.add_argument("--origin", required=True, metavar="AGENCY/DESK")
    made.add_argument("--fingerprint", required=True, metavar="FP", help="the admin key fingerprint setup printed")
    made = sub("import", "verify bundles and add what is new; the cosignature is written beside each", cmd_import)
    made.add_argument("files", nargs="+", metavar="FILE")
    sub("status", "each desk: entries held, head, last import, witnessed head, forks", cmd_status)
    sub("verify", "check every desk's chain again, from the database alone", cmd_verify)
    made = sub("log", "cases as they stand, newest first, every desk (audited)", cmd_log)
    made.add_argument(
        "--search", metavar="TEXT", help="words in the case number or the intake (a name, a booking number)"
    )
    made.add_argument("--origin", metavar="AGENCY/DESK", help="only this desk")
    made.add_argument("--since", metavar="DATE", type=day, help="received on or after this day")
    made.add_argument("--until", metavar="DATE", type=day, help="received on or before this day")
    made.add_argument("--referred", action="store_true", help="only cases referred and waiting")
    made.add_argument("--limit", type=int, default=50, help="cases at most (default 50)")
    made.add_argument("--offset", type=int, default=0, help="skip this many")
    made = sub("show", "a desk's case with all its versions and entries (audited)", cmd_show)
    made.add_argument("origin", metavar="AGENCY/DESK")
    made.add_argument("case", metavar="CASE")
    sub("queue", "referrals waiting for counsel, every desk (audited)", cmd_queue)
    made = sub("report", "the oversight report across desks, from the desk's own report code", cmd_report)
    made.add_argument("--from", dest="start", metavar="DATE", type=day, help="the first day of the period")
    made.add_argument("--to", dest="end", metavar="DATE", type=day, help="the last day of the period")
    made.add_argument("--year", metavar="YYYY", type=int, help="the calendar year (instead of --from/--to)")
    made.add_argument("--quarter", metavar="YYYY-Qn", help="a quarter, like 2026-Q1")
    made.add_argument("--month", metavar="YYYY-MM", help="a month, like 2026-03")
    made.add_argument("-o", "--output", metavar="FILE", help="write FILE.pdf, FILE.csv or FILE.json")
    made.add_argument("--ice-count", metavar="N", type=int, help="the count ICE reports for the period, to compare")
    made.add_argument("--origin", action="append", metavar="AGENCY/DESK", help="only these desks (repeatable)")
    made.add_argument("--per-desk", action="store_true", help="each desk's own report too (FILE.AGENCY_DESK.ext)")
    made = sub("accept", "an admin accepts a restored desk's new branch (both histories are kept)", cmd_accept)
    made.add_argument("origin", metavar="AGENCY/DESK")
    made.add_argument("file", metavar="FILE", help="the restored desk's bundle, reaching back before the fork")


@contextmanager
def opened(args: argparse.Namespace) -> Iterator[Register]:
    from desktop.register import Register

    register = Register(getattr(args, "db", None))
    try:
        yield register
    finally:
        register.close()


def _passphrase(*, confirm: bool = False) -> str:
    return secret(REGISTER_PASSPHRASE_ENV, "Passphrase of the register's key: ", confirm=confirm, what="passphrase")


def _bundle_passphrase(path: Path) -> str | None:
    from desktop.cli.common import opening_passphrase
    from desktop.encrypted import is_encrypted

    return opening_passphrase(path) if is_encrypted(path) else None


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def cmd_init(args: argparse.Namespace) -> int:
    with opened(args) as register:
        fresh = bool(register.pending())
        passphrase = _passphrase(confirm=True) if fresh else None
        result = register.init(passphrase=passphrase, name=args.name)
        where = register.where
    if args.json:
        print_json(
            {
                "register": where,
                "name": result.name,
                "migrations_applied": list(result.applied),
                "register_key_fingerprint": result.key_fingerprint,
            }
        )
    else:
        applied = ", ".join(result.applied) or "none (up to date)"
        sys.stdout.write(
            f"register {result.name} at {where}: migrations applied: {applied}\n"
            f"register key fingerprint: {result.key_fingerprint}\n"
            + ("write it down: each desk checks the register's cosignatures against it\n" if result.new_key else "")
        )
    return EXIT_OK


def cmd_enrol(args: argparse.Namespace) -> int:
    with opened(args) as register:
        register.require(("safedesk_admin",), "enrol a desk")  # before the passphrase is asked for
        result = register.enrol(args.origin, args.fingerprint, passphrase=_passphrase())
    if args.json:
        print_json(
            {
                "origin": result.origin,
                "agency": result.agency,
                "admin_root_fingerprint": result.root_fingerprint,
                "journal_entry": result.journal_entry,
                "agency_role": result.agency_role,
            }
        )
    else:
        sys.stdout.write(f"enrolled {result.origin} with admin root {result.root_fingerprint}\n")
        if not result.agency_role_made:
            sys.stdout.write(f"town role: {result.agency_role} (grant it to the agency's log-in users)\n")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.register import ImportRefused

    paths = [Path(f) for f in args.files]
    for path in paths:
        if not path.is_file():
            raise UsageError(f"{path}: no such bundle")
    results, refused = [], []
    with opened(args) as register:
        register.require(("safedesk_importer", "safedesk_admin"), "import bundles")
        passphrase = _passphrase()
        signer_check = register.signer(passphrase)  # a wrong passphrase is said once, before any bundle
        del signer_check
        for path in paths:
            try:
                results.append(
                    register.import_bundle(
                        path, passphrase=passphrase, bundle_passphrase=_bundle_passphrase(path), progress=_progress
                    )
                )
            except ImportRefused as exc:
                if len(paths) == 1:
                    raise
                refused.append((path, str(exc)))
    if args.json:
        print_json(
            {
                "imported": [
                    {
                        "file": str(r.file),
                        "origin": r.origin,
                        "from_seq": r.from_seq,
                        "to_seq": r.to_seq,
                        "added_entries": r.added_entries,
                        "added_versions": r.added_versions,
                        "head": r.head,
                        "cosignature": str(r.cosignature) if r.cosignature else None,
                    }
                    for r in results
                ],
                "refused": [{"file": str(p), "error": e} for p, e in refused],
            }
        )
    else:
        for result in results:
            sys.stdout.write(result.words + "\n")
        for _path, error in refused:
            sys.stdout.write(f"REFUSED: {error}\n")
    return EXIT_CHECK_FAILED if refused else EXIT_OK


def _progress(text: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r{text}")
        sys.stderr.flush()


def cmd_status(args: argparse.Namespace) -> int:
    with opened(args) as register:
        rows = register.status()
        name = register.name()
    if args.json:
        print_json({"register": name, "desks": _json_ready(rows)})
        return EXIT_OK
    if not rows:
        sys.stdout.write(f"register {name}: no desk enrolled yet (register enrol)\n")
    for row in rows:
        branch = f" branch {row['branch']}" + ("" if row["current"] else " (earlier)")
        witnessed = f"entry {row['witnessed']:,} on {row['witnessed_at']}" if row["witnessed"] else "none yet"
        last = f"{row['last_import']:%Y-%m-%d %H:%M} by {row['imported_by']}" if row["last_import"] else "never"
        forks = f"; FORKS: {row['forks']} (register accept, after checking the restore)" if row["forks"] else ""
        sys.stdout.write(
            f"{row['origin']}{branch}: {row['entries']:,} entries, head {str(row['head'] or '-')[:16]}…, "
            f"last import {last}, cosigned {witnessed}{forks}\n"
        )
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    with opened(args) as register:
        check = register.verify()
    if args.json:
        print_json(
            {
                "ok": check.ok,
                "desks": check.desks,
                "entries_checked": check.entries,
                "versions_checked": check.versions,
                "signatures_checked": check.signatures,
                "cosignatures_checked": check.cosignatures,
                "journal_entries_checked": check.journal,
                "problems": check.problems,
            }
        )
    elif check.ok:
        sys.stdout.write(
            f"OK: {check.desks} desk histories, {check.entries:,} entries, {check.versions:,} case versions, "
            f"{check.signatures:,} signatures, {check.cosignatures:,} cosignatures and {check.journal:,} journal "
            "entries checked\n"
        )
    else:
        sys.stdout.write(f"FAILED: {check.problems[0]}\n")
        for problem in check.problems[1:]:
            sys.stdout.write(f"  also: {problem}\n")
    return EXIT_OK if check.ok else EXIT_CHECK_FAILED


def cmd_log(args: argparse.Namespace) -> int:
    with opened(args) as register:
        rows = register.case_log(
            search=args.search,
            origin=args.origin,
            since=args.since,
            until=args.until,
            referred=args.referred,
            limit=args.limit,
            offset=args.offset,
        )
    if args.json:
        print_json({"cases": _json_ready(rows)})
    else:
        for r in rows:
            name = f" {r['subject_name']}" if r["subject_name"] else ""
            sys.stdout.write(
                f"{r['origin']} {r['case_number']} v{r['version']} {r['received_day']} {r['requester']} "
                f"{r['codes'] or ''} {r['status']}{name}\n"
            )
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    with opened(args) as register:
        case = register.show(args.origin, args.case)
    if args.json:
        print_json(_json_ready(case))
        return EXIT_OK
    sys.stdout.write(f"{case['origin']} case {case['case_number']} (branch {case['branch']})\n")
    for v in case["versions"]:
        codes = " ".join(r.get("code", "") for r in v["decision"].get("responses", []))
        sys.stdout.write(
            f"  version {v['version']}: {v['status']}, received {v['received_at']}, recorded {v['recorded_at']} by "
            f"{v['officer']}; {codes}\n"
        )
    for e in case["entries"]:
        sys.stdout.write(f"  #{e['seq']} {str(e['at'])[:19]} {e['kind']} by {e['actor']}: {e['detail']}\n")
    return EXIT_OK


def cmd_queue(args: argparse.Namespace) -> int:
    with opened(args) as register:
        rows = register.queue()
    if args.json:
        print_json({"referrals": _json_ready(rows)})
    else:
        for r in rows:
            sys.stdout.write(
                f"{r['origin']} {r['case_number']} v{r['version']} received {r['received_day']} {r['requester']}: "
                f"{r['open_questions'] or '(no question named)'}\n"
            )
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from desktop.cli.reports import period_from
    from desktop.desk.files import safe_write
    from desktop.desk.reports import Reports, format_of

    period = period_from(args)
    if args.ice_count is not None and args.ice_count < 0:
        raise UsageError("--ice-count must be 0 or more")
    with opened(args) as register:
        origins = args.origin or None
        everything = register.report(period, origins=origins, policy=args.policy, ice_count=args.ice_count)
        each = (
            [(o, register.report(period, origins=[o], policy=args.policy)) for o in (origins or register.origins())]
            if args.per_desk
            else []
        )
    if args.output:
        target = Path(args.output)
        fmt = format_of(target)
        written = [str(safe_write(target, Reports.render(everything, fmt)))]
        for origin, report in each:
            own = target.with_name(f"{target.stem}.{origin.replace('/', '_')}{target.suffix}")
            written.append(str(safe_write(own, Reports.render(report, fmt))))
        if args.json:
            print_json({"files": written, "requests": everything.requests})
        else:
            sys.stdout.write("\n".join(written) + "\n")
        return EXIT_OK
    if args.json:
        print_json({"all": everything.to_dict(), "desks": {o: r.to_dict() for o, r in each}})
        return EXIT_OK
    sys.stdout.write(Reports.render(everything, "csv").decode("utf-8").replace("\r\n", "\n"))
    for origin, report in each:
        sys.stdout.write(f"\n# {origin}\n" + Reports.render(report, "csv").decode("utf-8").replace("\r\n", "\n"))
    return EXIT_OK


def cmd_accept(args: argparse.Namespace) -> int:
    path = Path(args.file)
    with opened(args) as register:
        register.require(("safedesk_admin",), "accept a restored desk's branch")
        result = register.accept(
            args.origin, path, passphrase=_passphrase(), bundle_passphrase=_bundle_passphrase(path)
        )
    if args.json:
        print_json(
            {
                "origin": result.origin,
                "branch": result.branch,
                "forked_at": result.forked_at,
                "shared_entries": result.shared_entries,
                "journal_entry": result.journal_entry,
                "added_entries": result.imported.added_entries,
                "cosignature": str(result.imported.cosignature),
            }
        )
    else:
        sys.stdout.write(
            f"{result.origin}: branch {result.branch} accepted from entry {result.forked_at} (register journal entry "
            f"{result.journal_entry}); the earlier branch is kept. {result.imported.words}\n"
        )
    return EXIT_OK
