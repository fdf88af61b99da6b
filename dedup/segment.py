"""Splitting a document into paragraphs: one non-blank line each, with its place in the file.

A line ends at LF, CRLF or CR. A line of more than ``LONG_LINE`` characters (a file saved
without line ends, a page flattened into one line) is not one paragraph: it is cut into
lines of about ``LONG_LINE`` characters, each ending at the first sentence end past that
length (or at twice it, if there is none), counted from the start of the line or of the
previous cut. The cuts depend only on the line itself, so the scan (`segment`), a large
file read in parts (`split_document`) and `clean` (`lines_with_ends`) number lines alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .io import Document

# Indentation and padding that Chinese pages put around a paragraph: ASCII and full-width
# spaces, no-break spaces, zero-width characters and stray BOMs.
_PADDING = " \t\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff"

LONG_LINE = 1 << 16
"""Characters after which a line is cut (at a sentence end) into lines of its own."""

_LINE_END = re.compile(r"(\r\n|\r|\n)")
_SENTENCE_END = re.compile(r"[。！？!?；;…]+[”’」』）)》\"']*")


@dataclass(frozen=True)
class Paragraph:
    """A non-blank line of a document: its text without indentation, and where it stands."""

    doc: int
    """Index of the document in the run, in sorted path order."""
    path: str
    line: int
    """1-based line number in the file."""
    text: str


def _cut(line: str) -> list[str]:
    """A line of more than LONG_LINE characters, as the lines it is cut into."""
    pieces, start = [], 0
    while len(line) - start > LONG_LINE:
        found = _SENTENCE_END.search(line, start + LONG_LINE, start + 2 * LONG_LINE)
        cut = found.end() if found else start + 2 * LONG_LINE
        if cut >= len(line):
            break
        pieces.append(line[start:cut])
        start = cut
    pieces.append(line[start:])
    return pieces


def lines_with_ends(text: str) -> list[tuple[str, str]]:
    """The lines of ``text`` with the line end of each (``""`` for the last one, and for
    a long line's cuts): joined, they give ``text`` back."""
    parts = _LINE_END.split(text)  # line, end, line, end, ..., last line
    rows = list(zip(parts[0::2], [*parts[1::2], ""]))
    if max(map(len, parts[0::2])) <= LONG_LINE:
        return rows
    found: list[tuple[str, str]] = []
    for line, end in rows:
        if len(line) > LONG_LINE:
            pieces = _cut(line)
            found.extend((piece, "") for piece in pieces[:-1])
            found.append((pieces[-1], end))
        else:
            found.append((line, end))
    return found


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, for any of LF, CRLF and CR line ends (long lines cut)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if max(map(len, lines)) <= LONG_LINE:
        return lines
    return [line for line, _ in lines_with_ends(text)]


def paragraph_text(line: str) -> str:
    """The paragraph a line holds: the line without its indentation and padding (``　　``,
    spaces, zero-width characters); empty for a blank line."""
    return line.strip(_PADDING).strip()


def segment(document: Document, doc: int) -> Iterator[Paragraph]:
    """The paragraphs of ``document``, which is the ``doc``-th of the run (numbered from
    its ``first_line``: a part of a large file starts further down)."""
    for number, line in enumerate(split_lines(document.text), start=document.first_line):
        text = line.strip(_PADDING).strip()
        if text:
            yield Paragraph(doc, document.path, number, text)


def split_document(document: Document, size: int) -> Iterator[Document]:
    """``document`` in parts of about ``size`` characters (one more line at most), each of
    whole lines (as `lines_with_ends` cuts them), so that every paragraph is whole in one
    part and keeps its line number. Parts after the first carry no warning: the file has
    one."""
    lines = lines_with_ends(document.text)
    first, part = 0, 0
    while first < len(lines):
        chars, last = 0, first
        while last < len(lines) and chars < size:
            chars += len(lines[last][0]) + len(lines[last][1])
            last += 1
        text = "".join(line + end for line, end in lines[first:last])
        yield Document(
            document.path,
            text,
            document.encoding,
            document.warning if part == 0 else "",
            document.row,
            document.id,
            document.first_line + first,
            part,
        )
        first, part = last, part + 1
