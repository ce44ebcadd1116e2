"""Attack the case log as issue 14 did, and count what survives: kills, concurrent verify, restores, upgrades.

Run: .venv/bin/python -m bench.bench_hardening            (about 8 minutes on two cores)
     .venv/bin/python -m bench.bench_hardening --quick    (a few kills of each kind, under a minute: what the
                                                          test suite runs once)
Options set each campaign's size (--writer-kills, --verify-runs, --writers, --restore-kills,
--upgrade-kills, --upgrade-cases) and the random seed (--seed). Files go to a temporary folder
(under $BENCH_TMP if set).

Four campaigns, each on real SQLite files and real processes killed with SIGKILL:
  1. writer kills: a writer process recording cases is killed at a random moment, again and again,
     into one log; every number it printed (after its commit returned) must be in the log, holding
     that writer's case, and the numbers must run without a gap or a repeat.
  2. verify beside writers: verify runs on one connection while writer processes record; any
     problem it reports on this untampered log is a false alarm.
  3. restore kills: a restore process is killed at a random moment within the time a restore takes;
     the log must then be either the old one, whole, or the restored one with its restore entry, and
     the next case recorded must be numbered above every number handed out before. Also: two
     restores with the same clock second must keep two distinct copies of the replaced logs.
  4. upgrade kills: the first open of an old-schema log is killed at a random moment; the next open
     must show every case in search, verify, and hold exactly one 'migrated' entry.
The killed processes are bench/hardening_child.py. "Interrupted" counts the kills that landed before
the child printed its done line.
Exits 1 if any figure that must be zero is not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import ROOT, python
from bench.hardening_child import writer_officer
from desktop.rules import Pack, decide, load_pack, parse_intake
from desktop.store import CaseQuery, CaseStore, backup_to, open_store, restore_from
from tests.conftest import downgrade_to_first_schema
from tests.unit.store.cases import OFFICER, intake_data, record

SUMMARY = "Attack the case log as issue 14 did, and count what survives."
PACK_DIR = ROOT / "resources" / "policies" / "northampton-2019"
MODULE = "bench.bench_hardening"

# What a killed child exits with: -SIGKILL on POSIX; on Windows Popen.kill is TerminateProcess, with exit code 1.
KILLED = -signal.SIGKILL if sys.platform != "win32" else 1


# --- the child processes (bench/hardening_child.py) -------------------------------------------


class Child:
    """A child process whose output lines are collected by a thread as they come (the pipe never fills)."""

    def __init__(self, *args: str) -> None:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [python(), "-m", "bench.hardening_child", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self.times: list[float] = []
        self.first_line = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.strip())
            self.times.append(time.perf_counter())
            self.first_line.set()
        self.first_line.set()

    def wait_first_line(self, expected: str, timeout: float = 60.0) -> float:
        """Wait for the child's first line (it must be `expected`); the moment it arrived."""
        if not self.first_line.wait(timeout) or not self.lines or self.lines[0] != expected:
            self.kill()
            raise RuntimeError(f"child did not say {expected!r}: {self.lines[:3]} {self.stderr()}")
        return self.times[0]

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no chance to tidy up either way
        self.finish()

    def finish(self, timeout: float = 120.0) -> None:
        self.proc.wait(timeout=timeout)
        self._reader.join(timeout=timeout)

    def stderr(self) -> str:
        if self.proc.poll() is None or self.proc.stderr is None:
            return ""
        return self.proc.stderr.read()[-2000:]

    @property
    def done(self) -> bool:
        return "done" in self.lines

    def span(self, first: str) -> float:
        """Seconds from the first line to the done line."""
        return self.times[self.lines.index("done")] - self.times[self.lines.index(first)]


# --- results ----------------------------------------------------------------------------------------


@dataclass
class Result:
    campaign: str
    kills: str
    interrupted: str = "-"
    confirmed: int = 0
    lost: int = 0
    false_alarms: int = 0
    reused: int = 0
    skipped: int | None = None  # numbers missing from an unbroken run (None: not a figure here)
    missing_entries: int | None = None
    seconds: float = 0.0
    other_failures: list[str] = field(default_factory=list)  # further must-be-zero checks that failed
    notes: list[str] = field(default_factory=list)

    def failed(self) -> bool:
        must_be_zero = [self.lost, self.false_alarms, self.reused, self.skipped or 0, self.missing_entries or 0]
        return any(must_be_zero) or bool(self.other_failures)


