"""Every benchmark runs once at its --quick size, so none can silently break; no time is asserted.

bench_rules has its own test (tests/unit/rules/test_bench_rules.py). The logs the store and report
benchmarks build go to a temporary folder of the test's own ($BENCH_TMP), never the machine's cache.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import bench_hardening, bench_memo, bench_report, bench_store

RATIO = re.compile(r"\d+\.\d{3} ms\s+\d+\.\dx$")


@pytest.fixture
def bench_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BENCH_TMP", str(tmp_path))
    return tmp_path


def _line(out: str, label: str) -> str:
    return next(line for line in out.splitlines() if label in line)


def test_bench_store_quick(bench_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_store.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("case log benchmark at 1,000 cases")
    for label in (
        "record one case, full sync",
        "the case log's first page (no filter): page of 50 (1,000 found)",
        "search: a common family name (GARCIA): page of 50",
        "review queue: text GARCIA: page of 50",
        "review queue: ice_hsi + I-247A: its count",
    ):
        assert RATIO.search(_line(out, label)), _line(out, label)
    assert re.search(r"longest wait of another writer meanwhile .* \d+\.\d\d s", out)
    assert re.search(r"Search index rebuilt from the log \(1,0\d\d cases\)", out)  # and the cases just recorded
    assert (bench_tmp / "safedesk-bench-log-1000-v1" / "built.json").exists()  # kept for the next run
    assert not list(bench_tmp.glob("safedesk-bench-scratch-*"))  # the copies that were written to are gone


def test_bench_report_quick(bench_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_report.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("oversight report benchmark at 1,000 cases")
    for label in ("figures, year 2026", "figures + PDF, year 2026", "figures + CSV, year 2026", "figures, every case"):
        assert RATIO.search(_line(out, label)), _line(out, label)


def test_bench_memo_quick(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_memo.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("memo benchmark (medians; --quick size)")
    for label in ("render one memo", "the same decision as a draft", "first memo in a fresh process"):
        assert RATIO.search(_line(out, label)), _line(out, label)


def test_bench_hardening_quick(bench_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_hardening.main(["--quick"]) == 0  # 1 would mean a must-be-zero figure is not
    out = capsys.readouterr().out
    assert "every must-be-zero figure is 0" in out
    for campaign in ("writer kills", "verify beside writers", "restore kills", "upgrade kills"):
        assert re.search(rf"^  {campaign}\s+\d", out, re.MULTILINE), campaign
