"""MinHash signatures of shingle sets, computed for a whole batch at once with numpy.

Permutation i maps a shingle hash x to ``(a_i * x + b_i) mod 2**64 >> 32`` (multiply-shift
hashing, with odd a_i); a signature holds the minimum of each permutation over the set.
The a_i and b_i come from the seed by SplitMix64 (`splitmix64`), a fixed published function,
not from a library's random stream that may change between versions: equal seeds give
equal permutations in every process, version and platform, so stored signatures stay valid.
"""

from __future__ import annotations

import numpy as np

_SHIFT = np.uint64(32)
# Shingles per block of work. The (num_perm x block) uint64 matrix, 8 MB at 128
# permutations, is allocated once and reused (fresh blocks of this size cost more in page
# faults than the arithmetic); twice as large, two workers no longer share the L3 cache
# without slowing each other down, and much smaller blocks are slower too.
_BLOCK = 1 << 13


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def splitmix64(seed: int, count: int) -> np.ndarray:
    """The first ``count`` outputs of SplitMix64 (Steele, Lea and Flood, 2014; the seeding
    generator of Java's SplittableRandom and of xoshiro) started at ``seed`` mod 2**64.

    Output i is ``mix(seed + (i + 1) * 0x9E3779B97F4A7C15)`` with
    ``mix(z) = z' ^ (z' >> 31)``, ``z' = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9`` then
    ``^ >> 27, * 0x94D049BB133111EB``, all mod 2**64. Seed 0 starts 0xE220A8397B1DCDAF.
    """
    state = np.uint64(seed % 2**64)
    with np.errstate(over="ignore"):
        z = state + np.arange(1, count + 1, dtype=np.uint64) * _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _MIX1
        z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The multipliers (odd) and offsets of ``num_perm`` hash permutations for ``seed``:
    the first ``2 * num_perm`` SplitMix64 outputs, taken in pairs (a_i | 1, b_i)."""
    values = splitmix64(seed, 2 * num_perm)
    return values[0::2] | np.uint64(1), values[1::2].copy()


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
