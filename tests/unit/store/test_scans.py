"""Scans: written in the same transaction as the case or version they arrive with (all or nothing), and kept
only when they are wholly what they claim to be: a regular file, a picture decoded to its last pixel with
nothing hidden after it, or a PDF that carries no script, action, embedded file or media; under a clean name.

Every file here is real: pictures and PDFs made by Pillow, or PDFs written byte by byte where a PDF must
carry what a scanner never writes.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from desktop.records import Actor
from desktop.rules import decide, parse_intake
from desktop.store import InvalidInput, StoreError, open_store
from desktop.store.attachments import clean_filename, read_scan
from desktop.store.scan_content import MAX_PADDING_BYTES
from tests.unit.store.cases import OFFICER, count_rows, intake_data, record

TABLES = ("cases", "case_versions", "audit_log", "attachments", "case_index")
POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="pipes, devices and these links are POSIX")


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "data") as opened:
        yield opened


def page(text: str = "a scanned fax", size: tuple[int, int] = (425, 550)) -> Image.Image:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((40, 40), text, fill="black")
    return image


def pdf(folder: Path, name: str = "fax.pdf", size: int = 0) -> Path:
    """A real PDF scan (Pillow); with `size`, of at least that many bytes (a page of noise)."""
    path = folder / name
    if size:
        side = int((size / 0.5) ** 0.5) + 1
        Image.frombytes("L", (side, side), os.urandom(side * side)).save(path, "PDF")
        assert path.stat().st_size >= size
    else:
        page().save(path, "PDF", save_all=True, append_images=[page("page 2")])
    return path


def picture(folder: Path, name: str, **options: object) -> Path:
    path = folder / name
    page().save(path, **options)  # type: ignore[arg-type]
    return path


def handmade_pdf(catalog: bytes = b"", extra: tuple[bytes, ...] = (), page: bytes = b"", tail: bytes = b"") -> bytes:
    """A one-page PDF written byte by byte: `catalog` and `page` go into those dictionaries, `extra` are
    objects 4, 5, ...; `tail` is written after the last object and before the cross-reference (an object
    no cross-reference lists)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] " + page + b" >>",
        *extra,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    out += tail
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def object_stream_pdf(catalog: bytes, hidden: bytes) -> bytes:
    """A PDF 1.5 whose object 4 (`hidden`) is inside a Flate-compressed object stream: no raw byte shows it."""
    plain = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(plain, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    header = b"4 0 "
    packed = zlib.compress(header + hidden)
    offsets.append(-1)  # object 4 lives in stream 5
    stream_at = len(out)
    out += b"5 0 obj\n<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
        len(header),
        len(packed),
    )
    out += packed + b"\nendstream\nendobj\n"
    xref_at = len(out)
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
    rows += [b"\x01" + at.to_bytes(4, "big") + b"\x00\x00" for at in offsets[:3]]
    rows += [b"\x02" + (5).to_bytes(4, "big") + b"\x00\x00"]
    rows += [b"\x01" + stream_at.to_bytes(4, "big") + b"\x00\x00", b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00"]
    table = zlib.compress(b"".join(rows))
    out += b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\n" % len(table)
    out += b"stream\n" + table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def refused(path: Path, match: str) -> str:
    """Attaching the file is refused with a one-line message that names it and says `match`."""
    with pytest.raises(InvalidInput, match=match) as caught:
        read_scan(path)
    message = str(caught.value)
    assert path.name in message and "\n" not in message, message
    return message


def rows(store) -> dict[str, int]:
    return {table: count_rows(store, table) for table in TABLES}


def test_a_case_and_its_scans_are_recorded_together(store, pack, tmp_path: Path) -> None:
    intake = parse_intake(intake_data())
    png = picture(tmp_path, "id.png")
    saved = store.record(
        intake, decide(intake, pack), pack, officer=Actor("J. SMITH", "1234"), scans=[pdf(tmp_path), png]
    )
    case = store.get(saved.case_number)
    assert case.current == saved
    assert [e.kind for e in case.events] == ["recorded", "attachment", "attachment"]
    assert {e.actor for e in case.events} == {OFFICER}
    assert [(a.filename, a.added_by, a.added_at) for a in case.attachments] == [
        ("fax.pdf", OFFICER, saved.recorded_at),
        ("id.png", OFFICER, saved.recorded_at),
    ]
    assert store.verify().ok


@pytest.mark.parametrize("problem", ["missing", "not a scan", "too big", "a folder", "hiding a script"])
def test_a_scan_that_fails_leaves_no_case_no_entry_and_no_number_used(store, pack, tmp_path: Path, problem) -> None:
    bad = tmp_path / "bad.pdf"
    if problem == "not a scan":
        bad.write_text("MZ a program, not a scan")
    elif problem == "too big":
        with open(bad, "wb") as handle:
            handle.write(b"%PDF-")
            handle.truncate(26 * 1024 * 1024)
    elif problem == "hiding a script":
        bad.write_bytes(handmade_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>"))
    elif problem == "a folder":
        bad.mkdir()
    intake = parse_intake(intake_data())
    with pytest.raises(InvalidInput, match="bad.pdf"):
        store.record(intake, decide(intake, pack), pack, officer=OFFICER, scans=[pdf(tmp_path), bad])
    assert rows(store) == dict.fromkeys(TABLES, 0)
    assert count_rows(store, "policy_packs") == 0
    assert record(store, pack).case_number.endswith("-000001")  # the number was not used
    assert store.verify().ok


def test_an_amendment_with_a_failing_scan_writes_no_version(store, pack, tmp_path: Path) -> None:
    saved = record(store, pack)
    intake = parse_intake(intake_data(notes="corrected"))
    before = rows(store)
    with pytest.raises(InvalidInput, match="gone.pdf"):
        store.amend(
            saved.case_number,
            intake,
            decide(intake, pack),
            pack,
            officer=OFFICER,
            reason="scan of the detainer",
            scans=[tmp_path / "gone.pdf"],
        )
    assert rows(store) == before and len(store.get(saved.case_number).versions) == 1
    amended = store.amend(
        saved.case_number,
        intake,
        decide(intake, pack),
        pack,
        officer=OFFICER,
        reason="scan of the detainer",
        scans=[pdf(tmp_path)],
    )
    case = store.get(saved.case_number)
    assert case.current == amended and [e.kind for e in case.events] == ["recorded", "amended", "attachment"]
    assert store.verify().ok


def test_a_disk_filling_up_mid_transaction_leaves_nothing_half_written(store, pack, tmp_path: Path) -> None:
    record(store, pack)
    before = rows(store)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    # Room for the case's own rows but not for its 1 MB scan: the disk fills after the case is written.
    store._conn.execute(f"PRAGMA max_page_count = {pages + 40}")
    intake = parse_intake(intake_data())
    with pytest.raises(StoreError, match="full"):
        store.record(intake, decide(intake, pack), pack, officer=OFFICER, scans=[pdf(tmp_path, size=1_000_000)])
    assert rows(store) == before
    assert store.verify().ok
    # The same case without the scan fits in the room left, and takes the next number: none was used.
    assert record(store, pack).case_number.endswith("-000002")
    store._conn.execute("PRAGMA max_page_count = 1073741823")
    assert store.verify().ok


# --- every picture decoded, nothing hidden after it ------------------------------------------------------


def test_real_scans_of_every_format_are_accepted(tmp_path: Path) -> None:
    many = tmp_path / "pages.tif"
    page().save(many, save_all=True, append_images=[page("2").convert("L"), page("3").convert("1")])
    files = [
        pdf(tmp_path),
        picture(tmp_path, "id.png"),
        picture(tmp_path, "id.jpg", quality=85),
        picture(tmp_path, "progressive.jpeg", progressive=True),
        picture(tmp_path, "fax.tif", compression="tiff_lzw"),
        many,
    ]
    fax = tmp_path / "g4.tiff"
    page().convert("1").save(fax, compression="group4")
    padded = tmp_path / "padded.png"  # zero padding (a block some copy tools add) carries nothing
    padded.write_bytes(files[1].read_bytes() + b"\0" * MAX_PADDING_BYTES)
    for path in [*files, fax, padded]:
        scan = read_scan(path)
        assert scan.filename == path.name and scan.content == path.read_bytes()
    assert [read_scan(p).content_type for p in files] == [
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/jpeg",
        "image/tiff",
        "image/tiff",
    ]


HIDDEN = {
    "a program": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 48 + b"This program cannot be run",
    "an archive": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"payload" * 10 + b"PK\x05\x06" + b"\0" * 18,
    "a web page": b"<html><body><script>alert(1)</script></body></html>",
}


@pytest.mark.parametrize("what", list(HIDDEN))
@pytest.mark.parametrize(
    ("name", "options", "format_name"),
    [
        ("id.png", {}, "PNG"),
        ("id.jpg", {}, "JPEG"),
        ("fax.tif", {"compression": "tiff_lzw"}, "TIFF"),
    ],
)
def test_a_picture_with_anything_after_its_end_is_refused(tmp_path, what, name, options, format_name) -> None:
    path = picture(tmp_path, name, **options)
    path.write_bytes(path.read_bytes() + HIDDEN[what])
    refused(path, f"bytes after the end of its {format_name} picture")


def test_more_than_a_little_zero_padding_is_refused(tmp_path: Path) -> None:
    path = picture(tmp_path, "id.png")
    path.write_bytes(path.read_bytes() + b"\0" * (MAX_PADDING_BYTES + 1))
    refused(path, "bytes after the end")


def test_a_pdf_with_an_archive_after_its_end_is_refused(tmp_path: Path) -> None:
    path = pdf(tmp_path)
    path.write_bytes(path.read_bytes() + HIDDEN["an archive"])
    refused(path, "bytes after the end of its PDF")
    path.write_bytes(handmade_pdf() + b"\r\n\0\0")  # a line end and NULs after %%EOF are common, and harmless
    assert read_scan(path).content_type == "application/pdf"


def test_damaged_pictures_are_refused(tmp_path: Path) -> None:
    png = picture(tmp_path, "cut.png").read_bytes()
    cut = tmp_path / "cut.png"
    cut.write_bytes(png[: len(png) // 2])
    refused(cut, "damaged PNG picture")
    flipped = tmp_path / "flipped.png"  # one bit of the picture data changed: its checksum no longer matches
    at = png.index(b"IDAT") + 20
    flipped.write_bytes(png[:at] + bytes([png[at] ^ 1]) + png[at + 1 :])
    refused(flipped, "damaged PNG picture")
    jpeg = picture(tmp_path, "cut.jpg").read_bytes()
    cut_jpeg = tmp_path / "cut.jpg"
    cut_jpeg.write_bytes(jpeg[: len(jpeg) // 2])
    refused(cut_jpeg, "damaged JPEG picture")
    header_only = tmp_path / "header.png"  # the first bytes of a PNG, then a program
    header_only.write_bytes(b"\x89PNG\r\n\x1a\n" + HIDDEN["a program"])
    refused(header_only, "damaged PNG picture")


def test_a_picture_that_decodes_to_gigabytes_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    Image.new("1", (10_000, 10_000)).save(bomb)  # 12 KB on disk, 100 megapixels decoded
    started = time.monotonic()
    refused(bomb, "10000×10000 picture")
    assert time.monotonic() - started < 2


def test_every_page_of_a_tiff_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "pages.tif"  # page 1 is a scan; page 2 decodes to 81 megapixels
    page().convert("1").save(path, compression="group4", save_all=True, append_images=[Image.new("1", (9000, 9000))])
    refused(path, "9000×9000 picture")


# --- PDFs: parsed whole, and refused when they can do anything ------------------------------------------

JS = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
DANGEROUS_PDFS = {
    "auto-run JavaScript": (handmade_pdf(b"/OpenAction 4 0 R", (JS,)), r"carries JavaScript \(an auto-run action\)"),
    "document JavaScript": (
        handmade_pdf(b"/Names << /JavaScript 4 0 R >>", (b"<< /Names [(x) 5 0 R] >>", JS)),
        "carries JavaScript",
    ),
    "JavaScript on page open": (handmade_pdf(page=b"/AA << /O 4 0 R >>", extra=(JS,)), "auto-run action"),
    "a Launch action": (handmade_pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>"), "Launch action"),
    "an embedded file": (
        handmade_pdf(
            b"/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>",
            (
                b"<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>",
                b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
            ),
        ),
        "embedded file",
    ),
    "a file attachment": (
        handmade_pdf(page=b"/Annots [4 0 R]", extra=(b"<< /Type /Annot /Subtype /FileAttachment /FS (a.exe) >>",)),
        "embedded file",
    ),
    "rich media": (
        handmade_pdf(page=b"/Annots [4 0 R]", extra=(b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>",)),
        "embedded media",
    ),
    "an XFA form": (handmade_pdf(b"/AcroForm << /Fields [] /XFA 4 0 R >>", (b"<< >>",)), "XFA form"),
    "a form that sends data": (
        handmade_pdf(b"/OpenAction << /S /SubmitForm /F (http://example.invalid/) >>"),
        "sends or imports data",
    ),
    "a form that imports data": (handmade_pdf(b"/OpenAction << /S /ImportData /F (data.fdf) >>"), "imports data"),
    "a link to another file": (
        handmade_pdf(page=b"/Annots [4 0 R]", extra=(b"<< /Subtype /Link /A << /S /GoToR /F (x.pdf) >> >>",)),
        "opens another file",
    ),
    "a web page opened by itself": (
        handmade_pdf(b"/OpenAction << /S /URI /URI (http://example.invalid/) >>"),
        "opens a web address by itself",
    ),
    "JavaScript in a compressed object stream": (object_stream_pdf(b"/OpenAction 4 0 R", JS), "auto-run action"),
    "JavaScript spelt with #xx escapes": (
        handmade_pdf(b"/OpenAction 4 0 R", (b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>",)),
        "carries JavaScript",
    ),
    "JavaScript in an object no cross-reference lists": (
        handmade_pdf(tail=b"9 0 obj\n<< /S /JavaScript /JS (app.alert\\(1\\)) >>\nendobj\n"),
        "carries JavaScript",
    ),
}


@pytest.mark.parametrize("what", list(DANGEROUS_PDFS))
def test_a_pdf_that_can_do_something_is_refused(tmp_path: Path, what: str) -> None:
    content, match = DANGEROUS_PDFS[what]
    path = tmp_path / "notice.pdf"
    path.write_bytes(content)
    message = refused(path, match)
    assert message.endswith("print it and scan the paper instead"), message


def test_the_handmade_pdfs_are_otherwise_accepted(tmp_path: Path) -> None:
    # The refusals above are for what each PDF carries: the same PDFs without it are kept.
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(handmade_pdf())
    assert read_scan(plain).content_type == "application/pdf"
    stream = tmp_path / "stream.pdf"
    stream.write_bytes(object_stream_pdf(b"/Metadata 4 0 R", b"<< /Producer (a scanner) >>"))
    assert read_scan(stream).content_type == "application/pdf"
    link = tmp_path / "link.pdf"  # a link the reader clicks (not one that opens by itself) is no action of its own
    link.write_bytes(
        handmade_pdf(page=b"/Annots [4 0 R]", extra=(b"<< /Subtype /Link /A << /S /URI /URI (http://x.invalid) >> >>",))
    )
    assert read_scan(link).content_type == "application/pdf"


def test_a_pdf_that_cannot_be_parsed_or_opened_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    refused(broken, "damaged PDF")
    no_end = tmp_path / "no-end.pdf"
    no_end.write_bytes(handmade_pdf()[:-7])
    refused(no_end, "damaged PDF")
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt("secret")
    locked = tmp_path / "locked.pdf"
    writer.write(locked)
    refused(locked, "protected by a password")


# --- only regular files, read once, never more than the limit --------------------------------------------


@POSIX_ONLY
def test_a_pipe_is_refused_at_once_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "fax.pdf"
    os.mkfifo(fifo)
    outcome: list[BaseException | object] = []

    def attach() -> None:
        try:
            outcome.append(read_scan(fifo))
        except BaseException as exc:
            outcome.append(exc)

    reader = threading.Thread(target=attach, daemon=True)
    reader.start()
    reader.join(timeout=5)
    try:
        assert not reader.is_alive(), "reading a pipe hangs"
    finally:
        if reader.is_alive():  # let the stuck reader go: a writer opens the other end and leaves
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert isinstance(outcome[0], InvalidInput) and "fax.pdf is a pipe (FIFO), not a file" in str(outcome[0])


@POSIX_ONLY
def test_a_link_to_a_device_a_device_and_a_folder_are_refused(tmp_path: Path) -> None:
    endless = tmp_path / "fax.pdf"
    endless.symlink_to("/dev/zero")  # read to the end, it never ends
    refused(endless, "is a device, not a file")
    refused(Path("/dev/null"), "null is a device, not a file")
    folder = tmp_path / "scans.pdf"
    folder.mkdir()
    refused(folder, "is a folder, not a file")


@POSIX_ONLY
def test_a_link_to_a_real_scan_is_followed(tmp_path: Path) -> None:
    # The descriptor opened is checked (a regular file, at most 25 MB), not the path: following a link is safe.
    scan = picture(tmp_path, "id.png")
    link = tmp_path / "linked.png"
    link.symlink_to(scan)
    assert read_scan(link).content == scan.read_bytes()


# --- names -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("fax.pdf", "fax.pdf"),
        ("fax.pdf\n  2: forged.pdf", "fax.pdf 2_ forged.pdf"),
        ("...hidden.pdf", "hidden.pdf"),
        ("\x1b[2J\x1b[31mred\x1b[0m.pdf", "red.pdf"),
        ("\x1b]0;window title\x07fax.pdf", "fax.pdf"),
        ("\x9b31mfax\x85.pdf", "fax.pdf"),
        ("invoice\u202efdp.exe.pdf", "invoicefdp.exe.pdf"),
        ("zero\u200bwidth\u2028line\tbreak.pdf", "zerowidth line break.pdf"),
        ("..\\..\\Windows\\System32\\fax.pdf", "fax.pdf"),
        ("C:\\Users\\Public\\fax.pdf", "fax.pdf"),
        ("../../etc/fax.pdf", "fax.pdf"),
        ("fax.pdf:hidden.pdf", "fax.pdf_hidden.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("fax.pdf. . ", "fax.pdf"),
        (".pdf", "scan.pdf"),
        ("\n\x1b[0m.pdf", "scan.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
        ("bad\udcffbytes.pdf", "badbytes.pdf"),
    ],
)
def test_names_are_cleaned_to_one_short_printable_line(given: str, kept: str) -> None:
    assert clean_filename(given, "application/pdf") == kept


@POSIX_ONLY
def test_a_scan_is_stored_under_its_cleaned_name(store, pack, tmp_path: Path) -> None:
    saved = record(store, pack)
    forged = tmp_path / "fax.png\n  9: forged.png\x1b[2J.png"
    forged.write_bytes(picture(tmp_path, "id.png").read_bytes())
    attached = store.add_attachment(saved.case_number, forged, actor=OFFICER)
    assert attached.filename == "fax.png 9_ forged.png.png"
    assert store.get(saved.case_number).events[-1].detail.startswith(attached.filename + " (image/png)")
    assert store.verify().ok


def store_old_name(db: Path, name: str) -> None:
    """Give the attachment a name as rows stored before names were cleaned may hold (triggers put back)."""
    raw = sqlite3.connect(db)
    triggers = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'attachments'")
    kept = triggers.fetchall()
    for trigger, _sql in kept:
        raw.execute(f"DROP TRIGGER {trigger}")
    raw.execute("UPDATE attachments SET filename = ?", [name])
    for _trigger, sql in kept:
        raw.execute(sql)
    raw.commit()
    raw.close()


def test_show_prints_an_old_forged_name_on_one_line(tmp_path: Path, pack) -> None:
    from desktop.cli.cases import _show_text

    data = tmp_path / "data"
    with open_store(data) as opened:
        saved = record(opened, pack)
        opened.add_attachment(saved.case_number, pdf(tmp_path), actor=OFFICER)
    store_old_name(data / "cases.db", "fax.pdf\n  2: forged.pdf (application/pdf)\x1b[2J\u202e")
    with open_store(data) as opened:
        text = _show_text(opened.get(saved.case_number))
    attachments = text.split("Attachments:\n", 1)[1].splitlines()
    assert len(attachments) == 1
    assert attachments[0].startswith("  1: fax.pdf\\n  2: forged.pdf (application/pdf)\\x1b[2J\\u202e (application/pdf")
    assert "\x1b" not in text and "\u202e" not in text
