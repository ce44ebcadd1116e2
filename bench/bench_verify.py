"""Benchmark `verify` against the floor it cannot beat: checking every entry's Ed25519 signature.

Then the incremental verify: a person's full verify leaves a checkpoint, a receipt of it is kept outside the
data folder, a day's work (500 more cases) is recorded, and `verify` (checking only the signatures after the
checkpoint, rehashing everything) is timed beside `verify --full` on the same log.

Run: .venv/bin/python -m bench.bench_verify             (100,000 signed entries)
     .venv/bin/python -m bench.bench_verify 20000 100000
     .venv/bin/python -m bench.bench_verify --quick     (a few hundred entries: the suite runs this once)

A log is set up as a desk is (the first admin, an officer), then filled with cases recorded by the
officer, each a version and its signed audit entry. The floor is measured in the same run: one
signature verified (its key loaded once, as verify does), times the entries, divided by the cores
verify spreads the signatures over. On a machine others share, both are taken as the best of several
runs (the floor before and after each verify): the least contended figure of each. Prints verify's
time and its ratio to that floor; nothing is asserted about time.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, median_seconds, ms

PASSWORD = "bench-password-1"
QUICK = 300


def _floor_seconds_per_signature(samples: int = 2000) -> float:
    """One Ed25519 signature verified over an entry's message, its public key already loaded."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from desktop.signing import entry_message

    key = Ed25519PrivateKey.generate()
    public = key.public_key()
    message = entry_message("0" * 64)
    signature = key.sign(message)

    def batch() -> None:
        for _ in range(samples):
            public.verify(signature, message)

    return median_seconds(batch, 5, warmup=1) / samples


def _signed_log(folder: Path, entries: int):  # noqa: ANN202 - a Desk and its officer's session
    """A desk set up with an admin and an officer, and `entries` cases the officer recorded (signed)."""
    from desktop.demo import synthetic_intakes
    from desktop.desk import Desk, system_clock
    from desktop.rules import decide, load_pack, parse_intake

    pack = load_pack(ROOT / "resources" / "policies" / "northampton-2019")
    desk = Desk(folder / "data", clock=system_clock)
    admin = desk.people.setup(username="bench.admin", name="BENCH ADMIN", badge="0", password=PASSWORD)
    desk.people.add_user(
        admin, username="ofc.bench", name="OFC. BENCH", badge="1", roles=frozenset({"officer"}), password=PASSWORD
    )
    officer = desk.people.sign_in("ofc.bench", PASSWORD)
    store = desk._store
    intakes = [parse_intake(d) for d in synthetic_intakes(pack, min(entries, 2000), seed=7)]
    decisions = [decide(i, pack) for i in intakes]
    done = 0
    while done < entries:
        chunk = [
            (intakes[(done + k) % len(intakes)], decisions[(done + k) % len(intakes)], officer.actor, None)
            for k in range(min(1000, entries - done))
        ]
        store.record_many(chunk, pack)
        done += len(chunk)
    return desk


def run(entries: int) -> None:
    import desktop.signing

    cores = os.cpu_count() or 1
    kept = desktop.signing.SCRYPT_N
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        start = time.perf_counter()
        if entries <= QUICK:
            desktop.signing.SCRYPT_N = 2**12  # a quick run: the accounts' key derivation is not what is measured
        try:
            desk = _signed_log(Path(tmp), entries)
        finally:
            desktop.signing.SCRYPT_N = kept
        built = time.perf_counter() - start
        store = desk._store
        ones, runs = [_floor_seconds_per_signature()], []
        for _ in range(1 if entries <= QUICK else 2):
            start = time.perf_counter()
            report = store.verify()
            runs.append(time.perf_counter() - start)
            ones.append(_floor_seconds_per_signature())
        one, seconds = min(ones), min(runs)
        problems = report.problems
        checked, signatures = report.entries_checked, report.signatures_checked
        day = min(500, max(entries // 10, 1))
        incremental, full, kept_through = _incremental(desk, Path(tmp), day)
        desk.close()
    floor = signatures * one / cores  # the best of the floor's samples: the least contended
    print(f"verify benchmark at {entries:,} recorded cases ({checked:,} entries, {signatures:,} signed); {cores} cores")
    print(f"  log built in {built:.1f} s")
    print(f"  one Ed25519 verification (key loaded):      {ms(one)}")
    print(f"  floor, signed entries x one / cores:        {floor:.3f} s")
    print(
        f"  verify (every hash, record, signature):     {seconds:.3f} s (best of {len(runs)})   "
        f"ratio {seconds / floor:.2f}x the floor"
    )
    print(f"  after a witnessed checkpoint and {day} new cases:")
    print(
        f"    verify (signatures after entry {kept_through:,} only): {incremental:.3f} s   "
        f"verify --full: {full:.3f} s   ratio {incremental / full:.2f}x the full one"
    )
    if problems:
        print(f"  verify found {len(problems)} problem(s); first: {problems[0]}")


def _incremental(desk, tmp: Path, day: int) -> tuple[float, float, int]:  # noqa: ANN001 - the bench's Desk
    """A person's full verify (a checkpoint), a receipt kept outside, `day` more cases; then verify and --full."""
    from desktop.demo import synthetic_intakes
    from desktop.desk.receipts import RECEIPTS_ENV
    from desktop.rules import decide, load_pack, parse_intake

    os.environ[RECEIPTS_ENV] = str(tmp / "receipts")
    (tmp / "receipts").mkdir()
    admin = desk.people.sign_in("bench.admin", PASSWORD)
    officer = desk.people.sign_in("ofc.bench", PASSWORD)
    desk.log.verify(admin, full=True)
    desk.log.write_receipt(admin, tmp / "receipts" / "kept.receipt.json")
    pack = load_pack(ROOT / "resources" / "policies" / "northampton-2019")
    intakes = [parse_intake(d) for d in synthetic_intakes(pack, day, seed=8)]
    desk._store.record_many([(i, decide(i, pack), officer.actor, None) for i in intakes], pack)
    start = time.perf_counter()
    check = desk.log.verify(admin)
    incremental = time.perf_counter() - start
    start = time.perf_counter()
    desk.log.verify(admin, full=True)
    full = time.perf_counter() - start
    if not check.ok or check.checkpoint_through is None:
        print(f"  the incremental verify did not start from a checkpoint: {check.problems[:1]}")
    return incremental, full, check.checkpoint_through or 0


def main(argv: list[str]) -> None:
    if any(a in ("-h", "--help") for a in argv) or not all(a == "--quick" or a.isdigit() for a in argv):
        print(__doc__)
        raise SystemExit(0 if argv and argv[0] in ("-h", "--help") else 2)
    sizes = [QUICK] if argv == ["--quick"] else [int(a) for a in argv] or [100_000]
    for size in sizes:
        run(size)


if __name__ == "__main__":
    main(sys.argv[1:])
