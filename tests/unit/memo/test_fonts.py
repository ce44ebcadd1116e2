"""Tests for desktop.memo.fonts: the memo's fonts ship with the app, with their licence, and load from there."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from desktop.memo import MemoError, fonts
from desktop.resources import resource_path


def test_fonts_and_their_licence_ship_in_resources() -> None:
    for filename in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"):
        path = resource_path("fonts", filename)
        assert path.is_file() and path.read_bytes()[:4] == b"\x00\x01\x00\x00", filename  # a TrueType file
        assert fonts._font_file(filename) == path  # the shipped copy comes first, not the system's
    licence = resource_path("fonts", "LICENSE.txt").read_text(encoding="utf-8")
    assert "Bitstream" in licence and "Permission is hereby granted" in licence


def test_registering_twice_is_harmless() -> None:
    fonts.register_fonts()
    fonts.register_fonts()
    for name in (fonts.REGULAR, fonts.BOLD, fonts.ITALIC):
        assert pdfmetrics.getFont(name).fontName == name


def test_a_missing_font_is_a_clear_memo_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    monkeypatch.setattr(fonts, "_SYSTEM_DIR", tmp_path)
    with pytest.raises(MemoError, match="DejaVuSans.ttf is missing"):
        fonts._font_file("DejaVuSans.ttf")
