"""The intake wizard: the pages in order, the answers gathered from them, and Record.

It holds no rules: each page owns its fields and gives its part of the intake (`answers`), the desk
applies the relay question's answer (`desktop.desk.cases.answer_relay`), decides, and says what to
confirm before recording (`desk.cases.checks`); the wizard only puts them together and records.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QScrollArea, QWidget, QWizard

from desktop.desk.cases import answer_relay
from desktop.records import CaseVersion, Override
from desktop.ui.intake.decision import DecisionPage
from desktop.ui.intake.documents import DocumentsPage
from desktop.ui.intake.pages import PAGE_DECISION
from desktop.ui.intake.person import PersonPage
from desktop.ui.intake.received import ReceivedPage
from desktop.ui.intake.recorded import RecordedPage
from desktop.ui.intake.request import RequestPage
from desktop.ui.intake.review import ReviewPage
from desktop.ui.messages import confirm
from desktop.ui.ops import DeskOp
from desktop.ui.screen import fit_to_screen

if TYPE_CHECKING:
    from desktop.desk import Decided, Desk, Session
    from desktop.rules import Intake, Pack


class IntakeWizard(QWizard):
    """The intake wizard. It only gathers answers and shows what the rules decide; it holds no rules.

    `pack` is the pack in force when the wizard opened (its presets, hints and time zone); the
    request is decided by the pack in force on the day it was received, which the desk picks.
    """

    changed = Signal()
    recorded = Signal(str)

    def __init__(
        self,
        *,
        desk: Desk,
        session: Session,
        pack: Pack | None = None,
        amend_case: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.session = session  # the signed-in officer, whose key signs the record
        self.pack = pack or desk.active_pack()
        self.guidance = self.pack.guidance  # presets, desk cues and hints: the pack's words
        self.zone_name = self.pack.time_zone or ""
        self.amend_case = amend_case
        self.saved: CaseVersion | None = None
        self.memo_path: Path | None = None
        self.draft_id: str | None = None  # the draft these answers are saved to (set by the main window)
        self._quiet_close = False
        self.setWindowTitle(f"Amend case {amend_case}" if amend_case else "New request")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        # Every button of the wizard has its own mnemonic, unique on every page (tests/gui/test_officer_path.py).
        for button, text in (
            (QWizard.WizardButton.BackButton, "< &Back"),
            (QWizard.WizardButton.NextButton, "&Next >"),
            (QWizard.WizardButton.FinishButton, "&Finish"),
            (QWizard.WizardButton.CancelButton, "Cancel"),
        ):
            self.setButtonText(button, text)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.received_page = ReceivedPage(self)
        self.documents_page = DocumentsPage(self)
        self.person_page = PersonPage(self)
        self.request_page = RequestPage(self)
        self.review_page = ReviewPage(self)
        self.decision_page = DecisionPage(self)
        self.recorded_page = RecordedPage(self)
        for page_id, page in enumerate(
            (
                self.received_page,
                self.documents_page,
                self.person_page,
                self.request_page,
                self.review_page,
                self.decision_page,
                self.recorded_page,
            )
        ):
            self.setPage(page_id, page)
        fit_to_screen(self, 980, 700)
        self.currentIdChanged.connect(self._focus_first_field)
        self.button(QWizard.WizardButton.CommitButton).installEventFilter(self)
        self._dirty = False
        self.changed.connect(self._mark_dirty)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._keep_focus_visible)

    # --- the desk's clock, in the pack's zone ------------------------------------------------------

    def now(self) -> dt.datetime:
        """Now on the desk's clock, in the zone of the pack the wizard opened with."""
        return self.pack.local_time(self.desk.clock())

    def local_time(self, moment: dt.datetime) -> dt.datetime:
        return self.pack.local_time(moment)

    def _keep_focus_visible(self, _old: QWidget | None, new: QWidget | None) -> None:
        """A page scrolls to the field that takes the focus (Tab never leaves the officer looking elsewhere)."""
        if new is None:
            return
        widget: QWidget | None = new
        while widget is not None and widget is not self:
            parent = widget.parentWidget()
            if isinstance(parent, QWidget) and isinstance(parent.parentWidget(), QScrollArea):
                area = cast(QScrollArea, parent.parentWidget())
                if not isinstance(new, QAbstractScrollArea) or new.height() < area.viewport().height():
                    area.ensureWidgetVisible(new)
                return
            widget = parent

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """A held Return never records: on the response page its repeats are dropped, so Return held from
        page 1 goes on page by page and stops there, until the officer presses it again."""
        if _held_return(event) and self.currentId() == PAGE_DECISION:
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.button(QWizard.WizardButton.CommitButton) and event.type() == QEvent.Type.KeyPress:
            if _held_return(cast(QKeyEvent, event)):
                return True  # Record case with the keyboard on it: a held Return does not press it either
        return super().eventFilter(watched, event)

    def _focus_first_field(self, page_id: int) -> None:
        """Each page starts with the keyboard in its first field, so what is typed after Next lands there (a page
        that counts what is on screen, the response, counts it first)."""
        page = self.page(page_id)
        settle = getattr(page, "settle", None)
        if callable(settle):
            settle()
        first = getattr(page, "first_field", None)
        field = first() if callable(first) else None
        if isinstance(field, QWidget) and field.isVisibleTo(self):
            field.setFocus(Qt.FocusReason.TabFocusReason)

    def set_amend_case(self, case_number: str) -> None:
        """Amend that case instead of recording a new one (the officer chose to, on the decision page)."""
        self.amend_case = case_number
        self.setWindowTitle(f"Amend case {case_number}")
        self.changed.emit()

    def discard_quietly(self) -> None:
        """Close without asking (the main window has asked already, when the app quits)."""
        self._quiet_close = True
        self.reject()

    def _mark_dirty(self) -> None:
        self._dirty = True

    @property
    def has_answers(self) -> bool:
        return self._dirty and self.saved is None

    # --- answers in and out (the contract's intake, as a plain dict) ----------------------------

    def answers(self) -> dict[str, Any]:
        """Every page's answers as typed, as a contract intake (it may not be complete or valid yet)."""
        data: dict[str, Any] = {}
        for page in (self.received_page, self.documents_page, self.person_page, self.request_page):
            data.update(page.answers())
        return data

    def intake_data(self) -> dict[str, Any]:
        """The answers so far as a contract intake, the relay question's answer applied by the desk.

        While the answers cannot be read yet (a page not filled in), the answer is applied once they can;
        drafts keep the answers as typed either way.
        """
        data = self.answers()
        relay = self.request_page.relay_answer()
        if relay is None:
            return data
        typed = DeskOp(self, "reading the answers", lambda: self.desk.read_intake(data)).on_failure(_quiet).run()
        if typed is None:
            return data
        before, after = typed.to_dict(), answer_relay(typed, relay).to_dict()
        data.update({key: value for key, value in after.items() if before.get(key) != value})
        return data

    def intake(self) -> Intake:
        """The intake, read and checked by the desk (IntakeError names the field), the relay answer applied."""
        return self.desk.read_intake(self.intake_data())

    def load(self, data: dict[str, Any], *, keep_received: bool = False) -> None:
        """Fill the pages from a (possibly partial) intake: a preset, a saved draft or a case to amend."""
        self.received_page.load(data, keep_received=keep_received)
        self.documents_page.load(data)
        self.person_page.load(data)
        self.request_page.load(data)

    def preset(self, name: str) -> dict[str, Any]:
        """The intake fields the pack's preset of that name fills."""
        return next(dict(p.intake) for p in self.guidance.presets if p.name == name)

    # --- navigation and recording ---------------------------------------------------------------

    def go_to(self, page_id: int) -> None:
        """Go back to an earlier page (QWizard keeps every answer on the way)."""
        while self.currentId() > page_id and self.currentId() != -1:
            self.back()

    def record(self, decided: Decided, override: Override | None, amend_reason: str, confirmed: set[str]) -> bool:
        """Record the case (or the amendment) with its scans, all in one transaction: all or nothing.

        `confirmed` are the desk's checks the officer said Yes to; the desk refuses any other.
        """
        desk, session, scans = self.desk, self.session, self.documents_page.scans

        def record() -> CaseVersion:
            if self.amend_case is None:
                return desk.cases.record(session, decided, override=override, scans=scans, confirmed=confirmed)
            return desk.cases.amend(
                session,
                self.amend_case,
                decided,
                reason=amend_reason,
                override=override,
                scans=scans,
                confirmed=confirmed,
            )

        saved = DeskOp(
            self,
            "recording",
            record,
            title="The case could not be recorded",
            after="Your answers are kept; try again, or call IT if it keeps happening.",
        ).run()
        if saved is None:
            return False  # nothing typed is lost: the wizard stays on this page with every answer
        self.saved = saved
        self.recorded.emit(saved.case_number)
        QTimer.singleShot(0, self.changed.emit)
        return True

    def reject(self) -> None:
        if self.has_answers and not self._quiet_close:
            if not confirm(
                self,
                "Close the request?",
                "The request is not recorded. Close it anyway? (It stays saved as a draft you can resume.)",
            ):
                return
        super().reject()


def _held_return(event: QKeyEvent) -> bool:
    return event.isAutoRepeat() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _quiet(_exc: BaseException) -> None:
    """Answers that cannot be read yet are not an error while the officer is still typing them."""
