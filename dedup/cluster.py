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
    roots = np.fromiter((sets.find(k) for k in range(n_keys)), dtype=np.int64, count=n_keys)
    smallest = np.full(n_keys, n_keys, dtype=np.int64)
    np.minimum.at(smallest, roots, np.arange(n_keys, dtype=np.int64))
    return smallest[roots]
