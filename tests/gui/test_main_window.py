"""Tests for the main window: views, status bar, officer, case view, review queue, background jobs."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from desktop.demo import fill_demo_log
from desktop.desk import Desk, system_clock
from desktop.store import check_log_file
from desktop.ui.main_window import VIEW_HOME, VIEW_LOG, VIEW_POLICY, VIEW_REVIEW, MainWindow
from tests.conftest import downgrade_to_first_schema
from tests.gui.conftest import OFFICER, sign_in


def test_status_bar_shows_folder_pack_review_and_officer(window, desk) -> None:
    texts = " | ".join(
        label.text()
        for label in (
            window.officer_label,
            window.pack_label,
            window.pack_warning,
            window.folder_label,
            window.review_label,
        )
    )
    assert OFFICER in texts and "northampton-2019" in texts and "awaits legal review" in texts
    assert str(desk.data_dir) in texts and "Awaiting review: 0" in texts


def test_views_are_built_when_first_shown(qtbot, window, desk) -> None:
    fill_demo_log(desk, count=12)
    for view in (VIEW_LOG, VIEW_REVIEW, VIEW_POLICY):
        window.show_view(view)
        assert window.stack.currentIndex() == view
    assert window._log_view.model.rowCount() == 12
    assert "To neither detain nor delay" in window._policy_view.toPlainText()
    assert window._review_view.log.model.rowCount() == desk.cases.review_count(window.session) > 0


def test_open_case_reprint_and_events(qtbot, window, desk) -> None:
    numbers = fill_demo_log(desk, count=6)
    dialog = window.open_case(numbers[0])
    qtbot.addWidget(dialog)
    versions = len(desk.cases.open(window.session, numbers[0], audit=False).versions)
    assert versions > 1 and f"amended ({versions} versions)" in dialog.heading.text()
    assert dialog.tabs.count() == 5
    dialog.reprint()
    assert dialog.memo_path is not None and dialog.memo_path.exists()
    assert numbers[0] in PdfReader(dialog.memo_path).pages[0].extract_text()
    assert [e.kind for e in desk.cases.open(window.session, numbers[0], audit=False).events][-1] == "memo"


def answer_outcome(monkeypatch, text: str) -> None:
    """The outcome dialog, typed into and accepted (a modal dialog offscreen would wait forever)."""
    from desktop.ui.review import OutcomeDialog

    def exec_(dialog: OutcomeDialog) -> int:
        dialog.text.setPlainText(text)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(OutcomeDialog, "exec", exec_)


def test_review_queue_records_an_outcome_as_an_amendment(qtbot, supervisor_window, desk, monkeypatch) -> None:
    window = supervisor_window  # only a supervisor records an outcome
    fill_demo_log(desk, count=20)
    window.show_view(VIEW_REVIEW)
    queue = window._review_view.log
    before = queue.model.rowCount()
    # the first case in the queue this supervisor took no part in (the two-person rule)
    row = next(r for r in range(before) if desk.cases.may_resolve(window.session, queue.model.case_number(r)))
    number = queue.model.case_number(row)
    queue.table.selectRow(row)
    answer_outcome(monkeypatch, "Solicitor: decline stands")
    window._review_view.resolve_selected()
    case = desk.cases.open(window.session, number, audit=False)
    assert case.current.status == "resolved" and case.current.amendment_reason == "Resolved: Solicitor: decline stands"
    assert case.versions[0].status == "referred"
    assert queue.model.rowCount() == before - 1


def test_backup_runs_in_the_background(qtbot, supervisor_window, desk, tmp_path: Path) -> None:
    window = supervisor_window  # supervisors and admins back up the log
    fill_demo_log(desk, count=5)
    target = desk.data_dir / "backups" / "inside.db"  # inside the data folder: a plain copy, no passphrase asked
    target.parent.mkdir(exist_ok=True)
    job = window.jobs.backup(target)
    with qtbot.waitSignal(job.finished, timeout=20000) as signal:
        pass
    assert "Backed up" in signal.args[0] and "encrypted" not in signal.args[0]
    assert check_log_file(target).ok


def test_a_backup_leaving_the_data_folder_is_encrypted(
    qtbot, supervisor_window, desk, tmp_path: Path, monkeypatch
) -> None:
    window = supervisor_window
    import desktop.encrypted

    monkeypatch.setattr(desktop.encrypted, "SCRYPT_N", 2**12)
    fill_demo_log(desk, count=2)
    job = window.jobs.backup(tmp_path / "usb.db", passphrase="Station-Copy-2026!")
    with qtbot.waitSignal(job.finished, timeout=20000) as signal:
        pass
    assert "(encrypted)" in signal.args[0]
    sealed = tmp_path / "usb.db.enc"
    assert sealed.read_bytes().startswith(b"SCDENC01") and not (tmp_path / "usb.db").exists()


def test_the_passphrase_dialog_refuses_a_weak_or_mistyped_passphrase_inline(qtbot) -> None:
    from desktop.ui.passphrase import PassphraseDialog

    dialog = PassphraseDialog(target="E:/usb.db.enc")
    qtbot.addWidget(dialog)
    dialog.first.setText("short")
    dialog._accept()
    assert dialog.passphrase is None and "needs at least 10 characters (it has 5)" in dialog.error.text.text()
    dialog.first.setText("Station-Copy-2026!")
    dialog.second.setText("Station-Copy-2027!")
    dialog._accept()
    assert dialog.passphrase is None and "differ" in dialog.error.text.text() and dialog.second.text() == ""
    dialog.second.setText("Station-Copy-2026!")
    dialog._accept()
    assert dialog.passphrase == "Station-Copy-2026!" and dialog.result() == dialog.DialogCode.Accepted


def test_export_memos_of_the_shown_cases(qtbot, supervisor_window, desk, tmp_path: Path, monkeypatch) -> None:
    window = supervisor_window  # supervisors and admins export memos
    import desktop.encrypted

    fill_demo_log(desk, count=4)
    window.show_view(VIEW_LOG)
    monkeypatch.setattr(desktop.encrypted, "SCRYPT_N", 2**12)
    job = window.jobs.export_memos(tmp_path, passphrase="Station-Copy-2026!")  # outside the data folder: sealed
    with qtbot.waitSignal(job.finished, timeout=60000) as signal:
        pass
    assert "Wrote 4 memo(s)" in signal.args[0] and "encrypted" in signal.args[0]
    assert len(list(tmp_path.glob("*.pdf.enc"))) == 4 and not list(tmp_path.glob("*.pdf"))


def test_verify_runs_off_the_gui_thread_and_reports_an_intact_log(qtbot, window, desk, message_boxes) -> None:
    import threading

    fill_demo_log(desk, count=3)
    threads: list[threading.Thread] = []
    original = desk.log.verify

    def spy(session, **kwargs):
        threads.append(threading.current_thread())
        return original(session, **kwargs)

    desk.log.verify = spy  # type: ignore[method-assign]
    job = window.jobs.verify()
    assert job is not None
    qtbot.waitUntil(lambda: bool(message_boxes.shown), timeout=10000)
    kind, _title, text = message_boxes.shown[-1]
    assert kind == "information" and "The log is intact" in text
    assert threads and threads[0] is not threading.main_thread()
    events = [kind for kind, _a in audit_kinds(desk)]
    assert events[-1] == "verify"


def test_verify_reports_an_altered_log(qtbot, window, desk, message_boxes) -> None:
    import sqlite3

    fill_demo_log(desk, count=3)
    raw = sqlite3.connect(desk._store.path)
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 2")
    raw.commit()
    raw.close()
    window.jobs.verify()
    qtbot.waitUntil(lambda: bool(message_boxes.shown), timeout=10000)
    kind, _title, text = message_boxes.shown[-1]
    assert kind == "critical" and "altered" in text and "audit entry 2" in text


def audit_kinds(desk) -> list[tuple[str, str]]:
    """(kind, actor) of every audit entry, read with a raw connection."""
    import sqlite3

    raw = sqlite3.connect(desk._store.path)
    try:
        return list(raw.execute("SELECT kind, actor FROM audit_log ORDER BY seq"))
    finally:
        raw.close()


def test_geometry_and_view_are_remembered(qtbot, desk, settings) -> None:
    first = MainWindow(desk=desk, settings=settings, session=sign_in(desk, "demo.martin"))
    qtbot.addWidget(first)
    first.show()
    first.finish_start()
    first.show_view(VIEW_LOG)
    first.close()
    desk_again = Desk(desk.data_dir, clock=system_clock)
    second = MainWindow(desk=desk_again, settings=settings, session=sign_in(desk_again, "demo.martin"))
    qtbot.addWidget(second)
    second.show()
    second.finish_start()
    assert second.stack.currentIndex() == VIEW_LOG
    desk_again.close()


def test_a_second_start_brings_the_first_window_forward(qtbot, window, tmp_path: Path) -> None:
    from desktop.ui.app import SingleInstance

    first = SingleInstance(tmp_path / "instance")
    (tmp_path / "instance").mkdir()
    assert first.acquire()
    first.watch(window)
    window.showMinimized()
    second = SingleInstance(tmp_path / "instance")
    assert not second.acquire()  # the first holds the lock
    second.ask_first_to_raise()
    qtbot.waitUntil(lambda: not first.raise_file.exists(), timeout=5000)
    assert not window.isMinimized()
    first.lock.unlock()
    assert second.acquire()


def test_an_upgraded_log_is_backed_up_migrated_and_said_so(qtbot, tmp_path: Path, settings) -> None:
    from desktop.desk import Desk

    data = tmp_path / "old"
    first = Desk(data, clock=system_clock)
    fill_demo_log(first, count=3)
    first.close()
    downgrade_to_first_schema(data / "cases.db")
    desk = Desk(data, clock=system_clock)
    # The first release's log had no accounts: the upgraded log starts with the first admin's set-up.
    admin = desk.people.setup(username="admin", name="A. ADMIN", badge="900", password="first-root-pass-0001")
    window = MainWindow(desk=desk, settings=settings, session=admin)
    qtbot.addWidget(window)
    window.show()
    window.finish_start()
    message = window.statusBar().currentMessage()
    assert "backed up to" in message and "upgraded" in message
    assert list((data / "backups").glob("cases-before-*.db"))
    window.show_view(VIEW_LOG)
    assert window._log_view.model.rowCount() == 3
    desk.close()


def test_keyboard_shortcuts(qtbot, window) -> None:
    from PySide6.QtGui import QKeySequence

    assert window.menus.new_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert [a.shortcut().toString() for a in window.menus.view_actions] == [
        "Ctrl+H",
        "Ctrl+L",
        "Ctrl+R",
        "Ctrl+Shift+P",
    ]
    window.menus.view_actions[1].trigger()
    assert window.stack.currentIndex() == VIEW_LOG


def test_a_missing_log_is_not_replaced_unless_the_officer_confirms(
    qtbot, desk, officer, settings, message_boxes, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    fill_demo_log(desk, count=2)
    desk.close()
    (desk.data_dir / "cases.db").unlink()
    for stray in desk.data_dir.glob("cases.db-*"):
        stray.unlink()
    message_boxes.answer = QMessageBox.StandardButton.No
    main = MainWindow(desk=desk, settings=settings, session=officer)  # signed in before the log went missing
    qtbot.addWidget(main)
    main.finish_start()
    assert message_boxes.shown[0][:2] == ("question", "The case log is missing")
    assert "is missing, but this folder kept one" in message_boxes.shown[0][2]
    assert message_boxes.shown[1][:2] == ("critical", "The case log cannot be opened")
    assert not (desk.data_dir / "cases.db").exists() and not desk.store_is_open
    message_boxes.answer = QMessageBox.StandardButton.Yes
    main.finish_start()
    assert desk.store_is_open and desk.cases.count(officer) == 0
    assert [e.kind for e in desk._store.audit_entries()][:1] == ["new_log"]


def test_escape_at_the_first_sign_in_quits_having_shown_no_case_data(qtbot, desk, settings, monkeypatch) -> None:
    from desktop.ui.signin import SignInDialog

    fill_demo_log(desk, count=3)
    monkeypatch.setattr(SignInDialog, "exec", lambda dialog: dialog.reject() or 0)  # Escape
    main = MainWindow(desk=desk, settings=settings, session=None)
    qtbot.addWidget(main)
    main.show()
    offered = [a.text() for a in main.menus.view_actions + [main.menus.new_action] if a.isVisible() or a.isEnabled()]
    assert offered == ["&Home", "&Policy"]  # nothing that reaches a case before anyone signs in
    main.finish_start()
    assert not main.isVisible() and main._built == {VIEW_HOME} and main.home.drafts.count() == 0


def test_a_second_start_while_locked_raises_the_lock_not_the_window(qtbot, window, tmp_path: Path) -> None:
    from desktop.ui.app import SingleInstance

    (tmp_path / "instance").mkdir()
    first = SingleInstance(tmp_path / "instance")
    assert first.acquire()
    first.watch(window)
    window.lock_now()
    screen = window.idle_lock.screen
    SingleInstance(tmp_path / "instance").ask_first_to_raise()
    qtbot.waitUntil(lambda: not first.raise_file.exists(), timeout=5000)
    assert not window.isVisible() and screen.isVisible() and window.idle_lock.locked
    first.lock.unlock()


def test_the_verify_box_says_what_main_py_verify_prints(qtbot, window, desk, message_boxes) -> None:
    from desktop import present

    fill_demo_log(desk, count=2)
    job = window.jobs.verify()
    with qtbot.waitSignal(job.finished, timeout=20000) as signal:
        pass
    _kind, _title, text = message_boxes.shown[-1]
    rows = present.log_check_rows(signal.args[0])  # the command line's rows
    assert [f"{row.label}: {row.value}" for row in rows[1:]] == text.split("\n\n", 1)[1].splitlines()
    assert "Signatures checked: " in text and f"Admin key fingerprint: {desk.people.admin_fingerprint()}" in text


def test_a_log_whose_admin_key_is_not_the_pinned_one_is_said_loudly_at_start(
    qtbot, desk, settings, officer, message_boxes, tmp_path: Path, monkeypatch
) -> None:
    """A log re-created whole under a new admin passes every check inside the file: the window compares its admin
    key with the one pinned on this PC at every start (issue 21)."""
    from desktop.desk.trust import PIN_ENV
    from tests.gui.conftest import open_window

    pin = tmp_path / "admin-fingerprint"
    pin.write_text("0123 4567 89AB CDEF 0123 4567 89AB CDEF\n", encoding="utf-8")  # another admin's key
    monkeypatch.setenv(PIN_ENV, str(pin))
    monkeypatch.setenv("SAFEDESK_DATA_DIR", str(desk.data_dir))
    main = open_window(qtbot, desk, settings, officer)
    alarms = [(title, text) for kind, title, text in message_boxes.shown if kind == "critical"]
    assert alarms and alarms[0][0] == "This is not the log set up on this PC", message_boxes.shown
    assert "0123 4567" in alarms[0][1] and "does not hold a fingerprint" not in alarms[0][1], alarms
    assert main.root_warning is not None and main.root_warning.isVisible()


def test_the_pinned_admin_key_said_nothing_when_it_is_this_logs(
    qtbot, desk, settings, officer, message_boxes, tmp_path: Path, monkeypatch
) -> None:
    from desktop.desk.trust import PIN_ENV
    from tests.gui.conftest import open_window

    pin = tmp_path / "admin-fingerprint"
    pin.write_text(str(desk.people.admin_fingerprint()) + "\n", encoding="utf-8")
    monkeypatch.setenv(PIN_ENV, str(pin))
    monkeypatch.setenv("SAFEDESK_DATA_DIR", str(desk.data_dir))
    main = open_window(qtbot, desk, settings, officer)
    assert not [m for m in message_boxes.shown if m[0] == "critical"] and main.root_warning is None
