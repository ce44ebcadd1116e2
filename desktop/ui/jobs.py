"""The log's long jobs from the window: back it up, export the memos of the cases shown, verify it.

Each runs on a worker thread through a DeskOp (desktop/ui/ops.py), with a progress bar once it has
taken half a second; its result comes back to the window by signal, and is said in the status bar
(or, for verify, in the same rows `main.py verify` prints, desktop/present.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from desktop.ui.messages import alarm, tell
from desktop.ui.ops import DeskOp

if TYPE_CHECKING:
    from desktop.desk import LogCheck
    from desktop.ui.main_window import MainWindow

SHOWN_PROBLEMS: Final = 8  # the dialog lists this many problems; `main.py verify` lists them all


def verify_summary(check: LogCheck) -> str:
    """The rows `main.py verify` prints, after a first line in words (every row but the problems past the eighth)."""
    from desktop import present

    rows = present.log_check_rows(check)[1:]
    problems = [r for r in rows if r.label.startswith("Problem")]
    shown = [r for r in rows if not r.label.startswith("Problem")] + problems[:SHOWN_PROBLEMS]
    more = len(problems) - SHOWN_PROBLEMS
    tail = f"\n… and {more} more problem(s): `main.py verify` lists them all." if more > 0 else ""
    head = "The log is intact." if check.ok else "The log has been altered."
    return head + "\n\n" + "\n".join(f"{row.label}: {row.value}" for row in shown) + tail


class LogJobs(QObject):
    """Backup, export and verify for the main window: asked for here, run by the desk in the background."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def _done(self, message: str) -> None:
        self._window.statusBar().showMessage(message, 15000)
        self._window.refresh_views()

    def backup(self, target: Path | None = None, *, passphrase: str | None = None) -> DeskOp[str] | None:
        """A verified copy of the log; one outside the data folder is encrypted, with a passphrase asked for."""
        window, desk, session = self._window, self._window.desk, self._window.session
        if session is None or not window.admitted("copies.backup", "Back up the log"):
            return None
        if target is None:
            default = str(Path.home() / f"safedesk-backup-{window.today().isoformat()}.db.enc")
            name, _ = QFileDialog.getSaveFileName(
                window, "Back up the case log", default, "Encrypted case log (*.enc);;Case log (*.db)"
            )
            if not name:
                return None
            target = Path(name)
        if passphrase is None:
            from desktop.ui.passphrase import ask_copy_passphrase

            go_on, passphrase = ask_copy_passphrase(desk, target, window)
            if not go_on:
                return None
        chosen, sealed_with = target, passphrase

        def back_up() -> str:
            result = desk.copies.backup(session, chosen, passphrase=sealed_with)
            sealed = " (encrypted)" if sealed_with is not None else ""
            return f"Backed up to {result.path}{sealed} ({result.report.records_checked} records verified)"

        op = DeskOp(window, "backing up the log", back_up, title="Back up the log", desk=desk)
        return op.on_success(self._done).in_background("Backing up the case log")

    def export_memos(self, folder: Path | None = None, *, passphrase: str | None = None) -> DeskOp[str] | None:
        """The memo of every case the log shows, into a folder; outside the data folder they are encrypted."""
        window, desk, session = self._window, self._window.desk, self._window.session
        if session is None or not window.admitted("paper.export", "Export memos"):
            return None
        query = window.log_view().current_query()
        if folder is None:
            name = QFileDialog.getExistingDirectory(window, "Write the memos to")
            if not name:
                return None
            folder = Path(name)
        if passphrase is None:
            from desktop.ui.passphrase import ask_copy_passphrase

            go_on, passphrase = ask_copy_passphrase(desk, folder / "memo.pdf", window)
            if not go_on:
                return None
        chosen, sealed_with = folder, passphrase

        def export() -> str:
            result = desk.paper.export_memos(
                session, chosen, query, progress=op.progress, cancelled=op.cancelled, passphrase=sealed_with
            )
            stopped = " (stopped)" if result.cancelled else ""
            sealed = ", encrypted" if sealed_with is not None else ""
            return f"Wrote {len(result.files)} memo(s) to {chosen}{sealed}{stopped}"

        op = DeskOp(window, "exporting memos", export, title="Export memos", desk=desk)
        return op.on_success(self._done).in_background("Exporting memos", cancellable=True)

    def verify(self) -> DeskOp[LogCheck] | None:
        """Check the whole log on a worker thread (it takes a minute on a large log); the result in a box."""
        window, desk, session = self._window, self._window.desk, self._window.session
        if session is None:
            return None
        op: DeskOp[LogCheck] = DeskOp(
            window,
            "verifying the log",
            lambda: desk.log.verify(session, progress=op.progress),
            title="Verify the log",
            desk=desk,
        )
        return op.on_success(self._show_check).in_background("Verifying the case log")

    def _show_check(self, check: LogCheck) -> None:
        self._window.statusBar().showMessage("Verified the case log" if check.ok else "The log has been altered", 15000)
        if check.ok:
            tell(self._window, "Verify the log", verify_summary(check))
        else:
            alarm(self._window, "Verify the log", verify_summary(check))
