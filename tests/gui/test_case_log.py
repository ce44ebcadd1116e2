"""Tests for the case log model and view: Qt's model tester, lazy pages, search, filters, order."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.demo import fill_demo_log
from desktop.rules import labels, vocab
from desktop.store import CaseQuery
from desktop.ui.case_log import COLUMNS, PAGE_SIZE, REVIEW_COLUMNS, CaseLogModel, CaseLogView
from desktop.ui.widgets import CheckList


@pytest.fixture
def filled(desk):
    fill_demo_log(desk, count=30)
    return desk


@pytest.fixture
def session(filled, officer):
    return officer


def test_model_passes_qt_model_tester(qtmodeltester, filled, session) -> None:
    model = CaseLogModel(desk=filled, session=session)
    qtmodeltester.check(model, force_py=True)
    model.set_query(CaseQuery(text="GARCIA"))
    qtmodeltester.check(model, force_py=True)


def test_model_is_lazy_and_pages(filled, session) -> None:
    model = CaseLogModel(desk=filled, session=session)
    assert model.rowCount() == 30
    assert model._pages == {}  # nothing fetched until a row is asked for
    first = model.data(model.index(0, 0))
    assert first.startswith("2026-0000") and list(model._pages) == [0]
    assert model.data(model.index(29, 0)) is not None
    assert PAGE_SIZE >= 30 and list(model._pages) == [0]


def test_case_numbers_follow_the_desk_clock_into_a_later_year(clock, desk, officer) -> None:
    import datetime as dt

    clock.now = dt.datetime(2031, 1, 1, 5, 30, tzinfo=dt.UTC)  # 00:30 on New Year's Day in Northampton
    fill_demo_log(desk, count=3)
    model = CaseLogModel(desk=desk, session=officer)
    assert [model.case_number(r) for r in range(3)] == ["2031-000003", "2031-000002", "2031-000001"]
    assert model.data(model.index(0, 1)).startswith("2030-12-31")  # received the evening before


def test_newest_first_and_reversible(filled, session) -> None:
    model = CaseLogModel(desk=filled, session=session)
    numbers = [model.case_number(r) for r in range(model.rowCount())]
    assert numbers == sorted(numbers, reverse=True)
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert [model.case_number(r) for r in range(model.rowCount())] == sorted(numbers)


def test_view_search_and_filters(qtbot, filled, session) -> None:
    view = CaseLogView(desk=filled, session=session)
    qtbot.addWidget(view)
    total = view.model.rowCount()
    name = view.model.summary(0).subject_name.split(",")[0]
    qtbot.keyClicks(view.search, name)
    qtbot.waitUntil(lambda: view.model.rowCount() < total, timeout=2000)
    assert all(name in view.model.summary(r).subject_name for r in range(view.model.rowCount()))
    view.search.clear()
    view.apply_filters()
    view.code.setCurrentIndex(view.code.findData("REFER_COUNSEL"))
    rows = view.model.rowCount()
    assert 0 < rows < total
    assert all("REFER_COUNSEL" in view.model.summary(r).codes for r in range(rows))
    assert view.count_label.text() == f"{rows} case{'s' if rows != 1 else ''}"


def test_review_queue_shows_only_referred_cases(qtbot, filled, session) -> None:
    view = CaseLogView(desk=filled, session=session, review_only=True)
    qtbot.addWidget(view)
    assert view.model.rowCount() > 0
    assert all(view.model.summary(r).status == "referred" for r in range(view.model.rowCount()))


def test_checklist_keeps_the_order_ticked(qtbot) -> None:
    checklist = CheckList(vocab.ACTIONS, labels.ACTION, name="Actions")
    qtbot.addWidget(checklist)
    checklist.set_values(["relay", "hold"])
    assert checklist.values() == ["relay", "hold"]
    checklist.item(vocab.ACTIONS.index("access")).setCheckState(Qt.CheckState.Checked)
    checklist.item(vocab.ACTIONS.index("relay")).setCheckState(Qt.CheckState.Unchecked)
    assert checklist.values() == ["hold", "access"]


def searches(desk, session) -> list[str]:
    """The search entries of the audit log, oldest first (read without an entry of its own)."""
    entries = desk.log.entries(session, kind="search", audit=False)
    return [e.detail for e in reversed(entries)]


def test_each_search_the_officer_makes_is_audited_once_not_each_page(
    qtbot, filled, officer, supervisor, monkeypatch
) -> None:
    import desktop.ui.case_log

    monkeypatch.setattr(desktop.ui.case_log, "PAGE_SIZE", 4)  # 30 cases: eight pages
    view = CaseLogView(desk=filled, session=officer)
    qtbot.addWidget(view)
    assert searches(filled, supervisor) == ["searched: all cases"]  # opening the log is looking at it
    for row in range(view.model.rowCount()):  # scrolling through every page
        assert view.model.summary(row) is not None
    assert len(view.model._pages) == 8 and searches(filled, supervisor) == ["searched: all cases"]
    view.model.sort(0, Qt.SortOrder.AscendingOrder)  # the other way round: the same search
    view.refresh()  # the log changed elsewhere: the same search, read again
    assert len(searches(filled, supervisor)) == 1
    view.search.setText("GARCIA")  # typed at once (a pause while typing is a search of its own)
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    view.code.setCurrentIndex(view.code.findData("REFER_COUNSEL"))
    assert searches(filled, supervisor)[1:] == [
        "searched: text 'GARCIA'",
        "searched: text 'GARCIA', code REFER_COUNSEL",
    ]
    assert all(e.actor == officer.label for e in filled.log.entries(supervisor, kind="search", audit=False))


def test_a_search_in_the_review_queue_is_audited_too(qtbot, filled, officer, supervisor) -> None:
    view = CaseLogView(desk=filled, session=officer, review_only=True)
    qtbot.addWidget(view)
    view.requester.setCurrentIndex(view.requester.findData("ice_ero"))
    assert searches(filled, supervisor) == ["searched: status referred", "searched: requester ice_ero, status referred"]


@pytest.mark.parametrize("review_only", [False, True])
def test_columns_show_whole_case_numbers_and_open_questions_on_a_narrow_window(
    qtbot, filled, session, review_only
) -> None:
    """At 150% a 1366-wide screen is 911 px: every case number whole; an open question's code and heading read
    in its cell (wrapped), the whole question in the tooltip."""
    from PySide6.QtCore import QRect

    view = CaseLogView(desk=filled, session=session, review_only=review_only)
    qtbot.addWidget(view)
    view.resize(890, 500)
    view.show()
    qtbot.waitUntil(lambda: view.table.horizontalHeader().sectionSize(0) > 48)
    qtbot.wait(10)
    table, model = view.table, view.model
    header, metrics = table.horizontalHeader(), table.fontMetrics()
    assert model.rowCount() > 0
    assert header.length() <= table.viewport().width() + 1  # no column off to the right
    for column in range(model.columnCount()):  # every header word whole
        if not table.isColumnHidden(column):
            title = model.headerData(column, Qt.Orientation.Horizontal)
            longest = max(header.fontMetrics().horizontalAdvance(word) for word in title.split())
            assert longest + 8 <= header.sectionSize(column), title
    for row in range(model.rowCount()):
        for column in (0, 1, 4):  # case number, received, booking number
            text = model.data(model.index(row, column))
            assert metrics.horizontalAdvance(text) + 8 <= header.sectionSize(column), (column, text)
        for column in range(model.columnCount()):
            text = model.data(model.index(row, column))
            assert model.data(model.index(row, column), Qt.ItemDataRole.ToolTipRole) == text  # the whole value
    if review_only:
        question = REVIEW_COLUMNS.index("Open question")
        for row in range(model.rowCount()):
            text = model.data(model.index(row, question))
            heading = ":".join(text.split(":")[:2])  # 'AMB-5: "Sole purpose"'
            wrapped = metrics.boundingRect(
                QRect(0, 0, header.sectionSize(question) - 8, 10_000), Qt.TextFlag.TextWordWrap, heading
            )
            assert wrapped.height() <= table.rowHeight(row), text
            assert model.data(model.index(row, question), Qt.ItemDataRole.ToolTipRole) == text
        assert table.isColumnHidden(COLUMNS.index("Status"))  # every case in the queue is referred
