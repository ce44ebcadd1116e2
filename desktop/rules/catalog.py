"""The packs of a policies folder: each read and validated once per process, and the one in force picked by date.

As OpenFisca's `get_parameters_at_instant` picks the parameters in force at an instant, `Catalog.at`
picks the pack in force at a request's `received_at`, judged by the local date in each pack's own
time zone (LEGAL.md 3C version 2, item 8; version 2.1, item 7).

A pack file is read again only when its file changes (inode, size, modification or change time),
and validated again only when its bytes change (sha256): a desk deciding a thousand requests reads
its pack once, and a pack edited on disk is still seen at the next decision. A pack kept in the case
log is validated once per content and name (`pack_from_bytes`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from desktop.rules.pack import PACK_FILE, NotInForceError, Pack, PackError
from desktop.rules.reader import parse_pack

Signature = tuple[int, int, int, int]


@dataclass(frozen=True)
class _Entry:
    """What is known of one pack file: its stat when last read, the hash of its bytes, and the pack."""

    signature: Signature
    sha256: str
    pack: Pack


_lock = threading.Lock()  # a background job and the window may ask at once; each pack is still parsed once
_files: dict[Path, _Entry] = {}
_contents: dict[tuple[str, str], Pack] = {}


def _signature(stat: os.stat_result) -> Signature:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


MAX_PACK_BYTES: Final = 1024 * 1024  # the pack this desk ships is a few dozen KB


def _read(path: Path) -> bytes:
    """The bytes of a pack file (the one place a pack file is read): a regular file, at most MAX_PACK_BYTES."""
    from desktop.readfile import FileRefused, read_regular

    try:
        return read_regular(path, MAX_PACK_BYTES, what="a policy pack", shown="it")
    except FileRefused as exc:
        raise PackError(path, "file", str(exc).removeprefix("it ")) from None


def load_pack(path: Path | str) -> Pack:
    """The validated pack of a pack.toml (or the folder holding it), read once per process while it is unchanged.

    Raises:
        PackError: naming the file and the key that is wrong (a bad pack is not kept: the next call
            reads it again, so a fixed file is seen at once).
    """
    path = Path(path)
    if path.is_dir():
        path = path / PACK_FILE
    try:
        signature = _signature(path.stat())
    except OSError as exc:
        raise PackError(path, "file", f"cannot be read ({exc.strerror or exc})") from None
    with _lock:
        known = _files.get(path)
        if known is not None and known.signature == signature:
            return known.pack
        raw = _read(path)
        sha = hashlib.sha256(raw).hexdigest()
        if known is not None and known.sha256 == sha:  # touched, not changed
            _files[path] = _Entry(signature, sha, known.pack)
            return known.pack
        pack = parse_pack(raw, path)
        _files[path] = _Entry(signature, sha, pack)
        return pack


def pack_from_bytes(raw: bytes, path: Path) -> Pack:
    """A pack from its bytes (as kept in the case log), validated once per content and name.

    Raises:
        PackError: naming `path` and the key that is wrong.
    """
    key = (hashlib.sha256(raw).hexdigest(), str(path))
    with _lock:
        pack = _contents.get(key)
        if pack is None:
            pack = parse_pack(raw, path)
            _contents[key] = pack
        return pack


def forget_packs() -> None:
    """Drop every pack read so far (tests that count reads start from nothing)."""
    with _lock:
        _files.clear()
        _contents.clear()


def discover_packs(root: Path) -> list[Path]:
    """The pack files under a policies folder, one per subfolder, in name order."""
    try:
        folders = sorted(entry.name for entry in os.scandir(root) if entry.is_dir())
    except OSError:
        return []
    return [root / name / PACK_FILE for name in folders if (root / name / PACK_FILE).is_file()]


class Catalog:
    """The packs of one policies folder (one jurisdiction), and the one in force at a moment."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def packs(self) -> tuple[Pack, ...]:
        """Every pack of the folder, each read once while unchanged.

        Raises:
            PackError: when a pack is bad, none is installed, or the packs do not name one time zone.
        """
        files = discover_packs(self.root)
        if not files:
            raise PackError(self.root, "policies", "no policy pack found (expected <name>/pack.toml)")
        packs = tuple(load_pack(f) for f in files)
        _check_one_zone(packs, self.root)
        return packs

    def at(self, when: dt.datetime | dt.date) -> Pack:
        """The pack in force at `when` (see pack_in_force)."""
        return pack_in_force(self.packs(), when, self.root)


