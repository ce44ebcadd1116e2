"""The memo's machine-readable stamp: written into the PDF's metadata, read back to check a memo against the log."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from desktop.errors import BadInput

STAMP_PREFIX = "safedesk-memo"
MAX_MEMO_BYTES = 64 * 1024 * 1024  # a memo to check, printed or scanned back: far more than any memo
DRAFT_STAMP = "safedesk-draft;not recorded"
DRAFT_MARK = "DRAFT - NOT RECORDED"
QR_PREFIX = "SAFEDESK"

_HASH = r"[0-9a-f]{64}"
_STAMP = re.compile(
    rf"^{STAMP_PREFIX};case=(?P<case>[^;\s]+);version=(?P<version>[1-9]\d*);"
    rf"record=(?P<record>{_HASH});chain=(?P<chain>{_HASH})$"
)
CASE_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
# The stamp band printed on every page (desktop.memo.page draws it with these words): the fallback when the
# metadata is gone. The band is drawn last, so its lines are the last matches on the page (notes cannot
# shadow them).
FOOTER_DRAFT = f"{DRAFT_MARK}: a preview, not a record of the City"
RECORD_LABEL = "Record sha256:"
CHAIN_LABEL = "Audit chain head:"
ADMIN_LABEL = "Admin key"
_FOOTER_CASE = re.compile(r"Case (?P<case>\S+), version (?P<version>[1-9]\d*) of \d+")
_FOOTER_RECORD = re.compile(rf"{RECORD_LABEL}\s*(?P<record>{_HASH})")
_FOOTER_CHAIN = re.compile(rf"{CHAIN_LABEL}\s*(?P<chain>{_HASH})")


def footer_case_line(case_number: str, version: int, versions: int) -> str:
    """The band's headline on a recorded memo, as _FOOTER_CASE reads it back."""
    return f"Case {case_number}, version {version} of {versions}"


class MemoError(BadInput, ValueError):
    """A memo that cannot be made or read: the message says what is wrong, in words an officer can act on."""


@dataclass(frozen=True)
class MemoStamp:
    """What a printed memo says about the record it was printed from."""

    case_number: str
    version: int
    record_hash: str
    chain_head: str

    def to_text(self) -> str:
        """The stamp as kept in the PDF's Subject and Keywords."""
        return (
            f"{STAMP_PREFIX};case={self.case_number};version={self.version};"
            f"record={self.record_hash};chain={self.chain_head}"
        )

    def qr_text(self) -> str:
        """What the QR code on every page carries."""
        return f"{QR_PREFIX}|{self.case_number}|v{self.version}|{self.record_hash}"


def parse_stamp(text: str) -> MemoStamp | None:
    """The stamp in `text`, or None when `text` is not a memo stamp."""
    match = _STAMP.match(text.strip())
    if match is None:
        return None
    return MemoStamp(match["case"], int(match["version"]), match["record"], match["chain"])


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    matches = list(pattern.finditer(text))
    return matches[-1] if matches else None


def _stamp_from_footer(text: str) -> MemoStamp | None:
    case = _last(_FOOTER_CASE, text)
    record = _last(_FOOTER_RECORD, text)
    chain = _last(_FOOTER_CHAIN, text)
    if case is None or record is None or chain is None:
        return None
    return MemoStamp(case["case"], int(case["version"]), record["record"], chain["chain"])


def read_paper(path: Path) -> bytes:
    """A memo or notice handed back to check: a regular file, read to its limit (MemoError, one line, else)."""
    return _read_bytes(path)[0]


def _read_bytes(pdf: bytes | str | Path) -> tuple[bytes, str]:
    if isinstance(pdf, bytes | bytearray):
        return bytes(pdf), "the file"
    from desktop.readfile import FileRefused, read_regular

    path = Path(pdf)
    try:
        return read_regular(path, MAX_MEMO_BYTES, what="a memo to check"), str(path)
    except FileRefused as exc:
        raise MemoError(str(exc)) from None


