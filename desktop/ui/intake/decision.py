"""Page 6 of the intake: the City's response (what to do and say first, warnings on top, the reasons
under Details), the officer's disagreement, and the desk's checks asked before Record."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QResizeEvent
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

from desktop.desk.paper import page_pngs
from desktop.records import Override
from desktop.ui.decision_html import RESPONSE_END, decision_html
from desktop.ui.intake.pages import PAGE_PERSON
from desktop.ui.messages import CANCEL, NO, YES, ask
from desktop.ui.ops import DeskOp
from desktop.ui.printing import PREVIEW_DPI, PagesPreview, images, pages_count
from desktop.ui.widgets import FieldError, add_field

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
        # No subtitle: at 150% on a laptop every line of the page is the response's (its words are below).
        self.setTitle("6. The City's response")
        self._wizard = wizard
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Record case")
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        self.recording_as = QLabel()
        self.recording_as.setAccessibleName("Recording as")
        self.recording_as.setWordWrap(True)
        layout.addWidget(self.recording_as)
        self.view = QTextBrowser()
        self.view.setAccessibleName("Decision and reasons")
        self.view.setOpenLinks(False)
        layout.addWidget(self.view, 1)
        self.more_below = QLabel()  # "1 more response below": Record waits until every response was on screen
        self.more_below.setAccessibleName("Responses not read yet")
        self.more_below.setWordWrap(True)
        self.more_below.hide()
        layout.addWidget(self.more_below)
        self.error = FieldError("Decision")
        layout.addWidget(self.error)
        row = QHBoxLayout()
        self.details = QCheckBox("Show de&tails: rules, reasons, the ordinance quoted")
        self.details.setAccessibleName("Show details")
        self.details.toggled.connect(self._show)
        row.addWidget(self.details)
        self.disagree = QCheckBox("I &disagree (a supervisor reviews the case)")
        self.disagree.setAccessibleName("I disagree with this decision")
        row.addWidget(self.disagree)
        row.addStretch()
        self.preview_button = QPushButton("&Preview memo (draft)")
        self.preview_button.setAccessibleName("Preview the memo as a draft")
        self.preview_button.clicked.connect(lambda: self._preview())
        self.draft_preview: PagesPreview | None = None
        row.addWidget(self.preview_button)
        layout.addLayout(row)
        self.reason_box = QWidget()  # takes no room until I disagree is ticked
        form = QFormLayout(self.reason_box)
        form.setContentsMargins(0, 0, 0, 0)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(52)
        self.reason_error = add_field(form, "&Why you disagree:", self.reason, "Why you disagree")
        self.reason_box.hide()
        layout.addWidget(self.reason_box)
        self.amend_box = QWidget()
        amend_form = QFormLayout(self.amend_box)
        amend_form.setContentsMargins(0, 0, 0, 0)
        self.amend_reason = QLineEdit()
        self.amend_reason_error = add_field(
            amend_form, "Reason for the a&mendment:", self.amend_reason, "Reason for the amendment"
        )
        layout.addWidget(self.amend_box)
        self.disagree.toggled.connect(self._disagree_toggled)
        self.decided: Decided | None = None
        self.confirmed: set[str] = set()  # the desk's checks the officer said Yes to, for this decision
        # Which responses have been on screen: the bottom of the last line of each, and how far the view has shown.
        self._ends: list[float] = []
        self._seen_to = 0.0
        self._shown_html = ""
        self._decision_shown = ""  # the decision (without details) the responses were counted for
        bar = self.view.verticalScrollBar()
        bar.valueChanged.connect(self._count_seen)
        bar.rangeChanged.connect(self._count_seen)
        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(0)
        self._recount.timeout.connect(self._rewrapped)

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
        self.recording_as.setText(
            f"Recording as <b>{escape(wizard.session.label)}</b>, {what}. Read every response before Record; "
            "if you disagree, tick I disagree and say why."
        )
        self.decided = (
            DeskOp(self, "deciding the request", lambda: wizard.desk.decide(wizard.intake()))
            .on_failure(self._undecided)
            .run()
        )
        self._show()

    def _disagree_toggled(self, ticked: bool) -> None:
        self.reason_box.setVisible(ticked)
        if ticked:
            self.reason.setFocus()

    def _undecided(self, exc: BaseException) -> None:
        self.view.setHtml("<p>The request cannot be decided yet.</p>")
        self._ends, self._shown_html = [], ""
        self.error.show_error(str(exc))
        self._count_seen()

    def _show(self) -> None:
        if self.decided is None:
            return
        decision, pack = self.decided.decision, self.decided.pack
        plain = decision_html(decision, pack)
        html = decision_html(decision, pack, details=True) if self.details.isChecked() else plain
        if html == self._shown_html:
            return
        top = self.view.verticalScrollBar().value()
        self.view.setHtml(html)
        self._shown_html = html
        if plain != self._decision_shown:  # another decision: each response must be on screen again
            self._decision_shown = plain
            self._seen_to = 0.0
        else:  # the same one, its details shown or hidden (or decided again): what was read stays read
            self.view.verticalScrollBar().setValue(top)
        self._ends = self._response_ends()
        self._count_seen()

    # --- every response on screen before Record -------------------------------------------------------

    def _response_ends(self) -> list[float]:
        """The bottom (in the document) of the last line of each response shown: its say line, or its instruction."""
        document = self.view.document()
        layout = document.documentLayout()
        ends: list[float] = []
        block = document.begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                names = fragments.fragment().charFormat().anchorNames()
                if any(name.startswith(RESPONSE_END) for name in names):
                    ends.append(layout.blockBoundingRect(block).bottom())
                    break
                fragments += 1
            block = block.next()
        return ends

    def unread(self) -> int:
        """How many responses have not yet been on screen (each must be, once, before Record)."""
        return sum(1 for end in self._ends if end > self._seen_to + 1)

    def _count_seen(self, *_args: object) -> None:
        if not self._ends and self._shown_html:
            self._ends = self._response_ends()
        if self.view.isVisible():  # only what was truly on screen counts (not a page being made ready)
            bar = self.view.verticalScrollBar()
            self._seen_to = max(self._seen_to, bar.value() + self.view.viewport().height())
        unread = self.unread()
        if unread:
            plural = "responses" if unread > 1 else "response"
            self.more_below.setText(
                f"<b>⬇ {unread} more {plural} below.</b> Press Page Down to read on: Record case waits until "
                "every response has been on screen."
            )
        self.more_below.setVisible(bool(unread))
        self.completeChanged.emit()  # the wizard enables Record, or not, and makes it the default
        record = self._wizard.button(QWizard.WizardButton.CommitButton)
        if isinstance(record, QPushButton) and self._wizard.currentPage() is self:
            record.setDefault(self.isComplete())  # disabled is not enough: not the default either

    def settle(self) -> None:
        """Just shown (the wizard calls this once it has switched pages): lay the page out now and count what is
        on screen, so Record is offered or not before the first key is pressed."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self._rewrapped()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._shown_html:
            self._recount.start()  # once the layout has settled: the responses wrap anew at the new width

    def _rewrapped(self) -> None:
        self._ends = self._response_ends()
        self._count_seen()

    def isComplete(self) -> bool:
        """Record case is offered (and is the default button) only once every response has been on screen."""
        return self.decided is not None and self.unread() == 0

    def _preview(self) -> PagesPreview | None:
        """The draft memo's pages in the window (made by the desk, audited): no copy on disk, no other program, and
        no Print (a draft is not a record; Record case makes the memo)."""
        decided, wizard = self.decided, self._wizard
        if decided is None:
            return None
        drawn = DeskOp(
            self,
            "making the draft memo",
            lambda: page_pngs(wizard.desk.paper.draft_memo(wizard.session, decided), dpi=PREVIEW_DPI),
            title="Preview",
            after="The answers are kept.",
        ).run()
        if drawn is None:
            return None
        pages = images(drawn)
        self.draft_preview = PagesPreview(
            title="Draft memo: preview (not recorded)",
            pages=pages,
            summary=f"{pages_count(pages)} of the draft memo: not recorded and no case number. Record case makes "
            "the memo to print.",
            parent=self,
        )
        self.draft_preview.show()
        return self.draft_preview

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
