"""One way to run a window action against the desk: `DeskOp`.

Every desk call the window makes goes through a DeskOp, as every collection call in Anki goes
through `CollectionOp` or `QueryOp` (qt/aqt/operations/__init__.py):

    saved = DeskOp(self, "recording", lambda: desk.cases.record(session, decided)).run()
    if saved is None:
        return  # the error was shown (or handed to `on_failure`); nothing was recorded

    DeskOp(self, "verifying the log", lambda: desk.log.verify(session), desk=desk)
        .on_success(self._show_check)
        .in_background("Verifying the case log")

A quick call runs at once on the GUI thread (`run`). A slow one runs on a thread of its own
(`in_background`): a progress bar shows once it has taken half a second, a job may report its
progress (`progress`) and look whether the officer pressed Cancel (`cancelled`), and on the worker
thread the desk opens a connection of its own, closed when the job ends. Either way the result or
the error reaches the window on the GUI thread, through a signal: never by a worker writing an
attribute, never by a worker touching a widget.

A failure is logged with its traceback (the desk's log, logs/desk.log) and shown by
`messages.show_error`, with the words of its kind; `on_failure` takes a known error (a refusal, bad
input, the machine) to show it in place instead, inline under a field. A bug is always shown in a
box: a window cannot take it for an answer. This is the one `except` of desktop/ui that guards a
desk call.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar, cast

from PySide6.QtCore import QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.errors import one_line
from desktop.ui.messages import known, show_error

if TYPE_CHECKING:
    from desktop.desk import Desk

log = logging.getLogger(__name__)
T = TypeVar("T")
PROGRESS_AFTER_MS: Final = 500  # a job that ends sooner shows no progress bar at all
_RUNNING: set[DeskOp[Any]] = set()  # background ops, kept alive until their result is delivered


class _Worker(QObject):
    """Runs the call on the worker thread and hands back what happened, by signal, to the GUI thread."""

    done = Signal(bool, object)  # (succeeded, the result or the exception)

    def __init__(self, call: Callable[[], object], desk: Desk | None) -> None:
        super().__init__()
        self._call = call
        self._desk = desk

    def run(self) -> None:
        succeeded, payload = _attempt(self._call)
        if self._desk is not None:
            self._desk.close_thread()  # the job's own connection to the log, opened on this thread
        self.done.emit(succeeded, payload)


def _attempt(call: Callable[[], object]) -> tuple[bool, object]:
    """Call it: (True, the result) or (False, the exception). The one place a desk call's error is caught."""
    try:
        return True, call()
    except Exception as exc:  # every failure is delivered: shown by kind, a bug with its traceback logged
        return False, exc


