"""Printing and previewing a memo, offscreen: Qt's print dialog answered by the test, a PDF printer
(QPrinter.OutputFormat.PdfFormat) as the printer, and what it printed read back and checked against the log."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog

from desktop.records import EventKind
from tests.conftest import ROOT
from tests.gui.conftest import OFFICER

S01 = json.loads((ROOT / "tests" / "data" / "examples" / "S01.json").read_text(encoding="utf-8"))["intake"]
DOCS = ROOT / "docs" / "memo"


@pytest.fixture
def case(desk, officer) -> str:
    return desk.cases.record(officer, desk.decide(S01)).case_number


def memo_bytes(desk, session, case: str) -> bytes:
    """The case's memo as the log reproduces it now."""
    return desk.paper.memo_bytes(session, case)


def events(desk, session, case: str) -> list:
    return desk.cases.open(session, case, audit=False).events


def answer_print_dialog(monkeypatch, target: Path | None, *, copies: int = 1) -> list[QPrinter]:
    """The print dialog, answered: print to the PDF file `target` (None: cancel).

    Windows' print dialog opens only for an installed printer, and a PC with none (Wine has none) is refused before
    it (test_with_no_printer_installed_print_says_so_and_records_nothing).
    """
    if sys.platform == "win32" and not QPrinterInfo.availablePrinterNames():
        pytest.skip("Windows' print dialog needs an installed printer and this PC has none")
    seen: list[QPrinter] = []

    def exec_(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        seen.append(printer)
        if target is None:
            return QDialog.DialogCode.Rejected
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        printer.setCopyCount(copies)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    return seen


def prints(desk, session, case: str) -> list:
    return [e for e in events(desk, session, case) if e.kind == EventKind.PRINT]


def test_print_from_the_case_view_prints_the_memo_and_audits_it_once(
    qtbot, window, desk, case: str, monkeypatch, tmp_path: Path
) -> None:
    printed = tmp_path / "printed.pdf"
    seen = answer_print_dialog(monkeypatch, printed, copies=2)
    dialog = window.open_case(case)
    qtbot.addWidget(dialog)
    assert dialog.print_button.text() == "&Print…" and dialog.memo_button.text() == "Ope&n in viewer"
    memo_pages = len(PdfReader(io.BytesIO(memo_bytes(desk, window.session, case))).pages)
    dialog.print_memo()
    assert len(seen) == 1 and dialog.print_outcome.printed
    # what the printer got, read back: the memo's pages, as many copies as asked, letter size
    reader = PdfReader(printed)
    assert len(reader.pages) == memo_pages * (1 if seen[0].supportsMultipleCopies() else 2)
    for page in reader.pages:
        assert round(float(page.mediabox.width)) == 612 and round(float(page.mediabox.height)) == 792
    # a print is a picture of the paper: checked like a scan, its QR codes name this very record
    check = desk.paper.verify_memo(window.session, printed)
    assert check.matches and check.kind == "scan" and check.case_number == case
    entries = prints(desk, window.session, case)
    assert len(entries) == 1
    assert entries[0].detail == f"memo of version 1 printed on PDF file {printed}, 2 copies"
    assert entries[0].actor == OFFICER


@pytest.mark.windows_only(reason="Qt's own print dialog (Linux) takes a PDF printer; Windows' takes installed ones")
def test_with_no_printer_installed_print_says_so_and_records_nothing(
    qtbot, window, desk, case: str, message_boxes
) -> None:
    """What Qt gives a Windows PC with no printer installed: a PDF printer, which Windows' dialog refuses."""
    from desktop.ui.printing import print_memo

    dialog = window.open_case(case)
    qtbot.addWidget(dialog)
    pdf_printer = QPrinter()
    pdf_printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    before = len(events(desk, window.session, case))
    outcome = print_memo(dialog, desk, case, window.session, printer=pdf_printer)
    assert not outcome.printed and not outcome.cancelled and "no printer is installed" in outcome.problem
    assert message_boxes.shown[-1][:2] == ("warning", "Print")
    assert "The memo was not printed: no printer is installed on this PC" in message_boxes.shown[-1][2]
    assert len(events(desk, window.session, case)) == before and not prints(desk, window.session, case)


def test_a_cancelled_print_writes_no_audit_entry(qtbot, window, desk, case: str, monkeypatch) -> None:
    answer_print_dialog(monkeypatch, None)
    dialog = window.open_case(case)
    qtbot.addWidget(dialog)
    before = len(events(desk, window.session, case))
    dialog.print_memo()
    assert dialog.print_outcome.cancelled and not dialog.print_outcome.printed
    assert len(events(desk, window.session, case)) == before and not prints(desk, window.session, case)


@pytest.mark.qt_log_ignore("QPainter::begin")
def test_a_failed_print_says_why_and_writes_no_print_entry(
    qtbot, window, desk, case: str, monkeypatch, message_boxes, tmp_path: Path
) -> None:
    answer_print_dialog(monkeypatch, tmp_path / "no-such-folder" / "printed.pdf")
    dialog = window.open_case(case)
    qtbot.addWidget(dialog)
    dialog.print_memo()
    assert not dialog.print_outcome.printed and "could not be started" in dialog.print_outcome.problem
    assert message_boxes.shown[-1][:2] == ("warning", "Print")
    assert "The memo was not printed: the printer PDF file" in message_boxes.shown[-1][2]
    assert not prints(desk, window.session, case)


def test_the_preview_shows_the_pages_that_print_and_prints_those_bytes(
    qtbot, window, desk, case: str, monkeypatch, tmp_path: Path
) -> None:
    dialog = window.open_case(case)
    qtbot.addWidget(dialog)
    preview = dialog.preview()
    assert preview is not None
    qtbot.addWidget(preview)
    assert preview.pdf == memo_bytes(desk, window.session, case)  # the very PDF the log reproduces
    assert len(preview.page_labels) == len(PdfReader(io.BytesIO(preview.pdf)).pages) == 2
    assert preview.pages[0].width() == round(8.5 * 96) and preview.pages[0].height() == 11 * 96
    preview.resize(900, 1000)
    DOCS.mkdir(parents=True, exist_ok=True)
    assert preview.grab().save(str(DOCS / "preview-dialog.png"))
    printed = tmp_path / "from-preview.pdf"
    answer_print_dialog(monkeypatch, printed)
    outcome = preview.print_pages()
    assert outcome.printed and printed.exists()
    assert desk.paper.verify_memo(window.session, printed).case_number == case
    assert len(prints(desk, window.session, case)) == 1


def test_the_recorded_page_prints_previews_and_opens(
    qtbot, desk, officer, case: str, monkeypatch, tmp_path: Path
) -> None:
    from desktop.ui.intake import IntakeWizard

    wizard = IntakeWizard(desk=desk, session=officer)
    qtbot.addWidget(wizard)
    wizard.saved = desk.cases.open(officer, case, audit=False).current
    page = wizard.recorded_page
    assert [page.print_button.text(), page.preview_button.text(), page.open_button.text()] == [
        "&Print…",
        "Pre&view",
        "&Open in viewer",
    ]
    printed = tmp_path / "wizard.pdf"
    answer_print_dialog(monkeypatch, printed)
    page.print_button.click()
    assert page.print_outcome.printed and len(prints(desk, officer, case)) == 1
    page.preview_button.click()
    qtbot.addWidget(page.preview_dialog)
    assert len(page.preview_dialog.page_labels) == 2


def test_a_print_done_is_said_on_the_main_window(qtbot, window, case: str, monkeypatch, tmp_path: Path) -> None:
    """The walk found no word that the memo had printed: the status bar says what, how many and where."""
    answer_print_dialog(monkeypatch, tmp_path / "printed.pdf")
    dialog = window.open_case(case)
    qtbot.addWidget(dialog)
    dialog.print_memo()
    assert dialog.print_outcome.printed
    said = window.statusBar().currentMessage()
    assert said.startswith(f"Printed the memo of case {case}, version 1: 1 copy on "), said
    answer_print_dialog(monkeypatch, None)  # cancelled: nothing said
    window.statusBar().clearMessage()
    dialog.print_memo()
    assert window.statusBar().currentMessage() == ""
