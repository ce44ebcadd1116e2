"""The memo's fonts: DejaVu Sans, shipped in resources/fonts and embedded, so any name prints intact.

DejaVu Sans draws Latin, Greek, Cyrillic, Arabic and Hebrew letters and many symbols, but no Chinese,
Japanese or Korean characters and no emoji. Those are never printed blank: `visible` writes each one as
its code point, [U+674E], and the memo says so in its warnings (the case log keeps the text as entered).
A TrueType font covering CJK would add about 4 MB to the bundle per face (Droid Sans Fallback; Noto Sans
CJK is CFF-based, which reportlab cannot embed, and 16 MB per weight), and would still not cover emoji.
"""

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
_covered: frozenset[int] = frozenset()
_covered_chars: frozenset[str] = frozenset()
_ALWAYS = frozenset(map(ord, "\n\r\t "))


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
        faces = [set(pdfmetrics.getFont(name).face.charToGlyph) for name in _FILES]  # type: ignore[attr-defined]
        global _covered, _covered_chars
        _covered = frozenset(set.intersection(*faces)) | _ALWAYS
        _covered_chars = frozenset(map(chr, _covered))
        _registered = True


def drawable(char: str) -> bool:
    """Whether every face of the memo's font draws `char` (True for anything before the fonts are registered)."""
    return not _covered or ord(char) in _covered


def code_point(char: str) -> str:
    return f"[U+{ord(char):04X}]"


def visible(text: str) -> str:
    """`text` with each character the memo's fonts cannot draw written as its code point, [U+674E]."""
    if not _covered or _covered_chars.issuperset(text):
        return text
    return "".join(c if ord(c) in _covered else code_point(c) for c in text)


def undrawable(text: str) -> list[str]:
    """The characters of `text` the memo's fonts cannot draw, each once, in order."""
    register_fonts()
    missing = {c for c in set(text) if ord(c) not in _covered and ord(c) >= 0x20}
    return [c for c in dict.fromkeys(text) if c in missing] if missing else []
