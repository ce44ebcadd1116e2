"""The command line's parser: every command, its options, and the global options (before or after the command).

A start builds only the parser of the command it runs (`build_parser(only=...)`, with `chosen` naming
it from the arguments), and each command's builder imports only that command's module: `decide`
neither builds the other 21 parsers nor imports what they need. `--help`, and a command that is not
one of them, build them all, so the help and the usage error list every command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from desktop import __version__
from desktop.cli.common import Parser, day

DATA_DIR_HELP = "the data folder (default: $SAFEDESK_DATA_DIR, else the machine's shared application-data folder)"
JSON_HELP = "print one JSON document instead of text"
POLICY_HELP = "decide with this policy pack (a pack.toml or its folder)"
NEW_LOG_HELP = "start a new log where this folder shows one was lost (cases.db missing or empty); audited"
NEW_DESK_KEY_HELP = (
    "make a new desk key where keys/desk.key was lost, damaged or another desk's (the old file set aside); audited"
)
USER_HELP = "sign in as this account (the password is asked for, or read from $SAFEDESK_PASSWORD without a terminal)"
GLOBAL_WITH_VALUE = ("--data-dir", "--policy", "--user")  # the global options that take a value


def _global_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    """--data-dir, --json, --policy, --user, --new-log and --new-desk-key. The top level sets the defaults; each
    command accepts them again with no default of its own, so `main.py record X.json --json` works like
    `main.py --json record X.json`.
    """

    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument("--data-dir", metavar="DIR", default=default(None), help=DATA_DIR_HELP)
    parser.add_argument("--json", action="store_true", default=default(False), help=JSON_HELP)
    parser.add_argument("--policy", metavar="PACK", default=default(None), help=POLICY_HELP)
    parser.add_argument("--user", metavar="USERNAME", default=default(None), help=USER_HELP)
    parser.add_argument("--new-log", action="store_true", default=default(False), help=NEW_LOG_HELP)
    parser.add_argument("--new-desk-key", action="store_true", default=default(False), help=NEW_DESK_KEY_HELP)


NO_ENCRYPT_HELP = "write it unencrypted: only for a copy that stays inside the station (the audit entry says so)"


def no_encrypt(parser: argparse.ArgumentParser) -> None:
    """--no-encrypt, on every command whose copy may leave the station (backup, export, audit --csv, register)."""
    parser.add_argument("--no-encrypt", action="store_true", help=NO_ENCRYPT_HELP)


def _command(commands: argparse._SubParsersAction[Parser], name: str, help_text: str) -> Parser:
    sub: Parser = commands.add_parser(name, help=help_text, description=help_text)
    _global_options(sub, defaults=False)
    return sub


def _group(parser: Parser, dest: str) -> argparse._SubParsersAction[Parser]:
    return parser.add_subparsers(dest=dest, metavar="SUBCOMMAND", parser_class=Parser, required=True)


def _case_filters(parser: argparse.ArgumentParser) -> None:
    from desktop.records import STATUSES
    from desktop.rules import vocab

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


CONFIRM_HELP = (
    "record it despite this check before recording (future, blank, open-case, relay; repeatable); "
    "without it the command refuses and names the check"
)


def _confirm_option(parser: argparse.ArgumentParser) -> None:
    from desktop.desk.cases import CHECK_IDS

    parser.add_argument("--confirm", action="append", choices=CHECK_IDS, metavar="CHECK", help=CONFIRM_HELP)


# --- one builder per command: its own options and its handler, its module imported only here -----------------


def _decide(sub: Parser) -> None:
    from desktop.cli import decide

    sub.add_argument("intake", metavar="INTAKE.json")
    sub.set_defaults(func=decide.cmd_decide)


def _policy(policy: Parser) -> None:
    from desktop.cli import decide

    commands = _group(policy, "policy_command")
    sub = _command(commands, "show", "print the active pack for review")
    sub.set_defaults(func=decide.cmd_policy_show)
    sub = _command(commands, "test", "run a pack's own scenarios")
    sub.add_argument("pack", nargs="?", metavar="PACK", help="the pack to test (default: the active pack)")
    sub.add_argument("--scenarios", metavar="DIR", help="a folder of scenario files (default: the pack's own)")
    sub.set_defaults(func=decide.cmd_policy_test)


def _record(sub: Parser) -> None:
    from desktop.cli import cases

    sub.add_argument("intake", metavar="INTAKE.json")
    sub.add_argument("--disagree", metavar="REASON", help="the officer disagrees: marks it for supervisor review")
    _scan_option(sub)
    _confirm_option(sub)
    sub.set_defaults(func=cases.cmd_record)


def _amend(sub: Parser) -> None:
    from desktop.cli import cases
    from desktop.records import STATUSES

    sub.add_argument("case", metavar="CASE")
    sub.add_argument("intake", metavar="INTAKE.json")
    sub.add_argument("--reason", required=True, help="why the case is amended")
    sub.add_argument("--status", choices=STATUSES, help="set the case status")
    sub.add_argument("--disagree", metavar="REASON", help="the officer disagrees: marks it for supervisor review")
    _scan_option(sub)
    _confirm_option(sub)
    sub.set_defaults(func=cases.cmd_amend)


def _resolve(sub: Parser) -> None:
    from desktop.cli import cases

    sub.add_argument("case", metavar="CASE")
    sub.add_argument("--outcome", required=True, metavar="TEXT", help="what was decided, and by whom")
    sub.set_defaults(func=cases.cmd_resolve)


def _attach(sub: Parser) -> None:
    from desktop.cli import cases

    sub.add_argument("case", metavar="CASE")
    sub.add_argument("file", metavar="FILE")
    sub.set_defaults(func=cases.cmd_attach)


def _show(sub: Parser) -> None:
    from desktop.cli import cases

    sub.add_argument("case", metavar="CASE")
    sub.set_defaults(func=cases.cmd_show)


def _log(sub: Parser) -> None:
    from desktop.cli import cases

    _case_filters(sub)
    sub.add_argument("--limit", type=int, default=50, help="cases per page (default 50)")
    sub.add_argument("--offset", type=int, default=0, help="skip this many cases")
    sub.set_defaults(func=cases.cmd_log)


def _memo(sub: Parser) -> None:
    from desktop.cli import paper

    sub.add_argument("case", metavar="CASE")
    sub.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    no_encrypt(sub)
    sub.set_defaults(func=paper.cmd_memo)


def _notice(sub: Parser) -> None:
    from desktop.cli import paper

    sub.add_argument("case", metavar="CASE")
    sub.add_argument(
        "--lang",
        required=True,
        metavar="LANG",
        help="the person's language, one the policy pack gives (policy show lists them: en, es, pt_BR)",
    )
    sub.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    no_encrypt(sub)
    sub.set_defaults(func=paper.cmd_notice)


def _export(sub: Parser) -> None:
    from desktop.cli import paper

    sub.add_argument("folder", metavar="FOLDER", help="outside the data folder the memos are encrypted (NAME.pdf.enc)")
    _case_filters(sub)
    no_encrypt(sub)
    sub.set_defaults(func=paper.cmd_export)


def _report(sub: Parser) -> None:
    from desktop.cli import reports

    reports.add_arguments(sub)
    sub.set_defaults(func=reports.cmd_report)


def _verify(sub: Parser) -> None:
    from desktop.cli import maintenance

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
    sub.add_argument(
        "--expect-fingerprint",
        metavar="FP",
        help="the admin key fingerprint on the paper from set-up: exit 1 when the log's differs",
    )
    sub.add_argument(
        "--full",
        action="store_true",
        help="check every signature again, even those a checkpoint an outside witness holds already vouches for",
    )
    sub.set_defaults(func=maintenance.cmd_verify)


def _setup(sub: Parser) -> None:
    from desktop.cli import people

    sub.add_argument("--admin", required=True, metavar="USERNAME", help="the admin's user name")
    sub.add_argument("--name", required=True, help="the admin's name as printed")
    sub.add_argument("--badge", required=True, help="the admin's badge or staff number")
    sub.add_argument("--origin", metavar="AGENCY/DESK", help="this log's name in the county register, once")
    sub.add_argument(
        "--pin",
        action="store_true",
        help="also pin the admin key's fingerprint on this PC, once (run as administrator or root: DEPLOYMENT.md)",
    )
    sub.set_defaults(func=people.cmd_setup)


def _user(user: Parser) -> None:
    from desktop.cli import people
    from desktop.records import ROLES

    commands = _group(user, "user_command")
    sub = _command(commands, "add", "an admin adds an account (its first password is asked for)")
    sub.add_argument("username", metavar="USERNAME")
    sub.add_argument("--name", required=True, help="the name as printed")
    sub.add_argument("--badge", required=True, help="the badge or staff number")
    sub.add_argument("--role", action="append", choices=ROLES, help="officer, supervisor or admin; repeatable")
    sub.set_defaults(func=people.cmd_user_add)
    sub = _command(commands, "list", "every account with its roles and state")
    sub.set_defaults(func=people.cmd_user_list)
    for change, words in (
        ("unlock", "release an account locked by failed sign-ins"),
        ("disable", "stop an account signing in (its entries stay)"),
        ("enable", "let a disabled account sign in again"),
        ("reset", "set a new password (the account gets a new key)"),
        ("roles", "set an account's roles"),
    ):
        sub = _command(commands, change, words)
        sub.add_argument("username", metavar="USERNAME")
        if change == "roles":
            sub.add_argument("--role", action="append", required=True, choices=ROLES, help="repeatable")
        sub.set_defaults(func=people.cmd_user_change, change=change)
    sub = _command(commands, "passwd", "change your own password")
    sub.set_defaults(func=people.cmd_user_passwd)
    sub = _command(commands, "second-factor", "set up your authenticator app: its QR code, then the code it shows")
    sub.set_defaults(func=people.cmd_user_second_factor)


def _audit(sub: Parser) -> None:
    from desktop.cli import people

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


def _receipt(sub: Parser) -> None:
    from desktop.cli import people

    sub.add_argument("-o", "--output", required=True, metavar="FILE")
    sub.set_defaults(func=people.cmd_receipt)


def _verify_memo(sub: Parser) -> None:
    from desktop.cli import paper

    sub.add_argument("memo_file", metavar="FILE.pdf")
    sub.set_defaults(func=paper.cmd_verify_memo)


def _backup(sub: Parser) -> None:
    from desktop.cli import maintenance

    sub.add_argument("file", metavar="FILE", help="the copy; outside the data folder it is encrypted (FILE.enc)")
    no_encrypt(sub)
    sub.set_defaults(func=maintenance.cmd_backup)


def _open_copy(sub: Parser) -> None:
    from desktop.cli import maintenance

    sub.add_argument("file", metavar="FILE.enc")
    sub.add_argument("-o", "--output", required=True, metavar="FILE", help="the plain file (must not exist)")
    sub.set_defaults(func=maintenance.cmd_open_copy)


def _restore(sub: Parser) -> None:
    from desktop.cli import maintenance

    sub.add_argument("file", metavar="FILE", help="a backup; an encrypted one asks for its passphrase")
    sub.add_argument(
        "--other-desk",
        action="store_true",
        help="confirm that this desk takes another desk's log (a backup that is not this log's; audited)",
    )
    sub.set_defaults(func=maintenance.cmd_restore)


def _origin(sub: Parser) -> None:
    from desktop.cli import bundles

    sub.add_argument("name", metavar="AGENCY/DESK", help="such as northampton-pd/booking-1")
    sub.set_defaults(func=bundles.cmd_origin)


def _bundle(sub: Parser) -> None:
    from desktop.cli import bundles

    bundles.add_bundle_arguments(sub)
    no_encrypt(sub)
    sub.set_defaults(func=bundles.cmd_bundle)


def _witness(sub: Parser) -> None:
    from desktop.cli import bundles

    bundles.add_witness_arguments(sub)
    sub.set_defaults(func=bundles.cmd_witness)


def _register(sub: Parser) -> None:
    from desktop.cli import register

    register.add_commands(sub, _command)


# Every command, in the order `--help` lists them: its one-line help, and the builder of its parser.
COMMANDS: dict[str, tuple[str, Callable[[Parser], None]]] = {
    "decide": ("decide one intake (JSON file or '-'); stores nothing", _decide),
    "policy": ("review or test the policy pack", _policy),
    "record": ("decide an intake and record it as a new case", _record),
    "amend": ("record a new version of a case; the old one stays", _amend),
    "resolve": ("close a referral: record its outcome as a new version", _resolve),
    "attach": ("attach a scan of the paper to a case", _attach),
    "show": ("a case with all its versions and events", _show),
    "log": ("list cases, newest first", _log),
    "memo": ("write the memo of a case's current version", _memo),
    "notice": ("serve the notice to the person of a case's current version, in their language", _notice),
    "export": ("write the memo of every matching case into a folder", _export),
    "report": ("the oversight report of a period (PDF, CSV, JSON), or the register", _report),
    "verify": ("check the whole audit chain and every record's hash", _verify),
    "setup": ("the first start: create the first admin account (its password is asked for)", _setup),
    "user": ("accounts: add, list, unlock, disable, enable, roles, reset, passwd", _user),
    "audit": ("the audit log: who did what, when (supervisors and admins)", _audit),
    "receipt": ("write a signed receipt of the chain head, to keep away from this PC", _receipt),
    "verify-memo": ("check a memo or a notice PDF against the log", _verify_memo),
    "backup": ("write a consistent, verified copy of the log", _backup),
    "open-copy": ("open an encrypted backup or export into a plain file (asks its passphrase)", _open_copy),
    "restore": ("replace the log with a verified backup (the old log is kept)", _restore),
    "origin": ("an admin names an older log's origin for the county register, once", _origin),
    "bundle": ("write the entries not yet delivered to the county register, with a checkpoint", _bundle),
    "witness": ("record the county register's cosignature of this log", _witness),
    "register": ("the county register (PostgreSQL): init, enrol, import, status, verify, ...", _register),
}


def chosen(argv: Sequence[str]) -> tuple[str, ...] | None:
    """The parsers a start needs, read from its arguments: () for none (the window, --version), the one command
    it runs, or None for all of them (--help, or a word that is no command, whose error lists them).

    Only a cheap first look: whatever it gets wrong (an abbreviated option, say) makes the lean parse fail, and
    `main` then parses again with every command, so the answer and the error are always the full parser's.
    """
    words = iter(argv)
    for word in words:
        if word in ("-h", "--help"):
            return None
        if word in GLOBAL_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return (word,) if word in COMMANDS else None
    return ()


def build_parser(only: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser, with the parsers of the commands in `only` (every command when None)."""
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
    wanted = [name for name in COMMANDS if only is None or name in only]
    if wanted:
        commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
        for name in wanted:
            help_text, build = COMMANDS[name]
            build(_command(commands, name, help_text))
    return parser
