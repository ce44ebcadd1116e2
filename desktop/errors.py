"""The one root of the desk's known errors, and what is left over: a bug.

Every error the desk raises on purpose is a `DeskError`, and its message is one line that names
the problem and what to do. It is one of three kinds, so both doors can say the right thing:

    Refused      who may do what said no: a role, the two-person rule, a locked account or
                 session, no one signed in
    BadInput     what was given is wrong: an intake field, a file, a pack, an argument
    Environment  the machine said no: a full or read-only disk, a log held by another program,
                 a damaged or missing file

Anything else that escapes is a bug, never an answer: the command line prints one line, writes
the traceback to the data folder's `logs/desk.log`, and exits with EXIT_BUG, a code of its own,
so that a bug inside `verify` can never read as "the check failed" (exit 1). The window shows the
same one line and keeps running.

The older error classes (StoreError, IntakeError, PackError, ...) keep their names and sit under
these kinds, so `except IntakeError` still works where one kind is meant.
"""

from __future__ import annotations

from typing import Final

# The command line's exit codes (README "Exit codes", CONTRACT "Headless commands").
EXIT_OK: Final = 0
EXIT_CHECK_FAILED: Final = 1  # verify, verify-memo, verify --receipt: the check itself failed
EXIT_BAD_INPUT: Final = 2  # a DeskError: refused, bad input or the environment; one line says which
EXIT_COMPARE_BY_EYE: Final = 3  # verify-memo of a scan: it proves which record it names, not what it says
EXIT_SUPERSEDED: Final = 4  # verify-memo: a true memo of a version a newer one replaced (print the current one)
EXIT_SAME_TEXT: Final = 5  # verify-memo: the same words and looks as the log's, in other bytes (compare its looks)
EXIT_BUG: Final = 70  # anything else: a bug (sysexits' EX_SOFTWARE); the traceback is in logs/desk.log
EXIT_INTERRUPTED: Final = 130  # Ctrl+C (128 + SIGINT), nothing half written


class DeskError(Exception):
    """A failure the desk knows about; its message says what is wrong and what to do, in one line."""

    kind = "error"


class Refused(DeskError):
    """Who may do what said no: a role, the two-person rule, a lock, no one signed in."""

    kind = "refused"


class BadInput(DeskError):
    """What was given is wrong or incomplete: a field, a file, a pack, an argument."""

    kind = "bad input"


class Environment(DeskError):
    """The machine would not do it: disk full, read-only, busy, damaged or missing files."""

    kind = "environment"


def one_line(exc: BaseException) -> str:
    """The error's message as one printable line (a field name may hold a newline; bytes may not be UTF-8)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def bug_line(exc: BaseException, log_file: str | None) -> str:
    """The one line shown for a bug: what broke, and where its details were written."""
    where = f"; the details are in {log_file}" if log_file else ""
    what = f"{type(exc).__name__}: {one_line(exc)}"
    return f"an unexpected error (a bug in this program, please report it): {what}{where}"
