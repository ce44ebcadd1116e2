"""Every message box the window shows, in one place: an error by its kind, a question, a result.

`show_error` is the one way an error reaches the officer: the words follow the error's kind
(desktop/errors.py), the message itself is the desk's one line.

    refused      who may do what said no: nothing was done
    bad input    what was given is wrong: nothing was changed, correct it
    environment  the machine said no: nothing was changed, try again, then call IT
    a bug        anything else: one line, the traceback in the desk's log (logs/desk.log)

A DeskOp (desktop/ui/ops.py) calls it for any desk call that fails; nothing else in the window
catches an error to show it. `ask` and `tell` are the questions and results a window puts to the
officer (a paper to remove, a draft to discard, the log verified), so no other module opens a
QMessageBox either (tests replace these few static functions to answer them).
"""

from __future__ import annotations

import logging
from typing import Final

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop import APP_NAME
from desktop.errors import BadInput, DeskError, Environment, Refused, bug_line, one_line

log = logging.getLogger(__name__)

Button = QMessageBox.StandardButton
YES: Final = QMessageBox.StandardButton.Yes
NO: Final = QMessageBox.StandardButton.No
CANCEL: Final = QMessageBox.StandardButton.Cancel

# What follows the desk's one line, by the error's kind.
ADVICE: Final = {
    "refused": "Nothing was done. Who may do what is the desk's rule; a supervisor or an admin can help.",
    "bad input": "Nothing was changed: correct it and try again.",
    "environment": "Nothing was changed. Try again in a moment; if it keeps happening, call IT.",
    "bug": "The window keeps running, and what the log holds is safe.",
}


def known(exc: BaseException) -> bool:
    """An error the desk or the rules raise on purpose, with a one-line message that says what to do."""
    from desktop.rules import IntakeError, PackError

    return isinstance(exc, DeskError | IntakeError | PackError)


def kind_of(exc: BaseException) -> str:
    """refused, bad input, environment, or bug (anything not raised on purpose)."""
    if isinstance(exc, Refused):
        return "refused"
    if isinstance(exc, Environment):
        return "environment"
    if isinstance(exc, BadInput) or known(exc):  # IntakeError, PackError: what was given is wrong
        return "bad input"
    return "bug"


def error_text(exc: BaseException, *, after: str = "") -> str:
    """The words of an error box: the one line, what it means for the officer, and `after` (what is kept)."""
    kind = kind_of(exc)
    if kind == "bug":
        from desktop.desk.diagnostics import current_log_file

        log_file = current_log_file()
        line = bug_line(exc, str(log_file) if log_file else None)
    else:
        line = one_line(exc)
    text = f"{line[:1].upper()}{line[1:]}"
    text += "" if text.endswith((".", "?", "!")) else "."
    return "\n\n".join(part for part in (text, ADVICE[kind], after) if part)


def show_error(parent: QWidget | None, title: str, exc: BaseException, *, after: str = "") -> None:
    """Show an error by its kind; a refusal or bad input is a warning, the machine or a bug is critical."""
    text = error_text(exc, after=after)
    if kind_of(exc) in ("refused", "bad input"):
        QMessageBox.warning(parent, title, text)
    else:
        QMessageBox.critical(parent, title, text)


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: tuple[Button, ...] = (YES, NO),
    *,
    default: Button = NO,
) -> Button:
    """A question with these buttons (Yes and No by default); the answer, or the default when closed."""
    flags = QMessageBox.StandardButton.NoButton
    for button in buttons:
        flags |= button
    answer = QMessageBox.question(parent, title, text, flags, default)
    return answer if answer in buttons else default


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Yes or No, No by default: whether the officer said Yes."""
    return ask(parent, title, text) == YES


def tell(parent: QWidget | None, title: str, text: str) -> None:
    """A result or a note the officer reads and closes (the log verified, where a file is)."""
    QMessageBox.information(parent, title, text)


def alarm(parent: QWidget | None, title: str, text: str) -> None:
    """A result that is bad news, not an error of the window: the log has been altered."""
    QMessageBox.critical(parent, title, text)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """Something did not happen, and why, when it is not an error the desk raised (a printer's refusal)."""
    QMessageBox.warning(parent, title, text)


def about(parent: QWidget | None, text: str) -> None:
    QMessageBox.about(parent, f"About {APP_NAME}", text)
