from __future__ import annotations

from pathlib import Path

import opencc

import dedup
from dedup.normalise import fold_batch, normalise_batch
from dedup.phrases import PhraseRules, opencc_phrase_pairs, rewrite_rules
from dedup.transliterations import read_classes
from dedup.vocabulary import read_words, word_pairs
from tests.conftest import check_regional_table


def test_the_table_is_well_formed_and_apart_from_the_names() -> None:
    words = read_words()
    assert len(words) >= 25
    owner = check_regional_table(words)
    names = {form for c in read_classes() for form in fold_batch(list(c.forms))}
    assert not names & set(owner)
    assert word_pairs() == [(c.mainland, form) for c in words for form in c.forms[1:]]


def test_each_word_has_one_key_written_the_mainland_way() -> None:
    words = read_words()
    for c in words:
        assert normalise_batch(list(c.forms)) == [c.mainland] * len(c.forms), c
    assert len(set(normalise_batch([c.mainland for c in words]))) == len(words)


def test_opencc_alone_leaves_every_listed_word_apart(tmp_path: Path) -> None:
    """Each word of the table has a regional form that OpenCC's phrase dictionaries leave
    apart from the mainland one (筆記型電腦 they make 笔记本电脑 already; 手提電腦 not)."""
    rules = PhraseRules(rewrite_rules(opencc_phrase_pairs(), fold_batch), tmp_path)
    for c in read_words():
        keys = rules.unify(fold_batch(list(c.forms)))
        assert any(key != keys[0] for key in keys[1:]), c


def test_a_short_line_localised_for_taiwan_is_a_copy() -> None:
    """A line too short for one changed word to pass the Jaccard threshold: only its key
    makes the Taiwan reprint a copy."""
    line = "今年本市菠萝产量比去年增加三成"
    taiwan = opencc.OpenCC("s2twp").convert(line).replace("菠蘿", "鳳梨")
    assert "鳳梨" in taiwan
    texts = {"cn.txt": line, "tw.txt": taiwan}
    assert len(dedup.scan(texts, progress=False).clusters) == 1
    assert dedup.clean_texts(texts) == {"cn.txt": line, "tw.txt": ""}
    # Another fruit is another fact only by the words' meaning: the line differs, and
    # is too short to be a near copy, so both stay.
    other = {"cn.txt": line, "tw.txt": taiwan.replace("鳳梨", "芒果")}
    assert dedup.clean_texts(other) == other
