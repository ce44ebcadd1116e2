"""Headless commands over the same functions the window uses (CONTRACT.md, "Headless commands").

Nothing here imports Qt except the paths that open the window or run the self-test, and those
import it lazily, so `decide` and the other commands run on a machine with no display.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from desktop import __version__
from desktop.resources import policies_dir

if TYPE_CHECKING:
    from desktop.rules import Decision, Intake, Pack

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
        return sys.stdin.read()
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="main.py",
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
        if func is None:
            parser.print_help()
            return EXIT_OK
        return func(args)
    except UsageError as exc:
        # One line, whatever the input held (a field name may contain a newline).
        message = " ".join(str(exc).split("\n"))
        sys.stderr.write(f"error: {message}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        return 130