def say(text: str) -> None:
    print(text, flush=True)


def case_rows(store: CaseStore) -> dict[str, str]:
    """Every case number in the log (the cases table, not the search index) and its newest officer."""
    rows = store._conn.execute(
        "SELECT c.case_number, v.officer FROM cases c JOIN case_versions v ON v.case_number = c.case_number"
        " WHERE v.version = (SELECT MAX(version) FROM case_versions WHERE case_number = c.case_number)"
    )
    return {str(n): str(o) for n, o in rows}


def number_key(number: str) -> tuple[int, int]:
    year, _, seq = number.partition("-")
    return int(year), int(seq)


def gaps(numbers: list[str]) -> int:
    """How many numbers are missing from each year's run 1, 2, 3, ..."""
    by_year: dict[int, list[int]] = {}
    for n in numbers:
        year, seq = number_key(n)
        by_year.setdefault(year, []).append(seq)
    return sum(max(seqs) - len(set(seqs)) for seqs in by_year.values())


def audit_kinds(db: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db)
    try:
        return [(str(k), str(d)) for k, d in conn.execute("SELECT kind, detail FROM audit_log ORDER BY seq")]
    finally:
        conn.close()


def seeded(pack: Pack, data: Path, count: int, booking: Callable[[int], str] | None = None) -> None:
    """A log of `count` cases, written 500 to a transaction."""
    with open_store(data) as store:
        items = []
        for n in range(count):
            subject = {"custody": "in_city_custody", "booking_number": booking(n) if booking else f"S-{n}"}
            intake = parse_intake(intake_data(subject=subject))
            items.append((intake, decide(intake, pack), OFFICER, None))
        for start in range(0, count, 500):
            store.record_many(items[start : start + 500], pack)


def median_span(make: Callable[[int], Child], first: str, runs: int = 3) -> float:
    spans = []
    for k in range(runs):
        child = make(k)
        child.wait_first_line(first)
        child.finish()
        if not child.done:
            raise RuntimeError(f"a timed run failed: {child.lines[-3:]} {child.stderr()}")
        spans.append(child.span(first))
    return statistics.median(spans)


# --- 1. writer kills --------------------------------------------------------------------------------


def writer_kills(folder: Path, kills: int, chance: random.Random) -> Result:
    started = time.perf_counter()
    data = folder / "writers"
    open_store(data).close()
    ready_at = statistics.median(time_to_ready(Child("write", str(data), f"T{k}", "0", "0")) for k in range(3))
    opens = [ready_at] * 3  # the latest times to `ready`: the open slows as the log grows
    confirmed: list[tuple[str, str]] = []  # (number, officer it was given)
    interrupted = while_recording = with_a_case = 0
    failures: list[str] = []
    for run in range(kills):
        tag = f"K{run}"
        child = Child("write", str(data), tag, "1000000", "0")
        opened_by = statistics.median(opens[-5:])
        # A quarter of the kills aimed at the start and the open, the rest at the recording after it.
        moment = chance.uniform(0.0, opened_by) if chance.random() < 0.25 else opened_by + chance.uniform(0.0, 0.4)
        time.sleep(moment)
        child.kill()
        if "ready" in child.lines:
            opens.append(child.times[0] - child.started)
        if child.proc.returncode != KILLED:
            failures.append(f"run {run}: writer exited {child.proc.returncode} before the kill: {child.stderr()}")
        interrupted += not child.done
        while_recording += "ready" in child.lines
        numbers = [line.split() for line in child.lines if line not in ("ready", "done")]
        odd = [line for line, parts in zip(child.lines[1:], numbers, strict=False) if len(parts) != 2]
        if odd:
            failures.append(f"run {run}: the writer printed {odd!r} (lines so far {child.lines[-4:]!r})")
            numbers = [parts for parts in numbers if len(parts) == 2]
        with_a_case += bool(numbers)
        confirmed.extend((n, writer_officer(tag, int(i))) for n, i in numbers)
    with open_store(data) as store:
        integrity = store.integrity_ok()
        report = store.verify()
        rows = case_rows(store)
        searchable = store.count()
    counts: dict[str, int] = {}
    for number, _officer in confirmed:
        counts[number] = counts.get(number, 0) + 1
    lost = sum(1 for n, _o in confirmed if n not in rows)
    reused = sum(c - 1 for c in counts.values()) + sum(1 for n, o in confirmed if n in rows and rows[n] != o)
    if not integrity:
        failures.append("PRAGMA integrity_check failed")
    if searchable != len(rows):
        failures.append(f"search shows {searchable} of {len(rows)} cases")
    result = Result(
        "writer kills",
        str(kills),
        f"{interrupted} ({while_recording} after the open, {with_a_case} after a commit)",
        confirmed=len(confirmed),
        lost=lost,
        false_alarms=len(report.problems),
        reused=reused,
        skipped=gaps(list(rows)),
        seconds=time.perf_counter() - started,
        other_failures=failures,
    )
    result.notes.append(
        f"kill moment after the spawn: a quarter uniform within the start and open, the rest uniform in the 0.4 s "
        f"after it (start and open {ready_at:.2f} s at first, {statistics.median(opens[-5:]):.2f} s at the end); "
        f"log holds {len(rows):,} cases ({len(rows) - len(set(counts)):,} committed but killed before printing)"
    )
    result.notes.extend(report.problems[:5])
    return result