class DeskOp(QObject, Generic[T]):
    """A desk call from the window: run now or in the background; the result or the error delivered once.

    `what` names the action for the log ("recording" → "recording failed: ..."); `title` heads the
    error box (by default the action, capitalised); `after` ends it (what the officer keeps).
    """

    finished = Signal(object)  # the result, on the GUI thread
    failed = Signal(object)  # the exception, on the GUI thread, after it was shown or handed on
    _progressed = Signal(int, int)

    def __init__(
        self,
        parent: QWidget | None,
        what: str,
        call: Callable[[], T],
        *,
        title: str = "",
        after: str = "",
        desk: Desk | None = None,
    ) -> None:
        super().__init__()  # no Qt parent: a quick op is gone once run; a background one is kept in _RUNNING
        self._parent = parent
        self.what = what
        self.title = title or f"{what[:1].upper()}{what[1:]}"
        self.after = after
        self._call = call
        self._desk = desk
        self._success: list[Callable[[T], object]] = []
        self._failure: Callable[[BaseException], object] | None = None
        self._cancel = threading.Event()
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._dialog: QProgressDialog | None = None
        self._label = ""
        self._cancellable = False
        self._done_of: tuple[int, int] = (0, 0)  # the job's last progress, for a bar that opens after it
        self.running = False
        self.ok = False
        self.result: T | None = None
        self.error: BaseException | None = None
        # Emitted on the worker's thread; the slot is this object's, so Qt queues it to the GUI thread.
        self._progressed.connect(self._show_progress)

    # --- what happens after ---------------------------------------------------------------------

    def on_success(self, callback: Callable[[T], object]) -> DeskOp[T]:
        """Called with the result, on the GUI thread (before `finished` is emitted)."""
        self._success.append(callback)
        return self

    def on_failure(self, callback: Callable[[BaseException], object]) -> DeskOp[T]:
        """Called with a known error (refused, bad input, the machine) instead of the error box; a bug is
        still shown in a box."""
        self._failure = callback
        return self

    # --- running ----------------------------------------------------------------------------------

    def run(self) -> T | None:
        """Run now, on this (the GUI) thread: the result, or None once the failure was shown or handed on.

        For a call that returns nothing, `ok` says whether it succeeded.
        """
        self.running = True
        succeeded, payload = _attempt(self._call)
        self._deliver(succeeded, payload)
        return self.result if succeeded else None

    def in_background(self, label: str, *, cancellable: bool = False) -> DeskOp[T]:
        """Run on a worker thread; a progress bar with `label` shows after half a second (Cancel if
        `cancellable`). Returns at once; `finished` or `failed` follows on the GUI thread."""
        self.running = True
        self._label = label
        self._cancellable = cancellable
        _RUNNING.add(self)  # kept alive while the worker runs
        thread = QThread(self)
        worker = _Worker(self._call, self._desk)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.done.connect(self._background_done)  # queued: the worker's thread to this object's (the GUI's)
        self._thread, self._worker = thread, worker
        QTimer.singleShot(PROGRESS_AFTER_MS, self._open_progress)
        thread.start()
        return self

    def progress(self, done: int, total: int) -> None:
        """For the job, on its thread: how far it is (total 0: working, no end known yet)."""
        self._progressed.emit(done, total)

    def cancelled(self) -> bool:
        """For the job, on its thread: whether the officer pressed Cancel."""
        return self._cancel.is_set()

    def wait(self) -> None:
        """Block until the worker thread is done (tests and the self-test); the result still comes by signal."""
        if self._thread is not None:
            self._thread.wait()

    # --- on the GUI thread ------------------------------------------------------------------------

    def _open_progress(self) -> None:
        if not self.running or self._dialog is not None:
            return
        from PySide6.QtCore import Qt  # the Qt namespace costs tens of ms to build: not at the window's start

        parent = self._parent
        dialog = QProgressDialog(self._label, "Cancel" if self._cancellable else "", 0, 0, parent)
        dialog.setWindowTitle(self._label)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if self._cancellable:
            dialog.canceled.connect(self._cancel.set)
        else:
            dialog.setCancelButton(None)  # no Cancel button: the job cannot stop halfway
        dialog.setAccessibleName(self._label)
        self._dialog = dialog
        self._show_progress(*self._done_of)
        dialog.show()

    def _show_progress(self, done: int, total: int) -> None:
        self._done_of = (done, total)
        if self._dialog is not None:
            self._dialog.setMaximum(max(total, 0))
            self._dialog.setValue(done if total else 0)

    def _background_done(self, succeeded: bool, payload: object) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        try:
            self._deliver(succeeded, payload)
        finally:
            _RUNNING.discard(self)

    def _deliver(self, succeeded: bool, payload: object) -> None:
        self.running = False
        if succeeded:
            self.ok = True
            result = cast(T, payload)  # what the call returned
            self.result = result
            for callback in self._success:
                callback(result)
            self.finished.emit(result)
            return
        exc = payload if isinstance(payload, BaseException) else RuntimeError(str(payload))
        self.error = exc
        if known(exc):
            log.error("%s failed: %s", self.what, one_line(exc), exc_info=exc)
        else:
            log.error("%s failed with a bug", self.what, exc_info=exc)
        if self._failure is not None and known(exc):
            self._failure(exc)
        else:
            show_error(self._parent, self.title, exc, after=self.after)
        self.failed.emit(exc)


def run(parent: QWidget | None, what: str, call: Callable[[], T], *, title: str = "", after: str = "") -> T | None:
    """A quick desk call now, on the GUI thread: `DeskOp(parent, what, call, ...).run()`."""
    return DeskOp(parent, what, call, title=title, after=after).run()
