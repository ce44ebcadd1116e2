"""Run in a fresh process (the scale factor is read when QApplication starts): does every window fit the screen?

Prints one JSON document: the screen's available geometry and every problem found (empty when all fits).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QAbstractButton, QApplication, QScrollArea, QWidget

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.demo import DEMO_PASSWORD, fill_demo_log  # noqa: E402
from desktop.desk import Desk  # noqa: E402
from desktop.ui.app import make_application  # noqa: E402
from desktop.ui.intake import PAGE_RECORDED  # noqa: E402
from desktop.ui.main_window import VIEW_LOG, VIEW_REVIEW, MainWindow  # noqa: E402


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


def inside_scroll_area(widget: QWidget, top: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def check(top: QWidget, where: str, screen: QRect, problems: list[str]) -> None:
    QApplication.processEvents()
    if not screen.contains(top.frameGeometry()):
        problems.append(f"{where}: the window {top.frameGeometry()} is not inside the screen {screen}")
    for button in top.findChildren(QAbstractButton):
        if not button.isVisibleTo(top) or button.window() is not top:
            continue
        area = inside_scroll_area(button, top)
        rect = global_rect(area.viewport()) if area is not None else global_rect(button)
        if not screen.contains(rect):
            problems.append(f"{where}: {button.text() or button.accessibleName()!r} at {rect} is off the screen")


def main() -> None:
    app = make_application()
    folder = Path(tempfile.mkdtemp(prefix="safedesk-fit-"))
    desk = Desk(folder / "data", clock=lambda: dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC))
    fill_demo_log(desk, count=12)
    settings = QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)
    session = desk.people.sign_in("demo.martin", DEMO_PASSWORD)  # OFC. R. MARTIN #1147, an officer
    window = MainWindow(desk=desk, settings=settings, session=session)
    window.show()
    window.finish_start()
    screen = window.screen().availableGeometry()
    problems: list[str] = []
    check(window, "home", screen, problems)
    if not screen.contains(global_rect(window.statusBar())):
        problems.append("the status bar is off the screen")
    for view, name in ((VIEW_LOG, "case log"), (VIEW_REVIEW, "review queue")):
        window.show_view(view)
        check(window, name, screen, problems)
        table = (window._log_view if view == VIEW_LOG else window._review_view.log).table  # type: ignore[union-attr]
        header = table.horizontalHeader()
        if header.length() > table.viewport().width() + 1:
            problems.append(f"{name}: the columns ({header.length()} px) are wider than the table")
    preset = dict(desk.active_pack().guidance.presets[0].intake)
    wizard = window.start_intake(preset)
    assert wizard is not None
    wizard.person_page.booking.setText("26-009999")
    for page_id in range(PAGE_RECORDED + 1):
        check(wizard, f"wizard page {page_id + 1}", screen, problems)
        if page_id < PAGE_RECORDED:
            wizard.next()
    if wizard.currentId() != PAGE_RECORDED:
        problems.append(f"the wizard stopped on page {wizard.currentId() + 1}")
    dialog = window.open_case(desk.cases.search(session, limit=1)[0].case_number)
    assert dialog is not None
    for tab in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(tab)
        check(dialog, f"case view tab {tab + 1}", screen, problems)
    window.show_help()
    check(window._help_dialog, "help", screen, problems)
    print(json.dumps({"screen": [screen.width(), screen.height()], "problems": problems}))
    wizard.discard_quietly()
    window.close()
    app.quit()


if __name__ == "__main__":
    main()
