"""Checking a memo file against the log it claims to come from (desk.paper.verify_memo).

A memo is reproducible byte for byte from the log: the record it names, the pack that decided it and the
audit chain head printed on it. So a memo is checked by rendering it again and comparing what it says,
page by page and line by line, and then how each page looks, at print resolution (300 dpi: a hairline
drawn over the page shows there). A scan (pictures, no text) can only be checked by its QR codes, which
name the record on every page: it proves which record it names, and the words must be compared by eye.

What is said, and its `kind` (README, docs/CONTRACT.md): the very memo of the current version
("identical"); the same words and looks in other bytes ("same-text", naming the first page whose drawing
differs); a true memo of a version a newer one replaced ("superseded", naming the newer version); a scan
("scan"); and refused: altered ("differs", "altered"), not this log ("not-in-log", "log-rewritten"), or a
version printed after its next version existed ("printed-after-next": the desk prints only the current
version, so no true memo of a version carries a chain head from after the next one was recorded).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop.desk.results import MemoCheck

if TYPE_CHECKING:
    from desktop.memo.stamp import MemoReading, MemoStamp
    from desktop.records import CaseRecord, CaseVersion
    from desktop.store import CaseStore

PRINT_DPI = 300  # the looks are compared as the page prints
FLAT_TOLERANCE = 12  # grey levels: a mark this much darker or lighter on a flat part of the page is a mark
FLAT_MARK_PIXELS = 25  # at 300 dpi: a line a tenth of a point wide and 2 mm long
SCAN_NOTE = (
    "A scan has no text to compare: its QR codes prove which record each page names, and that the log holds "
    "it; they cannot prove that the words on the paper are the record's. Compare the paper by eye with a "
    "fresh print of the memo."
)


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _first_text_difference(expected: tuple[str, ...], found: tuple[str, ...]) -> tuple[int, int, str, str] | None:
    """(page, line, expected line, found line) of the first difference in text, numbered from 1; else None."""
    for number, (want, got) in enumerate(zip(expected, found, strict=False), start=1):
        want_lines, got_lines = _lines(want), _lines(got)
        for index in range(max(len(want_lines), len(got_lines))):
            a = want_lines[index] if index < len(want_lines) else ""
            b = got_lines[index] if index < len(got_lines) else ""
            if a != b:
                return number, index + 1, a or "(nothing)", b or "(nothing)"
    if len(expected) != len(found):
        number = min(len(expected), len(found)) + 1
        if len(found) > len(expected):
            return number, 1, "(no such page)", (_lines(found[number - 1]) or ["(a page without text)"])[0]
        return number, 1, (_lines(expected[number - 1]) or [""])[0], "(the page is missing)"
    return None


class _Checker:
    def __init__(self, store: CaseStore, memo: Path, admin_fingerprint: str | None) -> None:
        self.store = store
        self.memo = memo
        self.admin_fingerprint = admin_fingerprint

    def result(self, stamp: MemoStamp, matches: bool, verdict: str, kind: str, **more: object) -> MemoCheck:
        return MemoCheck(self.memo, stamp.case_number, stamp.version, stamp.record_hash, matches, verdict, kind, **more)  # type: ignore[arg-type]

    def find(self, stamp: MemoStamp) -> tuple[CaseRecord | None, CaseVersion | None, str | None]:
        """The record and version the stamp names, or why the log does not hold them."""
        from desktop.store import CaseNotFound

        try:
            record: CaseRecord | None = self.store.get(stamp.case_number)
        except CaseNotFound:
            return None, None, f"case {stamp.case_number} is not in this log"
        assert record is not None
        version = next((v for v in record.versions if v.version == stamp.version), None)
        if version is None:
            return record, None, f"case {stamp.case_number} has no version {stamp.version} in this log"
        if version.record_hash != stamp.record_hash:
            return (
                record,
                version,
                (f"the memo's record hash does not match case {stamp.case_number} version {stamp.version} in the log"),
            )
        return record, version, None

    def head_ok(self, stamp: MemoStamp) -> bool:
        # The chain head printed on the paper is the outside witness: it must still be in the chain, at or
        # after this version's own entry. If not, the log was rewritten or replaced after printing.
        head_seq = self.store.chain_position(stamp.chain_head)
        recorded_seq = self.store.chain_position_of_record(stamp.record_hash)
        return head_seq is not None and recorded_seq is not None and head_seq >= recorded_seq

    def expected(self, record: CaseRecord, version: CaseVersion, stamp: MemoStamp, reading: MemoReading) -> bytes:
        """The memo of this version as it printed: the versions up to it, its pack, the chain head on the paper."""
        from dataclasses import replace

        from desktop.memo import render_memo
        from desktop.memo.stamp import printed_admin_key

        as_printed = replace(record, versions=record.versions[: version.version])
        printed = next((k for k in map(printed_admin_key, reading.pages) if k), None)
        # A memo printed before the desk had accounts carries no admin key; one printed since carries the
        # log's own (a made-up key then differs); a version that was signed was always printed with it.
        fingerprint = self.admin_fingerprint
        if fingerprint is None or not (printed or self.store.record_signed(version.record_hash)):
            fingerprint = printed
        return render_memo(
            as_printed, self.store.pack_for(version), chain_head=stamp.chain_head, admin_fingerprint=fingerprint
        )

    def newer(self, record: CaseRecord, version: CaseVersion) -> str:
        if version.version == record.current.version:
            return ""
        return f" (a newer version {record.current.version} exists)"

    def printed_after_next(self, record: CaseRecord, version: CaseVersion, stamp: MemoStamp) -> str | None:
        """Why this version's memo cannot be one the desk printed: its chain head is from after the next
        version was recorded (the desk prints only a case's current version), or None."""
        if version.version >= record.current.version:
            return None
        following = record.versions[version.version]  # versions are numbered from 1
        next_seq = self.store.chain_position_of_record(following.record_hash)
        head_seq = self.store.chain_position(stamp.chain_head)
        if next_seq is None or head_seq is None or head_seq < next_seq:
            return None
        return (
            f"this paper names case {stamp.case_number} version {version.version} with the chain head of entry "
            f"{head_seq}, but version {following.version} replaced it at entry {next_seq}, before then: the desk "
            "prints only a case's current version, so no memo it printed says this (a superseded version presented "
            "as current)"
        )

    def superseded(self, record: CaseRecord, version: CaseVersion, stamp: MemoStamp, how: str) -> MemoCheck:
        """A true memo of a version a newer one replaced: said first, naming the newer version."""
        current = record.current
        verdict = (
            f"SUPERSEDED: this is a memo of case {stamp.case_number} version {version.version}, but a newer "
            f"version {current.version} exists (recorded {current.recorded_at[:19].replace('T', ' ')} UTC) and "
            f"replaces it; {how}. Print the current version"
        )
        return self.result(stamp, True, verdict, "superseded", newer_version=current.version)

    def check(self, reading: MemoReading) -> MemoCheck:
        if reading.is_scan:
            return self.check_scan(reading)
        stamp = reading.stamp
        assert stamp is not None  # read_memo refuses a memo with text and no stamp
        for number, printed in enumerate(reading.footer_stamps, start=1):
            if printed != stamp:
                said = printed.to_text() if printed is not None else "no footer stamp"
                source = "the file's metadata" if reading.metadata_stamp is not None else "page 1's footer"
                verdict = (
                    f"page {number} was altered: its printed footer ({said}) and {source} ({stamp.to_text()}) disagree"
                )
                return self.result(stamp, False, verdict, "altered", page=number)
        record, version, problem = self.find(stamp)
        if problem is not None or record is None or version is None:
            return self.result(stamp, False, problem or "not in this log", "not-in-log")
        if not self.head_ok(stamp):
            verdict = (
                "the audit chain head printed on the memo is not in this log's chain after the record: the log was "
                "rewritten or replaced after the memo was printed"
            )
            return self.result(stamp, False, verdict, "log-rewritten")
        late = self.printed_after_next(record, version, stamp)
        if late is not None:
            return self.result(stamp, False, late, "printed-after-next", newer_version=record.current.version)
        newer = self.newer(record, version)
        named = f"case {stamp.case_number} version {stamp.version}"
        expected = self.expected(record, version, stamp, reading)
        if expected == reading.data:
            if newer:
                return self.superseded(
                    record, version, stamp, "the file is byte for byte the memo that version printed"
                )
            verdict = f"the log holds this exact record: {named}{newer}; the file is byte for byte the memo it prints"
            return self.result(stamp, True, verdict, "identical")
        from desktop.memo import pages
        from desktop.memo.stamp import read_memo

        fresh = read_memo(expected)
        difference = _first_text_difference(fresh.pages, reading.pages)
        if difference is not None:
            page, line, want, got = difference
            verdict = (
                f"page {page}, line {line} differs from the memo of {named} in the log: the record's memo says "
                f"{want!r}, this file says {got!r}"
            )
            return self.result(stamp, False, verdict, "differs", page=page, line=line, expected=want, found=got)
        # A coarse look first (cheap, catches a box or a picture), then as the page prints, where the memo is
        # flat (blank paper, a shaded band): there a faint grey hairline shows, though a tolerance for a
        # re-render's jagged edges would let it through.
        looks = pages.first_difference(expected, reading.data)
        if looks is None:
            looks = _first_mark_on_flat(expected, reading.data)
        if looks is not None:
            verdict = (
                f"page {looks} looks different from the memo of {named} in the log, though its text is the same: "
                "something was drawn over or removed from it"
            )
            return self.result(stamp, False, verdict, "differs", page=looks)
        drawn = _first_drawing_difference(expected, reading.data)
        where = (
            f"page {drawn} is drawn with other instructions that print the same"
            if drawn is not None
            else "only the file's structure differs"
        )
        if newer:
            return self.superseded(
                record, version, stamp, f"every page says and shows what that version's memo did ({where})"
            )
        verdict = (
            f"the log holds this exact record: {named}; every page says and shows what the record's memo "
            f"does (looked at {PRINT_DPI} dpi), but the file's bytes differ ({where}: saved again by another program?)"
        )
        return self.result(stamp, True, verdict, "same-text", page=drawn)

    def check_scan(self, reading: MemoReading) -> MemoCheck:
        from desktop.memo import MemoError
        from desktop.memo.scan import best_match, qr_pictures
        from desktop.memo.stamp import QR_PREFIX, MemoStamp

        pictures = qr_pictures(reading.data)
        if not any(p is not None for p in pictures):
            raise MemoError(f"{reading.name} is a picture with no text and no memo QR code: not readable as a memo")
        candidates: dict[str, CaseVersion] = {}
        for case_number in self.store.case_numbers(None):
            for version in self.store.get(case_number).versions:
                candidates[f"{QR_PREFIX}|{version.case_number}|v{version.version}|{version.record_hash}"] = version
        texts = list(candidates)
        named: list[str | None] = []
        for picture in pictures:
            match = best_match(picture, texts) if picture is not None else None
            named.append(match[0] if match else None)
        first = next((n for n in named if n is not None), None)
        if first is None:
            stamp = MemoStamp("unknown", 1, "0" * 64, "0" * 64)
            verdict = "no page's QR code names a record this log holds. " + SCAN_NOTE
            return self.result(stamp, False, verdict, "scan", page=1, notes=(SCAN_NOTE,))
        version = candidates[first]
        stamp = MemoStamp(version.case_number, version.version, version.record_hash, "0" * 64)
        for number, page_names in enumerate(named, start=1):
            if page_names != first:
                what = (
                    "shows no QR code the log knows" if page_names is None else f"names another record ({page_names})"
                )
                verdict = f"scan: page {number} {what}, while page 1 names case {version.case_number}. " + SCAN_NOTE
                return self.result(stamp, False, verdict, "scan", page=number, notes=(SCAN_NOTE,))
        record = self.store.get(version.case_number)
        newer = self.newer(record, version)
        verdict = (
            f"scan: the QR code on every page ({len(named)}) names case {version.case_number} version "
            f"{version.version}, record sha256 {version.record_hash}, which this log holds{newer}. This proves only "
            f"which record the paper names, not what it says: compare it by eye with a fresh print of case "
            f"{version.case_number}"
            + (f" (and print version {record.current.version}, the current one)" if newer else "")
            + ". "
            + SCAN_NOTE
        )
        current = record.current.version if newer else None
        return self.result(stamp, True, verdict, "scan", notes=(SCAN_NOTE,), newer_version=current)


def _first_mark_on_flat(expected: bytes, found: bytes) -> int | None:
    """The first page (from 1) with a mark where the memo is flat: pixels, at 300 dpi, that differ by more than
    FLAT_TOLERANCE from the memo where it and all around it (5 by 5 pixels) are one shade. Edges of letters,
    where a re-render may differ, are left to the coarse comparison."""
    from PIL import ImageChops, ImageFilter

    from desktop.memo.pages import page_images

    for number, (want, got) in enumerate(
        zip(page_images(expected, dpi=PRINT_DPI), page_images(found, dpi=PRINT_DPI), strict=False), start=1
    ):
        if want.size != got.size:
            return number
        spread = ImageChops.subtract(want.filter(ImageFilter.MaxFilter(5)), want.filter(ImageFilter.MinFilter(5)))
        flat = spread.point(lambda v: 255 if v == 0 else 0)
        marked = ImageChops.difference(want, got).point(lambda v: 255 if v > FLAT_TOLERANCE else 0)
        if ImageChops.multiply(flat, marked).histogram()[255] > FLAT_MARK_PIXELS:
            return number
    return None


def _first_drawing_difference(a: bytes, b: bytes) -> int | None:
    """The first page (from 1) whose drawing instructions (its decoded content) differ between two PDFs."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        first, second = PdfReader(io.BytesIO(a)).pages, PdfReader(io.BytesIO(b)).pages
        for number, (x, y) in enumerate(zip(first, second, strict=False), start=1):
            one, other = x.get_contents(), y.get_contents()
            if (one.get_data() if one else b"") != (other.get_data() if other else b""):
                return number
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
        return 1
    return None


def verify_memo(store: CaseStore, memo: Path, *, admin_fingerprint: str | None = None) -> MemoCheck:
    """Is this file the memo of a record this log holds, saying and showing exactly what that memo does?

    Raises MemoError when the file is not readable as a memo (exit 2 at the command line).
    """
    from desktop.memo.stamp import read_memo

    return _Checker(store, Path(memo), admin_fingerprint).check(read_memo(Path(memo)))
