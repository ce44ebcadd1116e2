"""Eleven papers an insider might bring to `verify-memo`, forged or misleading, and the genuine memo beside them.

`verify-memo` says exactly what it saw: its exit code, the first words of its line and its JSON `kind`
(docs/CONTRACT.md). Only the very memo of the current version says OK; a superseded version says so and names
the newer one; a scan says it proves only which record it names (exit 3, compare by eye); and every forgery,
including a scan of one, a scan carrying another case's QR code, hairlines a tenth of a point wide that read at
300 dpi, and a superseded version printed with a later chain head, is never OK.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

import desktop.signing
from desktop.memo import render_memo
from tests.conftest import Clock
from tests.unit.cli_run import S01, invoke
from tests.unit.desk.people import PASSWORDS, SAME_BOOKING, staffed_desk

FORGED = "HOLD the person for ICE for up to 48 hours"
POINTS = (612, 792)


def _writer(path: Path) -> PdfWriter:
    return PdfWriter(clone_from=PdfReader(path))


def _save(writer: PdfWriter, path: Path) -> Path:
    with path.open("wb") as out:
        writer.write(out)
    return path


def _overlay(draw) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=POINTS)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _over(path: Path, overlay: bytes, target: Path, page: int = 0) -> Path:
    writer = _writer(path)
    writer.pages[page].merge_page(PdfReader(io.BytesIO(overlay)).pages[0])
    return _save(writer, target)


def _hairline_words(canvas) -> None:
    """ "HOLD 48 HOURS" drawn as the outlines of its letters, 36 pt tall, in lines 0.1 pt wide: no text to extract,
    too faint to show at 50 dpi (a pixel there is 1.44 pt), readable at 300 dpi."""
    from PIL import Image, ImageDraw

    picture = Image.new("1", (90, 12), 0)
    ImageDraw.Draw(picture).text((0, 0), "HOLD 48 HOURS", fill=1)
    pixels = picture.load()
    scale, left, top = 2.0, 60.0, 180.0

    def dark(x: int, y: int) -> bool:
        return 0 <= x < picture.width and 0 <= y < picture.height and bool(pixels[x, y])

    canvas.setLineWidth(0.1)
    canvas.setStrokeGray(0.82)
    for y in range(picture.height):
        for x in range(picture.width):
            if not dark(x, y):
                continue
            x0, y0 = left + x * scale, top - y * scale
            for dx, dy, edge in (
                (0, -1, (x0, y0, x0 + scale, y0)),
                (0, 1, (x0, y0 - scale, x0 + scale, y0 - scale)),
                (-1, 0, (x0, y0, x0, y0 - scale)),
                (1, 0, (x0 + scale, y0, x0 + scale, y0 - scale)),
            ):
                if not dark(x + dx, y + dy):
                    canvas.line(*edge)


def _scan(pdf: bytes, dpi: int = 150):
    from desktop.memo.pages import page_images

    return [image.convert("RGB") for image in page_images(pdf, dpi=dpi)]


def _scan_pdf(images, path: Path, dpi: int = 150) -> Path:
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return path


def _qr_box(image) -> tuple[int, int, int, int]:
    """Where the footer draws the QR code on a page picture (with a margin), in pixels."""
    from desktop.memo.kit import MARGIN_X, PAGE_HEIGHT, PAGE_WIDTH
    from desktop.memo.page import FOOTER_TOP, QR_SIZE

    sx, sy = image.width / PAGE_WIDTH, image.height / PAGE_HEIGHT
    right, top = PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - (FOOTER_TOP - 12)
    return (
        int((right - QR_SIZE - 8) * sx),
        int((top - 3.5) * sy),
        int((right + 24) * sx),
        int((top + QR_SIZE + 24) * sy),
    )


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory):
    """A staffed desk with three cases and every paper, made once: (environment for the command, papers)."""
    folder = tmp_path_factory.mktemp("papers")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(desktop.signing, "SCRYPT_N", 2**12)
        staff = staffed_desk(folder / "data", Clock(dt.datetime(2026, 11, 20, 15, tzinfo=dt.UTC)))
    desk, officer = staff.desk, staff.officer
    try:
        a = desk.cases.record(officer, desk.decide(S01), confirmed=SAME_BOOKING).case_number
        b = desk.cases.record(officer, desk.decide({**S01, "notes": "case B"}), confirmed=SAME_BOOKING).case_number
        c = desk.cases.record(officer, desk.decide({**S01, "notes": "case C"}), confirmed=SAME_BOOKING).case_number
        memo = lambda case, name: desk.paper.print_memo(officer, case, target=folder / name, no_encrypt=True)  # noqa: E731
        genuine, memo_b, c_v1 = memo(a, "a.pdf"), memo(b, "b.pdf"), memo(c, "c-v1.pdf")
        staff.clock.advance(minutes=5)
        desk.cases.amend(staff.supervisor, c, desk.decide({**S01, "notes": "case C, corrected"}), reason="notes")
        record = desk.cases.open(officer, a, audit=False)
        head = PdfReader(genuine).metadata.subject.split("chain=")[1]
        decision = record.current.decision
        edited = replace(
            decision, responses=(replace(decision.responses[0], instruction=FORGED), *decision.responses[1:])
        )
        pack = desk.cases.pack_of(officer, record.current)
        fingerprint = desk.people.admin_fingerprint()
        rerendered = render_memo(
            replace(record, versions=(replace(record.current, decision=edited),)),
            pack,
            chain_head=head,
            admin_fingerprint=fingerprint,
        )
        made: dict[str, Path] = {"genuine": genuine}
        made["re-rendered"] = folder / "rerendered.pdf"
        made["re-rendered"].write_bytes(rerendered)
        writer = _writer(genuine)  # a block of text cut out of page 2's drawing
        data = writer.pages[1].get_contents().get_data()
        start = data.index(b"BT", len(data) // 3)
        stream = StreamObject()
        stream.set_data(data[:start] + data[data.index(b"ET", start) + 2 :])
        writer.pages[1][NameObject("/Contents")] = writer._add_object(stream)
        made["content edited"] = _save(writer, folder / "content.pdf")

        def words(canvas) -> None:
            canvas.setFont("Helvetica-Bold", 11)
            canvas.drawString(300, 610, FORGED)

        def white_box(canvas) -> None:
            canvas.setFillGray(1)
            canvas.rect(54, 560, 300, 40, stroke=0, fill=1)

        made["text overlay"] = _over(genuine, _overlay(words), folder / "overlay.pdf")
        made["white box"] = _over(genuine, _overlay(white_box), folder / "whiteout.pdf")
        made["hairline overlay"] = _over(genuine, _overlay(_hairline_words), folder / "hairline.pdf", page=1)
        writer = _writer(genuine)
        subject = PdfReader(genuine).metadata.subject.replace("version=1", "version=2")
        writer.add_metadata({"/Subject": subject, "/Keywords": subject})
        made["metadata of another version"] = _save(writer, folder / "metadata.pdf")
        made["scan of a forgery"] = _scan_pdf(_scan(rerendered), folder / "scan-forged.pdf")
        forged_pages, b_pages = _scan(rerendered), _scan(memo_b.read_bytes())
        for page, other in zip(forged_pages, b_pages, strict=False):  # case B's QR pasted over case A's
            box = _qr_box(page)
            page.paste(other.crop(box), box[:2])
        made["scan carrying another case's QR"] = _scan_pdf(forged_pages, folder / "scan-other-qr.pdf")
        made["superseded, as printed"] = c_v1
        made["re-saved"] = _save(_writer(genuine), folder / "resaved.pdf")  # the same pages, written again
        c_record = desk.cases.open(officer, c, audit=False)
        late = render_memo(
            replace(c_record, versions=c_record.versions[:1]),
            desk.cases.pack_of(officer, c_record.versions[0]),
            chain_head=desk.log.head(officer),
            admin_fingerprint=fingerprint,
        )
        made["superseded, printed late"] = folder / "c-v1-late.pdf"
        made["superseded, printed late"].write_bytes(late)
        other = staffed_desk(folder / "other", Clock(dt.datetime(2026, 11, 20, 15, tzinfo=dt.UTC)))
        other_case = other.desk.cases.record(
            other.officer, other.desk.decide({**S01, "notes": "elsewhere"})
        ).case_number
        made["another log's memo"] = other.desk.paper.print_memo(
            other.officer, other_case, target=folder / "other.pdf", no_encrypt=True
        )
        other.desk.close()
    finally:
        desk.close()
    env = {
        **os.environ,
        "SAFEDESK_DATA_DIR": str(folder / "data"),
        "SAFEDESK_USER": "ofc.smith",
        "SAFEDESK_PASSWORD": PASSWORDS["ofc.smith"],
        "SAFEDESK_PINNED_FINGERPRINT_FILE": str(folder / "no-pin"),
        "SAFEDESK_RECEIPTS_DIR": str(folder / "receipts"),
    }
    return env, made, {"a": a, "b": b, "c": c}


# paper, exit code, first words, kind
SAID = [
    ("genuine", 0, "OK: the log holds this exact record", "identical"),
    ("re-rendered", 1, "MISMATCH: page 1, line", "differs"),
    ("content edited", 1, "MISMATCH: page 2, line", "differs"),
    ("text overlay", 1, "MISMATCH: page 1, line", "differs"),
    ("white box", 1, "MISMATCH: page 1 looks different", "differs"),
    ("hairline overlay", 1, "MISMATCH: page 2 looks different", "differs"),
    ("metadata of another version", 1, "MISMATCH: page 1 was altered", "altered"),
    ("another log's memo", 1, "MISMATCH: ", "not-in-log"),
    ("scan of a forgery", 3, "SCAN, COMPARE BY EYE: ", "scan"),
    ("scan carrying another case's QR", 3, "SCAN, COMPARE BY EYE: ", "scan"),
    ("superseded, as printed", 4, "SUPERSEDED: this is a memo of case", "superseded"),
    ("re-saved", 5, "SAME TEXT, OTHER BYTES: ", "same-text"),
    ("superseded, printed late", 1, "MISMATCH: this paper names case", "printed-after-next"),
]


@pytest.mark.parametrize(("paper", "code", "words", "kind"), SAID, ids=[s[0] for s in SAID])
def test_what_verify_memo_says_of_each_paper(papers, paper: str, code: int, words: str, kind: str) -> None:
    env, made, _cases = papers
    done = invoke(env, "verify-memo", str(made[paper]))
    assert (done.returncode, done.stdout[: len(words)]) == (code, words), done.stdout + done.stderr
    said = json.loads(invoke(env, "--json", "verify-memo", str(made[paper])).stdout)
    assert said["kind"] == kind


def test_the_scans_say_which_record_they_name_and_no_more(papers) -> None:
    env, made, cases = papers
    forged = invoke(env, "verify-memo", str(made["scan carrying another case's QR"])).stdout
    assert f"names case {cases['b']} version 1" in forged and "compare it by eye" in forged
    assert f"case {cases['a']}" not in forged  # what the paper's words say is not proven, so not said


def test_a_superseded_paper_names_the_newer_version(papers) -> None:
    env, made, cases = papers
    said = json.loads(invoke(env, "--json", "verify-memo", str(made["superseded, as printed"])).stdout)
    assert said["newer_version"] == 2 and "a newer version 2 exists" in said["verdict"]
    late = json.loads(invoke(env, "--json", "verify-memo", str(made["superseded, printed late"])).stdout)
    assert late["matches"] is False and "version 2 replaced it" in late["verdict"]
