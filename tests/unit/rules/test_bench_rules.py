"""bench_rules runs at its --quick size: every figure is printed beside its same-run baseline (no time is asserted)."""

from __future__ import annotations

import re

import pytest

from bench import bench_rules


def test_bench_rules_quick_prints_every_figure_as_a_ratio(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_rules.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("rules benchmark (medians; --quick size)")
    for label in (
        "read and validate the pack",
        "decide one intake",
        "`main.py decide -` (no bytecode)",
        "`main.py decide -` (with bytecode)",
    ):
        line = next(line for line in out.splitlines() if label in line)
        assert re.search(r"\d+\.\d{3} ms\s+\d+\.\d+x$", line), line
    assert out.count("baseline: `python -c pass`") == 2
