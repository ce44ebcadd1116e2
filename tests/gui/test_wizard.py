"""Tests for the intake wizard: keyboard entry, Back/Next, validation, override, drafts, accessibility."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

import pytest
from PIL import Image
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTextBrowser,
    QWidget,
)

from desktop.rules import load_pack
from desktop.ui.intake import PAGE_DECISION, PAGE_DOCUMENTS, PAGE_PERSON, PAGE_RECORDED, PAGE_REQUEST
from tests.conftest import PACK_DIR
from tests.gui.conftest import OFFICER
from tests.gui.driver import enter, fill, press_button, tick, type_into

PRESETS = {p.name: dict(p.intake) for p in load_pack(PACK_DIR).guidance.presets}

S01 = {
    "received_at": "2026-01-13T22:18:00-05:00",
    "channel": "fax",
    "requester": "ice_ero",
    "requester_name": "ICE ERO Boston, Detainer Unit",
    "documents": [
        {"kind": "I-247A", "signer": "dhs_officer", "edition": "03/17"},
        {"kind": "I-200", "signer": "dhs_officer", "signer_name": "SDDO, ICE ERO"},
    ],
    "actions": ["hold", "notify_release"],
    "subject": {
        "custody": "in_city_custody",
        "release_blockers": [],
        "booking_number": "26-000187",
        "name": "NÚÑEZ, JOSÉ",
    },
    "purpose": "civil_immigration",
    "notes": "Bail posted 22:10.",
}


def test_keyboard_entry_builds_exactly_the_intake(qtbot, window) -> None:
    wizard = window.start_intake()
    qtbot.addWidget(wizard)
    fill(qtbot, wizard, S01)
    data = wizard.intake_data()
    assert data["received_at"] == "2026-01-13T22:18:00-05:00" or data["received_at"].startswith("2026-01-1")
    for key in ("channel", "requester", "requester_name", "actions", "purpose", "notes"):
        assert data[key] == S01[key], key
    assert data["documents"] == [
        {"kind": "I-247A", "signer": "dhs_officer", "edition": "03/17", "verified": False, "cancels_prior": False},
        {
            "kind": "I-200",
            "signer": "dhs_officer",
            "signer_name": "SDDO, ICE ERO",
            "verified": False,
            "cancels_prior": False,
        },
    ]
    assert data["subject"] == {**S01["subject"], "minor": False}
    text = wizard.decision_page.view.toPlainText()
    assert "Do not hold or delay release" in text and "Say:" in text
    assert "Lunn v. Commonwealth" not in text  # the quoted law is under the details
    wizard.decision_page.details.setChecked(True)
    text = wizard.decision_page.view.toPlainText()
    assert "To neither detain nor delay the release" in text and "Lunn v. Commonwealth" in text


def test_back_and_next_keep_every_answer(qtbot, window) -> None:
    wizard = window.start_intake()
    qtbot.addWidget(wizard)
    fill(qtbot, wizard, S01)
    before = wizard.intake_data()
    for _ in range(PAGE_DECISION):
        wizard.back()
    assert wizard.currentId() == 0
    for _ in range(PAGE_DECISION):
        wizard.next()
    assert wizard.currentId() == PAGE_DECISION
    assert wizard.intake_data() == before
    wizard.review_page.initializePage()  # the review's Edit buttons go straight back to a page
    wizard.back()
    press_button(qtbot, wizard.review_page.edit_buttons[PAGE_PERSON])
    assert wizard.currentId() == PAGE_PERSON
    assert wizard.person_page.name.text() == "NÚÑEZ, JOSÉ"


def test_request_page_requires_an_action_and_the_info_kinds(qtbot, window) -> None:
    wizard = window.start_intake()
    qtbot.addWidget(wizard)
    for _ in range(PAGE_REQUEST):
        wizard.next()
    assert wizard.currentId() == PAGE_REQUEST
    wizard.next()
    assert wizard.currentId() == PAGE_REQUEST
    assert "at least one" in wizard.request_page.actions_error.text.text()
    assert not wizard.request_page.actions_error.isHidden()
    tick(qtbot, wizard.request_page.asked, ["share_info"])
    wizard.next()
    assert wizard.currentId() == PAGE_REQUEST
    assert "which information" in wizard.request_page.info_error.text.text()
    tick(qtbot, wizard.request_page.info, ["address"])
    wizard.next()
    assert wizard.currentId() > PAGE_REQUEST


def test_override_needs_a_reason_and_marks_for_review(qtbot, window, desk) -> None:
    wizard = window.start_intake()
    qtbot.addWidget(wizard)
    fill(qtbot, wizard, S01)
    press_button(qtbot, wizard.decision_page.disagree)
    wizard.next()
    assert wizard.currentId() == PAGE_DECISION  # refused: no reason given
    assert "Say why you disagree" in wizard.decision_page.reason_error.text.text()
    assert desk.store_is_open is False or desk._store.total_cases() == 0
    type_into(qtbot, wizard.decision_page.reason, "The judge's clerk called to say an order is coming")
    wizard.next()
    assert wizard.currentId() == PAGE_RECORDED
    saved = desk.cases.open(window.session, wizard.saved.case_number, audit=False).current
    assert saved.status == "referred"
    assert saved.override is not None and saved.override.officer == OFFICER
    assert saved.decision.responses[0].code == "NO_HOLD"  # the decision itself is never changed


def test_a_record_failure_keeps_every_answer(qtbot, window, desk, monkeypatch, message_boxes) -> None:
    from desktop.store import LogLocked

    wizard = window.start_intake()
    qtbot.addWidget(wizard)
    fill(qtbot, wizard, S01)
    before = wizard.intake_data()

    def locked(*_args, **_kwargs):
        raise LogLocked("the case log is busy (another officer is saving); try again in a moment")

    monkeypatch.setattr(desk.cases, "record", locked)
    wizard.next()
    assert wizard.currentId() == PAGE_DECISION
    assert message_boxes.shown and "busy" in message_boxes.shown[-1][2]
    assert wizard.intake_data() == before


def test_presets_fill_answers_that_can_still_change(qtbot, window) -> None:
    wizard = window.start_intake(PRESETS["Phone call asking for a release date"])
    qtbot.addWidget(wizard)
    assert wizard.received_page.channel.value() == "phone"
    assert wizard.request_page.asked.values() == ["notify_release"]
    page = wizard.received_page
    combo = page.preset
    combo.setCurrentIndex(combo.findData("I-247A detainer with I-200 by fax"))
    combo.activated.emit(combo.currentIndex())
    assert page.channel.value() == "fax"
    assert [d["kind"] for d in wizard.documents_page.documents] == ["I-247A", "I-200"]


def test_scans_are_checked_when_attached(qtbot, window, tmp_path, desk) -> None:
    wizard = window.start_intake()
    qtbot.addWidget(wizard)
    good = tmp_path / "fax.pdf"
    Image.new("L", (64, 64), "white").save(good)  # a real PDF: scans are parsed whole
    bad = tmp_path / "fax2.pdf"
    bad.write_bytes(b"GIF89a not a pdf")
    assert wizard.documents_page.attach(good)
    assert not wizard.documents_page.attach(bad)
    assert "not a PDF, PNG, JPEG or TIFF" in wizard.documents_page.scan_error.text.text()
    fill(qtbot, wizard, S01)
    wizard.next()
    record = desk.cases.open(window.session, wizard.saved.case_number, audit=False)
    assert [a.filename for a in record.attachments] == ["fax.pdf"]


def test_a_scan_gone_before_recording_records_nothing_and_a_retry_records_once(
    qtbot, window, tmp_path, desk, message_boxes, caplog
) -> None:
    import logging
    import sqlite3

    wizard = window.start_intake()
    qtbot.addWidget(wizard)
    scan = tmp_path / "fax.pdf"
    Image.new("L", (64, 64), "white").save(scan)  # a real PDF: scans are parsed whole
    assert wizard.documents_page.attach(scan)
    fill(qtbot, wizard, S01)
    scan.unlink()  # the scan is moved away while the officer reads the decision
    raw = sqlite3.connect(desk._store.path)
    entries = raw.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]  # the accounts' set-up and sign-ins
    with caplog.at_level(logging.ERROR):
        wizard.next()
    assert wizard.saved is None and wizard.currentId() == PAGE_DECISION
    assert "could not be recorded" in message_boxes.shown[-1][1] and "fax.pdf" in message_boxes.shown[-1][2]
    assert any(r.exc_info for r in caplog.records if "recording failed" in r.getMessage())
    assert raw.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0
    assert raw.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == entries  # not one entry written
    Image.new("L", (64, 64), "white").save(scan)  # put back; the officer presses Record again
    wizard.next()
    assert wizard.saved is not None and wizard.saved.case_number.endswith("000001")
    assert raw.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 1
    raw.close()


def test_every_input_has_an_accessible_name(qtbot, window) -> None:
    wizard = window.start_intake()
    qtbot.addWidget(wizard)
    kinds = (QLineEdit, QComboBox, QCheckBox, QListWidget, QPlainTextEdit, QDateTimeEdit, QTextBrowser, QAbstractButton)
    checked = 0
    for page_id in wizard.pageIds():
        for widget in wizard.page(page_id).findChildren(QWidget):
            if not isinstance(widget, kinds) or not widget.isVisibleTo(wizard.page(page_id)):
                continue
            if isinstance(widget, QLineEdit) and isinstance(widget.parent(), (QComboBox, QDateTimeEdit)):
                continue  # the line edit inside a combo or spin box is named through its owner
            if widget.objectName() == "qt_spinbox_lineedit":
                continue
            assert widget.accessibleName(), f"page {page_id}: {type(widget).__name__} {widget.objectName()}"
            checked += 1
    assert checked >= 35  # the walk really reached the pages


def test_labels_have_mnemonics_with_buddies(qtbot, window) -> None:
    from PySide6.QtWidgets import QLabel

    wizard = window.start_intake()
    qtbot.addWidget(wizard)
    for page_id in (0, PAGE_DOCUMENTS, PAGE_PERSON, PAGE_REQUEST):
        labels = [lab for lab in wizard.page(page_id).findChildren(QLabel) if lab.text().endswith(":")]
        assert labels
        for label in labels:
            assert "&" in label.text() and label.buddy() is not None, label.text()


def test_draft_is_saved_while_typing_and_offered_back(qtbot, window, tmp_path) -> None:
    wizard = window.start_intake()
    qtbot.addWidget(wizard)
    type_into(qtbot, wizard.received_page.requester_name, "Deportation Officer, Hadley")
    qtbot.waitUntil(lambda: bool(window.intakes.drafts.list()), timeout=3000)
    (draft,) = window.intakes.drafts.list()
    assert draft.intake["requester_name"] == "Deportation Officer, Hadley" and draft.id == wizard.draft_id
    wizard.hide()
    window.intakes.wizard = None
    window.intakes.offer_drafts()
    assert not window.home.drafts_box.isHidden() and window.home.drafts.count() == 1
    resumed = window.intakes.resume_draft()
    qtbot.addWidget(resumed)
    assert resumed.received_page.requester_name.text() == "Deportation Officer, Hadley"


def test_recording_clears_the_draft_and_stores_the_case(qtbot, window, desk) -> None:
    wizard = window.start_intake()
    qtbot.addWidget(wizard)
    fill(qtbot, wizard, S01)
    qtbot.waitUntil(lambda: bool(window.intakes.drafts.list()), timeout=3000)
    enter(qtbot, wizard)  # Enter on the decision page is "Record case"
    assert wizard.currentId() == PAGE_RECORDED
    assert window.intakes.drafts.list() == []
    number = wizard.saved.case_number
    assert wizard.recorded_page.number.text() == number
    raw = sqlite3.connect(desk._store.path)
    row = raw.execute("SELECT officer, decision_json FROM case_versions WHERE case_number = ?", [number]).fetchone()
    raw.close()
    assert row[0] == OFFICER and json.loads(row[1])["responses"][0]["code"] == "NO_HOLD"


def test_amending_requires_a_reason_and_keeps_the_old_version(qtbot, window, desk) -> None:
    wizard = window.start_intake()
    qtbot.addWidget(wizard)
    fill(qtbot, wizard, S01)
    wizard.next()
    number = wizard.saved.case_number
    wizard.hide()
    window.intakes.wizard = None
    amend = window.intakes.amend_case(number)
    qtbot.addWidget(amend)
    assert amend.person_page.booking.text() == "26-000187"
    type_into(qtbot, amend.person_page.booking, "26-000188")
    for _ in range(PAGE_DECISION):
        amend.next()
    amend.next()
    assert amend.currentId() == PAGE_DECISION
    assert "reason for the amendment" in amend.decision_page.amend_reason_error.text.text()
    type_into(qtbot, amend.decision_page.amend_reason, "booking number mistyped")
    amend.next()
    case = desk.cases.open(window.session, number, audit=False)
    assert [v.version for v in case.versions] == [1, 2]
    assert case.versions[0].intake.subject.booking_number == "26-000187"
    assert case.current.intake.subject.booking_number == "26-000188"


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_preset_decides(qtbot, window, preset) -> None:
    wizard = window.start_intake(PRESETS[preset])
    qtbot.addWidget(wizard)
    for _ in range(PAGE_DECISION):
        if wizard.currentPage() is wizard.request_page and wizard.request_page.relay_asked():
            wizard.request_page.relay.setCurrentIndex(wizard.request_page.relay.findData("no"))
        wizard.next()
    assert wizard.currentId() == PAGE_DECISION, preset
    assert wizard.decision_page.decided is not None
    assert wizard.decision_page.error.isHidden()


def test_closing_a_half_filled_intake_asks_first(qtbot, window, message_boxes) -> None:
    from PySide6.QtWidgets import QMessageBox

    wizard = window.start_intake()
    qtbot.addWidget(wizard)
    type_into(qtbot, wizard.received_page.requester_name, "someone")
    message_boxes.answer = QMessageBox.StandardButton.No
    wizard.reject()
    assert message_boxes.shown[-1][0] == "question" and wizard.isVisible()
    message_boxes.answer = QMessageBox.StandardButton.Yes
    wizard.reject()
    assert not wizard.isVisible()


def test_the_decision_shows_the_say_line_it_carries(pack) -> None:
    # Since pack 2.2 each response carries its say line; a decision recorded before that gets the pack's.
    from desktop.rules import decide, parse_intake
    from desktop.ui.decision_html import decision_html

    decision = decide(parse_intake({**S01, "received_at": "2026-01-13T22:18:00-05:00"}), pack)
    carried = replace(decision, responses=tuple(replace(r, say="Carried words.") for r in decision.responses))
    assert decision_html(carried, pack).count("<b>Say:</b> “Carried words.”") == len(decision.responses)
    older = replace(decision, responses=tuple(replace(r, say=None) for r in decision.responses))  # none kept
    html = decision_html(older, pack)
    for response in decision.responses:
        assert f"<b>Say:</b> “{pack.say_for(response.to_dict())}”" in html.replace("&#x27;", "'")
