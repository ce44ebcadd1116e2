"""Page 5 of the intake: every answer, grouped by the page it was typed on, each with a way back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget, QWizard, QWizardPage

from desktop import present
from desktop.ui.intake.layout import scrolling
from desktop.ui.intake.pages import PAGE_DOCUMENTS, PAGE_PERSON, PAGE_RECEIVED, PAGE_REQUEST
from desktop.ui.ops import DeskOp
from desktop.ui.widgets import FieldError

if TYPE_CHECKING:
    from desktop.ui.intake.wizard import IntakeWizard


class ReviewPage(QWizardPage):
    """5. Every answer grouped by page, each group with a way back to change it."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("5. Check the answers")
        self.setSubTitle("Change anything with its Edit button; nothing you entered is lost going back.")
        self._wizard = wizard
        self.layout_ = QVBoxLayout(scrolling(self))
        self.groups: dict[int, QLabel] = {}
        self.edit_buttons: dict[int, QPushButton] = {}
        for page_id, title, button_text in (
            (PAGE_RECEIVED, "The request received", "Edit the re&quest received"),
            (PAGE_DOCUMENTS, "The papers", "Edit the &papers"),
            (PAGE_PERSON, "The person", "Edit the per&son"),
            (PAGE_REQUEST, "What is asked", "Edit &what is asked"),
        ):
            box = QGroupBox(title)
            row = QHBoxLayout(box)
            text = QLabel()
            text.setWordWrap(True)
            text.setAccessibleName(f"Answers: {title}")
            button = QPushButton(button_text)
            button.setAccessibleName(f"Edit {title.lower()}")
            button.clicked.connect(lambda _checked=False, p=page_id: wizard.go_to(p))
            row.addWidget(text, 1)
            row.addWidget(button)
            self.layout_.addWidget(box)
            self.groups[page_id] = text
            self.edit_buttons[page_id] = button
        self.error = FieldError("Answers")
        self.layout_.addWidget(self.error)
        self.layout_.addStretch()

    def first_field(self) -> QWidget:
        """Nothing to type here: the keyboard is on Next (Return goes on to the response)."""
        return self._wizard.button(QWizard.WizardButton.NextButton)

    def initializePage(self) -> None:
        # The same rows the case view, the memo and `show` print (desktop/present.py), a group per page.
        self.error.clear()
        intake = DeskOp(self, "reading the answers", self._wizard.intake).on_failure(self._unreadable).run()
        if intake is None:
            return
        sections = present.request_sections(intake)
        pages = (PAGE_RECEIVED, PAGE_DOCUMENTS, PAGE_PERSON, PAGE_REQUEST)
        lines: dict[int, list[str]] = {page: [] for page in pages}
        for index, section in enumerate(sections):
            page = pages[min(index, len(pages) - 1)]  # the notes are typed on the last page
            lines[page] += [f"{row.label}: {row.value}" for row in section.rows if row.label != "Notes"]
            lines[page] += [f"Notes: {row.value[:300]}" for row in section.rows if row.label == "Notes"]
        relay = self._wizard.request_page.relay_answer()
        if relay in ("yes", "unsure"):
            lines[PAGE_REQUEST].append(
                "They mentioned ICE, DHS or a detainer" if relay == "yes" else "A relay is not ruled out"
            )
        for page in pages:
            self.groups[page].setText("\n".join(lines[page]))

    def _unreadable(self, exc: BaseException) -> None:
        """An answer the rules cannot read yet (the pages let it through): said here, and again on the next page."""
        for group in self.groups.values():
            group.clear()
        self.error.show_error(f"The answers cannot be read yet: {exc}")
