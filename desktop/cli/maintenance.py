"""`verify`, `backup` and `restore`, and the window itself (the only path that imports Qt)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    TerminalProgress,
    copy_passphrase,
    open_desk,
    opening_passphrase,
    print_json,
    signed_in,
)

if TYPE_CHECKING:
    from desktop.desk import Desk
    from desktop.desk.copies import RestoreResult


def cmd_verify(args: argparse.Namespace) -> int:
    from desktop.present import as_text, log_check_rows

    if args.memo:
        from desktop.cli.paper import verify_memo

        return verify_memo(args, args.memo)
    if args.receipt:
        from desktop.cli.people import verify_receipt

        return verify_receipt(args)
    if getattr(args, "cosignature", None):
        from desktop.cli.bundles import verify_cosignature

        return verify_cosignature(args)
    from desktop.store import LogDamaged

    with open_desk(args) as desk:
        try:
            who = signed_in(args, desk)
        except LogDamaged as exc:  # a damaged log is what verify is for: the check failed (exit 1)
            return _failed(args, str(exc))
        progress = TerminalProgress("verifying the log")
        try:
            check = desk.log.verify(
                who,
                rebuild_index=args.rebuild_index,
                expect_fingerprint=args.expect_fingerprint,
                full=args.full,
                progress=progress,
            )
        finally:
            progress.close()
    if check.index_rebuilt is not None:
        # The search index is derived from the log; rebuilding it changes no record.
        sys.stderr.write(f"search index rebuilt: {check.index_rebuilt} case(s)\n")
    if args.json:
        print_json(
            {
                "ok": check.ok,
                "entries_checked": check.entries_checked,
                "records_checked": check.records_checked,
                "signatures_checked": check.signatures_checked,
                "signatures_from_checkpoint": check.checkpoint_through,
                "chain_head": check.chain_head,
                "admin_key_fingerprint": check.admin_fingerprint,
                "witnessed": check.witnessed,
                "problems": list(check.problems),
                "warnings": list(check.warnings),
                "notes": list(check.notes),
            }
        )
    elif check.problems:
        sys.stdout.write(f"FAILED: {check.problems[0]}\n")
        for problem in check.problems[1:]:
            sys.stdout.write(f"  also: {problem}\n")
        sys.stdout.write(as_text([r for r in log_check_rows(check) if not r.label.startswith("Problem")][1:]))
    else:
        warned = f", with {len(check.warnings)} warning(s) to look at" if check.warnings else ""
        sys.stdout.write(
            f"OK: {check.entries_checked} audit entries, {check.records_checked} records and "
            f"{check.signatures_checked} signatures checked"
            + (
                f" (those up to entry {check.checkpoint_through} kept by a witnessed checkpoint)"
                if check.checkpoint_through
                else ""
            )
            + f"; chain head {check.chain_head}{warned}\n"
        )
        for warning in check.warnings:
            sys.stdout.write(f"WARNING: {warning}\n")
        sys.stdout.write(as_text([r for r in log_check_rows(check)[1:] if not r.label.startswith("Warning")]))
    return EXIT_CHECK_FAILED if check.problems else EXIT_OK


def _failed(args: argparse.Namespace, problem: str) -> int:
    if args.json:
        print_json({"ok": False, "entries_checked": 0, "records_checked": 0, "chain_head": None, "problems": [problem]})
    else:
        sys.stdout.write(f"FAILED: {problem}\n")
    return EXIT_CHECK_FAILED


def cmd_backup(args: argparse.Namespace) -> int:
    with open_desk(args) as desk:
        who = signed_in(args, desk)
        desk.admit(who, "copies.backup")  # before a passphrase is asked for
        target = Path(args.file)
        passphrase = copy_passphrase(args, desk, target)
        result = desk.copies.backup(who, target, passphrase=passphrase, no_encrypt=args.no_encrypt)
    if args.json:
        print_json(
            {
                "file": str(result.path),
                "bytes": result.size,
                "encrypted": passphrase is not None,
                "entries_checked": result.report.entries_checked,
                "records_checked": result.report.records_checked,
                "chain_head": result.report.chain_head,
            }
        )
    else:
        how = "encrypted, AES-256-GCM; " if passphrase is not None else ""
        sys.stdout.write(
            f"backed up to {result.path} ({how}{result.size} bytes; {result.report.records_checked} records verified)\n"
        )
    return EXIT_OK


def _restore(args: argparse.Namespace, desk: Desk) -> RestoreResult:
    """Sign in where the restore is signed, open the backup, and swap it in (the desk's copies manager)."""
    from desktop.encrypted import is_encrypted

    copies = desk.copies
    here = None
    if not copies.log_is_missing():
        # This desk's log is there, so whoever restores is one of its admins: the one who signs a restore of
        # this log, or who agrees to another desk's (--other-desk). Checked before the passphrase is typed.
        here = signed_in(args, desk)
        desk.admit(here, "copies.restore")
    source = Path(args.file)
    passphrase = opening_passphrase(source) if is_encrypted(source) else None
    staged = copies.stage_restore(source, passphrase=passphrase)
    try:
        change = copies.is_desk_change(staged)
        authorised = here if args.other_desk and change else None  # this desk's admin agrees, in this desk's log
        signing = copies.restore_signer(staged, desk_change=change)  # the backup's accounts: a desk change, a lost log
        if signing is desk:
            who = signed_in(args, desk)
        else:
            desk.close()
            who = signed_in(args, signing, fresh=True, where="in the incoming log")
            signing.close()
        return copies.restore(who, staged, signer=signing, other_desk=args.other_desk, authorised_by=authorised)
    finally:
        staged.discard()


def cmd_restore(args: argparse.Namespace) -> int:
    from desktop.desk import Desk, system_clock
    from desktop.paths import resolve_data_dir

    # No open_desk here: restore needs the log closed everywhere, this process included.
    desk = Desk(resolve_data_dir(args.data_dir), clock=system_clock, policy=args.policy, new_log=args.new_log)
    try:
        result = _restore(args, desk)
    finally:
        desk.close()  # a refused restore leaves no connection open either (the next restore needs the log alone)
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


def cmd_open_copy(args: argparse.Namespace) -> int:
    """Open an encrypted backup or export into a plain file (no data folder, no account: the recipient's side)."""
    from desktop.desk.copies import Copies

    source, target = Path(args.file), Path(args.output)
    kind = Copies.open_copy(source, target, opening_passphrase(source))
    if args.json:
        print_json({"opened": str(source), "file": str(target), "kind": kind})
    else:
        sys.stdout.write(f"opened {source.name} ({kind}) into {target}\n")
    return EXIT_OK
