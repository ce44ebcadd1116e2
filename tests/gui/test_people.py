"""The window on a log with accounts: first start, sign-in, switching officers, the idle lock over open
dialogs, the audit view and the accounts view. Real widgets offscreen, a real SQLite file."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

import desktop.signing
from desktop.desk import Desk, system_clock
from desktop.ui.main_window import MainWindow
from desktop.ui.signin import SetupDialog, SignInDialog
from tests.conftest import Clock
from tests.unit.cli_run import S01
from tests.unit.desk.people import PASSWORDS, staffed_desk


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch):
    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)


@pytest.fixture
def staff(tmp_path: Path):
    people = staffed_desk(tmp_path / "data", Clock(dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)))
    yield people
    people.desk.close()


@pytest.fixture
def signed_in(qtbot, staff, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(desk=staff.desk, settings=settings, session=staff.officer)
    qtbot.addWidget(main)
    main.show()
    main.finish_start()
    return main


def sign_in_at_the_lock(window: MainWindow, username: str) -> None:
    """Lock the window, then sign in at the lock screen as `username` (another person than the locked one)."""
    window.lock_now()
    screen = window.idle_lock.screen
    screen.username.setText(username)
    screen.password.setText(PASSWORDS[username])
    screen.accept()


def test_the_first_start_creates_the_admin_with_a_password_typed_twice(qtbot, tmp_path: Path, message_boxes) -> None:
    desk = Desk(tmp_path / "fresh", clock=system_clock)
    dialog = SetupDialog(desk=desk)
    qtbot.addWidget(dialog)
    for field, text in ((dialog.username, "admin"), (dialog.name, "A. ADMIN"), (dialog.badge, "900")):
        qtbot.keyClicks(field, text)
    qtbot.keyClicks(dialog.password, PASSWORDS["admin"])
    qtbot.keyClicks(dialog.again, "something-else-1")
    dialog.accept()
    assert dialog.actor is None and "differ" in dialog.error.text.text()
    dialog.again.setText(PASSWORDS["admin"])
    dialog.accept()
    assert dialog.actor is not None and dialog.actor.has_role("admin") and not desk.people.needs_setup()
    desk.close()


def test_sign_in_refuses_in_one_line_and_clears_the_password(qtbot, staff) -> None:
    dialog = SignInDialog(desk=staff.desk)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, "ofc.smith")
    qtbot.keyClicks(dialog.password, "not-the-password")
    dialog.accept()
    assert dialog.actor is None and "wrong" in dialog.error.text.text() and dialog.password.text() == ""
    qtbot.keyClicks(dialog.password, PASSWORDS["ofc.smith"])
    dialog.accept()
    assert dialog.actor is not None and dialog.actor.username == "ofc.smith"


def test_a_second_officer_signs_in_without_losing_the_first_ones_request(qtbot, signed_in, staff) -> None:
    wizard = signed_in.start_intake({**S01, "notes": "started by Smith"})
    qtbot.addWidget(wizard)
    signed_in.intakes.save_draft()
    signed_in.switch_session(staff.other_officer)
    assert signed_in.session.username == "ofc.chen" and signed_in.intakes.wizard is None
    assert signed_in.intakes.drafts.list() == []  # Chen sees none of Smith's drafts
    signed_in.switch_session(staff.officer)
    drafts = signed_in.intakes.drafts.list()
    assert len(drafts) == 1 and drafts[0].intake["notes"] == "started by Smith"


def test_the_idle_lock_hides_every_window_open_dialogs_included(qtbot, signed_in, staff) -> None:
    case = staff.desk.cases.record(staff.officer, staff.desk.decide(S01)).case_number
    dialog = signed_in.open_case(case)
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    lock = signed_in.idle_lock
    assert lock is not None
    staff.clock.advance(minutes=14)
    assert not lock.check()
    staff.clock.advance(minutes=2)
    assert lock.check()
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert visible == [lock.screen], visible
    assert not signed_in.isVisible() and not dialog.isVisible()
    screen = lock.screen
    screen.password.setText("not-the-password")
    screen.accept()
    assert lock.locked and "wrong" in screen.error.text.text()
    screen.password.setText(PASSWORDS["ofc.smith"])
    screen.accept()
    assert not lock.locked and signed_in.isVisible() and dialog.isVisible()
    assert signed_in.session is staff.officer  # the same session, not a new sign-in
    kinds = [e.kind for e in staff.desk._store.audit_entries(limit=20)]
    assert kinds[:4] == ["unlocked", "sign_in_failed", "locked", "view"], kinds


def test_another_officer_may_take_the_locked_desk(qtbot, signed_in, staff) -> None:
    sign_in_at_the_lock(signed_in, "ofc.chen")
    assert signed_in.session.username == "ofc.chen" and signed_in.isVisible()


def test_the_lock_cannot_be_closed_away(qtbot, signed_in) -> None:
    signed_in.lock_now()
    screen = signed_in.idle_lock.screen
    screen.reject()
    assert screen.isVisible() and signed_in.idle_lock.locked


def test_the_audit_view_filters_exports_and_is_audited(qtbot, signed_in, staff, tmp_path: Path) -> None:
    staff.desk.cases.record(staff.officer, staff.desk.decide(S01))
    signed_in.switch_session(staff.supervisor)
    dialog = signed_in.open_audit()
    qtbot.addWidget(dialog)
    dialog.person.setText("ofc.smith")
    dialog.refresh()
    assert dialog.entries and all("SMITH" in e.actor for e in dialog.entries)
    path = dialog.export(staff.desk.data_dir / "audit.csv")  # inside the data folder: plain
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert (
        rows[0] == ["seq", "at", "kind", "case", "actor", "detail", "signed"] and len(rows) == len(dialog.entries) + 1
    )
    kinds = [e.kind for e in staff.desk._store.audit_entries(limit=3)]
    assert kinds[0] == "audit_view" and "exported" in staff.desk._store.audit_entries(limit=1)[0].detail
    sealed = dialog.export(tmp_path / "audit.csv", passphrase="Station-Copy-2026!")  # leaving: encrypted
    assert sealed == tmp_path / "audit.csv.enc" and b"SMITH" not in sealed.read_bytes()


def test_an_officer_cannot_open_the_audit_view(qtbot, signed_in, message_boxes) -> None:
    assert signed_in.open_audit() is None
    assert "supervisor" in message_boxes.shown[-1][2]


def test_the_accounts_view_unlocks_and_adds(qtbot, signed_in, staff) -> None:
    from desktop.desk.accounts import SignInError
    from desktop.ui.users_view import AccountForm

    for _ in range(5):
        with pytest.raises(SignInError):
            staff.desk.people.sign_in("ofc.chen", "not-the-password")
    signed_in.switch_session(staff.admin)
    dialog = signed_in.open_users()
    qtbot.addWidget(dialog)
    row = [a.username for a in dialog.accounts].index("ofc.chen")
    assert dialog.table.item(row, 3).text() == "LOCKED"
    dialog.table.selectRow(row)
    assert dialog.change("unlock")
    assert staff.desk.people.sign_in("ofc.chen", PASSWORDS["ofc.chen"])
    form = AccountForm(title="Add an account")
    qtbot.addWidget(form)
    form.username.setText("ofc.new")
    form.name.setText("N. NEW")
    form.badge.setText("1400")
    form.password.setText("first-password-9")
    form.setResult(form.DialogCode.Accepted)
    assert dialog.add(form)
    assert "ofc.new" in [a.username for a in dialog.accounts]


def test_the_queue_says_who_each_case_waits_for(qtbot, signed_in, staff) -> None:
    from desktop.ui.main_window import VIEW_REVIEW

    staff.desk.cases.record(
        staff.officer,
        staff.desk.decide(
            {**S01, "documents": [{"kind": "state_court_order", "signer": "state_judge", "verified": True}]}
        ),
    )
    signed_in.show_view(VIEW_REVIEW)
    model = signed_in._review_view.log.model
    assert model.rowCount() == 1
    waits = model.data(model.index(0, 9))
    assert waits == "recorded by J. SMITH #1234; waits for a supervisor other than J. SMITH #1234"


def test_the_lock_holds_when_its_audit_entry_cannot_be_written(qtbot, signed_in, staff, monkeypatch) -> None:
    from desktop.desk.sessions import SessionRefused
    from desktop.store.errors import DiskError

    def full(*_args, **_kwargs):
        raise DiskError("the disk is full")

    monkeypatch.setattr(staff.desk._store, "log_event", full)
    signed_in.lock_now()
    assert signed_in.idle_lock.locked and signed_in.idle_lock.screen.isVisible()
    with pytest.raises(SessionRefused, match="locked"):
        staff.desk.cases.count(staff.officer)  # the desk refuses the locked session all the same


def test_another_officer_at_the_lock_gets_none_of_the_locked_officers_windows(qtbot, signed_in, staff) -> None:
    case = staff.desk.cases.record(staff.officer, staff.desk.decide(S01)).case_number
    dialog = signed_in.open_case(case)
    qtbot.addWidget(dialog)
    wizard = signed_in.start_intake({**S01, "notes": "typed by Smith"})
    qtbot.addWidget(wizard)
    sign_in_at_the_lock(signed_in, "ofc.chen")
    assert signed_in.session.username == "ofc.chen" and signed_in.isVisible()
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert visible == [signed_in], visible  # Smith's case and request stay closed
    assert not dialog.isVisible() and not wizard.isVisible() and signed_in.stack.currentIndex() == 0
    assert signed_in.intakes.drafts.list() == []  # Smith's request is Smith's draft, not Chen's
    signed_in.switch_session(staff.desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"]))
    assert [d.intake.get("notes") for d in signed_in.intakes.drafts.list()] == ["typed by Smith"]


def test_the_admins_accounts_window_is_closed_when_another_person_signs_in_at_the_lock(qtbot, signed_in, staff) -> None:
    signed_in.switch_session(staff.admin)
    accounts = signed_in.open_users()
    qtbot.addWidget(accounts)
    assert accounts.isVisible()
    sign_in_at_the_lock(signed_in, "ofc.smith")
    assert signed_in.session.username == "ofc.smith" and not accounts.isVisible()
    assert not signed_in.menus.users_action.isVisible()  # an officer is not offered the accounts at all
