"""Run in a fresh process (the scale factor is read when QApplication starts): does every window fit the screen?

Every top-level window and dialog the desk opens is shown in turn: the main window's views, the intake, a case
(a resolved referral too), help, reports with a report shown, the memo preview, the audit log, accounts and their
form, the passphrase, outcome, sign-in, set-up and lock dialogs, and a scan. Prints one JSON document: the
screen's available geometry, every problem found (empty when all fits) and the windows looked at. With
FIT_SHOTS set to a folder, each window is also grabbed to a PNG there, for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QBuffer, QEventLoop, QRect, QSettings, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QScrollArea, QWidget

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.demo import DEMO_ADMIN, DEMO_PASSWORD, fill_demo_log  # noqa: E402
from desktop.desk import Desk  # noqa: E402
from desktop.desk.paper import page_pngs  # noqa: E402
from desktop.store import CaseQuery  # noqa: E402
from desktop.ui.app import make_application  # noqa: E402
from desktop.ui.audit_view import AuditDialog  # noqa: E402
from desktop.ui.enrol import EnrolDialog  # noqa: E402
from desktop.ui.intake import PAGE_DECISION, PAGE_RECORDED  # noqa: E402
from desktop.ui.lock import LockScreen  # noqa: E402
from desktop.ui.main_window import VIEW_LOG, VIEW_POLICY, VIEW_REVIEW, MainWindow  # noqa: E402
from desktop.ui.notice import NoticePreview  # noqa: E402
from desktop.ui.passphrase import PassphraseDialog  # noqa: E402
from desktop.ui.printing import PREVIEW_DPI, images, open_preview  # noqa: E402
from desktop.ui.review import OutcomeDialog  # noqa: E402
from desktop.ui.scan_view import ScanView  # noqa: E402
from desktop.ui.signin import SetupDialog, SignInDialog  # noqa: E402
from desktop.ui.users_view import AccountForm, UsersDialog  # noqa: E402

SHOTS = os.environ.get("FIT_SHOTS", "")
LOOKED_AT: list[str] = []


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
    if not top.isVisible():
        top.show()
    QApplication.processEvents()
    QApplication.processEvents()
    LOOKED_AT.append(where)
    if SHOTS:
        name = "".join(c if c.isalnum() else "-" for c in where).strip("-")
        top.grab().save(str(Path(SHOTS) / f"{name}.png"))
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
        if page_id == PAGE_DECISION:
            draft = wizard.decision_page._preview()
            if draft is None:
                problems.append("the draft memo's preview did not open")
            else:
                check(draft, "draft memo preview", screen, problems)
                draft.close()
        if page_id < PAGE_RECORDED:
            wizard.next()
    if wizard.currentId() != PAGE_RECORDED:
        problems.append(f"the wizard stopped on page {wizard.currentId() + 1}")
    dialog = window.open_case(desk.cases.search(session, limit=1)[0].case_number)
    assert dialog is not None
    for tab in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(tab)
        check(dialog, f"case view tab {tab + 1}", screen, problems)
    dialog.close()
    window.show_view(VIEW_POLICY)
    check(window, "policy", screen, problems)
    resolved = desk.cases.search(session, CaseQuery(status="resolved"), limit=1)
    if not resolved:
        problems.append("the demo log has no resolved referral to look at")
    else:
        case = window.open_case(resolved[0].case_number)
        assert case is not None
        check(case, "resolved case decision tab", screen, problems)
        case.close()
    window.show_help()
    check(window._help_dialog, "help", screen, problems)
    window._help_dialog.close()  # type: ignore[union-attr]
    reports = window.open_reports()
    assert reports is not None
    check(reports, "reports", screen, problems)
    made = reports.show_report()  # type: ignore[attr-defined]
    if made is not None:  # made in the background: wait for the pages
        loop = QEventLoop()
        made.finished.connect(loop.quit)
        QTimer.singleShot(60_000, loop.quit)
        loop.exec()
    check(reports, "reports with a report shown", screen, problems)
    reports.close()
    preview = open_preview(window, desk, session, desk.cases.search(session, limit=1)[0].case_number)
    if preview is None:
        problems.append("the memo preview did not open")
    else:
        check(preview, "memo preview", screen, problems)
        preview.close()
    first = desk.cases.search(session, limit=1)[0].case_number
    drawn = desk.paper.draw_notice(session, first, "pt_BR")
    notice = NoticePreview(
        desk=desk, session=session, drawn=drawn, pages=images(page_pngs(drawn.pdf, dpi=PREVIEW_DPI)), parent=window
    )
    check(notice, "notice preview", screen, problems)
    notice.close()
    admin = desk.people.sign_in(DEMO_ADMIN, DEMO_PASSWORD)
    audit = AuditDialog(desk=desk, session=admin, parent=window)
    check(audit, "audit log", screen, problems)
    audit.close()
    users = UsersDialog(desk=desk, session=admin, parent=window)
    check(users, "accounts", screen, problems)
    users.close()
    image = QImage(1700, 2200, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    queued = desk.cases.review_queue(session, limit=1)[0].case_number
    others: list[tuple[QDialog, str]] = [
        (AccountForm(title="Add an account", parent=window), "account form"),
        (PassphraseDialog(target=str(folder / "copy.sqlite"), parent=window), "passphrase"),
        (OutcomeDialog(queued, window, question=window._review_view.log.model.question(queued)), "outcome"),  # type: ignore[union-attr]
        (SignInDialog(desk=desk, parent=window), "sign in"),
        (SetupDialog(desk=desk, parent=window), "set up"),
        (LockScreen(desk=desk, locked=session), "lock screen"),
        (EnrolDialog(desk=desk, session=session, required=True, parent=window), "second factor enrolment"),
        (ScanView(pages=[bytes(buffer.data())], name="warrant.png", case_number="2026-000001", parent=window), "scan"),
    ]
    for other, name in others:
        check(other, name, screen, problems)
        other.close()
    print(json.dumps({"screen": [screen.width(), screen.height()], "problems": problems, "looked_at": LOOKED_AT}))
    wizard.discard_quietly()
    window.close()
    app.quit()


if __name__ == "__main__":
    main()
