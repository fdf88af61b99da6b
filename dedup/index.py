"""Locality-sensitive hashing over MinHash signatures: which pairs of keys to verify.

The banding (b bands of r rows) is the one datasketch's ``MinHashLSH`` chooses for the
threshold (computed here without importing it); the buckets are then formed for all
signatures at once with numpy rather than one dict insert per key. ``tests/test_index.py``
checks both choose the same banding and propose the same pairs.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .shingle import mix

# A bucket larger than this proposes a chain (each key with the next) instead of all its
# pairs: verified chains still connect a cluster, at linear rather than quadratic cost.
MAX_BUCKET_PAIRS = 64


@lru_cache(maxsize=32)
def banding(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's ``MinHashLSH`` picks for ``threshold`` and
    ``num_perm``: the (b, r), b * r <= num_perm, that minimise the false positive plus false
    negative probability mass around the threshold, the first in (b, r) order on a tie.

    datasketch integrates with scipy, whose import alone takes longer than a small scan;
    both integrands are polynomials of degree b * r <= num_perm, which Gauss-Legendre
    quadrature with num_perm // 2 + 1 nodes integrates exactly.
    """
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)
    b, r = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]).T

    def integral(lo: float, hi: float, false_negative: bool) -> np.ndarray:
        s = (hi - lo) / 2 * nodes + (hi + lo) / 2  # the nodes, mapped onto [lo, hi]
        candidate = 1 - (1 - s[None, :] ** r[:, None]) ** b[:, None]
        value = 1 - candidate if false_negative else candidate
        return value @ weights * (hi - lo) / 2

    error = integral(0.0, threshold, False) + integral(threshold, 1.0, True)
    best = int(np.argmin(error))
    return int(b[best]), int(r[best])


def _band_keys(band: np.ndarray) -> np.ndarray:
    """One uint64 per signature row summarising the band's values."""
    key = np.zeros(len(band), dtype=np.uint64)
    for column in band.T:
        key = mix(key ^ column.astype(np.uint64))
    return key


def _bucket_pairs(order: np.ndarray, labels: np.ndarray) -> list[np.ndarray]:
    """Pairs of row indices that share a label; ``order`` sorts rows by label.

    Buckets of one size are handled together, as a (buckets x size) matrix of members, so
    the work is a few numpy calls per distinct bucket size rather than per bucket.
    """
    sorted_labels = labels[order]
    boundaries = np.flatnonzero(np.diff(sorted_labels)) + 1
    starts = np.concatenate(([0], boundaries))
    sizes = np.diff(np.concatenate((starts, [len(order)])))
    pairs: list[np.ndarray] = []
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= MAX_BUCKET_PAIRS)]).tolist():
        members = order[starts[sizes == size, None] + np.arange(size)]
        i, j = np.triu_indices(size, k=1)
        pairs.append(np.stack((members[:, i].ravel(), members[:, j].ravel()), axis=1))
    for start, size in zip(starts[sizes > MAX_BUCKET_PAIRS], sizes[sizes > MAX_BUCKET_PAIRS]):
        members = np.sort(order[start : start + size])
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
        order = np.argsort(keys)  # the pairs found do not depend on the order within a bucket
        found.extend(_bucket_pairs(order, keys))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.sort(np.concatenate(found).astype(np.int64), axis=1)
    # One int64 per pair makes the de-duplication a 1-D sort, far cheaper than unique(axis=0).
    codes = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.stack((codes // n, codes % n), axis=1)
