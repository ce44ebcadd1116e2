"""The Reports window: a period, ICE's count, the report's pages, the files, and the register for supervisors."""

from __future__ import annotations

import csv
from pathlib import Path

from desktop.records import EventKind
from desktop.ui.reports_view import ReportsDialog
from tests.unit.cli_run import S01


def finished(qtbot, op):
    """A report's job runs in the background: its result once it has come back to the window (None: refused)."""
    if op is None:
        return None
    if op.running:
        with qtbot.waitSignal(op.finished, timeout=60000):
            pass
    return op.result


def kinds(desk) -> list[str]:
    return [r[0] for r in desk._store._conn.execute("SELECT kind FROM audit_log ORDER BY seq")]


def test_the_view_shows_the_pages_and_saves_the_files(qtbot, desk, officer, tmp_path: Path, message_boxes) -> None:
    desk.cases.record(officer, desk.decide(S01))
    dialog = ReportsDialog(desk, officer)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.preset.setCurrentIndex(2)  # Month
    dialog.year.setValue(2026)
    dialog.month.setCurrentIndex(0)  # January 2026, when S01 was received
    dialog.ice_count.setValue(7)
    assert dialog.period().label == "2026-01" and dialog.ice() == 7
    assert finished(qtbot, dialog.show_report())
    assert len(dialog.page_labels) >= 2 and not dialog.page_labels[0].pixmap().isNull()
    assert "1 request received" in dialog.summary.text()
    assert kinds(desk)[-1] == EventKind.REPORT
    pdf = finished(qtbot, dialog.save("pdf", tmp_path / "jan.pdf")).path
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    saved = finished(qtbot, dialog.save("csv", tmp_path / "jan.csv")).path
    assert saved is not None and saved.read_text(encoding="utf-8").startswith("section,group,value")
    # An officer without the role cannot take the register.
    assert not dialog.register_button.isEnabled()
    assert dialog.save_register(tmp_path / "no.csv") is None and not (tmp_path / "no.csv").exists()
    assert message_boxes.shown and "supervisors and admins" in message_boxes.shown[-1][2]
    dialog.grab().save(str(tmp_path / "reports-view.png"))


def test_a_supervisor_saves_the_register(qtbot, desk, officer, supervisor, tmp_path: Path) -> None:
    saved = desk.cases.record(officer, desk.decide(S01))
    dialog = ReportsDialog(desk, supervisor)
    qtbot.addWidget(dialog)
    dialog.preset.setCurrentIndex(0)
    dialog.year.setValue(2026)
    assert dialog.register_button.isEnabled()
    inside = desk.data_dir / "register.csv"  # inside the data folder: plain
    path = finished(qtbot, dialog.save_register(inside)).path
    assert path == inside
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert [r["case_number"] for r in rows] == [saved.case_number]
    assert kinds(desk)[-1] == EventKind.EXPORT
    # outside the data folder: encrypted
    sealed = finished(qtbot, dialog.save_register(tmp_path / "usb.csv", passphrase="Station-Copy-2026!")).path
    assert sealed == tmp_path / "usb.csv.enc" and sealed.read_bytes().startswith(b"SCDENC01")


def test_an_empty_period_says_so(qtbot, desk, officer) -> None:
    dialog = ReportsDialog(desk, officer)
    qtbot.addWidget(dialog)
    dialog.preset.setCurrentIndex(1)
    dialog.year.setValue(2024)
    dialog.quarter.setCurrentIndex(3)
    assert dialog.period().label == "2024-Q4"
    assert finished(qtbot, dialog.show_report())
    assert dialog.summary.text().startswith("No requests received")


def test_the_window_opens_the_reports(window) -> None:
    dialog = window.open_reports()
    assert isinstance(dialog, ReportsDialog) and dialog.isVisible()
    dialog.close()
