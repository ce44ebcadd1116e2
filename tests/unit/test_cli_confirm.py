"""The checks before recording at the command line (`--confirm CHECK`), and roles checked before any secret.

The desk finds the checks (desk/cases.py `Cases.checks`); the command line refuses in one line, naming
each check and the `--confirm` that records the intake as it is, and records nothing. A command that
asks for a passphrase or a new password first asks the desk whether the account may run it at all,
so nobody types a secret for an action they may not run.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from desktop.desk.cases import CHECK_IDS
from tests.unit.cli_run import S01, invoke
from tests.unit.conftest import as_user


def _cases(env: dict[str, str]) -> int:
    raw = sqlite3.connect(Path(env["SAFEDESK_DATA_DIR"]) / "cases.db")
    try:
        return int(raw.execute("SELECT COUNT(*) FROM cases").fetchone()[0])
    finally:
        raw.close()


def _write(tmp_path: Path, name: str, intake: dict[str, object]) -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(intake), encoding="utf-8")
    return path


def _in_a_day() -> str:
    """A received time a day ahead of the desk's clock (the command line's is the system clock)."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat(timespec="seconds")


BLANK = {**S01, "documents": [], "subject": {"custody": "in_city_custody", "release_blockers": []}}
RELAY = {**S01, "requester": "state_or_local", "purpose": "criminal_unrelated", "documents": [], "actions": ["hold"]}


def test_a_second_open_case_for_a_booking_number_needs_confirm(env, intake_file: Path) -> None:
    assert invoke(env, "record", str(intake_file)).returncode == 0
    refused = invoke(env, "record", str(intake_file))
    assert refused.returncode == 2 and refused.stdout == "" and refused.stderr.count("\n") == 1, refused.stderr
    assert "booking number 26-000187 already has an open case: 2026-000001" in refused.stderr
    assert refused.stderr.rstrip().endswith("add --confirm open-case)") and "nothing was recorded" in refused.stderr
    assert _cases(env) == 1
    done = invoke(env, "record", str(intake_file), "--confirm", "open-case")
    assert done.returncode == 0 and done.stdout.strip() == "2026-000002", done.stderr


@pytest.mark.parametrize(
    ("intake", "check", "words"),
    [
        ({**S01, "received_at": "FUTURE"}, "future", "later than now on the desk's clock"),
        (BLANK, "blank", "neither a name nor a booking number"),
        (RELAY, "relay", "Did they mention ICE, DHS or a detainer"),
    ],
)
def test_each_check_is_refused_naming_it_until_confirmed(
    env, tmp_path: Path, intake: dict[str, object], check: str, words: str
) -> None:
    if intake.get("received_at") == "FUTURE":
        intake = {**intake, "received_at": _in_a_day()}
    path = _write(tmp_path, check, intake)
    refused = invoke(env, "record", str(path))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert words in refused.stderr and f"--confirm {check})" in refused.stderr
    others = [c for c in CHECK_IDS if c != check]
    assert invoke(env, "record", str(path), *[a for c in others for a in ("--confirm", c)]).returncode == 2
    assert _cases(env) == 0
    done = invoke(env, "record", str(path), "--confirm", check)
    assert done.returncode == 0, done.stderr


def test_every_unconfirmed_check_is_named_in_the_one_line(env, tmp_path: Path) -> None:
    path = _write(tmp_path, "both", {**BLANK, "received_at": _in_a_day()})
    refused = invoke(env, "--json", "record", str(path))
    assert refused.returncode == 2 and refused.stdout == "" and refused.stderr.count("\n") == 1
    assert "later than now" in refused.stderr and "neither a name nor a booking number" in refused.stderr
    assert refused.stderr.rstrip().endswith("add --confirm future --confirm blank)")
    only_one = invoke(env, "record", str(path), "--confirm", "blank")
    assert only_one.returncode == 2 and "--confirm future)" in only_one.stderr
    assert "neither a name nor a booking number" not in only_one.stderr
    done = invoke(env, "--json", "record", str(path), "--confirm", "blank", "--confirm", "future")
    assert done.returncode == 0 and json.loads(done.stdout)["version"] == 1, done.stderr


