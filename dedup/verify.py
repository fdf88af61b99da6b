"""Verification: a candidate pair is a duplicate only if its true shingle sets agree.

The sets are never built as Python objects. ``ShingleOverlaps`` counts the distinct
shingles that pairs of CSR rows share for all pairs at once, with numpy, and only for the
rows that are compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .records import distinct_records
from .shingle import distinct
from .spill import take


@dataclass(frozen=True)
class Similarity:
    """How alike the shingle sets of pairs of rows are, one entry per pair."""

    jaccard: np.ndarray
    """|A ∩ B| / |A ∪ B| (0 if a set is empty)."""
    containment: np.ndarray
    """|A ∩ B| / min(|A|, |B|): the share of the smaller set found in the larger (0 if a
    set is empty)."""
    inside_a: np.ndarray
    """|A ∩ B| / |B|: the share of the second set found in the first (0 if a set is
    empty); what `clean` asks of a later copy B against the kept A."""
    inside_b: np.ndarray
    """|A ∩ B| / |A|: the share of the first set found in the second (0 if a set is empty)."""

    def duplicate(self, threshold: float, containment: float) -> np.ndarray:
        """Whether Jaccard reaches ``threshold`` or containment reaches ``containment``."""
        return (self.jaccard >= threshold) | (self.containment >= containment)


class ShingleOverlaps:
    """Set sizes and intersections of the shingle sets of chosen CSR rows.

    The hashes of the chosen rows are renumbered by rank among their distinct values, an
    exact and dense numbering, so that a (row, shingle) pair fits one int64 code: sorted and
    de-duplicated, these codes hold each row's shingle set as one ascending run of one array.
    The intersection of rows a and b is then the number of b's shingles, re-coded with a's
    row, that ``searchsorted`` finds in that array: one call for any number of pairs.
    """

    def __init__(self, rows: np.ndarray, hashes: np.ndarray, offsets: np.ndarray) -> None:
        """Prepare the shingle sets of ``rows`` (ascending, distinct row numbers), whose
        shingles are (hashes, offsets): CSR, one row for each of ``rows``, in that order."""
        self.rows = rows
        order = np.argsort(hashes)
        ascending = hashes[order]
        new_value = np.ones(len(hashes), dtype=bool)
        np.not_equal(ascending[1:], ascending[:-1], out=new_value[1:])
        del ascending  # fresh memory is costly: each temporary is dropped as soon as done
        self.bits = max(int(new_value.sum()).bit_length(), 1)
        # Each hash's rank and row, in ascending order of hash.
        row = np.repeat(np.arange(len(rows), dtype=np.int64), np.diff(offsets))[order]
        codes = (row << self.bits) | (np.cumsum(new_value) - 1)
        del order, new_value
        if len(rows) <= 1 << 16:
            # Ordered by row, stably, each row's ranks stay ascending: a radix sort of
            # 16-bit keys, far cheaper than sorting the codes.
            codes = codes[np.argsort(row.astype(np.uint16), kind="stable")]
            keep = np.ones(len(codes), dtype=bool)
            np.not_equal(codes[1:], codes[:-1], out=keep[1:])
            self.codes = codes[keep]  # sets, not bags
        else:
            self.codes = distinct(codes)
        self.starts = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.codes >> self.bits, minlength=len(rows)), out=self.starts[1:])
        # Pairs counted so far, as local a * len(rows) + local b (a < b), ascending.
        self._counted = np.zeros(0, dtype=np.int64)
        self._counted_shared = np.zeros(0, dtype=np.int64)

    def sizes(self, rows: np.ndarray) -> np.ndarray:
        """The number of distinct shingles of each of ``rows``."""
        local = np.searchsorted(self.rows, rows)
        return self.starts[local + 1] - self.starts[local]

    def shared(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """|A ∩ B| for each pair of rows (a[k], b[k]).

        Pairs counted before are looked up: the cluster stage asks again about most of the
        pairs that verification counted.
        """
        la, lb = np.searchsorted(self.rows, a), np.searchsorted(self.rows, b)
        pairs = np.minimum(la, lb) * len(self.rows) + np.maximum(la, lb)
        at = np.searchsorted(self._counted, pairs)
        known = at < len(self._counted)
        known[known] = self._counted[at[known]] == pairs[known]
        shared = np.empty(len(pairs), dtype=np.int64)
        shared[known] = self._counted_shared[at[known]]
        shared[~known] = self._count(la[~known], lb[~known])
        order = np.argsort(np.concatenate((self._counted, pairs[~known])))
        self._counted = np.concatenate((self._counted, pairs[~known]))[order]
        self._counted_shared = np.concatenate((self._counted_shared, shared[~known]))[order]
        return shared

    def _count(self, la: np.ndarray, lb: np.ndarray) -> np.ndarray:
        """|A ∩ B| for each pair of local row indices (la[k], lb[k])."""
        # Queries in ascending order (by a, then by shingle) keep ``searchsorted`` fast.
        order = np.argsort(la, kind="stable")
        la, lb = la[order], lb[order]
        counts = self.starts[lb + 1] - self.starts[lb]
        ends = np.cumsum(counts)
        within = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
        within -= np.repeat(ends - counts, counts)
        mask = np.int64((1 << self.bits) - 1)
        queries = (np.repeat(la, counts) << self.bits) | (
            self.codes[np.repeat(self.starts[lb], counts) + within] & mask
        )
        at = np.minimum(np.searchsorted(self.codes, queries), len(self.codes) - 1)
        found = np.concatenate(([0], np.cumsum(self.codes[at] == queries)))
        shared = np.empty(len(la), dtype=np.int64)
        shared[order] = found[ends] - found[ends - counts]
        return shared

    def similarity(self, a: np.ndarray, b: np.ndarray) -> Similarity:
        """Jaccard and containments of each pair of rows (a[k], b[k])."""
        shared = self.shared(a, b)
        size_a, size_b = self.sizes(a), self.sizes(b)
        nonempty = (size_a > 0) & (size_b > 0)
        jaccard = np.zeros(len(shared))
        containment = np.zeros(len(shared))
        inside_a = np.zeros(len(shared))
        inside_b = np.zeros(len(shared))
        # The divisions of the definition, in float64, like Python's int / int.
        np.divide(shared, size_a + size_b - shared, out=jaccard, where=nonempty)
        np.divide(shared, np.minimum(size_a, size_b), out=containment, where=nonempty)
        np.divide(shared, size_b, out=inside_a, where=nonempty)
        np.divide(shared, size_a, out=inside_b, where=nonempty)
        return Similarity(jaccard, containment, inside_a, inside_b)


@dataclass(frozen=True)
class VerifiedPairs:
    """The candidate pairs that verified as copies, as arrays, one entry per pair.

    ``containment`` with ``inside_first`` and ``inside_second`` give the direction of a
    fragment: the shorter row is the one whose shingles are found in the other.
    """

    pairs: np.ndarray
    """(n, 2) row numbers, the first smaller."""
    jaccard: np.ndarray
    containment: np.ndarray
    """The share of the smaller shingle set found in the larger."""
    inside_first: np.ndarray
    """The share of the second row's shingles found in the first."""
    inside_second: np.ndarray
    """The share of the first row's shingles found in the second."""


def verify(
    candidates: np.ndarray,
    overlaps: ShingleOverlaps,
    threshold: float,
    containment: float,
    keys: Sequence[str],
) -> VerifiedPairs:
    """The candidate pairs whose shingle sets reach ``threshold`` (Jaccard) or
    ``containment``, except distinct records: pairs whose keys (``keys``, by row) differ
    only in numbers, dates or names (``records.distinct_records``)."""
    similarity = overlaps.similarity(candidates[:, 0], candidates[:, 1])
    alike = np.flatnonzero(similarity.duplicate(threshold, containment))
    first, second = take(keys, candidates[alike, 0]), take(keys, candidates[alike, 1])
    kept = alike[~distinct_records(first, second)]
    return VerifiedPairs(
        candidates[kept],
        similarity.jaccard[kept],
        similarity.containment[kept],
        similarity.inside_a[kept],
        similarity.inside_b[kept],
    )
