"""The two-person rule at the window (issue 20): a supervisor who recorded a referral is refused its outcome in
the review queue in the desk's words, and the case stays referred; the window asks the same desk as
`main.py resolve` (tests/unit/test_cli_two_person.py) and the desk itself (tests/unit/desk/test_authority.py).
Roles shape the window: who cannot record never sees New request; who cannot export never sees Export."""

from __future__ import annotations

from desktop.ui.main_window import VIEW_REVIEW
from tests.gui.conftest import open_window, sign_in
from tests.gui.test_main_window import answer_outcome
from tests.unit.cli_run import S01

REFERRED = {**S01, "documents": [{"kind": "state_court_order", "signer": "state_judge", "verified": True}]}


def test_the_recorder_is_refused_the_outcome_of_their_own_referral_at_the_window(
    qtbot, supervisor_window, desk, message_boxes, monkeypatch
) -> None:
    window = supervisor_window
    own = desk.cases.record(window.session, desk.decide(REFERRED)).case_number
    window.show_view(VIEW_REVIEW)
    queue = window._review_view.log
    row = next(r for r in range(queue.model.rowCount()) if queue.model.case_number(r) == own)
    queue.table.selectRow(row)
    answer_outcome(monkeypatch, "Solicitor: decline stands")
    window._review_view.resolve_selected()
    said = [text for kind, _title, text in message_boxes.shown if kind in ("critical", "warning")]
    assert any("did not record it" in text for text in said), message_boxes.shown
    assert desk.cases.open(window.session, own, audit=False).current.status == "referred"


def test_roles_shape_the_window(qtbot, desk, settings) -> None:
    """An officer sees New request and neither Export memos, Back up nor Accounts; the admin alone (no officer
    role) sees Accounts, Export and Back up and no New request, on the menu or at Home: each as the desk's one
    policy table says (desk/policy.py), which the desk enforces anyway."""
    from desktop.demo import DEMO_ADMIN

    officer = open_window(qtbot, desk, settings, sign_in(desk, "demo.martin"))
    menus = officer.menus
    assert menus.new_action.isVisible() and officer.home.new_button.isVisibleTo(officer.home)
    assert not menus.export_action.isVisible() and not menus.users_action.isVisible()
    assert not menus.backup_action.isVisible() and not menus.audit_action.isVisible()
    officer.close()
    admin = open_window(qtbot, desk, settings, sign_in(desk, DEMO_ADMIN))
    menus = admin.menus
    assert menus.users_action.isVisible() and menus.export_action.isVisible() and menus.backup_action.isVisible()
    assert not menus.new_action.isVisible() and not menus.new_action.isEnabled()
    assert not admin.home.new_button.isVisibleTo(admin.home)
