"""Page 7 of the intake: the case number, large, what to do now, and the memo to print, preview or open."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWizardPage

from desktop.records import Status
from desktop.rules import labels
from desktop.ui.ops import DeskOp
from desktop.ui.printing import MemoPreview, PrintOutcome, open_preview, print_memo
from desktop.ui.widgets import open_file

if TYPE_CHECKING:
    from desktop.ui.intake.wizard import IntakeWizard


class RecordedPage(QWizardPage):
    """7. The case number, large, with the memo to print or open."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("7. Recorded")
        self._wizard = wizard
        self.print_outcome: PrintOutcome | None = None
        self.preview_dialog: MemoPreview | None = None
        self.notice_dialog: QDialog | None = None
        layout = QVBoxLayout(self)
        self.number = QLabel()
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.6)
        font.setBold(True)
        self.number.setFont(font)
        self.number.setAccessibleName("Case number")
        layout.addWidget(self.number)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("What was recorded")
        layout.addWidget(self.detail)
        row = QHBoxLayout()
        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print the memo")
        self.preview_button = QPushButton("Pre&view")
        self.preview_button.setAccessibleName("Preview the memo as it will print")
        self.open_button = QPushButton("&Open in viewer")
        self.open_button.setAccessibleName("Save the memo and open it in the PDF viewer")
        self.notice_button = QPushButton("Not&ice to the person…")
        self.notice_button.setAccessibleName("The notice to the person, in their language: preview and print")
        row.addWidget(self.print_button)
        row.addWidget(self.preview_button)
        row.addWidget(self.open_button)
        row.addWidget(self.notice_button)
        row.addStretch()
        layout.addLayout(row)
        layout.addStretch()
        self.print_button.clicked.connect(lambda: self._print())
        self.preview_button.clicked.connect(lambda: self._preview())
        self.open_button.clicked.connect(lambda: self._memo())
        self.notice_button.clicked.connect(lambda: self._notice())

    def initializePage(self) -> None:
        saved = self._wizard.saved
        if saved is None:
            return
        self.number.setText(saved.case_number + (f"  (version {saved.version})" if saved.version > 1 else ""))
        review = " It is marked for review by a supervisor or counsel." if saved.status == Status.REFERRED else ""
        todo = "".join(
            f"<li><b>{labels.ACTION[r.action].split(' (')[0]}"
            f"{': ' + labels.INFO[r.info] if r.info else ''}</b>: {labels.CODE[r.code]}</li>"
            for r in saved.decision.responses
        )
        self.detail.setText(
            f"<p>Recorded by {escape(saved.officer)}. Record sha256 {saved.record_hash[:16]}….{review}</p>"
            f"<p>What to do now:</p><ul>{todo}</ul><p>Print the memo for the file.</p>"
        )
        self.print_button.setFocus()

    def _print(self) -> None:
        """The print dialog, then the print, audited once it succeeded (a cancelled print writes nothing)."""
        saved = self._wizard.saved
        if saved is not None:
            self.print_outcome = print_memo(self, self._wizard.desk, saved.case_number, self._wizard.session)

    def _preview(self) -> None:
        saved = self._wizard.saved
        if saved is None:
            return
        dialog = open_preview(self, self._wizard.desk, self._wizard.session, saved.case_number)
        if dialog is not None:
            self.preview_dialog = dialog
            dialog.open()

    def _notice(self) -> None:
        """The notice to the person in the language they read: its pages, then Print… (the serving, audited)."""
        from desktop.ui.notice import open_notice

        saved = self._wizard.saved
        if saved is None:
            return
        dialog = open_notice(self, self._wizard.desk, self._wizard.session, saved.case_number)
        if dialog is not None:
            self.notice_dialog = dialog
            dialog.open()

    def _memo(self) -> None:
        """Save the memo (audited as a memo saved) and open it in the system's PDF viewer."""
        wizard, saved = self._wizard, self._wizard.saved
        if saved is None:
            return
        path = DeskOp(
            self,
            "saving the memo",
            lambda: wizard.desk.paper.print_memo(wizard.session, saved.case_number),
            title="Memo",
            after="The case is recorded; only its memo was not saved.",
        ).run()
        if path is not None:
            wizard.memo_path = path
            open_file(self, path)
