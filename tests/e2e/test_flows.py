"""Whole flows by keyboard: a scenario typed into the wizard, recorded in SQLite, printed to a PDF memo."""

from __future__ import annotations

import json
import sqlite3

import pytest
from pypdf import PdfReader

from desktop.ui.intake import PAGE_RECORDED
from tests.conftest import PACK_DIR
from tests.gui.driver import enter, fill, press_button

SCENARIOS = PACK_DIR / "scenarios"
FLOWS = {
    "decline": "D11-detainer-by-fax-bail-posted-no-hold",
    "judicial warrant": "D02-federal-arrest-warrant-verified-with-marshals-is-honoured",
    "referral": "D04-judge-orders-delivery-to-ice-for-civil-purpose-is-referred",
    "benefit": "D01-u-visa-certification-for-a-victim-is-processed",
    "not in custody": "D10-detainer-for-a-person-already-released",
    "information": "D16-ice-asks-for-address-photo-and-court-date",
}


@pytest.mark.parametrize("name", list(FLOWS), ids=list(FLOWS))
def test_scenario_by_keyboard_to_recorded_case_and_memo(qtbot, window, desk, name: str) -> None:
    scenario = json.loads((SCENARIOS / f"{FLOWS[name]}.json").read_text(encoding="utf-8"))
    wizard = window.start_intake()
    qtbot.addWidget(wizard)
    fill(qtbot, wizard, scenario["intake"])
    shown = wizard.decision_page.view.toPlainText()
    for expected in scenario["expect"]:
        assert desk.active_pack().codes[expected["codes"][0]].title in shown
    enter(qtbot, wizard)  # Record case
    assert wizard.currentId() == PAGE_RECORDED
    number = wizard.saved.case_number
    assert wizard.recorded_page.number.text() == number

    raw = sqlite3.connect(desk._store.path)
    decision_json, status = raw.execute(
        "SELECT decision_json, status FROM case_versions WHERE case_number = ? AND version = 1", [number]
    ).fetchone()
    raw.close()
    codes = [(r["action"], r["info"], r["code"]) for r in json.loads(decision_json)["responses"]]
    # Ticked top to bottom, so the actions come in the list's order rather than the file's.
    assert sorted(codes) == sorted((e["action"], e["info"], e["codes"][0]) for e in scenario["expect"])
    assert status == ("referred" if any(c == "REFER_COUNSEL" for *_x, c in codes) else "decided")

    press_button(qtbot, wizard.recorded_page.open_button)
    memo = wizard.memo_path
    assert memo is not None and memo.exists()
    text = "".join(page.extract_text() for page in PdfReader(memo).pages)
    assert number in text
    assert wizard.saved.record_hash in text.replace("\n", "")
    subject_name = scenario["intake"]["subject"].get("name")
    if subject_name:
        assert subject_name in text
    kinds = [e.kind for e in desk.cases.open(window.session, number, audit=False).events]
    assert kinds == ["recorded", "memo"]
    assert desk._store.verify().ok
