"""Benchmark the case log: recording, the case log's pages and searches, the review queue, the index rebuild.

Run: .venv/bin/python -m bench.bench_store                    (10,000 cases)
     .venv/bin/python -m bench.bench_store 100000 1000000     (by hand; the million is built once, minutes)
     .venv/bin/python -m bench.bench_store --quick            (1,000 cases: what the test suite runs once)

The log is bench/biglog.py's (built once per size under $BENCH_TMP or the temporary folder, every
entry signed). Everything that writes (a case recorded, the index rebuilt) runs on a copy of it.

Each figure is printed beside a baseline measured in the same run on the same file, so figures from
a busy or a fast machine compare: one case recorded against the same rows inserted with the bare
sqlite3 module at the same durability (target within 2x); every page against a bare SELECT of 50
rows of the search index, every count against a bare COUNT(*) of it. Targets at 1,000,000 cases:
the first page of the case log, a search and the filtered review queue under 300 ms each (page and
count together, as the window asks for both), and no hold of the write lock by the index rebuild at
open past a few seconds (other desks wait 15 s, then fail to save). The longest hold is measured
from outside: a second connection takes the write lock again and again while the log opens, and its
longest wait is printed. `verify` is timed up to 100,000 cases (it is benchmarked on its own).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from bench.biglog import PACK, build_note, open_desk, prepared, scratch_copy, sign_in
from bench.common import median_seconds, ms, print_table
from desktop.records import CaseVersion
from desktop.rules import decide, parse_intake
from desktop.store import CaseQuery, open_store
from desktop.store.connect import BUSY_TIMEOUT_MS
from desktop.store.hashing import canonical
from desktop.store.index import index_disagrees

MODULE = "bench.bench_store"
QUICK_SIZE = 1000
VERIFY_UP_TO = 100_000


def bare_insert_seconds(db_path: Path, versions: list[CaseVersion], repeat: int) -> float:
    """The rows `record` writes for one case (case, version, audit entry, search row, facets; the FTS
    triggers fire as for the store), inserted with the bare sqlite3 module into the same file with
    the same durability (WAL, synchronous=FULL), values precomputed: the baseline for `record`."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    counter = iter(range(1, 10**9))

    def once() -> None:
        n = next(counter)
        v = versions[n % len(versions)]
        intake, decision = v.intake.to_dict(), v.decision.to_dict()
        number, fake_hash = f"1900-{n:06d}", f"{n:064x}"
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO cases VALUES (?, 1900, ?, ?)", [number, n, v.recorded_at])
        conn.execute(
            "INSERT INTO case_versions (case_number, version, intake_json, decision_json, policy_sha256, officer,"
            " desk, received_at, recorded_at, recorded_zone, status, record_hash)"
            " VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                number,
                canonical(intake),
                canonical(decision),
                PACK.sha256,
                v.officer,
                v.desk,
                v.received_at,
                v.recorded_at,
                v.recorded_zone,
                v.status.value,
                fake_hash,
            ],
        )
        seq = conn.execute("SELECT MAX(seq) FROM audit_log").fetchone()[0] + 1
        conn.execute(
            "INSERT INTO audit_log (seq, at, kind, case_number, version, actor, detail, record_hash, prev_hash,"
            " entry_hash, signer, signature) VALUES (?, ?, 'recorded', ?, 1, ?, 'codes', ?, ?, ?, ?, ?)",
            [seq, v.recorded_at, number, v.officer, fake_hash, fake_hash, f"{n:063x}f", "k", "s" * 88],
        )
        cursor = conn.execute(
            "INSERT INTO case_index (case_number, version, received_utc, received_at, received_day, recorded_at,"
            " requester, status, referred, codes, document_kinds, booking_number, subject_name, requester_name,"
            " signer_names, officer, notes) VALUES (?, 1, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, '', ?, ?)",
            [
                number,
                v.received_at,
                v.received_at,
                v.received_at[:10],
                v.recorded_at,
                v.intake.requester,
                v.status.value,
                "NO_HOLD",
                "I-247A",
                v.intake.subject.booking_number or "",
                v.intake.subject.name or "",
                v.intake.requester_name or "",
                v.officer,
                v.intake.notes or "",
            ],
        )
        conn.executemany(
            "INSERT INTO case_facets VALUES (?, ?)",
            [(f, cursor.lastrowid) for f in ("code:NO_HOLD", "doc:I-247A", "requester:ice_ero", "status:decided")],
        )
        conn.execute("COMMIT")

    result = median_seconds(once, repeat, warmup=3)
    conn.close()
    return result


