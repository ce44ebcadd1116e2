"""The printable decision memo (reportlab), and reading a memo's stamp back to check it against the log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.memo.stamp import MemoError, MemoStamp, read_memo_stamp

if TYPE_CHECKING:
    from desktop.records import CaseRecord
    from desktop.rules import Decision, Intake
    from desktop.rules.pack import Pack

__all__ = ["MemoError", "MemoStamp", "read_memo_stamp", "render_draft", "render_memo"]


# reportlab takes about 130 ms to import: it is loaded on the first memo, not when the app starts.


def render_memo(record: CaseRecord, pack: Pack, *, chain_head: str, admin_fingerprint: str | None = None) -> bytes:
    """The memo of `record.current` as PDF bytes (see desktop.memo.render.render_memo)."""
    from desktop.memo import render

    return render.render_memo(record, pack, chain_head=chain_head, admin_fingerprint=admin_fingerprint)


def render_draft(intake: Intake, decision: Decision, pack: Pack, *, officer: str | None = None) -> bytes:
    """A preview of a decision not yet recorded, marked DRAFT - NOT RECORDED (see desktop.memo.render)."""
    from desktop.memo import render

    return render.render_draft(intake, decision, pack, officer=officer)
