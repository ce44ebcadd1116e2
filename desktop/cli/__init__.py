"""Headless commands: a parser, and one small module per command group, each a thin call into desktop.desk.

Nothing here imports Qt except the paths that open the window or run the self-test, and those
import it lazily, so `decide` and the other commands run on a machine with no display. A start
imports and builds only what its command needs (desktop/cli/parser.py). Exit codes and the
one-line errors are those of docs/CONTRACT.md, "Headless commands", and desktop/errors.py.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from desktop.cli.common import EXIT_BAD_INPUT, EXIT_BUG, EXIT_CHECK_FAILED, EXIT_OK, UsageError
from desktop.cli.parser import build_parser, chosen
from desktop.errors import EXIT_INTERRUPTED, bug_line, one_line

__all__ = ["EXIT_BAD_INPUT", "EXIT_BUG", "EXIT_CHECK_FAILED", "EXIT_OK", "UsageError", "build_parser", "main"]


def _known_errors() -> tuple[type[Exception], ...]:
    """Every error the desk raises on purpose (desktop/errors.py): each carries a one-line message (exit 2)."""
    from desktop.errors import DeskError

    return (DeskError,)


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


def _parse(arguments: list[str]) -> argparse.Namespace:
    """The arguments parsed by the parser of the chosen command alone, else (when that fails) by the full parser,
    whose answer or one-line error is the command line's."""
    only = chosen(arguments)
    try:
        return build_parser(only).parse_args(arguments)
    except UsageError:
        if only is None:
            raise
    return build_parser().parse_args(arguments)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        _check_utf8(arguments)
        try:
            args = _parse(arguments)
        except SystemExit as stop:  # --help and --version have printed what was asked for
            return stop.code if isinstance(stop.code, int) else EXIT_OK
        func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
        if func is None:
            from desktop.cli.maintenance import window

            return window(args)
        return func(args)
    except _known_errors() as exc:
        # One line, whatever the input held (a field name may contain a newline).
        message = one_line(exc)
        sys.stderr.write(f"error: {message}\n")
        import logging

        logging.getLogger("desktop.cli").info("refused: %s", message)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: one line here, the traceback in the log, and a code of its own
        sys.stderr.write(f"error: {bug_line(exc, _log_bug(exc, argv))}\n")
        return EXIT_BUG


def _log_bug(exc: BaseException, argv: Sequence[str] | None) -> str | None:
    """Write a bug's traceback where IT looks (the data folder's logs/desk.log); returns that file's name.

    The folder's log is used where the folder holds a case log; a command that has none (decide on a
    fresh machine, a desk before its set-up) writes into a file of its own in the temporary folder
    rather than write into a data folder that holds nothing yet. Never raises: a bug report must not hide the bug.
    """
    import logging
    import tempfile
    import traceback

    from desktop.desk.diagnostics import configure_logging, current_log_file, log_is_kept

    text = "".join(traceback.format_exception(exc))
    try:
        target = current_log_file()
        if target is None:
            from desktop.paths import resolve_data_dir

            args = list(sys.argv[1:] if argv is None else argv)
            given = args[args.index("--data-dir") + 1] if "--data-dir" in args[:-1] else None
            data_dir = resolve_data_dir(given)
            if log_is_kept(data_dir):
                target = configure_logging(data_dir)
        elif not log_is_kept(target.parent.parent):
            target = None  # a folder before its set-up keeps no diagnostics: the bug goes to a file of its own
        if target is not None:
            logging.getLogger("desktop.cli").error("a bug: %s", text)
            return str(target)
        handle, name = tempfile.mkstemp(prefix="safedesk-bug-", suffix=".log", text=True)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        return name
    except Exception:  # the report of a bug must never raise a second one
        return None
