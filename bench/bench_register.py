"""Benchmark the county register: importing 100,000 and 1,000,000 signed entries, a lookup and a year's report.

Run: .venv/bin/python -m bench.bench_register               (100,000 and 1,000,000 entries; several minutes)
     .venv/bin/python -m bench.bench_register 100000        (the sizes given)
     .venv/bin/python -m bench.bench_register --quick       (2,000 entries; what the test suite runs once)
A private PostgreSQL is started for the run (tests/register/postgres.py) and removed after it.

The bundle is a real desk's log (synthetic cases recorded through the desk, signed in) carried on with
generated entries signed by that desk's officer, with the project's own hashing and signing, one in
eight recording a case received in 2026; it is written once per size and kept in the temporary folder.
Printed, each beside a baseline measured in the same run:
- import, split into verification (every hash, certificate and signature), COPY into staging, and the
  fork check and merge: verification as a ratio to the Ed25519 floor (entries x one verification /
  cores), COPY and merge as ratios to a bare COPY of the same rows into a plain table;
- a re-import (adds 0), at sizes up to 200,000 (it costs what the first import costs);
- a case lookup across the desks (`register show`, audited) against a bare primary-key read of its rows;
- a year's report across the desks (the desk's own report code over `report_facts`) against the bare
  fetch of the same rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, cast

from bench.common import ms
from desktop.demo import DEMO_PASSWORD, fill_demo_log

FULL = (100_000, 1_000_000)
QUICK = (2_000,)
RECORD_EVERY = 8
REIMPORT_UP_TO = 200_000
ORIGIN = "northampton-pd/booking-1"
OTHERS = ("northampton-pd/booking-2", "hampshire-sheriff/jail-1")
PASSPHRASE = "Bench-Register-1!"
CACHE = Path(tempfile.gettempdir()) / "safedesk-bench-register"


def _desk(folder: Path, origin: str, count: int, seed: int) -> tuple[Any, Any]:
    from desktop.desk import Desk
    from tests.conftest import Clock

    desk = Desk(folder, clock=Clock(dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)))
    fill_demo_log(desk, count=count, seed=seed)
    desk.bundles.name_origin(desk.people.sign_in("demo.admin", DEMO_PASSWORD), origin)
    return desk, desk.people.sign_in("demo.sgt", DEMO_PASSWORD)


class _Rows:
    """A delivery of generated rows, in the shape bundle_file.bundle_lines reads (desktop/store/delivery.py)."""

    def __init__(self, conn: sqlite3.Connection, entries: int, signer: Any, label: str) -> None:
        self.conn, self.total, self.signer, self.label = conn, entries, signer, label
        last = conn.execute("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        self.start_seq, self.start_head = int(last[0]), str(last[1])
        self.from_seq, self.to_seq = 1, self.start_seq + entries
        self.head = ""
        self.template = dict(conn.execute("SELECT * FROM case_versions ORDER BY id LIMIT 1").fetchone())
        self.generated: list[dict[str, Any]] = []

    def keys(self) -> Iterator[dict[str, Any]]:
        yield from (dict(r) for r in self.conn.execute("SELECT * FROM signing_keys ORDER BY created_at, key_id"))

    def certificates(self) -> Iterator[dict[str, Any]]:
        yield from (dict(r) for r in self.conn.execute("SELECT * FROM key_certificates ORDER BY id"))

    def packs(self) -> Iterator[dict[str, Any]]:
        yield from (dict(r) for r in self.conn.execute("SELECT * FROM policy_packs"))

    def versions(self) -> Iterator[dict[str, Any]]:
        yield from (dict(r) for r in self.conn.execute("SELECT * FROM case_versions ORDER BY case_number, version"))
        yield from self.generated

    def entries(self) -> Iterator[dict[str, Any]]:
        yield from (dict(r) for r in self.conn.execute("SELECT * FROM audit_log ORDER BY seq"))
        yield from self._new_entries()

    def prepare(self) -> None:
        """Make the generated entries and versions (signed, hashed) before the file is written."""
        from desktop.signing import entry_message
        from desktop.store.hashing import entry_hash, record_hash
        from desktop.store.rows import record_fields

        rng = random.Random(27)
        prev = self.start_head
        intake = json.loads(self.template["intake_json"])
        self._entries: list[dict[str, Any]] = []
        year = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
        for index in range(self.total):
            seq = self.start_seq + 1 + index
            at = (dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC) + dt.timedelta(seconds=index)).isoformat()
            entry: dict[str, Any] = {
                "seq": seq,
                "at": at,
                "kind": "view",
                "case_number": None,
                "version": None,
                "actor": self.label,
                "detail": "case viewed",
                "record_hash": None,
                "signer": self.signer.key_id,
            }
            if index % RECORD_EVERY == 0:
                number = f"2026-{100_000 + index // RECORD_EVERY:06d}"
                received = (year + dt.timedelta(minutes=rng.randrange(0, 364 * 24 * 60))).isoformat()
                row = {**self.template, "case_number": number, "version": 1, "received_at": received}
                row.pop("id", None)
                row["intake_json"] = json.dumps({**intake, "received_at": received}, sort_keys=True)
                row["previous_hash"] = None
                row["record_hash"] = record_hash(record_fields(row))
                self.generated.append(row)
                entry.update(kind="recorded", case_number=number, version=1, detail="recorded")
                entry["record_hash"] = row["record_hash"]
            digest = entry_hash(prev, entry)
            entry.update(prev_hash=prev, entry_hash=digest, signature=self.signer.sign(entry_message(digest)).hex())
            prev = digest
            self._entries.append(entry)
        self.head = prev

    def _new_entries(self) -> Iterator[dict[str, Any]]:
        yield from self._entries


def make_bundle(size: int, work: Path) -> tuple[Path, list[Path]]:
    """The big desk's bundle of `size` generated entries (kept for the next run) and the two small desks' folders."""
    from desktop.desk.bundle_file import bundle_lines, make_checkpoint
    from desktop.store.delivery import Delivery

    CACHE.mkdir(exist_ok=True)
    bundle = CACHE / f"desk-{size}.bundle"
    desks = []
    for number, origin in enumerate(OTHERS):
        folder = work / f"other-{number}"
        desk, _session = _desk(folder, origin, 5, 7)
        desk.close()
        desks.append(folder)
    big = CACHE / f"desk-{size}"
    if bundle.exists() and (big / "cases.db").exists():
        return bundle, desks
    import shutil

    shutil.rmtree(big, ignore_errors=True)
    desk, session = _desk(big, ORIGIN, 14, 7)
    conn = sqlite3.connect(big / "cases.db")
    conn.row_factory = sqlite3.Row
    rows = _Rows(conn, size, session.signer, session.label)
    rows.prepare()
    checkpoint = make_checkpoint(
        session.signer, session.label, origin=ORIGIN, size=rows.to_seq, head=rows.head, at=dt.datetime.now(dt.UTC)
    )
    partial = bundle.with_suffix(".partial")
    with open(partial, "wb") as out:
        for line in bundle_lines(cast(Delivery, rows), origin=ORIGIN, checkpoint=checkpoint, app="bench"):
            out.write(line)
    partial.replace(bundle)
    conn.close()
    desk.close()
    return bundle, desks


def ed25519_floor(entries: int, sample: int = 5_000) -> tuple[float, float]:
    """One Ed25519 verification's cost here, and the floor for `entries` of them over every core."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    public = key.public_key()
    messages = [os.urandom(32) for _ in range(sample)]
    signatures = [key.sign(m) for m in messages]
    start = time.perf_counter()
    for message, signature in zip(messages, signatures, strict=True):
        public.verify(signature, message)
    one = (time.perf_counter() - start) / sample
    return one, entries * one / (os.cpu_count() or 1)


