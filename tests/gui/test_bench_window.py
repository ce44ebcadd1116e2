"""The window benchmark runs once at its quick size (one run of each start, a log of 50 cases).

No time is asserted: the benchmark prints the ratios to a bare PySide6 window measured in the same run
(bench/bench_window.py), and this only checks that it runs and says each figure.
"""

from __future__ import annotations

import re

import pytest

from bench import bench_window


@pytest.mark.slow
def test_bench_window_quick_prints_both_ratios_and_the_first_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_window.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("window benchmark (1 run after a warm-up, offscreen)")
    ratios = re.findall(r"ratio to the bare window: +(\d+\.\d\d)x \((within|OVER) the 1\.5x target\)", out)
    assert len(ratios) == 2 and all(float(r) > 0 for r, _verdict in ratios)
    assert "from bytecode:" in out and "from source:" in out
    assert "the window (desktop.ui):" in out and "PySide6 and shiboken6:" in out
    assert re.search(r"case log first page at 50 cases: cold \d+\.\d+ ms, warm \d+\.\d+ ms", out)
