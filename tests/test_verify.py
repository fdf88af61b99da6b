from __future__ import annotations

import random

import numpy as np
import pytest

from dedup import normalise
from dedup import verify as verify_module
from dedup.shingle import shingle_batch, take_rows
from dedup.verify import ShingleOverlaps, dense_ranks, verify
from tests.conftest import sighan_lines


def _rows() -> tuple[np.ndarray, np.ndarray, list[frozenset[int]]]:
    """Real keys, near copies of some of them (with repeated shingles), and an empty key,
    as CSR shingles and as Python sets."""
    rng = random.Random(3)
    lines = [normalise(line) for line in sighan_lines("msr_test.utf8") if len(line) > 30][:120]
    copies = [line[:12] + "的" + line[13:] for line in lines[::4]]
    copies += [line[: len(line) * 3 // 4] + line[:8] for line in lines[1::4]]  # repeats
    keys = lines + copies + ["", "哈哈哈哈哈哈哈哈"]
    rng.shuffle(keys)
    hashes, offsets = shingle_batch(keys, "char", 3)
    sets = [frozenset(hashes[offsets[i] : offsets[i + 1]].tolist()) for i in range(len(keys))]
    return hashes, offsets, sets


def _expected(a: frozenset[int], b: frozenset[int]) -> tuple[float, float]:
    """Jaccard and containment as the Python sets define them (0 for an empty set)."""
    if not a or not b:
        return 0.0, 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared), shared / min(len(a), len(b))


def test_overlaps_equal_python_set_arithmetic_for_every_pair() -> None:
    hashes, offsets, sets = _rows()
    n = len(sets)
    pairs = np.array([(i, j) for i in range(n) for j in range(i + 1, n)])
    overlaps = ShingleOverlaps(np.arange(n), hashes, offsets)
    similarity = overlaps.similarity(pairs[:, 0], pairs[:, 1])
    expected = [_expected(sets[i], sets[j]) for i, j in pairs.tolist()]
    # Exactly equal: the same divisions, so the report's rounded values cannot differ.
    assert similarity.jaccard.tolist() == [e[0] for e in expected]
    assert similarity.containment.tolist() == [e[1] for e in expected]
    assert overlaps.sizes(np.arange(n)).tolist() == [len(s) for s in sets]
    assert max(similarity.jaccard) > 0.7 and min(similarity.jaccard) == 0.0


def test_overlaps_of_chosen_rows_in_any_order_and_asked_twice() -> None:
    hashes, offsets, sets = _rows()
    rng = np.random.default_rng(5)
    rows = np.sort(rng.choice(len(sets), size=60, replace=False))
    overlaps = ShingleOverlaps(rows, *take_rows(hashes, offsets, rows))
    a, b = rng.choice(rows, size=300), rng.choice(rows, size=300)
    first = overlaps.shared(a, b)
    assert first.tolist() == [len(sets[i] & sets[j]) for i, j in zip(a.tolist(), b.tolist())]
    # Asked again, swapped and shuffled with new pairs among them: counted pairs are looked up.
    c, d = rng.choice(rows, size=300), rng.choice(rows, size=300)
    mixed_a, mixed_b = np.concatenate((b, c)), np.concatenate((a, d))
    order = rng.permutation(600)
    again = overlaps.shared(mixed_a[order], mixed_b[order])
    want = [len(sets[i] & sets[j]) for i, j in zip(mixed_a[order].tolist(), mixed_b[order])]
    assert again.tolist() == want


def test_duplicate_is_jaccard_or_containment() -> None:
    keys = ["一二三四五六七八九十", "一二三四五六七八九十百千万亿", "一二三四五六七甲乙丙"]
    hashes, offsets = shingle_batch(keys, "char", 3)
    overlaps = ShingleOverlaps(np.arange(3), hashes, offsets)
    similarity = overlaps.similarity(np.array([0, 0]), np.array([1, 2]))
    assert similarity.jaccard.tolist() == [8 / 12, 5 / 11]
    assert similarity.containment.tolist() == [1.0, 5 / 8]
    assert similarity.duplicate(0.7, 0.9).tolist() == [True, False]  # containment
    assert similarity.duplicate(8 / 12, 1.0).tolist() == [True, False]  # Jaccard, boundary
    assert similarity.duplicate(0.45, 0.9).tolist() == [True, True]


def test_no_pairs_and_no_rows() -> None:
    hashes, offsets = shingle_batch(["一二三四"], "char", 3)
    empty = np.zeros(0, dtype=np.int64)
    overlaps = ShingleOverlaps(empty, *take_rows(hashes, offsets, empty))
    assert overlaps.similarity(empty, empty).jaccard.shape == (0,)


def test_verified_pairs_give_containment_and_its_direction() -> None:
    host = normalise(
        "全国人民代表大会常务委员会今天在北京举行第十九次会议，审议有关法律草案。会议由委员长主持。"
    )
    part = normalise("审议有关法律草案。会议由委员长主持。")
    other = normalise("审议有关法律草案。会议由副委员长主持。")
    keys = [host, part, other, "被告被判10年徒刑并处罚金", "被告被判12年徒刑并处罚金"]
    hashes, offsets = shingle_batch(keys, "char", 3)
    overlaps = ShingleOverlaps(np.arange(len(keys)), hashes, offsets)
    candidates = np.array([[0, 1], [0, 2], [3, 4]])
    verified = verify(candidates, overlaps, 0.7, 0.9, keys)
    # The part is inside the host (all of its shingles); the pair differing in a number and
    # the one with a word changed are kept apart.
    assert verified.pairs.tolist() == [[0, 1]]
    assert verified.containment.tolist() == [1.0]
    assert verified.inside_first.tolist() == [1.0]  # the second row, inside the first
    assert verified.inside_second[0] < 0.5 and verified.jaccard[0] < 0.5


def test_overlaps_of_more_rows_than_a_16_bit_sort_holds_are_the_same() -> None:
    # Above 65,536 rows the sets are sorted as codes rather than by a 16-bit radix sort.
    hashes, offsets, sets = _rows()
    many = np.tile(np.arange(len(sets)), 65_536 // len(sets) + 1)
    assert len(many) > 65_536
    taken_hashes, taken_offsets = take_rows(hashes, offsets, many)
    overlaps = ShingleOverlaps(np.arange(len(many)), taken_hashes, taken_offsets)
    rng = np.random.default_rng(5)
    a, b = rng.integers(0, len(many), 2_000), rng.integers(0, len(many), 2_000)
    expected = [len(sets[many[i]] & sets[many[j]]) for i, j in zip(a.tolist(), b.tolist())]
    assert overlaps.shared(a, b).tolist() == expected
    assert overlaps.sizes(np.arange(len(many))).tolist() == [len(sets[k]) for k in many.tolist()]


def test_overlaps_counted_in_small_batches_of_queries_are_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hashes, offsets, sets = _rows()
    n = len(sets)
    pairs = np.array([(i, j) for i in range(n) for j in range(i + 1, n)])
    # Batches of a few shingles: most pairs alone in a batch, many cut between pairs.
    monkeypatch.setattr(verify_module, "QUERY_BATCH", 7)
    shared = ShingleOverlaps(np.arange(n), hashes, offsets).shared(pairs[:, 0], pairs[:, 1])
    assert shared.tolist() == [len(sets[i] & sets[j]) for i, j in pairs.tolist()]
    assert max(shared) > 20
    # The sets were built a few rows at a time too: their sizes are those of the sets.
    overlaps = ShingleOverlaps(np.arange(n), hashes, offsets)
    assert overlaps.sizes(np.arange(n)).tolist() == [len(s) for s in sets]


def test_dense_ranks_number_distinct_hashes_in_order() -> None:
    hashes, _, _ = _rows()
    # Values in every range of top bits, and repeated ones.
    spread = np.concatenate((hashes, hashes[:50], np.arange(16, dtype=np.uint64) << 60))
    ranks, count = dense_ranks(spread)
    values, expected = np.unique(spread, return_inverse=True)
    assert ranks.dtype == np.uint32
    assert count == len(values) and ranks.tolist() == expected.tolist()
    assert dense_ranks(np.zeros(0, np.uint64))[1] == 0


def test_forgotten_sets_answer_pairs_counted_before_and_refuse_new_ones() -> None:
    hashes, offsets, sets = _rows()
    n = len(sets)
    overlaps = ShingleOverlaps(np.arange(n), hashes, offsets)
    a, b = np.arange(0, n - 1), np.arange(1, n)
    before = overlaps.similarity(a, b)
    overlaps.forget_sets()
    assert overlaps.ranks.nbytes == 0
    after = overlaps.similarity(b, a)  # the same pairs, the other way round
    assert after.jaccard.tolist() == before.jaccard.tolist()
    assert overlaps.sizes(np.arange(n)).tolist() == [len(s) for s in sets]
    with pytest.raises(RuntimeError):
        overlaps.shared(np.array([0]), np.array([2]))
