"""MinHash signatures of shingle sets, computed for a whole batch at once with numpy.

Permutation i maps a shingle hash x to ``(a_i * x + b_i) mod 2**64 >> 32`` (multiply-shift
hashing, with odd a_i); a signature holds the minimum of each permutation over the set.
Equal seeds give equal permutations, so signatures from different processes agree.
"""

from __future__ import annotations

import numpy as np

_SHIFT = np.uint64(32)
# Shingles per block of work. The (num_perm x block) uint64 matrix, 8 MB at 128
# permutations, is allocated once and reused (fresh blocks of this size cost more in page
# faults than the arithmetic); twice as large, two workers no longer share the L3 cache
# without slowing each other down, and much smaller blocks are slower too.
_BLOCK = 1 << 13


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The multipliers (odd) and offsets of ``num_perm`` hash permutations for ``seed``."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2**64, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**64, size=num_perm, dtype=np.uint64)
    return a, b


def _permuted(a: np.ndarray, b: np.ndarray, block: np.ndarray, buffer: np.ndarray) -> np.ndarray:
    """``a * x + b`` for every permutation (row) and shingle x of ``block`` (column), in
    ``buffer``."""
    values = buffer[:, : len(block)]
    np.multiply(a[:, None], block[None, :], out=values)
    values += b[:, None]
    return values


def signatures(hashes: np.ndarray, offsets: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """A (keys x num_perm) uint32 array of MinHash values, one row per key.

    Keys with no shingles get rows of all 0xFFFFFFFF; callers leave them out of the index.
    The minimum is taken before the shift (``x >> 32`` is monotone), so the shift and the
    cast touch only the (keys x num_perm) result.
    """
    a, b = permutations(num_perm, seed)
    n_keys = len(offsets) - 1
    lowest = np.full((n_keys, num_perm), np.iinfo(np.uint64).max, dtype=np.uint64)
    buffer = np.empty((num_perm, _BLOCK), dtype=np.uint64)
    first = 0
    while first < n_keys:
        # Take whole keys until the block is full (at least one key).
        last = int(np.searchsorted(offsets, offsets[first] + _BLOCK, side="right")) - 1
        last = min(max(last, first + 1), n_keys)
        lo, hi = int(offsets[first]), int(offsets[last])
        if hi - lo > _BLOCK:  # one key with more shingles than a block: fold block by block
            for start in range(lo, hi, _BLOCK):
                values = _permuted(a, b, hashes[start : min(start + _BLOCK, hi)], buffer)
                np.minimum(lowest[first], values.min(axis=1), out=lowest[first])
        elif hi > lo:
            values = _permuted(a, b, hashes[lo:hi], buffer)
            starts = offsets[first:last] - lo
            nonempty = starts < (offsets[first + 1 : last + 1] - lo)
            lowest[first:last][nonempty] = np.minimum.reduceat(values, starts[nonempty], axis=1).T
        first = last
    return (lowest >> _SHIFT).astype(np.uint32)
