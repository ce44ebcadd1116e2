"""One way to find the app's bundled resources, from a source tree and from a frozen build alike."""

from __future__ import annotations

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
