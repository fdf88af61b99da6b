"""Splitting a document into paragraphs: one non-blank line each, with its place in the file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .io import Document

# Indentation and padding that Chinese pages put around a paragraph: ASCII and full-width
# spaces, no-break spaces, zero-width characters and stray BOMs.
_PADDING = " \t\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff"


@dataclass(frozen=True)
class Paragraph:
    """A non-blank line of a document: its text without indentation, and where it stands."""

    doc: int
    """Index of the document in the run, in sorted path order."""
    path: str
    line: int
    """1-based line number in the file."""
    text: str


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, for any of LF, CRLF and CR line ends."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def segment(document: Document, doc: int) -> Iterator[Paragraph]:
    """The paragraphs of ``document``, which is the ``doc``-th of the run (numbered from
    its ``first_line``: a part of a large file starts further down)."""
    for number, line in enumerate(split_lines(document.text), start=document.first_line):
        text = line.strip(_PADDING).strip()
        if text:
            yield Paragraph(doc, document.path, number, text)
