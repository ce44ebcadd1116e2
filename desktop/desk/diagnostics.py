"""Diagnostics: the desk's own log file (not the case log), so IT can see what went wrong and when.

Standard `logging` to a rotating file under the data folder, `logs/desk.log`: a few hundred kilobytes
of recent history, never case content beyond a case number.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FOLDER = "logs"
LOG_FILE = "desk.log"
MAX_BYTES = 512 * 1024
BACKUPS = 3
_HANDLER_NAME = "safedesk-file"


def configure_logging(data_dir: Path, *, level: int = logging.INFO) -> Path | None:
    """Send the app's log records to `data_dir/logs/desk.log` (rotating); returns the file, or None.

    Called once by each door at start. A folder that cannot be written only loses diagnostics:
    the desk still works, so this never raises.
    """
    root = logging.getLogger()
    for handler in root.handlers:
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    target = Path(data_dir) / LOG_FOLDER / LOG_FILE
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            target, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        return None
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    return target


def current_log_file() -> Path | None:
    """The file the desk's diagnostics go to in this process, or None before a door configured one."""
    for handler in logging.getLogger().handlers:
        if handler.get_name() == _HANDLER_NAME and isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename)
    return None


def close_logging() -> None:
    """Detach and close the file handler (tests, and before a restore replaces the folder's contents)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
