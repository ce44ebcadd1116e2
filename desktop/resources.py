"""One way to find the app's bundled resources, from a source tree and from a frozen build alike."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resource_root() -> Path:
    """The folder holding `policies/` and the other resources.

    A PyInstaller bundle unpacks data next to the executable (`sys._MEIPASS`); from source the
    folder is `resources/` at the top of the project.
    """
    frozen_base = getattr(sys, "_MEIPASS", None)
    if frozen_base is not None:
        return Path(frozen_base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """A path inside the resource folder."""
    return resource_root().joinpath(*parts)


def policies_dir() -> Path:
    """The folder of shipped policy packs."""
    return resource_path("policies")


def icon_files() -> list[Path]:
    """The application icon's PNG files, one per drawn size, smallest first (packaging/make_icon.py makes them)."""
    folder = resource_path("icons")
    files = [p for p in folder.glob("desk-*.png") if p.stem.removeprefix("desk-").isdigit()]
    return sorted(files, key=lambda p: int(p.stem.removeprefix("desk-")))


def use_bundled_fonts_offscreen() -> None:
    """Give Qt's offscreen platform the bundled fonts on Windows (call before the QApplication is made).

    There Qt's offscreen platform reads fonts from <Qt>/lib/fonts, which the PySide6 wheels do not ship: it
    warns and draws text with no font at all (the self-test, the tests, any offscreen run). The real `windows`
    platform uses the system's fonts and ignores QT_QPA_FONTDIR; Linux's offscreen platform uses fontconfig.
    """
    if sys.platform == "win32":
        os.environ.setdefault("QT_QPA_FONTDIR", str(resource_path("fonts")))
