"""The files a desk and the county register hand each other: a bundle, its signed checkpoint, a cosignature.

A **bundle** is UTF-8 JSON, one value a line, so a large one is read a line at a time:

    {"t": "bundle", "format": "safedesk-bundle-1", "origin": ..., "from_seq": A, "to_seq": B, "app": ...}
    {"t": "checkpoint", "format": "safedesk-checkpoint-1", "origin": ..., "size": B, "head": ..., ...}
    {"t": "key", "row": {...}}            every signing key of the log (public keys only)
    {"t": "certificate", "row": {...}}    every certificate, back to the admin root
    {"t": "pack", "row": {...}}           each pack a carried version cites (its text in base64, once)
    {"t": "version", "row": {...}}        the case versions the carried entries record
    {"t": "entry", "row": {...}}          the entries A to B, as the log holds them

Rows are the log's own columns as they are, so a column a later schema adds travels with them and the
register hashes exactly what the desk hashed. The **checkpoint** is checkpoint-shaped (origin, size,
head), after C2SP's tlog-checkpoint, but the head is the hash chain's newest entry, not a Merkle root.
It is signed by the officer who wrote the bundle, with their account key.

A **cosignature** is the register's signature over the same origin, size and head, with the time and
the register's key: the register holds that head. The desk records it (`witness`) as its outside witness.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final

from desktop.signing import fingerprint, key_id, verify_signature
from desktop.store.errors import InvalidInput
from desktop.store.hashing import canonical

if TYPE_CHECKING:
    from desktop.signing import Signer
    from desktop.store.delivery import Delivery

BUNDLE_FORMAT: Final = "safedesk-bundle-1"
CHECKPOINT_FORMAT: Final = "safedesk-checkpoint-1"
COSIGNATURE_FORMAT: Final = "safedesk-cosignature-1"
COSIGNATURE_SUFFIX: Final = ".cosignature"
MAX_COSIGNATURE: Final = 16 * 1024
MAX_LINE: Final = 64 * 1024 * 1024  # a pack's text or a long intake fits many times over
ROW_KINDS: Final = ("key", "certificate", "pack", "version", "entry")


class BundleError(InvalidInput):
    """A bundle, checkpoint or cosignature that cannot be read or does not hold; one line says where and why."""


def _signed_bytes(prefix: bytes, fields: Mapping[str, Any]) -> bytes:
    return prefix + canonical(dict(fields)).encode("utf-8", "surrogateescape")


def checkpoint_fields(origin: str, size: int, head: str, at: str, signer_key: str) -> dict[str, Any]:
    return {"format": CHECKPOINT_FORMAT, "origin": origin, "size": size, "head": head, "at": at, "key_id": signer_key}


def checkpoint_message(fields: Mapping[str, Any]) -> bytes:
    """What a checkpoint's signature covers: the log's origin, its size and head, when, and the signing key."""
    return _signed_bytes(b"safedesk-checkpoint:", fields)


def make_checkpoint(
    signer: Signer, signed_by: str, *, origin: str, size: int, head: str, at: dt.datetime
) -> dict[str, Any]:
    fields = checkpoint_fields(origin, size, head, at.astimezone(dt.UTC).isoformat(timespec="seconds"), signer.key_id)
    return {
        **fields,
        "signed_by": signed_by,
        "public_key": signer.public.hex(),
        "signature": signer.sign(checkpoint_message(fields)).hex(),
    }


def cosignature_fields(origin: str, size: int, head: str, at: str, register: str, register_key: str) -> dict[str, Any]:
    return {
        "format": COSIGNATURE_FORMAT,
        "origin": origin,
        "size": size,
        "head": head,
        "at": at,
        "register": register,
        "register_key_id": register_key,
    }


def cosignature_message(fields: Mapping[str, Any]) -> bytes:
    """What a cosignature covers: the desk's origin, size and head, when, and which register's key."""
    return _signed_bytes(b"safedesk-cosignature:", fields)


def make_cosignature(
    signer: Signer, *, register: str, origin: str, size: int, head: str, at: dt.datetime
) -> dict[str, Any]:
    fields = cosignature_fields(
        origin, size, head, at.astimezone(dt.UTC).isoformat(timespec="seconds"), register, signer.key_id
    )
    return {
        **fields,
        "register_public_key": signer.public.hex(),
        "signature": signer.sign(cosignature_message(fields)).hex(),
    }


def _hex(data: Mapping[str, Any], name: str, where: str) -> bytes:
    value = data.get(name)
    try:
        return bytes.fromhex(value) if isinstance(value, str) else b""
    except ValueError:
        raise BundleError(f"{where}: its {name} is not hex") from None


def _fields_of(data: Mapping[str, Any], names: tuple[str, ...], where: str) -> None:
    for name in names:
        if name not in data:
            raise BundleError(f"{where}: it has no {name}")
    if not isinstance(data["size"], int) or isinstance(data["size"], bool) or data["size"] < 0:
        raise BundleError(f"{where}: its size is not a whole number")
    for name in names:
        if name != "size" and not isinstance(data[name], str):
            raise BundleError(f"{where}: its {name} is not text")


CHECKPOINT_KEYS: Final = ("format", "origin", "size", "head", "at", "key_id", "signed_by", "public_key", "signature")
COSIGNATURE_KEYS: Final = (
    "format",
    "origin",
    "size",
    "head",
    "at",
    "register",
    "register_key_id",
    "register_public_key",
    "signature",
)


def checkpoint_problem(data: Mapping[str, Any], where: str) -> str | None:
    """Why a checkpoint's own signature does not hold (None when it does). Whose key it is, is the reader's."""
    _fields_of(data, CHECKPOINT_KEYS, where)
    if data["format"] != CHECKPOINT_FORMAT:
        return f"{where}: its checkpoint is of another format ({data['format']})"
    public, signature = _hex(data, "public_key", where), _hex(data, "signature", where)
    if key_id(public) != data["key_id"]:
        return f"{where}: its checkpoint names key {data['key_id']} but carries another public key"
    fields = checkpoint_fields(data["origin"], data["size"], data["head"], data["at"], data["key_id"])
    if not verify_signature(public, signature, checkpoint_message(fields)):
        return f"{where}: its checkpoint's signature is broken (altered, or not made with key {data['key_id']})"
    return None


def check_cosignature(data: Any, where: str) -> dict[str, Any]:
    """A cosignature whose register signature holds; BundleError (one line) otherwise."""
    if not isinstance(data, dict):
        raise BundleError(f"{where}: not a register cosignature")
    _fields_of(data, COSIGNATURE_KEYS, where)
    if data["format"] != COSIGNATURE_FORMAT:
        raise BundleError(f"{where}: not a register cosignature ({data['format']})")
    public, signature = _hex(data, "register_public_key", where), _hex(data, "signature", where)
    if key_id(public) != data["register_key_id"]:
        raise BundleError(f"{where}: it names register key {data['register_key_id']} but carries another public key")
    fields = cosignature_fields(
        data["origin"], data["size"], data["head"], data["at"], data["register"], data["register_key_id"]
    )
    if not verify_signature(public, signature, cosignature_message(fields)):
        raise BundleError(f"{where}: the register's signature is broken: the cosignature was altered")
    return {k: data[k] for k in COSIGNATURE_KEYS}


def register_fingerprint(cosignature: Mapping[str, Any]) -> str:
    return fingerprint(bytes.fromhex(str(cosignature["register_public_key"])))


def read_cosignature(path: Path) -> dict[str, Any]:
    """The cosignature in `path`, checked against its own register key; BundleError naming the file otherwise."""
    from desktop.readfile import FileRefused, read_regular

    try:
        raw = read_regular(Path(path), MAX_COSIGNATURE, what="a register cosignature")
    except FileRefused as exc:  # a device, a pipe, a folder, or past the size a cosignature has
        raise BundleError(str(exc)) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BundleError(f"{path}: not a register cosignature (not JSON)") from None
    return check_cosignature(data, str(path))


def cosignature_bytes(cosignature: Mapping[str, Any]) -> bytes:
    return (json.dumps(dict(cosignature), indent=2, sort_keys=True) + "\n").encode("utf-8")


# --- the bundle itself ------------------------------------------------------------------------------


def _line(kind: str, **values: Any) -> bytes:
    return (json.dumps({"t": kind, **values}, ensure_ascii=False, separators=(",", ":")) + "\n").encode(
        "utf-8", "surrogateescape"
    )


def _pack_row(row: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in row.items() if k != "content"}
    out["content_b64"] = base64.b64encode(bytes(row["content"])).decode("ascii")
    return out


def bundle_lines(delivery: Delivery, *, origin: str, checkpoint: Mapping[str, Any], app: str) -> Iterator[bytes]:
    """The bundle's lines, streamed from one consistent read of the log."""
    yield _line(
        "bundle", format=BUNDLE_FORMAT, origin=origin, from_seq=delivery.from_seq, to_seq=delivery.to_seq, app=app
    )
    yield _line("checkpoint", **checkpoint)
    for row in delivery.keys():
        yield _line("key", row=row)
    for row in delivery.certificates():
        yield _line("certificate", row=row)
    for row in delivery.packs():
        yield _line("pack", row=_pack_row(row))
    for row in delivery.versions():
        yield _line("version", row=row)
    for row in delivery.entries():
        yield _line("entry", row=row)