def test_amend_asks_the_same_checks(env, intake_file: Path, tmp_path: Path) -> None:
    case = invoke(env, "record", str(intake_file)).stdout.strip()
    later = _write(tmp_path, "later", {**S01, "received_at": _in_a_day()})
    refused = invoke(env, "amend", case, str(later), "--reason", "the fax header")
    assert refused.returncode == 2 and "--confirm future)" in refused.stderr, refused.stderr
    assert "open-case" not in refused.stderr  # the case being amended is the open one
    shown = json.loads(invoke(env, "--json", "show", case).stdout)
    assert [v["version"] for v in shown["versions"]] == [1]
    done = invoke(env, "amend", case, str(later), "--reason", "the fax header", "--confirm", "future")
    assert done.returncode == 0 and done.stdout.strip() == f"{case} version 2", done.stderr


def test_an_unknown_check_is_a_usage_error(env, intake_file: Path) -> None:
    done = invoke(env, "record", str(intake_file), "--confirm", "open_case")
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "invalid choice: 'open_case'" in done.stderr and "'open-case'" in done.stderr
    assert _cases(env) == 0


def test_the_command_line_refuses_what_the_desk_finds(env, tmp_path: Path) -> None:
    """Every check the desk's `checks` finds is one the command line names, and no other."""
    from desktop.desk import Desk, system_clock
    from tests.unit.desk.people import PASSWORDS

    intakes = {"blank": BLANK, "relay": RELAY, "future": {**RELAY, "received_at": _in_a_day()}}
    with Desk(Path(env["SAFEDESK_DATA_DIR"]), clock=system_clock) as desk:
        session = desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"])
        found = {name: [c.id for c in desk.cases.checks(session, desk.decide(i).intake)] for name, i in intakes.items()}
    assert found == {"blank": ["blank"], "relay": ["relay"], "future": ["future", "relay"]}
    for name, intake in intakes.items():
        refused = invoke(env, "record", str(_write(tmp_path, name, intake)))
        named = refused.stderr.rstrip().rsplit("add ", 1)[1].rstrip(")").split()
        assert named == [w for c in found[name] for w in ("--confirm", c)], refused.stderr


PASSPHRASE_ENV = "SAFEDESK_BACKUP_PASSPHRASE"


@pytest.mark.parametrize(
    ("user", "args", "words"),
    [
        ("admin", ("memo", "CASE", "-o", "OUT/memo.pdf"), "may not print or save a memo"),
        ("ofc.smith", ("export", "OUT"), "may not export memos"),
        ("ofc.smith", ("backup", "OUT/b.db"), "only a supervisor or admin takes a copy"),
        ("ofc.smith", ("audit", "--csv", "OUT/audit.csv"), "may not read or export the audit log"),
        ("ofc.smith", ("report", "--year", "2026", "--register", "-o", "OUT/r.csv"), "supervisors and admins only"),
        ("sgt.jones", ("restore", "SEALED"), "needs the admin role"),
        ("sgt.jones", ("user", "reset", "ofc.chen"), "may not add or change accounts"),
    ],
)
def test_the_role_is_checked_before_any_secret_is_asked_for(
    env, intake_file: Path, tmp_path: Path, user: str, args: tuple[str, ...], words: str
) -> None:
    """No passphrase or new password is given (there is no terminal): the refusal is the role's, not the secret's."""
    case = invoke(env, "record", str(intake_file)).stdout.strip()
    sealed = tmp_path / "b.db.enc"
    if "SEALED" in args:
        sealing = {**as_user(env, "admin"), PASSPHRASE_ENV: "Station-Copy-2026!"}
        assert invoke(sealing, "backup", str(tmp_path / "b.db")).returncode == 0
    out = tmp_path / "usb"
    out.mkdir()
    argv = [a.replace("CASE", case).replace("OUT", str(out)).replace("SEALED", str(sealed)) for a in args]
    done = invoke(as_user(env, user), *argv)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert words in done.stderr and PASSPHRASE_ENV not in done.stderr and "no password given" not in done.stderr
    assert not any(out.iterdir())
