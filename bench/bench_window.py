"""Benchmark the window: process start to main window shown, and the case log's first page at scale.

Run: .venv/bin/python -m bench.bench_window              (log of 10,000 cases)
     .venv/bin/python -m bench.bench_window 1000000      (builds a 1,000,000-case log once, kept in
                                                          $BENCH_DATA or /tmp/safedesk-bench-<n>)
Targets (issue 5): start within 1.5x of a bare PySide6 QMainWindow measured in the same run; the
first page of the case log in under 300 ms at a million cases.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, median_process_seconds, ms, python

BARE = (
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "from PySide6.QtCore import QTimer\n"
    "app = QApplication([])\n"
    "w = QMainWindow(); w.resize(1180, 760); w.show()\n"
    "QTimer.singleShot(0, app.quit)\n"
    "app.exec()\n"
)


def build_log(size: int) -> Path:
    """A log of `size` synthetic cases, built once and reused (a million takes a few minutes)."""
    from desktop.demo import synthetic_intakes, synthetic_officer
    from desktop.rules import decide, load_pack, parse_intake
    from desktop.store import open_store

    folder = Path(os.environ.get("BENCH_DATA") or Path(tempfile.gettempdir()) / f"safedesk-bench-{size}")
    pack = load_pack(ROOT / "resources" / "policies" / "northampton-2019")
    with open_store(folder) as store:
        have = store.total_cases()
        if have >= size:
            return folder
        intakes = [parse_intake(d) for d in synthetic_intakes(pack, 5000, seed=size)]
        decisions = [decide(i, pack) for i in intakes]
        start = time.perf_counter()
        while have < size:
            n = min(1000, size - have)
            store.record_many(
                [
                    (intakes[(have + k) % 5000], decisions[(have + k) % 5000], synthetic_officer(k), None)
                    for k in range(n)
                ],
                pack,
            )
            have += n
            if have % 100_000 == 0:
                print(f"    built {have:,} cases ({time.perf_counter() - start:.0f} s)", file=sys.stderr)
    return folder


def first_page_seconds(folder: Path) -> tuple[float, float, int]:
    """In-process: open the log and show the case log view with its first page painted (cold, then warm)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.ui.app import make_application
    from desktop.ui.case_log import CaseLogView
    from desktop.ui.services import DeskServices

    app = make_application()
    timings = []
    rows = 0
    for _ in range(2):
        services = DeskServices(folder)
        start = time.perf_counter()
        view = CaseLogView(services)
        view.resize(1180, 700)
        view.show()
        app.processEvents()
        view.grab()  # forces the first page of rows to be fetched and painted
        timings.append(time.perf_counter() - start)
        rows = view.model.rowCount()
        view.close()
        services.close()
    return timings[0], timings[1], rows


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    env_offscreen = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    os.environ.update(env_offscreen)
    with tempfile.TemporaryDirectory() as empty:
        app = median_process_seconds([python(), "main.py", "--data-dir", empty, "--exit-after-show"], repeat=7)
    bare = median_process_seconds([python(), "-c", BARE], repeat=7)
    baseline = median_process_seconds([python(), "-c", "pass"], repeat=7)
    folder = build_log(size)
    cold, warm, rows = first_page_seconds(folder)
    print("window benchmark (medians of 7 runs, offscreen)")
    print(f"  python -c pass:                                  {ms(baseline)}")
    print(f"  bare PySide6 QMainWindow, start to shown:        {ms(bare)}")
    print(f"  main.py, start to main window shown:             {ms(app)}   ratio {app / bare:.2f}x (target 1.5x)")
    print(f"  case log first page at {rows:,} cases: cold {ms(cold)}, warm {ms(warm)} (target < 300 ms)")


if __name__ == "__main__":
    main()
