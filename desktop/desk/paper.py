"""The paper side of the desk: checking a memo file against the log it claims to come from."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop.desk.results import MemoCheck

if TYPE_CHECKING:
    from desktop.records import CaseRecord
    from desktop.store import CaseStore


def verify_memo(store: CaseStore, memo: Path) -> MemoCheck:
    """Does this log hold the exact record the memo names, with the chain head it printed still in it?

    Raises MemoError when the file is not readable as a memo.
    """
    from desktop.memo import read_memo_stamp
    from desktop.store import CaseNotFound

    stamp = read_memo_stamp(memo)
    try:
        record: CaseRecord | None = store.get(stamp.case_number)
    except CaseNotFound:
        record = None
    head_seq = store.chain_position(stamp.chain_head)
    recorded_seq = store.chain_position_of_record(stamp.record_hash)
    version = None
    if record is not None:
        version = next((v for v in record.versions if v.version == stamp.version), None)
    # The chain head printed on the paper is the outside witness: it must still be in the chain, at or
    # after this version's own entry. If not, the log was rewritten or replaced after printing.
    head_ok = head_seq is not None and recorded_seq is not None and head_seq >= recorded_seq
    matches = version is not None and version.record_hash == stamp.record_hash and head_ok
    if record is None:
        verdict = f"case {stamp.case_number} is not in this log"
    elif version is None:
        verdict = f"case {stamp.case_number} has no version {stamp.version} in this log"
    elif version.record_hash != stamp.record_hash:
        verdict = f"the memo's record hash does not match case {stamp.case_number} version {stamp.version} in the log"
    elif not head_ok:
        verdict = (
            "the audit chain head printed on the memo is not in this log's chain after the record: the log was "
            "rewritten or replaced after the memo was printed"
        )
    else:
        assert record is not None
        current = "" if version is record.current else f" (a newer version {record.current.version} exists)"
        verdict = f"the log holds this exact record: case {stamp.case_number} version {stamp.version}{current}"
    return MemoCheck(memo, stamp.case_number, stamp.version, stamp.record_hash, matches, verdict)
