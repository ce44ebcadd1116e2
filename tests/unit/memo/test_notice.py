"""The notice to the person as a PDF, read back in every language: the right sentences in the person's
language, no English in that column where a translation exists, ñ/ã/ç intact, the unofficial banner, the
stamp and the QR code."""

from __future__ import annotations

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from desktop.memo.kit import BODY_WIDTH, MARGIN_X, PAGE_HEIGHT
from desktop.memo.notice import NoticeStamp, notice_hash, parse_notice_stamp, render_notice
from desktop.memo.page import FOOTER_TOP
from desktop.memo.stamp import MemoError
from desktop.rules import decide, load_pack, parse_intake
from desktop.rules.notice import ComposedNotice, NoticeFacts, compose
from tests.conftest import PACK_DIR, ROOT
from tests.unit.memo.conftest import norm

EXAMPLES = ROOT / "tests" / "data" / "examples"
CASE = "2026-000123"
RECORD = "ab" * 32
OFFICER = "Off. José Núñez #412"
# S01 a detainer and a release-date request; S04 a judicial warrant; S17 and S31 referrals to the Solicitor
# (a transfer order for a civil purpose; a grand jury subpoena).
CASES = ("S01", "S04", "S17", "S31")
LANGUAGES = ("en", "es", "pt_BR")


@pytest.fixture(scope="module")
def pack():
    return load_pack(PACK_DIR)


def _facts(pack, name: str) -> NoticeFacts:
    data = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    intake = parse_intake(data.get("intake", data))
    return NoticeFacts(
        case_number=CASE,
        version=1,
        intake=intake,
        decision=decide(intake, pack),
        drawn_at=dt.datetime(2026, 1, 14, 9, 5, tzinfo=ZoneInfo("America/New_York")),
        officer=OFFICER,
    )


def _stamp(pack, code: str) -> NoticeStamp:
    text = pack.notice.text_sha256(code)
    return NoticeStamp(CASE, 1, code, RECORD, text, notice_hash(CASE, 1, RECORD, code, text, "t", OFFICER))


def _render(pack, name: str, code: str) -> tuple[ComposedNotice, bytes]:
    notice = compose(pack.notice, code, _facts(pack, name))
    return notice, render_notice(notice, _stamp(pack, code))


def _column_text(pdf: bytes, left: float, right: float) -> str:
    """The body's text between x = left and x = right (points), above the stamp band, every page."""
    document = pdfium.PdfDocument(pdf)
    try:
        parts = []
        for page in document:
            text = page.get_textpage()
            parts.append(text.get_text_bounded(left=left, bottom=FOOTER_TOP, right=right, top=PAGE_HEIGHT))
        return norm(" ".join(parts))
    finally:
        document.close()


def _all_text(pdf: bytes) -> str:
    return norm(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("code", LANGUAGES)
def test_each_language_prints_its_own_sentences_and_no_english_in_its_column(pack, name: str, code: str) -> None:
    notice, pdf = _render(pack, name, code)
    english = pack.notice.languages["en"]
    language = notice.language
    wanted = [language.codes[c] for c in _codes(pack, name)]
    middle = MARGIN_X + BODY_WIDTH / 2
    column = _column_text(pdf, 0, middle) if notice.beside is not None else _column_text(pdf, 0, 10_000)
    for sentence in wanted:
        assert norm(sentence) in column, sentence
    for kind, text in notice.words.blocks():
        assert norm(text) in column, (kind, text)
    if code != "en":
        # no English line in the person's column: every English sentence, heading and line differs there
        for text in (*english.codes.values(), english.lines["title"], english.lines["intro"], english.lines["closing"]):
            assert norm(text) not in column, text
        # and the English beside it, under its own banner
        beside = _column_text(pdf, middle, 10_000)
        assert norm(english.lines["banner"]) in beside
        assert all(norm(english.codes[c]) in beside for c in _codes(pack, name))
        assert norm(language.lines["banner"]) in column


def _codes(pack, name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.code for r in _facts(pack, name).decision.responses))


def test_accents_print_intact_and_the_banner_says_unofficial(pack) -> None:
    _notice, spanish = _render(pack, "S01", "es")
    text = _all_text(spanish)
    assert "Traducción no oficial" in text and "Número de fichaje" in text and "Núñez" in text
    _notice, portuguese = _render(pack, "S17", "pt_BR")
    text = _all_text(portuguese)
    assert "Tradução não oficial" in text and "não prolongará sua custódia" in text
    assert "Município" in text and "fiscalização migratória" in text
    assert "ç" in text and "ã" in text
    _notice, english = _render(pack, "S01", "en")
    text = _all_text(english)
    assert "unofficial" not in text.lower() and "Traducción" not in text


def test_the_stamp_is_in_the_metadata_and_the_band_in_the_language(pack) -> None:
    _notice, pdf = _render(pack, "S04", "pt_BR")
    reader = PdfReader(io.BytesIO(pdf))
    stamp = parse_notice_stamp(str(reader.metadata.subject))
    assert stamp == _stamp(pack, "pt_BR")
    text = _all_text(pdf)
    assert "Página 1 de 1" in text and "Page 1 of" not in text
    assert f"Código de verificação: {stamp.notice_sha256}" in text
    assert f"Notice text (pt_BR) sha256: {stamp.text_sha256}" in text


def test_the_same_serving_gives_the_same_bytes_and_another_serving_other_bytes(pack) -> None:
    notice, first = _render(pack, "S01", "es")
    assert render_notice(notice, _stamp(pack, "es")) == first
    other = _stamp(pack, "es")
    other = NoticeStamp(CASE, 1, "es", RECORD, other.text_sha256, "cd" * 32)
    assert render_notice(notice, other) != first


def test_a_stamp_in_another_language_or_a_bad_case_number_is_refused(pack) -> None:
    notice, _pdf = _render(pack, "S01", "es")
    with pytest.raises(MemoError, match="the stamp says 'en' but the notice is in 'es'"):
        render_notice(notice, _stamp(pack, "en"))
    bad = NoticeStamp("no spaces", 1, "es", RECORD, RECORD, RECORD)
    with pytest.raises(MemoError, match="cannot be stamped"):
        render_notice(notice, bad)


def test_the_qr_code_carries_the_serving_and_sits_where_a_scan_is_read(pack) -> None:
    from desktop.memo.page import qr_modules
    from desktop.memo.scan import AGREEMENT, qr_pictures

    _notice, pdf = _render(pack, "S17", "es")
    stamp = _stamp(pack, "es")
    assert stamp.qr_text() == f"SAFEDESK-NOTICE|{CASE}|v1|es|{stamp.notice_sha256}"
    (picture,) = qr_pictures(pdf)
    assert picture is not None
    assert picture.agreement(qr_modules(stamp.qr_text())) > 0.99
    other = NoticeStamp(CASE, 1, "es", RECORD, stamp.text_sha256, "cd" * 32)
    assert picture.agreement(qr_modules(other.qr_text())) < AGREEMENT  # another serving's code is not this one