def bare_copy_seconds(conn: Any, bundle: Path) -> float:
    """The same entry rows, as COPY text, copied into a plain table with no index: the baseline."""
    from desktop.desk.bundle_file import bundle_rows
    from desktop.register.checks import ENTRY_COLUMNS, split_row
    from desktop.register.importer import copy_line

    text = CACHE / "bare.copy"
    with open(bundle, "rb") as handle, open(text, "wb") as out:
        handle.readline()
        handle.readline()
        for _n, kind, row in bundle_rows(handle, bundle.name):
            if kind == "entry":
                known, extra = split_row(row, ENTRY_COLUMNS)
                out.write(copy_line((*known.values(), extra)))
    conn.execute("DROP TABLE IF EXISTS bare_entries")
    conn.execute(
        "CREATE TABLE bare_entries (seq bigint, at text, kind text, case_number text, version integer, actor text,"
        " detail text, record_hash text, prev_hash text, entry_hash text, signer text, signature text, extra text)"
    )
    start = time.perf_counter()
    with conn.cursor() as cursor, cursor.copy("COPY bare_entries FROM STDIN") as copy:
        with open(text, "rb") as source:
            for block in iter(lambda: source.read(1024 * 1024), b""):
                copy.write(block)
    seconds = time.perf_counter() - start
    conn.execute("DROP TABLE bare_entries")
    text.unlink()
    return seconds


