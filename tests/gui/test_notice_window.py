"""The notice to the person from the window (issue 28): the language chosen from the case's pack, the pages drawn
in the window, Print… for exactly those bytes, and the serving a signed entry only once the print succeeded, one
that verify-memo reads back as it reads a notice saved by `main.py notice`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog

from desktop.desk.notices import read_serving
from desktop.records import EventKind
from tests.gui.conftest import sign_in
from tests.gui.test_printing import answer_print_dialog
from tests.unit.cli_run import S01


@pytest.fixture
def case(desk, officer) -> str:
    return desk.cases.record(officer, desk.decide(S01)).case_number


def choose(monkeypatch, desk, session, case: str, code: str | None) -> list[list[str]]:
    """The language chooser, answered with the language `code` (None: cancelled); returns the choices offered."""
    offered: list[list[str]] = []
    words = dict(desk.paper.notice_languages(session, case))

    def get_item(_parent, _title, _label, items, _current=0, _editable=False):
        offered.append(list(items))
        return (words[code], True) if code is not None else ("", False)

    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    return offered


def notices(desk, session, case: str) -> list:
    return [e for e in desk.cases.open(session, case, audit=False).events if e.kind == EventKind.NOTICE]


def test_a_notice_printed_from_the_case_view_is_served_and_verified(
    qtbot, window, desk, case: str, monkeypatch, tmp_path: Path
) -> None:
    offered = choose(monkeypatch, desk, window.session, case, "es")
    printed = tmp_path / "printed.pdf"
    answer_print_dialog(monkeypatch, printed)
    view = window.open_case(case)
    qtbot.addWidget(view)
    preview = view.notice()
    assert preview is not None and preview.drawn.language == "es" and preview.page_labels
    assert len(offered[0]) >= 3 and offered[0][0].startswith("English")
    shots = os.environ.get("NOTICE_SHOTS")
    if shots:
        preview.resize(1366, 768)
        preview.grab().save(str(Path(shots) / "notice-preview-es.png"))
    assert notices(desk, window.session, case) == []  # drawn and shown: not served yet
    outcome = preview.print_pages()
    assert outcome.printed and printed.is_file()
    (served,) = notices(desk, window.session, case)
    serving = read_serving(case, served.kind, served.detail)
    assert (
        serving is not None
        and serving.language == "es"
        and serving.notice_sha256 == preview.drawn.serving.notice_sha256
    )
    assert "printed on PDF file" in served.detail
    kept = tmp_path / "the-notice-as-drawn.pdf"
    kept.write_bytes(preview.drawn.pdf)
    check = desk.paper.verify_memo(window.session, kept)
    assert check.matches, check.verdict
    assert desk.log.verify(sign_in(desk, "demo.admin")).ok


def test_cancelling_the_language_or_the_print_serves_nothing(
    qtbot, window, desk, case: str, monkeypatch, tmp_path: Path
) -> None:
    choose(monkeypatch, desk, window.session, case, None)
    view = window.open_case(case)
    qtbot.addWidget(view)
    assert view.notice() is None
    choose(monkeypatch, desk, window.session, case, "pt_BR")
    answer_print_dialog(monkeypatch, None)  # Cancel in the print dialog
    preview = view.notice()
    assert preview is not None
    assert not preview.print_pages().printed
    assert notices(desk, window.session, case) == []


def test_a_notice_drawn_for_one_officer_is_not_served_by_another(desk, officer, case: str) -> None:
    from desktop.desk.policy import NotAllowed

    drawn = desk.paper.draw_notice(officer, case, "en")
    other = sign_in(desk, "demo.sgt")
    with pytest.raises(NotAllowed, match="draws their own"):
        desk.paper.record_notice_print(other, drawn, printer="Booking desk", copies=1)
    assert notices(desk, officer, case) == []
