"""The review queue, filtered through the projection and checked against the log, finds exactly what reading
every referred case from the log and filtering it in Python finds: by either route (a rare filter read
whole, a common one walked down the referred cases' numbers), paged, in both orders, and after the
projection was damaged by hand."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.demo import synthetic_intakes
from desktop.records import Override, Status
from desktop.rules import Pack, decide, parse_intake
from desktop.store import CaseQuery, CaseStore, open_store
from desktop.store import queue as queue_module
from tests.unit.store.cases import OFFICER

QUERIES = [
    CaseQuery(requester="ice_ero"),
    CaseQuery(requester="ice_hsi", document_kind="I-247A"),
    CaseQuery(document_kind="I-862"),
    CaseQuery(code="REFER_COUNSEL"),
    CaseQuery(document_kind="state_court_order"),
    CaseQuery(text="GARCIA"),
    CaseQuery(text="nunez"),
    CaseQuery(text="wal"),
    CaseQuery(text="nobody-at-all"),
    CaseQuery(since=dt.date(2026, 10, 29)),
    CaseQuery(since=dt.date(2026, 10, 27), until=dt.date(2026, 10, 28), requester="ice_ero"),
    CaseQuery(referred=False),
    CaseQuery(referred=True, text="WALSH"),
    CaseQuery(status="decided"),
    CaseQuery(status="referred", document_kind="I-247A"),
]


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory, pack: Pack) -> Iterator[CaseStore]:
    """300 synthetic cases, some overridden, a third of the referred ones resolved and a few amended back into
    review."""
    store = open_store(Path(tmp_path_factory.mktemp("queue")) / "data")
    intakes = [parse_intake(d) for d in synthetic_intakes(pack, 300, seed=5)]
    rng = random.Random(5)
    disagree = Override("The paper looked like a court order", OFFICER)
    saved = store.record_many(
        [(i, decide(i, pack), OFFICER, disagree if rng.random() < 0.05 else None) for i in intakes], pack
    )
    referred = [v for v in saved if v.status == Status.REFERRED]
    for version in referred[::3]:
        store.amend(
            version.case_number,
            version.intake,
            version.decision,
            pack,
            officer="SGT. K. JONES #77",
            reason="Counsel advised",
            status="resolved",
        )
    for version in rng.sample([v for v in saved if v.status == Status.DECIDED], 10):
        other = rng.choice(referred)
        store.amend(
            version.case_number, other.intake, other.decision, pack, officer="SGT. K. JONES #77", reason="Corrected"
        )
    yield store
    store.close()


def _python_filtered(store: CaseStore, query: CaseQuery, newest_first: bool = True) -> list[str]:
    """What the log says, filtered in Python: every referred case read whole (the path of a damaged projection)."""
    rows = store._every_referred("DESC" if newest_first else "ASC")
    if query.status and query.status != "referred":
        return []
    return [s.case_number for s in store._summaries(rows, query)]


def _numbers(store: CaseStore, query: CaseQuery | None, **page: int | bool) -> list[str]:
    return [s.case_number for s in store.review_queue(query, **page)]  # type: ignore[arg-type]


@pytest.mark.parametrize("route", ["read whole", "walked"])
def test_every_filter_finds_what_the_log_says(log: CaseStore, route: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue_module, "RARE_BELOW", 10**9 if route == "read whole" else 0)
    assert log._projection_holds_queue()
    found_any = 0
    for query in QUERIES:
        expected = _python_filtered(log, query)
        assert _numbers(log, query, limit=1000) == expected, query
        assert log.review_count(query) == len(expected), query
        assert _numbers(log, query, limit=7, offset=3) == expected[3:10], query
        assert _numbers(log, query, limit=1000, newest_first=False) == expected[::-1], query
        found_any += bool(expected)
    assert found_any >= 11  # the queries do find cases, and not the same ones


def test_the_queue_as_it_opens(log: CaseStore) -> None:
    everyone = _python_filtered(log, CaseQuery())
    assert len(everyone) > 40 and everyone == sorted(everyone, reverse=True)
    assert _numbers(log, None, limit=1000) == everyone
    assert _numbers(log, None, limit=5, offset=20) == everyone[20:25]
    assert _numbers(log, CaseQuery(status="referred"), limit=1000, newest_first=False) == everyone[::-1]
    assert log.review_count() == len(everyone)


def test_a_damaged_projection_is_not_trusted(tmp_path: Path, pack: Pack) -> None:
    """A facet row deleted by hand, and a search row put back to a version since resolved: the filtered
    queue reads the log instead, and still finds exactly the referred cases, each once."""
    data = tmp_path / "data"
    with open_store(data) as store:
        intakes = [parse_intake(d) for d in synthetic_intakes(pack, 60, seed=9)]
        saved = store.record_many([(i, decide(i, pack), OFFICER, None) for i in intakes], pack)
        referred = [v for v in saved if v.status == Status.REFERRED]
        hidden, resolved = referred[0], referred[1]
        store.amend(
            resolved.case_number,
            resolved.intake,
            resolved.decision,
            pack,
            officer="SGT. K. JONES #77",
            reason="Counsel advised",
            status="resolved",
        )
        query = CaseQuery(requester=hidden.intake.requester)
        before = _python_filtered(store, query)
        assert hidden.case_number in before and resolved.case_number not in before
        assert _numbers(store, query, limit=1000) == before

        raw = sqlite3.connect(data / "cases.db")
        case_id = raw.execute("SELECT id FROM case_index WHERE case_number = ?", [hidden.case_number]).fetchone()[0]
        raw.execute("DELETE FROM case_facets WHERE case_id = ?", [case_id])  # the search no longer files it
        stale = raw.execute("SELECT id FROM case_index WHERE case_number = ?", [resolved.case_number]).fetchone()[0]
        raw.execute("UPDATE case_index SET version = 1, status = 'referred' WHERE id = ?", [stale])
        raw.execute(
            "UPDATE case_facets SET facet = 'status:referred' WHERE case_id = ? AND facet = ?",
            [stale, "status:resolved"],
        )
        raw.commit()
        assert hidden.case_number not in [s.case_number for s in store.search(query, limit=1000)]
        assert not store._projection_holds_queue()
        assert _numbers(store, query, limit=1000) == before
        assert store.review_count(query) == len(before)

        # The stale row mended, and the hidden case filed under another status instead: counts still disagree.
        raw.execute("INSERT INTO case_facets VALUES ('status:decided', ?)", [case_id])
        raw.execute("UPDATE case_index SET version = 2, status = 'resolved' WHERE id = ?", [stale])
        raw.execute(
            "UPDATE case_facets SET facet = 'status:resolved' WHERE case_id = ? AND facet = ?",
            [stale, "status:referred"],
        )
        raw.commit()
        raw.close()
        assert not store._projection_holds_queue()
        assert _numbers(store, query, limit=1000) == before
    with open_store(data) as reopened:  # verify names the damage; rebuilding the index mends it, and it is trusted
        assert any(f"search facets of case {hidden.case_number}" in p for p in reopened.verify().problems)
        assert not reopened._projection_holds_queue()
        reopened.rebuild_index()
        assert reopened._projection_holds_queue()
        assert _numbers(reopened, query, limit=1000) == before
