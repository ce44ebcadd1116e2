"""The desk's marker: a small file beside the log that says a log was kept here, so a lost one is noticed.

A deleted or emptied cases.db used to be replaced silently by a new log numbering from
2026-000001 again, reusing numbers already printed on memos. The marker (and any backup or
replaced log in the folder) shows that a log existed: then no new log is started without an
explicit `--new-log`, and the refusal points to the latest backup.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any, Final

from desktop.atomic import atomic_file, reserve_name
from desktop.store.errors import LogMissing

MARKER: Final = "case-log.json"
STALE_COPY_S: Final = 600


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


def set_aside_stray_journal(data_dir: Path) -> None:
    """Move a write-ahead journal left without its database into replaced/: it may hold the lost log's last
    changes, and must never be replayed into another log."""
    for tail in ("-wal", "-shm"):
        stray = Path(data_dir) / f"cases.db{tail}"
        if stray.exists():
            kept_dir = Path(data_dir) / "replaced"
            kept_dir.mkdir(parents=True, exist_ok=True)
            os.replace(stray, reserve_name(kept_dir, "cases-stray-journal", tail))


def clear_stale_copies(data_dir: Path) -> None:
    """Remove plain copies of the log a killed backup or restore left in the data folder (after a while).

    A restore stages the backup in restoring/ and reserves a name in replaced/; a kill can leave either
    behind, as a backup killed under an earlier version could leave its plain copy in backups/.sealing-*.db
    (a backup now notes its files in copying/, settled at once: pending.py). They are inside the station,
    but no copy should linger. One younger than a few minutes may belong to a restore still running.
    """
    import shutil

    now = time.time()
    folder = Path(data_dir)
    stale = [*(folder / "backups").glob(".sealing-*"), *(folder / "restoring").glob("*")]
    # Names a killed restore reserved in replaced/ but never filled (empty, or a copy cut short).
    stale += [p for p in (folder / "replaced").glob("*") if p.suffix == ".partial" or _is_empty(p)]
    for path in stale:
        try:
            if now - path.stat().st_mtime < STALE_COPY_S:
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def _is_empty(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size == 0
    except OSError:
        return False


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


def evidence_of_a_log(data_dir: Path, *, desk_known: bool = False) -> str | None:
    """What in the folder shows a log was kept here, or None for a folder that never held one.

    `desk_known`: the desk's own key was already in the folder before this start (keys/desk.key is
    made on a desk's first start, so it outlives a deleted marker).
    """
    data_dir = Path(data_dir)
    if read_marker(data_dir) is not None:
        return f"{MARKER} records a log kept here"
    for folder in ("backups", "replaced"):
        if any((data_dir / folder).glob("*.db")):
            return f"its {folder}/ folder holds copies of a log"
    wal = data_dir / "cases.db-wal"
    if wal.exists() and wal.stat().st_size > 0:
        return "a write-ahead journal of a log (cases.db-wal) is still there"
    if desk_known:
        return "keys/desk.key shows a desk was set up here"
    return None


def refuse_missing_log(data_dir: Path, *, evidence: str, state: str) -> None:
    """Raise LogMissing: the folder shows a log existed (`evidence`), but cases.db is `state`."""
    backup = latest_backup(data_dir)
    point = f"restore the latest backup ({backup}) with `main.py restore FILE`" if backup else "restore a backup"
    raise LogMissing(
        f"the case log {Path(data_dir) / 'cases.db'} {state}, but this folder kept one ({evidence}). A new log "
        f"would hand out case numbers already on paper: {point}, or, only if the log is truly lost, start a new "
        "one with --new-log"
    )
