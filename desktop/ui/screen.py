"""Where a window goes on the screen: its size, never larger than the screen it opens on.

Kept apart from widgets.py so the main window, which needs only this at start, loads no form widgets
(and no Qt namespace: PySide6 builds it on first use, some 20 to 40 ms, after the window shows).
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Size a top-level window to (width, height), or to the available screen when that is smaller.

    The frame (title bar, borders) is allowed for, so the status bar and the buttons stay on screen;
    content that does not fit scrolls inside (the pages are in scroll areas), never off the screen.
    """
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    available = screen.availableGeometry()
    frame_w, frame_h = 16, 40  # a title bar and borders, before the window manager says
    w = min(width, available.width() - frame_w)
    h = min(height, available.height() - frame_h)
    window.setMinimumSize(min(window.minimumWidth(), w), min(window.minimumHeight(), h))
    window.resize(max(w, 320), max(h, 240))
    x = available.x() + max(0, (available.width() - w - frame_w) // 2)
    y = available.y() + max(0, (available.height() - h - frame_h) // 2)
    window.move(x, y)
