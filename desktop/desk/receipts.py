"""Signed receipts against truncation: a small file that proves the log once held a given chain head.

A hash chain alone cannot show that its newest entries were deleted: what is left is still a valid
chain. A receipt, kept away from the desk PC (by IT, by counsel, beside each backup), records the
head, the number of entries and when, signed by the officer who made it. `verify --receipt FILE`
then proves the log still holds that head at that position; deleting the newest entries fails it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from desktop.records import Actor, EventKind
from desktop.signing import fingerprint, receipt_message, verify_signature
from desktop.store.errors import InvalidInput

if TYPE_CHECKING:
    from desktop.store import CaseStore

FORMAT: Final = "safedesk-receipt-1"
MAX_RECEIPT: Final = 64 * 1024


@dataclass(frozen=True)
class ReceiptCheck:
    """What a receipt shows about this log."""

    ok: bool
    verdict: str
    entries: int
    chain_head: str


def _fields(head: str, entries: int, at: str, desk: str, key_id: str) -> dict[str, Any]:
    return {"format": FORMAT, "chain_head": head, "entries": entries, "at": at, "desk": desk, "key_id": key_id}


def write_receipt(store: CaseStore, target: Path, *, actor: Actor, desk: str, now: dt.datetime) -> Path:
    """Record that a receipt was made, then sign the head that includes that very entry."""
    from desktop.desk.files import safe_write

    signer = actor.signer if actor.signer is not None else store.desk_signer
    if signer is None:
        raise InvalidInput("a receipt needs a signed-in officer (or the desk's key)")
    store.log_event(None, EventKind.RECEIPT, actor, f"receipt written to {target.name}", now=now)
    head = store.chain_head()
    entries = store.chain_position(head) or 0
    fields = _fields(head, entries, now.astimezone(dt.UTC).isoformat(timespec="seconds"), desk, signer.key_id)
    payload = {
        **fields,
        "signed_by": actor.label,
        "public_key": signer.public.hex(),
        "fingerprint": fingerprint(signer.public),
        "signature": signer.sign(receipt_message(fields)).hex(),
    }
    return safe_write(target, (json.dumps(payload, indent=2, sort_keys=True) + "\n").encode("utf-8"))


def read_receipt(path: Path) -> dict[str, Any]:
    """The receipt's fields; InvalidInput naming the problem when the file is not one."""
    try:
        raw = path.read_bytes()[: MAX_RECEIPT + 1]
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_RECEIPT:
        raise InvalidInput(f"{path}: too large to be a receipt")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput(f"{path}: not a receipt (not JSON)") from None
    keys = ("format", "chain_head", "entries", "at", "desk", "key_id", "public_key", "signature")
    if not isinstance(data, dict) or data.get("format") != FORMAT or any(k not in data for k in keys):
        raise InvalidInput(f"{path}: not a Safe Communities Desk receipt")
    if not isinstance(data["entries"], int) or not all(isinstance(data[k], str) for k in keys if k != "entries"):
        raise InvalidInput(f"{path}: a receipt field has the wrong type")
    return data


def verify_receipt(store: CaseStore, path: Path) -> ReceiptCheck:
    data = read_receipt(path)
    fields = _fields(data["chain_head"], data["entries"], data["at"], data["desk"], data["key_id"])
    try:
        public = bytes.fromhex(data["public_key"])
        signature = bytes.fromhex(data["signature"])
    except ValueError:
        raise InvalidInput(f"{path}: the receipt's key or signature is not hex") from None
    head, entries = data["chain_head"], data["entries"]
    if not verify_signature(public, signature, receipt_message(fields)):
        return ReceiptCheck(False, "the receipt's signature is broken: the receipt was altered", entries, head)
    known = store.public_key(data["key_id"])
    if known is None or known != public or not store.certified(data["key_id"]):
        return ReceiptCheck(False, "the receipt was signed by a key this log does not know or trust", entries, head)
    position = store.chain_position(head)
    if position is None:
        total = store.chain_position(store.chain_head()) or 0
        why = (
            f"entries were deleted: the log ends at entry {total}, the receipt saw {entries}"
            if total < entries
            else "the log was rewritten: it has no entry with that hash"
        )
        return ReceiptCheck(False, f"the log no longer holds the chain head of this receipt ({why})", entries, head)
    if position != entries:
        return ReceiptCheck(
            False, f"the receipt's head is entry {position} of the log, not entry {entries}", entries, head
        )
    return ReceiptCheck(True, f"the log still holds the chain head of {data['at']} (entry {entries})", entries, head)
