"""Headless commands: a parser, and one small module per command group, each a thin call into desktop.desk.

Nothing here imports Qt except the paths that open the window or run the self-test, and those
import it lazily, so `decide` and the other commands run on a machine with no display. Exit codes
and the one-line errors are those of docs/CONTRACT.md, "Headless commands".
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from desktop.cli.common import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK, UsageError
from desktop.cli.parser import build_parser

__all__ = ["EXIT_BAD_INPUT", "EXIT_CHECK_FAILED", "EXIT_OK", "UsageError", "build_parser", "main"]


def _input_errors() -> tuple[type[Exception], ...]:
    """Every error that means "bad input or usage" (exit 2): each carries a message that names the problem."""
    from desktop.encrypted import EncryptedCopyError
    from desktop.memo import MemoError
    from desktop.records import ActorError
    from desktop.rules import IntakeError, PackError
    from desktop.store.errors import StoreError

    return (UsageError, IntakeError, PackError, StoreError, MemoError, ActorError, EncryptedCopyError)


def _shown(text: str) -> str:
    """Text fit to print and log: bytes that are not UTF-8 (surrogate escapes) shown as \\xNN."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _check_utf8(argv: Sequence[str]) -> None:
    """Refuse, in one line, an argument or SAFEDESK_ setting that is not valid UTF-8.

    On POSIX such bytes reach Python as lone surrogates, which nothing downstream (SQLite, the
    hashes, the log file) can encode; refusing them here keeps every command from a traceback.
    """
    for position, arg in enumerate(argv, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError(f"argument {position} ('{_shown(arg)}') is not valid UTF-8 text") from None
    for name, value in os.environ.items():
        if name.startswith("SAFEDESK_"):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise UsageError(f"the setting {name} is not valid UTF-8 text") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    parser = build_parser()
    try:
        _check_utf8(sys.argv[1:] if argv is None else argv)
        args = parser.parse_args(argv)
        func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
        if func is None:
            from desktop.cli.maintenance import window

            return window(args)
        return func(args)
    except _input_errors() as exc:
        # One line, whatever the input held (a field name may contain a newline).
        message = _shown(" ".join(str(exc).split()))
        sys.stderr.write(f"error: {message}\n")
        import logging

        logging.getLogger("desktop.cli").info("refused: %s", message)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        return 130
