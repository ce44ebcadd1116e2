"""Benchmark the command line's start: `main.py decide`, `main.py --version` and `main.py policy show` as ratios.

Run: .venv/bin/python -m bench.bench_start            (about a minute)
     .venv/bin/python -m bench.bench_start --quick    (a few seconds; what the test suite runs once)

Each command is timed as a whole process beside `python -c pass` measured in the same run, in rounds
(every command once a round, a warm-up round first; the median of the rounds is printed), so figures
from a busy or a fast machine compare. Each is timed twice, from two copies of the program in a
temporary folder: one with no bytecode (this machine sets PYTHONDONTWRITEBYTECODE=1, so a source tree
is compiled at every start) and one compiled first with `python -m compileall`, as an installed
program is. Beside each figure: how many modules the command imports (`python -X importtime`),
which no busy machine changes.

Targets (issue 19): `main.py decide` and `main.py --version` within 4x `python -c pass`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.common import ROOT, ms, program_copy, python

MODULE = "bench.bench_start"
INTAKE = ROOT / "tests" / "data" / "examples" / "S01.json"  # the everyday request: a detainer by fax
TARGET = 4.0


@dataclass(frozen=True)
class Command:
    label: str
    args: tuple[str, ...]
    target: float | None = None


COMMANDS = (
    Command("baseline: python -c pass", ("-c", "pass")),
    Command("main.py decide S01.json", ("main.py", "decide", "S01.json"), TARGET),
    Command("main.py --version", ("main.py", "--version"), TARGET),
    Command("main.py policy show", ("main.py", "policy", "show")),
)
FULL_ROUNDS = 15
QUICK_ROUNDS = 1


def _environment(copy: Path) -> dict[str, str]:
    # Nothing from the caller's own start-up (a coverage hook, a PYTHONSTARTUP) and no data folder of
    # this machine's: the commands timed need none.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONSTARTUP", "COV_", "SAFEDESK_"))}
    return {**env, "PYTHONPATH": str(copy), "SAFEDESK_DATA_DIR": str(copy / "no-data")}


def _run(args: Sequence[str], copy: Path) -> float:
    start = time.perf_counter()
    subprocess.run([python(), *args], capture_output=True, check=True, cwd=copy, env=_environment(copy))
    return time.perf_counter() - start


def modules_imported(args: Sequence[str], copy: Path) -> int:
    """How many modules a command imports (the lines of `python -X importtime`)."""
    command = [python(), "-X", "importtime", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=copy, env=_environment(copy))
    return sum(1 for line in done.stderr.splitlines() if line.startswith("import time:") and "|" in line) - 1


def medians(copy: Path, rounds: int) -> dict[Command, float]:
    """The median time of each command over `rounds` rounds, each round running every command once."""
    for command in COMMANDS:  # warm-up round: the file cache, the bytecode of the interpreter's own modules
        _run(command.args, copy)
    times: dict[Command, list[float]] = {command: [] for command in COMMANDS}
    for _ in range(rounds):
        for command in COMMANDS:
            times[command].append(_run(command.args, copy))
    return {command: statistics.median(values) for command, values in times.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE}", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one round (seconds, not a minute)")
    quick = parser.parse_args(argv).quick
    rounds = QUICK_ROUNDS if quick else FULL_ROUNDS

    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-start-") as tmp:
        for compiled in (False, True):
            copy = program_copy(Path(tmp) / ("compiled" if compiled else "source"), compiled=compiled)
            (copy / "S01.json").write_bytes(INTAKE.read_bytes())
            label = "with bytecode" if compiled else "no bytecode"
            timed = medians(copy, rounds)
            bare = timed[COMMANDS[0]]
            for command in COMMANDS:
                ratio = "" if command is COMMANDS[0] else f"{timed[command] / bare:5.1f}x"
                if command.target is not None:
                    ratio += f" (target {command.target:g}x)"
                count = modules_imported(command.args, copy)
                rows.append((f"{command.label} ({label})", ms(timed[command]), ratio, f"{count} modules"))

    size = "--quick" if quick else "full"
    print(f"start benchmark (medians of {rounds} round{'s' if rounds > 1 else ''}; {size} size)")
    width = max(len(row[0]) for row in rows)
    for label, value, ratio, count in rows:
        print(f"  {label:<{width}}  {value:>12}  {ratio:<17}  {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