def time_to_ready(child: Child) -> float:
    """Seconds from a writer's spawn to its `ready` line (the open done); the writer records nothing."""
    child.finish()
    if not child.done:
        raise RuntimeError(f"a timed writer failed: {child.stderr()}")
    return child.times[0] - child.started


# --- 2. verify beside writers -----------------------------------------------------------------------


def verify_beside_writers(folder: Path, pack: Pack, runs: int, writers: int, pause: float) -> Result:
    started = time.perf_counter()
    data = folder / "verify"
    seeded(pack, data, 300)  # long enough that one verify run spans several commits
    procs = [Child("write", str(data), f"V{k}", "1000000", str(pause)) for k in range(writers)]
    for child in procs:
        child.wait_first_line("ready")
    alarms: list[str] = []
    alarm_runs = overlapping = 0
    failures: list[str] = []

    def committed() -> int:
        return sum(len(c.lines) for c in procs)

    run_seconds = []
    with open_store(data) as store:
        for _run in range(runs):
            before = committed()
            t0 = time.perf_counter()
            try:
                problems = list(store.verify().problems)
            except Exception as exc:  # an error on an untampered log is an alarm too
                problems = [f"verify raised {type(exc).__name__}: {exc}"]
            run_seconds.append(time.perf_counter() - t0)
            overlapping += committed() > before
            alarm_runs += bool(problems)
            alarms.extend(problems)
            dead = [c for c in procs if c.proc.poll() is not None]
            if dead:
                failures.append(f"a writer stopped early: {dead[0].stderr()}")
                break
    for child in procs:
        child.kill()
    confirmed = [
        (n, writer_officer(f"V{k}", int(i)))
        for k, c in enumerate(procs)
        for n, i in (line.split() for line in c.lines if line not in ("ready", "done"))
    ]
    with open_store(data) as store:
        final = store.verify()
        rows = case_rows(store)
    lost = sum(1 for n, _o in confirmed if n not in rows)
    reused = len(confirmed) - len({n for n, _o in confirmed}) + sum(1 for n, o in confirmed if rows.get(n, o) != o)
    result = Result(
        "verify beside writers",
        f"{runs} runs, {writers} writers",
        f"{overlapping} runs overlapped commits",
        confirmed=len(confirmed),
        lost=lost,
        false_alarms=alarm_runs + (0 if final.ok else 1),
        reused=reused,
        skipped=gaps(list(rows)),
        seconds=time.perf_counter() - started,
        other_failures=failures,
    )
    result.notes.append(
        f"verify {statistics.median(run_seconds or [0.0]):.2f} s median, {max(run_seconds, default=0.0):.2f} s "
        "longest; log grew from "
        f"300 to {len(rows):,} cases; writers killed at the end; final verify "
        f"{'ok' if final.ok else 'FAILED'}"
    )
    result.notes.extend(alarms[:5] + list(final.problems[:3]))
    return result


# --- 3. restore kills -------------------------------------------------------------------------------

