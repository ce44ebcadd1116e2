"""Benchmark the rules module: pack load, one decision, and the `decide` command's wall time.

Run: .venv/bin/python -m bench.bench_rules
Targets (issue 2): decide under 1 ms, load under 50 ms on the project's 2-core machine.
"""

from __future__ import annotations

import json

from bench.common import ROOT, median_process_seconds, median_seconds, ms, python
from desktop.rules import decide, load_pack
from desktop.rules.checks import load_scenarios
from desktop.rules.intake import parse_intake_json

PACK = ROOT / "resources" / "policies" / "northampton-2019"


def main() -> None:
    load = median_seconds(lambda: load_pack(PACK), repeat=50)
    pack = load_pack(PACK)
    scenarios = [s for s in load_scenarios(pack.scenario_dir) if s.refused is None]  # refusals decide nothing
    detainer = next(s for s in scenarios if s.id.startswith("D11-detainer-by-fax"))
    one = median_seconds(lambda: decide(detainer.intake, pack), repeat=2000)
    all_scenarios = median_seconds(lambda: [decide(s.intake, pack) for s in scenarios], repeat=200)
    text = json.dumps(detainer.intake.to_dict())
    parse_and_decide = median_seconds(lambda: decide(parse_intake_json(text), pack).to_json(), repeat=2000)

    baseline = median_process_seconds([python(), "-c", "pass"], repeat=7)
    command = median_process_seconds([python(), "main.py", "decide", "-"], repeat=7, stdin=text)

    print("rules benchmark (medians)")
    print(f"  load and validate the pack ({len(pack.rules)} rules):  {ms(load)}   target < 50 ms")
    print(f"  decide one intake (fax detainer, 2 actions):      {ms(one)}   target < 1 ms")
    print(f"  parse JSON + decide + JSON out:                   {ms(parse_and_decide)}")
    print(f"  decide all {len(scenarios)} pack scenarios:                  {ms(all_scenarios)}")
    print(f"  `python -c pass` (baseline, same run):            {ms(baseline)}")
    print(
        f"  `main.py decide -` wall time:                     {ms(command)}   "
        f"({command / baseline:.1f}x the bare interpreter)"
    )


if __name__ == "__main__":
    main()
