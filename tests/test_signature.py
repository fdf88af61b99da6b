from __future__ import annotations

from itertools import pairwise

import numpy as np

from dedup import normalise
from dedup.shingle import shingle_batch
from dedup.signature import permutations, signatures
from tests.conftest import sighan_lines


def _pairs() -> list[str]:
    lines = [normalise(line) for line in sighan_lines("msr_test.utf8") if len(line) > 80][:40]
    # Each line, and the same line with its last fifth cut: Jaccard around 0.6 to 0.8.
    return [k for line in lines for k in (line, line[: len(line) * 4 // 5])]


def test_minhash_estimates_jaccard_of_real_shingle_sets() -> None:
    keys = _pairs()
    hashes, offsets = shingle_batch(keys, "word", 2)
    sigs = signatures(hashes, offsets, 256, seed=3)
    errors = []
    for i in range(0, len(keys), 2):
        a = set(hashes[offsets[i] : offsets[i + 1]].tolist())
        b = set(hashes[offsets[i + 1] : offsets[i + 2]].tolist())
        true = len(a & b) / len(a | b)
        estimate = float(np.mean(sigs[i] == sigs[i + 1]))
        errors.append(abs(true - estimate))
    assert np.mean(errors) < 0.05
    assert max(errors) < 0.2


def test_signatures_depend_only_on_the_set_and_seed() -> None:
    keys = _pairs()[:6]
    hashes, offsets = shingle_batch(keys, "char", 3)
    whole = signatures(hashes, offsets, 64, seed=1)
    one = signatures(hashes[offsets[2] : offsets[3]], np.array([0, offsets[3] - offsets[2]]), 64, 1)
    assert np.array_equal(whole[2], one[0])
    assert not np.array_equal(whole, signatures(hashes, offsets, 64, seed=2))


def test_empty_sets_get_the_empty_signature() -> None:
    hashes, offsets = shingle_batch(["", "一二三"], "char", 2)
    sigs = signatures(hashes, offsets, 32, 1)
    assert (sigs[0] == np.iinfo(np.uint32).max).all()
    assert not (sigs[1] == np.iinfo(np.uint32).max).all()


def test_signatures_are_the_minimum_of_each_permutation() -> None:
    keys = _pairs()[:5]
    hashes, offsets = shingle_batch(keys, "char", 3)
    a, b = permutations(32, seed=9)
    expected = [
        [
            min(((int(x) * int(ai) + int(bi)) % 2**64) >> 32 for x in hashes[lo:hi])
            for ai, bi in zip(a, b)
        ]
        for lo, hi in pairwise(offsets)
    ]
    assert signatures(hashes, offsets, 32, seed=9).tolist() == expected
