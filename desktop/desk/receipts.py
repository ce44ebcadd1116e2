"""Signed receipts against truncation: a small file that proves the log once held a given chain head.

A hash chain alone cannot show that its newest entries were deleted: what is left is still a valid
chain. A receipt, kept away from the desk PC (by IT, by counsel, beside each backup), records the
head, the number of entries and when, the log and its first admin's key, signed by the officer who
made it (only an account's key signs one: the desk's own key is in the data folder, so it vouches for
nothing). `verify --receipt FILE` then proves the log still holds that head at that position; deleting
the newest entries fails it. Each receipt that checks out is recorded in the log (a signed entry), so
`verify` can say how old the newest checked receipt is and how many entries after it no outside
witness holds yet: those could be cut and written again without any check inside the file noticing.

A receipt written inside the data folder (a backup kept in `backups\\`) is copied to the receipts folder
of the person who made it too (outside the data folder, where other desk users cannot write), and
`verify` checks every receipt of this log it finds there and beside the latest backup.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from desktop.records import Actor, EventKind
from desktop.signing import fingerprint, receipt_message, verify_signature
from desktop.store.errors import InvalidInput

if TYPE_CHECKING:
    from desktop.store import CaseStore

FORMAT: Final = "safedesk-receipt-2"  # names the log and its first admin's key
FIRST_FORMAT: Final = "safedesk-receipt-1"
MAX_RECEIPT: Final = 64 * 1024
RECEIPTS_ENV: Final = "SAFEDESK_RECEIPTS_DIR"
SUFFIX: Final = ".receipt.json"


def receipts_dir() -> Path:
    """This person's receipts folder, outside the data folder: `SAFEDESK_RECEIPTS_DIR`, else
    %LOCALAPPDATA%\\SafeCommunitiesDesk\\receipts on Windows, else ~/.local/state/safe-communities-desk/receipts."""
    chosen = os.environ.get(RECEIPTS_ENV)
    if chosen:
        return Path(chosen)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "SafeCommunitiesDesk" / "receipts"
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "safe-communities-desk" / "receipts"


@dataclass(frozen=True)
class ReceiptCheck:
    """What a receipt shows about this log."""

    ok: bool
    verdict: str
    entries: int
    chain_head: str
    signed_by: str = ""  # who signed it, as the log's certificate names them
    at: str = ""  # when it was made


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    """What the signature covers, by the receipt's format."""
    fields = {k: data[k] for k in ("format", "chain_head", "entries", "at", "desk", "key_id")}
    if data["format"] == FORMAT:
        fields.update(log_id=data.get("log_id"), root=data.get("root"))
    return fields


def write_receipt(store: CaseStore, target: Path, *, actor: Actor, desk: str, now: dt.datetime) -> Path:
    """Record that a receipt was made, then sign the head that includes that very entry.

    Only a signed-in account signs a receipt. A receipt inside the data folder is also copied to the
    signer's receipts folder outside it.
    """
    from desktop.desk.files import leaves, safe_write

    signer = actor.signer
    if signer is None:
        raise InvalidInput(
            "a receipt is signed by the officer who makes it: sign in first (the desk's own key signs no receipt)"
        )
    target = Path(target)
    inside = not leaves(target, store.data_dir)
    witness = receipts_dir() / target.name
    kept = f"; a copy kept in {witness.parent}, outside the data folder" if inside else ""
    store.log_event(None, EventKind.RECEIPT, actor, f"receipt written to {target.name}{kept}", now=now)
    head = store.chain_head()
    entries = store.chain_position(head) or 0
    fields = {
        "format": FORMAT,
        "chain_head": head,
        "entries": entries,
        "at": now.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "desk": desk,
        "key_id": signer.key_id,
        "log_id": store.meta_value("log_id"),
        "root": store.root_fingerprint(),
    }
    payload = {
        **fields,
        "signed_by": actor.label,
        "public_key": signer.public.hex(),
        "fingerprint": fingerprint(signer.public),
        "signature": signer.sign(receipt_message(fields)).hex(),
    }
    data = (json.dumps(payload, indent=2, sort_keys=True) + "\n").encode("utf-8")
    path = safe_write(target, data)
    if inside:
        witness.parent.mkdir(parents=True, exist_ok=True)
        safe_write(witness, data)
    return path


