"""The application icon: the committed files are what packaging/make_icon.py draws, and the window uses them."""

from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys
from types import ModuleType

from PIL import Image

from tests.conftest import ROOT

ICONS = ROOT / "resources" / "icons"


def _load_make_icon() -> ModuleType:
    spec = importlib.util.spec_from_file_location("safedesk_make_icon", ROOT / "packaging" / "make_icon.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_icon = _load_make_icon()


def _pixels(data: bytes) -> list[bytes]:
    """Every frame's RGBA pixels (compressed bytes may differ between zlib builds; the pictures may not)."""
    image = Image.open(io.BytesIO(data))
    sizes = sorted(image.info.get("sizes") or {image.size})
    frames = []
    for size in sizes:
        if image.format == "ICO":
            image.size = size
        frames.append(image.convert("RGBA").tobytes())
    return frames


def test_committed_icon_files_are_what_the_script_draws() -> None:
    """Re-run `python packaging/make_icon.py` after changing the drawing, and commit its output."""
    drawn = make_icon.render_all()
    stale = [name for name, data in drawn.items() if _pixels((ICONS / name).read_bytes()) != _pixels(data)]
    assert not stale, f"out of date: {stale}; run python packaging/make_icon.py"
    assert {p.name for p in ICONS.iterdir()} == set(drawn)


def test_ico_holds_every_size_each_drawn_for_its_size() -> None:
    ico = Image.open(ICONS / "desk.ico")
    assert ico.info["sizes"] == {(s, s) for s in make_icon.SIZES}
    for size in (16, 32, 256):
        ico.size = (size, size)
        frame = ico.convert("RGBA")
        png = Image.open(ICONS / f"desk-{size}.png").convert("RGBA")
        assert frame.tobytes() == png.tobytes(), f"{size} px frame differs from desk-{size}.png"


def test_icon_is_legible_at_16_px() -> None:
    """Opaque shield, transparent corners, and the white sheet with the green check in the middle."""
    image = Image.open(io.BytesIO((ICONS / "desk-16.png").read_bytes())).convert("RGBA")
    assert image.getpixel((0, 0))[3] < 16 and image.getpixel((15, 15))[3] < 16  # (scaling leaves a trace)
    assert image.getpixel((8, 1))[3] > 200  # the shield itself is opaque
    colours = [image.getpixel((x, y)) for x in range(5, 11) for y in range(4, 11)]
    assert any(r > 200 and g > 200 and b > 200 for r, g, b, _a in colours), "no white sheet"
    assert any(g > r + 40 and g > b + 20 for r, g, b, _a in colours), "no green check"


def test_the_window_icon_is_set_with_every_size() -> None:
    """In a fresh process, as the app starts: make_application() gives the QApplication the icon's sizes."""
    code = (
        "from desktop.ui.app import make_application\n"
        "app = make_application()\n"
        "print(sorted(s.width() for s in app.windowIcon().availableSizes()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(list(make_icon.SIZES))
