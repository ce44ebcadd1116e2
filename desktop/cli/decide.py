"""`decide` and `policy show` / `policy test`: the rules without the log."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.common import EXIT_CHECK_FAILED, EXIT_OK, UsageError, print_json, read_intake_text

if TYPE_CHECKING:
    from desktop.desk import Decided, Desk
    from desktop.rules import Pack


def rules_desk(args: argparse.Namespace) -> Desk:
    """A desk for deciding only: it never opens (or creates) the case log."""
    from desktop.desk import Desk, system_clock
    from desktop.paths import resolve_data_dir

    return Desk(resolve_data_dir(args.data_dir), clock=system_clock, policy=args.policy, create=False)


def decide_file(desk: Desk, source: str) -> Decided:
    """Parse an intake file and decide it under the pack in force on its `received_at`."""
    return desk.decide_json(read_intake_text(source))


def cmd_decide(args: argparse.Namespace) -> int:
    decided = decide_file(rules_desk(args), args.intake)
    sys.stdout.write(decided.decision.to_json() + "\n")
    return EXIT_OK


def _pack_for_review(args: argparse.Namespace, pack_path: str | None = None) -> Pack:
    """The pack named (a pack.toml or its folder), else the one --policy names, else the one in force now."""
    if pack_path:
        args = argparse.Namespace(**{**vars(args), "policy": pack_path})
    return rules_desk(args).active_pack()


def pack_summary(pack: Pack) -> dict[str, object]:
    """`policy show --json`: the pack's metadata, clause text and rule table."""
    return {
        "id": pack.id,
        "version": pack.version,
        "sha256": pack.sha256,
        "time_zone": pack.time_zone or None,
        "effective_from": pack.effective_from.isoformat(),
        "effective_to": pack.effective_to.isoformat() if pack.effective_to else None,
        "reviewed_by": pack.reviewed_by,
        "changes": [c.to_dict() for c in pack.changes],
        "notice": {
            "holds": pack.notice.holds,
            "holds_reviewed_by": pack.notice.reviewed_by,
            "languages": {
                lang.code: {"name": lang.name, "status": lang.status, "text_sha256": pack.notice.text_sha256(lang.code)}
                for lang in pack.notice.languages.values()
            },
        },
        "clauses": {c.id: c.text for c in pack.clauses.values()},
        "rules": [
            {
                "id": r.id,
                "actions": list(r.actions),
                "info": list(r.info),
                "when": [c.text for c in r.when],
                "code": r.code,
                "title": r.title,
                "say": r.say,
                "variants": [v.to_dict() for v in r.variants],
                "refer": r.refer,
            }
            for r in pack.rules
        ],
    }


def cmd_policy_show(args: argparse.Namespace) -> int:
    from desktop.rules.explain import pack_text

    pack = _pack_for_review(args)
    if args.json:
        print_json(pack_summary(pack))
    else:
        sys.stdout.write(pack_text(pack))
    return EXIT_OK


def cmd_policy_test(args: argparse.Namespace) -> int:
    pack = _pack_for_review(args, args.pack)
    folder = Path(args.scenarios) if args.scenarios else pack.scenario_dir
    if not folder.is_dir():
        raise UsageError(f"{folder}: no scenario folder for pack {pack.id}")
    try:
        results = rules_desk(args).test_pack(pack, folder)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not results:
        raise UsageError(f"{folder}: no scenario files (*.json)")
    failed = [r for r in results if not r.passed]
    if args.json:
        print_json(
            {
                "pack": {"id": pack.id, "version": pack.version, "sha256": pack.sha256},
                "passed": len(results) - len(failed),
                "failed": len(failed),
                "results": [
                    {"id": r.scenario.id, "title": r.scenario.title, "passed": r.passed, "problems": list(r.problems)}
                    for r in results
                ],
            }
        )
    else:
        for result in results:
            mark = "PASS" if result.passed else "FAIL"
            sys.stdout.write(f"{mark}  {result.scenario.id}  {result.scenario.title}\n")
            for problem in result.problems:
                sys.stdout.write(f"        {problem}\n")
        sys.stdout.write(f"{pack.id} {pack.version}: {len(results) - len(failed)} passed, {len(failed)} failed\n")
    return EXIT_CHECK_FAILED if failed else EXIT_OK