KEPT = re.compile(r"replaced log kept as (\S+?\.db)")


def restore_kills(folder: Path, pack: Pack, kills: int, chance: random.Random) -> Result:
    started = time.perf_counter()
    data, copy = folder / "restore" / "data", folder / "restore" / "copy.db"
    with open_store(data) as store:
        for _ in range(300):
            record(store, pack)
        backup_to(store, copy, actor=OFFICER)
        confirmed = set(case_rows(store))
        backup_cases = set(confirmed)
        for _ in range(60):
            confirmed.add(record(store, pack).case_number)
    highest = max(confirmed, key=number_key)

    def timed(k: int) -> Child:
        scratch = folder / "restore" / f"timed{k}"
        shutil.copytree(data, scratch)
        return Child("restore", str(scratch), str(copy))

    span = median_span(timed, "restoring")
    interrupted = restored = kept_old = mixed = missing = reused = alarms = 0
    kept_expected: list[tuple[str, frozenset[str]]] = []
    failures: list[str] = []
    problems_seen: list[str] = []

    def record_fresh(store: CaseStore) -> None:
        nonlocal highest, reused
        fresh = record(store, pack).case_number
        if number_key(fresh) <= number_key(highest):
            reused += 1
            problems_seen.append(f"handed out {fresh}, not above {highest}")
        highest = max(highest, fresh, key=number_key)
        confirmed.add(fresh)

    with open_store(data) as store:
        record_fresh(store)
    for run in range(kills):
        with open_store(data) as store:
            before = frozenset(case_rows(store))
        child = Child("restore", str(data), str(copy))
        child.wait_first_line("restoring")
        time.sleep(chance.uniform(0.0, span))
        child.kill()
        interrupted += not child.done
        if child.proc.returncode not in (0, KILLED):
            failures.append(f"run {run}: the restore failed: {child.stderr()}")
        with open_store(data) as store:
            report = store.verify()
            if not report.ok:
                alarms += 1
                problems_seen.extend(report.problems[:2])
            now = frozenset(case_rows(store))
            last_kind, last_detail = audit_kinds(data / "cases.db")[-1]
            if now == before and last_kind != "restore":
                kept_old += 1
            elif now == backup_cases:
                restored += 1
                if last_kind != "restore":
                    missing += 1
                    problems_seen.append(f"run {run}: restored, but the last entry is {last_kind!r}")
                else:
                    named = KEPT.search(last_detail)
                    if named:
                        kept_expected.append((named.group(1), before))
                    else:
                        failures.append(f"run {run}: the restore entry names no kept copy: {last_detail}")
            else:
                mixed += 1
                failures.append(f"run {run}: neither log: {len(now)} cases, last entry {last_kind!r}")
            record_fresh(store)  # the next case is numbered above every number handed out before

    # Every case ever confirmed is in the live log or in a kept copy; each kept copy holds the log it replaced.
    replaced = data / "replaced"
    held = set(case_rows_of(data / "cases.db"))
    kept_files = sorted(replaced.glob("*.db")) if replaced.exists() else []  # none when no restore finished
    for kept in kept_files:
        held |= set(case_rows_of(kept))
    lost = len(confirmed - held)
    names = [name for name, _ in kept_expected]
    if len(set(names)) != len(names):
        failures.append(f"{len(names) - len(set(names))} kept copies share a name")
    overwritten = sum(1 for name, cases in kept_expected if set(case_rows_of(replaced / name)) != cases)
    if overwritten:
        failures.append(f"{overwritten} kept copies do not hold the log they replaced")
    strays = [
        p.name
        for p in (replaced.iterdir() if replaced.exists() else [])
        if p.suffix == ".partial" or p.stat().st_size == 0
    ]
    leftovers = list((data / "restoring").iterdir()) if (data / "restoring").exists() else []

    same_second = two_restores_in_one_second(folder / "same-second", pack)
    if same_second:
        failures.append(same_second)
    result = Result(
        "restore kills",
        str(kills),
        f"{interrupted} ({restored} restored, {kept_old} old log kept, {mixed} neither)",
        confirmed=len(confirmed),
        lost=lost,
        false_alarms=alarms,
        reused=reused,
        missing_entries=missing,
        seconds=time.perf_counter() - started,
        other_failures=failures,
    )
    result.notes.append(
        f"kill moment uniform in 0-{span:.2f} s after 'restoring' (a whole restore of 300 cases over 361); "
        f"{len(kept_files)} kept copies in replaced/, {len(kept_expected)} named by restore entries, all distinct "
        f"and holding the log they replaced: {'yes' if not overwritten and len(set(names)) == len(names) else 'NO'}"
    )
    result.notes.append(
        f"left behind by kills: {len(strays)} empty or .partial files in replaced/, "
        f"{len(leftovers)} entries in restoring/"
    )
    result.notes.append(
        "two restores with the same clock second: " + ("both replaced logs kept" if not same_second else same_second)
    )
    result.notes.extend(problems_seen[:5])
    return result


