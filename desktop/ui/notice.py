"""The notice to the person, from the window: a language chosen from the case's pack, the pages drawn in the
window, and Print… for exactly those bytes; the serving is a signed entry once the print succeeded.

The words, the languages and the audit are the desk's (desk.paper.notice_languages, draw_notice,
record_notice_print); this module only asks which language and shows and prints what the desk drew.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QInputDialog, QPushButton, QWidget

from desktop.desk.paper import page_pngs
from desktop.ui.messages import tell
from desktop.ui.ops import DeskOp
from desktop.ui.printing import PREVIEW_DPI, PagesPreview, PrintOutcome, images, pages_count, print_paper

if TYPE_CHECKING:
    from desktop.desk import Desk, Session
    from desktop.desk.results import DrawnNotice

TITLE = "Notice to the person"


def choose_language(parent: QWidget, languages: list[tuple[str, str]], case_number: str) -> str | None:
    """Which of the pack's languages the person reads (the first, the pack's own, by default); None: cancelled."""
    names = [words for _code, words in languages]
    chosen, ok = QInputDialog.getItem(
        parent, TITLE, f"The language the person reads (case {case_number}):", names, 0, False
    )
    if not ok:
        return None
    return next((code for code, words in languages if words == chosen), None)


def open_notice(parent: QWidget, desk: Desk, session: Session, case_number: str) -> NoticePreview | None:
    """Ask for the language, draw the notice of the case's current version, and show its pages with Print…;
    None when the pack gives no notice, the officer cancelled, or the desk refused (said once)."""
    languages = DeskOp(
        parent, "reading the notice's languages", lambda: desk.paper.notice_languages(session, case_number), title=TITLE
    ).run()
    if languages is None:
        return None
    if not languages:
        tell(parent, TITLE, "The policy pack this case was decided under gives no notice to the person.")
        return None
    language = choose_language(parent, languages, case_number)
    if language is None:
        return None
    drawn = DeskOp(
        parent, "drawing the notice", lambda: desk.paper.draw_notice(session, case_number, language), title=TITLE
    ).run()
    if drawn is None:
        return None
    pngs = DeskOp(
        parent, "drawing the notice's pages", lambda: page_pngs(drawn.pdf, dpi=PREVIEW_DPI), title=TITLE
    ).run()
    if pngs is None:
        return None
    return NoticePreview(desk=desk, session=session, drawn=drawn, pages=images(pngs), parent=parent)


class NoticePreview(PagesPreview):
    """The notice's pages as they will print, with Print… for exactly these bytes (then the serving's entry)."""

    def __init__(
        self, *, desk: Desk, session: Session, drawn: DrawnNotice, pages: list[QImage], parent: QWidget | None = None
    ) -> None:
        super().__init__(
            title=f"Notice to the person, case {drawn.case_number}, version {drawn.version}: {drawn.language_words}",
            pages=pages,
            summary=f"{pages_count(pages)}, exactly as they will print. Printed, it is served: the log says so.",
            parent=parent,
        )
        self._desk, self._session = desk, session
        self.drawn = drawn
        self.outcome: PrintOutcome | None = None
        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print this notice")
        self.buttons.insertWidget(1, self.print_button)
        self.print_button.clicked.connect(lambda: self.print_pages())
        self.print_button.setFocus()

    def print_pages(self, printer: QPrinter | None = None) -> PrintOutcome:
        drawn, desk, session = self.drawn, self._desk, self._session
        self.outcome = print_paper(
            self,
            drawn.pdf,
            what="notice",
            doc_name=f"Case {drawn.case_number} notice ({drawn.language}), version {drawn.version}",
            title=f"Print the notice of case {drawn.case_number}",
            audit=lambda name, copies: desk.paper.record_notice_print(session, drawn, printer=name, copies=copies),
            done=f"the notice of case {drawn.case_number} in {drawn.language_words}",
            printer=printer,
        )
        if self.outcome.printed:
            self.accept()
        return self.outcome
