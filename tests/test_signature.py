from __future__ import annotations

from itertools import pairwise

import numpy as np

from dedup import normalise
from dedup.shingle import shingle_batch
from dedup.signature import permutations, signatures, splitmix64
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


def reference_splitmix64(seed: int, count: int) -> list[int]:
    """SplitMix64 as published (Steele, Lea and Flood 2014), in plain Python integers."""
    mask = (1 << 64) - 1
    state = seed & mask
    out = []
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        out.append(z ^ (z >> 31))
    return out


def test_splitmix64_matches_the_published_values() -> None:
    # The reference implementation's first outputs for seed 0.
    assert splitmix64(0, 3).tolist() == [
        0xE220A8397B1DCDAF,
        0x6E789E6AA1B965F4,
        0x06C45D188009454F,
    ]
    for seed in (1, 7, 2**63 + 5, -1):
        assert splitmix64(seed, 300).tolist() == reference_splitmix64(seed, 300)


def test_permutations_are_splitmix64_pairs_and_do_not_depend_on_numpys_random_stream() -> None:
    a, b = permutations(128, seed=1)
    values = reference_splitmix64(1, 256)
    assert a.tolist() == [v | 1 for v in values[0::2]]
    assert b.tolist() == values[1::2]
    # Literal constants, so that a change of the function itself is caught too.
    assert int(a[0]) == 0x910A2DEC89025CC1 and int(b[0]) == 0xBEEB8DA1658EEC67
    np.random.seed(12345)  # the global stream, and a fresh Generator, change nothing
    np.random.default_rng(1).integers(0, 10, 5)
    a2, b2 = permutations(128, seed=1)
    assert np.array_equal(a, a2) and np.array_equal(b, b2)
