"""Count the processes a test run starts to run the command line: a pytest plugin, for issue 19's figure.

Run: .venv/bin/python -m pytest -q -p bench.cli_processes -m "not gui" -p no:pytest-qt

A process counts when it runs main.py (the program, or the frozen start through runpy) or Python code
that imports desktop.cli; the start benchmark's own timed runs count too, and are named apart. At the
end the plugin prints the total and the count per test file. Most command tests run in-process
(tests/unit/cli_run.py `invoke`); this keeps the ones left as processes in view.
"""

from __future__ import annotations

import collections
import os
import subprocess
from typing import Any

import pytest

_counts: collections.Counter[str] = collections.Counter()
_current = ["(outside a test)"]
_popen_init = subprocess.Popen.__init__


def _runs_the_command_line(args: Any) -> bool:
    words = [args] if isinstance(args, str | bytes | os.PathLike) else list(args)
    text = [os.fsdecode(w) if isinstance(w, bytes | os.PathLike) else str(w) for w in words]
    if any(w.endswith("main.py") for w in text):
        return True
    code = text[text.index("-c") + 1] if "-c" in text[:-1] else ""
    return "desktop.cli" in code or "main.py" in code


def _counting_init(self: subprocess.Popen[Any], args: Any, *rest: Any, **kwargs: Any) -> None:
    if _runs_the_command_line(args):
        _counts[_current[0]] += 1
    _popen_init(self, args, *rest, **kwargs)


def pytest_configure(config: pytest.Config) -> None:
    subprocess.Popen.__init__ = _counting_init  # type: ignore[method-assign]


def pytest_runtest_setup(item: pytest.Item) -> None:
    _current[0] = item.nodeid


def pytest_terminal_summary(terminalreporter: Any) -> None:
    by_file: collections.Counter[str] = collections.Counter()
    for test, count in _counts.items():
        by_file[test.split("::")[0]] += count
    bench = sum(count for test, count in _counts.items() if "bench_start" in test)
    total = sum(by_file.values())
    terminalreporter.write_line(f"command-line processes: {total} ({bench} of them the start benchmark's timed runs)")
    for path, count in by_file.most_common():
        terminalreporter.write_line(f"  {count:4d}  {path}")
