"""render_memo and render_draft: a recorded case version, or a decision not yet recorded, as a letter-size PDF."""

from __future__ import annotations

from reportlab.platypus import Flowable

from desktop.memo.body import MemoContent, memo_story
from desktop.memo.fonts import register_fonts
from desktop.memo.kit import AUTHOR, BODY_WIDTH, build_pdf
from desktop.memo.page import BODY_BOTTOM, PageMarks, draw_page_start, finish_page
from desktop.memo.stamp import CASE_NUMBER, DRAFT_MARK, DRAFT_STAMP, MemoError, MemoStamp
from desktop.records import CaseRecord
from desktop.rules import Decision, Intake
from desktop.rules.pack import Pack

CREATOR = f"{AUTHOR} (desktop.memo)"
_HEX = frozenset("0123456789abcdef")


def _check_hash(name: str, value: str) -> None:
    if len(value) != 64 or not set(value) <= _HEX:
        raise MemoError(f"{name} must be a sha256 in lowercase hex (64 characters), got {value!r}")


def _check_pack(decision: Decision, pack: Pack) -> None:
    decided_under = decision.policy_sha256
    if decided_under and decided_under != pack.sha256:
        raise MemoError(
            f"the decision was made under policy pack sha256 {decided_under}, but the memo was given pack "
            f"{pack.id} {pack.version} (sha256 {pack.sha256}); load the pack the case was decided under, "
            "so the memo quotes the ordinance text that was applied"
        )


def _build(story: list[Flowable], marks: PageMarks, *, title: str, subject: str) -> bytes:
    """The memo's PDF; its stamp (or the draft's) is the Subject and the one keyword, for read_memo_stamp."""
    return build_pdf(
        story,
        body_bottom=BODY_BOTTOM,
        finish=finish_page(marks),
        start=lambda canvas, page: draw_page_start(canvas, marks, page),
        template="memo",
        title=title,
        author=AUTHOR,
        subject=subject,
        creator=CREATOR,
        keywords=[subject],
    )


def render_memo(record: CaseRecord, pack: Pack, *, chain_head: str, admin_fingerprint: str | None = None) -> bytes:
    """The memo of `record.current`, the latest version, as PDF bytes.

    `pack` is the pack the decision was made under; `chain_head` is the audit chain head at printing;
    `admin_fingerprint`, when given, is printed in every page's footer ("Admin key FFFF FFFF ...").
    The same record, pack, chain head and fingerprint always give the same bytes.

    Raises:
        MemoError: the record has no versions, its case number or a hash is malformed, or the pack is not the
            one the case was decided under.
    """
    if not record.versions:
        raise MemoError(f"case {record.case_number} has no recorded version to print")
    version = record.current
    if not CASE_NUMBER.match(version.case_number):
        raise MemoError(
            f"case number {version.case_number!r} cannot be stamped on a memo: use letters, digits and - . / _ only"
        )
    _check_hash("the record hash", version.record_hash)
    _check_hash("the audit chain head", chain_head)
    _check_pack(version.decision, pack)
    register_fonts()
    stamp = MemoStamp(version.case_number, version.version, version.record_hash, chain_head)
    content = MemoContent(
        intake=version.intake,
        decision=version.decision,
        pack=pack,
        officer=version.officer,
        version=version,
        versions=record.versions,
    )
    marks = PageMarks(
        draft=False,
        heading=pack.department.name,
        case_number=version.case_number,
        version=version.version,
        version_count=len(record.versions),
        record_hash=version.record_hash,
        chain_head=chain_head,
        qr_text=stamp.qr_text(),
        admin_fingerprint=admin_fingerprint or "",
    )
    story = memo_story(content, BODY_WIDTH)
    title = f"Case {version.case_number} — response to a federal immigration request"
    return _build(story, marks, title=title, subject=stamp.to_text())


def render_draft(intake: Intake, decision: Decision, pack: Pack, *, officer: str | None = None) -> bytes:
    """A preview of a decision not yet recorded: the memo's layout, marked DRAFT - NOT RECORDED on every page.

    Raises:
        MemoError: the pack is not the one the decision was made under.
    """
    _check_pack(decision, pack)
    register_fonts()
    content = MemoContent(intake=intake, decision=decision, pack=pack, officer=officer)
    story = memo_story(content, BODY_WIDTH)
    title = f"{DRAFT_MARK} — response to a federal immigration request"
    return _build(story, PageMarks(draft=True), title=title, subject=DRAFT_STAMP)
