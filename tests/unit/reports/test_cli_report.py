"""`main.py report` (in-process, cli_run.invoke): presets, files by extension, --json, --ice-count, and the refusals."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.unit.cli_run import S01, invoke
from tests.unit.conftest import as_user


def fill(env: dict[str, str], tmp_path: Path) -> None:
    """Two cases, recorded by the signed-in officer: one in January 2026, one in April."""
    for index, received in enumerate(("2026-01-13T22:18:00-05:00", "2026-04-02T10:00:00-04:00")):
        intake = tmp_path / f"intake-{index}.json"
        intake.write_text(json.dumps({**S01, "received_at": received}), encoding="utf-8")
        done = invoke(env, "record", str(intake), "--confirm", "open-case")  # one booking number, two requests
        assert done.returncode == 0, done.stderr


def test_report_presets_files_and_json(env: dict[str, str], tmp_path: Path) -> None:
    fill(env, tmp_path)
    shown = invoke(env, "--json", "report", "--quarter", "2026-Q1", "--ice-count", "5")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["period"]["from"] == "2026-01-01" and data["requests"] == 1
    assert data["ice_count"] == {"reported": 5, "logged": 1, "difference": 4}
    assert json.loads(invoke(env, "report", "--year", "2026", "--json").stdout)["requests"] == 2
    plain = invoke(env, "report", "--month", "2026-04")
    assert plain.stdout.startswith("section,group,value\n") and "requests,total,1\n" in plain.stdout
    pdf = tmp_path / "q1.pdf"
    made = invoke(env, "report", "--from", "2026-01-01", "--to", "2026-03-31", "-o", str(pdf), "--json")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["format"] == "pdf" and pdf.read_bytes().startswith(b"%PDF")
    csv_file = tmp_path / "q1.csv"
    assert invoke(env, "report", "--quarter", "2026-Q1", "-o", str(csv_file)).returncode == 0
    assert csv_file.read_text(encoding="utf-8").startswith("section,group,value")


def test_report_refusals_are_one_line_exit_2(env: dict[str, str], tmp_path: Path) -> None:
    fill(env, tmp_path)
    for args, words in (
        (["--year", "2026", "--month", "2026-01"], "name the period once"),
        (["--from", "2026-01-01"], "--from and --to go together"),
        (["--quarter", "2026-Q9"], "2026-Q1"),
        (["--year", "2026", "-o", str(tmp_path / "r.txt")], ".pdf, .csv or .json"),
        (["--year", "2026", "--register"], "supervisors and admins"),
        (["--from", "2026-02-01", "--to", "2026-01-01"], "before it starts"),
    ):
        done = invoke(env, "report", *args)
        assert done.returncode == 2 and words in done.stderr, (args, done.stderr)
        assert done.stderr.count("\n") == 1


def test_a_supervisor_takes_the_register(env: dict[str, str], tmp_path: Path) -> None:
    fill(env, tmp_path)
    target = tmp_path / "register.csv"
    done = invoke(
        as_user(env, "sgt.jones"), "report", "--year", "2026", "--register", "-o", str(target), "--no-encrypt"
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    assert [r["received_day"] for r in rows] == ["2026-01-13", "2026-04-02"]
    shown = json.loads(invoke(as_user(env, "sgt.jones"), "--json", "report", "--month", "2026-04", "--register").stdout)
    assert [c["received_day"] for c in shown["cases"]] == ["2026-04-02"]
