"""Headless commands over the same functions the window uses (CONTRACT.md, "Headless commands").

Nothing here imports Qt except the paths that open the window or run the self-test, and those
import it lazily, so `decide` and the other commands run on a machine with no display.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from desktop import __version__
from desktop.resources import policies_dir
from desktop.rules import vocab

if TYPE_CHECKING:
    from desktop.records import CaseRecord, CaseVersion, Override
    from desktop.rules import Decision, Intake, Pack
    from desktop.store import CaseStore

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """Bad input or usage; reported as one line on standard error with exit code 2."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line, as the contract asks."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _read_intake_text(source: str) -> str:
    if source == "-":
        raw = getattr(sys.stdin, "buffer", None)
        if raw is None:  # already text (an embedding program replaced sys.stdin)
            return sys.stdin.read()
        try:  # bytes, decoded as UTF-8 whatever the console's code page
            return bytes(raw.read()).decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError("standard input is not UTF-8 text; expected a JSON intake") from None
    try:
        return Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{source}: no such file") from None
    except UnicodeDecodeError:
        raise UsageError(f"{source}: not UTF-8 text; expected a JSON intake") from None
    except OSError as exc:
        raise UsageError(f"{source}: cannot be read ({exc.strerror or exc})") from None


def _decide_file(source: str, policy: str | None) -> tuple[Intake, Pack, Decision]:
    """Parse an intake file and decide it under the chosen pack; every failure is a UsageError."""
    from desktop.rules import IntakeError, PackError, decide, parse_intake_json
    from desktop.rules.pack import choose_pack

    try:
        intake = parse_intake_json(_read_intake_text(source))
    except IntakeError as exc:
        raise UsageError(str(exc)) from None
    try:
        pack = choose_pack(intake.received_at.date(), policy, policies_dir())
        return intake, pack, decide(intake, pack)
    except PackError as exc:
        raise UsageError(str(exc)) from None


def cmd_decide(args: argparse.Namespace) -> int:
    _intake, _pack, decision = _decide_file(args.intake, args.policy)
    sys.stdout.write(decision.to_json() + "\n")
    return EXIT_OK


def _pack_for_review(policy: str | None) -> Pack:
    from desktop.rules import PackError
    from desktop.rules.pack import choose_pack

    try:
        return choose_pack(dt.date.today(), policy, policies_dir())
    except PackError as exc:
        raise UsageError(str(exc)) from None


def cmd_policy_show(args: argparse.Namespace) -> int:
    from desktop.rules.explain import pack_text

    pack = _pack_for_review(args.policy)
    if args.json:
        summary = {
            "id": pack.id,
            "version": pack.version,
            "sha256": pack.sha256,
            "effective_from": pack.effective_from.isoformat(),
            "effective_to": pack.effective_to.isoformat() if pack.effective_to else None,
            "reviewed_by": pack.reviewed_by,
            "clauses": {c.id: c.text for c in pack.clauses.values()},
            "rules": [
                {
                    "id": r.id,
                    "actions": list(r.actions),
                    "info": list(r.info),
                    "when": [c.text for c in r.when],
                    "code": r.code,
                    "refer": r.refer,
                }
                for r in pack.rules
            ],
        }
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(pack_text(pack))
    return EXIT_OK


