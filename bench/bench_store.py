"""Benchmark the case log at 10,000 (and optionally 1,000,000) synthetic cases.

Run: .venv/bin/python -m bench.bench_store            (10,000 cases)
     .venv/bin/python -m bench.bench_store 10000 1000000
Every entry is signed, as on a desk with accounts.
Prints: one case recorded with full sync (and, in the same run, the same rows inserted with the
bare sqlite3 module at the same durability, as a ratio; target within 2x), bulk load rate,
full-text search and filtered page (target under 50 ms at a million), verify time, bytes per case.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, median_seconds, ms
from desktop.demo import synthetic_intakes
from desktop.desk import Desk, system_clock
from desktop.records import Actor, CaseVersion
from desktop.rules import decide, load_pack, parse_intake
from desktop.store import CaseQuery, open_store
from desktop.store.hashing import canonical
from desktop.store.index import index_disagrees

PACK = load_pack(ROOT / "resources" / "policies" / "northampton-2019")
PASSWORD = "bench-password-1"


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
        number, fake_hash = f"1900-{n:06d}", f"{n:064x}"
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO cases VALUES (?, 1900, ?, ?)", [number, n, v.recorded_at])
        conn.execute(
            "INSERT INTO case_versions (case_number, version, intake_json, decision_json, policy_sha256, officer,"
            " desk, received_at, recorded_at, recorded_zone, status, record_hash)"
            " VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                number,
                canonical(v.intake),
                canonical(v.decision),
                PACK.sha256,
                v.officer,
                v.desk,
                v.received_at,
                v.recorded_at,
                v.recorded_zone,
                v.status,
                fake_hash,
            ],
        )
        seq = conn.execute("SELECT MAX(seq) FROM audit_log").fetchone()[0] + 1
        conn.execute(
            "INSERT INTO audit_log (seq, at, kind, case_number, version, actor, detail, record_hash, prev_hash,"
            " entry_hash) VALUES (?, ?, 'recorded', ?, 1, ?, 'codes', ?, ?, ?)",
            [seq, v.recorded_at, number, v.officer, fake_hash, fake_hash, f"{n:063x}f"],
        )
        cursor = conn.execute(
            "INSERT INTO case_index (case_number, version, received_utc, received_at, recorded_at, requester, status,"
            " referred, codes, document_kinds, booking_number, subject_name, requester_name, signer_names, officer,"
            " notes) VALUES (?, 1, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, '', ?, ?)",
            [
                number,
                v.received_at,
                v.received_at,
                v.recorded_at,
                v.intake["requester"],
                v.status,
                "NO_HOLD",
                "I-247A",
                v.booking_number,
                v.subject_name,
                v.intake.get("requester_name") or "",
                v.officer,
                v.intake.get("notes") or "",
            ],
        )
        conn.executemany(
            "INSERT INTO case_facets VALUES (?, ?)",
            [(f, cursor.lastrowid) for f in ("code:NO_HOLD", "doc:I-247A", "requester:ice_ero")],
        )
        conn.execute("COMMIT")

    result = median_seconds(once, repeat, warmup=3)
    conn.close()
    return result


def signed_officer(folder: Path) -> tuple[Desk, Actor]:
    """A desk set up as a real one is, and an officer signed in: every entry of the run is signed."""
    desk = Desk(folder / "data", clock=system_clock)
    admin = desk.people.setup(username="bench.admin", name="BENCH ADMIN", badge="0", password=PASSWORD)
    desk.people.add_user(
        admin, username="ofc.bench", name="OFC. BENCH", badge="1", roles=frozenset({"officer"}), password=PASSWORD
    )
    return desk, desk.people.sign_in("ofc.bench", PASSWORD)


def run(size: int) -> None:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        folder = Path(tmp)
        desk, officer = signed_officer(folder)
        store = desk.store
        intakes = [parse_intake(d) for d in synthetic_intakes(PACK, min(size, 5000), seed=size)]
        decisions = [decide(i, PACK) for i in intakes]
        batch = 1000
        start = time.perf_counter()
        done = 0
        while done < size:
            chunk = [
                (intakes[(done + k) % len(intakes)], decisions[(done + k) % len(intakes)], officer, None)
                for k in range(min(batch, size - done))
            ]
            store.record_many(chunk, PACK)
            done += len(chunk)
            if size >= 100_000 and done % 100_000 == 0:
                print(f"    loaded {done:,} cases ({time.perf_counter() - start:.0f} s)", file=sys.stderr)
        load_seconds = time.perf_counter() - start

        counter = iter(range(10**9))

        def record_one() -> None:
            k = next(counter)
            store.record(intakes[k % len(intakes)], decisions[k % len(intakes)], PACK, officer=officer)

        one = median_seconds(record_one, 50, warmup=3)

        some_case = store.search(CaseQuery(), limit=1, offset=size // 2)[0]
        rare = some_case.booking_number or some_case.case_number
        queries = {
            f"full text, one booking number ({rare})": CaseQuery(text=rare),
            "full text, a common family name (GARCIA), first page": CaseQuery(text="GARCIA"),
            "full text, a case number": CaseQuery(text=some_case.case_number),
            "filtered page: response REFER_COUNSEL, newest 50": CaseQuery(code="REFER_COUNSEL"),
            "filtered page: ice_hsi + I-247A, newest 50": CaseQuery(requester="ice_hsi", document_kind="I-247A"),
            "filtered page: received in October 2026 + referred": CaseQuery(
                since=dt.date(2026, 10, 1),
                until=dt.date(2026, 10, 31),
                referred=True,
            ),
        }
        timings = {
            name: median_seconds(lambda q=q: store.search(q, limit=50), 15, warmup=2) for name, q in queries.items()
        }
        count_seconds = median_seconds(lambda: store.count(CaseQuery(text="GARCIA")), 5)
        # What every start now pays: the index check (store/index.py), and the queue read from the versions.
        check_seconds = median_seconds(lambda: index_disagrees(store._conn), 5)
        open_seconds = median_seconds(lambda: open_store(folder / "data").close(), 5)
        referred = store.review_count()
        queue_seconds = median_seconds(lambda: store.review_queue(limit=200), 5)
        indexed_seconds = median_seconds(lambda: store.search(CaseQuery(status="referred"), limit=200), 5)

        start = time.perf_counter()
        report = store.verify()
        verify_seconds = time.perf_counter() - start
        assert report.ok, report.problems
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size_bytes = (folder / "data" / "cases.db").stat().st_size
        total = store.total_cases()
        samples = [store.get(n).current for n in store.case_numbers(CaseQuery(text="GARCIA"))[:50]]
        desk.close()
        # Last, because its made-up hashes would not verify: the same rows with bare sqlite3.
        bare = bare_insert_seconds(folder / "data" / "cases.db", samples, 50)

    print(f"case log benchmark at {size:,} cases (medians; WAL, synchronous=FULL)")
    print(f"  record one case, full sync:                 {ms(one)}")
    print(f"  same rows, bare sqlite3, same file and sync: {ms(bare)}   ratio {one / bare:.2f}x (target within 2x)")
    print(f"  bulk load (1,000 cases a transaction):       {size / load_seconds:,.0f} cases/s ({load_seconds:.1f} s)")
    for name, seconds in timings.items():
        print(f"  {name + ':':<60} {ms(seconds)}")
    print(f"  count of GARCIA matches:                     {ms(count_seconds)}")
    print(f"  index check at open (counts):              {ms(check_seconds)}")
    print(f"  open the log (with that check):              {ms(open_seconds)}")
    print(
        f"  review queue from the versions ({referred:,} referred): {ms(queue_seconds)}"
        f"   from the index: {ms(indexed_seconds)}   ratio {queue_seconds / indexed_seconds:.1f}x"
    )
    print(
        f"  verify {report.entries_checked:,} entries + {report.records_checked:,} records + "
        f"{report.signatures_checked:,} signatures: {verify_seconds:.2f} s"
    )
    print(f"  file size: {size_bytes / 1e6:.1f} MB, {size_bytes / total:,.0f} bytes per case")


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["10000"]:
        run(int(arg))
