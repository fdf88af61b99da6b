from __future__ import annotations

import pytest

from dedup import segment as segment_module
from dedup.io import Document
from dedup.segment import segment, split_document


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


def test_split_document_cuts_at_line_ends_and_keeps_line_numbers() -> None:
    lines = [f"第{i}行的文字" * (1 + i % 7) for i in range(300)]
    ends = ("\n", "\r\n", "\r")
    text = "".join(line + ends[i % 3] for i, line in enumerate(lines)) + "最后一行没有换行"
    whole = Document("a.txt", text, "utf-8", "warned")
    parts = list(split_document(whole, 100))
    assert len(parts) > 20
    assert "".join(p.text for p in parts) == text
    assert [p.part for p in parts] == list(range(len(parts)))
    assert [p.warning for p in parts] == ["warned"] + [""] * (len(parts) - 1)
    for part in parts[:-1]:  # whole lines, a CRLF never cut in two
        assert part.text.endswith(("\n", "\r")) and not part.text.startswith("\n")
        assert len(part.text) >= 100
    found = [(p.line, p.text) for part in parts for p in segment(part, 0)]
    assert found == [(p.line, p.text) for p in segment(whole, 0)]


def test_split_document_keeps_a_line_whole() -> None:
    text = "短行\n" + "一句很长的话。" * 100 + "\n短行\n"
    parts = list(split_document(Document("a.txt", text), 50))
    assert [p.text for p in parts] == ["短行\n" + "一句很长的话。" * 100 + "\n", "短行\n"]
    assert [p.first_line for p in parts] == [1, 3]


def test_a_long_line_is_cut_at_sentence_ends_alike_everywhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(segment_module, "LONG_LINE", 40)
    sentences = [f"第{i}句话说的是{i * 7}件事情。" for i in range(60)]
    text = "开头一行\r\n" + "".join(sentences) + "没有句号的结尾" * 9 + "\n最后一行"
    lines = segment_module.lines_with_ends(text)
    assert "".join(line + end for line, end in lines) == text
    long = [line for line, end in lines[1:-1]]
    assert len(long) > 5 and all(40 <= len(line) <= 80 for line in long[:-1])
    assert all(line.endswith("。") for line in long[:-2])  # cut at sentence ends
    assert segment_module.split_lines(text) == [line for line, _ in lines]
    whole = [(p.line, p.text) for p in segment(Document("a.txt", text), 0)]
    assert whole[0] == (1, "开头一行") and whole[-1] == (len(lines), "最后一行")
    for size in (1, 50, 100, 1000):
        parts = list(split_document(Document("a.txt", text), size))
        assert "".join(p.text for p in parts) == text
        assert [(p.line, p.text) for d in parts for p in segment(d, 0)] == whole