def cmd_policy_test(args: argparse.Namespace) -> int:
    from desktop.rules.checks import load_scenarios, run_scenario

    pack = _pack_for_review(args.pack or args.policy)
    folder = Path(args.scenarios) if args.scenarios else pack.scenario_dir
    if not folder.is_dir():
        raise UsageError(f"{folder}: no scenario folder for pack {pack.id}")
    try:
        scenarios = load_scenarios(folder)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not scenarios:
        raise UsageError(f"{folder}: no scenario files (*.json)")
    results = [run_scenario(s, pack) for s in scenarios]
    failed = [r for r in results if not r.passed]
    if args.json:
        payload = {
            "pack": {"id": pack.id, "version": pack.version, "sha256": pack.sha256},
            "passed": len(results) - len(failed),
            "failed": len(failed),
            "results": [
                {"id": r.scenario.id, "title": r.scenario.title, "passed": r.passed, "problems": list(r.problems)}
                for r in results
            ],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        for result in results:
            mark = "PASS" if result.passed else "FAIL"
            sys.stdout.write(f"{mark}  {result.scenario.id}  {result.scenario.title}\n")
            for problem in result.problems:
                sys.stdout.write(f"        {problem}\n")
        sys.stdout.write(f"{pack.id} {pack.version}: {len(results) - len(failed)} passed, {len(failed)} failed\n")
    return EXIT_CHECK_FAILED if failed else EXIT_OK


def _actor(args: argparse.Namespace) -> str:
    """Who an event is recorded against: --officer when given, else the computer user."""
    import getpass

    officer: str | None = getattr(args, "officer", None)
    if officer:
        return officer
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):
        return "command line"


@contextmanager
def _store(
    args: argparse.Namespace, *, create: bool = True, damaged_is_input_error: bool = True
) -> Iterator[CaseStore]:
    """The case log in the chosen data folder; store errors become one-line usage errors.

    With `damaged_is_input_error=False` a damaged log is raised as it is (for `verify` to report).
    """
    from desktop.paths import resolve_data_dir
    from desktop.store import LogDamaged, StoreError, open_store

    def translate(exc: StoreError) -> Exception:
        return exc if isinstance(exc, LogDamaged) and not damaged_is_input_error else UsageError(str(exc))

    try:
        store = open_store(resolve_data_dir(args.data_dir), create=create)
    except StoreError as exc:
        raise translate(exc) from None
    try:
        yield store
    except StoreError as exc:
        raise translate(exc) from None
    finally:
        store.close()


def _print_json(value: object) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _override(args: argparse.Namespace) -> Override | None:
    from desktop.records import Override

    reason: str | None = getattr(args, "disagree", None)
    return Override(reason, args.officer) if reason else None


def _print_saved(saved: CaseVersion, decision: Decision, chain_head: str) -> None:
    """What `record` and `amend` print with --json: the case, its hash and status, and the decision."""
    _print_json(
        {
            "case": saved.case_number,
            "version": saved.version,
            "hash": saved.record_hash,
            "status": saved.status,
            "chain_head": chain_head,
            **decision.to_dict(),
        }
    )


def cmd_record(args: argparse.Namespace) -> int:
    intake, pack, decision = _decide_file(args.intake, args.policy)
    with _store(args) as store:
        saved = store.record(intake, decision, pack, officer=args.officer, override=_override(args))
        head = store.chain_head()
    if args.json:
        _print_saved(saved, decision, head)
    else:
        sys.stdout.write(f"{saved.case_number}\n")
        sys.stderr.write(f"recorded case {saved.case_number} (record sha256 {saved.record_hash})\n")
    return EXIT_OK


def cmd_amend(args: argparse.Namespace) -> int:
    intake, pack, decision = _decide_file(args.intake, args.policy)
    with _store(args, create=False) as store:
        saved = store.amend(
            args.case,
            intake,
            decision,
            pack,
            officer=args.officer,
            reason=args.reason,
            status=args.status,
            override=_override(args),
        )
        head = store.chain_head()
    if args.json:
        _print_saved(saved, decision, head)
    else:
        sys.stdout.write(f"{saved.case_number} version {saved.version}\n")
    return EXIT_OK


def _record_dict(record: CaseRecord) -> dict[str, object]:
    from dataclasses import asdict

    return {
        "case": record.case_number,
        "versions": [asdict(v) for v in record.versions],
        "events": [asdict(e) for e in record.events],
        "attachments": [asdict(a) for a in record.attachments],
    }