def _open_pdf(pdf: bytes | str | Path, *, first_page_only: bool) -> tuple[str, bytes, list[str], tuple[str, ...]]:
    """A PDF's name, bytes, metadata stamp fields (Subject, Keywords) and page text (page 1 only, or all).

    Raises MemoError naming the file when it cannot be read, is not a PDF, or is damaged.
    """
    data, name = _read_bytes(pdf)
    if not data.lstrip()[:5] == b"%PDF-":
        raise MemoError(f"{name} is not a PDF (it does not start with %PDF-)")
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs its repairs ("EOF marker not found") as warnings; the error below says it once, in words.
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        metadata = reader.metadata
        fields = [str(metadata.get(key) or "") for key in ("/Subject", "/Keywords")] if metadata else []
        wanted = reader.pages[:1] if first_page_only else reader.pages
        pages = tuple(page.extract_text() or "" for page in wanted)
    except (PyPdfError, ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise MemoError(f"{name} is a damaged PDF and cannot be read ({exc})") from None
    finally:
        pypdf_log.setLevel(level)
    return name, data, fields, pages


def read_memo_stamp(pdf: bytes | str | Path) -> MemoStamp:
    """Read the case number, version, record hash and chain head a memo PDF was printed with.

    The stamp is read from the PDF's metadata (Subject, else Keywords), and checked against the
    footer printed on the first page when that text can be extracted; a memo whose metadata has been
    lost is read from its footer alone.

    Raises:
        MemoError: the file cannot be read, is not a PDF, is not a Safe Communities Desk memo, is a
            draft (a draft was never recorded), or its metadata and its printed footer disagree.
    """
    name, _data, fields, pages = _open_pdf(pdf, first_page_only=True)
    first_page = pages[0] if pages else ""

    draft = MemoError(
        f"{name} is a draft memo ({DRAFT_MARK}): a draft was never recorded, so there is nothing to verify; "
        "print the memo of the recorded case instead"
    )
    if any(DRAFT_STAMP in field for field in fields):
        raise draft
    stamps = [s for s in (parse_stamp(field) for field in fields) if s is not None]
    from_metadata = stamps[0] if stamps else None
    from_footer = _stamp_from_footer(first_page)
    if from_metadata is not None and from_footer is not None and from_metadata != from_footer:
        raise MemoError(
            f"{name}: the memo's metadata ({from_metadata.to_text()}) and its printed footer "
            f"({from_footer.to_text()}) disagree; the file has been altered"
        )
    stamp = from_metadata or from_footer
    if stamp is not None:
        return stamp
    if FOOTER_DRAFT in first_page:
        raise draft
    if any(field.startswith(STAMP_PREFIX) for field in fields):
        raise MemoError(f"{name}: the memo stamp in the PDF's metadata is damaged and no footer could be read")
    raise MemoError(f"{name} is a PDF but not a Safe Communities Desk memo (no memo stamp, no memo footer)")


@dataclass(frozen=True)
class MemoReading:
    """What a memo file says of itself: its stamp in the metadata, its footers and its text, page by page."""

    name: str
    data: bytes
    pages: tuple[str, ...]  # the text of each page, as extracted
    metadata_stamp: MemoStamp | None
    footer_stamps: tuple[MemoStamp | None, ...]  # the stamp printed in each page's footer

    @property
    def is_scan(self) -> bool:
        """No text at all: a picture of the paper (a scan, or the output of a print to a PDF file)."""
        return bool(self.pages) and not any(page.strip() for page in self.pages)

    @property
    def stamp(self) -> MemoStamp | None:
        """The record the memo names: its metadata, else the first page's footer, else any page's footer."""
        return self.metadata_stamp or next((s for s in self.footer_stamps if s is not None), None)


def read_memo(pdf: bytes | str | Path) -> MemoReading:
    """Read a memo file: its metadata stamp, each page's footer stamp and each page's text.

    Unlike read_memo_stamp it does not refuse a memo whose metadata and footers disagree: that is an
    altered memo of the log, for the check to report. A scan (pages without text) reads with no stamp.

    Raises:
        MemoError: the file cannot be read, is not a PDF, is damaged, is a draft, or is a PDF with text
            that is not a Safe Communities Desk memo.
    """
    name, data, fields, pages = _open_pdf(pdf, first_page_only=False)
    if not pages:
        raise MemoError(f"{name} has no pages")
    if any(DRAFT_STAMP in field for field in fields) or any(FOOTER_DRAFT in page for page in pages):
        raise MemoError(
            f"{name} is a draft memo ({DRAFT_MARK}): a draft was never recorded, so there is nothing to verify; "
            "print the memo of the recorded case instead"
        )
    stamps = [s for s in (parse_stamp(field) for field in fields) if s is not None]
    reading = MemoReading(name, data, pages, stamps[0] if stamps else None, tuple(map(_stamp_from_footer, pages)))
    if reading.stamp is None and not reading.is_scan:
        if any(field.startswith(STAMP_PREFIX) for field in fields):
            raise MemoError(f"{name}: the memo stamp in the PDF's metadata is damaged and no footer could be read")
        raise MemoError(f"{name} is a PDF but not a Safe Communities Desk memo (no memo stamp, no memo footer)")
    return reading


_FOOTER_ADMIN = re.compile(rf"{ADMIN_LABEL} ((?:[0-9A-F]{{4}} ?)+)")


def printed_admin_key(page_text: str) -> str | None:
    """The admin key fingerprint printed in a page's footer, as hex digits, or None."""
    match = _last(_FOOTER_ADMIN, page_text)
    return match[1].replace(" ", "").lower() if match else None
