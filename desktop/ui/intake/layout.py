"""What every page of the intake shares: a body that scrolls, wrapped help lines that keep their room,
and the one way a typed line is read (spaces collapsed, empty as None)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget, QWizardPage


def text_of(widget: QLineEdit) -> str | None:
    """A typed line with its spaces collapsed; None when nothing was typed."""
    value = " ".join(widget.text().split())
    return value or None


class _Body(QWidget):
    """A page body that never lets the scroll area size it below its minimum.

    With wrapped labels in it, the layout reports a height-for-width that QScrollArea uses as the
    body's height, and that can be lower than the body's own minimum: at 150% the help lines under
    the paper fields then ran into the next field. Never less than the minimum: the page scrolls.
    """

    def heightForWidth(self, width: int) -> int:
        return max(super().heightForWidth(width), self.minimumSizeHint().height())


def scrolling(page: QWizardPage) -> QWidget:
    """The page's body inside a scroll area: on a small screen the page scrolls; the window never grows."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    # The page's first field takes the keyboard, never the scroll area around it (typing after Next would go
    # nowhere, and the next Tab would put a name into the field after it).
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    body = _Body()
    scroll.setWidget(body)
    outer.addWidget(scroll)
    return body


class HelpLabel(QLabel):
    """A wrapped line of help that keeps room for its lines (a form in a scroll area would squash it).

    Its minimum height is what Qt computes for the wrapped text at its width; when that changes, the
    scroll area around the page is told to size the page again (it does not notice by itself).
    """

    def _keep_room(self, width: int) -> None:
        wanted = self.heightForWidth(max(width, 1)) if self.text() else 0
        if wanted > 0 and wanted != self.minimumHeight():
            self.setMinimumHeight(wanted)
            scroll = self.parentWidget()
            while scroll is not None and not isinstance(scroll, QScrollArea):
                scroll = scroll.parentWidget()
            if scroll is not None:
                QTimer.singleShot(0, lambda s=scroll: s.setWidgetResizable(True))
        elif wanted == 0:
            self.setMinimumHeight(0)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._keep_room(max(self.width(), 360))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._keep_room(self.width())


def help_label(name: str) -> QLabel:
    """A line of help under a field, in the placeholder's colour, read out by its accessible name."""
    label = HelpLabel()
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label
