"""Scans are shown inside the app (issue 14): a PDF's pages and a picture's, turned and zoomed by keyboard,
and nothing written to disk or handed to another program; names stored before they were cleaned show safely."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication

from desktop.ui import temporary_files
from desktop.ui.scan_view import ScanView, scan_pngs
from tests.gui.test_wizard import S01


def page(text: str, colour: str = "black") -> Image.Image:
    image = Image.new("RGB", (850, 1100), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 790, 200), outline="black", width=4)
    draw.text((90, 110), text, fill=colour, font_size=40)
    for y in range(260, 1000, 50):
        draw.line((80, y, 770, y), fill="gray", width=3)
    return image


def two_page_pdf(folder: Path) -> Path:
    path = folder / "fax.pdf"
    page("DETAINER NOTICE, page 1").save(path, save_all=True, append_images=[page("page 2")], resolution=100)
    return path


def attachments_tab(dialog) -> None:
    tab = next(i for i in range(dialog.tabs.count()) if dialog.tabs.tabText(i).startswith("Attac&hments"))
    dialog.tabs.setCurrentIndex(tab)


@pytest.fixture
def no_system_viewer(monkeypatch):
    """Nothing may be handed to the system's viewer: any call is recorded, and the test fails on it."""
    handed: list[Path] = []
    monkeypatch.setattr("desktop.ui.case_view.open_file", lambda _parent, path: handed.append(path) or True)
    return handed


def test_a_scan_opens_in_the_app_and_is_read_by_keyboard(qtbot, window, desk, tmp_path, no_system_viewer) -> None:
    saved = desk.cases.record(window.actor, desk.decide(S01), scans=[two_page_pdf(tmp_path)])
    dialog = window.open_case(saved.case_number)
    qtbot.addWidget(dialog)
    attachments_tab(dialog)
    dialog.attachment_list.setFocus()
    qtbot.keyClick(dialog.attachment_list, Qt.Key.Key_Return)
    view = dialog.scan_dialog
    assert isinstance(view, ScanView) and view.isVisible()
    assert no_system_viewer == [] and temporary_files.tracked() == []  # no copy on disk, no other program
    assert view.page_count == 2 and view.index == 0 and view.fit_width
    assert "Page 1 of 2" in view.page_label.text() and "fax.pdf" in view.windowTitle()
    first = view.picture.pixmap().toImage()
    assert first.width() > 300 and first.pixelColor(first.width() // 2, first.height() // 2).lightness() > 200
    qtbot.keyClick(view.page_area, Qt.Key.Key_PageDown)
    assert view.index == 1 and "Page 2 of 2" in view.page_label.text()
    qtbot.keyClick(view.page_area, Qt.Key.Key_PageDown)
    assert view.index == 1  # no page after the last
    qtbot.keyClick(view.page_area, Qt.Key.Key_PageUp)
    assert view.index == 0
    fitted = view.picture.pixmap().width()
    qtbot.keyClick(view.page_area, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert not view.fit_width and view.picture.pixmap().width() > fitted
    qtbot.keyClick(view.page_area, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.page_area, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.picture.pixmap().width() < fitted
    qtbot.keyClick(view.page_area, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.fit_width and view.picture.pixmap().width() == fitted
    buttons = view.findChildren(QAbstractButton)
    assert buttons and all(b.accessibleName() for b in buttons)
    assert view.grab().save(str(tmp_path / "scan-view.png"))
    qtbot.keyClick(view.page_area, Qt.Key.Key_Escape)
    assert not view.isVisible()
    # The double-click (or Enter) path and the button show the same viewer.
    dialog.attachment_list.itemActivated.emit(dialog.attachment_list.item(0))
    assert dialog.scan_dialog is not view and dialog.scan_dialog.isVisible()
    dialog.scan_dialog.reject()


def test_every_page_of_a_picture_is_shown(qtbot, window, desk, tmp_path) -> None:
    tiff = tmp_path / "pages.tif"
    page("page 1").save(tiff, save_all=True, append_images=[page("page 2").convert("L"), page("page 3", "red")])
    photo = tmp_path / "id.jpg"
    page("a photo of the notice").rotate(90, expand=True).save(photo, quality=85)
    saved = desk.cases.record(window.actor, desk.decide(S01), scans=[tiff, photo])
    dialog = window.open_case(saved.case_number)
    qtbot.addWidget(dialog)
    attachments_tab(dialog)
    views = []
    for row in range(2):
        dialog.attachment_list.setCurrentRow(row)
        qtbot.keyClick(dialog.attachment_list, Qt.Key.Key_Return)
        views.append(dialog.scan_dialog)
    assert [v.page_count for v in views] == [3, 1]
    views[0].show_page(2)
    shown = views[0].picture.pixmap().toImage()
    assert shown.width() > 300 and "Page 3 of 3" in views[0].page_label.text()
    assert views[1]._image.width() == 1100 and views[1]._image.height() == 850  # the photo as it was taken
    for view in views:
        view.reject()


def test_a_name_stored_before_names_were_cleaned_is_shown_on_one_line(qtbot, window, desk, tmp_path) -> None:
    saved = desk.cases.record(window.actor, desk.decide(S01), scans=[two_page_pdf(tmp_path)])
    raw = sqlite3.connect(desk.data_dir / "cases.db")
    triggers = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'attachments'")
    kept = triggers.fetchall()
    for name, _sql in kept:
        raw.execute(f"DROP TRIGGER {name}")
    raw.execute("UPDATE attachments SET filename = ?", ["fax.pdf\nforged line\x1b[2J\u202e.pdf"])
    for _name, sql in kept:
        raw.execute(sql)
    raw.commit()
    raw.close()
    dialog = window.open_case(saved.case_number)
    qtbot.addWidget(dialog)
    text = dialog.attachment_list.item(0).text()
    assert text.startswith("fax.pdf\\nforged line\\x1b[2J\\u202e.pdf (application/pdf")
    assert "\n" not in text and "\x1b" not in text
    attachments_tab(dialog)
    qtbot.keyClick(dialog.attachment_list, Qt.Key.Key_Return)
    view = dialog.scan_dialog
    assert "\n" not in view.windowTitle() and "\n" not in view.page_label.text() and view.page_count == 2
    view.reject()


def test_the_keys_work_with_the_focus_on_a_button(qtbot, desk, tmp_path) -> None:
    content = two_page_pdf(tmp_path).read_bytes()
    view = ScanView(pages=scan_pngs(content, "application/pdf"), name="fax.pdf", case_number="2026-000001", pdf=True)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    view.fit_button.setFocus()
    qtbot.keyClick(view.fit_button, Qt.Key.Key_PageDown)
    assert view.index == 1
    fitted = view.zoom
    qtbot.keyClick(view.fit_button, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert not view.fit_width and view.zoom > fitted
    qtbot.keyClick(view.fit_button, Qt.Key.Key_Escape)
    assert not view.isVisible()
