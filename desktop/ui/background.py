"""Long work off the UI thread, with a progress dialog and a cancel button; results come back by signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

Progress = Callable[[int, int], None]  # (done, total)
Cancelled = Callable[[], bool]


class _Worker(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Callable[[Progress, Cancelled], Any]) -> None:
        super().__init__()
        self._job = job
        self.cancelled = False

    def run(self) -> None:
        try:
            result = self._job(lambda done, total: self.progressed.emit(done, total), lambda: self.cancelled)
        except Exception as exc:  # reported to the user as a message, never as a traceback
            self.failed.emit(str(exc))
            return
        self.succeeded.emit(result)


class BackgroundJob(QObject):
    """Runs `job(progress, cancelled)` on a worker thread; never touch widgets or the UI's store inside it."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget, title: str, job: Callable[[Progress, Cancelled], Any]) -> None:
        super().__init__(parent)
        self._thread = QThread(self)
        self._worker = _Worker(job)
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
