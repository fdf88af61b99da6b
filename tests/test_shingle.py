from __future__ import annotations

import jieba
import numpy as np

from dedup import normalise
from dedup.shingle import distinct, shingle_batch, take_rows, word_segmenter
from tests.conftest import sighan_lines


def test_fast_segmenter_agrees_with_jieba_on_real_text() -> None:
    lines = [normalise(line) for line in sighan_lines("msr_test.utf8")[:400]]
    cut = word_segmenter()
    agree = sum(cut(line) == jieba.lcut(line) for line in lines)
    assert agree >= 0.97 * len(lines)


def test_char_ngrams_count_and_empty_key() -> None:
    hashes, offsets = shingle_batch(["一二三四五", "", "一二"], "char", 3)
    assert np.diff(offsets).tolist() == [3, 0, 1]
    assert len(hashes) == 4


def test_a_key_hashes_the_same_whatever_its_batch_neighbours() -> None:
    key = normalise(sighan_lines("pku_test.utf8")[5])
    for kind in ("word", "char"):
        alone, _ = shingle_batch([key], kind, 2)
        batch, o2 = shingle_batch(["前面的文字", key, "后面"], kind, 2)
        assert alone.tolist() == batch[o2[1] : o2[2]].tolist()


def test_word_shingles_are_word_bigrams() -> None:
    key = "枣庄高新区零碳智谷拔节生长"
    words = word_segmenter()(key)
    hashes, _ = shingle_batch([key], "word", 2)
    assert len(hashes) == len(words) - 1
    # The same bigram in another key gets the same hash.
    tail, _ = shingle_batch(["".join(words[-2:])], "word", 2)
    assert tail[0] == hashes[-1]


def test_shingle_sets_of_near_copies_overlap_and_of_strangers_do_not() -> None:
    lines = [normalise(line) for line in sighan_lines("msr_test.utf8") if len(line) > 60][:2]
    edited = lines[0][:20] + "某" + lines[0][21:]
    hashes, offsets = shingle_batch([lines[0], edited, lines[1]], "word", 2)
    sets = [set(hashes[offsets[i] : offsets[i + 1]].tolist()) for i in range(3)]
    assert len(sets[0] & sets[1]) / len(sets[0] | sets[1]) > 0.7
    assert len(sets[0] & sets[2]) / len(sets[0] | sets[2]) < 0.1


def test_take_rows_keeps_the_rows_asked_for_in_order() -> None:
    hashes, offsets = shingle_batch(["一二三四", "", "五六七", "八九十百千"], "char", 2)
    taken, new_offsets = take_rows(hashes, offsets, np.array([3, 1, 0]))
    rows = [taken[new_offsets[i] : new_offsets[i + 1]].tolist() for i in range(3)]
    assert rows == [hashes[offsets[r] : offsets[r + 1]].tolist() for r in (3, 1, 0)]


def test_distinct_is_numpys_unique() -> None:
    values = np.random.default_rng(2).integers(0, 50, size=400)
    assert distinct(values).tolist() == np.unique(values).tolist()
    assert distinct(np.zeros(0, dtype=np.int64)).tolist() == []