def cmd_show(args: argparse.Namespace) -> int:
    from desktop.rules import labels

    with _store(args, create=False) as store:
        record = store.get(args.case)
    if args.json:
        _print_json(_record_dict(record))
        return EXIT_OK
    out = [f"Case {record.case_number}: {len(record.versions)} version(s), status {record.current.status}"]
    for version in record.versions:
        intake, decision = version.intake, version.decision
        out.append("")
        out.append(f"Version {version.version}: recorded {version.recorded_at} by {version.officer} at {version.desk}")
        if version.amendment_reason:
            out.append(f"  Amendment: {version.amendment_reason}")
        out.append(
            f"  Received {version.received_at} by {intake['channel']} from {intake['requester']}"
            + (f" ({intake['requester_name']})" if intake.get("requester_name") else "")
        )
        subject = intake["subject"]
        out.append(
            f"  Person: {subject.get('name') or '(no name)'}, booking {subject.get('booking_number') or '-'}, "
            f"{labels.CUSTODY[subject['custody']].lower()}"
        )
        for response in decision["responses"]:
            what = response["action"] + (f" ({response['info']})" if response["info"] else "")
            refer = f", refer {response['refer']}" if response["refer"] else ""
            out.append(f"  {what}: {response['code']} (rule {response['rule']}{refer})")
            out.append(f"      {response['instruction']}")
        if version.override:
            out.append(f"  Officer disagreed: {version.override.reason} ({version.override.officer})")
        out.append(f"  Record sha256 {version.record_hash}")
    out.append("")
    out.append("Events:")
    out.extend(f"  #{e.seq} {e.at} {e.kind} by {e.actor}: {e.detail}" for e in record.events)
    if record.attachments:
        out.append("Attachments:")
        out.extend(
            f"  {a.id}: {a.filename} ({a.content_type}, {a.size} bytes, sha256 {a.sha256})" for a in record.attachments
        )
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-01-31") from None