def case_rows_of(db: Path) -> list[str]:
    if db.stat().st_size == 0:
        return []
    conn = sqlite3.connect(f"file:{db.as_posix()}?mode=ro", uri=True)
    try:
        return [str(n) for (n,) in conn.execute("SELECT case_number FROM cases")]
    finally:
        conn.close()


def two_restores_in_one_second(folder: Path, pack: Pack) -> str:
    """Two restores stamped with the same second; an empty string when both replaced logs were kept whole."""
    data, copy = folder / "data", folder / "copy.db"
    with open_store(data) as store:
        for _ in range(2):
            record(store, pack)
        backup_to(store, copy, actor=OFFICER)
        for _ in range(3):
            record(store, pack)
    at = dt.datetime(2026, 12, 1, 2, 0, 0, tzinfo=dt.UTC)
    t0 = time.perf_counter()
    first = restore_from(data, copy, actor=OFFICER, now=at)
    with open_store(data) as store:
        record(store, pack)
    second = restore_from(data, copy, actor=OFFICER, now=at)
    seconds = time.perf_counter() - t0
    if not (first.kept and second.kept) or first.kept == second.kept:
        return f"the kept copies collide: {first.kept} and {second.kept}"
    counts = [len(case_rows_of(first.kept)), len(case_rows_of(second.kept))]
    if counts != [5, 3]:
        return f"the kept copies hold {counts} cases, not [5, 3]"
    say(f"    two restores at the same second ({seconds:.2f} s for both): kept {first.kept.name}, {second.kept.name}")
    return ""


# --- 4. upgrade kills -------------------------------------------------------------------------------


def migrated_entries(db: Path) -> int:
    return sum(1 for kind, _ in audit_kinds(db) if kind == "migrated")


def upgrade_kills(folder: Path, pack: Pack, kills: int, cases: int, chance: random.Random) -> Result:
    started = time.perf_counter()
    template = folder / "upgrade" / "template"
    seeded(pack, template, cases, booking=lambda n: f"26-{n:06d}")
    downgrade_to_first_schema(template / "cases.db")

    def fresh_copy(name: str) -> Path:
        target = folder / "upgrade" / name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(template, target)
        return target

    span = median_span(lambda k: Child("open", str(fresh_copy(f"timed{k}"))), "opening")
    interrupted = lost = alarms = missing = reused = repaired = 0
    failures: list[str] = []
    problems_seen: list[str] = []
    last = f"26-{cases - 1:06d}"
    for run in range(kills):
        data = fresh_copy("run")
        child = Child("open", str(data))
        child.wait_first_line("opening")
        time.sleep(chance.uniform(0.0, span))
        child.kill()
        interrupted += not child.done
        if child.proc.returncode not in (0, KILLED):
            failures.append(f"run {run}: the open failed: {child.stderr()}")
        right_after = migrated_entries(data / "cases.db")
        if right_after not in (0, 1):
            missing += 1
            problems_seen.append(f"run {run}: {right_after} 'migrated' entries right after the kill")
        with open_store(data) as store:
            repaired += any("Search index rebuilt" in n for n in store.notices)
            probe = f"26-{chance.randrange(cases):06d}"
            shown = store.count()
            found = store.count(CaseQuery(text=last)) + store.count(CaseQuery(text=probe))
            total = store.total_cases()
            if shown != cases or total != cases:
                lost += max(0, cases - shown, cases - total)
                problems_seen.append(f"run {run}: search shows {shown} of {cases} cases, the log holds {total}")
            if found != 2:
                failures.append(f"run {run}: a text search for {last} and {probe} found {found} of 2")
            report = store.verify()
            if not report.ok:
                alarms += 1
                problems_seen.extend(report.problems[:2])
            if migrated_entries(data / "cases.db") != 1:
                missing += 1
                problems_seen.append(f"run {run}: {migrated_entries(data / 'cases.db')} 'migrated' entries")
            highest = max(case_rows(store), key=number_key)
            fresh = record(store, pack).case_number
            if number_key(fresh) <= number_key(highest):
                reused += 1
                problems_seen.append(f"run {run}: the next case was numbered {fresh}")
    result = Result(
        "upgrade kills",
        str(kills),
        str(interrupted),
        confirmed=cases * kills,
        lost=lost,
        false_alarms=alarms,
        reused=reused,
        missing_entries=missing,
        seconds=time.perf_counter() - started,
        other_failures=failures,
    )
    result.notes.append(
        f"an old-schema log of {cases:,} cases; kill moment uniform in 0-{span:.2f} s after 'opening' "
        f"(a whole first open); {repaired} reopens rebuilt the search index"
    )
    result.notes.extend(problems_seen[:5])
    return result


