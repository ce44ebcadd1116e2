"""A log that was cut short or had derived rows taken away comes back whole (issue 14, items 2 and 7)."""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.records import Status
from desktop.store import CaseQuery, open_store
from tests.conftest import ROOT, downgrade_to_first_schema
from tests.unit.store.cases import record

OPEN_ONLY = (
    "import sys; from pathlib import Path; from desktop.store import open_store\n"
    "print('opening', flush=True); open_store(Path(sys.argv[1])).close(); print('done', flush=True)\n"
)


def _old_log(folder: Path, pack, cases: int) -> Path:
    """A log of `cases` cases taken back to the first release's schema (no index, no accounts)."""
    data = folder / "template"
    with open_store(data) as opened:
        for n in range(cases):
            record(opened, pack, subject={"custody": "in_city_custody", "booking_number": f"26-{n:06d}"})
    downgrade_to_first_schema(data / "cases.db")
    return data


def _migrated(data: Path) -> int:
    conn = sqlite3.connect(data / "cases.db")
    try:
        return int(conn.execute("SELECT COUNT(*) FROM audit_log WHERE kind = 'migrated'").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.kill
def test_a_killed_upgrade_leaves_the_log_whole_and_the_next_open_completes_it(tmp_path: Path, pack) -> None:
    template = _old_log(tmp_path, pack, 400)
    # The upgrade's own time, from "opening" to the end: the interpreter's start is left out, which is most of the
    # run where starting a process is slow (Windows; several seconds under Wine), so the kills still land inside.
    timed = subprocess.Popen(
        [sys.executable, "-c", OPEN_ONLY, str(_copy(template, tmp_path / "timed"))],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert timed.stdout is not None and timed.stdout.readline().strip() == "opening"
    started = time.perf_counter()
    timed.communicate(timeout=120)
    span = time.perf_counter() - started
    assert timed.returncode == 0
    chance = random.Random(14)
    interrupted = 0
    for run in range(8):
        data = _copy(template, tmp_path / f"run{run}")
        proc = subprocess.Popen(
            [sys.executable, "-c", OPEN_ONLY, str(data)], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "opening"
        time.sleep(chance.uniform(0.0, span * 0.6))  # somewhere inside the upgrade, mostly
        proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
        out, _ = proc.communicate(timeout=60)
        interrupted += "done" not in out
        assert _migrated(data) in (0, 1)  # the upgrade's entry is there exactly when the upgrade is
        with open_store(data) as opened:
            assert opened.count() == 400 and opened.total_cases() == 400
            assert opened.count(CaseQuery(text="26-000399")) == 1
            report = opened.verify()
            assert report.ok, report.problems[:3]
        assert _migrated(data) == 1
    assert interrupted >= 3  # the kills landed inside the upgrade, not after it


def _copy(template: Path, to: Path) -> Path:
    shutil.copytree(template, to)
    return to


def _referred(store, pack):
    return record(store, pack, claims_mandatory=True)


def test_a_referred_case_stays_in_the_review_queue_when_its_index_rows_are_deleted(tmp_path: Path, pack) -> None:
    data = tmp_path / "data"
    with open_store(data) as opened:
        record(opened, pack)
        waiting = _referred(opened, pack)
        assert waiting.status == Status.REFERRED
        raw = sqlite3.connect(data / "cases.db")
        case_id = raw.execute("SELECT id FROM case_index WHERE case_number = ?", [waiting.case_number]).fetchone()[0]
        raw.execute("DELETE FROM case_facets WHERE case_id = ?", [case_id])
        raw.commit()
        # The search no longer finds it; the queue, which reads the versions, still does.
        assert opened.count(CaseQuery(status="referred")) == 0
        assert [s.case_number for s in opened.review_queue()] == [waiting.case_number]
        assert opened.review_count() == 1
        assert any(f"search facets of case {waiting.case_number}" in p for p in opened.verify().problems)
        raw.execute("DELETE FROM case_index WHERE id = ?", [case_id])
        raw.commit()
        raw.close()
        assert [s.case_number for s in opened.review_queue()] == [waiting.case_number]
        problems = opened.verify().problems
        assert any(f"case {waiting.case_number} is missing from the search index" in p for p in problems)
    with open_store(data) as reopened:  # the next open sees the disagreement and rebuilds the index
        assert any("Search index rebuilt" in n for n in reopened.notices)
        assert reopened.verify().ok
        assert reopened.count(CaseQuery(status="referred")) == 1


def test_a_case_missing_from_the_full_text_index_is_reported_and_put_back(tmp_path: Path, pack) -> None:
    data = tmp_path / "data"
    with open_store(data) as opened:
        first = record(opened, pack, subject={"custody": "in_city_custody", "name": "ROE, RICHARD"})
        raw = sqlite3.connect(data / "cases.db")
        row = raw.execute("SELECT * FROM case_index WHERE case_number = ?", [first.case_number]).fetchone()
        columns = ["case_number", "booking_number", "subject_name", "requester_name", "signer_names", "notes"]
        names = [d[0] for d in raw.execute("SELECT * FROM case_index LIMIT 0").description]
        values = [row[names.index(c)] for c in columns]
        raw.execute(
            f"INSERT INTO case_index_fts (case_index_fts, rowid, {', '.join(columns)})"
            " VALUES ('delete', ?, ?, ?, ?, ?, ?, ?)",
            [row[0], *values],
        )
        raw.commit()
        raw.close()
        assert opened.count(CaseQuery(text="Richard")) == 0
        problems = opened.verify().problems
        assert any(f"case {first.case_number} is missing from the full-text index" in p for p in problems)
    with open_store(data) as reopened:
        assert reopened.count(CaseQuery(text="Richard")) == 1 and reopened.verify().ok


def test_the_review_queue_filters_as_the_search_does(tmp_path: Path, pack) -> None:
    with open_store(tmp_path / "data") as opened:
        record(opened, pack)
        one = record(
            opened,
            pack,
            claims_mandatory=True,
            subject={"custody": "in_city_custody", "name": "MÜLLER, ANNA", "booking_number": "26-000555"},
        )
        two = _referred(opened, pack)
        everyone = [s.case_number for s in opened.review_queue()]
        assert everyone == [two.case_number, one.case_number]  # newest first, as the case log
        assert [s.case_number for s in opened.review_queue(limit=1, offset=1)] == [one.case_number]
        assert [s.case_number for s in opened.review_queue(newest_first=False)] == everyone[::-1]
        paged = opened.review_queue(CaseQuery(requester="ice_ero"), limit=1, offset=1)  # filtered, then paged
        assert [s.case_number for s in paged] == [one.case_number] and opened.review_count() == 2
        for text in ("muller", "Anna", "26-000555", "26-0005", one.case_number):
            assert [s.case_number for s in opened.review_queue(CaseQuery(text=text))] == [one.case_number], text
        for text in ("nobody", "26-000556"):
            assert opened.review_queue(CaseQuery(text=text)) == [], text
        assert opened.review_count(CaseQuery(requester="ice_ero", document_kind="I-247A")) == 2
        assert opened.review_count(CaseQuery(document_kind="I-862")) == 0
        for query in (CaseQuery(text="anna"), CaseQuery(status="referred"), CaseQuery(document_kind="I-862")):
            assert opened.review_count(query) == opened.count(CaseQuery(status="referred", **_filters(query)))


def _filters(query: CaseQuery) -> dict:
    return {k: v for k, v in vars(query).items() if v and k != "status"}
