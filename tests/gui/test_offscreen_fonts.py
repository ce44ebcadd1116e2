"""Offscreen windows draw real text: on Windows, Qt's offscreen platform has no fonts of its own (it looks in
<Qt>/lib/fonts, which the wheels do not ship, and draws every glyph as a box), so the app points it at the
bundled DejaVu fonts (desktop.resources.use_bundled_fonts_offscreen); on Linux fontconfig supplies them."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics


def test_offscreen_text_is_drawn_with_a_real_font(qapp) -> None:
    assert "DejaVu Sans" in QFontDatabase.families()
    metrics = QFontMetrics(QFont())
    assert metrics.inFontUcs4(ord("A")) and metrics.horizontalAdvance("Case 2026-000001") > 0