# --- the run ----------------------------------------------------------------------------------------


def table(results: list[Result]) -> None:
    head = ["campaign", "kills/runs", "interrupted", "confirmed", "lost", "false alarms", "reused", "skipped"]
    head += ["missing entries", "wall"]
    rows = [head]
    for r in results:
        rows.append(
            [
                r.campaign,
                r.kills,
                r.interrupted,
                f"{r.confirmed:,}",
                str(r.lost),
                str(r.false_alarms),
                str(r.reused),
                "-" if r.skipped is None else str(r.skipped),
                "-" if r.missing_entries is None else str(r.missing_entries),
                f"{r.seconds:.0f} s",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    for k, row in enumerate(rows):
        say("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        if k == 0:
            say("  " + "  ".join("-" * w for w in widths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE}", description=SUMMARY)
    parser.add_argument("--quick", action="store_true", help="a few kills of each kind, under a minute")
    parser.add_argument("--writer-kills", type=int)
    parser.add_argument("--verify-runs", type=int)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--writer-pause", type=float, default=0.02, help="seconds each writer waits between cases")
    parser.add_argument("--restore-kills", type=int)
    parser.add_argument("--upgrade-kills", type=int)
    parser.add_argument("--upgrade-cases", type=int)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    quick = args.quick
    writer_n = args.writer_kills if args.writer_kills is not None else (4 if quick else 300)
    verify_n = args.verify_runs if args.verify_runs is not None else (2 if quick else 50)
    restore_n = args.restore_kills if args.restore_kills is not None else (3 if quick else 120)
    upgrade_n = args.upgrade_kills if args.upgrade_kills is not None else (2 if quick else 50)
    upgrade_cases = args.upgrade_cases if args.upgrade_cases is not None else (300 if quick else 3000)
    pack = load_pack(PACK_DIR)
    chance = random.Random(args.seed)
    started = time.perf_counter()
    say(f"hardening benchmark (seed {args.seed}; SIGKILL at random moments; real files and processes)")
    results: list[Result] = []
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        folder = Path(tmp)
        campaigns: list[tuple[str, Callable[[], Result]]] = [
            ("writer kills", lambda: writer_kills(folder, writer_n, chance)),
            (
                "verify beside writers",
                lambda: verify_beside_writers(folder, pack, verify_n, args.writers, args.writer_pause),
            ),
            ("restore kills", lambda: restore_kills(folder, pack, restore_n, chance)),
            ("upgrade kills", lambda: upgrade_kills(folder, pack, upgrade_n, upgrade_cases, chance)),
        ]
        for name, campaign in campaigns:
            say(f"  {name} ...")
            result = campaign()
            for note in result.notes:
                say(f"    {note}")
            for failure in result.other_failures:
                say(f"    FAILED: {failure}")
            say(f"    {result.seconds:.0f} s")
            results.append(result)
    say("")
    table(results)
    failed = [r.campaign for r in results if r.failed()]
    say(
        f"  total wall time {time.perf_counter() - started:.0f} s; "
        + (f"FAILED: {', '.join(failed)}" if failed else "every must-be-zero figure is 0")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
