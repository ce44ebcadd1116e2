"""A memo's pages as pictures (pypdfium2): for the print preview, for printing, and for checking a scan.

The pictures are drawn from the PDF bytes themselves, so what is previewed and printed is the very file
the log can reproduce.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from desktop.memo.stamp import MemoError

if TYPE_CHECKING:
    from PIL.Image import Image

PREVIEW_DPI = 96
PRINT_DPI = 300


@contextmanager
def _document(pdf: bytes) -> Iterator[Any]:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise MemoError(f"the memo cannot be drawn: {exc}") from None
    try:
        yield document
    finally:
        document.close()


def page_count(pdf: bytes) -> int:
    with _document(pdf) as document:
        return len(document)


def page_images(pdf: bytes, *, dpi: float = PREVIEW_DPI, pages: range | None = None) -> list[Image]:
    """Each page (or those in `pages`, numbered from 0) as a grayscale picture at `dpi`."""
    with _document(pdf) as document:
        wanted = pages if pages is not None else range(len(document))
        images = []
        for index in wanted:
            page = document[index]
            try:
                images.append(page.render(scale=dpi / 72, grayscale=True).to_pil())
            finally:
                page.close()
        return images


def page_pngs(pdf: bytes, *, dpi: float = PREVIEW_DPI) -> list[bytes]:
    """Each page as PNG bytes (what the window turns into pictures to preview and print)."""
    out = []
    for image in page_images(pdf, dpi=dpi):
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=False)
        out.append(buffer.getvalue())
    return out


def first_difference(a: bytes, b: bytes, *, dpi: float = 50, tolerance: int = 48) -> int | None:
    """The first page (from 1) whose picture differs between two PDFs of the same page count, else None.

    Pages are compared in gray at `dpi`; a pixel differs when its gray differs by more than `tolerance`.
    """
    from PIL import ImageChops

    first, second = page_images(a, dpi=dpi), page_images(b, dpi=dpi)
    for number, (x, y) in enumerate(zip(first, second, strict=False), start=1):
        if x.size != y.size:
            return number
        diff = ImageChops.difference(x, y).point(lambda v: 255 if v > tolerance else 0)
        if diff.getbbox() is not None:
            return number
    return None if len(first) == len(second) else min(len(first), len(second)) + 1
