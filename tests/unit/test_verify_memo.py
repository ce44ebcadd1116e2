"""verify-memo reads what the paper says: forgeries of a real memo are refused naming the page, the memo itself
is accepted, a scan is checked by its QR codes, and the exit codes are 0, 1 and 2."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

import desktop.signing
from desktop.desk import Desk, system_clock
from desktop.memo import MemoError, render_memo
from tests.conftest import ROOT, Clock
from tests.unit.cli_run import run
from tests.unit.desk.people import Staff, staffed_desk

S01 = json.loads((ROOT / "tests" / "data" / "examples" / "S01.json").read_text(encoding="utf-8"))["intake"]
FORGED = "HOLD the person for ICE for up to 48 hours"
_OFFICERS: dict[int, Staff] = {}  # each test desk's staff, so `check` signs in as its officer


def staffed(folder: Path) -> Desk:
    staff = staffed_desk(folder, Clock(dt.datetime(2026, 11, 20, 15, tzinfo=dt.UTC)))
    _OFFICERS[id(staff.desk)] = staff
    return staff.desk


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)  # accounts for tests: a cheaper scrypt
    desk = staffed(tmp_path / "data")
    yield desk
    desk.close()


def officer(desk: Desk):
    return _OFFICERS[id(desk)].officer


@pytest.fixture
def memo(desk: Desk, tmp_path: Path) -> tuple[str, Path]:
    saved = desk.cases.record(officer(desk), desk.decide(S01))
    return saved.case_number, desk.paper.print_memo(
        officer(desk), saved.case_number, target=tmp_path / "memo.pdf", no_encrypt=True
    )


def write(pdf: PdfWriter, path: Path) -> Path:
    with path.open("wb") as out:
        pdf.write(out)
    return path


def copy(path: Path) -> PdfWriter:
    writer = PdfWriter(clone_from=PdfReader(path))
    return writer


def overlay_page(text: str, *, white_box: bool = False) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(612, 792))
    if white_box:
        canvas.setFillGray(1)
        canvas.rect(54, 560, 300, 40, stroke=0, fill=1)
    else:
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(300, 610, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def check(desk: Desk, path: Path):
    return desk.paper.verify_memo(officer(desk), path)


# --- the real memo ---------------------------------------------------------------------------------


def test_an_untouched_memo_is_accepted_byte_for_byte(desk: Desk, memo: tuple[str, Path]) -> None:
    case, path = memo
    result = check(desk, path)
    assert result.matches and result.kind == "identical"
    assert f"the log holds this exact record: case {case} version 1" in result.verdict


def test_the_same_memo_saved_again_by_another_program_matches_by_text(
    desk: Desk, memo: tuple[str, Path], tmp_path: Path
) -> None:
    _case, path = memo
    resaved = write(copy(path), tmp_path / "resaved.pdf")
    assert resaved.read_bytes() != path.read_bytes()
    result = check(desk, resaved)
    assert result.matches and result.kind == "same-text"
    assert "the file's bytes differ" in result.verdict


def test_a_memo_of_an_amended_case_says_a_newer_version_exists(desk: Desk, memo: tuple[str, Path]) -> None:
    case, path = memo
    desk.cases.amend(officer(desk), case, desk.decide(S01), reason="booking number corrected")
    result = check(desk, path)
    assert result.matches and "a newer version 2 exists" in result.verdict


# --- forgeries: each is a memo of this log that was altered: exit 1, naming the page ----------------


def test_a_re_render_with_an_edited_decision_is_refused(desk: Desk, memo: tuple[str, Path], tmp_path: Path) -> None:
    case, path = memo
    record = desk.cases.open(officer(desk), case, audit=False)
    stamp_head = PdfReader(path).metadata.subject.split("chain=")[1]
    decision = record.current.decision
    first = replace(decision.responses[0], instruction=FORGED)
    decision = replace(decision, responses=(first, *decision.responses[1:]))
    forged_record = replace(record, versions=(replace(record.current, decision=decision),))
    pack = desk.cases.pack_of(officer(desk), record.current)
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(render_memo(forged_record, pack, chain_head=stamp_head))
    result = check(desk, forged)
    assert not result.matches and result.kind == "differs"
    assert result.page == 1 and result.line is not None
    assert FORGED in result.found
    assert f"page 1, line {result.line} differs" in result.verdict


def test_a_content_stream_edit_is_refused(desk: Desk, memo: tuple[str, Path], tmp_path: Path) -> None:
    _case, path = memo
    writer = copy(path)
    page = writer.pages[1]
    data = page.get_contents().get_data()
    start = data.index(b"BT", len(data) // 3)  # cut one block of text out of page 2
    end = data.index(b"ET", start) + 2
    stream = StreamObject()
    stream.set_data(data[:start] + data[end:])
    page[NameObject("/Contents")] = writer._add_object(stream)
    result = check(desk, write(writer, tmp_path / "edited.pdf"))
    assert not result.matches and result.kind == "differs" and result.page == 2


def test_a_text_overlay_is_refused(desk: Desk, memo: tuple[str, Path], tmp_path: Path) -> None:
    _case, path = memo
    writer = copy(path)
    writer.pages[0].merge_page(PdfReader(io.BytesIO(overlay_page(FORGED))).pages[0])
    result = check(desk, write(writer, tmp_path / "overlay.pdf"))
    assert not result.matches and result.page == 1
    assert FORGED in result.verdict


def test_a_white_box_over_the_text_is_refused_by_how_the_page_looks(
    desk: Desk, memo: tuple[str, Path], tmp_path: Path
) -> None:
    _case, path = memo
    writer = copy(path)
    writer.pages[0].merge_page(PdfReader(io.BytesIO(overlay_page("", white_box=True))).pages[0])
    result = check(desk, write(writer, tmp_path / "whited-out.pdf"))
    assert not result.matches and result.kind == "differs" and result.page == 1
    assert "looks different" in result.verdict


def test_a_blank_page_carrying_a_copied_stamp_is_refused(desk: Desk, memo: tuple[str, Path], tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    _case, path = memo
    lines = PdfReader(path).pages[0].extract_text().splitlines()
    footer = lines[next(i for i, line in enumerate(lines) if line.startswith("Case ")) :]  # the stamp lines, copied
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(612, 792))
    canvas.setFont("Helvetica", 7)
    for index, line in enumerate(footer):
        canvas.drawString(54, 90 - 10 * index, line)
    canvas.drawString(54, 700, FORGED)
    canvas.showPage()
    canvas.save()
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(buffer.getvalue())))
    writer.add_metadata({"/Subject": PdfReader(path).metadata.subject})
    result = check(desk, write(writer, tmp_path / "blank.pdf"))
    assert not result.matches and result.page == 1
    # and a stamped page slipped in after the real ones
    writer = copy(path)
    writer.append(PdfReader(io.BytesIO(buffer.getvalue())))
    result = check(desk, write(writer, tmp_path / "extra.pdf"))
    assert not result.matches and result.page == 3 and "(no such page)" in result.verdict


def test_a_metadata_mismatch_is_an_altered_memo_not_an_unreadable_one(
    desk: Desk, memo: tuple[str, Path], tmp_path: Path
) -> None:
    _case, path = memo
    writer = copy(path)
    subject = PdfReader(path).metadata.subject.replace("version=1", "version=2")
    writer.add_metadata({"/Subject": subject, "/Keywords": subject})
    result = check(desk, write(writer, tmp_path / "metadata.pdf"))
    assert not result.matches and result.kind == "altered" and result.page == 1


def test_a_memo_printed_before_the_log_was_replaced_is_refused(desk: Desk, memo: tuple[str, Path]) -> None:
    _case, path = memo
    other = staffed(path.parent / "other")
    try:
        other.cases.record(officer(other), other.decide({**S01, "notes": "another case"}))
        result = check(other, path)
        assert not result.matches and result.kind == "not-in-log"
    finally:
        other.close()


# --- scans -------------------------------------------------------------------------------------------


def scan_of(pdf: bytes, path: Path, dpi: int = 150) -> Path:
    from desktop.memo.pages import page_images

    images = [image.convert("RGB") for image in page_images(pdf, dpi=dpi)]
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return path


def test_a_scan_is_checked_by_its_qr_codes_and_says_what_it_cannot_prove(
    desk: Desk, memo: tuple[str, Path], tmp_path: Path
) -> None:
    case, path = memo
    scan = scan_of(path.read_bytes(), tmp_path / "scan.pdf")
    assert not "".join(page.extract_text() for page in PdfReader(scan).pages).strip()
    result = check(desk, scan)
    assert result.matches and result.kind == "scan" and result.case_number == case
    assert "cannot prove that the words on the paper are the record's" in result.verdict


def test_a_scan_of_a_memo_from_another_log_is_refused(desk: Desk, memo: tuple[str, Path], tmp_path: Path) -> None:
    _case, path = memo
    scan = scan_of(path.read_bytes(), tmp_path / "scan.pdf")
    other = staffed(tmp_path / "other")
    try:
        other.cases.record(officer(other), other.decide({**S01, "notes": "another case"}))
        result = check(other, scan)
        assert not result.matches and result.kind == "scan" and result.page == 1
    finally:
        other.close()


def test_a_picture_without_a_qr_code_is_not_a_memo(desk: Desk, tmp_path: Path) -> None:
    from PIL import Image

    picture = tmp_path / "photo.pdf"
    Image.new("RGB", (612, 792), "white").save(picture, "PDF")
    with pytest.raises(MemoError, match="not readable as a memo"):
        check(desk, picture)


# --- the command line: exit codes ---------------------------------------------------------------------


def test_verify_memo_exit_codes(env: dict[str, str], tmp_path: Path) -> None:
    # A staffed desk (tests/unit/conftest.py): the case and its memo are made through the desk by a
    # signed-in officer; only the check runs as a command.
    from tests.unit.desk.people import PASSWORDS, SAME_BOOKING

    desk = Desk(Path(env["SAFEDESK_DATA_DIR"]), clock=system_clock)
    try:
        officer = desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"])
        case = desk.cases.record(officer, desk.decide(S01), confirmed=SAME_BOOKING).case_number
        memo = desk.paper.print_memo(officer, case, target=tmp_path / "memo.pdf", no_encrypt=True)
    finally:
        desk.close()
    good = run(env, "verify-memo", str(memo))
    assert good.returncode == 0 and good.stdout.startswith("OK: the log holds this exact record"), good.stderr
    writer = copy(memo)
    writer.pages[0].merge_page(PdfReader(io.BytesIO(overlay_page(FORGED))).pages[0])
    forged = write(writer, tmp_path / "forged.pdf")
    bad = run(env, "verify-memo", str(forged))
    assert bad.returncode == 1 and bad.stdout.startswith("MISMATCH: page 1, line")
    as_json = json.loads(run(env, "--json", "verify-memo", str(forged)).stdout)
    assert as_json["matches"] is False and as_json["page"] == 1 and FORGED in as_json["found"]
    writer = copy(memo)
    subject = PdfReader(memo).metadata.subject.replace("version=1", "version=3")
    writer.add_metadata({"/Subject": subject, "/Keywords": subject})
    assert run(env, "verify-memo", str(write(writer, tmp_path / "meta.pdf"))).returncode == 1
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("not a pdf")
    assert run(env, "verify-memo", str(not_pdf)).returncode == 2