class LockProbe:
    """A second connection taking the write lock again and again (as another desk saving would) while
    something runs: the longest it waited is the longest the lock was held against it."""

    def __init__(self, db: Path) -> None:
        self._db = db
        self._stop = threading.Event()
        self.waits: list[float] = []
        self.failures = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        conn = sqlite3.connect(self._db, isolation_level=None, timeout=120)
        try:
            while not self._stop.is_set():
                started = time.perf_counter()
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute("COMMIT")
                except sqlite3.OperationalError:
                    self.failures += 1
                self.waits.append(time.perf_counter() - started)
                time.sleep(0.01)  # a desk saves now and then, not in a tight loop
        finally:
            conn.close()

    def __enter__(self) -> LockProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def longest(self) -> float:
        return max(self.waits, default=0.0)


def rebuild_figures(data: Path) -> tuple[float, float, int, str]:
    """On a copy whose search index lost its status facets (so the open's check sees it and rebuilds the
    whole index): (the open's seconds, the longest wait of another writer for the lock meanwhile, the
    saves it tried, the open's notice)."""
    raw = sqlite3.connect(data / "cases.db")
    raw.execute("DELETE FROM case_facets WHERE facet >= 'status:' AND facet < 'status;'")
    raw.commit()
    raw.close()
    with LockProbe(data / "cases.db") as probe:
        started = time.perf_counter()
        store = open_store(data)
        seconds = time.perf_counter() - started
    notice = next((n for n in store.notices if "index" in n.lower()), "(no index notice)")
    store.close()
    return seconds, probe.longest, len(probe.waits), notice


