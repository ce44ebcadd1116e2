"""What is inside a scan: pictures decoded to the last pixel and PDFs read object by object (attachments.py).

Split from attachments.py, which reads the file and cleans its name; this module only judges bytes.
`check_picture` and `check_pdf` raise InvalidInput naming the file and the problem in one line.
"""

from __future__ import annotations

import io
import re
import warnings
import zlib
from collections.abc import Iterator
from typing import Any, Final

from desktop.records import printable
from desktop.store.errors import InvalidInput

# A legal-size page at 600 dpi is 43 megapixels; more than this is not a scan of paper but a picture made
# to exhaust memory when decoded (a "decompression bomb": a few kilobytes that decode to gigabytes).
MAX_SCAN_PIXELS: Final = 64_000_000
MAX_SCAN_PAGES: Final = 500  # pages of a multi-page TIFF, each decoded
# After a picture's end mark (or a PDF's last %%EOF) only this much zero padding is tolerated: some scanner
# firmware and copy tools pad a file to a block, and zeros carry nothing. Any other byte there is refused.
MAX_PADDING_BYTES: Final = 4096
_FORMAT_NAMES: Final = {"image/png": "PNG", "image/jpeg": "JPEG", "image/tiff": "TIFF", "application/pdf": "PDF"}

# --- pictures ---------------------------------------------------------------------------------------------


class _Damaged(Exception):
    """The structure of a picture is broken (said in words)."""


def _png_end(content: bytes) -> int:
    """Where the PNG ends: just after its IEND chunk. Every chunk's checksum is checked on the way."""
    position = 8
    while True:
        if position + 12 > len(content):
            raise _Damaged("it ends before its IEND chunk")
        length = int.from_bytes(content[position : position + 4], "big")
        kind = content[position + 4 : position + 8]
        end = position + 12 + length
        if length > 0x7FFFFFFF or end > len(content):
            raise _Damaged(f"its {kind.decode('latin-1')!r} chunk runs past the end of the file")
        if zlib.crc32(content[position + 4 : end - 4]) != int.from_bytes(content[end - 4 : end], "big"):
            raise _Damaged(f"the checksum of its {kind.decode('latin-1')!r} chunk is wrong")
        if kind == b"IEND":
            return end
        position = end


