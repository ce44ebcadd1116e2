"""Draw the application icon: resources/icons/desk-<size>.png, desk.png (256 px) and desk.ico (every size).

Usage: python packaging/make_icon.py [--out FOLDER]

The icon is a navy shield with a gold rim holding a white case sheet with a check mark. Each size is drawn
on its own canvas, four times larger, and scaled down, so the small sizes stay sharp; at 16, 20 and 24 px
the sheet's text lines are left out and only the check remains, which is what still reads at that size.
The output is deterministic: running the script again with the same Pillow gives the same files, and
tests/packaging/test_icon.py checks that the committed files match what this script draws.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
# 16-48 for Explorer, the taskbar and the Start menu at 100-200 % scaling; 256 for large icon views.
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
NAVY = (28, 55, 96, 255)
NAVY_DARK = (18, 36, 66, 255)
GOLD = (222, 170, 52, 255)
PAPER = (250, 250, 247, 255)
INK = (120, 134, 156, 255)
GREEN = (32, 140, 84, 255)
SCALE = 4  # drawn at four times the size, then scaled down


def _shield(w: float) -> list[tuple[float, float]]:
    """The shield's outline on a w-by-w canvas: flat top with bevelled corners, curved sides to a point."""
    top, left, right = 0.06 * w, 0.12 * w, 0.88 * w
    shoulder = 0.14 * w
    points = [(left + shoulder * 0.5, top), (right - shoulder * 0.5, top), (right, top + shoulder * 0.5)]
    # Right side: straight down to 55 %, then a quadratic curve to the point at the bottom centre.
    steps = 24
    side_end = 0.55 * w
    points.append((right, side_end))
    tip = (0.5 * w, 0.96 * w)
    control = (right, 0.82 * w)
    for i in range(1, steps + 1):
        t = i / steps
        x = (1 - t) ** 2 * right + 2 * (1 - t) * t * control[0] + t**2 * tip[0]
        y = (1 - t) ** 2 * side_end + 2 * (1 - t) * t * control[1] + t**2 * tip[1]
        points.append((x, y))
    # Mirror for the left side, back up to the top.
    for x, y in reversed(points[3:-1]):
        points.append((w - x, y))
    points.append((left, top + shoulder * 0.5))
    return points


def draw(size: int) -> Image.Image:
    """The icon at `size` pixels (RGBA)."""
    w = size * SCALE
    image = Image.new("RGBA", (w, w), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    outline = _shield(w)
    pen.polygon(outline, fill=GOLD)
    # The navy body: the same outline pulled in towards the centre, leaving a gold rim.
    rim = 0.055 if size >= 32 else 0.075
    cx, cy = 0.5 * w, 0.5 * w
    inner = [(cx + (x - cx) * (1 - 2 * rim), cy + (y - cy) * (1 - 2 * rim) - rim * 0.2 * w) for x, y in outline]
    pen.polygon(inner, fill=NAVY)
    # A darker right half gives the shield some depth without a gradient (it stays legible in high contrast).
    right_half = [(x, y) for x, y in inner if x >= cx - 0.5]
    pen.polygon([(cx, inner[0][1]), *right_half, (cx, max(y for _, y in inner))], fill=NAVY_DARK)

    # The case sheet: a white page with a folded corner.
    small = size <= 24
    sx0, sy0 = 0.31 * w, (0.22 if not small else 0.20) * w
    sx1, sy1 = 0.69 * w, (0.70 if not small else 0.72) * w
    fold = 0.10 * w
    pen.polygon([(sx0, sy0), (sx1 - fold, sy0), (sx1, sy0 + fold), (sx1, sy1), (sx0, sy1)], fill=PAPER)
    pen.polygon([(sx1 - fold, sy0), (sx1 - fold, sy0 + fold), (sx1, sy0 + fold)], fill=INK)
    if not small:
        # Three text lines at the top of the sheet.
        line_h = 0.035 * w
        for i, length in enumerate((0.22, 0.28, 0.18)):
            y = sy0 + 0.09 * w + i * 0.075 * w
            pen.rounded_rectangle(
                (sx0 + 0.05 * w, y, sx0 + 0.05 * w + length * w, y + line_h), radius=line_h / 2, fill=INK
            )
    # The check mark: thick enough to survive scaling down to 16 px.
    width = round((0.075 if not small else 0.11) * w)
    if small:
        check = [(0.38 * w, 0.47 * w), (0.47 * w, 0.58 * w), (0.63 * w, 0.34 * w)]
    else:
        check = [(0.40 * w, 0.57 * w), (0.48 * w, 0.645 * w), (0.62 * w, 0.48 * w)]
    pen.line(check, fill=GREEN, width=width, joint="curve")
    for x, y in (check[0], check[-1]):
        pen.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=GREEN)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def ico_bytes(images: dict[int, Image.Image]) -> bytes:
    """One .ico holding every size, each drawn for its size (not scaled from the largest)."""
    buffer = io.BytesIO()
    largest = images[max(images)]
    others = [images[s] for s in sorted(images) if s != max(images)]
    largest.save(buffer, format="ICO", sizes=[(s, s) for s in sorted(images)], append_images=others)
    return buffer.getvalue()


def render_all() -> dict[str, bytes]:
    """File name -> contents, for every file this script writes."""
    images = {size: draw(size) for size in SIZES}
    files = {f"desk-{size}.png": png_bytes(image) for size, image in images.items()}
    files["desk.png"] = files["desk-256.png"]
    files["desk.ico"] = ico_bytes(images)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"output folder (default: {OUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, data in render_all().items():
            (args.out / name).write_bytes(data)
            print(f"{args.out / name}  {len(data):,} bytes")
    except OSError as exc:
        print(f"error: cannot write the icon files: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
