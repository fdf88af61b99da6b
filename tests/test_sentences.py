"""Sentence splitting on real punctuation: closing quotes stay with their sentence."""

from __future__ import annotations

from dedup.sentences import split_many, split_sentences
from tests.conftest import sighan_lines


def test_quotes_stay_with_their_sentence() -> None:
    text = "「他說：『好。』」然後走了！真的？最後……沒了"
    assert split_sentences(text) == ["「他說：『好。』」", "然後走了！", "真的？", "最後……", "沒了"]


def test_a_decimal_point_ends_nothing() -> None:
    assert split_sentences("增長3.5%。下降1.2%;") == ["增長3.5%。", "下降1.2%;"]


def test_sentences_rejoin_to_the_text_on_real_lines() -> None:
    for line in sighan_lines("pku_test.utf8")[:500]:
        assert "".join(split_sentences(line)) == "".join(line.split())


def test_a_half_width_ideographic_full_stop_ends_a_sentence() -> None:
    assert split_sentences("印尼方面則較複雜｡以它為基礎｡") == ["印尼方面則較複雜｡", "以它為基礎｡"]


def test_split_many_splits_each_text_as_split_sentences_does() -> None:
    lines = [*sighan_lines("pku_test.utf8")[:500], "", "……", " 。", "增長3.", ".5", "好。」」"]
    assert split_many(lines) == [split_sentences(line) or [line] for line in lines]
    with_breaks = ["第一句。\n第二句", "第三句"]  # a line break ends the fast path, not a text
    assert split_many(with_breaks) == [split_sentences(t) or [t] for t in with_breaks]
