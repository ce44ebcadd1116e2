"""Major 2 of issue 13, and issue 23: at 1366×768 with QT_SCALE_FACTOR 1, 1.25 and 1.5, every window and dialog
the desk opens, and every button in it, is on screen (reports, the memo preview and the audit log included).

Each scale runs in its own process (Qt reads the factor once, when the application starts), on the
offscreen platform given a 1366×768 screen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = Path(__file__).with_name("fit_probe.py")


@pytest.mark.parametrize("scale", ["1", "1.25", "1.5"])
def test_every_window_fits_a_1366x768_screen(tmp_path: Path, scale: str) -> None:
    config = tmp_path / "screen.json"
    config.write_text(
        json.dumps(
            {"screens": [{"name": "desk", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96, "dpr": 1}]}
        )
    )
    env = {
        **os.environ,
        # Named relative to the probe's folder: Qt splits the platform's arguments at every ':', a drive
        # letter's too (an absolute C:\... path made the probe abort on Windows).
        "QT_QPA_PLATFORM": f"offscreen:configfile={config.name}",
        "QT_SCALE_FACTOR": scale,
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, str(PROBE)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    expected = [round(1366 / float(scale)), round(768 / float(scale))]
    assert all(abs(a - b) <= 1 for a, b in zip(result["screen"], expected, strict=True)), result["screen"]
    assert result["problems"] == []
    looked_at = set(result["looked_at"])
    for window in (
        "review queue",
        "resolved case decision tab",
        "reports with a report shown",
        "memo preview",
        "draft memo preview",
    ):
        assert window in looked_at
    for dialog in ("audit log", "accounts", "passphrase", "outcome", "sign in", "set up", "lock screen", "scan"):
        assert dialog in looked_at
