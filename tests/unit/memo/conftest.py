"""Fixtures for the memo tests: real memos rendered once per module and read back with pypdf."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import pytest
from pypdf import PdfReader

from desktop.records import CaseRecord
from desktop.rules.pack import Pack
from tests.unit.memo import samples


def norm(text: str) -> str:
    """Text as compared: NFC, every run of whitespace (line breaks from extraction included) made one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass
class Memo:
    """A rendered memo and what pypdf reads back from it."""

    pdf: bytes

    @cached_property
    def reader(self) -> PdfReader:
        return PdfReader(io.BytesIO(self.pdf))

    @cached_property
    def pages(self) -> list[str]:
        return [page.extract_text() for page in self.reader.pages]

    @cached_property
    def text(self) -> str:
        """All pages' text, normalised."""
        return norm("\n".join(self.pages))

    def body(self) -> str:
        """The body text of all pages, without running headers and footers, normalised.

        Page 1 ends with the 5 footer lines; later pages also start with the 2 running-header lines.
        """
        parts = []
        for number, page in enumerate(self.pages, start=1):
            lines = page.splitlines()
            lines = lines[:-FOOTER_LINES]
            if number > 1:
                lines = lines[HEADER_LINES:]
            parts.append("\n".join(lines))
        return norm("\n".join(parts))


FOOTER_LINES = 5
HEADER_LINES = 2


def section(text: str, start: str, end: str) -> str:
    """The text between two headings."""
    match = re.search(re.escape(start) + "(.*?)" + re.escape(end), text)
    assert match, f"no text between {start!r} and {end!r}"
    return match.group(1)


@pytest.fixture(scope="module")
def render(pack: Pack):
    """Render a record's memo with the sample chain head."""
    from desktop.memo import render_memo

    def _render(record: CaseRecord, chain_head: str = samples.CHAIN_HEAD) -> Memo:
        return Memo(render_memo(record, pack, chain_head=chain_head))

    return _render


@pytest.fixture(scope="module")
def decline(pack: Pack) -> CaseRecord:
    return samples.single(pack, samples.DECLINE)


@pytest.fixture(scope="module")
def decline_memo(render, decline: CaseRecord) -> Memo:
    return render(decline)
