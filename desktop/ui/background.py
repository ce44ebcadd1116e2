"""Long work off the UI thread, with a progress dialog and a cancel button; results come back by signal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.desk import Cancelled, Progress

if TYPE_CHECKING:
    from desktop.desk import Desk

log = logging.getLogger(__name__)


class _Worker(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Callable[[Progress, Cancelled], Any], desk: Desk | None) -> None:
        super().__init__()
        self._job = job
        self._desk = desk
        self.cancelled = False

    def run(self) -> None:
        try:
            result = self._job(lambda done, total: self.progressed.emit(done, total), lambda: self.cancelled)
        except Exception as exc:  # reported to the user as one line; the traceback goes to the desk log
            log.exception("background job failed")
            self.failed.emit(str(exc))
            return
        finally:
            if self._desk is not None:
                self._desk.close_thread()  # the job's own connection to the log, opened on this thread
        self.succeeded.emit(result)


class BackgroundJob(QObject):
    """Runs `job(progress, cancelled)` on a worker thread; never touch widgets inside it.

    A job calls the same `Desk` as the window: on the worker thread the desk opens a connection of
    its own (SQLite connections stay on their thread), closed when the job ends.
    """

    finished = Signal(object)
    failed = Signal(str)

    def __init__(
        self, parent: QWidget, title: str, job: Callable[[Progress, Cancelled], Any], *, desk: Desk | None = None
    ) -> None:
        super().__init__(parent)
        self._thread = QThread(self)
        self._worker = _Worker(job, desk)
        self._worker.moveToThread(self._thread)
        self._dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        self._dialog.setWindowTitle(title)
        self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._dialog.setMinimumDuration(400)  # quick jobs finish before the dialog shows
        self._dialog.canceled.connect(self._cancel)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._progress)
        self._worker.succeeded.connect(self._succeeded)
        self._worker.failed.connect(self._failed)

    def start(self) -> None:
        self._thread.start()

    def _cancel(self) -> None:
        self._worker.cancelled = True

    def _progress(self, done: int, total: int) -> None:
        self._dialog.setMaximum(total)
        self._dialog.setValue(done)

    def _stop(self) -> None:
        self._dialog.reset()
        self._thread.quit()
        self._thread.wait()

    def _succeeded(self, result: object) -> None:
        self._stop()
        self.finished.emit(result)

    def _failed(self, message: str) -> None:
        self._stop()
        self.failed.emit(message)

    def wait(self) -> None:
        """Block until the worker is done (tests and the self-test)."""
        self._thread.wait()
