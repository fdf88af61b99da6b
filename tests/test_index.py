from __future__ import annotations

import itertools

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHashLSH

from dedup import index, normalise
from dedup.index import band_keys, banding, bucket_pairs, candidate_pairs
from dedup.shingle import shingle_batch
from dedup.signature import signatures
from tests.conftest import sighan_lines


def _signed_corpus() -> np.ndarray:
    lines = [normalise(line) for line in sighan_lines("pku_test.utf8") if len(line) > 40][:150]
    # Near copies: every third line again with a character changed or its end cut.
    copies = [line[:10] + "的" + line[11:] for line in lines[::3]]
    copies += [line[: len(line) * 5 // 6] for line in lines[1::3]]
    hashes, offsets = shingle_batch(lines + copies, "word", 2)
    return signatures(hashes, offsets, 128, seed=1)


def test_vectorised_banding_proposes_exactly_what_datasketch_lsh_does() -> None:
    sigs = _signed_corpus()
    threshold = 0.5
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    assert (lsh.b, lsh.r) == banding(threshold, 128)
    sketches = [
        LeanMinHash(seed=1, hashvalues=row.astype(np.uint64), scheme="legacy") for row in sigs
    ]
    for i, sketch in enumerate(sketches):
        lsh.insert(i, sketch)
    expected = {
        (min(i, j), max(i, j)) for i, s in enumerate(sketches) for j in lsh.query(s) if i != j
    }
    found = {tuple(pair) for pair in candidate_pairs(sigs, threshold).tolist()}
    assert found == expected
    assert len(found) >= 100  # the planted copies are proposed


def test_no_candidates_for_fewer_than_two_rows() -> None:
    assert candidate_pairs(np.zeros((1, 128), dtype=np.uint32), 0.5).shape == (0, 2)


def test_banding_is_datasketchs_choice_for_every_setting() -> None:
    for num_perm in (16, 64, 128, 200, 256):
        for threshold in [t / 20 for t in range(1, 20)]:
            try:
                lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
            except ValueError:  # datasketch refuses a single band; dedup uses it
                assert banding(threshold, num_perm)[0] == 1
                continue
            assert banding(threshold, num_perm) == (lsh.b, lsh.r), (threshold, num_perm)


def _per_band_reference(
    sigs: np.ndarray, threshold: float, max_bucket: int
) -> set[tuple[int, int]]:
    """Candidate pairs by the definition: one dict of buckets per band; a bucket larger
    than ``max_bucket`` proposes each of its rows (ascending) with the next."""
    bands = banding(threshold, sigs.shape[1])[0]
    keys = band_keys(sigs, threshold)
    assert keys.shape == (len(sigs), bands)
    found = set()
    for band in range(bands):
        buckets: dict[int, list[int]] = {}
        for row, key in enumerate(keys[:, band].tolist()):
            buckets.setdefault(key, []).append(row)
        for members in buckets.values():
            if len(members) > max_bucket:
                found.update(itertools.pairwise(members))
            else:
                found.update((a, b) for k, a in enumerate(members) for b in members[k + 1 :])
    return found


def test_bucketing_all_bands_at_once_equals_one_dict_per_band(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sigs = _signed_corpus()
    # Many rows in one bucket: all-equal signatures, and a band shared by a block of rows.
    sigs = np.concatenate((sigs, np.repeat(sigs[:1], 80, axis=0)))
    sigs[-30:, :5] = 7
    for max_bucket in (64, 3):
        monkeypatch.setattr(index, "MAX_BUCKET_PAIRS", max_bucket)
        for threshold in (0.3, 0.5, 0.8):
            found = {tuple(p) for p in bucket_pairs(band_keys(sigs, threshold)).tolist()}
            assert found == _per_band_reference(sigs, threshold, max_bucket)
            assert found == {tuple(p) for p in candidate_pairs(sigs, threshold).tolist()}


def test_a_paragraph_inside_a_four_times_longer_one_shares_its_anchors() -> None:
    lines = [normalise(line) for line in sighan_lines("msr_test.utf8") if len(line) > 30][:200]
    hosts, fragments = [], []
    for k in range(0, 160, 4):
        fragment = lines[k]
        filler = "".join(lines[k + 1 : k + 4])[: 3 * len(fragment)]
        fragments.append(fragment)
        hosts.append(filler[: len(filler) // 2] + fragment + filler[len(filler) // 2 :])
    keys = fragments + hosts
    rows, anchors = index.fragment_anchors(*shingle_batch(keys, "char", 3))
    assert set(rows.tolist()) == set(range(len(keys)))  # every row has anchors
    pairs = {tuple(p) for p in index.anchor_pairs(rows, anchors, len(keys)).tolist()}
    n = len(fragments)
    assert {(i, n + i) for i in range(n)} <= pairs  # every fragment with its host
    assert len(pairs) <= 2 * n  # and few others
    # LSH on MinHash signatures, made for whole-paragraph similarity, misses most of them.
    lsh = {
        tuple(p)
        for p in candidate_pairs(signatures(*shingle_batch(keys, "char", 3), 128, 1), 0.5).tolist()
    }
    assert len({(i, n + i) for i in range(n)} & lsh) < n / 2