def _jpeg_end(content: bytes) -> int:
    """Where the JPEG ends: just after the EOI marker that closes its last scan."""
    position = 2
    size = len(content)
    while True:
        if position + 2 > size or content[position] != 0xFF:
            raise _Damaged("it ends before its end-of-image marker")
        marker = content[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:
            return position + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            position += 2
            continue
        if position + 4 > size:
            raise _Damaged("it ends inside a segment")
        end = position + 2 + int.from_bytes(content[position + 2 : position + 4], "big")
        if end > size:
            raise _Damaged("a segment runs past the end of the file")
        if marker != 0xDA:
            position = end
            continue
        # Start of scan: entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart.
        position = end
        while True:
            position = content.find(b"\xff", position)
            if position < 0 or position + 1 >= size:
                raise _Damaged("it ends inside its picture data")
            following = content[position + 1]
            if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                position += 1 if following == 0xFF else 2
                continue
            break


_TIFF_TYPE_SIZES: Final = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
_TIFF_DATA_PAIRS: Final = ((273, 279), (324, 325), (513, 514))  # strips, tiles, old-style JPEG: offsets, counts
_TIFF_SUB_IFDS: Final = (330, 34665, 34853, 40965)  # sub-pictures, Exif, GPS, interoperability


def _tiff_end(content: bytes) -> int:
    """Where the TIFF's last byte in use is: the end of the furthest directory, value or strip it points to."""
    order: Any = "little" if content[:2] == b"II" else "big"
    size = len(content)

    def number(at: int, width: int) -> int:
        if at + width > size:
            raise _Damaged("a directory points past the end of the file")
        return int.from_bytes(content[at : at + width], order)

    end = 8
    seen: set[int] = set()
    todo = [number(4, 4)]
    while todo:
        directory = todo.pop()
        if directory == 0 or directory in seen:
            continue
        if len(seen) >= 4 * MAX_SCAN_PAGES:
            raise _Damaged("it has too many directories")
        seen.add(directory)
        count = number(directory, 2)
        after = directory + 2 + 12 * count
        end = max(end, after + 4)
        values: dict[int, list[int]] = {}
        for entry in range(directory + 2, after, 12):
            tag, kind, items = number(entry, 2), number(entry + 2, 2), number(entry + 4, 4)
            length = _TIFF_TYPE_SIZES.get(kind, 1) * items
            at = entry + 8
            if length > 4:
                at = number(entry + 8, 4)
                if at + length > size:
                    raise _Damaged(f"the value of tag {tag} runs past the end of the file")
                end = max(end, at + length)
            if kind in (3, 4, 13) and (tag in _TIFF_SUB_IFDS or any(tag in pair for pair in _TIFF_DATA_PAIRS)):
                width = 2 if kind == 3 else 4
                values[tag] = [number(at + width * i, width) for i in range(items)]
        for tag in _TIFF_SUB_IFDS:
            todo.extend(values.get(tag, []))
        for offsets, counts in _TIFF_DATA_PAIRS:
            for start, length in zip(values.get(offsets, []), values.get(counts, []), strict=False):
                if start + length > size:
                    raise _Damaged("its picture data runs past the end of the file")
                end = max(end, start + length)
        todo.append(number(after, 4))
    return end


_PICTURE_ENDS: Final = {"image/png": _png_end, "image/jpeg": _jpeg_end, "image/tiff": _tiff_end}


def _one_line(reason: object) -> str:
    text = " ".join(printable(str(reason)).split()) or type(reason).__name__
    return text if len(text) <= 100 else text[:99] + "…"


def _hidden_after(shown: str, trailing: bytes, what: str) -> InvalidInput | None:
    """The refusal for bytes after a file's end, or None when they are only a little zero padding."""
    if not trailing or (len(trailing) <= MAX_PADDING_BYTES and not trailing.strip(b"\x00")):
        return None
    return InvalidInput(
        f"{shown} has {len(trailing):,} bytes after the end of its {what} (another file may be hidden there); "
        "scans may carry nothing else: save it again as a new file or scan the paper again"
    )


def check_picture(shown: str, content: bytes, content_type: str) -> None:
    """Decode every page of a picture to its last pixel, and refuse anything after its end."""
    from PIL import Image

    format_name = _FORMAT_NAMES[content_type]

    def damaged(reason: object) -> InvalidInput:
        return InvalidInput(
            f"{shown} is a damaged {format_name} picture ({_one_line(reason)}); it cannot be checked: "
            "scan the paper again"
        )

    try:
        end = _PICTURE_ENDS[content_type](content)
    except _Damaged as exc:
        raise damaged(exc) from None
    hidden = _hidden_after(shown, content[end:], f"{format_name} picture")
    if hidden is not None:
        raise hidden
    try:
        with warnings.catch_warnings():
            # Pillow warns above 89 megapixels and refuses above 179; the stricter limit here is checked
            # page by page below, before a page is decoded.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[format_name]) as image:
                pages = int(getattr(image, "n_frames", 1))
                if pages > MAX_SCAN_PAGES:
                    raise InvalidInput(f"{shown} has {pages} pages; scans may have at most {MAX_SCAN_PAGES}")
                for page in range(pages):
                    image.seek(page)
                    width, height = image.size
                    if width * height > MAX_SCAN_PIXELS:
                        raise InvalidInput(
                            f"{shown} is a {width}×{height} picture ({width * height / 1e6:.0f} megapixels); "
                            f"scans may be at most {MAX_SCAN_PIXELS // 1_000_000} megapixels a page: "
                            "scan at a lower resolution"
                        )
                    image.load()
            with Image.open(io.BytesIO(content), formats=[format_name]) as image:
                image.verify()  # the checks decoding skips (PNG chunk checksums, among others)
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, MemoryError):
        raise InvalidInput(f"{shown} decodes to a picture too large to be a scan; scan at a lower resolution") from None
    except Exception as exc:  # Pillow raises many kinds on broken data (OSError, SyntaxError, ValueError, ...)
        raise damaged(exc) from None


