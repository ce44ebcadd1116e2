"""What every command shares: exit codes, one-line errors, reading an intake, opening the desk, printing JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from desktop.errors import EXIT_BAD_INPUT, EXIT_BUG, EXIT_CHECK_FAILED, EXIT_OK, BadInput

if TYPE_CHECKING:
    from desktop.desk import Desk, Session

__all__ = ["EXIT_BAD_INPUT", "EXIT_BUG", "EXIT_CHECK_FAILED", "EXIT_OK"]


class UsageError(BadInput):
    """Bad input or usage; reported as one line on standard error with exit code 2."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line, as the contract asks."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


MAX_INTAKE_BYTES = 1024 * 1024  # an intake of the most papers allowed is a few dozen KB of JSON


def read_intake_text(source: str) -> str:
    """The intake's JSON text from a file or, for '-', standard input (always read as UTF-8, a BOM dropped).

    Only a regular file is read, and never more than MAX_INTAKE_BYTES of it or of standard input
    (desktop/readfile.py): a pipe, a device or /dev/zero gets one line, never a hang or a full memory.
    """
    from desktop.readfile import FileRefused, read_regular, read_stream

    try:
        if source == "-":
            raw = getattr(sys.stdin, "buffer", None)
            if raw is None:  # already text (an embedding program replaced sys.stdin)
                text = sys.stdin.read(MAX_INTAKE_BYTES + 1)
                if len(text) > MAX_INTAKE_BYTES:
                    raise FileRefused("standard input holds more than 1 MB; an intake may be at most 1 MB")
                return text
            data, shown = read_stream(raw, MAX_INTAKE_BYTES, what="an intake"), "standard input"
        else:
            data, shown = read_regular(Path(source), MAX_INTAKE_BYTES, what="an intake", shown=source), source
    except FileRefused as exc:
        raise UsageError(str(exc)) from None
    try:  # bytes, decoded as UTF-8 whatever the console's code page
        return data.decode("utf-8-sig")  # a byte-order mark (Notepad's) is dropped
    except UnicodeDecodeError:
        raise UsageError(f"{shown} is not UTF-8 text; expected a JSON intake") from None