def read_receipt(path: Path) -> dict[str, Any]:
    """The receipt's fields; InvalidInput naming the problem when the file is not one."""
    from desktop.readfile import FileRefused, read_regular

    try:
        raw = read_regular(Path(path), MAX_RECEIPT, what="a receipt")
    except FileRefused as exc:
        raise InvalidInput(str(exc)) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput(f"{path}: not a receipt (not JSON)") from None
    keys = ("format", "chain_head", "entries", "at", "desk", "key_id", "public_key", "signature")
    if (
        not isinstance(data, dict)
        or data.get("format") not in (FORMAT, FIRST_FORMAT)
        or any(k not in data for k in keys)
    ):
        raise InvalidInput(f"{path}: not a Safe Communities Desk receipt")
    if not isinstance(data["entries"], int) or not all(isinstance(data[k], str) for k in keys if k != "entries"):
        raise InvalidInput(f"{path}: a receipt field has the wrong type")
    return data


def check_receipt(store: CaseStore, path: Path) -> ReceiptCheck:
    """Does the log still hold the chain head this receipt was signed over, signed by an account it trusts?"""
    data = read_receipt(path)
    head, entries, made = data["chain_head"], data["entries"], data["at"]
    try:
        public = bytes.fromhex(data["public_key"])
        signature = bytes.fromhex(data["signature"])
    except ValueError:
        raise InvalidInput(f"{path}: the receipt's key or signature is not hex") from None
    if not verify_signature(public, signature, receipt_message(_fields(data))):
        return ReceiptCheck(False, "the receipt's signature is broken: the receipt was altered", entries, head)
    known = store.public_key(data["key_id"])
    standing = store.key_standing(data["key_id"])
    if known is None or known != public or standing is None:
        return ReceiptCheck(False, "the receipt was signed by a key this log does not know or trust", entries, head)
    kind, who = standing
    if kind != "account":
        return ReceiptCheck(
            False,
            "the receipt was signed by the desk's own key, which anyone who can read the data folder holds: only an "
            "officer's key signs a receipt",
            entries,
            head,
        )
    signed_by = f"{data.get('signed_by') or who} ({who})"
    if data["format"] == FORMAT:
        root = store.root_fingerprint()
        if data.get("root") != root or data.get("log_id") != store.meta_value("log_id"):
            return ReceiptCheck(
                False,
                f"the receipt was made on another log (admin key {data.get('root')}; this log's is {root}): this log "
                "was replaced or re-created",
                entries,
                head,
                signed_by,
                made,
            )
    position = store.chain_position(head)
    if position is None:
        total = store.chain_position(store.chain_head()) or 0
        why = (
            f"entries were deleted: the log ends at entry {total}, the receipt saw {entries}"
            if total < entries
            else "the log was rewritten: it has no entry with that hash"
        )
        verdict = f"the log no longer holds the chain head of this receipt ({why})"
        return ReceiptCheck(False, verdict, entries, head, signed_by, made)
    if position != entries:
        verdict = f"the receipt's head is entry {position} of the log, not entry {entries}"
        return ReceiptCheck(False, verdict, entries, head, signed_by, made)
    entry = store.entry_signer(position)
    if entry is None or entry != (EventKind.RECEIPT.value, data["key_id"]):
        verdict = (
            f"entry {position} is not the receipt's own entry signed by its key: the receipt was made outside the desk"
        )
        return ReceiptCheck(False, verdict, entries, head, signed_by, made)
    verdict = f"the log still holds the chain head of {made} (entry {entries}); the receipt was signed by {signed_by}"
    return ReceiptCheck(True, verdict, entries, head, signed_by, made)


def verify_receipt(
    store: CaseStore, path: Path, *, actor: Actor | None = None, now: dt.datetime | None = None
) -> ReceiptCheck:
    """Check a receipt; one that checks out is recorded in the log (by `actor`), as an outside witness seen."""
    from desktop.store.hashing import canonical

    check = check_receipt(store, Path(path))
    if check.ok and actor is not None:
        seen = {"entries": check.entries, "chain_head": check.chain_head, "at": check.at, "signed_by": check.signed_by}
        store.log_event(
            None,
            EventKind.VERIFY,
            actor,
            f"receipt of entry {check.entries} ({check.at}, signed by {check.signed_by}) checked: the log holds it",
            now=now,
            state=canonical({"receipt": seen}),
        )
    return check


@dataclass(frozen=True)
class Witnessed:
    """What the receipts kept outside the data folder, and those checked before, say of this log now."""

    problems: tuple[str, ...]
    notes: tuple[str, ...]