# --- PDF --------------------------------------------------------------------------------------------------

# What a scan of paper never needs, and what makes a PDF do something when it is opened or clicked. Each is
# refused, with the words that say why; the first that applies (in this order) is the one named.
_PDF_PROBLEMS: Final = {
    "auto-javascript": ("carries JavaScript (an auto-run action)", "carry scripts"),
    "javascript": ("carries JavaScript", "carry scripts"),
    "launch": ("carries a Launch action (it starts a program or opens a file)", "start programs"),
    "embedded": ("carries an embedded file", "carry other files"),
    "xfa": ("carries an XFA form (forms that run scripts)", "carry scripts"),
    "form": ("carries a form action that sends or imports data (SubmitForm, ImportData)", "send or fetch data"),
    "other-file": ("carries a link that opens another file (GoToR, GoToE)", "open other files"),
    "media": ("carries embedded media (RichMedia, Rendition, Movie, Sound or Screen)", "carry media"),
    "auto-uri": ("opens a web address by itself when it is opened (an auto-run URI action)", "open web pages"),
}
# Action types (/S) and what they are.
_ACTIONS: Final = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/SubmitForm": "form",
    "/ImportData": "form",
    "/GoToR": "other-file",
    "/GoToE": "other-file",
    "/Rendition": "media",
    "/RichMediaExecute": "media",
    "/Movie": "media",
    "/Sound": "media",
}
# Keys whose mere presence says what a dictionary is.
_KEYS: Final = {
    "/JS": "javascript",
    "/JavaScript": "javascript",  # the document's JavaScript name tree
    "/EmbeddedFiles": "embedded",  # the embedded-file name tree
    "/EF": "embedded",  # a file specification holding the file itself
    "/XFA": "xfa",
    "/RichMediaContent": "media",
    "/RichMediaSettings": "media",
}
_SUBTYPES: Final = {
    "/FileAttachment": "embedded",
    "/RichMedia": "media",
    "/Movie": "media",
    "/Sound": "media",
    "/Screen": "media",
}
# Names searched for in the raw bytes (outside stream data, and inside compressed object streams), after
# #xx escapes are undone: a name no parser reached is still refused.
_RAW_NAMES: Final = {
    b"JS": "javascript",
    b"JavaScript": "javascript",
    b"Launch": "launch",
    b"EmbeddedFile": "embedded",
    b"EmbeddedFiles": "embedded",
    b"EF": "embedded",
    b"XFA": "xfa",
    b"SubmitForm": "form",
    b"ImportData": "form",
    b"GoToR": "other-file",
    b"GoToE": "other-file",
    b"RichMedia": "media",
    b"RichMediaExecute": "media",
    b"Rendition": "media",
}
_NAME: Final = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
_HEX_ESCAPE: Final = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM: Final = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)(.*?)endstream", re.S)
_MAX_INFLATED: Final = 64 * 1024 * 1024


def _raw_names(data: bytes) -> Iterator[bytes]:
    for match in _NAME.finditer(data):
        yield _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))


def _raw_problems(content: bytes) -> set[str]:
    """Refused names in the raw bytes: in every object outside stream data, and in every object stream."""
    found: set[str] = set()
    outside = _STREAM.sub(b" ", content)
    found.update(_RAW_NAMES[name] for name in _raw_names(outside) if name in _RAW_NAMES)
    previous = 0
    for match in _STREAM.finditer(content):
        dictionary = content[max(previous, match.start() - 4096) : match.start()]
        previous = match.end()
        names = set(_raw_names(dictionary))
        if b"ObjStm" not in names or not names & {b"FlateDecode", b"Fl"}:
            continue  # other streams hold pictures and page drawing, where names mean nothing
        try:
            inflated = zlib.decompressobj().decompress(match.group(1), _MAX_INFLATED)
        except zlib.error:
            continue  # pypdf reads it below, or refuses the file
        found.update(_RAW_NAMES[name] for name in _raw_names(inflated) if name in _RAW_NAMES)
    return found


