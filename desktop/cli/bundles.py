"""`origin`, `bundle` and `witness`: the desk's side of the county register (desk.bundles)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import EXIT_CHECK_FAILED, EXIT_OK, copy_passphrase, open_desk, print_json, signed_in


def add_bundle_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the bundle (FILE.enc outside the data folder)"
    )
    parser.add_argument(
        "--from-seq",
        type=int,
        metavar="N",
        help="start at entry N (default: after the newest head a register cosigned, else the first entry)",
    )


def add_witness_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the register's cosignature (BUNDLE.cosignature)")
    parser.add_argument(
        "--register-fingerprint",
        metavar="FP",
        help="the register key's fingerprint from the register's paper (needed when its key changed)",
    )


def cmd_origin(args: argparse.Namespace) -> int:
    with open_desk(args) as desk:
        origin = desk.bundles.name_origin(signed_in(args, desk), args.name)
    if args.json:
        print_json({"origin": origin})
    else:
        sys.stdout.write(f"origin: {origin}\n")
    return EXIT_OK


def cmd_bundle(args: argparse.Namespace) -> int:
    with open_desk(args) as desk:
        who = signed_in(args, desk)
        desk.admit(who, "bundles.write")  # before a passphrase is asked for
        target = Path(args.output)
        passphrase = copy_passphrase(args, desk, target)
        result = desk.bundles.write(
            who, target, from_seq=args.from_seq, passphrase=passphrase, no_encrypt=args.no_encrypt
        )
    if args.json:
        print_json(
            {
                "file": str(result.path),
                "origin": result.origin,
                "from_seq": result.from_seq,
                "to_seq": result.to_seq,
                "entries": result.entries,
                "head": result.head,
                "encrypted": result.encrypted,
            }
        )
    else:
        how = " (encrypted, AES-256-GCM)" if result.encrypted else ""
        sys.stdout.write(
            f"bundle {result.path}{how}: {result.origin}, entries {result.from_seq} to {result.to_seq}, "
            f"head {result.head}\n"
        )
    return EXIT_OK


def cmd_witness(args: argparse.Namespace) -> int:
    with open_desk(args) as desk:
        result = desk.bundles.witness(
            signed_in(args, desk), Path(args.file), register_fingerprint=args.register_fingerprint
        )
    if args.json:
        print_json(
            {
                "recorded": result.recorded,
                "entry": result.entry,
                "witnessed": result.size,
                "head": result.head,
                "register": result.register,
                "register_fingerprint": result.fingerprint,
            }
        )
    elif result.recorded:
        sys.stdout.write(
            f"recorded: {result.register} holds entry {result.size} (head {result.head}); "
            f"register key {result.fingerprint}\n"
        )
    else:
        sys.stdout.write(f"already recorded: a register holds entry {result.size} or a later one; nothing written\n")
    return EXIT_OK


def verify_cosignature(args: argparse.Namespace) -> int:
    """`verify --cosignature FILE`: does the log still hold the head the register cosigned (a cut is caught)?"""
    with open_desk(args) as desk:
        check = desk.bundles.check_cosignature(signed_in(args, desk), Path(args.cosignature))
    if args.json:
        print_json({"ok": check.ok, "verdict": check.verdict, "entries": check.entries, "chain_head": check.chain_head})
    else:
        sys.stdout.write(("OK: " if check.ok else "FAILED: ") + check.verdict + "\n")
    return EXIT_OK if check.ok else EXIT_CHECK_FAILED
