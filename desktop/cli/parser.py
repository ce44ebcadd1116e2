"""The command line's parser: every command, its options, and the global options (before or after the command)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop import __version__
from desktop.cli import bundles, cases, decide, maintenance, paper, people, reports
from desktop.cli import register as register_commands
from desktop.cli.common import Parser, day
from desktop.records import ROLES, STATUSES
from desktop.rules import vocab

DATA_DIR_HELP = "the data folder (default: $SAFEDESK_DATA_DIR, else the machine's shared application-data folder)"
JSON_HELP = "print one JSON document instead of text"
POLICY_HELP = "decide with this policy pack (a pack.toml or its folder)"
NEW_LOG_HELP = "start a new log where this folder shows one was lost (cases.db missing or empty); audited"
USER_HELP = "sign in as this account (the password is asked for, or read from $SAFEDESK_PASSWORD without a terminal)"


def _global_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    """--data-dir, --json, --policy, --user and --new-log. The top level sets the defaults; each command accepts them
    again with no default of its own, so `main.py record X.json --json` works like `main.py --json record X.json`.
    """

    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument("--data-dir", metavar="DIR", default=default(None), help=DATA_DIR_HELP)
    parser.add_argument("--json", action="store_true", default=default(False), help=JSON_HELP)
    parser.add_argument("--policy", metavar="PACK", default=default(None), help=POLICY_HELP)
    parser.add_argument("--user", metavar="USERNAME", default=default(None), help=USER_HELP)
    parser.add_argument("--new-log", action="store_true", default=default(False), help=NEW_LOG_HELP)


NO_ENCRYPT_HELP = "write it unencrypted: only for a copy that stays inside the station (the audit entry says so)"


def no_encrypt(parser: argparse.ArgumentParser) -> None:
    """--no-encrypt, on every command whose copy may leave the station (backup, export, audit --csv, register)."""
    parser.add_argument("--no-encrypt", action="store_true", help=NO_ENCRYPT_HELP)


def _command(commands: argparse._SubParsersAction[Parser], name: str, help_text: str) -> Parser:
    sub: Parser = commands.add_parser(name, help=help_text, description=help_text)
    _global_options(sub, defaults=False)
    return sub


def _case_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--search", metavar="TEXT", help="words to find (case or booking number, name, notes, ...)")
    parser.add_argument("--since", metavar="DATE", type=day, help="received on or after this day (YYYY-MM-DD)")
    parser.add_argument("--until", metavar="DATE", type=day, help="received on or before this day (YYYY-MM-DD)")
    parser.add_argument("--requester", choices=vocab.REQUESTERS, metavar="REQUESTER", help="only this requester")
    parser.add_argument("--document", choices=vocab.DOCUMENT_KINDS, metavar="KIND", help="only cases with this paper")
    parser.add_argument("--code", choices=vocab.RESPONSE_CODES, metavar="CODE", help="only cases with this response")
    parser.add_argument("--status", choices=STATUSES, help="only cases with this status")
    parser.add_argument("--referred", action="store_true", help="only cases referred to counsel")


def _scan_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scan", action="append", metavar="FILE", help="a scan of the paper (PDF, PNG, JPEG, TIFF); repeatable"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        # The frozen build is run by its own name (SafeCommunitiesDesk.exe, safedesk.exe).
        prog=Path(sys.argv[0]).stem if getattr(sys, "frozen", False) else "main.py",
        description="Safe Communities Desk: decide, record and print the City's response to federal "
        "immigration requests. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _global_options(parser, defaults=True)
    parser.add_argument("--demo", action="store_true", help="open the window on a temporary log of synthetic cases")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="in a temporary folder: build the window offscreen, decide, record, print a memo, verify",
    )
    parser.add_argument("--exit-after-show", action="store_true", help=argparse.SUPPRESS)  # start-up benchmarks
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    sub = _command(commands, "decide", "decide one intake (JSON file or '-'); stores nothing")
    sub.add_argument("intake", metavar="INTAKE.json")
    sub.set_defaults(func=decide.cmd_decide)

    policy = _command(commands, "policy", "review or test the policy pack")
    policy_commands = policy.add_subparsers(
        dest="policy_command", metavar="SUBCOMMAND", parser_class=Parser, required=True
    )
    sub = _command(policy_commands, "show", "print the active pack for review")
    sub.set_defaults(func=decide.cmd_policy_show)
    sub = _command(policy_commands, "test", "run a pack's own scenarios")
    sub.add_argument("pack", nargs="?", metavar="PACK", help="the pack to test (default: the active pack)")
    sub.add_argument("--scenarios", metavar="DIR", help="a folder of scenario files (default: the pack's own)")
    sub.set_defaults(func=decide.cmd_policy_test)

    sub = _command(commands, "record", "decide an intake and record it as a new case")
    sub.add_argument("intake", metavar="INTAKE.json")
    sub.add_argument("--disagree", metavar="REASON", help="the officer disagrees: marks it for supervisor review")
    _scan_option(sub)
    sub.set_defaults(func=cases.cmd_record)

    sub = _command(commands, "amend", "record a new version of a case; the old one stays")
    sub.add_argument("case", metavar="CASE")
    sub.add_argument("intake", metavar="INTAKE.json")
    sub.add_argument("--reason", required=True, help="why the case is amended")
    sub.add_argument("--status", choices=STATUSES, help="set the case status")
    sub.add_argument("--disagree", metavar="REASON", help="the officer disagrees: marks it for supervisor review")
    _scan_option(sub)
    sub.set_defaults(func=cases.cmd_amend)

    sub = _command(commands, "resolve", "close a referral: record its outcome as a new version")
    sub.add_argument("case", metavar="CASE")
    sub.add_argument("--outcome", required=True, metavar="TEXT", help="what was decided, and by whom")
    sub.set_defaults(func=cases.cmd_resolve)

    sub = _command(commands, "attach", "attach a scan of the paper to a case")
    sub.add_argument("case", metavar="CASE")
    sub.add_argument("file", metavar="FILE")
    sub.set_defaults(func=cases.cmd_attach)

    sub = _command(commands, "show", "a case with all its versions and events")
    sub.add_argument("case", metavar="CASE")
    sub.set_defaults(func=cases.cmd_show)

    sub = _command(commands, "log", "list cases, newest first")
    _case_filters(sub)
    sub.add_argument("--limit", type=int, default=50, help="cases per page (default 50)")
    sub.add_argument("--offset", type=int, default=0, help="skip this many cases")
    sub.set_defaults(func=cases.cmd_log)

    sub = _command(commands, "memo", "write the memo of a case's current version")
    sub.add_argument("case", metavar="CASE")
    sub.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    no_encrypt(sub)
    sub.set_defaults(func=paper.cmd_memo)

    sub = _command(commands, "export", "write the memo of every matching case into a folder")
    sub.add_argument("folder", metavar="FOLDER", help="outside the data folder the memos are encrypted (NAME.pdf.enc)")
    _case_filters(sub)
    no_encrypt(sub)
    sub.set_defaults(func=paper.cmd_export)

    sub = _command(commands, "report", "the oversight report of a period (PDF, CSV, JSON), or the register")
    reports.add_arguments(sub)
    sub.set_defaults(func=reports.cmd_report)

    sub = _command(commands, "verify", "check the whole audit chain and every record's hash")
    sub.add_argument("--memo", metavar="FILE.pdf", help="instead, check a printed memo against the log")
    sub.add_argument("--receipt", metavar="FILE", help="instead, check the log still holds a receipt's chain head")
    sub.add_argument(
        "--cosignature", metavar="FILE", help="instead, check the log still holds the head a register cosigned"
    )
    sub.add_argument(
        "--rebuild-index",
        action="store_true",
        help="first rebuild the search index from the log (it holds nothing else)",
    )
    sub.set_defaults(func=maintenance.cmd_verify)

    sub = _command(commands, "setup", "the first start: create the first admin account (its password is asked for)")
    sub.add_argument("--admin", required=True, metavar="USERNAME", help="the admin's user name")
    sub.add_argument("--name", required=True, help="the admin's name as printed")
    sub.add_argument("--badge", required=True, help="the admin's badge or staff number")
    sub.add_argument("--origin", metavar="AGENCY/DESK", help="this log's name in the county register, once")
    sub.set_defaults(func=people.cmd_setup)

    sub = _command(commands, "origin", "an admin names an older log's origin for the county register, once")
    sub.add_argument("name", metavar="AGENCY/DESK", help="such as northampton-pd/booking-1")
    sub.set_defaults(func=bundles.cmd_origin)

    sub = _command(commands, "bundle", "write the entries not yet delivered to the county register, with a checkpoint")
    bundles.add_bundle_arguments(sub)
    no_encrypt(sub)
    sub.set_defaults(func=bundles.cmd_bundle)

    sub = _command(commands, "witness", "record the county register's cosignature of this log")
    bundles.add_witness_arguments(sub)
    sub.set_defaults(func=bundles.cmd_witness)

    sub = _command(commands, "register", "the county register (PostgreSQL): init, enrol, import, status, verify, ...")
    register_commands.add_commands(sub, _command)

    user = _command(commands, "user", "accounts: add, list, unlock, disable, enable, roles, reset, passwd")
    user_commands = user.add_subparsers(dest="user_command", metavar="SUBCOMMAND", parser_class=Parser, required=True)
    sub = _command(user_commands, "add", "an admin adds an account (its first password is asked for)")
    sub.add_argument("username", metavar="USERNAME")
    sub.add_argument("--name", required=True, help="the name as printed")
    sub.add_argument("--badge", required=True, help="the badge or staff number")
    sub.add_argument("--role", action="append", choices=ROLES, help="officer, supervisor or admin; repeatable")
    sub.set_defaults(func=people.cmd_user_add)
    sub = _command(user_commands, "list", "every account with its roles and state")
    sub.set_defaults(func=people.cmd_user_list)
    for change, words in (
        ("unlock", "release an account locked by failed sign-ins"),
        ("disable", "stop an account signing in (its entries stay)"),
        ("enable", "let a disabled account sign in again"),
        ("reset", "set a new password (the account gets a new key)"),
        ("roles", "set an account's roles"),
    ):
        sub = _command(user_commands, change, words)
        sub.add_argument("username", metavar="USERNAME")
        if change == "roles":
            sub.add_argument("--role", action="append", required=True, choices=ROLES, help="repeatable")
        sub.set_defaults(func=people.cmd_user_change, change=change)
    sub = _command(user_commands, "passwd", "change your own password")
    sub.set_defaults(func=people.cmd_user_passwd)

    sub = _command(commands, "audit", "the audit log: who did what, when (supervisors and admins)")
    sub.add_argument("--for", dest="filter_user", metavar="USER", help="only entries by this account or name")
    sub.add_argument("--case", metavar="CASE", help="only entries of this case")
    sub.add_argument("--kind", metavar="KIND", help="only entries of this kind (recorded, view, sign_in, ...)")
    sub.add_argument("--since", metavar="DATE", type=day, help="on or after this day (UTC, YYYY-MM-DD)")
    sub.add_argument("--until", metavar="DATE", type=day, help="on or before this day (UTC, YYYY-MM-DD)")
    sub.add_argument("--limit", type=int, default=1000, help="entries at most (default 1000), newest first")
    sub.add_argument(
        "--csv", metavar="FILE.csv", help="write the entries as CSV instead (encrypted outside the data folder)"
    )
    no_encrypt(sub)
    sub.set_defaults(func=people.cmd_audit)

    sub = _command(commands, "receipt", "write a signed receipt of the chain head, to keep away from this PC")
    sub.add_argument("-o", "--output", required=True, metavar="FILE")
    sub.set_defaults(func=people.cmd_receipt)

    sub = _command(commands, "verify-memo", "check a memo PDF against the log")
    sub.add_argument("memo_file", metavar="FILE.pdf")
    sub.set_defaults(func=paper.cmd_verify_memo)

    sub = _command(commands, "backup", "write a consistent, verified copy of the log")
    sub.add_argument("file", metavar="FILE", help="the copy; outside the data folder it is encrypted (FILE.enc)")
    no_encrypt(sub)
    sub.set_defaults(func=maintenance.cmd_backup)

    sub = _command(commands, "open-copy", "open an encrypted backup or export into a plain file (asks its passphrase)")
    sub.add_argument("file", metavar="FILE.enc")
    sub.add_argument("-o", "--output", required=True, metavar="FILE", help="the plain file (must not exist)")
    sub.set_defaults(func=maintenance.cmd_open_copy)

    sub = _command(commands, "restore", "replace the log with a verified backup (the old log is kept)")
    sub.add_argument("file", metavar="FILE", help="a backup; an encrypted one asks for its passphrase")
    sub.add_argument(
        "--other-desk",
        action="store_true",
        help="confirm that this desk takes another desk's log (a backup that is not this log's; audited)",
    )
    sub.set_defaults(func=maintenance.cmd_restore)
    return parser
