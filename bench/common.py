"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import compileall
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_seconds(func: Callable[[], object], repeat: int, warmup: int = 1) -> float:
    """The median wall time of `repeat` calls, after `warmup` calls that are not counted."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_process_seconds(args: Sequence[str], repeat: int, stdin: str | None = None) -> float:
    """The median wall time of running a process `repeat` times (one warm-up run first)."""

    def once() -> None:
        subprocess.run(args, input=stdin, capture_output=True, text=True, check=True, cwd=ROOT)

    return median_seconds(once, repeat)


def python() -> str:
    return sys.executable


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def program_copy(folder: Path, *, compiled: bool) -> Path:
    """The program (main.py, desktop/, the policy packs) copied to `folder`, compiled to bytecode or not.

    A process timed in the copy starts as an installed program does (compiled) or as a source tree on a
    machine that keeps no bytecode (this one sets PYTHONDONTWRITEBYTECODE=1), whatever caches the
    working tree holds.
    """
    folder.mkdir(parents=True)
    shutil.copy2(ROOT / "main.py", folder / "main.py")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "desktop", folder / "desktop", ignore=ignore)
    shutil.copytree(ROOT / "resources" / "policies", folder / "resources" / "policies", ignore=ignore)
    if compiled:
        compileall.compile_dir(folder / "desktop", quiet=1)
        compileall.compile_file(folder / "main.py", quiet=1)
    return folder


def print_table(heading: str, rows: Sequence[tuple[str, str, str]]) -> None:
    """A benchmark's figures: a heading, then each label, its value and its ratio to its baseline."""
    print(heading)
    width = max(len(label) for label, _, _ in rows)
    for label, value, ratio in rows:
        print(f"  {label:<{width}}  {value:>12}  {ratio}")
