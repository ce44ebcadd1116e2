"""Benchmark the rules module: reading the pack, one decision, and the `decide` command's start, as ratios.

Run: .venv/bin/python -m bench.bench_rules            (about a minute)
     .venv/bin/python -m bench.bench_rules --quick    (a few seconds; what the test suite runs once)

Every figure is printed beside a baseline measured in the same run, so figures from a busy or a
fast machine compare: reading the pack against the bare TOML parse of the same file, deciding
against the bare JSON read of the same intake, and every process against `python -c pass`.

Process figures are taken twice, from two copies of the program in a temporary folder: one with
no bytecode (this machine sets PYTHONDONTWRITEBYTECODE=1, so a source tree is compiled at every
start) and one compiled first with `python -m compileall`, as an installed program is.
Targets: reading the pack under 50 ms and one decision under 1 ms (issue 2); `main.py decide`
within 4x `python -c pass` (issue 19).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.common import ROOT, median_seconds, ms, program_copy, python
from desktop.rules import decide, load_pack, parse_intake_json, parse_pack
from desktop.rules.checks import load_scenarios

MODULE = "bench.bench_rules"
PACK = ROOT / "resources" / "policies" / "northampton-2019"
DETAINER = "D11-detainer-by-fax"  # the everyday request: an I-247A with an I-200 by fax, hold and notify
# The rules' part of the `decide` start: import, read the pack in force, decide one intake, print it.
RULES_START = (
    "import sys, pathlib\n"
    "from desktop.rules import choose_pack, decide, parse_intake_json\n"
    "intake = parse_intake_json(sys.stdin.read())\n"
    "pack = choose_pack(intake.received_at, None, pathlib.Path('resources/policies'))\n"
    "print(decide(intake, pack).to_json())\n"
)


@dataclass(frozen=True)
class Sizes:
    """How many times each figure is measured (its median is printed)."""

    load: int
    decide: int
    scenarios: int
    process: int


FULL = Sizes(load=50, decide=2000, scenarios=100, process=7)
QUICK = Sizes(load=3, decide=20, scenarios=2, process=2)


def process_seconds(args: Sequence[str], cwd: Path, repeat: int, stdin: str = "") -> float:
    """The median wall time of a process run `repeat` times in `cwd` (one warm-up run first)."""
    env = {**os.environ, "PYTHONPATH": str(cwd)}

    def once() -> None:
        subprocess.run(args, input=stdin, capture_output=True, text=True, check=True, cwd=cwd, env=env)

    return median_seconds(once, repeat)


def ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:6.1f}x"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE}", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few runs of each figure (seconds, not a minute)")
    sizes = QUICK if parser.parse_args(argv).quick else FULL

    pack_file = PACK / "pack.toml"
    raw = pack_file.read_bytes()
    text = raw.decode("utf-8")
    pack = load_pack(PACK)
    scenarios = [s for s in load_scenarios(pack.scenario_dir) if s.refused is None]  # refusals decide nothing
    detainer = next(s for s in scenarios if s.id.startswith(DETAINER))
    intake_json = json.dumps(detainer.intake.to_dict())

    toml_only = median_seconds(lambda: tomllib.loads(text), repeat=sizes.load)
    validate = median_seconds(lambda: parse_pack(raw, pack_file), repeat=sizes.load)
    cached = median_seconds(lambda: load_pack(PACK), repeat=sizes.load * 20)
    json_only = median_seconds(lambda: json.loads(intake_json), repeat=sizes.decide)
    one = median_seconds(lambda: decide(detainer.intake, pack), repeat=sizes.decide)
    round_trip = median_seconds(lambda: decide(parse_intake_json(intake_json), pack).to_json(), repeat=sizes.decide)
    every = median_seconds(lambda: [decide(s.intake, pack) for s in scenarios], repeat=sizes.scenarios)

    rows: list[tuple[str, str, str]] = [
        ("baseline: tomllib.loads of the pack file", ms(toml_only), ""),
        (f"read and validate the pack ({len(pack.rules)} rules)", ms(validate), ratio(validate, toml_only)),
        ("load_pack again (unchanged file: one stat)", ms(cached), ratio(cached, toml_only)),
        ("baseline: json.loads of one intake", ms(json_only), ""),
        ("decide one intake (fax detainer, 2 actions)", ms(one), ratio(one, json_only)),
        ("parse JSON + decide + JSON out", ms(round_trip), ratio(round_trip, json_only)),
        (f"decide all {len(scenarios)} pack scenarios, per scenario", ms(every / len(scenarios)), ""),
    ]
    with tempfile.TemporaryDirectory(prefix="bench-rules-") as tmp:
        for compiled in (False, True):
            copy = program_copy(Path(tmp) / ("compiled" if compiled else "source"), compiled=compiled)
            label = "with bytecode" if compiled else "no bytecode"
            bare = process_seconds([python(), "-c", "pass"], copy, sizes.process)
            imported = process_seconds([python(), "-c", "import desktop.rules"], copy, sizes.process)
            rules = process_seconds([python(), "-c", RULES_START], copy, sizes.process, intake_json)
            command = process_seconds([python(), "main.py", "decide", "-"], copy, sizes.process, intake_json)
            rows += [
                (f"baseline: `python -c pass` ({label})", ms(bare), ""),
                (f"  `import desktop.rules` ({label})", ms(imported), ratio(imported, bare)),
                (f"  rules start: import, choose the pack, decide ({label})", ms(rules), ratio(rules, bare)),
                (f"  `main.py decide -` ({label}); target 4x", ms(command), ratio(command, bare)),
            ]

    print(f"rules benchmark (medians; {'--quick' if sizes is QUICK else 'full'} size)")
    width = max(len(label) for label, _, _ in rows)
    for label, value, times in rows:
        print(f"  {label:<{width}}  {value:>12}  {times}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
