"""Change notices: what the desk tells the window (or anything else listening) after the log changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desktop.records import EventKind


@dataclass(frozen=True)
class Change:
    """One change to the log: what kind of entry was added, and to which case (None for the log itself)."""

    kind: EventKind
    case_number: str | None = None


Listener = Callable[[Change], None]


class ChangeNotifier:
    """A typed list of listeners. A listener that raises does not stop the others from hearing."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add a listener; returns the call that removes it again."""
        self._listeners.append(listener)
        return lambda: self.unsubscribe(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def emit(self, change: Change) -> None:
        import logging

        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:  # a broken view must not make a recorded case look unrecorded
                logging.getLogger(__name__).exception("a change listener failed on %s", change)
