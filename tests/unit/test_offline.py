"""The app opens no network connection: the whole flow runs with every socket connection refused.

The commands run without Qt, so the suite's tier without the window checks them too; the self-test is a
window test.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import ROOT

GUARD = """
import socket, sys
attempts = []
def refuse(*args, **kwargs):
    attempts.append(args)
    raise OSError("network access attempted")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from desktop.cli import main
codes = [main(argv) for argv in ARGVS]
if attempts:
    sys.exit(f"network attempts: {attempts}")
sys.exit(max(codes))
"""


def offline(argvs: list[list[str]], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run commands in one fresh interpreter whose sockets refuse every connection from its first line.

    A fresh process, so that the guard is in place before any module of the program is imported.
    """
    return subprocess.run(
        [sys.executable, "-c", GUARD.replace("ARGVS", repr(argvs))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def test_record_memo_and_verify_open_no_connection(tmp_path: Path) -> None:
    intake = tmp_path / "intake.json"
    intake.write_text(
        json.dumps(
            {
                "received_at": "2026-01-13T22:18:00-05:00",
                "channel": "fax",
                "requester": "ice_ero",
                "documents": [{"kind": "I-247A", "signer": "dhs_officer"}],
                "actions": ["hold", "notify_release"],
                "subject": {"custody": "in_city_custody"},
            }
        ),
        encoding="utf-8",
    )
    data = str(tmp_path / "data")
    argvs = [
        ["--data-dir", data, "decide", str(intake)],
        ["--data-dir", data, "setup", "--admin", "admin", "--name", "A. ADMIN", "--badge", "900"],
        ["--data-dir", data, "--user", "admin", "user", "add", "ofc.smith", "--name", "J. SMITH", "--badge", "1234"],
        ["--data-dir", data, "--user", "ofc.smith", "record", str(intake), "--confirm", "blank"],
        [
            "--data-dir",
            data,
            "--user",
            "ofc.smith",
            "memo",
            f"{dt.datetime.now(ZoneInfo('America/New_York')).year}-000001",  # the pack's year, not this machine's
            "-o",
            str(tmp_path / "m.pdf"),
        ],
        ["--data-dir", data, "--user", "ofc.smith", "verify"],
    ]
    done = offline(
        argvs,
        # One password for both accounts: there is no terminal, so the commands read it from the environment.
        {
            "SAFEDESK_PASSWORD": "offline-pass-42",
            "SAFEDESK_NEW_PASSWORD": "offline-pass-42",
            "SAFEDESK_BACKUP_PASSPHRASE": "Offline-Copy-42!",  # the memo outside the data folder is sealed
        },
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "m.pdf.enc").is_file()


@pytest.mark.gui  # the self-test builds the window (offscreen)
def test_the_self_test_opens_no_connection() -> None:
    done = offline([["--self-test"]], {"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test passed" in done.stdout
