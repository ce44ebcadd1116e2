"""The verify benchmark runs once at its quick size (no time is asserted): it builds a signed log, verifies it
without a problem, and prints its ratio to the Ed25519 floor measured in the same run."""

from __future__ import annotations

import pytest


def test_bench_verify_quick(capsys: pytest.CaptureFixture[str]) -> None:
    from bench.bench_verify import main

    main(["--quick"])
    out = capsys.readouterr().out
    assert "verify benchmark at 300 recorded cases" in out
    assert "the floor" in out and "ratio" in out
    assert "problem" not in out, out
