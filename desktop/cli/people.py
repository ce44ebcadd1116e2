"""`setup`, `user …`, `audit` and `receipt`: the desk's people and the audit of who did what."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path

from desktop.cli.common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    NEW_PASSWORD_ENV,
    UsageError,
    copy_passphrase,
    open_desk,
    print_json,
    secret,
    signed_in,
)


def cmd_setup(args: argparse.Namespace) -> int:
    """The first admin account; the password is chosen now (there is no default)."""
    with open_desk(args, create=True) as desk:
        if not desk.people.needs_setup():
            raise UsageError(
                f"this desk is set up already (admin key fingerprint {desk.people.admin_fingerprint()}): sign in; "
                "an admin adds accounts with `main.py user add`"
            )
        if args.origin:
            from desktop.desk.bundles import check_origin

            check_origin(args.origin)  # before the password is asked for
        password = secret(NEW_PASSWORD_ENV, f"New password for {args.admin}: ", confirm=True)
        admin = desk.people.setup(username=args.admin, name=args.name, badge=args.badge, password=password)
        origin = desk.bundles.name_origin(admin, args.origin) if args.origin else None
        fingerprint = desk.people.admin_fingerprint()
        pinned = desk.people.pin_root(admin) if args.pin else None
    if args.json:
        print_json(
            {
                "admin": admin.username,
                "label": admin.label,
                "admin_key_fingerprint": fingerprint,
                "pinned": pinned,
                "origin": origin,
            }
        )
    else:
        sys.stdout.write(
            f"set up: admin {admin.username} ({admin.label})\n"
            f"admin key fingerprint: {fingerprint}\nwrite it down and keep it away from this PC (DEPLOYMENT.md)\n"
            + (f"{pinned}\n" if pinned else "")
            + (f"origin: {origin} (the county register enrols this desk by it and the fingerprint)\n" if origin else "")
        )
    return EXIT_OK


def _roles(values: list[str] | None) -> frozenset[str] | None:
    return frozenset(values) if values else None


def cmd_user_add(args: argparse.Namespace) -> int:
    with open_desk(args) as desk:
        admin = signed_in(args, desk)
        desk.admit(admin, "people.manage")  # before anyone types a password for the new account
        password = secret(NEW_PASSWORD_ENV, f"First password for {args.username}: ", confirm=True)
        account = desk.people.add_user(
            admin,
            username=args.username,
            name=args.name,
            badge=args.badge,
            roles=_roles(args.role) or frozenset({"officer"}),
            password=password,
        )
    sys.stdout.write(f"account {account.username} ({account.label}): {', '.join(sorted(account.roles))}\n")
    return EXIT_OK


def cmd_user_list(args: argparse.Namespace) -> int:
    with open_desk(args) as desk:
        accounts = desk.people.accounts(signed_in(args, desk))
    if args.json:
        print_json(
            {
                "accounts": [
                    {
                        "username": a.username,
                        "label": a.label,
                        "roles": sorted(a.roles),
                        "disabled": a.disabled,
                        "locked": a.locked,
                        "second_factor": a.second_factor,
                    }
                    for a in accounts
                ]
            }
        )
    else:
        for a in accounts:
            state = " ".join(s for s in ("disabled" if a.disabled else "", "LOCKED" if a.locked else "") if s)
            sys.stdout.write(f"{a.username:<20} {a.label:<32} {','.join(sorted(a.roles)):<28} {state}\n")
    return EXIT_OK


def cmd_user_change(args: argparse.Namespace) -> int:
    """unlock, disable, enable, roles and reset share one shape: an admin changes someone's account."""
    with open_desk(args) as desk:
        admin = signed_in(args, desk)
        desk.admit(admin, "people.manage")  # before anyone types a new password
        change = args.change
        new_password = None
        if change == "reset":
            new_password = secret(NEW_PASSWORD_ENV, f"New password for {args.username}: ", confirm=True)
        account = desk.people.change_user(
            admin,
            args.username,
            unlock=change == "unlock",
            disabled={"disable": True, "enable": False}.get(change),
            roles=_roles(getattr(args, "role", None)) if change == "roles" else None,
            new_password=new_password,
        )
    sys.stdout.write(f"account {account.username}: {change} done\n")
    return EXIT_OK


