"""Issue 13 (the officer's path at 2 a.m.) and issue 10's window: each blocker and major, so none comes back."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QMenuBar, QMessageBox, QTabBar, QWidget

from desktop.demo import fill_demo_log
from desktop.ui import temporary_files
from desktop.ui.intake import PAGE_DECISION, PAGE_DOCUMENTS, PAGE_PERSON, PAGE_RECORDED, PAGE_REQUEST
from desktop.ui.main_window import VIEW_HOME, VIEW_LOG, VIEW_POLICY, VIEW_REVIEW
from desktop.ui.when import WhenError, parse_when
from tests.gui.driver import choose, enter, fill, press_button, type_into
from tests.gui.test_wizard import S01

ZONE = dt.timezone(dt.timedelta(hours=-5))


def _open(window, qtbot, prefill=None):
    wizard = window.start_intake(prefill)
    qtbot.addWidget(wizard)
    return wizard


def _to(wizard, page_id: int) -> None:
    while wizard.currentId() < page_id:
        before = wizard.currentId()
        wizard.next()
        assert wizard.currentId() != before, f"stuck on page {before}"


# --- Blocker: a paper selected but not added is never dropped ------------------------------------


def test_next_stops_on_a_paper_not_added(qtbot, window) -> None:
    wizard = _open(window, qtbot)
    _to(wizard, PAGE_DOCUMENTS)
    docs = wizard.documents_page
    choose(qtbot, docs.kind, "AO-442")
    choose(qtbot, docs.signer, "federal_judge")
    press_button(qtbot, docs.verified)
    wizard.next()
    assert wizard.currentId() == PAGE_DOCUMENTS
    assert not docs.editor_error.isHidden() and "Add it or Clear it" in docs.editor_error.message
    press_button(qtbot, docs.add_button)
    wizard.next()
    assert wizard.currentId() == PAGE_PERSON
    assert wizard.intake_data()["documents"] == [
        {"kind": "AO-442", "signer": "federal_judge", "verified": True, "cancels_prior": False}
    ]


def test_an_i138_chosen_alone_also_stops_next_and_clear_lets_it_go(qtbot, window) -> None:
    wizard = _open(window, qtbot)
    _to(wizard, PAGE_DOCUMENTS)
    docs = wizard.documents_page
    choose(qtbot, docs.kind, "I-138")
    wizard.next()
    assert wizard.currentId() == PAGE_DOCUMENTS
    press_button(qtbot, docs.clear_button)
    wizard.next()
    assert wizard.currentId() == PAGE_PERSON and wizard.intake_data()["documents"] == []


def test_the_signer_starts_empty_or_follows_the_form_never_a_judge(qtbot, window) -> None:
    wizard = _open(window, qtbot)
    docs = wizard.documents_page
    assert docs.signer.value() == "" and docs.kind.value() == ""
    choose(qtbot, docs.kind, "I-247A")
    assert docs.signer.value() == "dhs_officer"
    choose(qtbot, docs.kind, "letter")
    assert docs.signer.value() == ""
    press_button(qtbot, docs.add_button)
    assert docs.list.count() == 0 and "who signed" in docs.editor_error.message


def test_an_added_paper_is_edited_in_place(qtbot, window) -> None:
    wizard = _open(window, qtbot, {"documents": [{"kind": "I-247A", "signer": "dhs_officer"}]})
    docs = wizard.documents_page
    docs.list.setCurrentRow(0)
    assert docs.editing == 0 and docs.add_button.text() == "&Update paper"
    type_into(qtbot, docs.edition, "03/17")
    type_into(qtbot, docs.signer_name, "SDDO, ICE ERO")
    press_button(qtbot, docs.verified)
    assert docs.pending()  # a change not saved stops Next too
    press_button(qtbot, docs.add_button)
    assert wizard.intake_data()["documents"] == [
        {
            "kind": "I-247A",
            "signer": "dhs_officer",
            "signer_name": "SDDO, ICE ERO",
            "edition": "03/17",
            "verified": True,
            "cancels_prior": False,
        }
    ]
    assert docs.list.count() == 1 and docs.editing is None


def test_remove_asks_and_does_nothing_without_a_selection(qtbot, window, message_boxes) -> None:
    wizard = _open(window, qtbot, {"documents": [{"kind": "I-247A", "signer": "dhs_officer"}]})
    docs = wizard.documents_page
    assert not docs.remove_button.isEnabled()
    docs._remove()
    assert len(docs.documents) == 1 and message_boxes.shown == []
    docs.list.setCurrentRow(0)
    message_boxes.answer = QMessageBox.StandardButton.No
    press_button(qtbot, docs.remove_button)
    assert len(docs.documents) == 1 and message_boxes.shown[-1][1] == "Remove paper"
    message_boxes.answer = QMessageBox.StandardButton.Yes
    press_button(qtbot, docs.remove_button)
    assert docs.documents == []


# --- Major 1: mnemonics unique on every page, dialog and view ------------------------------------

MNEMONIC = re.compile(r"&([^&\s])")


def mnemonics(top: QWidget) -> list[tuple[str, str]]:
    """(letter, text) of every mnemonic a user can press in `top` as it is shown now."""
    found: list[tuple[str, str]] = []

    def add(text: str) -> None:
        for match in MNEMONIC.finditer(text.replace("&&", "")):
            found.append((match.group(1).lower(), text))

    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisibleTo(top) and widget is not top:
            continue
        if isinstance(widget, QLabel) and widget.buddy() is not None:
            add(widget.text())
        elif isinstance(widget, QAbstractButton) and widget.isEnabled():
            add(widget.text())
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            add(widget.title())
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                add(widget.tabText(index))
        elif isinstance(widget, QMenuBar):
            for action in widget.actions():
                add(action.text())
    return found


def clashes(top: QWidget) -> dict[str, list[str]]:
    by_letter: dict[str, list[str]] = {}
    for letter, text in mnemonics(top):
        by_letter.setdefault(letter, []).append(text)
    return {letter: texts for letter, texts in by_letter.items() if len(texts) > 1}


def test_no_mnemonic_clash_on_any_page_dialog_or_view(qtbot, window, desk, monkeypatch) -> None:
    from desktop.ui.help import HelpDialog
    from desktop.ui.review import OutcomeDialog

    seen: dict[str, dict[str, list[str]]] = {}
    wizard = _open(window, qtbot, {**S01, "requester": "subject_or_attorney"})
    wizard.received_page.requester.set_value("state_or_local")
    wizard.request_page.purpose.set_value("criminal_unrelated")  # the relay question shows too
    wizard.person_page.booking.setText("26-000187")
    record_keys: set[str] = set()  # what Alt+R means on each page of the intake
    for page_id in range(PAGE_RECORDED + 1):
        if wizard.currentId() == PAGE_REQUEST:
            wizard.request_page.relay.setCurrentIndex(1)
        qtbot.wait(1)
        assert len(mnemonics(wizard)) > 2
        seen[f"wizard page {page_id}"] = clashes(wizard)
        record_keys |= {text for letter, text in mnemonics(wizard) if letter == "r"}
        if page_id < PAGE_RECORDED:
            wizard.next()
    assert wizard.currentId() == PAGE_RECORDED
    wizard.close()
    wizard.received_page.requester.set_value("subject_or_attorney")  # the consent question
    seen["wizard page 0, a lawyer"] = clashes(wizard.received_page)
    fill_demo_log(desk, count=12)
    window.refresh_views()
    for view in (VIEW_HOME, VIEW_LOG, VIEW_REVIEW, VIEW_POLICY):
        window.show_view(view)
        seen[f"view {view}"] = clashes(window)
    dialog = window.open_case(wizard.saved.case_number)
    for tab in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(tab)
        seen[f"case tab {tab}"] = clashes(dialog)
    help_dialog = HelpDialog(desk)
    qtbot.addWidget(help_dialog)
    seen["help"] = clashes(help_dialog)
    outcome = OutcomeDialog("2026-0001")
    qtbot.addWidget(outcome)
    seen["outcome"] = clashes(outcome)
    # Issue 23: every window, every menu, the lock screen and every dialog; Alt+R means one thing in the intake.
    seen.update(every_other_window(qtbot, window, desk, dialog))
    seen["Alt+R in the intake"] = {"r": sorted(record_keys)} if record_keys != {"&Record case"} else {}
    assert {where: found for where, found in seen.items() if found} == {}


def menu_clashes(window: QWidget) -> dict[str, dict[str, list[str]]]:
    """Clashes inside each menu of the menu bar (every action, offered to this account or not)."""
    found: dict[str, dict[str, list[str]]] = {}
    for title in window.menuBar().actions():
        by_letter: dict[str, list[str]] = {}
        for action in title.menu().actions():
            for match in MNEMONIC.finditer(action.text().replace("&&", "")):
                by_letter.setdefault(match.group(1).lower(), []).append(action.text())
        found[f"menu {title.text()}"] = {k: v for k, v in by_letter.items() if len(v) > 1}
    return found


def every_other_window(qtbot, window, desk, case_dialog) -> dict[str, dict[str, list[str]]]:
    """The clashes of every other top-level window of the app: menus, sign-in, set-up, the lock screen, the
    accounts, the audit log, reports, the memo preview, the passphrase, a scan."""
    from desktop.demo import DEMO_PASSWORD
    from desktop.ui.audit_view import AuditDialog
    from desktop.ui.passphrase import PassphraseDialog
    from desktop.ui.printing import open_preview
    from desktop.ui.reports_view import ReportsDialog
    from desktop.ui.scan_view import ScanView
    from desktop.ui.signin import SetupDialog, SignInDialog
    from desktop.ui.users_view import AccountForm, UsersDialog

    admin = desk.people.sign_in("demo.admin", DEMO_PASSWORD)
    supervisor = desk.people.sign_in("demo.sgt", DEMO_PASSWORD)
    seen = menu_clashes(window)
    png = Image.new("L", (32, 32), "white")
    from io import BytesIO

    buffer = BytesIO()
    png.save(buffer, format="PNG")
    dialogs = {
        "sign-in": SignInDialog(desk=desk),
        "set-up": SetupDialog(desk=desk),
        "accounts": UsersDialog(desk=desk, session=admin),
        "account form": AccountForm(title="Add an account"),
        "audit log": AuditDialog(desk=desk, session=supervisor),
        "reports": ReportsDialog(desk, supervisor),
        "passphrase": PassphraseDialog(target="E:/usb.db.enc"),
        "memo preview": open_preview(window, desk, window.session, case_dialog.case_number),
        "scan": ScanView(pages=[buffer.getvalue()], name="fax.png", case_number=case_dialog.case_number),
    }
    for name, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        seen[name] = clashes(dialog)
    window.lock_now()
    seen["lock screen"] = clashes(window.idle_lock.screen)
    return seen


def test_the_wizard_buttons_have_their_own_letters(qtbot, window) -> None:
    wizard = _open(window, qtbot)
    letters = [letter for letter, _text in mnemonics(wizard)]
    assert "n" in letters and "b" not in letters  # Back is hidden on page 1
    wizard.next()
    letters = [letter for letter, _text in mnemonics(wizard)]
    assert letters.count("n") == 1 and letters.count("b") == 1


# --- Major 3: one Received field --------------------------------------------------------------


NOW = dt.datetime(2026, 1, 14, 0, 10, tzinfo=ZONE)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("now", dt.datetime(2026, 1, 14, 0, 10, tzinfo=ZONE)),
        ("", dt.datetime(2026, 1, 14, 0, 10, tzinfo=ZONE)),
        ("00:05", dt.datetime(2026, 1, 14, 0, 5, tzinfo=ZONE)),
        ("22:18", dt.datetime(2026, 1, 13, 22, 18, tzinfo=ZONE)),  # later than now today: last night
        ("13 Jan 22:18", dt.datetime(2026, 1, 13, 22, 18, tzinfo=ZONE)),
        ("Jan 13 22:18", dt.datetime(2026, 1, 13, 22, 18, tzinfo=ZONE)),
        ("13 January 2026 22:18", dt.datetime(2026, 1, 13, 22, 18, tzinfo=ZONE)),
        ("2026-01-13 22:18", dt.datetime(2026, 1, 13, 22, 18, tzinfo=ZONE)),
        ("2026-01-13T22:18", dt.datetime(2026, 1, 13, 22, 18, tzinfo=ZONE)),
        ("2026-01-14T03:18:00+00:00", dt.datetime(2026, 1, 13, 22, 18, tzinfo=ZONE)),
        ("yesterday 23:50", dt.datetime(2026, 1, 13, 23, 50, tzinfo=ZONE)),
        ("today 00:01", dt.datetime(2026, 1, 14, 0, 1, tzinfo=ZONE)),
        ("20 Dec 09:00", dt.datetime(2025, 12, 20, 9, 0, tzinfo=ZONE)),  # later this year: last year
    ],
)
def test_what_officers_type_is_read_on_the_desk_clock(typed: str, expected: dt.datetime) -> None:
    assert parse_when(typed, NOW) == expected


@pytest.mark.parametrize("typed", ["13 Tab Jan", "25:00", "2026-02-30 10:00", "13 Foo 10:00", "soon"])
def test_what_cannot_be_read_is_refused_not_guessed(typed: str) -> None:
    with pytest.raises(WhenError):
        parse_when(typed, NOW)


def test_received_is_said_back_and_checked_against_the_packs_on_page_1(qtbot, window) -> None:
    wizard = _open(window, qtbot)
    page = wizard.received_page
    type_into(qtbot, page.received, "2026-01-13 22:18")
    assert page.received_echo.text() == "Understood as Tue 13 Jan 2026, 22:18 (America/New_York)"
    assert wizard.intake_data()["received_at"] == "2026-01-13T22:18:00-05:00"
    type_into(qtbot, page.received, "1901-03-02 10:00")
    wizard.next()
    assert wizard.currentId() == 0
    message = page.received_error.message
    assert message.startswith("Received: no policy is in force on 02 Mar 1901") and "pack.toml" not in message
    type_into(qtbot, page.received, "13 Tab Jan")
    wizard.next()
    assert wizard.currentId() == 0 and "cannot read" in page.received_error.message
    type_into(qtbot, page.received, "2031-01-01 10:00")  # the desk asks before Record (test_same_refusals)
    assert "later than now on this desk's clock" in page.received_echo.text()
    type_into(qtbot, page.received, "yesterday 23:50")
    wizard.next()
    assert wizard.currentId() == PAGE_DOCUMENTS and page.received.text() == "2026-11-19 23:50"


# --- Major 4: several drafts, none deleted silently; quitting asks once ----------------------


def test_recording_one_request_keeps_the_other_draft(qtbot, window) -> None:
    first = _open(window, qtbot)
    type_into(qtbot, first.person_page.booking, "26-000111")
    qtbot.waitUntil(lambda: len(window.intakes.drafts.list()) == 1, timeout=3000)
    first.hide()
    window.intakes.wizard = None
    second = _open(window, qtbot)
    fill(qtbot, second, S01)
    qtbot.waitUntil(lambda: len(window.intakes.drafts.list()) == 2, timeout=3000)
    enter(qtbot, second)
    assert second.currentId() == PAGE_RECORDED
    (kept,) = window.intakes.drafts.list()
    assert kept.id == first.draft_id and kept.booking_number == "26-000111"
    second.close()
    window.intakes.offer_drafts()
    assert window.home.drafts.count() == 1 and "booking 26-000111" in window.home.drafts.item(0).text()
    assert "saved" in window.home.drafts.item(0).text()


def test_a_draft_is_discarded_only_when_the_officer_says_so(qtbot, window, message_boxes) -> None:
    wizard = _open(window, qtbot)
    type_into(qtbot, wizard.person_page.booking, "26-000222")
    qtbot.waitUntil(lambda: len(window.intakes.drafts.list()) == 1, timeout=3000)
    wizard.discard_quietly()
    window.intakes.offer_drafts()
    message_boxes.answer = QMessageBox.StandardButton.No
    assert not window.intakes.discard_draft() and len(window.intakes.drafts.list()) == 1
    message_boxes.answer = QMessageBox.StandardButton.Yes
    assert window.intakes.discard_draft() and window.intakes.drafts.list() == []
    assert window.home.drafts_box.isHidden()


def test_quitting_mid_intake_asks_once(qtbot, window, message_boxes) -> None:
    wizard = _open(window, qtbot)
    type_into(qtbot, wizard.person_page.booking, "26-000333")
    window.close()
    assert [kind for kind, _title, _text in message_boxes.shown] == ["question"]
    assert not wizard.isVisible()
    assert window.intakes.drafts.list()[0].booking_number == "26-000333"


# --- Major 5: the supervisor's review by keyboard --------------------------------------------


def _one_referral(session, desk) -> str:
    decided = desk.decide(
        {**S01, "documents": [], "purpose": "mixed_or_unknown", "actions": ["hold"], "received_at": S01["received_at"]}
    )
    saved = desk.cases.record(session, decided)
    assert saved.status == "referred"
    return saved.case_number


def test_the_queue_of_one_case_needs_no_selection_and_shows_its_question(
    qtbot, supervisor_window, officer, desk, monkeypatch
) -> None:
    from tests.gui.test_main_window import answer_outcome

    window = supervisor_window  # an officer recorded it; a supervisor records the outcome
    number = _one_referral(officer, desk)
    window.show_view(VIEW_REVIEW)
    queue = window._review_view.log
    assert queue.model.rowCount() == 1
    assert QApplication.focusWidget() is queue.table and queue.selected_case() == number  # no 11 Tabs
    header = [queue.model.headerData(c, Qt.Orientation.Horizontal) for c in range(queue.model.columnCount())]
    assert {"Open question", "Waiting"} <= set(header)
    question = queue.model.data(queue.model.index(0, header.index("Open question")))
    assert question.startswith("AMB-5: ")
    assert queue.model.data(queue.model.index(0, header.index("Waiting"))).endswith(("min", "h"))
    queue.table.clearSelection()
    queue.table.setCurrentIndex(queue.model.index(-1, -1))
    answer_outcome(monkeypatch, "Solicitor: no hold")
    window._review_view.resolve_selected()
    assert desk.cases.open(window.session, number, audit=False).current.status == "resolved"


def test_the_outcome_box_is_finished_by_keyboard(qtbot) -> None:
    from desktop.ui.review import OutcomeDialog

    dialog = OutcomeDialog("2026-0001")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.text.tabChangesFocus()
    dialog.text.setFocus()
    qtbot.keyClicks(dialog.text, "Decline stands")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Tab)
    assert dialog.text.toPlainText() == "Decline stands"  # no tab typed
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.outcome() == "Decline stands"
    empty = OutcomeDialog("2026-0001")
    qtbot.addWidget(empty)
    empty.accept()
    assert empty.result() != empty.DialogCode.Accepted and not empty.error.isHidden()


# --- Major 6: the case log by keyboard --------------------------------------------------------


def test_the_case_log_by_keyboard(qtbot, window, desk) -> None:
    fill_demo_log(desk, count=12)
    window.show_view(VIEW_LOG)
    view = window._log_view
    assert QApplication.focusWidget() is view.search
    target = view.model.summary(5)
    qtbot.keyClicks(view.search, target.case_number)
    qtbot.keyClick(view.search, Qt.Key.Key_Return)  # searches at once, no pause
    assert view.model.rowCount() == 1
    qtbot.keyClick(view.search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is view.table and view.selected_case() == target.case_number
    rows = view.table.selectionModel().selectedRows()
    assert len(rows) == 1 and len(view.table.selectionModel().selectedIndexes()) == view.model.columnCount()
    assert not view.table.tabKeyNavigation()


def test_the_sort_arrow_matches_the_order_shown(qtbot, window, desk) -> None:
    fill_demo_log(desk, count=8)
    window.show_view(VIEW_LOG)
    view = window._log_view
    header = view.table.horizontalHeader()

    def numbers() -> list[str]:
        return [view.model.case_number(r) for r in range(view.model.rowCount())]

    assert header.sortIndicatorSection() == 0 and header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert numbers() == sorted(numbers(), reverse=True)
    view.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # a click on Person
    assert header.sortIndicatorSection() == 0 and header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert numbers() == sorted(numbers())


def test_attachments_are_chosen_and_opened_by_keyboard(qtbot, window, desk, tmp_path, monkeypatch) -> None:
    scan = tmp_path / "fax.pdf"
    Image.new("L", (64, 64), "white").save(scan)  # a real PDF: scans are parsed whole
    saved = desk.cases.record(window.actor, desk.decide(S01), scans=[scan])
    opened: list[Path] = []
    monkeypatch.setattr("desktop.ui.case_view.open_file", lambda _parent, path: opened.append(path) or True)
    dialog = window.open_case(saved.case_number)
    qtbot.addWidget(dialog)
    tab = next(i for i in range(dialog.tabs.count()) if dialog.tabs.tabText(i).startswith("Attac&hments"))
    dialog.tabs.setCurrentIndex(tab)
    assert dialog.attachment_list.currentRow() == 0
    dialog.attachment_list.setFocus()
    qtbot.keyClick(dialog.attachment_list, Qt.Key.Key_Return)
    # Shown in the app's own viewer (issue 14): no copy written, no other program handed the file.
    assert dialog.scan_dialog.isVisible() and dialog.scan_dialog.page_count == 1
    assert opened == [] and temporary_files.tracked() == []
    dialog.scan_dialog.reject()


# --- Major 7: the case view follows amendments and shows any version with its changes -----------


def test_an_open_case_window_follows_an_amendment_and_marks_what_changed(qtbot, window, desk) -> None:
    saved = desk.cases.record(window.actor, desk.decide(S01))
    dialog = window.open_case(saved.case_number)
    qtbot.addWidget(dialog)
    assert "version 1" in dialog.heading.text()
    changed = {**S01, "subject": {**S01["subject"], "release_blockers": ["bail_not_posted"]}}
    desk.cases.amend(window.actor, saved.case_number, desk.decide(changed), reason="Bail not posted after all")
    qtbot.waitUntil(lambda: "version 2" in dialog.heading.text(), timeout=3000)
    text = dialog.version_view.toPlainText()
    assert "Release blockers" in text and "● changed" in text and "was: none" in text
    assert "Bail not posted after all" in text
    dialog.version_picker.setCurrentIndex(dialog.version_picker.findData(1))
    assert "The first version" in dialog.version_view.toPlainText()
    assert "NO_HOLD" not in dialog.decision_view.toPlainText()


# --- Major 8: the decision page speaks plainly -----------------------------------------------


def test_the_decision_page_leads_with_warnings_then_what_to_do_and_say(qtbot, window) -> None:
    wizard = _open(window, qtbot)
    fill(qtbot, wizard, S01)
    page = wizard.decision_page
    text = page.view.toPlainText()
    assert text.index("Warnings") < text.index("Do not hold or delay release")
    assert "Say: “The City does not give release information for immigration purposes.”" in text
    for raw in ("ice_ero", "[NO_HOLD]", "NO_HOLD", "first rule in its table", "Rule D11"):
        assert raw not in text, raw
    assert "OFC. R. MARTIN #1147" in page.recording_as.text()  # who records, before Record
    # What to do is set larger than the rest (Qt's HTML always holds "font-size:", so the font is asked).
    document = page.view.document()
    larger = document.find("Do not hold or delay release").charFormat().font().pointSizeF()
    assert larger > document.find("Warnings").charFormat().font().pointSizeF()
    press_button(qtbot, page.details)
    text = page.view.toPlainText()
    assert "code NO_HOLD, rule D11" in text and "first rule in its table" in text


def test_a_referral_says_whom_to_call(qtbot, window, desk) -> None:
    wizard = _open(window, qtbot, {**S01, "purpose": "mixed_or_unknown"})
    _to(wizard, PAGE_DECISION)
    text = wizard.decision_page.view.toPlainText()
    contact = desk.active_pack().department.referral_contact
    assert f"Who to call: {contact}" in text


# --- Major 9: duplicates and blanks ----------------------------------------------------------


def test_an_open_case_for_the_booking_number_is_offered_for_amendment(qtbot, window, desk, message_boxes) -> None:
    first = desk.cases.record(window.actor, desk.decide(S01))
    wizard = _open(window, qtbot)
    fill(qtbot, wizard, S01)
    message_boxes.answer = QMessageBox.StandardButton.Yes
    enter(qtbot, wizard)
    assert wizard.currentId() == PAGE_DECISION and wizard.amend_case == first.case_number
    assert "Amend that case instead?" in message_boxes.shown[-1][2]
    type_into(qtbot, wizard.decision_page.amend_reason, "Second fax of the same detainer")
    press_button(qtbot, wizard.button(wizard.WizardButton.CommitButton))
    assert wizard.currentId() == PAGE_RECORDED and wizard.saved.case_number == first.case_number
    assert wizard.saved.version == 2 and desk.cases.count(window.session) == 1


def test_no_is_a_new_case_and_cancel_stays(qtbot, window, desk, message_boxes) -> None:
    desk.cases.record(window.actor, desk.decide(S01))
    wizard = _open(window, qtbot)
    fill(qtbot, wizard, S01)
    message_boxes.answer = QMessageBox.StandardButton.Cancel
    enter(qtbot, wizard)
    assert wizard.currentId() == PAGE_DECISION and desk.cases.count(window.session) == 1
    message_boxes.answer = QMessageBox.StandardButton.No
    enter(qtbot, wizard)
    assert wizard.currentId() == PAGE_RECORDED and desk.cases.count(window.session) == 2


def test_a_case_with_no_name_and_no_booking_number_needs_a_confirmation(qtbot, window, desk, message_boxes) -> None:
    blank = {**S01, "subject": {"custody": "in_city_custody", "release_blockers": []}}
    wizard = _open(window, qtbot)
    fill(qtbot, wizard, blank)
    message_boxes.answer = QMessageBox.StandardButton.No
    enter(qtbot, wizard)
    assert wizard.currentId() == PAGE_PERSON and desk.cases.count(window.session) == 0
    assert "neither a name nor a booking number" in message_boxes.shown[-1][2]
    _to(wizard, PAGE_DECISION)
    message_boxes.answer = QMessageBox.StandardButton.Yes
    enter(qtbot, wizard)
    assert wizard.currentId() == PAGE_RECORDED and desk.cases.count(window.session) == 1


# --- Major 10 and "Also" ---------------------------------------------------------------------


def test_f1_opens_the_guide_and_the_help_menu_offers_both(qtbot, window) -> None:
    from desktop.ui.help import HelpDialog

    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window._help_dialog
    assert isinstance(dialog, HelpDialog) and dialog.isVisible() and dialog.tabs.currentIndex() == 0
    assert "Add paper" in dialog.guide.toPlainText() and "Ctrl+N" in dialog.keys.toPlainText()
    assert window.menus.guide_action.shortcuts()[0].toString() == "F1"
    window.menus.shortcuts_action.trigger()
    assert window._help_dialog.tabs.currentIndex() == 1
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    texts = [a.text() for a in menu.actions()]
    assert "Officer's &guide" in texts and "&Keyboard shortcuts" in texts


def test_the_window_never_reopens_on_the_policy_view(qtbot, desk, officer, settings) -> None:
    from desktop.ui.main_window import MainWindow

    settings.setValue("window/view", VIEW_POLICY)
    main = MainWindow(desk=desk, settings=settings, session=officer)
    qtbot.addWidget(main)
    main.show()
    main.finish_start()
    assert main.stack.currentIndex() == VIEW_HOME
    settings.setValue("window/view", VIEW_LOG)
    again = MainWindow(desk=desk, settings=settings, session=officer)
    qtbot.addWidget(again)
    again.show()
    again.finish_start()
    assert again.stack.currentIndex() == VIEW_LOG


def test_the_draft_memo_is_shown_in_the_window_with_no_copy_on_disk(qtbot, window, monkeypatch) -> None:
    """Issue 23: "Preview memo (draft)" handed a file to an outside viewer; now its pages are drawn in the window,
    with no Print (a draft is not a record) and no file left anywhere."""
    opened: list[object] = []
    monkeypatch.setattr("desktop.ui.widgets.open_file", lambda _parent, path: opened.append(path) or True)
    wizard = _open(window, qtbot)
    fill(qtbot, wizard, S01)
    preview = wizard.decision_page._preview()
    assert preview is not None and preview.isVisible() and preview.page_labels
    assert "not recorded" in preview.windowTitle() and not hasattr(preview, "print_button")
    assert opened == [] and temporary_files.tracked() == []
    qtbot.keyClick(preview.close_button, Qt.Key.Key_Space)
    assert not preview.isVisible() and wizard.currentId() == PAGE_DECISION  # back where the officer was


# --- Issue 10, the window: consulate, consent, labels and help, the relay question -----------


def test_consulate_consent_and_help(qtbot, window) -> None:
    wizard = _open(window, qtbot)
    page = wizard.received_page
    assert page.requester.findData("consulate") >= 0
    assert page.consent.isHidden()
    choose(qtbot, page.requester, "other_dhs")
    assert "Secret Service" in page.requester_help.text()
    choose(qtbot, page.requester, "subject_or_attorney")
    assert not page.consent.isHidden() and "named this lawyer" in page.consent_help.text()
    assert wizard.intake_data()["consent_confirmed"] is False
    press_button(qtbot, page.consent)
    assert wizard.intake_data()["consent_confirmed"] is True
    choose(qtbot, page.requester, "ice_ero")
    assert "consent_confirmed" not in wizard.intake_data()
    docs = wizard.documents_page
    choose(qtbot, docs.signer, "court_clerk")
    assert "indictment" in docs.signer_help.text()
    item = next(
        wizard.request_page.asked.item(r)
        for r in range(wizard.request_page.asked.count())
        if wizard.request_page.asked.item(r).data(Qt.ItemDataRole.UserRole) == "mandatory_process"
    )
    assert "State Identification Section" in item.toolTip()


@pytest.mark.parametrize(
    ("requester", "answer", "expected"),
    [
        ("state_or_local", "yes", ("state_or_local_relay", "criminal_unrelated")),
        ("state_or_local", "unsure", ("state_or_local", "mixed_or_unknown")),
        ("other_federal", "yes", ("other_federal", "mixed_or_unknown")),
        ("court", "no", ("court", "criminal_unrelated")),
    ],
)
def test_the_relay_question(qtbot, window, requester, answer, expected) -> None:
    wizard = _open(window, qtbot, {**S01, "requester": requester, "purpose": "criminal_unrelated"})
    _to(wizard, PAGE_REQUEST)
    page = wizard.request_page
    assert not page.relay.isHidden() and "ICE, DHS or a detainer" in page.relay_label.text()
    wizard.next()
    assert wizard.currentId() == PAGE_REQUEST and "Answer the question" in page.relay_error.message
    choose(qtbot, page.relay, answer)
    data = wizard.intake_data()
    assert (data["requester"], data["purpose"]) == expected
    choose(qtbot, page.purpose, "civil_immigration")
    assert page.relay.isHidden()


def test_an_earlier_request_for_the_booking_number_is_warned_of(qtbot, window, desk) -> None:
    first = desk.cases.record(window.actor, desk.decide(S01))
    wizard = _open(window, qtbot)
    _to(wizard, PAGE_PERSON)
    type_into(qtbot, wizard.person_page.booking, S01["subject"]["booking_number"])
    wizard.next()
    warning = wizard.person_page.earlier
    assert not warning.isHidden() and first.case_number in warning.message
    assert "already holds 1 immigration request" in warning.message
