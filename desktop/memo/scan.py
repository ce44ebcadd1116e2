"""Reading the QR code off a scanned memo (an image PDF with no text): the QR is found where the footer puts it
and sampled module by module, then compared with the QR codes of records the log holds.

Comparing with known codes, rather than decoding, needs no QR library: a page names a record when its
sampled modules agree with that record's QR code almost everywhere (a scan may lose a few modules).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.memo.kit import MARGIN_X, PAGE_HEIGHT, PAGE_WIDTH
from desktop.memo.page import FOOTER_TOP, QR_SIZE, qr_modules

if TYPE_CHECKING:
    from PIL.Image import Image

SCAN_DPI = 150
AGREEMENT = 0.95  # the share of modules that must agree for a page to name a record
_DARK = 128


@dataclass(frozen=True)
class QrPicture:
    """The QR area of one scanned page, in black and white."""

    image: Image

    def agreement(self, modules: list[list[bool]]) -> float:
        """The share of `modules` (dark True) that the picture shows the same way."""
        size = len(modules)
        width, height = self.image.size
        if size == 0 or width < size or height < size:
            return 0.0
        pixels = self.image.load()
        assert pixels is not None
        same = 0
        for row in range(size):
            y = int((row + 0.5) * height / size)
            for column in range(size):
                x = int((column + 0.5) * width / size)
                dark = pixels[x, y] < _DARK  # type: ignore[operator]
                same += dark == modules[row][column]
        return same / (size * size)


def qr_picture(page: Image) -> QrPicture | None:
    """The QR code's square on a page picture (found by its dark pixels near where the footer draws it)."""
    scale_x, scale_y = page.width / PAGE_WIDTH, page.height / PAGE_HEIGHT
    right = PAGE_WIDTH - MARGIN_X
    top = PAGE_HEIGHT - (FOOTER_TOP - 12)  # from the top of the page, in points
    box = (
        int((right - QR_SIZE - 8) * scale_x),
        int((top - 3.5) * scale_y),
        int(min(PAGE_WIDTH, right + 24) * scale_x),
        int(min(PAGE_HEIGHT, top + QR_SIZE + 24) * scale_y),
    )
    window = page.convert("L").crop(box).point(lambda v: 0 if v < _DARK else 255)
    pixels = window.load()
    assert pixels is not None
    width, height = window.size
    rows = [y for y in range(height) if 0 < sum(pixels[x, y] == 0 for x in range(width)) < 0.9 * width]
    columns = [x for x in range(width) if any(pixels[x, y] == 0 for y in rows)] if rows else []
    if not rows or not columns:
        return None
    found = window.crop((min(columns), min(rows), max(columns) + 1, max(rows) + 1))
    if found.width < 21 or found.height < 21 or not 0.8 < found.width / found.height < 1.25:
        return None
    return QrPicture(found)


def qr_pictures(pdf: bytes, *, dpi: float = SCAN_DPI) -> list[QrPicture | None]:
    """The QR area of every page of a scan, None where a page shows no QR code."""
    from desktop.memo.pages import page_images

    return [qr_picture(image) for image in page_images(pdf, dpi=dpi)]


def best_match(picture: QrPicture, texts: list[str]) -> tuple[str, float] | None:
    """The QR text among `texts` the picture agrees with best, and how well; None when none reaches AGREEMENT."""
    best: tuple[str, float] | None = None
    for text in texts:
        score = picture.agreement(qr_modules(text))
        if score >= AGREEMENT and (best is None or score > best[1]):
            best = (text, score)
    return best
