"""The second factor at the window (issue 20): where the desk requires one, a sign-in without it opens the
enrolment (a QR code for the authenticator app, then the code it shows) before anything else; a wrong code
stores nothing, and cancelling signs the new session out again. Also at the lock screen."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pyotp
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import desktop.signing
from desktop.ui.enrol import EnrolDialog
from desktop.ui.signin import SignInDialog
from tests.conftest import Clock
from tests.unit.desk.people import PASSWORDS, staffed_desk


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch):
    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)


@pytest.fixture
def staff(tmp_path: Path):
    people = staffed_desk(tmp_path / "data", Clock(dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)))
    people.desk.people.set_second_factor_scope(people.admin, "everyone")
    yield people
    people.desk.close()


def _when_enrolment_opens(qtbot, act) -> list[EnrolDialog]:
    """Run `act(dialog)` on the enrolment dialog once it is open (it is modal: the sign-in waits on it)."""
    seen: list[EnrolDialog] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, EnrolDialog):
            seen.append(dialog)
            act(dialog)
        else:
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)
    return seen


def _sign_in(qtbot, desk, username: str) -> SignInDialog:
    dialog = SignInDialog(desk=desk)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, username)
    qtbot.keyClicks(dialog.password, PASSWORDS[username])
    return dialog


def test_a_required_second_factor_is_enrolled_at_sign_in_before_anything_else(qtbot, staff) -> None:
    dialog = _sign_in(qtbot, staff.desk, "ofc.chen")

    def enrol(enrolment: EnrolDialog) -> None:
        assert enrolment.factor is not None
        pixmap = enrolment.qr.pixmap()
        assert not pixmap.isNull() and pixmap.width() >= 100
        shots = os.environ.get("ENROL_SHOTS")
        if shots:
            enrolment.grab().save(str(Path(shots) / "enrol.png"))
        qtbot.keyClicks(enrolment.password, PASSWORDS["ofc.chen"])
        qtbot.keyClicks(enrolment.code, "000000" if pyotp.TOTP(enrolment.factor.secret).now() != "000000" else "1")
        enrolment.accept()  # a wrong code: refused in one line, nothing stored
        assert not enrolment.enrolled and "not the one the authenticator app shows" in enrolment.error.text.text()
        code = pyotp.TOTP(enrolment.factor.secret).at(staff.clock())
        qtbot.keyClicks(enrolment.code, code)
        enrolment.accept()

    seen = _when_enrolment_opens(qtbot, enrol)
    dialog.accept()
    assert seen and seen[0].enrolled
    assert dialog.actor is not None and not staff.desk.people.must_enrol(dialog.actor)
    assert staff.desk.cases.count(dialog.actor) == 0  # the desk now lets the session in


def test_cancelling_the_enrolment_signs_the_new_session_out_and_keeps_the_sign_in(qtbot, staff) -> None:
    dialog = _sign_in(qtbot, staff.desk, "ofc.chen")
    seen = _when_enrolment_opens(qtbot, lambda enrolment: enrolment.reject())
    dialog.accept()
    assert seen and not seen[0].enrolled
    assert dialog.actor is None and dialog.result() == 0
    assert "requires a second factor" in dialog.error.text.text()
    assert staff.desk.people.sign_in("ofc.chen", PASSWORDS["ofc.chen"])  # still nothing stored: no code asked


def test_the_qr_code_on_screen_is_the_desks_module_for_module(qtbot, staff) -> None:
    from desktop.ui.enrol import MODULE_PX, QUIET, qr_pixmap

    factor = staff.desk.people.new_second_factor(staff.officer)
    image = qr_pixmap(factor.qr).toImage()
    assert image.width() == (len(factor.qr) + 2 * QUIET) * MODULE_PX
    for y, row in enumerate(factor.qr):
        for x, dark in enumerate(row):
            pixel = image.pixelColor((x + QUIET) * MODULE_PX + MODULE_PX // 2, (y + QUIET) * MODULE_PX + MODULE_PX // 2)
            assert (pixel.lightness() < 128) == dark, (x, y)
    assert image.pixelColor(1, 1).lightness() > 128  # the quiet zone is light
