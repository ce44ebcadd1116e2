"""The memo's fonts: DejaVu Sans, shipped in resources/fonts and embedded, so any name prints intact."""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop.memo.stamp import MemoError
from desktop.resources import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf"}
# A source checkout on Linux without resources/fonts still works from the system copy.
_SYSTEM_DIR = Path("/usr/share/fonts/truetype/dejavu")

_lock = threading.Lock()
_registered = False


def _font_file(filename: str) -> Path:
    for candidate in (resource_path("fonts", filename), _SYSTEM_DIR / filename):
        if candidate.is_file():
            return candidate
    raise MemoError(f"the memo font {filename} is missing from {resource_path('fonts')}; reinstall the application")


def register_fonts() -> None:
    """Register the three DejaVu Sans faces with reportlab, once per process.

    Raises:
        MemoError: a font file is missing or cannot be read.
    """
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            path = _font_file(filename)
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except Exception as exc:  # reportlab raises its own TTFError, or OSError, for a bad file
                raise MemoError(f"the memo font {path} cannot be used ({exc})") from None
        # <b> and <i> in paragraph markup pick the faces through this mapping; bold italic falls back to bold.
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, ITALIC)
        addMapping(REGULAR, 1, 1, BOLD)
        _registered = True
