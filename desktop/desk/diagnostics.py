"""Diagnostics: the desk's own log file (not the case log), so IT can see what went wrong and when.

Standard `logging` to a rotating file under the data folder, `logs/desk.log`: a few hundred kilobytes
of recent history, never case content beyond a case number. Nothing is written into a folder that holds
no case log (a desk before its set-up, a mistyped folder): the file is opened at the first record once
the log is there, so a command run before set-up leaves the folder as it was (desk/first_start.py).
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
LOG_BESIDE = "cases.db"  # the case log (desktop/store DB_NAME): diagnostics are kept only where it is


class _FolderLog(logging.handlers.RotatingFileHandler):
    """A rotating file in the data folder's logs/, made at the first record written once the folder holds a
    case log; records before that are dropped (they are still shown by the door that met them)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        target = self.data_dir / LOG_FOLDER / LOG_FILE
        super().__init__(target, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)

    def emit(self, record: logging.LogRecord) -> None:
        if self.stream is None:
            if not log_is_kept(self.data_dir):
                return
            try:
                (self.data_dir / LOG_FOLDER).mkdir(parents=True, exist_ok=True)
                self.stream = self._open()
            except OSError:
                return  # a folder that cannot take diagnostics only loses them
        super().emit(record)


def log_is_kept(data_dir: Path) -> bool:
    """Whether the folder holds a case log, so diagnostics may be written there."""
    return (Path(data_dir) / LOG_BESIDE).is_file()


def configure_logging(data_dir: Path, *, level: int = logging.INFO) -> Path | None:
    """Send the app's log records to `data_dir/logs/desk.log` (rotating); returns the file, or None.

    Called once by each door at start. A folder that cannot be written only loses diagnostics:
    the desk still works, so this never raises. The file is made only once the folder holds a log.
    """
    root = logging.getLogger()
    for handler in root.handlers:
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    target = Path(data_dir) / LOG_FOLDER / LOG_FILE
    try:
        handler = _FolderLog(Path(data_dir))
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
