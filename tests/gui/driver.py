"""Drive the intake wizard with the keyboard, the way an officer would: Tab, arrows, Space, typing, Enter."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QListWidget, QPlainTextEdit, QWidget

from desktop.ui.intake import IntakeWizard
from desktop.ui.widgets import CheckList


def type_into(qtbot: Any, widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(widget, text)


def choose(qtbot: Any, combo: QComboBox, value: str) -> None:
    """Select a value with Home and Down, as from the keyboard."""
    target = combo.findData(value)
    assert target >= 0, value
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(target):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentIndex() == target, (value, combo.currentIndex())


def tick(qtbot: Any, checklist: CheckList, values: list[str]) -> None:
    """Move to each value with the arrow keys and press Space."""
    checklist.setFocus()
    for row in range(checklist.count()):
        item = checklist.item(row)
        wanted = item.data(Qt.ItemDataRole.UserRole) in values
        if row == 0:
            checklist.setCurrentRow(0)
        else:
            qtbot.keyClick(checklist, Qt.Key.Key_Down)
        if (item.checkState() == Qt.CheckState.Checked) != wanted:
            qtbot.keyClick(checklist, Qt.Key.Key_Space)
    assert sorted(checklist.values()) == sorted(values)


def press_button(qtbot: Any, button: QWidget) -> None:
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def enter(qtbot: Any, wizard: IntakeWizard) -> None:
    """Enter goes forward: the wizard's default button."""
    focus = QApplication.focusWidget()
    target = focus if isinstance(focus, QLineEdit) and focus.window() is wizard else wizard
    qtbot.keyClick(target, Qt.Key.Key_Return)


def fill(qtbot: Any, wizard: IntakeWizard, intake: dict[str, Any]) -> None:
    """Enter a contract intake into the wizard page by page, then stop on the decision page."""
    page = wizard.received_page
    received = wizard.desk.local_time(intake["received_at"])
    type_into(qtbot, page.received, received.strftime("%Y-%m-%d %H:%M"))  # typed, as an officer would
    choose(qtbot, page.channel, intake["channel"])
    choose(qtbot, page.requester, intake["requester"])
    if page.consent.isVisible() and page.consent.isChecked() != bool(intake.get("consent_confirmed")):
        press_button(qtbot, page.consent)
    type_into(qtbot, page.requester_name, intake.get("requester_name", ""))
    enter(qtbot, wizard)

    docs = wizard.documents_page
    assert wizard.currentPage() is docs
    for document in intake.get("documents", []):
        choose(qtbot, docs.kind, document["kind"])
        choose(qtbot, docs.signer, document.get("signer", "unknown"))
        type_into(qtbot, docs.signer_name, document.get("signer_name") or "")
        type_into(qtbot, docs.edition, document.get("edition") or "")
        if docs.verified.isChecked() != bool(document.get("verified")):
            press_button(qtbot, docs.verified)
        if docs.cancels.isChecked() != bool(document.get("cancels_prior")):
            press_button(qtbot, docs.cancels)
        press_button(qtbot, docs.add_button)
    assert docs.list.count() == len(intake.get("documents", []))
    wizard.next()

    person = wizard.person_page
    assert wizard.currentPage() is person
    subject = intake["subject"]
    type_into(qtbot, person.booking, subject.get("booking_number") or "")
    type_into(qtbot, person.name, subject.get("name") or "")
    choose(qtbot, person.custody, subject["custody"])
    tick(qtbot, person.blockers, subject.get("release_blockers", []))
    if person.minor.isChecked() != bool(subject.get("minor")):
        press_button(qtbot, person.minor)
    person.name.setFocus()
    enter(qtbot, wizard)

    request = wizard.request_page
    assert wizard.currentPage() is request
    tick(qtbot, request.asked, intake["actions"])
    if intake.get("info"):
        tick(qtbot, request.info, intake["info"])
    choose(qtbot, request.purpose, intake.get("purpose", "civil_immigration"))
    if request.relay_asked():  # the intake says who asked and why: no relay to unmask
        choose(qtbot, request.relay, "no")
    choose(qtbot, request.benefit, intake.get("benefit", "none"))
    if request.mandatory.isChecked() != bool(intake.get("claims_mandatory")):
        press_button(qtbot, request.mandatory)
    if request.public_records.isChecked() != bool(intake.get("public_records_request")):
        press_button(qtbot, request.public_records)
    type_into(qtbot, request.notes, intake.get("notes", ""))
    wizard.next()
    assert wizard.currentPage() is wizard.review_page
    wizard.next()
    assert wizard.currentPage() is wizard.decision_page


def list_texts(widget: QListWidget) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())]
