"""MinHash signatures of shingle sets, computed for a whole batch at once with numpy.

Permutation i maps a shingle hash x to ``(a_i * x + b_i) mod 2**64 >> 32`` (multiply-shift
hashing, with odd a_i); a signature holds the minimum of each permutation over the set.
Equal seeds give equal permutations, so signatures from different processes agree.
"""

from __future__ import annotations

import numpy as np

_SHIFT = np.uint64(32)
# Shingles per block of work: bounds the (num_perm x block) matrix to a few tens of MB.
_BLOCK = 1 << 15


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The multipliers (odd) and offsets of ``num_perm`` hash permutations for ``seed``."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2**64, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**64, size=num_perm, dtype=np.uint64)
    return a, b


def signatures(hashes: np.ndarray, offsets: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """A (keys x num_perm) uint32 array of MinHash values, one row per key.

    Keys with no shingles get rows of all 0xFFFFFFFF; callers leave them out of the index.
    """
    a, b = permutations(num_perm, seed)
    n_keys = len(offsets) - 1
    out = np.full((n_keys, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    first = 0
    while first < n_keys:
        # Take whole keys until the block is full (at least one key).
        last = int(np.searchsorted(offsets, offsets[first] + _BLOCK, side="right")) - 1
        last = min(max(last, first + 1), n_keys)
        lo, hi = int(offsets[first]), int(offsets[last])
        if hi > lo:
            block = hashes[lo:hi]
            values = ((a[:, None] * block[None, :] + b[:, None]) >> _SHIFT).astype(np.uint32)
            starts = offsets[first:last] - lo
            nonempty = starts < (offsets[first + 1 : last + 1] - lo)
            rows = np.minimum.reduceat(values, starts[nonempty], axis=1).T
            out[first:last][nonempty] = rows
        first = last
    return out
