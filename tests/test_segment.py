from __future__ import annotations

from dedup.io import Document
from dedup.segment import segment


def test_paragraphs_are_non_blank_lines_with_their_line_numbers() -> None:
    doc = Document("a.txt", "　　第一段。\r\n\r\n  \n第二段\u200b\r第三段\n")
    paragraphs = list(segment(doc, 7))
    assert [(p.line, p.text) for p in paragraphs] == [(1, "第一段。"), (4, "第二段"), (5, "第三段")]
    assert {p.doc for p in paragraphs} == {7}
    assert {p.path for p in paragraphs} == {"a.txt"}


def test_seed_page_has_one_paragraph_per_line(seed_text: str) -> None:
    paragraphs = list(segment(Document("p.txt", seed_text), 0))
    assert len(paragraphs) == len(seed_text.splitlines())
    assert paragraphs[0].text == "來源:大眾日報"