def pack_content(row: Mapping[str, Any]) -> bytes:
    """A carried pack's text as bytes (BundleError when it is not base64)."""
    try:
        return base64.b64decode(str(row.get("content_b64", "")), validate=True)
    except ValueError:
        raise BundleError(f"pack {str(row.get('sha256', '?'))[:12]}…: its text is not base64") from None


@dataclass(frozen=True)
class BundleHeader:
    """What the bundle's first two lines say: whose log, which entries, and the checkpoint signed over them."""

    origin: str
    from_seq: int
    to_seq: int
    checkpoint: dict[str, Any]


def bundle_rows(handle: BinaryIO, name: str, digest: Any | None = None) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """Each row line of a bundle (after the header and checkpoint) as (line number, kind, row).

    `digest` (a hashlib object) is fed every byte read, so a caller can tell the file did not change
    between two readings. Raises BundleError naming the line for anything that is not a bundle row.
    """
    for number, raw in enumerate(handle, start=1):
        if digest is not None:
            digest.update(raw)
        if number <= 2:
            continue
        if len(raw) > MAX_LINE:
            raise BundleError(f"{name}: line {number} is too long")
        item = _json_line(raw, name, number)
        kind, row = item.get("t"), item.get("row")
        if kind not in ROW_KINDS or not isinstance(row, dict):
            raise BundleError(f"{name}: line {number} is not a bundle row")
        yield number, str(kind), row


