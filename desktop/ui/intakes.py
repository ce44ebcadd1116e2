"""The main window's intakes: the wizard open now, and the signed-in officer's unfinished requests (drafts).

A request is saved as a draft as it is typed (a crash or a power cut loses nothing); recording it
removes only its own draft; nothing else removes one but the officer's Discard. Drafts belong to
the signed-in account, so a second officer at the same PC never sees the first one's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from desktop.rules import labels
from desktop.ui.drafts import Draft, DraftStore
from desktop.ui.messages import confirm, tell
from desktop.ui.ops import DeskOp

if TYPE_CHECKING:
    from desktop.desk import Session
    from desktop.ui.intake import IntakeWizard
    from desktop.ui.main_window import MainWindow

SAVE_AFTER_MS = 400  # a draft is written this long after the last change, not on every key


class Intakes(QObject):
    """Starts, resumes and records the window's intakes, and keeps each one's draft."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.wizard: IntakeWizard | None = None
        self.drafts = self._drafts_of(window.session)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_AFTER_MS)
        self._timer.timeout.connect(self.save_draft)

    def _drafts_of(self, session: Session | None) -> DraftStore:
        desk = self._window.desk
        return DraftStore(desk.data_dir, clock=desk.clock, owner=session.username if session else None)

    def signed_in(self, session: Session) -> None:
        """Another officer took the desk: their own drafts from now on."""
        self.drafts = self._drafts_of(session)
        self.offer_drafts()

    def close_for_takeover(self) -> None:
        """The officer leaves the desk: the open request (shown, or hidden by the lock) is kept as their own
        draft, and its wizard closed without a question to the next officer."""
        wizard = self.wizard
        if wizard is not None:
            self._timer.stop()
            self.save_draft()
            wizard.discard_quietly()
        self.wizard = None

    @property
    def open(self) -> bool:
        return self.wizard is not None and self.wizard.isVisible()

    # --- starting --------------------------------------------------------------------------------

    def start(
        self, prefill: dict[str, Any] | None = None, *, amend_case: str | None = None, draft_id: str | None = None
    ) -> IntakeWizard | None:
        """The intake wizard (a new request, a case to amend, or a draft resumed); the open one if there is one."""
        window = self._window
        session = window.session
        if session is None:
            return None
        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.raise_()
            self.wizard.activateWindow()
            return self.wizard
        desk = window.desk
        from desktop.ui.intake import IntakeWizard  # the wizard loads with the first request, not at start

        def open_wizard() -> IntakeWizard:
            action = "cases.amend" if amend_case else "cases.record"
            desk.admit(session, action)  # an account that cannot record is told now, not at Record
            return IntakeWizard(
                desk=desk, session=session, pack=desk.active_pack(), amend_case=amend_case, parent=window
            )

        wizard = DeskOp(window, "opening the intake", open_wizard, title="New request").run()
        if wizard is None:
            return None
        wizard.draft_id = draft_id or self.drafts.new_id()
        if prefill:
            wizard.load(prefill, keep_received=amend_case is None and "received_at" not in prefill)
        wizard.changed.connect(self._changed)
        wizard.recorded.connect(self._recorded)
        wizard.finished.connect(lambda _result: self.offer_drafts())
        menus = window.menus
        wizard.addActions([menus.quit_action, menus.guide_action])  # Ctrl+Q and F1 work in the intake too
        self.wizard = wizard
        wizard.show()
        return wizard

    def amend_case(self, case_number: str) -> IntakeWizard | None:
        """The wizard, filled with the case's current version, to record a new version of it."""
        window = self._window
        session = window.session
        if session is None:
            return None
        record = DeskOp(
            window, "reading the case", lambda: window.desk.cases.open(session, case_number, audit=False)
        ).run()
        if record is None:
            return None
        return self.start(record.current.intake.to_dict(), amend_case=case_number)

    # --- drafts ----------------------------------------------------------------------------------

    def _changed(self) -> None:
        """Every change is in the draft file at once (a process killed a moment later loses nothing); the draft
        is made durable on disk a moment after the last change (a power cut loses at most that moment)."""
        self.save_draft(durable=False)
        self._timer.start()

    def save_draft(self, *, durable: bool = True) -> None:
        wizard = self.wizard
        if wizard is None or wizard.saved is not None or wizard.draft_id is None:
            return
        draft_id, answers, amending = wizard.draft_id, wizard.intake_data(), wizard.amend_case
        saving = DeskOp(
            self._window,
            "saving the draft",
            lambda: self.drafts.save(draft_id, answers, amend_case=amending, durable=durable),
        )
        saving.on_failure(self._not_saved).run()

    def _not_saved(self, exc: BaseException) -> None:
        """Said in the status bar: the officer keeps typing, and the draft is tried again at the next change."""
        self._window.statusBar().showMessage(f"The draft could not be saved: {exc}", 8000)

    def _recorded(self, case_number: str) -> None:
        self._timer.stop()
        if self.wizard is not None and self.wizard.draft_id is not None:
            self.drafts.remove(self.wizard.draft_id)  # this request's own draft only
        self._window.statusBar().showMessage(f"Recorded case {case_number}", 10000)

    def describe(self, draft: Draft) -> str:
        """A draft in a line: when it was saved (on the desk's clock), its papers and what was asked (so drafts
        begun before a booking number was typed still differ), its booking number, name and case."""
        pack = self._window.pack
        saved = pack.local_time(draft.saved_at) if pack is not None else draft.saved_at.astimezone()
        bits = [f"saved {saved:%a %d %b %H:%M}"]
        papers = [str(p.get("kind")) for p in draft.intake.get("documents") or () if isinstance(p, dict)]
        bits.append(" + ".join(k.replace("_", " ") for k in papers) if papers else "no paper")  # I-247A + I-200
        asked = [labels.ACTION.get(str(a), str(a)).split(" (")[0].lower() for a in draft.intake.get("actions") or ()]
        if asked:
            bits.append(f"asks: {' and '.join(asked)}")  # asks: hold the person and notify of release
        bits.append(f"booking {draft.booking_number}" if draft.booking_number else "no booking number yet")
        if draft.name:
            bits.append(draft.name)
        if draft.amend_case:
            bits.append(f"amending case {draft.amend_case}")
        return ", ".join(bits)

    def offer_drafts(self) -> None:
        """Every unfinished request of the signed-in officer on Home, newest first (none before a sign-in)."""
        drafts = self.drafts.list() if self._window.session is not None else []
        self._window.home.show_drafts([(d.id, self.describe(d)) for d in drafts])

    def resume_draft(self, draft_id: str | None = None) -> IntakeWizard | None:
        draft_id = draft_id or self._window.home.selected_draft()
        draft = self.drafts.load(draft_id) if draft_id else None
        if draft is None:
            return None
        if self.wizard is not None and self.wizard.isVisible() and self.wizard.draft_id != draft.id:
            tell(self._window, "Resume", "Finish or close the request that is open first.")
            return None
        return self.start(draft.intake, amend_case=draft.amend_case, draft_id=draft.id)

    def discard_draft(self, draft_id: str | None = None) -> bool:
        draft_id = draft_id or self._window.home.selected_draft()
        if not draft_id:
            return False
        if self.wizard is not None and self.wizard.isVisible() and self.wizard.draft_id == draft_id:
            tell(self._window, "Discard", "That request is open: close it first.")
            return False
        if not confirm(
            self._window,
            "Discard the unfinished request?",
            "Discard this unfinished request? What was typed in it is deleted; nothing was recorded.",
        ):
            return False
        self.drafts.remove(draft_id)
        self.offer_drafts()
        return True

    def quit_asked(self) -> bool:
        """When the app quits mid-intake: asked once (the draft is saved first); whether to quit."""
        wizard = self.wizard
        if wizard is None or not wizard.isVisible() or not wizard.has_answers:
            return True
        self.save_draft()
        if not confirm(self._window, "Quit?", "A request is not recorded yet. Quit anyway? It stays saved as a draft."):
            return False
        wizard.discard_quietly()  # asked once: the wizard does not ask again
        return True
