from __future__ import annotations

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from dedup import normalise
from dedup.index import banding, candidate_pairs
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