def _json_line(raw: bytes, name: str, number: int) -> dict[str, Any]:
    try:
        item = json.loads(raw.decode("utf-8", "surrogateescape"))
    except (ValueError, RecursionError):
        raise BundleError(f"{name}: line {number} is not JSON (the bundle was cut short or altered)") from None
    if not isinstance(item, dict):
        raise BundleError(f"{name}: line {number} is not a bundle row")
    return item


def read_header(handle: BinaryIO, name: str) -> BundleHeader:
    """The bundle's first two lines, checked for shape (the checkpoint's signature is checked by the reader)."""
    first = _json_line(handle.readline(MAX_LINE), name, 1)
    if first.get("t") != "bundle" or first.get("format") != BUNDLE_FORMAT:
        raise BundleError(f"{name}: not a Safe Communities Desk bundle")
    origin, start, end = first.get("origin"), first.get("from_seq"), first.get("to_seq")
    if not isinstance(origin, str) or not isinstance(start, int) or not isinstance(end, int) or not 1 <= start <= end:
        raise BundleError(f"{name}: its first line does not say whose entries it holds")
    second = _json_line(handle.readline(MAX_LINE), name, 2)
    if second.pop("t", None) != "checkpoint":
        raise BundleError(f"{name}: it has no checkpoint")
    _fields_of(second, CHECKPOINT_KEYS, name)
    return BundleHeader(origin, start, end, second)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
