"""Tests for desktop.memo.stamp: read_memo_stamp reads a memo back, and refuses what is not a recorded memo."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from desktop.memo import MemoError, MemoStamp, read_memo_stamp, render_draft
from desktop.memo.stamp import parse_stamp
from desktop.records import CaseRecord
from desktop.rules import parse_intake
from desktop.rules.pack import Pack
from tests.unit.memo import samples
from tests.unit.memo.conftest import Memo


def rewrite(pdf: bytes, metadata: dict[str, str] | None) -> bytes:
    """The same PDF with its document information replaced (None: removed)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.metadata = None
    if metadata is not None:
        writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_stamp_round_trips_from_bytes_and_from_a_file(tmp_path: Path, decline: CaseRecord, decline_memo: Memo) -> None:
    expected = MemoStamp("2026-000123", 1, decline.current.record_hash, samples.CHAIN_HEAD)
    assert read_memo_stamp(decline_memo.pdf) == expected
    path = tmp_path / "memo.pdf"
    path.write_bytes(decline_memo.pdf)
    assert read_memo_stamp(path) == expected
    assert read_memo_stamp(str(path)) == expected


def test_stamp_of_an_amended_case_is_its_current_version(pack: Pack, render) -> None:
    record = samples.amended(pack)
    stamp = read_memo_stamp(render(record).pdf)
    assert (stamp.case_number, stamp.version, stamp.record_hash) == ("2026-000123", 2, record.current.record_hash)


def test_stamp_text_parses_back() -> None:
    stamp = MemoStamp("2026-000123", 12, "a" * 64, "b" * 64)
    assert stamp.to_text() == f"safedesk-memo;case=2026-000123;version=12;record={'a' * 64};chain={'b' * 64}"
    assert parse_stamp(stamp.to_text()) == stamp
    assert stamp.qr_text() == f"SAFEDESK|2026-000123|v12|{'a' * 64}"
    for broken in ("", "safedesk-memo;case=1", stamp.to_text().replace("version=12", "version=0")):
        assert parse_stamp(broken) is None


def test_a_memo_without_metadata_is_read_from_its_footer(decline: CaseRecord, decline_memo: Memo) -> None:
    stripped = rewrite(decline_memo.pdf, None)
    assert PdfReader(io.BytesIO(stripped)).metadata in (None, {})
    assert read_memo_stamp(stripped) == read_memo_stamp(decline_memo.pdf)


def test_metadata_that_disagrees_with_the_footer_is_refused(decline_memo: Memo) -> None:
    stamp = read_memo_stamp(decline_memo.pdf)
    forged = MemoStamp(stamp.case_number, stamp.version, samples.fake_hash("forged"), stamp.chain_head)
    with pytest.raises(MemoError, match="disagree"):
        read_memo_stamp(rewrite(decline_memo.pdf, {"/Subject": forged.to_text()}))


def test_a_draft_is_refused(pack: Pack, tmp_path: Path) -> None:
    intake = samples.scenario_intake(samples.DECLINE)
    draft = render_draft(parse_intake(intake), samples.decision_of(intake, pack), pack)
    with pytest.raises(MemoError, match="draft"):
        read_memo_stamp(draft)
    # also when its metadata is gone: the printed DRAFT mark gives it away
    with pytest.raises(MemoError, match="draft"):
        read_memo_stamp(rewrite(draft, None))


def test_a_file_that_is_not_a_pdf_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MemoError, match="not a PDF"):
        read_memo_stamp(b"case 2026-000123, record sha256 ...")
    text = tmp_path / "memo.pdf"
    text.write_text("not really a PDF", encoding="utf-8")
    with pytest.raises(MemoError, match="not a PDF"):
        read_memo_stamp(text)
    with pytest.raises(MemoError, match="cannot be read"):
        read_memo_stamp(tmp_path / "missing.pdf")


def test_an_unrelated_pdf_is_refused() -> None:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_metadata({"/Subject": "Quarterly report", "/Title": "Budget"})
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(MemoError, match="not a Safe Communities Desk memo"):
        read_memo_stamp(out.getvalue())


def test_a_damaged_memo_is_refused_in_one_message(decline_memo: Memo, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(MemoError, match="damaged"):
        read_memo_stamp(decline_memo.pdf[: len(decline_memo.pdf) // 2])
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]  # no stray warnings on standard error


def test_memo_error_is_a_value_error() -> None:
    assert issubclass(MemoError, ValueError)


def test_free_text_that_looks_like_a_footer_or_a_draft_does_not_fool_the_reader(pack: Pack, render) -> None:
    decoy = MemoStamp("2025-000001", 7, samples.fake_hash("decoy"), samples.fake_hash("decoy chain"))
    text = (
        "DRAFT - NOT RECORDED: a preview, not a record of the City. "
        f"Case {decoy.case_number}, version 7 of 9. Record sha256: {decoy.record_hash} "
        f"Audit chain head: {decoy.chain_head}"
    )
    record = samples.single(pack, samples.DECLINE, requester_name=text)
    memo = render(record)
    assert decoy.record_hash in memo.pages[0] and decoy.chain_head in memo.pages[0]  # the decoy is on page 1
    expected = MemoStamp("2026-000123", 1, record.current.record_hash, samples.CHAIN_HEAD)
    assert read_memo_stamp(memo.pdf) == expected
    assert read_memo_stamp(rewrite(memo.pdf, None)) == expected
