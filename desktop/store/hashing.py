"""Canonical encoding and the hashes that make the log tamper-evident."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Final

GENESIS_HASH: Final = "0" * 64


def canonical(value: Any) -> str:
    """One fixed text for a JSON value: sorted keys, no spaces, UTF-8; the input to every hash."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_text(text: str) -> str:
    """SHA-256 of the text's UTF-8 bytes. Bytes that were never UTF-8 (read back by `verify` as
    surrogate escapes) hash as the very bytes stored, so a bad byte is a mismatch, never a crash."""
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


RECORD_FIELDS: Final = (
    "case_number",
    "version",
    "intake",
    "decision",
    "policy_sha256",
    "officer",
    "desk",
    "received_at",
    "recorded_at",
    "recorded_zone",
    "status",
    "amendment_reason",
    "override",
    "previous_hash",
)


def record_hash(record: Mapping[str, Any]) -> str:
    """The hash of one case version, over every field that says what was decided, when and by whom.

    For an amendment `previous_hash` is the hash of the version it replaces, so versions chain too.
    """
    missing = [f for f in RECORD_FIELDS if f not in record]
    if missing:
        raise KeyError(f"record is missing {', '.join(missing)}")
    return sha256_text(canonical({f: record[f] for f in RECORD_FIELDS}))


ENTRY_FIELDS: Final = ("seq", "at", "kind", "case_number", "version", "actor", "detail", "record_hash")


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    """SHA-256(previous entry's hash ‖ canonical entry): each audit entry seals all before it.

    A signed entry also seals the id of the key that signed it (`signer`), and an entry that sets
    something (an account's standing, a setting, the numbering floor: `state`) seals what it sets; an
    entry with neither has the hash it always had.
    """
    fields = {f: entry[f] for f in ENTRY_FIELDS}
    if entry.get("signer"):
        fields["signer"] = entry["signer"]
    if entry.get("state") is not None:
        fields["state"] = entry["state"]
    return sha256_text(prev_hash + canonical(fields))
