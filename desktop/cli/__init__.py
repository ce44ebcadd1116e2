"""Headless commands: a parser, and one small module per command group, each a thin call into desktop.desk.

Nothing here imports Qt except the paths that open the window or run the self-test, and those
import it lazily, so `decide` and the other commands run on a machine with no display. Exit codes
and the one-line errors are those of docs/CONTRACT.md, "Headless commands".
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from desktop.cli.common import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK, UsageError
from desktop.cli.parser import build_parser

__all__ = ["EXIT_BAD_INPUT", "EXIT_CHECK_FAILED", "EXIT_OK", "UsageError", "build_parser", "main"]


def _input_errors() -> tuple[type[Exception], ...]:
    """Every error that means "bad input or usage" (exit 2): each carries a message that names the problem."""
    from desktop.memo import MemoError
    from desktop.records import ActorError
    from desktop.rules import IntakeError, PackError
    from desktop.store.errors import StoreError

    return (UsageError, IntakeError, PackError, StoreError, MemoError, ActorError)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
        if func is None:
            from desktop.cli.maintenance import window

            return window(args)
        return func(args)
    except _input_errors() as exc:
        # One line, whatever the input held (a field name may contain a newline).
        message = " ".join(str(exc).split())
        sys.stderr.write(f"error: {message}\n")
        import logging

        logging.getLogger("desktop.cli").info("refused: %s", message)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        return 130
