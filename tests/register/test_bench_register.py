"""bench_register runs at its --quick size: every figure beside its same-run baseline (no time is asserted)."""

from __future__ import annotations

import re

import pytest

from bench import bench_register


@pytest.mark.posix_only(reason="the register's benchmark starts Debian's PostgreSQL as the postgres user, on Linux")
def test_bench_register_quick_prints_every_figure_as_a_ratio(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_register.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("register benchmark (--quick size;")
    for label, baseline in (
        ("import verification", "the Ed25519 floor"),
        ("import COPY (staged)", "a bare COPY"),
        ("import merge", "a bare COPY"),
        ("case lookup across desks", "a bare read"),
        ("year's report across desks", "the bare fetch"),
    ):
        line = next(line for line in out.splitlines() if label in line)
        assert re.search(rf"\d+\.\d+x {re.escape(baseline)}", line), line
    assert re.search(r"re-import .* added 0 ", out)
