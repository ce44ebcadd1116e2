"""`memo`, `notice`, `export` and `verify-memo`: the paper, saved safely and checked against the log."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.cases import query_from
from desktop.cli.common import EXIT_CHECK_FAILED, EXIT_OK, copy_passphrase, open_desk, print_json, signed_in
from desktop.errors import EXIT_COMPARE_BY_EYE, EXIT_SAME_TEXT, EXIT_SUPERSEDED

# The first word verify-memo says for each thing it can see (README "verify-memo", CONTRACT).
SAID = {
    "identical": "OK: ",
    "same-text": "SAME TEXT, OTHER BYTES: ",
    "superseded": "",  # its verdict begins with SUPERSEDED
    "scan": "SCAN, COMPARE BY EYE: ",
}


def cmd_memo(args: argparse.Namespace) -> int:
    target = Path(args.output)
    with open_desk(args) as desk:
        who = signed_in(args, desk)
        desk.admit(who, "paper.print")  # before a passphrase is asked for
        passphrase = copy_passphrase(args, desk, target)
        path = desk.paper.print_memo(who, args.case, target=target, passphrase=passphrase, no_encrypt=args.no_encrypt)
        record = desk.cases.open(who, args.case, audit=False)
    if args.json:
        print_json(
            {
                "case": record.case_number,
                "version": record.current.version,
                "file": str(path),
                "bytes": path.stat().st_size,
            }
        )
    else:
        sys.stdout.write(f"{path}\n")
    return EXIT_OK


def cmd_notice(args: argparse.Namespace) -> int:
    target = Path(args.output)
    with open_desk(args) as desk:
        who = signed_in(args, desk)
        desk.admit(who, "paper.notice")  # before a passphrase is asked for
        passphrase = copy_passphrase(args, desk, target)
        path = desk.paper.serve_notice(
            who, args.case, args.lang, target=target, passphrase=passphrase, no_encrypt=args.no_encrypt
        )
        record = desk.cases.open(who, args.case, audit=False)
    if args.json:
        print_json(
            {
                "case": record.case_number,
                "version": record.current.version,
                "language": args.lang,
                "file": str(path),
                "bytes": path.stat().st_size,
            }
        )
    else:
        sys.stdout.write(f"{path}\n")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    with open_desk(args) as desk:
        who = signed_in(args, desk)
        desk.admit(who, "paper.export")  # before a passphrase is asked for
        passphrase = copy_passphrase(args, desk, folder / "memo.pdf")
        result = desk.paper.export_memos(
            who, folder, query_from(args), passphrase=passphrase, no_encrypt=args.no_encrypt
        )
    if args.json:
        print_json(
            {
                "folder": str(result.folder),
                "files": [str(f) for f in result.files],
                "encrypted": passphrase is not None,
            }
        )
    else:
        sealed = " (encrypted, AES-256-GCM)" if passphrase is not None else ""
        sys.stdout.write(f"wrote {len(result.files)} memo(s) to {result.folder}{sealed}\n")
    return EXIT_OK


def verify_memo(args: argparse.Namespace, memo_file: str) -> int:
    """0: the very memo (or notice) of the current version; 4: a true memo of a version a newer one replaced; 5: the
    same words and looks in other bytes; 3: a scan whose QR codes name a record this log holds (compare it by eye);
    1: altered, not this log's, or a version printed after the next one existed (naming the first page and line
    that differ); 2: not readable as a memo. Each also says itself in its first words and its JSON `kind`."""
    with open_desk(args) as desk:
        check = desk.paper.verify_memo(signed_in(args, desk), Path(memo_file))  # audited: paper checked leaves a trace
    if args.json:
        print_json(
            {
                "memo": memo_file,
                "case": check.case_number,
                "version": check.version,
                "record_hash": check.record_hash,
                "matches": check.matches,
                "kind": check.kind,
                "page": check.page,
                "line": check.line,
                "expected": check.expected,
                "found": check.found,
                "verdict": check.verdict,
                "notes": list(check.notes),
                "newer_version": check.newer_version,
            }
        )
    else:
        said = SAID.get(check.kind, "OK: ") if check.matches else "MISMATCH: "
        sys.stdout.write(said + check.verdict + "\n")
    if not check.matches:
        return EXIT_CHECK_FAILED
    return {"scan": EXIT_COMPARE_BY_EYE, "superseded": EXIT_SUPERSEDED, "same-text": EXIT_SAME_TEXT}.get(
        check.kind, EXIT_OK
    )


def cmd_verify_memo(args: argparse.Namespace) -> int:
    return verify_memo(args, args.memo_file)
