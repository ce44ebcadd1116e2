"""A scan attached to a case, shown inside the app rather than handed to the system's viewer.

Nothing is written to disk and no other program opens the file: a PDF's pages are drawn by the desk (pdfium,
through `desktop.desk.paper.page_pngs`, the helper the memo preview uses; it draws any PDF, in gray), and a picture is
decoded from its bytes (Pillow, page by page for a multi-page TIFF; the bundle carries Qt's PNG reader only).
The scan was checked when it was attached; it is read through the desk like every attachment.

Keyboard: Page Down and Page Up turn the pages, Ctrl+= (or Ctrl++) and Ctrl+- zoom, Ctrl+0 fits the page
to the width, the arrow keys scroll, Esc closes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QImage, QKeyEvent, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.records import printable
from desktop.ui.ops import DeskOp
from desktop.ui.screen import fit_to_screen

if TYPE_CHECKING:
    from desktop.desk import Desk, Session

PDF_DPI = 120  # PDF pages are drawn at this resolution: sharp at the width of a laptop screen
SCREEN_DPI = 96  # 100% shows a PDF page at its size on paper on a standard screen
LONGEST_SIDE = 3000  # pictures larger than this are shown scaled down (a 600 dpi scan needs no more to read)
ZOOMS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)


def picture_pngs(content: bytes) -> list[bytes]:
    """Each page of a picture (PNG, JPEG, TIFF) as PNG bytes, turned upright as its camera said."""
    from PIL import Image, ImageOps

    pages = []
    with Image.open(io.BytesIO(content), formats=["PNG", "JPEG", "TIFF"]) as image:
        for index in range(int(getattr(image, "n_frames", 1))):
            image.seek(index)
            page = ImageOps.exif_transpose(image)
            if page.mode not in ("1", "L", "RGB", "RGBA"):
                page = page.convert("RGBA" if "A" in page.mode or "transparency" in page.info else "RGB")
            page.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
            buffer = io.BytesIO()
            page.save(buffer, format="PNG", compress_level=1)
            pages.append(buffer.getvalue())
    return pages


def scan_pngs(content: bytes, content_type: str) -> list[bytes]:
    """The pages of a scan as PNG pictures."""
    if content_type == "application/pdf":
        from desktop.desk.paper import page_pngs

        return page_pngs(content, dpi=PDF_DPI)
    return picture_pngs(content)


class ScanView(QDialog):
    """The pages of one scan, one at a time, zoomed to fit the width or by steps."""

    def __init__(
        self,
        *,
        pages: list[bytes],
        name: str,
        case_number: str,
        pdf: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if not pages:
            raise ValueError("the scan has no pages")
        self._pages = pages
        self._base = SCREEN_DPI / PDF_DPI if pdf else 1.0  # screen pixels per picture pixel at 100%
        self._image = QImage()
        self.name = printable(name)
        self.index = 0
        self.fit_width = True
        self.zoom = 1.0
        self.setWindowTitle(f"{self.name}: scan attached to case {case_number}")
        fit_to_screen(self, 1000, 1100)
        layout = QVBoxLayout(self)
        self.page_label = QLabel()
        self.page_label.setAccessibleName("Page and zoom shown")
        layout.addWidget(self.page_label)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setStyleSheet("background: white;")
        self.page_area = QScrollArea()
        self.page_area.setWidget(self.picture)
        self.page_area.setWidgetResizable(True)
        self.page_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_area.setAccessibleName("The scan's page")
        self.page_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Always there, so fitting the width never makes it come and go (and the page with it).
        self.page_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        layout.addWidget(self.page_area, 1)
        buttons = QHBoxLayout()
        self.previous_button = self._button(buttons, "&Previous page", "Show the previous page (Page Up)")
        self.next_button = self._button(buttons, "&Next page", "Show the next page (Page Down)")
        self.zoom_out_button = self._button(buttons, "Zoom &out", "Make the page smaller (Ctrl+minus)")
        self.zoom_in_button = self._button(buttons, "Zoom &in", "Make the page larger (Ctrl+equals)")
        self.fit_button = self._button(buttons, "&Fit width", "Fit the page to the window's width (Ctrl+0)")
        buttons.addStretch()
        self.close_button = self._button(buttons, "&Close", "Close the scan (Esc)")
        layout.addLayout(buttons)
        self.previous_button.clicked.connect(lambda: self.show_page(self.index - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.index + 1))
        self.zoom_in_button.clicked.connect(lambda: self.step_zoom(+1))
        self.zoom_out_button.clicked.connect(lambda: self.step_zoom(-1))
        self.fit_button.clicked.connect(self.fit)
        self.close_button.clicked.connect(self.reject)
        keys = (
            (QKeySequence.StandardKey.MoveToPreviousPage, lambda: self.show_page(self.index - 1)),
            (QKeySequence.StandardKey.MoveToNextPage, lambda: self.show_page(self.index + 1)),
            (QKeySequence.StandardKey.ZoomIn, lambda: self.step_zoom(+1)),
            ("Ctrl+=", lambda: self.step_zoom(+1)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self.step_zoom(-1)),
            ("Ctrl+0", self.fit),
        )
        self._keys: list[tuple[QKeySequence, Callable[[], None]]] = [(QKeySequence(key), a) for key, a in keys]
        for sequence, action in self._keys:
            QShortcut(sequence, self, action, context=Qt.ShortcutContext.WindowShortcut)
        # The scroll area takes Page Up and Page Down to scroll with, before a shortcut sees them: here they
        # turn the page (the arrow keys and the scroll bar still scroll).
        self.page_area.installEventFilter(self)
        self.page_area.viewport().installEventFilter(self)
        self.show_page(0)
        self.page_area.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.page_area.viewport() and event.type() == QEvent.Type.Resize:
            if self.fit_width and not self._image.isNull():
                self._draw()  # the page follows the window's width
        elif watched is self.page_area and event.type() == QEvent.Type.KeyPress:
            pressed = QKeySequence(cast(QKeyEvent, event).keyCombination())
            for sequence, action in self._keys:
                if pressed.matches(sequence) == QKeySequence.SequenceMatch.ExactMatch:
                    action()
                    return True
        return super().eventFilter(watched, event)

    def _button(self, row: QHBoxLayout, text: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setAutoDefault(False)  # Enter does nothing by surprise; Esc closes (the dialog's own key)
        row.addWidget(button)
        return button

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def show_page(self, index: int) -> None:
        """Show page `index` (from 0); outside the scan's pages, nothing changes."""
        if not 0 <= index < len(self._pages):
            return
        image = QImage()
        if not image.loadFromData(self._pages[index], "PNG"):
            raise ValueError(f"page {index + 1} of {self.name} cannot be drawn")
        self.index, self._image = index, image
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self._pages) - 1)
        self.page_area.verticalScrollBar().setValue(0)
        self._draw()

    def step_zoom(self, direction: int) -> None:
        """One step larger (+1) or smaller (-1) than the page is shown now."""
        now = self.zoom
        if direction > 0:
            self.zoom = next((z for z in ZOOMS if z > now + 0.005), ZOOMS[-1])
        else:
            self.zoom = next((z for z in reversed(ZOOMS) if z < now - 0.005), ZOOMS[0])
        self.fit_width = False
        self._draw()

    def fit(self) -> None:
        self.fit_width = True
        self._draw()

    def _draw(self) -> None:
        if self.fit_width:
            room = self.page_area.viewport().width() - 24
            self.zoom = max(ZOOMS[0], min(ZOOMS[-1], room / max(1.0, self._image.width() * self._base)))
        scale = self.zoom * self._base
        width = max(1, round(self._image.width() * scale))
        shown = self._image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        self.picture.setPixmap(QPixmap.fromImage(shown))
        where = f"Page {self.index + 1} of {len(self._pages)}"
        zoom = f"{self.zoom:.0%}" + (", fitted to the width" if self.fit_width else "")
        self.page_label.setText(f"{self.name}: {where}, {zoom}")
        self.picture.setAccessibleName(f"{where} of {self.name}")
        self.zoom_in_button.setEnabled(self.zoom < ZOOMS[-1] - 0.005)
        self.zoom_out_button.setEnabled(self.zoom > ZOOMS[0] + 0.005)


def open_scan(
    parent: QWidget,
    desk: Desk,
    session: Session,
    *,
    attachment_id: int,
    name: str,
    content_type: str,
    case_number: str,
) -> ScanView | None:
    """The viewer for one attachment, its bytes read through the desk; None once a problem was shown."""

    def read() -> ScanView:
        content = desk.cases.attachment_content(session, attachment_id)
        pages = scan_pngs(content, content_type)
        pdf = content_type == "application/pdf"
        return ScanView(pages=pages, name=name, case_number=case_number, pdf=pdf, parent=parent)

    return DeskOp(parent, "showing a scan", read, title="Show attachment").run()
