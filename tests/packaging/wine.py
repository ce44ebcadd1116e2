"""A throwaway 64-bit Wine prefix, headless, for the installer tests (setup.exe in test_bundle.py, the MSI in
test_msi.py): silent installers need no display."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


def wine_tools() -> tuple[str, str] | None:
    """wine and wineserver, or None where Wine is not installed (or on Windows itself)."""
    wine = shutil.which("wine") or shutil.which("wine64") or "/usr/lib/wine/wine64"
    server = shutil.which("wineserver") or "/usr/lib/wine/wineserver64"
    if sys.platform == "win32" or not (os.access(wine, os.X_OK) and os.access(server, os.X_OK)):
        return None
    return wine, server


class Wine:
    """A throwaway 64-bit Wine prefix, run headless."""

    def __init__(self, prefix: Path, wine: str, server: str) -> None:
        self.prefix, self.wine, self.server = prefix, wine, server
        self.env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        # No Mono or Gecko download prompts; no debug chatter.
        self.env.update(WINEPREFIX=str(prefix), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=")
        self.drive_c = prefix / "drive_c"

    def run(self, *args: str) -> int:
        """Run a Windows command and wait until every process it started in the prefix has ended."""
        done = subprocess.run([self.wine, *args], env=self.env, capture_output=True, timeout=300)
        subprocess.run([self.server, "-w"], env=self.env, timeout=300)
        return done.returncode

    def msiexec(self, *args: str, log: str = "msi.log") -> int:
        """msiexec with a verbose log (kept in the prefix for a failing test to show)."""
        return self.run("msiexec", *args, "/qn", "/l*v", rf"C:\{log}")

    def log(self, name: str = "msi.log") -> str:
        path = self.drive_c / name
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""

    def reg_values(self, key: str) -> dict[str, str]:
        done = subprocess.run(
            [self.wine, "reg", "query", key], env=self.env, capture_output=True, text=True, errors="replace"
        )
        values = {}
        for line in done.stdout.splitlines():
            parts = line.strip().split(None, 2)
            if len(parts) == 3 and parts[1].startswith("REG_"):
                values[parts[0]] = parts[2]
        return values

    def set_windows(self, version: str) -> None:
        """The Windows version the prefix reports, as winecfg names it: "win10" (build 18362), "win81", "win7"."""
        self.run("winecfg", "-v", version)

    def set_registry_build(self, build: str) -> None:
        """The build number the registry reports (CurrentBuildNumber), which the MSI's launch condition reads."""
        key = r"HKLM\Software\Microsoft\Windows NT\CurrentVersion"
        for name in ("CurrentBuildNumber", "CurrentBuild"):
            self.run("reg", "add", key, "/v", name, "/d", build, "/f")

    def close(self) -> None:
        subprocess.run([self.server, "-k"], env=self.env, timeout=60)


def wine_prefix(folder: Path) -> Iterator[Wine]:
    """A prefix in `folder` that reports Windows 10, for a fixture to yield (skips where there is no Wine)."""
    tools = wine_tools()
    if tools is None:
        pytest.skip("Wine is not installed (apt-get install wine64)")
    box = Wine(folder, *tools)
    # Wine 8 reports Windows 7 by default, which the installers refuse (as on a real Windows 7 PC). winecfg sets
    # what Windows 10 1903 (build 18362) reports, the API and the registry's CurrentBuildNumber alike, which is
    # what setup.exe and the MSI check.
    box.set_windows("win10")
    try:
        yield box
    finally:
        box.close()
