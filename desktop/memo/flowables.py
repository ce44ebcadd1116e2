"""A light flowable for long free text (the officer's notes): wrapped once, split by lines, drawn as plain text."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus import Flowable


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of `text` no wider than `width`: its own line breaks kept, runs of spaces made one.

    A word wider than the whole line (a pasted link, a hash) is cut between characters.
    """
    space = stringWidth(" ", font, size)
    lines: list[str] = []
    for logical in text.split("\n"):
        words = logical.split()
        if not words:
            lines.append("")
            continue
        current: list[str] = []
        used = 0.0
        for word in words:
            word_width = stringWidth(word, font, size)
            if word_width > width:
                if current:
                    lines.append(" ".join(current))
                    current, used = [], 0.0
                pieces = _cut(word, font, size, width)
                lines.extend(pieces[:-1])
                current, used = [pieces[-1]], stringWidth(pieces[-1], font, size)
                continue
            extra = word_width if not current else space + word_width
            if current and used + extra > width:
                lines.append(" ".join(current))
                current, used = [word], word_width
            else:
                current.append(word)
                used += extra
        lines.append(" ".join(current))
    return lines


def _cut(word: str, font: str, size: float, width: float) -> list[str]:
    pieces: list[str] = []
    start = 0
    used = 0.0
    for index, char in enumerate(word):
        char_width = stringWidth(char, font, size)
        if used + char_width > width and index > start:
            pieces.append(word[start:index])
            start, used = index, 0.0
        used += char_width
    pieces.append(word[start:])
    return pieces


class TextLines(Flowable):
    """Plain text of any length that flows over as many pages as it needs.

    reportlab's Paragraph re-measures every word each time it is split across a page, which for 200 KB of
    notes takes about a second; this measures each word once and splits between lines.
    """

    def __init__(
        self,
        text: str,
        font: str,
        size: float,
        leading: float,
        *,
        wrapped: Sequence[str] | None = None,
        wrapped_width: float | None = None,
    ) -> None:
        super().__init__()
        self.text = text
        self.font = font
        self.size = size
        self.leading = leading
        self._lines: list[str] | None = list(wrapped) if wrapped is not None else None
        self._lines_width = wrapped_width

    def lines(self, width: float) -> list[str]:
        if self._lines is None or self._lines_width is None or abs(self._lines_width - width) > 0.01:
            self._lines = wrap_text(self.text, self.font, self.size, width)
            self._lines_width = width
        return self._lines

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        self.width = aW
        self.height = len(self.lines(aW)) * self.leading
        return self.width, self.height

    def split(self, aW: float, aH: float) -> list[Flowable]:
        lines = self.lines(aW)
        fits = int(aH // self.leading)
        if fits <= 0:
            return []
        if fits >= len(lines):
            return [self]
        rest = lines[fits:]
        while rest and not rest[0].strip():  # no blank lines at the top of the next page
            rest = rest[1:]
        parts: list[Flowable] = [self._part(lines[:fits], aW)]
        if rest:
            parts.append(self._part(rest, aW))
        return parts

    def _part(self, lines: list[str], width: float) -> TextLines:
        return TextLines("\n".join(lines), self.font, self.size, self.leading, wrapped=lines, wrapped_width=width)

    def draw(self) -> None:
        lines = self._lines or []
        ascent, _descent = getAscentDescent(self.font, self.size)
        text = self.canv.beginText(0, self.height - ascent - (self.leading - self.size) / 2)
        text.setFont(self.font, self.size, self.leading)
        for line in lines:
            text.textLine(line)
        self.canv.drawText(text)
