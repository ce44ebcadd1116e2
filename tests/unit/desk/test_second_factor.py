"""Enrolling a second factor (issue 20): the desk makes a secret and its QR code, and stores it only once a code
the authenticator app made from it is typed, at the desk and through `main.py user second-factor`. Where the
desk requires one, an account without it can do nothing else first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyotp
import pytest

import desktop.signing
from desktop.desk.accounts import SignInError
from desktop.desk.sessions import SessionRefused
from tests.conftest import ROOT
from tests.unit.desk.people import PASSWORDS, staffed_desk


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)


def test_a_new_secret_is_stored_only_with_a_code_the_app_made_from_it(tmp_path: Path) -> None:
    staff = staffed_desk(tmp_path / "data")
    desk, clock = staff.desk, staff.clock
    factor = desk.people.new_second_factor(staff.officer)
    assert factor.uri.startswith("otpauth://totp/") and factor.secret in factor.uri
    assert len(factor.qr) >= 21 and all(len(row) == len(factor.qr) for row in factor.qr)  # a QR code's square
    assert factor.grouped.replace(" ", "") == factor.secret
    wrong = f"{(int(pyotp.TOTP(factor.secret).at(clock())) + 1) % 1_000_000:06d}"
    with pytest.raises(SignInError, match="not the one the authenticator app shows"):
        desk.people.enrol_second_factor(staff.officer, PASSWORDS["ofc.smith"], secret=factor.secret, code=wrong)
    with pytest.raises(SignInError, match="not one this desk made"):
        desk.people.enrol_second_factor(staff.officer, PASSWORDS["ofc.smith"], secret="not base32 !", code="123456")
    assert desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"]).username == "ofc.smith"  # still no code asked
    other = desk.people.new_second_factor(staff.officer)
    with pytest.raises(SignInError):  # a code made from another secret than the one given
        desk.people.enrol_second_factor(
            staff.officer, PASSWORDS["ofc.smith"], secret=factor.secret, code=pyotp.TOTP(other.secret).at(clock())
        )
    code = pyotp.TOTP(factor.secret).at(clock())
    desk.people.enrol_second_factor(staff.officer, PASSWORDS["ofc.smith"], secret=factor.secret, code=code)
    with pytest.raises(SignInError):
        desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"])  # now the code is asked for
    clock.advance(seconds=30)
    signed = desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"], code=pyotp.TOTP(factor.secret).at(clock()))
    assert signed.username == "ofc.smith"
    assert desk.log.verify(staff.admin).ok
    desk.close()


def test_the_command_line_enrols_with_the_code_the_app_shows(tmp_path: Path) -> None:
    staff = staffed_desk(tmp_path / "data", None)
    staff.desk.people.set_second_factor_scope(staff.admin, "everyone")
    staff.desk.close()
    env = {
        **os.environ,
        "SAFEDESK_DATA_DIR": str(tmp_path / "data"),
        "SAFEDESK_USER": "ofc.chen",
        "SAFEDESK_PASSWORD": PASSWORDS["ofc.chen"],
    }
    env.pop("SAFEDESK_CODE", None)
    refused = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "log"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "user second-factor" in refused.stderr, refused.stderr
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "user", "second-factor"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    key = None
    while key is None:
        line = proc.stdout.readline()
        assert line, proc.communicate()[1]
        if "with this key:" in line:
            key = line.rsplit(":", 1)[1].replace(" ", "").strip()
    proc.stdin.write(pyotp.TOTP(key).now() + "\n")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "second factor on for ofc.chen" in out
    again = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "log"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert again.returncode != 0 and "code" in again.stderr.lower(), again.stderr
    coded = {**env, "SAFEDESK_CODE": pyotp.TOTP(key).now()}
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "log"], cwd=ROOT, env=coded, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_a_wrong_code_at_the_command_line_stores_nothing(tmp_path: Path) -> None:
    staff = staffed_desk(tmp_path / "data", None)
    staff.desk.close()
    env = {
        **os.environ,
        "SAFEDESK_DATA_DIR": str(tmp_path / "data"),
        "SAFEDESK_USER": "ofc.chen",
        "SAFEDESK_PASSWORD": PASSWORDS["ofc.chen"],
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "user", "second-factor"],
        cwd=ROOT,
        env=env,
        input="000000\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "not the one the authenticator app shows" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    listed = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "log"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert listed.returncode == 0, listed.stderr  # no code asked: nothing was stored


def test_an_unenrolled_session_may_do_nothing_else_where_one_is_required(tmp_path: Path) -> None:
    staff = staffed_desk(tmp_path / "data")
    desk = staff.desk
    desk.people.set_second_factor_scope(staff.admin, "everyone")
    session = desk.people.sign_in("ofc.chen", PASSWORDS["ofc.chen"])
    with pytest.raises(SessionRefused, match="user second-factor"):
        desk.cases.count(session)
    factor = desk.people.new_second_factor(session)  # its own account: allowed
    desk.people.enrol_second_factor(
        session, PASSWORDS["ofc.chen"], secret=factor.secret, code=pyotp.TOTP(factor.secret).at(staff.clock())
    )
    assert desk.cases.count(session) == 0
    desk.close()
