"""A lean start: each command imports and builds only what it needs; the start benchmark runs at its quick size.

What a start imports is seen in a fresh interpreter (this one has imported everything already). No
time is asserted: bench/bench_start.py prints the ratios to `python -c pass`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import bench_start
from desktop.cli.parser import COMMANDS, build_parser, chosen
from tests.conftest import ROOT

LOADED = (
    "import json, sys\n"
    "from desktop.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "sys.stdout.flush()\n"
    "sys.stderr.write(json.dumps({'code': code, 'modules': sorted(sys.modules)}))\n"
)


def modules_after(*args: str, tmp_path: Path) -> set[str]:
    """The modules a fresh interpreter holds after running one command (with no data folder of its own)."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "SAFEDESK_DATA_DIR": str(tmp_path / "none")},
    )
    report = json.loads(done.stderr[done.stderr.index('{"code"') :])
    assert report["code"] == 0, done.stderr
    return set(report["modules"])


def test_decide_imports_the_rules_and_not_the_case_log(tmp_path: Path) -> None:
    intake = ROOT / "tests" / "data" / "examples" / "S01.json"
    loaded = modules_after("decide", str(intake), tmp_path=tmp_path)
    assert {"desktop.rules.engine", "desktop.desk.desk"} <= loaded  # the desk decides, with the rules
    heavy = {
        "multiprocessing",  # a frozen start's need only (main.py)
        "desktop.desk.cases",  # the managers of the case log, made on first use
        "desktop.desk.sessions",
        "desktop.desk.reports.figures",
        "desktop.store",
        "desktop.present",
        "desktop.records",
        "desktop.cli.cases",  # the other commands' modules
        "desktop.cli.maintenance",
        "statistics",
        "secrets",
        "sqlite3",
    }
    assert not loaded & heavy, sorted(loaded & heavy)


def test_version_imports_neither_the_desk_nor_the_rules(tmp_path: Path) -> None:
    loaded = modules_after("--version", tmp_path=tmp_path)
    assert not {m for m in loaded if m.startswith(("desktop.desk", "desktop.rules", "desktop.cli.decide"))}
    assert "multiprocessing" not in loaded


@pytest.mark.parametrize(
    ("argv", "built"),
    [
        (["decide", "x.json"], ["decide"]),
        (["--user", "record", "log", "--json"], ["log"]),  # a global option's value is not the command
        (["--data-dir", "/d", "--json", "policy", "show"], ["policy"]),
        (["--version"], []),
        (["--self-test"], []),
        ([], []),  # the window
        (["--help"], list(COMMANDS)),
        (["frobnicate"], list(COMMANDS)),  # the usage error lists every command
    ],
)
def test_only_the_chosen_commands_parser_is_built(argv: list[str], built: list[str]) -> None:
    parser = build_parser(chosen(argv))
    commands = [a for a in parser._actions if a.dest == "command"]
    assert [name for a in commands for name in a.choices or ()] == built


def test_a_wrong_first_look_still_gets_the_full_parsers_answer(capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.cli import main

    # `--us` abbreviates --user: the first look takes "record" for the command, the full parser does not.
    assert chosen(["--us", "record", "frobnicate"]) == ("record",)
    assert main(["--us", "record", "frobnicate"]) == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


def test_help_and_version_return_their_code_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    from desktop import __version__
    from desktop.cli import main

    assert main(["--version"]) == 0 and capsys.readouterr().out == f"main.py {__version__}\n"
    assert main(["record", "--help"]) == 0 and "--confirm CHECK" in capsys.readouterr().out


FROZEN = (
    "import runpy, sys\n"
    "sys.frozen = FROZEN\n"
    "sys.argv = ['main.py', '--version']\n"
    "try:\n"
    "    runpy.run_path('main.py', run_name='__main__')\n"
    "except SystemExit as stop:\n"
    "    print(stop.code, 'multiprocessing' in sys.modules)\n"
)


@pytest.mark.parametrize(("frozen", "imported"), [(False, False), (True, True)])
def test_only_a_frozen_start_imports_multiprocessing(frozen: bool, imported: bool) -> None:
    """verify's worker processes need freeze_support in the frozen Windows program; no other start pays for it."""
    code = FROZEN.replace("FROZEN", str(frozen))
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.split()[-2:] == ["0", str(imported)], done.stdout + done.stderr


def test_bench_start_quick_prints_every_command_as_a_ratio(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_start.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("start benchmark (medians of 1 round; --quick size)")
    for command in bench_start.COMMANDS[1:]:
        for build in ("no bytecode", "with bytecode"):
            line = next(line for line in out.splitlines() if f"{command.label} ({build})" in line)
            assert line.split(" ms ")[1].split()[0].endswith("x") and line.rstrip().endswith("modules"), line