def cmd_user_passwd(args: argparse.Namespace) -> int:
    from desktop.cli.common import PASSWORD_ENV

    with open_desk(args) as desk:
        me = signed_in(args, desk)
        desk.admit(me, "people.own_account")  # before the new password is typed
        old = secret(PASSWORD_ENV, "Current password: ")
        new = secret(NEW_PASSWORD_ENV, "New password: ", confirm=True)
        desk.people.change_password(me, old, new)
    sys.stdout.write(f"password changed for {me.username}\n")
    return EXIT_OK


def cmd_user_second_factor(args: argparse.Namespace) -> int:
    """The QR code (and the key to type by hand) for the authenticator app, then the code it shows: the second
    factor is stored only once that code matches (desk.people.enrol_second_factor)."""
    from desktop.cli.common import PASSWORD_ENV, stdin_is_terminal

    with open_desk(args) as desk:
        me = signed_in(args, desk)
        factor = desk.people.new_second_factor(me)
        sys.stdout.write(qr_text(factor.qr))
        sys.stdout.write(
            f"Scan this with your authenticator app, or add an account there with this key: {factor.grouped}\n"
        )
        sys.stdout.flush()
        password = secret(PASSWORD_ENV, "Password: ")
        if stdin_is_terminal():
            code = input("Code the app shows: ")
        else:
            code = sys.stdin.readline(64)
        if not code.strip():
            raise UsageError("no code given: type the 6 digits the app shows; nothing was changed")
        desk.people.enrol_second_factor(me, password, secret=factor.secret, code=code)
    sys.stdout.write(f"second factor on for {me.username}: each sign-in now asks for the code the app shows\n")
    return EXIT_OK


def qr_text(qr: tuple[tuple[bool, ...], ...], quiet: int = 2) -> str:
    """A QR code for a terminal, two rows of modules to a line in half blocks, with its margin: the light modules
    are drawn (in the terminal's text colour), the dark ones left as its background, so on the usual dark
    background the code reads as printed."""
    size = len(qr) + 2 * quiet

    def dark(y: int, x: int) -> bool:
        y, x = y - quiet, x - quiet
        return 0 <= y < len(qr) and 0 <= x < len(qr) and qr[y][x]

    lines = []
    for y in range(0, size, 2):
        line = ""
        for x in range(size):
            top, bottom = dark(y, x), dark(y + 1, x)
            line += {(False, False): "\u2588", (True, False): "\u2584", (False, True): "\u2580"}.get((top, bottom), " ")
        lines.append(line)
    return "\n".join(lines) + "\n"


def cmd_audit(args: argparse.Namespace) -> int:
    with open_desk(args) as desk:
        who = signed_in(args, desk)
        desk.admit(who, "log.audit")  # before a passphrase is asked for
        passphrase = copy_passphrase(args, desk, Path(args.csv)) if args.csv else None  # asked before reading
        entries = desk.log.entries(
            who,
            user=args.filter_user,
            case_number=args.case,
            kind=args.kind,
            since=args.since,
            until=args.until,
            limit=args.limit,
        )
        if args.csv:
            path = desk.log.export_csv(who, Path(args.csv), entries, passphrase=passphrase, no_encrypt=args.no_encrypt)
            sys.stderr.write(f"wrote {len(entries)} entries to {path}\n")
    if args.json:
        print_json({"entries": [asdict(e) for e in entries]})
    elif not args.csv:
        for e in entries:
            case = f" {e.case_number}" if e.case_number else ""
            signed = "" if e.signer else " (unsigned: before accounts)"
            sys.stdout.write(f"#{e.seq} {e.at[:19]} {e.kind}{case} by {e.actor}: {e.detail}{signed}\n")
    return EXIT_OK


def cmd_receipt(args: argparse.Namespace) -> int:
    with open_desk(args) as desk:
        path = desk.log.write_receipt(signed_in(args, desk), Path(args.output))
    sys.stdout.write(f"{path}\n")
    return EXIT_OK


def verify_receipt(args: argparse.Namespace) -> int:
    with open_desk(args) as desk:
        check = desk.log.verify_receipt(signed_in(args, desk), Path(args.receipt))
    if args.json:
        print_json({"ok": check.ok, "verdict": check.verdict, "entries": check.entries, "chain_head": check.chain_head})
    else:
        sys.stdout.write(("OK: " if check.ok else "FAILED: ") + check.verdict + "\n")
    return EXIT_OK if check.ok else EXIT_CHECK_FAILED
