"""Grouping duplicate pairs into clusters with union-find."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


class UnionFind:
    """Disjoint sets over 0..n-1 with path halving and union by size."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]


def group_keys(n_keys: int, pairs: Iterable[tuple[int, int]]) -> np.ndarray:
    """A group label for each key: keys joined by ``pairs``, directly or not, share one.

    The label is the smallest key index of the group, so labels do not depend on the
    order in which pairs arrive.
    """
    sets = UnionFind(n_keys)
    for a, b in pairs:
        sets.union(a, b)
    return _labels(sets)


def _labels(sets: UnionFind) -> np.ndarray:
    """The smallest member of each element's set, for every element.

    The roots are found for all elements at once by pointer jumping (each pass replaces
    every parent by its parent's parent), a few numpy passes as union by size keeps the
    trees shallow, rather than one ``find`` call per element.
    """
    roots = np.array(sets.parent, dtype=np.int64)
    while True:
        up = roots[roots]
        if np.array_equal(up, roots):
            break
        roots = up
    n = len(roots)
    smallest = np.full(n, n, dtype=np.int64)
    np.minimum.at(smallest, roots, np.arange(n, dtype=np.int64))
    return smallest[roots]
