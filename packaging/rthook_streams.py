"""PyInstaller runtime hook: null standard streams for a windowed program started without a console."""

import os
import sys

# A GUI-subsystem Windows program started from Explorer or a shortcut has no stdin/stdout/stderr (they are None),
# so the first print or argparse message would raise. When started with redirected handles (CI, SCCM) they are real.
for _name, _mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, _mode, encoding="utf-8"))