def run(size: int, repeat: int) -> list[tuple[str, str, str]]:
    folder = prepared(size)
    rows: list[tuple[str, str, str]] = []

    def row(label: str, seconds: float, baseline: float | None = None) -> None:
        rows.append((label, ms(seconds), f"{seconds / baseline:7.1f}x" if baseline else ""))

    # --- on a copy: recording, then the index rebuilt at open ---
    with scratch_copy(size) as data:
        desk = open_desk(data.parent)
        officer = sign_in(desk)
        store = desk._store
        intakes = [parse_intake(d) for d in _some_intakes()]
        decisions = [decide(i, PACK) for i in intakes]
        counter = iter(range(10**9))

        def record_one() -> None:
            k = next(counter)
            store.record(intakes[k % len(intakes)], decisions[k % len(intakes)], PACK, officer=officer.actor)

        one = median_seconds(record_one, repeat * 3, warmup=3)
        samples = [store.get(s.case_number).current for s in store.search(CaseQuery(), limit=50)]
        desk.close()
        rebuild = rebuild_figures(data)
        bare = bare_insert_seconds(data / "cases.db", samples, repeat * 3)  # last: its rows would not verify
    rows.append(("baseline: one case's rows, bare sqlite3, same file and sync", ms(bare), ""))
    row("record one case, full sync, signed (target within 2x)", one, bare)

    # --- reading: the case log, searches, the queue ---
    desk = open_desk(folder)
    session = sign_in(desk)
    cases = desk.cases
    conn = sqlite3.connect(folder / "data" / "cases.db")
    page_base = median_seconds(
        lambda: conn.execute("SELECT * FROM case_index ORDER BY id DESC LIMIT 50").fetchall(), repeat
    )
    count_base = median_seconds(lambda: conn.execute("SELECT COUNT(*) FROM case_index").fetchone(), repeat)
    middle = cases.search(session, CaseQuery(), limit=1, offset=size // 2)[0]
    rare = middle.booking_number or middle.case_number
    queries: dict[str, CaseQuery] = {
        "the case log's first page (no filter)": CaseQuery(),
        f"search: one booking number ({rare})": CaseQuery(text=rare),
        "search: a common family name (GARCIA)": CaseQuery(text="GARCIA"),
        "search: a case number": CaseQuery(text=middle.case_number),
        "filter: response REFER_COUNSEL": CaseQuery(code="REFER_COUNSEL"),
        "filter: ice_hsi + I-247A": CaseQuery(requester="ice_hsi", document_kind="I-247A"),
        "filter: received in October 2026, referred": CaseQuery(
            since=dt.date(2026, 10, 1), until=dt.date(2026, 10, 31), referred=True
        ),
    }
    rows.append(("baseline: bare SELECT of 50 search rows, newest first", ms(page_base), ""))
    rows.append(("baseline: bare COUNT(*) of the search rows", ms(count_base), ""))
    for label, query in queries.items():
        page = median_seconds(lambda q=query: cases.search(session, q, limit=50), repeat)
        count = median_seconds(lambda q=query: cases.count(session, q), repeat)
        found = cases.count(session, query)
        row(f"{label}: page of 50 ({found:,} found)", page, page_base)
        row(f"{label}: its count", count, count_base)
    referred = cases.review_count(session)
    queue: dict[str, CaseQuery | None] = {
        f"review queue, unfiltered ({referred:,} referred)": None,
        "review queue: ice_hsi + I-247A": CaseQuery(requester="ice_hsi", document_kind="I-247A"),
        "review queue: text GARCIA": CaseQuery(text="GARCIA"),
        "review queue: received in October 2026": CaseQuery(since=dt.date(2026, 10, 1), until=dt.date(2026, 10, 31)),
        "review queue: paper I-862 (rare)": CaseQuery(document_kind="I-862"),
    }
    for label, maybe in queue.items():
        page = median_seconds(lambda q=maybe: cases.review_queue(session, q, limit=50), repeat)
        count = median_seconds(lambda q=maybe: cases.review_count(session, q), repeat)
        row(f"{label}: page of 50", page, page_base)
        row(f"{label}: its count ({cases.review_count(session, maybe):,})", count, count_base)
    store = desk._store

    def queue_check() -> None:
        store._queue_check = None  # as after any save: counted again
        store._projection_holds_queue()

    row("the counts a filtered queue checks once after each save", median_seconds(queue_check, repeat), count_base)
    row("index check at open (counts)", median_seconds(lambda: index_disagrees(store._conn), repeat), count_base)
    desk.close()
    conn.close()
    opened = median_seconds(lambda: open_store(folder / "data").close(), repeat)
    row("open the log (with that check)", opened, count_base)

    seconds, longest, attempts, notice = rebuild
    rows.append((f"rebuild the whole search index at open ({notice.partition(':')[0]})", f"{seconds:.2f} s", ""))
    rows.append(
        (
            f"  longest wait of another writer meanwhile ({attempts:,} saves; their busy timeout "
            f"{BUSY_TIMEOUT_MS // 1000} s)",
            f"{longest:.2f} s",
            "",
        )
    )

    # --- verify and size ---
    with open_store(folder / "data") as store:
        if size <= VERIFY_UP_TO:
            started = time.perf_counter()
            report = store.verify()
            verify_seconds = time.perf_counter() - started
            assert report.ok, report.problems[:3]
            rows.append(
                (
                    f"verify {report.entries_checked:,} entries, {report.signatures_checked:,} signatures",
                    f"{verify_seconds:.2f} s",
                    "",
                )
            )
        total = store.total_cases()
    size_bytes = (folder / "data" / "cases.db").stat().st_size
    rows.append((f"file size ({total:,} cases)", f"{size_bytes / 1e6:,.1f} MB", f"{size_bytes / total:,.0f} B/case"))
    return rows


def _some_intakes() -> list[dict[str, object]]:
    from desktop.demo import synthetic_intakes

    return list(synthetic_intakes(PACK, 50, seed=3))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE}", description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, help="cases in the log (default 10,000)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SIZE:,} cases, few repeats (seconds)")
    args = parser.parse_args(argv)
    sizes = [QUICK_SIZE] if args.quick else (args.sizes or [10_000])
    repeat = 3 if args.quick else 9
    for size in sizes:
        rows = run(size, repeat)
        print_table(
            f"case log benchmark at {size:,} cases (medians of {repeat}; WAL, synchronous=FULL)",
            [("log: " + build_note(size), "", ""), *rows],
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
