"""Shingles: the word or character n-grams of comparison keys, as 64-bit hashes.

Keys are shingled in batches: the batch's characters become one numpy array, words are
hashed from their characters with prefix sums, and n-grams from their words, so that no
Python code runs per shingle. A batch comes back in CSR layout: ``hashes[offsets[i]:
offsets[i + 1]]`` are the shingles of key ``i``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import chain

import numpy as np

from .config import Shingler

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: spreads the bits of each uint64 over the whole word."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


@lru_cache(maxsize=1)
def word_segmenter() -> Callable[[str], list[str]]:
    """jieba's segmentation: the Rust port rjieba (same dictionary and algorithm) when
    installed, for speed, else jieba itself."""
    try:
        import rjieba

        return rjieba.cut
    except ImportError:  # pragma: no cover - rjieba is a dependency; kept as a fallback
        import jieba

        jieba.setLogLevel(60)
        return jieba.lcut


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(
        np.uint64
    )


def _cut_any(key: str) -> list[str]:
    """The words of ``key``; a key holding a lone surrogate (from a file name or text
    decoded with surrogateescape) is cut as a copy with each one replaced, same length."""
    try:
        return word_segmenter()(key)
    except UnicodeEncodeError:
        return word_segmenter()(key.encode("utf-8", "replace").decode("utf-8"))


def _unit_lengths(keys: Sequence[str], kind: Shingler) -> np.ndarray:
    """The length in characters of each unit (word or character) of every key, in order."""
    if kind == "char":
        return np.ones(sum(map(len, keys)), dtype=np.int64)
    words = chain.from_iterable(map(_cut_any, keys))
    return np.fromiter(map(len, words), dtype=np.int64)  # no Python code per word


def _unit_hashes(chars: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """A hash of each unit's characters, in order, from one prefix sum over the batch."""
    if len(lengths) == len(chars):  # every unit one character: the same values, directly
        return mix(mix(chars) + np.uint64(1))
    starts = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    position = np.arange(len(chars), dtype=np.int64) - np.repeat(starts[:-1], lengths)
    spread = mix(chars ^ (position.astype(np.uint64) * _GOLDEN))
    prefix = np.zeros(len(chars) + 1, dtype=np.uint64)
    np.cumsum(spread, out=prefix[1:])
    return mix(prefix[starts[1:]] - prefix[starts[:-1]] + lengths.astype(np.uint64))


def _ngram_hashes(units: np.ndarray, n: int) -> np.ndarray:
    """The hash of every run of ``n`` consecutive units; entry k covers units k..k+n-1."""
    count = len(units) - n + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    grams = units[:count].copy()
    for j in range(1, n):
        grams = mix(grams * _GOLDEN + units[j : j + count])
    return grams


def shingle_batch(keys: Sequence[str], kind: Shingler, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes of ``keys`` in CSR layout (hashes, offsets).

    A key of fewer than ``n`` units has one shingle, the hash of all its units; an empty
    key has none.
    """
    text = "".join(keys)
    lengths = _unit_lengths(keys, kind)
    units = _unit_hashes(_code_points(text), lengths)
    unit_ends = np.cumsum(lengths)
    key_ends = np.cumsum([len(k) for k in keys], dtype=np.int64)
    # Units per key: count the unit boundaries that fall inside each key.
    unit_offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    unit_offsets[1:] = np.searchsorted(unit_ends, key_ends, side="right")
    per_key = np.diff(unit_offsets)
    grams = _ngram_hashes(units, n)

    counts = np.where(per_key >= n, per_key - n + 1, np.minimum(per_key, 1))
    offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    hashes = np.empty(int(offsets[-1]), dtype=np.uint64)

    full = per_key >= n
    if full.any():
        # Start positions of the n-grams that lie wholly inside one key.
        starts = np.repeat(unit_offsets[:-1][full], counts[full])
        within = np.arange(int(counts[full].sum())) - np.repeat(
            np.cumsum(counts[full]) - counts[full], counts[full]
        )
        slots = np.repeat(offsets[:-1][full], counts[full]) + within
        hashes[slots] = grams[starts + within]
    for i in np.flatnonzero((per_key > 0) & ~full):
        hashes[offsets[i]] = _ngram_hashes(
            units[unit_offsets[i] : unit_offsets[i + 1]], int(per_key[i])
        )[0]
    return hashes, offsets


def take_rows(
    hashes: np.ndarray, offsets: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The CSR rows ``rows`` (ascending or not) of (hashes, offsets), as a new CSR pair."""
    sizes = offsets[rows + 1] - offsets[rows]
    new_offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(sizes, out=new_offsets[1:])
    within = np.arange(int(new_offsets[-1]), dtype=np.int64) - np.repeat(new_offsets[:-1], sizes)
    return hashes[np.repeat(offsets[rows], sizes) + within], new_offsets


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-D array, ascending: ``np.unique``, by a sort and a
    comparison of neighbours (numpy 2's ``unique`` is far slower on arrays of a million)."""
    ascending = np.sort(values)
    keep = np.ones(len(ascending), dtype=bool)
    np.not_equal(ascending[1:], ascending[:-1], out=keep[1:])
    return ascending[keep]
