"""Verification: a candidate pair is a duplicate only if its true shingle sets agree.

Sets are built from the CSR shingle arrays only for the rows that are compared, once each.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Similarity:
    """How alike two shingle sets are."""

    jaccard: float
    """|A ∩ B| / |A ∪ B|."""
    containment: float
    """|A ∩ B| / min(|A|, |B|): the share of the smaller set found in the larger."""


def similarity(a: frozenset[int], b: frozenset[int]) -> Similarity:
    """Jaccard and overlap coefficient of two shingle sets (0 for empty sets)."""
    if not a or not b:
        return Similarity(0.0, 0.0)
    shared = len(a & b)
    return Similarity(shared / (len(a) + len(b) - shared), shared / min(len(a), len(b)))


def shingle_sets(
    hashes: np.ndarray, offsets: np.ndarray, rows: np.ndarray
) -> dict[int, frozenset[int]]:
    """The shingle set of each row in ``rows``, from CSR hashes."""
    return {int(r): frozenset(hashes[offsets[r] : offsets[r + 1]].tolist()) for r in rows}


class ShingleSets:
    """The shingle set of each CSR row, built on first use and kept: most rows are never
    compared, and a compared row usually meets several others."""

    def __init__(self, hashes: np.ndarray, offsets: np.ndarray) -> None:
        self.hashes = hashes
        self.offsets = offsets.tolist()
        self.built: dict[int, frozenset[int]] = {}

    def __getitem__(self, row: int) -> frozenset[int]:
        found = self.built.get(row)
        if found is None:
            found = frozenset(self.hashes[self.offsets[row] : self.offsets[row + 1]].tolist())
            self.built[row] = found
        return found


def is_duplicate(
    a: frozenset[int], b: frozenset[int], threshold: float, containment: float
) -> bool:
    """Whether Jaccard reaches ``threshold`` or containment reaches ``containment``: the
    test of ``verified_pairs``, without building a ``Similarity``."""
    if not a or not b:
        return False
    shared = len(a & b)
    # The same divisions as ``similarity``, so that the two agree on every boundary case.
    return (
        shared / (len(a) + len(b) - shared) >= threshold
        or shared / min(len(a), len(b)) >= containment
    )


def verified_pairs(
    pairs: np.ndarray,
    sets: dict[int, frozenset[int]],
    threshold: float,
    containment: float,
) -> list[tuple[int, int]]:
    """The candidate pairs whose Jaccard or containment reaches its threshold."""
    kept: list[tuple[int, int]] = []
    for i, j in pairs.tolist():
        sim = similarity(sets[i], sets[j])
        if sim.jaccard >= threshold or sim.containment >= containment:
            kept.append((i, j))
    return kept
