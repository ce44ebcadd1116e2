"""keys/desk.key is never replaced without a word: damaged, deleted or another desk's, it is refused with a message
that says what is wrong and what to do (no backup holds it), and only --new-desk-key makes a new one, recorded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop.desk import Desk, system_clock
from desktop.desk.accounts import DESK_KEY_FILE
from desktop.store.errors import DeskKeyProblem
from tests.unit.cli_run import invoke
from tests.unit.conftest import as_user
from tests.unit.desk.people import staffed_desk


def _key(env: dict[str, str]) -> Path:
    return Path(env["SAFEDESK_DATA_DIR"]) / DESK_KEY_FILE


def test_a_damaged_desk_key_says_no_backup_holds_it_and_changes_nothing(env: dict[str, str]) -> None:
    _key(env).write_text("not a key\n")
    result = invoke(env, "log")
    assert result.returncode != 0 and result.stderr.count("\n") == 1, result.stderr
    assert "is damaged" in result.stderr and "no backup holds it" in result.stderr
    assert "restore it from the backup" not in result.stderr and "--new-desk-key" in result.stderr
    assert _key(env).read_text() == "not a key\n"


def test_a_deleted_desk_key_is_refused_not_silently_replaced(env: dict[str, str]) -> None:
    _key(env).unlink()
    result = invoke(env, "log")
    assert result.returncode != 0 and "is missing" in result.stderr and "--new-desk-key" in result.stderr, result
    assert not _key(env).exists()


def test_a_swapped_desk_key_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    staffed_desk(tmp_path / "other").desk.close()
    shutil.copyfile(tmp_path / "other" / DESK_KEY_FILE, _key(env))
    result = invoke(env, "verify")
    assert result.returncode != 0 and "is not this log's desk key" in result.stderr, result
    with pytest.raises(DeskKeyProblem):
        Desk(Path(env["SAFEDESK_DATA_DIR"]), clock=system_clock).open()


def test_new_desk_key_sets_the_old_file_aside_and_the_log_records_it(env: dict[str, str]) -> None:
    _key(env).write_bytes(b"\x00" * 10)
    made = invoke(env, "--new-desk-key", "log")
    assert made.returncode == 0, made.stderr
    assert [p.read_bytes() for p in _key(env).parent.glob("desk-set-aside*")] == [b"\x00" * 10]
    assert invoke(env, "log").returncode == 0  # the new key is now this log's
    shown = invoke(as_user(env, "admin"), "--json", "audit")
    assert "a new desk key" in shown.stdout and "keys/desk.key was damaged" in shown.stdout, shown
    check = invoke(as_user(env, "admin"), "verify")
    assert check.returncode == 0, check.stdout + check.stderr