def witness_receipts(store: CaseStore, places: list[Path]) -> list[Path]:
    """This log's receipts in the given folders and files (the receipts folder, the latest backup's)."""
    log_id = store.meta_value("log_id")
    found: list[Path] = []
    for place in places:
        candidates = sorted(place.glob(f"*{SUFFIX}")) if place.is_dir() else [place] if place.is_file() else []
        for path in candidates:
            try:
                data = read_receipt(path)
            except InvalidInput:
                continue
            if data.get("log_id") == log_id and path not in found:
                found.append(path)
    return found


def witness(store: CaseStore, report_witness: Any, after: tuple[int, int], now: dt.datetime) -> Witnessed:
    """Check every receipt of this log kept outside the data folder, and say what no outside witness holds yet.

    `report_witness` is the newest receipt checked (verify's Witness), `after` the entries and versions
    after the entry it names.
    """
    places = _places(store)
    problems: list[str] = []
    notes: list[str] = []
    newest: tuple[int, str, str] | None = None
    if report_witness is not None:
        if store.chain_position(report_witness.chain_head) != report_witness.entries:
            problems.append(
                f"entry {report_witness.checked_entry} records a receipt of entry {report_witness.entries} as checked, "
                "but the log does not hold that receipt's head there: the record is false, or the log was rewritten"
            )
        else:
            newest = (report_witness.entries, report_witness.at, f", checked by {report_witness.checked_by}")
    for path in witness_receipts(store, places):
        try:
            check = check_receipt(store, path)
        except InvalidInput:
            continue
        if not check.ok:
            restored = _restored_after(store, check.at)
            if restored is not None:
                notes.append(
                    f"the receipt {path} names entry {check.entries} of the log that the restore at entry {restored} "
                    "replaced (kept in replaced\\)"
                )
            else:
                problems.append(f"the receipt {path}, kept outside the data folder, fails: {check.verdict}")
        elif newest is None or check.entries > newest[0]:
            newest = (check.entries, check.at, f", kept in {path.parent}")
    total = store.chain_position(store.chain_head()) or 0
    if newest is None:
        notes.append(
            f"no receipt of this log has been checked: nothing outside this PC witnesses any of its {total} entries, "
            "so its newest entries could be cut and written again unseen; keep a receipt away from this PC and check "
            "it with `verify --receipt`"
        )
    else:
        entries_after, versions_after = _after(store, newest[0], after, report_witness)
        age = _age(newest[1], now)
        notes.append(
            f"the newest receipt checked names entry {newest[0]}, made {newest[1]} ({age}{newest[2]}); the "
            f"{entries_after} entries after it ({versions_after} cases recorded or amended) are witnessed by nothing "
            "outside this PC yet: a receipt proves the log held everything up to its entry, and nothing after"
        )
    return Witnessed(tuple(problems), tuple(notes))


def _places(store: CaseStore) -> list[Path]:
    """Where this log's receipts are kept outside the data folder: the receipts folder, the latest backup's."""
    from desktop.store.marker import read_marker

    places = [receipts_dir()]
    backup = (read_marker(store.data_dir) or {}).get("last_backup")
    if isinstance(backup, str) and backup:
        places.append(Path(backup + SUFFIX))
    return places


def outside_witnessed(store: CaseStore) -> int | None:
    """The newest entry a receipt kept outside the data folder holds, of those that still check; None if none.

    What `verify` may start its signature checks after (store/verify.py Checkpoint): a receipt the log only
    records as checked is the desk's own word, and is not counted.
    """
    newest = None
    for path in witness_receipts(store, _places(store)):
        try:
            check = check_receipt(store, path)
        except InvalidInput:
            continue
        if check.ok and (newest is None or check.entries > newest):
            newest = check.entries
    return newest


def _restored_after(store: CaseStore, made: str) -> int | None:
    """The signed restore entry made after a receipt, which explains a head the log no longer holds."""
    from desktop.store.signatures import parse_time

    when = parse_time(made)
    if when is None:
        return None
    for seq, at in store.signed_restores():
        restored = parse_time(at)
        if restored is not None and restored >= when:
            return seq
    return None


def _after(store: CaseStore, entry: int, after: tuple[int, int], report_witness: Any) -> tuple[int, int]:
    if report_witness is not None and report_witness.entries == entry:
        return after
    return store.entries_after(entry)


def _age(made: str, now: dt.datetime) -> str:
    from desktop.store.signatures import parse_time

    when = parse_time(made)
    if when is None:
        return "of an unreadable date"
    days = (now - when).days
    if days <= 0:
        return "today"
    return f"{days} day{'s' if days != 1 else ''} ago"