def run_size(size: int, quick: bool) -> None:
    from desktop.desk.reports import Period
    from desktop.register import Register
    from tests.register.postgres import Postgres

    with tempfile.TemporaryDirectory(prefix="safedesk-bench-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        bundle, others = make_bundle(size, work)
        built = time.perf_counter() - started
        server = Postgres().start()
        try:
            import psycopg

            with psycopg.connect(server.url(), autocommit=True) as admin:
                admin.execute("CREATE DATABASE register")
            url = server.url("register")
            with Register(url) as register:
                register.init(passphrase=PASSPHRASE, name="bench-county")
                big = CACHE / f"desk-{size}"
                from desktop.desk import Desk, system_clock

                for folder, origin in ((big, ORIGIN), *zip(others, OTHERS, strict=True)):
                    with Desk(folder, clock=system_clock) as desk:
                        register.enrol(origin, desk.people.admin_fingerprint() or "", passphrase=PASSPHRASE)
                        if folder != big:
                            session = desk.people.sign_in("demo.sgt", DEMO_PASSWORD)
                            path = work / f"{origin.replace('/', '_')}.bundle"
                            register.import_bundle(
                                desk.bundles.write(session, path, no_encrypt=True).path, passphrase=PASSPHRASE
                            )
                entries = sum(1 for line in open(bundle, "rb") if line.startswith(b'{"t":"entry"'))
                one, floor = ed25519_floor(entries)
                imported = register.import_bundle(bundle, passphrase=PASSPHRASE)
                t = imported.timings
                bare = bare_copy_seconds(register.conn, bundle)
                again, again_seconds = None, 0.0
                if size <= REIMPORT_UP_TO:  # as long as a first import: measured once, at the smaller size
                    again_start = time.perf_counter()
                    again = register.import_bundle(bundle, passphrase=PASSPHRASE)
                    again_seconds = time.perf_counter() - again_start
                lookups = _lookups(register, imported.to_seq, quick)
                report, bare_report, requests = _report(register, Period.year(2026), quick)
        finally:
            server.stop()
    cores = os.cpu_count() or 1
    print(f"\n{entries:,} signed entries ({imported.added_versions:,} case versions) of {ORIGIN}, 2 more desks")
    print(f"  bundle written once (kept in {CACHE}): {built:.1f} s, {bundle.stat().st_size / 1e6:.0f} MB")
    print(f"  Ed25519: one verification {one * 1e6:.0f} µs; floor {floor:.2f} s ({entries:,} x one / {cores} cores)")
    print(f"  import verification  {t['verify']:9.2f} s  {t['verify'] / floor:6.2f}x the Ed25519 floor")
    print(f"  import COPY (staged) {t['copy']:9.2f} s  {t['copy'] / bare:6.2f}x a bare COPY ({bare:.2f} s)")
    print(f"  import merge         {t['merge']:9.2f} s  {t['merge'] / bare:6.2f}x a bare COPY")
    if again is not None:
        print(f"  re-import            {again_seconds:9.2f} s  added {again.added_entries} ", end="")
        print(f"({again_seconds / floor:.2f}x the floor)")
    print(f"  case lookup across desks (register show, audited) {ms(lookups[0])}  ", end="")
    print(f"{lookups[0] / lookups[1]:.1f}x a bare read ({ms(lookups[1])})")
    print(f"  year's report across desks ({requests:,} requests) {ms(report)}  ", end="")
    print(f"{report / bare_report:.1f}x the bare fetch ({ms(bare_report)})")


def _lookups(register: Any, last: int, quick: bool) -> tuple[float, float]:
    rng = random.Random(3)
    numbers = [f"2026-{100_000 + rng.randrange(0, max(1, (last - 100) // RECORD_EVERY)):06d}" for _ in range(20)]
    shown = []
    bare = []
    for number in numbers:
        start = time.perf_counter()
        register.show(ORIGIN, number)
        shown.append(time.perf_counter() - start)
        start = time.perf_counter()
        list(
            register.conn.execute(
                "SELECT * FROM case_versions v JOIN current_desks d USING (desk_id) WHERE d.origin = %s"
                " AND v.case_number = %s ORDER BY version",
                (ORIGIN, number),
            )
        )
        bare.append(time.perf_counter() - start)
    return statistics.median(shown), statistics.median(bare)


def _report(register: Any, period: Any, quick: bool) -> tuple[float, float, int]:
    times, bare = [], []
    requests = 0
    for _ in range(3):
        start = time.perf_counter()
        requests = register.report(period).requests
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        list(register.conn.execute("SELECT * FROM report_facts(%s, %s, NULL)", (period.start, period.end)))
        bare.append(time.perf_counter() - start)
    return statistics.median(times), statistics.median(bare), requests


def main(argv: Sequence[str] | None = None) -> int:
    import desktop.signing

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("sizes", nargs="*", type=int, help="entries per run (default: 100000 1000000)")
    parser.add_argument("--quick", action="store_true", help="2,000 entries: what the test suite runs once")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else tuple(args.sizes) or FULL
    desktop.signing.SCRYPT_N = 2**12  # the desks' and the register's key sealing, not what is measured
    print(f"register benchmark ({'--quick' if args.quick else 'full'} size; {os.cpu_count()} cores)")
    for size in sizes:
        run_size(size, args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
