"""Page 6 of the intake: the City's response (what to do and say first, warnings on top, the reasons
under Details), the officer's disagreement, and the desk's checks asked before Record."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop.records import Override
from desktop.ui import temporary_files
from desktop.ui.decision_html import decision_html
from desktop.ui.intake.pages import PAGE_PERSON
from desktop.ui.messages import CANCEL, NO, YES, ask
from desktop.ui.ops import DeskOp
from desktop.ui.widgets import FieldError, add_field, open_file

if TYPE_CHECKING:
    from desktop.desk import Check, Decided
    from desktop.ui.intake.wizard import IntakeWizard

# The title of the question each of the desk's checks is asked under; the question is the desk's words.
CHECK_TITLES = {
    "blank": "No name, no booking number",
    "open-case": "A case is open for this booking number",
    "future": "Received in the future",
    "relay": "The relay question",
}


class DecisionPage(QWizardPage):
    """6. The decision: what to do and what to say first, warnings on top, the reasons under Details."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("6. The City's response")
        self.setSubTitle("Read it before recording. If you disagree, say why: a supervisor will review it.")
        self._wizard = wizard
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Record case")
        layout = QVBoxLayout(self)
        self.recording_as = QLabel()
        self.recording_as.setAccessibleName("Recording as")
        layout.addWidget(self.recording_as)
        self.view = QTextBrowser()
        self.view.setAccessibleName("Decision and reasons")
        self.view.setOpenLinks(False)
        layout.addWidget(self.view, 1)
        self.error = FieldError("Decision")
        layout.addWidget(self.error)
        row = QHBoxLayout()
        self.details = QCheckBox("Show de&tails: codes, rules, reasons and the ordinance quoted")
        self.details.setAccessibleName("Show details")
        self.details.toggled.connect(self._show)
        row.addWidget(self.details)
        row.addStretch()
        self.preview_button = QPushButton("&Preview memo (draft)")
        self.preview_button.setAccessibleName("Preview the memo as a draft")
        self.preview_button.clicked.connect(self._preview)
        row.addWidget(self.preview_button)
        layout.addLayout(row)
        self.disagree = QCheckBox("I &disagree with this decision (a supervisor will review the case)")
        self.disagree.setAccessibleName("I disagree with this decision")
        layout.addWidget(self.disagree)
        form = QFormLayout()
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(52)
        self.reason_error = add_field(form, "&Why you disagree:", self.reason, "Why you disagree")
        layout.addLayout(form)
        self.amend_box = QWidget()
        amend_form = QFormLayout(self.amend_box)
        amend_form.setContentsMargins(0, 0, 0, 0)
        self.amend_reason = QLineEdit()
        self.amend_reason_error = add_field(
            amend_form, "Reason for the a&mendment:", self.amend_reason, "Reason for the amendment"
        )
        layout.addWidget(self.amend_box)
        self.disagree.toggled.connect(self.reason.setEnabled)
        self.reason.setEnabled(False)
        self.decided: Decided | None = None
        self.confirmed: set[str] = set()  # the desk's checks the officer said Yes to, for this decision

    def first_field(self) -> QWidget:
        """The response itself: Page Down reads on (the page counts what has been on screen)."""
        return self.view

    def initializePage(self) -> None:
        wizard = self._wizard
        self.error.clear()
        self.decided = None
        self.confirmed = set()
        self.amend_box.setVisible(wizard.amend_case is not None)
        what = f"amendment of case {wizard.amend_case}" if wizard.amend_case else "a new case"
        self.recording_as.setText(f"Recording as <b>{escape(wizard.session.label)}</b>, {what}.")
        self.decided = (
            DeskOp(self, "deciding the request", lambda: wizard.desk.decide(wizard.intake()))
            .on_failure(self._undecided)
            .run()
        )
        self._show()

    def _undecided(self, exc: BaseException) -> None:
        self.view.setHtml("<p>The request cannot be decided yet.</p>")
        self.error.show_error(str(exc))

    def _show(self) -> None:
        if self.decided is not None:
            self.view.setHtml(decision_html(self.decided.decision, self.decided.pack, details=self.details.isChecked()))

    def _preview(self) -> None:
        """The draft memo in the system's PDF viewer: made by the desk (audited), kept until the app quits."""
        decided, wizard = self.decided, self._wizard
        if decided is None:
            return
        path = DeskOp(
            self,
            "making the draft memo",
            lambda: temporary_files.write_pdf(
                wizard.desk.paper.draft_memo(wizard.session, decided), prefix="safedesk-draft-"
            ),
            title="Preview",
            after="The answers are kept.",
        ).run()
        if path is not None:
            wizard.last_draft_path = path
            open_file(self, path)

    # --- before Record: the desk's checks, each asked in its words ----------------------------------

    def _ask_checks(self, decided: Decided) -> set[str] | None:
        """Ask each of the desk's checks on this intake (desk.cases.checks) that the officer has not answered;
        the checks confirmed, or None when the officer stopped (No, Cancel, or amending instead)."""
        wizard = self._wizard
        checks = DeskOp(
            self,
            "checking the request before recording",
            lambda: wizard.desk.cases.checks(wizard.session, decided.intake, amending=wizard.amend_case),
        ).run()
        if checks is None:
            return None
        if wizard.request_page.relay_answer() == "no":
            self.confirmed.add("relay")  # the request page asked the desk's relay question; they said no
        for check in checks:
            if check.id in self.confirmed:
                continue
            if not self._ask(check, decided):
                return None
            self.confirmed.add(check.id)
        return set(self.confirmed)

    def _ask(self, check: Check, decided: Decided) -> bool:
        """One check, in the desk's words; whether the officer confirmed it."""
        title = CHECK_TITLES.get(check.id, "Before recording")
        said = f"{check.message[:1].upper()}{check.message[1:]}."
        if check.id == "open-case":
            return self._open_case(title, said, decided)
        if ask(self, title, f"{said}\n\nRecord it anyway?") == YES:
            return True
        if check.id == "blank":
            self._wizard.go_to(PAGE_PERSON)  # where a name or booking number is typed
        return False

    def _open_case(self, title: str, said: str, decided: Decided) -> bool:
        """An open case for the booking number is offered for amendment: Yes amends it, No records a new case."""
        wizard = self._wizard
        booking = decided.intake.subject.booking_number or ""
        open_cases = DeskOp(
            self, "finding the open case", lambda: wizard.desk.cases.open_for_booking(wizard.session, booking)
        ).run()
        if not open_cases:
            return open_cases is not None  # closed meanwhile: nothing to amend, nothing to ask
        first = open_cases[0]
        answer = ask(
            self,
            title,
            f"{said}\n\nAmend that case instead? (Yes: amend case {first.case_number}; No: record a new case; "
            "Cancel: go back.)",
            (YES, NO, CANCEL),
            default=CANCEL,
        )
        if answer == YES:
            wizard.set_amend_case(first.case_number)
            self.initializePage()
            self.amend_reason_error.show_error("Give the reason for the amendment, then Record case.")
            self.amend_reason.setFocus()
        return answer == NO

    def validatePage(self) -> bool:
        decided = self.decided
        if decided is None:
            self.error.show_error(self.error.message or "Go back and complete the request first.")
            return False
        override = None
        if self.disagree.isChecked():
            reason = self.reason.toPlainText().strip()
            if not reason:
                self.reason_error.show_error("Say why you disagree; the supervisor needs your reason.")
                self.reason.setFocus()
                return False
            self.reason_error.clear()
            override = Override(reason, self._wizard.session.label)
        amend_reason = self.amend_reason.text().strip()
        if self._wizard.amend_case is not None and not amend_reason:
            self.amend_reason_error.show_error("Give the reason for the amendment.")
            self.amend_reason.setFocus()
            return False
        confirmed = self._ask_checks(decided)
        if confirmed is None:
            return False
        return self._wizard.record(decided, override, amend_reason, confirmed)
