"""Clusters that cannot chain: a representative and the keys verified as near copies of it.

Keys are taken in the order of ``rank`` (the order in which `clean` prefers to keep them).
The first key not yet taken becomes a representative and takes every verified near copy of
itself not yet taken; so a member is always a verified near copy of its representative, and
two keys are never put together through a third. This is the greedy (lexicographically
first) maximal independent set of the near-copy graph, found here in numpy rounds over all
pairs at once rather than one key at a time.
"""

from __future__ import annotations

import numpy as np

# Rounds of the vectorised greedy before the few keys still undecided (long chains of
# near copies, each like the next) are finished one at a time.
_ROUNDS = 64


def representatives(rank: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each key, the representative it belongs to (itself if it is one).

    ``rank`` orders the keys (a permutation of their indices' order: lower goes first);
    ``(a[k], b[k])`` are the verified near-copy pairs. A key is a representative when no
    earlier key it is paired with is one; any other key belongs to its earliest paired
    representative, which is always earlier than itself.
    """
    n = len(rank)
    rep = np.arange(n, dtype=np.int64)
    if not len(a):
        return rep
    swap = rank[a] > rank[b]
    early, late = np.where(swap, b, a), np.where(swap, a, b)
    keep = early != late
    early, late = early[keep], late[keep]
    # 0 undecided, 1 representative, 2 taken; keys in no pair are representatives of one.
    state = np.ones(n, dtype=np.int8)
    state[early] = 0
    state[late] = 0
    for _ in range(_ROUNDS):
        if not (state == 0).any():
            break
        taken = np.zeros(n, dtype=bool)
        taken[late[state[early] == 1]] = True
        state[taken & (state == 0)] = 2
        blocked = np.zeros(n, dtype=bool)
        blocked[late[state[early] == 0]] = True
        state[(state == 0) & ~blocked] = 1
    if (state == 0).any():
        _finish(state, rank, early, late)
    # Each taken key goes to its earliest paired representative.
    by_rep = state[early] == 1
    members, reps = late[by_rep], early[by_rep]
    order = np.lexsort((rank[reps], members))
    members, reps = members[order], reps[order]
    first = np.ones(len(members), dtype=bool)
    first[1:] = members[1:] != members[:-1]
    rep[members[first]] = reps[first]
    return rep


def _finish(state: np.ndarray, rank: np.ndarray, early: np.ndarray, late: np.ndarray) -> None:
    """Decide the keys still undecided one at a time, in rank order (the same greedy)."""
    taken = np.zeros(len(state), dtype=bool)
    taken[late[state[early] == 1]] = True
    state[taken & (state == 0)] = 2
    order = np.argsort(rank[early], kind="stable")
    neighbours: dict[int, list[int]] = {}
    for before, after in zip(early[order].tolist(), late[order].tolist()):
        neighbours.setdefault(before, []).append(after)
    pending = np.flatnonzero(state == 0)
    for key in pending[np.argsort(rank[pending], kind="stable")].tolist():
        if state[key] != 0:
            continue
        state[key] = 1
        for other in neighbours.get(key, ()):
            if state[other] == 0:
                state[other] = 2