def _dictionary_problems(value: Any) -> set[str]:
    """What one dictionary is, when it is refused (an action, a script, an embedded file, ...)."""
    from pypdf.generic import ArrayObject, DictionaryObject

    found = {_KEYS[key] for key in value if key in _KEYS}
    action = _ACTIONS.get(str(value.get("/S", "")))
    if action:
        found.add(action)
    subtype = _SUBTYPES.get(str(value.get("/Subtype", "")))
    if subtype:
        found.add(subtype)
    if str(value.get("/Type", "")) == "/EmbeddedFile":
        found.add("embedded")
    # Actions that run by themselves: the document's OpenAction, and additional actions (/AA) of the
    # document, a page or a field (on open, close, focus, keystroke, ...).
    automatic: list[Any] = []
    if "/OpenAction" in value:
        automatic.append(value["/OpenAction"])
    if "/AA" in value:
        triggers = value["/AA"].get_object()
        if isinstance(triggers, DictionaryObject):
            automatic.extend(triggers.values())
    seen = 0
    while automatic and seen < 1000:
        seen += 1
        action = automatic.pop().get_object()
        if isinstance(action, ArrayObject):
            automatic.extend(action)  # a list of actions (or a destination, which has none)
            continue
        if not isinstance(action, DictionaryObject):
            continue
        kind = str(action.get("/S", ""))
        if kind == "/JavaScript" or "/JS" in action:
            found.add("auto-javascript")
        elif kind == "/URI":
            found.add("auto-uri")
        elif kind in _ACTIONS:
            found.add(_ACTIONS[kind])
        if "/Next" in action:
            automatic.append(action["/Next"])
    return found


def _object_problems(reader: Any) -> set[str]:
    """Refused things in the trailer and every indirect object the cross-reference lists (object streams too)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    found: set[str] = set()
    roots: list[Any] = [reader.trailer]
    for generation, numbers in reader.xref.items():
        roots.extend(IndirectObject(number, generation, reader) for number in numbers)
    roots.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    for root in roots:
        stack = [root.get_object() if isinstance(root, IndirectObject) else root]
        while stack:  # the direct objects inside this one; references are reached as objects of their own
            value = stack.pop()
            if isinstance(value, DictionaryObject):  # stream dictionaries included
                found |= _dictionary_problems(value)
                stack.extend(v for v in value.values() if isinstance(v, (DictionaryObject, ArrayObject)))
            elif isinstance(value, ArrayObject):
                stack.extend(v for v in value if isinstance(v, (DictionaryObject, ArrayObject)))
    return found


def check_pdf(shown: str, content: bytes) -> None:
    """Parse the whole PDF (pypdf, then pdfium, which the viewer draws it with) and refuse what it may do."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]
    from pypdf import PdfReader

    def damaged(reason: object) -> InvalidInput:
        return InvalidInput(
            f"{shown} is a damaged PDF ({_one_line(reason)}); it cannot be checked: scan the paper again"
        )

    end = content.rfind(b"%%EOF")
    if end < 0:
        raise damaged("it has no end-of-file mark")
    trailing = content[end + 5 :].strip(b" \t\r\n\x0c")
    hidden = _hidden_after(shown, trailing, "PDF")
    if hidden is not None:
        raise hidden
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InvalidInput(
                f"{shown} is protected by a password, so it cannot be checked: save it without the password "
                "or scan the paper again"
            )
        pages = len(reader.pages)
        problems = _object_problems(reader)
    except InvalidInput:
        raise
    except Exception as exc:  # pypdf raises many kinds on broken files (PdfReadError, ValueError, KeyError, ...)
        raise damaged(exc) from None
    if pages == 0:
        raise damaged("it has no pages")
    problems |= _raw_problems(content)
    for problem, (what, rule) in _PDF_PROBLEMS.items():
        if problem in problems:
            raise InvalidInput(f"{shown} {what}; scans may not {rule}: print it and scan the paper instead")
    try:
        document = pdfium.PdfDocument(content)
    except Exception as exc:  # pdfium cannot open it: the viewer could not show it either
        raise damaged(exc) from None
    try:
        if len(document) == 0:
            raise damaged("it has no pages")
    finally:
        document.close()