def day(text: str) -> dt.date:
    """An argparse type: a calendar day, YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-01-31") from None


USER_ENV = "SAFEDESK_USER"  # the account, for a scheduled job that cannot type --user
PASSWORD_ENV = "SAFEDESK_PASSWORD"
NEW_PASSWORD_ENV = "SAFEDESK_NEW_PASSWORD"
CODE_ENV = "SAFEDESK_CODE"
PASSPHRASE_ENV = "SAFEDESK_BACKUP_PASSPHRASE"  # seals backups and exports in a scheduled job; opens them in restore


def stdin_is_terminal() -> bool:
    """Whether standard input is a terminal someone types at: then secrets are prompted for, not read from $ENV.

    On Windows `isatty()` is true for every character device, the NUL device included (CPython bpo-28654), so a
    scheduled task whose standard input is NUL would sit at a password prompt nobody sees instead of reading
    SAFEDESK_PASSWORD. There only a console counts: GetConsoleMode succeeds on a console handle and fails on
    NUL, a pipe or a file (click's test for a console, in click/_winconsole.py, is the same).
    """
    stream = sys.stdin
    if stream is None:
        return False
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # an in-memory stream (io.UnsupportedOperation), or closed
        try:
            return bool(stream.isatty())
        except (AttributeError, OSError, ValueError):
            return False
    if sys.platform == "win32":
        import ctypes
        import msvcrt
        from ctypes import wintypes

        try:
            handle = msvcrt.get_osfhandle(fd)
        except OSError:  # a descriptor with no handle behind it
            return False
        mode = wintypes.DWORD()
        return bool(ctypes.windll.kernel32.GetConsoleMode(wintypes.HANDLE(handle), ctypes.byref(mode)))
    return os.isatty(fd)


def secret(env: str, prompt: str, *, confirm: bool = False, what: str = "password") -> str:
    """A password or passphrase: typed at a prompt on a terminal, else read from `env` (for scheduled scripts)."""
    if stdin_is_terminal():
        import getpass

        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Again: ") != first:
            raise UsageError(f"the two {what}s typed differ; nothing was changed")
        return first
    value = os.environ.get(env)
    if not value:
        raise UsageError(f"no {what} given: type it at the prompt, or set {env} when there is no terminal")
    return value


def signed_in(args: argparse.Namespace, desk: Desk, *, fresh: bool = False, where: str = "") -> Session:
    """The session of the user (--user, with the password asked for or from SAFEDESK_PASSWORD); once per command.

    Every entry the command writes is signed with that account's key. `fresh` signs the same user in
    again on another desk's accounts (a restore's incoming log, named by `where`), without the cache.
    """
    cached: Session | None = getattr(args, "signed_in", None)
    if cached is not None and not fresh:
        return cached
    if desk.awaiting_setup:
        from desktop.desk.first_start import not_set_up

        raise UsageError(not_set_up(desk.data_dir))
    if desk.people.needs_setup():
        raise UsageError("this desk has no accounts yet: run `main.py setup --admin USERNAME --name N --badge B` first")
    user: str | None = getattr(args, "user", None) or os.environ.get(USER_ENV)
    if not user:
        raise UsageError(f"say who you are: --user USERNAME (the password is asked for, or read from {PASSWORD_ENV})")
    password = secret(PASSWORD_ENV, f"Password for {user}{' ' + where if where else ''}: ")
    code = os.environ.get(CODE_ENV)
    if code is None and stdin_is_terminal() and desk.people.second_factor_needed(user):
        code = input("Code from the authenticator app: ")
    signed = desk.people.sign_in(user, password, code=code)
    if not fresh:
        args.signed_in = signed
    return signed


@contextmanager
def open_desk(args: argparse.Namespace, *, create: bool = False) -> Iterator[Desk]:
    """The desk on the chosen data folder, closed afterwards.

    Only `setup` creates a new log (and its folder): any other command on a mistyped folder, or before set-up,
    says so and leaves nothing behind. Diagnostics go to the folder's logs/desk.log once it holds a log.
    """
    from desktop.desk import Desk, system_clock
    from desktop.desk.diagnostics import configure_logging
    from desktop.paths import resolve_data_dir

    data_dir = resolve_data_dir(args.data_dir)
    if not create and not data_dir.is_dir():
        raise UsageError(f"there is no case log at {data_dir}: check --data-dir, or run setup first")
    desk = Desk(
        data_dir,
        clock=system_clock,
        policy=args.policy,
        create=create,
        new_log=getattr(args, "new_log", False),
        new_desk_key=getattr(args, "new_desk_key", False),
    )
    configure_logging(data_dir)
    try:
        yield desk
    finally:
        if desk.read_only:  # said once, so a read-only copy is never taken for the live log
            sys.stderr.write(f"note: {desk.notices()[0]}\n")
        desk.close()


def copy_passphrase(args: argparse.Namespace, desk: Desk, target: Path) -> str | None:
    """The passphrase to seal a copy written at `target`, when it leaves the data folder (and not --no-encrypt).

    Typed twice on a terminal, else read from $SAFEDESK_BACKUP_PASSPHRASE; None for a copy that stays.
    """
    if getattr(args, "no_encrypt", False) or not desk.copies.leaves_station(target):
        return None
    if not stdin_is_terminal() and not os.environ.get(PASSPHRASE_ENV):
        raise UsageError(
            f"{target} is outside the data folder, so the copy may leave the station and is encrypted: set "
            f"{PASSPHRASE_ENV} (there is no terminal to type a passphrase), or give --no-encrypt for a copy "
            "that stays inside the station"
        )
    return secret(PASSPHRASE_ENV, "Passphrase for the encrypted copy: ", confirm=True, what="passphrase")


def opening_passphrase(source: Path) -> str:
    """The passphrase of a sealed copy being opened: typed once, else $SAFEDESK_BACKUP_PASSPHRASE."""
    return secret(PASSPHRASE_ENV, f"Passphrase of {source.name}: ", what="passphrase")


def print_json(value: object) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


class TerminalProgress:
    """A long job's progress on the terminal's error stream, on one line, with the time left as the rate so far
    gives it: "verifying the log: 45% (45,000 of 100,000), about 30 s left". Nothing when stderr is not a
    terminal (a script's log stays clean), and nothing for a job that ends within the first second."""

    def __init__(self, label: str, *, monotonic: Callable[[], float] | None = None) -> None:
        import time

        self._label = label
        self._monotonic = monotonic or time.monotonic
        self._started = self._monotonic()
        self._shown = False
        self._last = 0.0
        self._on = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self._on or total <= 0:
            return
        now = self._monotonic()
        elapsed = now - self._started
        if elapsed < 1.0 or (now - self._last < 0.2 and done < total):
            return
        self._last = now
        left = elapsed * (total - done) / done if done else None
        estimate = f", about {_duration(left)} left" if left is not None and done < total else ""
        sys.stderr.write(f"\r{self._label}: {100 * done // total}% ({done:,} of {total:,}){estimate}\033[K")
        sys.stderr.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(int(seconds), 1)} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"
