"""The desk's marker: a small file beside the log that says a log was kept here, so a lost one is noticed.

A deleted or emptied cases.db used to be replaced silently by a new log numbering from
2026-000001 again, reusing numbers already printed on memos. The marker (and any backup or
replaced log in the folder) shows that a log existed: then no new log is started without an
explicit `--new-log`, and the refusal points to the latest backup.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any, Final

from desktop.atomic import atomic_file
from desktop.store.errors import LogMissing

MARKER: Final = "case-log.json"


def read_marker(data_dir: Path) -> dict[str, Any] | None:
    """What the marker says (None when there is none; {} when it cannot be read, which still counts)."""
    path = Path(data_dir) / MARKER
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError:
        return {}
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def update_marker(data_dir: Path, **fields: Any) -> None:
    """Merge `fields` into the marker, written atomically. A folder that cannot take it is left as it is."""
    data_dir = Path(data_dir)
    current = read_marker(data_dir) or {}
    current.update(fields)
    text = json.dumps(current, indent=2, sort_keys=True) + "\n"
    with contextlib.suppress(OSError):
        with atomic_file(data_dir / MARKER) as out:
            out.write(text.encode("utf-8"))


def _newest(paths: list[Path]) -> Path | None:
    dated = []
    for path in paths:
        with contextlib.suppress(OSError):
            dated.append((path.stat().st_mtime, path))
    return max(dated)[1] if dated else None


def latest_backup(data_dir: Path) -> Path | None:
    """The newest backup this folder knows of: the last one the marker names, else the newest copy kept here."""
    data_dir = Path(data_dir)
    named = (read_marker(data_dir) or {}).get("last_backup")
    if isinstance(named, str) and Path(named).is_file():
        return Path(named)
    return _newest([*(data_dir / "backups").glob("*.db"), *(data_dir / "replaced").glob("*.db")])


def evidence_of_a_log(data_dir: Path) -> str | None:
    """What in the folder shows a log was kept here, or None for a folder that never held one."""
    data_dir = Path(data_dir)
    if read_marker(data_dir) is not None:
        return f"{MARKER} records a log kept here"
    for folder in ("backups", "replaced"):
        if any((data_dir / folder).glob("*.db")):
            return f"its {folder}/ folder holds copies of a log"
    wal = data_dir / "cases.db-wal"
    if wal.exists() and wal.stat().st_size > 0:
        return "a write-ahead journal of a log (cases.db-wal) is still there"
    return None


def refuse_missing_log(data_dir: Path, *, empty: bool) -> None:
    """Raise LogMissing when the folder shows a log existed; return quietly for a folder that never held one."""
    evidence = evidence_of_a_log(data_dir)
    if evidence is None:
        return
    backup = latest_backup(data_dir)
    state = "is empty (0 bytes)" if empty else "is missing"
    point = f"restore the latest backup ({backup}) with `main.py restore FILE`" if backup else "restore a backup"
    raise LogMissing(
        f"the case log {Path(data_dir) / 'cases.db'} {state}, but this folder kept one ({evidence}). A new log "
        f"would hand out case numbers already on paper: {point}, or, only if the log is truly lost, start a new "
        "one with --new-log"
    )
