"""Tests for `main.py decide` and `main.py policy`: in-process (cli_run.invoke), and as real processes the way
desks and scripts run them (a file, and standard input through a pipe)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, PACK_DIR, ROOT
from tests.unit.cli_run import Result, invoke

GOOD = {
    "received_at": "2026-01-13T22:18:00-05:00",
    "channel": "fax",
    "requester": "ice_ero",
    "documents": [{"kind": "I-247A", "signer": "dhs_officer"}],
    "actions": ["hold"],
    "subject": {"custody": "in_city_custody", "release_blockers": []},
}


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """main.py as a real process."""
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def cli(*args: str, stdin: str = "") -> Result:
    """The same command in-process, with this environment (decide and policy need no data folder)."""
    return invoke(dict(os.environ), *args, stdin=stdin)


def test_decide_file_prints_one_json_decision(tmp_path: Path) -> None:
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    done = run("decide", str(path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["responses"][0]["code"] == "NO_HOLD"
    assert done.stderr == ""


def test_decide_reads_standard_input() -> None:
    done = run("decide", "-", stdin=json.dumps(GOOD))
    assert done.returncode == 0
    assert json.loads(done.stdout)["policy"]["id"] == "northampton-2019"


def test_decide_with_another_pack() -> None:
    hsi = dict(
        GOOD,
        requester="ice_hsi",
        purpose="criminal_unrelated",
        documents=[],
        actions=["share_info"],
        info=["booking_record"],
    )
    exampleville = cli("decide", "--policy", str(FIXTURES / "packs" / "exampleville"), "-", stdin=json.dumps(hsi))
    northampton = cli("decide", "-", stdin=json.dumps(hsi))
    assert json.loads(exampleville.stdout)["responses"][0]["code"] == "NOT_COVERED"
    assert json.loads(northampton.stdout)["responses"][0]["code"] == "REFER_COUNSEL"


@pytest.mark.parametrize(
    ("stdin", "words"),
    [
        ("this is not json", "not valid JSON"),
        (json.dumps(dict(GOOD, colour="red")), "colour: unknown field"),
        (json.dumps(dict(GOOD, channel="pigeon")), "channel: unknown value 'pigeon'"),
        (json.dumps(dict(GOOD, actions="hold")), "actions: expected a list"),
        (json.dumps(dict(GOOD, actions=["share_info"])), "info: required when actions has share_info"),
        (json.dumps(dict(GOOD, received_at="13/01/2026 22:18")), "received_at:"),
        (
            json.dumps(dict(GOOD, received_at="2019-01-01T00:00:00+00:00")),
            "received_at 2019-01-01T00:00:00+00:00 is 2018-12-31 in America/New_York, before the first policy pack",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(stdin: str, words: str) -> None:
    done = cli("decide", "-", stdin=stdin)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and words in done.stderr


def test_the_time_zone_edge_is_decided_on_one_side_and_refused_on_the_other() -> None:
    # LEGAL.md 3C version 2, item 8: the pack in force is chosen by the date in Northampton.
    evening = cli("decide", "-", stdin=json.dumps(dict(GOOD, received_at="2019-12-04T22:30:00-08:00")))
    assert evening.returncode == 0, evening.stderr
    assert json.loads(evening.stdout)["responses"][0]["code"] == "NO_HOLD"
    early = cli("decide", "-", stdin=json.dumps(dict(GOOD, received_at="2019-12-05T03:00:00+00:00")))
    assert early.returncode == 2 and early.stdout == ""
    assert early.stderr == (
        "error: received_at 2019-12-05T03:00:00+00:00 is 2019-12-04 in America/New_York, "
        "before the first policy pack is in force (2019-12-05)\n"
    )
    assert "pack.toml" not in early.stderr and str(ROOT) not in early.stderr


def test_a_named_pack_is_refused_outside_its_period_in_one_line_without_a_path() -> None:
    early = json.dumps(dict(GOOD, received_at="2019-12-05T03:00:00+00:00"))
    done = cli("decide", "--policy", str(PACK_DIR), "-", stdin=early)
    assert done.returncode == 2 and done.stdout == "" and done.stderr.count("\n") == 1
    assert "received_at 2019-12-05T03:00:00+00:00 is 2019-12-04 in America/New_York" in done.stderr
    assert "(2019-12-05)" in done.stderr and str(PACK_DIR) not in done.stderr


def test_exampleville_decides_by_its_own_time_zone() -> None:
    # 23:30 in Chicago on 31 December 2023 is already 2024 in Northampton, but not in Exampleville.
    hsi = dict(GOOD, received_at="2024-01-01T00:30:00-05:00")
    done = cli("decide", "--policy", str(FIXTURES / "packs" / "exampleville"), "-", stdin=json.dumps(hsi))
    assert done.returncode == 2 and "2023-12-31 in America/Chicago" in done.stderr
    later = dict(GOOD, received_at="2024-01-01T01:30:00-05:00")
    done = cli("decide", "--policy", str(FIXTURES / "packs" / "exampleville"), "-", stdin=json.dumps(later))
    assert done.returncode == 0 and json.loads(done.stdout)["policy"]["id"] == "exampleville-2024"


def test_decide_accepts_a_consulate_and_consent() -> None:
    consulate = dict(GOOD, requester="consulate", documents=[], actions=["share_info"], info=["custody_status"])
    done = cli("decide", "-", stdin=json.dumps(consulate))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["responses"][0]["rule"] == "D9c"
    lawyer = dict(GOOD, requester="subject_or_attorney", documents=[], actions=["notify_release"])
    for consent, rule in ((True, "D9s"), (False, "D13o")):
        done = cli("decide", "-", stdin=json.dumps(dict(lawyer, consent_confirmed=consent)))
        assert json.loads(done.stdout)["responses"][0]["rule"] == rule
    done = cli("decide", "-", stdin=json.dumps(dict(lawyer, consent_confirmed="yes")))
    assert done.returncode == 2 and "consent_confirmed: expected true or false" in done.stderr


def test_missing_file_and_bad_usage_exit_2() -> None:
    for args in (("decide", "/no/such/intake.json"), ("decide",), ("frobnicate",)):
        done = cli(*args)
        assert done.returncode == 2, args
        assert done.stdout == "" and done.stderr.count("\n") == 1, args


def test_bad_pack_exits_2_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "pack.toml"
    bad.write_text((PACK_DIR / "pack.toml").read_text("utf-8").replace('code = "NO_HOLD"', 'code = "NAP"'), "utf-8")
    done = cli("decide", "--policy", str(bad), "-", stdin=json.dumps(GOOD))
    assert done.returncode == 2 and str(bad) in done.stderr and "unknown response code 'NAP'" in done.stderr


def test_decide_never_loads_qt_or_the_database() -> None:
    code = (
        "import sys, io, contextlib; from desktop.cli import main;"
        f"sys.stdin = io.StringIO({json.dumps(json.dumps(GOOD))});"
        "out = io.StringIO();"
        "contextlib.redirect_stdout(out).__enter__(); rc = main(['decide', '-']);"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlite_utils', 'reportlab')];"
        "sys.exit(1 if heavy or rc else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_policy_show_prints_clauses_then_rules() -> None:
    done = cli("policy", "show")
    assert done.returncode == 0
    text = done.stdout
    assert "NOT YET REVIEWED" in text
    assert text.index("CHANGES") < text.index("CLAUSES")  # what changed in version 2, printed for counsel
    assert "version 2.2.0" in text and "America/New_York" in text
    assert text.index("CLAUSES") < text.index("RULES") < text.index("D99: REFER_COUNSEL")
    assert "To neither detain nor delay the release" in text.replace("\n    ", " ")
    # the notice to the person: what it holds, awaiting counsel, and each language with its status
    notice = text[text.index("NOTICE TO THE PERSON: intent_only") :]
    assert "What a notice holds: awaiting review by the City Solicitor" in notice
    assert "es Español: unofficial translation" in notice and "pt_BR Português (Brasil): unofficial" in notice


def test_policy_show_json_lists_the_notice_languages() -> None:
    done = cli("--json", "policy", "show")
    notice = json.loads(done.stdout)["notice"]
    assert notice["holds"] == "intent_only" and notice["holds_reviewed_by"] == ""
    assert {code: lang["status"] for code, lang in notice["languages"].items()} == {
        "en": "source",
        "es": "unofficial",
        "pt_BR": "unofficial",
    }


def test_policy_test_runs_the_pack_scenarios() -> None:
    done = cli("policy", "test")
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().endswith("passed, 0 failed")


def test_policy_test_fails_on_a_wrong_expectation(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    scenario = {
        "id": "wrong",
        "title": "expects a hold",
        "intake": GOOD,
        "expect": [{"action": "hold", "info": None, "codes": ["HONOR_JUDICIAL"]}],
    }
    (folder / "wrong.json").write_text(json.dumps(scenario), encoding="utf-8")
    done = cli("--json", "policy", "test", "--scenarios", str(folder))
    assert done.returncode == 1
    result = json.loads(done.stdout)
    assert result["failed"] == 1 and "expected HONOR_JUDICIAL" in result["results"][0]["problems"][0]
