"""What every part of the desk shares: the desk behind it, and the mark that makes a method a desk action.

The desk is a few managers over one private store (desk.cases, desk.people, desk.paper, desk.copies,
desk.log, desk.reports), as Anki splits its collection into col.decks and col.tags. Each manager
reaches the store, the clock and the sessions through the desk it belongs to; none keeps state of
its own, so two managers never disagree.

`@action("cases.record")` makes a method the desk action of that name in the policy table
(desk/policy.py): the session, always the method's first argument, is admitted before the method
runs, so no door can reach case data or the log without one. `@open_action` marks the few that need
no session (signing in, the rules). tests/unit/desk/test_policy.py lists every public method of every
manager against the table.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from desktop.desk import policy

if TYPE_CHECKING:
    from desktop.desk.desk import Desk
    from desktop.desk.sessions import Session
    from desktop.store import CaseStore

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound="Manager")


class Manager:
    """One part of the desk's API, acting through the desk it belongs to."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    @property
    def _store(self) -> CaseStore:
        return self._desk._store  # the managers are the desk's own parts

    def _now(self) -> dt.datetime:
        return self._desk.clock()


def action(
    name: str, *, locked_ok: bool = False
) -> Callable[[Callable[Concatenate[M, Session, P], R]], Callable[Concatenate[M, Session, P], R]]:
    """Make a manager method the desk action `name`: its session (first argument) is admitted first.

    `locked_ok` admits a locked session too: only for unlocking it with its own password.
    """
    if name not in policy.ACTIONS:
        raise KeyError(f"{name} is not in the policy table (desktop/desk/policy.py)")

    def mark(method: Callable[Concatenate[M, Session, P], R]) -> Callable[Concatenate[M, Session, P], R]:
        @functools.wraps(method)
        def admitted(self: M, session: Session, /, *args: P.args, **kwargs: P.kwargs) -> R:
            self._desk.sessions.admit(session, name, locked_ok=locked_ok)
            return method(self, session, *args, **kwargs)

        admitted.desk_action = name  # type: ignore[attr-defined]
        return admitted

    return mark


def open_action(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a method that needs no session (desk/policy.py OPEN: signing in, the rules, opening a copy)."""
    if name not in policy.OPEN:
        raise KeyError(f"{name} is not among the open operations (desktop/desk/policy.py OPEN)")

    def mark(method: Callable[P, R]) -> Callable[P, R]:
        method.desk_action = name  # type: ignore[attr-defined]
        return method

    return mark