def cmd_log(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from desktop.store import CaseQuery

    query = CaseQuery(
        text=args.search or "",
        since=args.since,
        until=args.until,
        requester=args.requester,
        document_kind=args.document,
        code=args.code,
        status=args.status,
        referred=True if args.referred else None,
    )
    with _store(args, create=False) as store:
        rows = store.search(query, limit=args.limit, offset=args.offset)
        total = store.count(query)
    if args.json:
        _print_json({"total": total, "cases": [asdict(r) for r in rows]})
        return EXIT_OK
    for row in rows:
        referred = " REFERRED" if row.referred else ""
        sys.stdout.write(
            f"{row.case_number}  v{row.version}  {row.received_at[:16]}  {row.requester:<20}  "
            f"{(row.subject_name or '-')[:24]:<24}  {' '.join(row.codes)}{referred}\n"
        )
    sys.stdout.write(f"{len(rows)} of {total} case(s)\n")
    return EXIT_OK


def cmd_memo(args: argparse.Namespace) -> int:
    from desktop.memo import render_memo
    from desktop.store.store import EVENT_MEMO

    target = Path(args.output)
    with _store(args, create=False) as store:
        record = store.get(args.case)
        pdf = render_memo(record, store.pack_for(record.current), chain_head=store.chain_head())
        try:
            target.write_bytes(pdf)
        except OSError as exc:
            raise UsageError(f"{target}: cannot be written ({exc.strerror or exc})") from None
        store.log_event(
            record.case_number,
            EVENT_MEMO,
            _actor(args),
            f"memo of version {record.current.version} written to {target.name}",
        )
    if args.json:
        _print_json(
            {"case": record.case_number, "version": record.current.version, "file": str(target), "bytes": len(pdf)}
        )
    else:
        sys.stdout.write(f"{target}\n")
    return EXIT_OK


def _verify_memo(args: argparse.Namespace, memo_file: str) -> int:
    from desktop.memo import MemoError, read_memo_stamp
    from desktop.store import CaseNotFound

    try:
        stamp = read_memo_stamp(Path(memo_file))
    except MemoError as exc:
        raise UsageError(str(exc)) from None
    with _store(args, create=False) as store:
        try:
            record = store.get(stamp.case_number)
        except CaseNotFound:
            record = None
        head_seq = store.chain_position(stamp.chain_head)
        recorded_seq = store.chain_position_of_record(stamp.record_hash)
    version = None
    if record is not None:
        version = next((v for v in record.versions if v.version == stamp.version), None)
    # The chain head printed on the paper is the outside witness: it must still be in the chain, at or
    # after this version's own entry. If not, the log was rewritten or replaced after printing.
    head_ok = head_seq is not None and recorded_seq is not None and head_seq >= recorded_seq
    matches = version is not None and version.record_hash == stamp.record_hash and head_ok
    if record is None:
        verdict = f"case {stamp.case_number} is not in this log"
    elif version is None:
        verdict = f"case {stamp.case_number} has no version {stamp.version} in this log"
    elif version.record_hash != stamp.record_hash:
        verdict = f"the memo's record hash does not match case {stamp.case_number} version {stamp.version} in the log"
    elif not head_ok:
        verdict = (
            "the audit chain head printed on the memo is not in this log's chain after the record: the log was "
            "rewritten or replaced after the memo was printed"
        )
    else:
        current = "" if version is record.current else f" (a newer version {record.current.version} exists)"
        verdict = f"the log holds this exact record: case {stamp.case_number} version {stamp.version}{current}"
    if args.json:
        _print_json(
            {
                "memo": memo_file,
                "case": stamp.case_number,
                "version": stamp.version,
                "record_hash": stamp.record_hash,
                "matches": matches,
                "verdict": verdict,
            }
        )
    else:
        sys.stdout.write(("OK: " if matches else "MISMATCH: ") + verdict + "\n")
    return EXIT_OK if matches else EXIT_CHECK_FAILED


def cmd_verify(args: argparse.Namespace) -> int:
    if args.memo:
        return _verify_memo(args, args.memo)
    from desktop.store import LogDamaged

    try:
        with _store(args, create=False, damaged_is_input_error=False) as store:
            if args.rebuild_index:
                # The search index is derived from the log; rebuilding it changes no record.
                sys.stderr.write(f"search index rebuilt: {store.rebuild_index()} case(s)\n")
            report = store.verify(actor=_actor(args))
            integrity = store.integrity_ok()
    except LogDamaged as exc:
        # A damaged log is what verify is for: the check failed (exit 1), the input was fine.
        _report_failed_verify(args, [str(exc)])
        return EXIT_CHECK_FAILED
    problems = list(report.problems) + ([] if integrity else ["SQLite integrity_check failed"])
    if args.json:
        _print_json(
            {
                "ok": not problems,
                "entries_checked": report.entries_checked,
                "records_checked": report.records_checked,
                "chain_head": report.chain_head,
                "problems": problems,
            }
        )
    elif problems:
        sys.stdout.write(f"FAILED: {problems[0]}\n")
        for problem in problems[1:]:
            sys.stdout.write(f"  also: {problem}\n")
        sys.stdout.write(f"{report.entries_checked} entries and {report.records_checked} records checked\n")
    else:
        sys.stdout.write(
            f"OK: {report.entries_checked} audit entries and {report.records_checked} records checked; "
            f"chain head {report.chain_head}\n"
        )
    return EXIT_CHECK_FAILED if problems else EXIT_OK


def _report_failed_verify(args: argparse.Namespace, problems: list[str]) -> None:
    if args.json:
        _print_json({"ok": False, "entries_checked": 0, "records_checked": 0, "chain_head": None, "problems": problems})
    else:
        sys.stdout.write(f"FAILED: {problems[0]}\n")


def cmd_verify_memo(args: argparse.Namespace) -> int:
    return _verify_memo(args, args.memo_file)


def cmd_backup(args: argparse.Namespace) -> int:
    from desktop.store import backup_to

    with _store(args, create=False) as store:
        result = backup_to(store, Path(args.file), actor=_actor(args))
    if args.json:
        _print_json(
            {
                "file": str(result.path),
                "bytes": result.size,
                "entries_checked": result.report.entries_checked,
                "records_checked": result.report.records_checked,
                "chain_head": result.report.chain_head,
            }
        )
    else:
        sys.stdout.write(
            f"backed up to {result.path} ({result.size} bytes; {result.report.records_checked} records verified)\n"
        )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from desktop.paths import resolve_data_dir
    from desktop.store import StoreError, restore_from

    try:
        result = restore_from(resolve_data_dir(args.data_dir), Path(args.file), actor=_actor(args))
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        _print_json(
            {
                "restored": args.file,
                "replaced_log_kept_as": str(result.kept) if result.kept else None,
                "cases_only_in_replaced_log": result.cases_only_in_replaced,
                "records_checked": result.report.records_checked,
                "chain_head": result.report.chain_head,
            }
        )
    else:
        kept_text = f"; the replaced log is kept as {result.kept}" if result.kept else ""
        sys.stdout.write(f"restored {args.file} ({result.report.records_checked} records verified){kept_text}\n")
        if result.cases_only_in_replaced:
            sys.stdout.write(
                f"note: {result.cases_only_in_replaced} case(s) recorded after that backup are only "
                "in the replaced log; case numbers carry on after them\n"
            )
    return EXIT_OK


def _window(args: argparse.Namespace) -> int:
    """No command: the window (or the self-test). Qt is imported only here."""
    if args.self_test:
        from desktop.ui.app import self_test

        return self_test()
    from desktop.paths import resolve_data_dir
    from desktop.ui.app import run_window

    policy = Path(args.policy) if args.policy else None
    return run_window(
        resolve_data_dir(args.data_dir), policy=policy, demo=args.demo, exit_after_show=args.exit_after_show
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        # The frozen build is run by its own name (SafeCommunitiesDesk.exe, safedesk.exe).
        prog=Path(sys.argv[0]).stem if getattr(sys, "frozen", False) else "main.py",
        description="Safe Communities Desk: decide, record and print the City's response to federal "
        "immigration requests. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="the data folder (default: $SAFEDESK_DATA_DIR, else the machine's shared application-data folder)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of text")
    parser.add_argument("--policy", metavar="PACK", help="decide with this policy pack (a pack.toml or its folder)")
    parser.add_argument("--demo", action="store_true", help="open the window on a temporary log of synthetic cases")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="in a temporary folder: build the window offscreen, decide, record, print a memo, verify",
    )
    parser.add_argument("--exit-after-show", action="store_true", help=argparse.SUPPRESS)  # start-up benchmarks
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    decide = commands.add_parser("decide", help="decide one intake (JSON file or '-'); stores nothing")
    decide.add_argument("intake", metavar="INTAKE.json")
    decide.add_argument(
        "--policy",
        metavar="PACK",
        default=argparse.SUPPRESS,
        help="decide with this policy pack (a pack.toml or its folder)",
    )
    decide.set_defaults(func=cmd_decide)

    policy = commands.add_parser("policy", help="review or test the policy pack")
    policy_commands = policy.add_subparsers(
        dest="policy_command", metavar="SUBCOMMAND", parser_class=_Parser, required=True
    )
    show = policy_commands.add_parser("show", help="print the active pack for review")
    show.set_defaults(func=cmd_policy_show)
    test = policy_commands.add_parser("test", help="run a pack's own scenarios")
    test.add_argument("pack", nargs="?", metavar="PACK", help="the pack to test (default: the active pack)")
    test.add_argument("--scenarios", metavar="DIR", help="a folder of scenario files (default: the pack's own)")
    test.set_defaults(func=cmd_policy_test)

    record = commands.add_parser("record", help="decide an intake and record it as a new case")
    record.add_argument("intake", metavar="INTAKE.json")
    record.add_argument("--officer", required=True, help='the officer recording it, "NAME #BADGE"')
    record.add_argument("--disagree", metavar="REASON", help="the officer disagrees: marks it for supervisor review")
    record.add_argument("--policy", metavar="PACK", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    record.set_defaults(func=cmd_record)

    amend = commands.add_parser("amend", help="record a new version of a case; the old one stays")
    amend.add_argument("case", metavar="CASE")
    amend.add_argument("intake", metavar="INTAKE.json")
    amend.add_argument("--officer", required=True, help='who amends it, "NAME #BADGE"')
    amend.add_argument("--reason", required=True, help="why the case is amended")
    amend.add_argument("--status", choices=("decided", "referred", "resolved"), help="set the case status")
    amend.add_argument("--disagree", metavar="REASON", help="the officer disagrees: marks it for supervisor review")
    amend.add_argument("--policy", metavar="PACK", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    amend.set_defaults(func=cmd_amend)

    show = commands.add_parser("show", help="a case with all its versions and events")
    show.add_argument("case", metavar="CASE")
    show.set_defaults(func=cmd_show)

    log = commands.add_parser("log", help="list cases, newest first")
    log.add_argument("--search", metavar="TEXT", help="words to find (case or booking number, name, notes, ...)")
    log.add_argument("--since", metavar="DATE", type=_day, help="received on or after this day (YYYY-MM-DD)")
    log.add_argument("--until", metavar="DATE", type=_day, help="received on or before this day (YYYY-MM-DD)")
    log.add_argument("--requester", choices=vocab.REQUESTERS, metavar="REQUESTER", help="only this requester")
    log.add_argument("--document", choices=vocab.DOCUMENT_KINDS, metavar="KIND", help="only cases with this paper")
    log.add_argument("--code", choices=vocab.RESPONSE_CODES, metavar="CODE", help="only cases with this response")
    log.add_argument("--status", choices=("decided", "referred", "resolved"), help="only cases with this status")
    log.add_argument("--referred", action="store_true", help="only cases referred to the City Solicitor")
    log.add_argument("--limit", type=int, default=50, help="cases per page (default 50)")
    log.add_argument("--offset", type=int, default=0, help="skip this many cases")
    log.set_defaults(func=cmd_log)

    memo = commands.add_parser("memo", help="write the memo of a case's current version")
    memo.add_argument("case", metavar="CASE")
    memo.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    memo.add_argument("--officer", help="who prints it (default: the computer user)")
    memo.set_defaults(func=cmd_memo)

    verify = commands.add_parser("verify", help="check the whole audit chain and every record's hash")
    verify.add_argument("--memo", metavar="FILE.pdf", help="instead, check a printed memo against the log")
    verify.add_argument(
        "--rebuild-index",
        action="store_true",
        help="first rebuild the search index from the log (it holds nothing else)",
    )
    verify.set_defaults(func=cmd_verify)

    verify_memo = commands.add_parser("verify-memo", help="check a memo PDF against the log")
    verify_memo.add_argument("memo_file", metavar="FILE.pdf")
    verify_memo.set_defaults(func=cmd_verify_memo)

    backup = commands.add_parser("backup", help="write a consistent, verified copy of the log")
    backup.add_argument("file", metavar="FILE")
    backup.set_defaults(func=cmd_backup)

    restore = commands.add_parser("restore", help="replace the log with a verified backup (the old log is kept)")
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(func=cmd_restore)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
        if func is None:
            return _window(args)
        return func(args)
    except UsageError as exc:
        # One line, whatever the input held (a field name may contain a newline).
        message = " ".join(str(exc).split("\n"))
        sys.stderr.write(f"error: {message}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        return 130
