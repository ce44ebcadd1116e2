"""The notice to the person in the policy pack: its words per language, what reading the pack refuses, a
notice in words for real cases."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from desktop.rules import PackError, decide, parse_intake
from desktop.rules.notice import (
    INTENT_ONLY,
    SOURCE,
    UNOFFICIAL,
    NoticeError,
    NoticeFacts,
    compose,
    language_lines,
)
from desktop.rules.reader import parse_pack
from tests.conftest import PACK_DIR, ROOT

EXAMPLES = ROOT / "tests" / "data" / "examples"
NEW_YORK = ZoneInfo("America/New_York")

# Each code's sentence was checked against every rule that gives the code (the rule's words, its variants,
# and every requester it can answer): a pack that gives a code from another rule fails here until the
# sentence is checked against that rule too.
CHECKED_AGAINST: dict[str, set[str]] = {
    "PROCESS_BENEFIT": {"D1"},
    "PROCESS_MANDATORY": {"D22"},
    "NOT_COVERED": {"D9s", "D9c", "D9"},
    "NOT_IN_CUSTODY": {"D9c-out", "D10"},
    "LOG_ONLY": {"D0"},
    "HONOR_JUDICIAL": {"D2", "D3"},
    "REFER_COUNSEL": {"D2u", "D4", "D6", "D7", "D8-HSI", "D8-MIXED", "D14m", "D15", "D17", "D23", "D99"},
    "COMPLY_LEGAL_PROCESS": {"D5"},
    "NO_HOLD": {"D11"},
    "HOLD_OTHER_BASIS": {"D12"},
    "DECLINE_NOTIFY": {"D13", "D13o"},
    "STATUS_ONLY": {"D14"},
    "DECLINE_INFO": {"D16"},
    "DECLINE_ACCESS": {"D18"},
    "DECLINE_TRANSFER": {"D19"},
    "DECLINE_FUNCTION": {"D20"},
    "NO_STATUS_INQUIRY": {"D21"},
}


def _raw() -> bytes:
    return (PACK_DIR / "pack.toml").read_bytes()


def _parse(raw: bytes):
    return parse_pack(raw, Path("edited.toml"))


def _facts(pack, name: str, drawn_at: dt.datetime | None = None) -> NoticeFacts:
    data = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    intake = parse_intake(data.get("intake", data))
    return NoticeFacts(
        case_number="2026-000123",
        version=1,
        intake=intake,
        decision=decide(intake, pack),
        drawn_at=drawn_at or dt.datetime(2026, 1, 14, 9, 5, tzinfo=NEW_YORK),
        officer="Off. José Núñez #412",
    )


def test_northampton_gives_intent_only_in_three_languages_awaiting_review(pack) -> None:
    notice = pack.notice
    assert notice.holds == INTENT_ONLY and notice.awaiting_review and notice.gives_notice
    assert list(notice.languages) == ["en", "es", "pt_BR"]
    assert notice.languages["en"].status == SOURCE
    assert {notice.languages[c].status for c in ("es", "pt_BR")} == {UNOFFICIAL}
    assert language_lines(notice) == [
        "en English: the pack's own text",
        "es Español: unofficial translation",
        "pt_BR Português (Brasil): unofficial translation",
    ]


def test_every_code_sentence_was_checked_against_every_rule_that_gives_it(pack) -> None:
    given: dict[str, set[str]] = {}
    for rule in pack.rules:
        given.setdefault(rule.code, set()).add(rule.id)
    assert given == {code: rules for code, rules in CHECKED_AGAINST.items() if code in given}
    for language in pack.notice.languages.values():
        assert set(language.codes) == set(CHECKED_AGAINST)


def test_no_line_asks_or_tells_nationality_birth_or_status_of_the_person(pack) -> None:
    words = json.dumps([lang.to_dict() for lang in pack.notice.languages.values()], ensure_ascii=False).lower()
    for banned in ("nationality", "nacionalidad", "nacionalidade", "born", "nacido", "nascido", "country of"):
        assert banned not in words
    # a consulate is "a foreign consulate", never "your consulate" (that would say whose national the person is)
    for language in pack.notice.languages.values():
        assert not re.search(r"\b(your|su|seu) consul", language.senders["consulate"], re.IGNORECASE)


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (  # a response code missing from Spanish
            lambda raw: re.sub(rb'(?m)^LOG_ONLY = "La Ciudad.*\n', b"", raw),
            "notice.languages.es.codes: no words for LOG_ONLY",
        ),
        (  # a placeholder that differs from English
            lambda raw: raw.replace("Número do caso: {case}".encode(), "Número do caso: {caso}".encode()),
            "notice.languages.pt_BR.case: placeholders {caso} differ from English's {case}",
        ),
        (  # the English line itself with a placeholder the line does not take
            lambda raw: raw.replace(b'"Case number: {case}"', b'"Case number: {case} {name}"'),
            "notice.languages.en.case: placeholders {case}, {name}; this line takes {case}",
        ),
        (
            lambda raw: raw.replace(b'holds = "intent_only"', b'holds = "everything"'),
            "notice.holds: unknown setting 'everything'",
        ),
        (
            lambda raw: raw.replace(b'status = "unofficial"', b'status = "machine"', 1),
            "notice.languages.es.status: unknown status 'machine'",
        ),
        (
            lambda raw: raw.replace(b'status = "unofficial"', b'status = "certified"', 1),
            "notice.languages.es.translator: missing or empty",
        ),
        (
            lambda raw: raw.replace(b"[notice.languages.pt_BR", b"[notice.languages.xx_YY"),
            "'xx_YY' is not a language code",
        ),
        (
            lambda raw: raw.replace('banner = "Tradução'.encode(), 'bannner = "Tradução'.encode()),
            "notice.languages.pt_BR.bannner: unknown key",
        ),
        (  # an unofficial translation must say so
            lambda raw: re.sub(rb'(?m)^banner = "Traducci.*\n', b"", raw),
            "notice.languages.es.banner: missing or empty",
        ),
        (
            lambda raw: raw.replace(b'fax = "por fax"\nemail = "por correo', b'fax = "{x}"\nemail = "por correo'),
            "notice.languages.es.channels.fax: takes no {placeholders}",
        ),
        (
            lambda raw: raw.replace(b'closing = "Keep this notice.', b'closing = "AMB-8: Keep this notice.'),
            "a notice names no response code or open question",
        ),
        (
            lambda raw: raw.replace(b'source = "en"', b'source = "fr"'),
            "notice.source: no [notice.languages.fr] table",
        ),
    ],
)
def test_pack_validation_refuses_a_bad_notice(edit, words: str) -> None:
    raw = _raw()
    edited = edit(raw)
    assert edited != raw
    with pytest.raises(PackError, match=re.escape(words)):
        _parse(edited)


def test_a_certified_translation_names_its_translator_and_date() -> None:
    raw = _raw().replace(
        b'name = "Espa\xc3\xb1ol"\nstatus = "unofficial"',
        'name = "Español"\nstatus = "certified"\ntranslator = "Ana Ruiz"\ncertified_on = 2026-03-01'.encode(),
    )
    notice = _parse(raw).notice
    spanish = notice.languages["es"]
    assert spanish.status_words == "certified translation by Ana Ruiz on 2026-03-01"
    assert notice.beside(spanish) is None  # a certified translation prints alone, without a banner
    assert "banner" not in spanish.lines


def test_a_pack_without_a_notice_gives_none_and_says_so() -> None:
    bare = _parse(re.sub(rb"(?ms)^# The notice to the person.*", b"", _raw()))
    assert not bare.notice.gives_notice
    with pytest.raises(NoticeError, match="gives no notice"):
        bare.notice.language("en")


def test_a_missing_language_is_refused_never_replaced(pack) -> None:
    with pytest.raises(NoticeError, match=r"no notice in 'fr'; it has en, es, pt_BR"):
        compose(pack.notice, "fr", _facts(pack, "S01"))


def test_s01_in_spanish_and_english_beside(pack) -> None:
    notice = compose(pack.notice, "es", _facts(pack, "S01"))
    spanish, english = notice.words, notice.beside
    assert english is not None and english.language.code == "en"
    es = pack.notice.languages["es"]
    assert spanish.sentences == (es.codes["NO_HOLD"], es.codes["DECLINE_NOTIFY"])
    assert spanish.banner.startswith("Traducción no oficial")
    assert english.banner.startswith("English: the City's own text")
    assert spanish.person_line == "Nombre: DOE, JOHN" and spanish.booking_line == "Número de fichaje: 26-000187"
    assert spanish.received_line.startswith("Recibida: 13 de enero de 2026, 22:18")
    assert spanish.served_line == "Entregado el 14 de enero de 2026, 9:05 por Off. José Núñez #412."
    assert english.received_line.startswith("Received: January 13, 2026")
    # the two languages print the same blocks in the same order, so they sit side by side
    assert [k for k, _ in spanish.blocks()] == [k for k, _ in english.blocks()]
    assert "no incluye una copia" in spanish.copy_line


def test_portuguese_dates_and_a_referral(pack) -> None:
    notice = compose(pack.notice, "pt_BR", _facts(pack, "S17"))
    pt = pack.notice.languages["pt_BR"]
    assert notice.words.sentences == (pt.codes["REFER_COUNSEL"],)  # one sentence per code, given twice
    assert "de janeiro de 2026" in notice.words.served_line or "de 2026" in notice.words.served_line
    assert notice.words.title == pt.lines["title"]


def test_english_prints_alone(pack) -> None:
    notice = compose(pack.notice, "en", _facts(pack, "S04"))
    assert notice.beside is None and notice.words.banner == ""
    assert notice.words.sentences == (pack.notice.languages["en"].codes["HONOR_JUDICIAL"],)


def test_the_text_hash_covers_the_words_printed(pack) -> None:
    hashes = {code: pack.notice.text_sha256(code) for code in pack.notice.languages}
    assert len(set(hashes.values())) == 3
    changed = _parse(_raw().replace(b"Keep this notice.", b"Keep this notice safe.")).notice
    assert changed.text_sha256("en") != hashes["en"]
    assert changed.text_sha256("es") != hashes["es"]  # the English printed beside Spanish changed
    assert changed.text_sha256("en") == changed.text_sha256("en")


def test_a_notice_that_holds_a_copy_is_never_printed_without_one(pack) -> None:
    raw = _raw().replace(b'holds = "intent_only"', b'holds = "copy_and_intent"')
    with pytest.raises(PackError, match=re.escape("notice.languages.en.copy: missing or empty")):
        _parse(raw)
    # each language's no_copy line (en, es, pt_BR in that order) becomes its copy and copy_missing lines
    copy_lines = iter(
        [
            ("A copy of the request follows.", "No copy of the request is attached."),
            ("Sigue una copia de la solicitud.", "No se adjunta copia de la solicitud."),
            ("Segue uma cópia do pedido.", "Nenhuma cópia do pedido está anexada."),
        ]
    )

    def both(_match: re.Match[bytes]) -> bytes:
        copy, missing = next(copy_lines)
        return f'copy = "{copy}"\ncopy_missing = "{missing}"'.encode()

    settings = _parse(re.sub(rb"(?m)^no_copy = .*$", both, raw)).notice
    facts = _facts(pack, "S01")
    with pytest.raises(NoticeError, match="no copy was given"):
        compose(settings, "es", facts)
    with_copy = compose(settings, "es", dataclasses.replace(facts, copy_pages=2))
    assert with_copy.words.copy_line == "Sigue una copia de la solicitud."
