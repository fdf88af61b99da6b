"""Verification: a candidate pair is a duplicate only if its true shingle sets agree.

The sets are never built as Python objects. ``ShingleOverlaps`` counts the distinct
shingles that pairs of CSR rows share for all pairs at once, with numpy, and only for the
rows that are compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

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


# Shingle look-ups `ShingleOverlaps` makes at once when it counts what pairs share.
QUERY_BATCH = 1 << 21

# Ranges of hash values (by their top bits) that `dense_ranks` ranks one at a time.
_RANK_RANGE_BITS = 4


def dense_ranks(hashes: np.ndarray) -> tuple[np.ndarray, int]:
    """The rank of each of ``hashes`` among their distinct values (equal hashes, equal
    ranks), as 32-bit integers (64-bit past 2**32 hashes), and how many distinct values
    there are. The values are ranked a range of them (by their top bits) at a time, so
    that the sort's temporaries hold a range's values, not all of them."""
    ranks = np.empty(len(hashes), dtype=np.uint32 if len(hashes) <= 1 << 32 else np.int64)
    top = (hashes >> np.uint64(64 - _RANK_RANGE_BITS)).astype(np.uint8)
    ranked = 0
    for value_range in range(1 << _RANK_RANGE_BITS):
        at = np.flatnonzero(top == value_range)
        values = hashes[at]
        order = np.argsort(values)
        values = values[order]
        new_value = np.ones(len(values), dtype=bool)
        np.not_equal(values[1:], values[:-1], out=new_value[1:])
        del values
        rank = np.cumsum(new_value, dtype=np.int64)
        rank += ranked - 1
        ranks[at[order]] = rank
        ranked += int(new_value.sum())
    return ranks, ranked


class ShingleOverlaps:
    """Set sizes and intersections of the shingle sets of chosen CSR rows.

    The hashes of the chosen rows are renumbered by rank among their distinct values
    (`dense_ranks`), an exact and dense numbering in 32 bits: each row's shingle set is an
    ascending run of ranks in one array (``ranks``, runs where ``starts`` says), half the
    size of the hashes. To count what pairs (a, b) share, the runs of a batch's a rows are
    coded (a's place in the batch, rank) into one ascending int64 array, and each shingle
    of b, coded with its a's place, is looked up in it: one ``searchsorted`` for a batch of
    any number of pairs.
    """

    def __init__(self, rows: np.ndarray, hashes: np.ndarray, offsets: np.ndarray) -> None:
        """Prepare the shingle sets of ``rows`` (ascending, distinct row numbers), whose
        shingles are (hashes, offsets): CSR, one row for each of ``rows``, in that order."""
        self.rows = rows
        ranks, n_values = dense_ranks(hashes)
        self.bits = max(n_values.bit_length(), 1)
        # Each row's ranks sorted and made a set, a batch of rows at a time: the batch's
        # (row, rank) codes are sorted, and the distinct ranks written back in place over
        # the batch's own (never past them), so that no second array of all is made.
        sizes = np.diff(offsets)
        counts = np.zeros(len(rows), dtype=np.int64)
        cuts = np.searchsorted(offsets, np.arange(QUERY_BATCH, len(hashes), QUERY_BATCH))
        bounds = [0, *distinct(cuts[(cuts > 0) & (cuts < len(rows))]).tolist(), len(rows)]
        filled = 0
        for first, last in pairwise(bounds):
            a, b = int(offsets[first]), int(offsets[last])
            codes = np.repeat(np.arange(last - first, dtype=np.int64), sizes[first:last])
            codes <<= self.bits
            codes |= ranks[a:b]
            codes.sort()
            keep = np.ones(len(codes), dtype=bool)
            np.not_equal(codes[1:], codes[:-1], out=keep[1:])
            codes = codes[keep]
            counts[first:last] = np.bincount(codes >> self.bits, minlength=last - first)
            ranks[filled : filled + len(codes)] = codes & np.int64((1 << self.bits) - 1)
            filled += len(codes)
        ranks.resize(filled, refcheck=False)  # no view of it exists: it is only shrunk
        self.ranks = ranks
        self.starts = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(counts, out=self.starts[1:])
        # Pairs counted so far, as local a * len(rows) + local b (a < b), ascending.
        self._counted = np.zeros(0, dtype=np.int64)
        self._counted_shared = np.zeros(0, dtype=np.int64)
        self._forgotten = False

    def forget_sets(self) -> None:
        """Free the shingle sets, keeping their sizes and the pairs counted so far: the
        last stage to ask about pairs calls it once it has asked about every new one, so
        that the sets are not held while the report is made."""
        self.ranks = np.zeros(0, dtype=self.ranks.dtype)
        self._forgotten = True

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
        if self._forgotten and len(la):
            raise RuntimeError("pairs not counted before forget_sets cannot be counted")
        # Queries in ascending order (by a, then by shingle) keep ``searchsorted`` fast.
        order = np.argsort(la, kind="stable")
        la, lb = la[order], lb[order]
        # One query per shingle of b, in a's set: pairs are counted a batch of about
        # QUERY_BATCH shingles of a and b at a time (each pair's count is its own), so
        # that the queries and their temporaries (some 50 bytes each) are bounded by the
        # batch, not by all the pairs.
        sizes = self.starts[la + 1] - self.starts[la] + self.starts[lb + 1] - self.starts[lb]
        ends = np.cumsum(sizes)
        total = int(ends[-1]) if len(ends) else 0
        cuts = np.searchsorted(ends, np.arange(QUERY_BATCH, total, QUERY_BATCH), side="right")
        bounds = [0, *distinct(cuts[(cuts > 0) & (cuts < len(la))]).tolist(), len(la)]
        shared = np.empty(len(la), dtype=np.int64)
        for a, b in pairwise(bounds):
            shared[order[a:b]] = self._count_ordered(la[a:b], lb[a:b])
        return shared

    def _runs(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The sets of ``rows`` one after the other, as int64 ranks, and the size of each."""
        sizes = self.starts[rows + 1] - self.starts[rows]
        ends = np.cumsum(sizes)
        at = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
        at += np.repeat(self.starts[rows] - (ends - sizes), sizes)
        return self.ranks[at].astype(np.int64), sizes

    def _count_ordered(self, la: np.ndarray, lb: np.ndarray) -> np.ndarray:
        """`_count` of pairs ordered by ``la``."""
        first = np.ones(len(la), dtype=bool)
        np.not_equal(la[1:], la[:-1], out=first[1:])
        sets, set_sizes = self._runs(la[first])  # each a once, in ascending order
        sets |= np.repeat(np.arange(len(set_sizes), dtype=np.int64) << self.bits, set_sizes)
        queries, counts = self._runs(lb)
        queries |= np.repeat((np.cumsum(first) - 1) << self.bits, counts)
        if not len(sets):
            return np.zeros(len(la), dtype=np.int64)
        at = np.searchsorted(sets, queries)
        np.minimum(at, len(sets) - 1, out=at)
        found = np.concatenate(([0], np.cumsum(sets[at] == queries)))
        ends = np.cumsum(counts)
        return found[ends] - found[ends - counts]

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
