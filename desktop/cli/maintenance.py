"""`verify`, `backup` and `restore`, and the window itself (the only path that imports Qt)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import EXIT_CHECK_FAILED, EXIT_OK, actor, open_desk, print_json
from desktop.cli.paper import verify_memo


def cmd_verify(args: argparse.Namespace) -> int:
    if args.memo:
        return verify_memo(args, args.memo)
    with open_desk(args) as desk:
        check = desk.verify_log(actor=actor(args), rebuild_index=args.rebuild_index)
    if check.index_rebuilt is not None:
        # The search index is derived from the log; rebuilding it changes no record.
        sys.stderr.write(f"search index rebuilt: {check.index_rebuilt} case(s)\n")
    if args.json:
        print_json(
            {
                "ok": check.ok,
                "entries_checked": check.entries_checked,
                "records_checked": check.records_checked,
                "chain_head": check.chain_head,
                "problems": list(check.problems),
            }
        )
    elif check.problems:
        sys.stdout.write(f"FAILED: {check.problems[0]}\n")
        for problem in check.problems[1:]:
            sys.stdout.write(f"  also: {problem}\n")
        sys.stdout.write(f"{check.entries_checked} entries and {check.records_checked} records checked\n")
    else:
        sys.stdout.write(
            f"OK: {check.entries_checked} audit entries and {check.records_checked} records checked; "
            f"chain head {check.chain_head}\n"
        )
    return EXIT_CHECK_FAILED if check.problems else EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    with open_desk(args) as desk:
        result = desk.backup(Path(args.file), actor=actor(args))
    if args.json:
        print_json(
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
    from desktop.desk import Desk
    from desktop.paths import resolve_data_dir

    # No open_desk here: restore needs the log closed everywhere, this process included.
    desk = Desk(resolve_data_dir(args.data_dir), policy=args.policy)
    result = desk.restore(Path(args.file), actor=actor(args))
    if args.json:
        print_json(
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


def window(args: argparse.Namespace) -> int:
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
