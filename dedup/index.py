"""Locality-sensitive hashing over MinHash signatures: which pairs of keys to verify.

The banding (b bands of r rows) is the one datasketch's ``MinHashLSH`` chooses for the
threshold (computed here without importing it). ``band_keys`` sums up each band of a
signature in one value (in the workers, next to the signatures); ``bucket_pairs`` then forms
the buckets of all bands at once with numpy rather than one dict insert per key.
``tests/test_index.py`` checks both choose the same banding and propose the same pairs.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .shingle import distinct, mix

# A bucket larger than this proposes a chain (each key with the next) instead of all its
# pairs: verified chains still connect a cluster, at linear rather than quadratic cost.
MAX_BUCKET_PAIRS = 64
# Winnowing for fragments: the smallest hash of every 12 consecutive 6-character grams, so
# that any shared run of 17 characters shares an anchor (8 found no more fragments in the
# matching benchmark, with half again as many anchors to sort).
FRAGMENT_WINDOW = 12
_ODD = np.uint64(0x9E3779B97F4A7C15)
# Share of the anchors of the row with fewer that a fragment pair must share: a quarter
# proposed half again as many pairs on the speed corpus, for 0.003 more fragment recall.
FRAGMENT_SHARE = 0.5


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


def band_keys(signatures: np.ndarray, threshold: float) -> np.ndarray:
    """A (keys x bands) uint64 array: for each signature and band, one value summarising
    the band's rows, for the banding of ``threshold``.

    Each key's values depend on its own signature only, so workers compute them next to
    the signatures and the main process receives 8 bytes per band instead of the signature.
    """
    n, num_perm = signatures.shape
    bands, rows = banding(threshold, num_perm)
    values = signatures[:, : bands * rows].reshape(n, bands, rows)
    keys = np.zeros((n, bands), dtype=np.uint64)
    for row in range(rows):  # all bands at once, one row of each band per step
        keys = mix(keys ^ values[:, :, row].astype(np.uint64))
    return keys


def bucket_pairs(keys: np.ndarray) -> np.ndarray:
    """Unique pairs (i, j), i < j, of rows of ``band_keys`` equal in at least one band.

    Each band is sorted on its own (its temporaries are reused from band to band; arrays for
    all bands at once cost more in fresh memory than they save in calls), and only the
    rows that share a bucket are kept. Buckets of one size, in whichever band, are then
    handled together as a (buckets x size) matrix of members: a few numpy calls per
    distinct bucket size rather than per bucket.
    """
    n, bands = keys.shape
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    members: list[np.ndarray] = []  # the rows of every bucket, one bucket after another
    sizes: list[np.ndarray] = []
    for band in range(bands):
        order = np.argsort(keys[:, band])  # a bucket's order within its band does not matter
        ordered = keys[order, band]
        starts = np.flatnonzero(np.append(True, ordered[1:] != ordered[:-1]))
        size = np.diff(np.append(starts, n))
        shared = size >= 2
        members.append(order[np.repeat(shared, size)])
        sizes.append(size[shared])
    codes = distinct(_bucket_pair_codes(np.concatenate(members), np.concatenate(sizes), n))
    return np.stack((codes // n, codes % n), axis=1)


def _bucket_pair_codes(flat: np.ndarray, size: np.ndarray, n: int) -> np.ndarray:
    """Pairs (i, j), i < j, of rows (< ``n``) in one bucket, as i * n + j, once per bucket
    they share: ``flat`` holds the rows of every bucket, one bucket after another, ``size``
    the size of each."""
    first = np.zeros(len(size), dtype=np.int64)
    np.cumsum(size[:-1], out=first[1:])
    found: list[np.ndarray] = [np.zeros((0, 2), dtype=np.int64)]
    for k in np.unique(size[size <= MAX_BUCKET_PAIRS]).tolist():
        block = flat[first[size == k, None] + np.arange(k)]
        i, j = np.triu_indices(k, k=1)
        found.append(np.stack((block[:, i].ravel(), block[:, j].ravel()), axis=1))
    for start, k in zip(first[size > MAX_BUCKET_PAIRS], size[size > MAX_BUCKET_PAIRS]):
        chain = np.sort(flat[start : start + k])
        found.append(np.stack((chain[:-1], chain[1:]), axis=1))
    pairs = np.sort(np.concatenate(found).astype(np.int64), axis=1)
    # One int64 per pair makes the de-duplication a 1-D sort, far cheaper than unique(axis=0).
    return pairs[:, 0] * n + pairs[:, 1]


def fragment_anchors(
    hashes: np.ndarray, offsets: np.ndarray, window: int = FRAGMENT_WINDOW
) -> tuple[np.ndarray, np.ndarray]:
    """(row, anchor) of the anchors of each CSR row of character 3-gram hashes.

    Anchors are chosen by winnowing (Schleimer, Wilkerson and Aiken, 2003): of every
    ``window`` consecutive hashes of 6-character grams, the smallest. Two rows that share a
    run of ``window + 5`` characters share an anchor, however long each row is, so a
    paragraph quoted whole inside a longer one is proposed even when their Jaccard
    similarity is far below the LSH threshold. A row with fewer grams than ``window`` has
    one anchor, the smallest of them. The same anchor in consecutive windows is listed once.
    """
    sizes = np.diff(offsets)
    rows = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    # A 6-character gram is two 3-grams, at its start and 3 characters on.
    last = len(hashes) - 3
    if last <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    at = np.flatnonzero(rows[:last] == rows[3:])
    grams = mix(hashes[at] * _ODD + hashes[at + 3])
    gram_rows = rows[at]
    if not len(grams):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    anchor_rows, anchors = [], []
    if len(grams) >= window:
        # The minimum of each window by doubling: of 2, then 4, 8 and 12 consecutive grams.
        smallest, span = grams, 1
        while span < window:
            step = min(span, window - span)
            smallest = np.minimum(smallest[:-step], smallest[step:])
            span += step
        inside = gram_rows[: len(smallest)] == gram_rows[window - 1 :]
        anchor_rows.append(gram_rows[: len(smallest)][inside])
        anchors.append(smallest[inside])
    counts = np.bincount(gram_rows, minlength=len(sizes))
    nonempty = np.flatnonzero(counts)
    starts = np.concatenate(([0], np.cumsum(counts[nonempty])[:-1]))
    short = counts[nonempty] < window
    anchor_rows.append(nonempty[short])
    anchors.append(np.minimum.reduceat(grams, starts)[short])
    all_rows, all_anchors = np.concatenate(anchor_rows), np.concatenate(anchors)
    keep = np.ones(len(all_rows), dtype=bool)
    keep[1:] = (all_rows[1:] != all_rows[:-1]) | (all_anchors[1:] != all_anchors[:-1])
    return all_rows[keep], all_anchors[keep]


# Ranges of anchor values (by their top bits) that `anchor_pairs` groups one at a time.
_ANCHOR_RANGE_BITS = 4


def anchor_pairs(
    rows: np.ndarray, anchors: np.ndarray, n: int, per_row: np.ndarray | None = None
) -> np.ndarray:
    """Unique pairs (i, j), i < j, of rows (< ``n``) such that at least
    ``FRAGMENT_SHARE`` of the anchors of the row with fewer are anchors of the other too.
    ``per_row`` is how many anchors each row has, where not all of them are given (an
    anchor no other row has makes no pair, but counts), by default those given.

    A paragraph inside another shares most of its anchors with it (an edit changes those of
    the windows around it); two paragraphs that only share a common phrase, one or two.
    Rows sharing an anchor are found a range of anchor values (by their top bits) at a
    time: an anchor's rows are all in its range, and only that range's are sorted at once.
    """
    top = (anchors >> np.uint64(64 - _ANCHOR_RANGE_BITS)).astype(np.uint8)
    found: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    for value_range in range(1 << _ANCHOR_RANGE_BITS):
        at = np.flatnonzero(top == value_range)
        order = np.argsort(anchors[at], kind="stable")
        in_range, ordered = rows[at[order]], anchors[at[order]]
        starts = np.flatnonzero(np.append(True, ordered[1:] != ordered[:-1]))
        size = np.diff(np.append(starts, len(ordered)))
        shared = size >= 2
        found.append(_bucket_pair_codes(in_range[np.repeat(shared, size)], size[shared], n))
    codes, counts = np.unique(np.concatenate(found), return_counts=True)
    if per_row is None:
        per_row = np.bincount(rows, minlength=n)
    first, second = codes // n, codes % n
    fewer = np.minimum(per_row[first], per_row[second])
    keep = counts >= np.maximum(FRAGMENT_SHARE * fewer, 1)
    return np.stack((first[keep], second[keep]), axis=1)


def candidate_pairs(signatures: np.ndarray, threshold: float) -> np.ndarray:
    """Unique pairs (i, j), i < j, of rows that share a bucket in at least one band."""
    return bucket_pairs(band_keys(signatures, threshold))