def _check_one_zone(packs: Sequence[Pack], root: Path) -> None:
    """All packs of one jurisdiction name the same time zone (LEGAL.md 3C version 2.1, item 7).

    A change of zone at a changeover would open a gap or an overlap of a few hours between two
    packs. A folder holding a single pack that names no zone (a pack from before version 2) is
    still accepted: its dates follow the offset each request gives.
    """
    if len(packs) < 2:
        return
    zones = {p.time_zone for p in packs}
    if len(zones) > 1 or "" in zones:
        named = "; ".join(f"{p.id} {p.version}: {p.time_zone or 'no time zone'}" for p in packs)
        raise PackError(root, "time_zone", f"the packs of one folder must all name the same time zone ({named})")


def _moment(when: dt.datetime | dt.date) -> dt.datetime | None:
    """An aware datetime for `when`, or None for a bare date (the old calling convention)."""
    if isinstance(when, dt.datetime):
        return when if when.tzinfo is not None else when.astimezone()  # naive: this machine's clock
    return None


def pack_in_force(packs: Sequence[Pack], when: dt.datetime | dt.date, source: Path | str) -> Pack:
    """The one pack in force at `when`; refuses a gap or an overlap rather than guessing.

    `when` is the aware `received_at` (or "now"): each pack is judged by the local date in its own
    time zone (LEGAL.md 3C version 2, item 8). A bare date is still accepted and compared as it is
    (the convention before version 2, kept while callers move over).

    Raises:
        NotInForceError: (one line, no file path) when no pack is in force at that moment.
        PackError: when more than one is.
    """
    moment = _moment(when)
    if moment is None:
        day = when if not isinstance(when, dt.datetime) else when.date()
        matching = [p for p in packs if p.in_force(day)]
    else:
        matching = [p for p in packs if p.in_force_at(moment)]
    if not matching:
        raise NotInForceError(_not_in_force(packs, when, moment))
    if len(matching) > 1:
        names = ", ".join(f"{p.id} {p.version}" for p in matching)
        on = moment.isoformat() if moment is not None else when.isoformat()
        raise PackError(source, "effective_from", f"more than one pack is in force on {on}: {names}")
    return matching[0]


def _not_in_force(packs: Sequence[Pack], when: dt.datetime | dt.date, moment: dt.datetime | None) -> str:
    """One line for a request no pack answers: the date, its local date, and the first date any pack is in force."""
    if not packs:
        return f"received_at {when.isoformat()}: no policy pack is installed"
    first = min(packs, key=lambda p: p.effective_from)
    said = first.describe_moment(moment) if moment is not None else when.isoformat()
    day = first.local_date(moment) if moment is not None else when
    if day < first.effective_from:
        return f"received_at {said}, before the first policy pack is in force ({first.effective_from.isoformat()})"
    periods = "; ".join(f"{p.id} {p.version} {p.period()}" for p in sorted(packs, key=lambda p: p.effective_from))
    return (
        f"received_at {said}, when no policy pack is in force (the first is in force from "
        f"{first.effective_from.isoformat()}; {periods})"
    )


_catalogs: dict[Path, Catalog] = {}


def catalog_for(root: Path) -> Catalog:
    """The catalog of a policies folder (one per folder per process)."""
    root = Path(root)
    catalog = _catalogs.get(root)
    if catalog is None:
        catalog = _catalogs.setdefault(root, Catalog(root))
    return catalog


def choose_pack(when: dt.datetime | dt.date, policy: Path | str | None, root: Path) -> Pack:
    """The pack to decide with: the one named, else the shipped one in force at `when`.

    `when` is the intake's aware `received_at`, or the current moment (`dt.datetime.now(dt.UTC)`)
    for a caller that only wants the pack in force now. A named pack is returned as it is; decide()
    still refuses a request outside its period.

    Raises:
        NotInForceError: when no shipped pack is in force at `when` (one line, no file path).
        PackError: when the named pack is bad, no pack is installed, or two are in force at once.
    """
    if policy is not None:
        return load_pack(policy)
    return catalog_for(root).at(when)
