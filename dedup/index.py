"""Locality-sensitive hashing over MinHash signatures: which pairs of keys to verify.

The banding (b bands of r rows) is the one datasketch's ``MinHashLSH`` chooses for the
threshold; the buckets are then formed for all signatures at once with numpy rather than
one dict insert per key. ``tests/test_index.py`` checks both propose the same pairs.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from datasketch import MinHashLSH

from .shingle import mix

# A bucket larger than this proposes a chain (each key with the next) instead of all its
# pairs: verified chains still connect a cluster, at linear rather than quadratic cost.
MAX_BUCKET_PAIRS = 64


@lru_cache(maxsize=32)
def banding(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) that datasketch picks for ``threshold`` and ``num_perm``."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def _band_keys(band: np.ndarray) -> np.ndarray:
    """One uint64 per signature row summarising the band's values."""
    key = np.zeros(len(band), dtype=np.uint64)
    for column in band.T:
        key = mix(key ^ column.astype(np.uint64))
    return key


def _bucket_pairs(order: np.ndarray, labels: np.ndarray) -> list[np.ndarray]:
    """Pairs of row indices that share a label; ``order`` sorts rows by label."""
    sorted_labels = labels[order]
    boundaries = np.flatnonzero(np.diff(sorted_labels)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(order)]))
    sizes = ends - starts
    pairs: list[np.ndarray] = []
    small = (sizes >= 2) & (sizes <= MAX_BUCKET_PAIRS)
    for start, end in zip(starts[small], ends[small]):
        members = order[start:end]
        i, j = np.triu_indices(len(members), k=1)
        pairs.append(np.stack((members[i], members[j]), axis=1))
    for start, end in zip(starts[sizes > MAX_BUCKET_PAIRS], ends[sizes > MAX_BUCKET_PAIRS]):
        members = np.sort(order[start:end])
        pairs.append(np.stack((members[:-1], members[1:]), axis=1))
    return pairs


def candidate_pairs(signatures: np.ndarray, threshold: float) -> np.ndarray:
    """Unique pairs (i, j), i < j, of rows that share a bucket in at least one band."""
    n, num_perm = signatures.shape
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    bands, rows = banding(threshold, num_perm)
    found: list[np.ndarray] = []
    for band in range(bands):
        keys = _band_keys(signatures[:, band * rows : (band + 1) * rows])
        order = np.argsort(keys, kind="stable")
        found.extend(_bucket_pairs(order, keys))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.sort(np.concatenate(found).astype(np.int64), axis=1)
    return np.unique(pairs, axis=0)
