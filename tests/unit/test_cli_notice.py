"""`notice CASE --lang L -o FILE`: the notice to the person served through the command line, audited, and
checked by `verify-memo` (a true one, a forged one, one the log never served, one a later version outdated)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from desktop.memo.notice import NoticeStamp, parse_notice_stamp, render_notice
from desktop.rules import load_pack
from desktop.rules.notice import compose
from tests.conftest import PACK_DIR
from tests.unit.cli_run import S01, invoke
from tests.unit.conftest import as_user

REFERRED = {
    **S01,
    "documents": [{"kind": "state_court_order", "signer": "state_judge", "verified": True}],
}


def _text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def _case(env, intake_file: Path) -> str:
    return invoke(env, "record", str(intake_file), "--confirm", "open-case").stdout.strip()


def _notice_entries(env, case: str) -> list[dict]:
    done = invoke(as_user(env, "sgt.jones"), "--json", "audit", "--case", case, "--kind", "notice")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["entries"]


def test_a_notice_in_spanish_is_served_audited_and_verified(env, intake_file: Path, tmp_path: Path) -> None:
    case = _case(env, intake_file)
    out = tmp_path / "notice.pdf"
    done = invoke(env, "--json", "notice", case, "--lang", "es", "-o", str(out), "--no-encrypt")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["language"] == "es"
    text = _text(out)
    spanish = load_pack(PACK_DIR).notice.languages["es"]
    assert spanish.codes["NO_HOLD"] in text and "Traducción no oficial" in text and case in text
    (entry,) = _notice_entries(env, case)
    stamp = parse_notice_stamp(str(PdfReader(out).metadata.subject))
    assert stamp is not None and stamp.case_number == case and stamp.language == "es"
    assert entry["detail"].startswith(
        "notice to the person of version 1 served in es (Español, unofficial translation)"
    )
    assert f"pack text sha256 {load_pack(PACK_DIR).notice.text_sha256('es')}" in entry["detail"]
    assert f"notice sha256 {stamp.notice_sha256}" in entry["detail"]
    assert "not encrypted (--no-encrypt" in entry["detail"]
    checked = invoke(env, "--json", "verify-memo", str(out))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    said = json.loads(checked.stdout)
    assert said["matches"] and said["kind"] == "identical" and "the very notice served" in said["verdict"]
    # the serving's entry is signed and chained like every other: the whole log still verifies
    verified = invoke(env, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_an_admin_alone_does_not_serve_a_notice(env, intake_file: Path, tmp_path: Path) -> None:
    case = _case(env, intake_file)
    out = tmp_path / "notice.pdf"
    refused = invoke(as_user(env, "admin"), "notice", case, "--lang", "es", "-o", str(out), "--no-encrypt")
    assert refused.returncode == 2 and "may not serve a notice to the person" in refused.stderr
    assert not out.exists() and _notice_entries(env, case) == []


def test_a_language_the_pack_lacks_is_refused_in_one_line_and_nothing_is_written(
    env, intake_file: Path, tmp_path: Path
) -> None:
    case = _case(env, intake_file)
    out = tmp_path / "notice.pdf"
    refused = invoke(env, "notice", case, "--lang", "fr", "-o", str(out), "--no-encrypt")
    assert refused.returncode == 2
    assert refused.stderr.strip().count("\n") == 0 and "no notice in 'fr'; it has en, es, pt_BR" in refused.stderr
    assert "Traceback" not in refused.stderr and not out.exists()
    assert _notice_entries(env, case) == []
    # outside the data folder, neither a passphrase nor --no-encrypt: refused as a memo is, before drawing
    sealed = invoke(env, "notice", case, "--lang", "pt_BR", "-o", str(out))
    assert sealed.returncode == 2 and "outside the data folder" in sealed.stderr and not out.exists()


def test_a_forged_notice_and_one_never_served_are_refused(env, intake_file: Path, tmp_path: Path) -> None:
    case = _case(env, intake_file)
    out = tmp_path / "notice.pdf"
    assert invoke(env, "notice", case, "--lang", "pt_BR", "-o", str(out), "--no-encrypt").returncode == 0
    stamp = parse_notice_stamp(str(PdfReader(out).metadata.subject))
    assert stamp is not None
    pack = load_pack(PACK_DIR)
    # the same stamp on other words: "the City will keep you" where the served notice said it will not
    served = _served_words(pack, stamp)
    forged_words = dataclasses.replace(
        served.words, sentences=("O Município manterá você sob custódia para a imigração.", *served.words.sentences[1:])
    )
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(render_notice(dataclasses.replace(served, words=forged_words), stamp))
    checked = invoke(env, "--json", "verify-memo", str(forged))
    assert checked.returncode == 1
    assert json.loads(checked.stdout)["kind"] == "differs"
    # the served notice with its metadata stripped: read by its printed band, the same words in other bytes
    stripped = tmp_path / "stripped.pdf"
    writer = PdfWriter()
    for page in PdfReader(out).pages:
        writer.add_page(page)
    writer.write(stripped)
    checked = invoke(env, "--json", "verify-memo", str(stripped))
    assert checked.returncode == 5, checked.stdout  # same text, other bytes
    assert json.loads(checked.stdout)["kind"] == "same-text"
    # its metadata naming another serving than its band: altered
    relabelled = tmp_path / "relabelled.pdf"
    writer.add_metadata({"/Subject": dataclasses.replace(stamp, notice_sha256="1" * 64).to_text()})
    writer.write(relabelled)
    checked = invoke(env, "--json", "verify-memo", str(relabelled))
    assert checked.returncode == 1 and json.loads(checked.stdout)["kind"] == "altered"
    # a stamp whose hash no serving in this log carries
    never = tmp_path / "never.pdf"
    never.write_bytes(render_notice(served, dataclasses.replace(stamp, notice_sha256="0" * 64)))
    checked = invoke(env, "verify-memo", str(never))
    assert (
        checked.returncode == 1 and checked.stdout.startswith("MISMATCH: ") and "no notice with hash" in checked.stdout
    )


def test_a_notice_outdated_by_a_later_version_says_so(env, intake_file: Path, tmp_path: Path) -> None:
    case = _case(env, intake_file)
    out = tmp_path / "notice.pdf"
    assert invoke(env, "notice", case, "--lang", "es", "-o", str(out), "--no-encrypt").returncode == 0
    amended = tmp_path / "amended.json"
    amended.write_text(json.dumps(REFERRED), encoding="utf-8")
    done = invoke(env, "amend", case, str(amended), "--reason", "the paper was a court order")
    assert done.returncode == 0, done.stderr
    checked = invoke(env, "--json", "verify-memo", str(out))
    said = json.loads(checked.stdout)
    assert said["matches"] and said["newer_version"] == 2 and "out of date" in said["verdict"]
    shown = invoke(env, "show", case).stdout
    notices = shown[shown.index("Notices to the person:") :]
    assert "version 1 in es, served" in notices and "OUT OF DATE, version 2 changed what the City" in notices
    # a notice of the current version is not out of date
    assert invoke(env, "notice", case, "--lang", "es", "-o", str(tmp_path / "n2.pdf"), "--no-encrypt").returncode == 0
    (first, second) = json.loads(invoke(env, "--json", "show", case).stdout)["notices"]
    assert "OUT OF DATE" in first and second.startswith("version 2 in es") and "OUT OF DATE" not in second


def _served_words(pack, stamp: NoticeStamp):
    """A notice of the same case in the same language, for a forger to change (S01 is the case recorded)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from desktop.rules import decide, parse_intake
    from desktop.rules.notice import NoticeFacts

    intake = parse_intake(S01)
    facts = NoticeFacts(
        stamp.case_number,
        stamp.version,
        intake,
        decide(intake, pack),
        dt.datetime(2026, 1, 14, 9, 5, tzinfo=ZoneInfo("America/New_York")),
        "Off. Forger",
    )
    return compose(pack.notice, stamp.language, facts)


def test_a_case_decided_under_a_pack_without_notice_words_gets_none(env, intake_file: Path, tmp_path: Path) -> None:
    from tests.conftest import FIXTURES

    other = str(FIXTURES / "packs" / "exampleville")
    case = invoke(env, "--policy", other, "record", str(intake_file), "--confirm", "open-case").stdout.strip()
    assert case, "the case was not recorded"
    out = tmp_path / "notice.pdf"
    refused = invoke(env, "--policy", other, "notice", case, "--lang", "en", "-o", str(out), "--no-encrypt")
    assert refused.returncode == 2 and "gives no notice to the person" in refused.stderr
    assert "decided under" in refused.stderr and not out.exists() and _notice_entries(env, case) == []
