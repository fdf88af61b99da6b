"""Clusters that cannot chain: a representative and the keys verified as near copies of it.

Keys are taken in the order of ``rank`` (the order in which `clean` prefers to keep them).
The first key not yet taken becomes a representative and takes every verified near copy of
itself not yet taken (``representatives``); so a member is a verified near copy of its
representative, and two keys are never put together through a third. This is the greedy
(lexicographically first) maximal independent set of the near-copy graph, found here in
numpy rounds over all pairs at once rather than one key at a time.

The greedy cuts some clusters of true copies in two: copies verified against one member
each, but not against the representative (a copy with a clause added heads the cluster, a
copy with an edit is near the original only). ``merge_linked`` then merges two clusters that a
verified near pair links when every pair of their members is *close*: Jaccard at least
``2 * threshold - 1`` (by the triangle inequality of the Jaccard distance 1 - J, the
farthest two members of one representative may already be apart) and not a distinct
record. A merged cluster is never wider than one the greedy makes, so paragraphs that
share a sentence or two still never meet through a third.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .records import distinct_records

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


Close = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""Whether keys ``x[k]`` and ``y[k]`` may be in one cluster, for each k."""

# Clusters linked to each other, directly or through others, with more keys than this in
# all are not merged: a merge mends copies cut in two, it does not join large groups (all
# pairs of keys of a linked group are compared, in one batch).
MAX_LINKED_KEYS = 128


def merge_linked(
    rep: np.ndarray,
    rank: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    alike: Close,
    distinct: Close,
) -> np.ndarray:
    """``rep`` (from ``representatives``, for near pairs ``(a[k], b[k])``) with the clusters
    that a near pair links merged, when every pair of their members is close: ``alike`` and
    not ``distinct`` (near pairs are both already).

    Links are taken in the rank order of their clusters' representatives (the earlier one,
    then the later); a merged cluster keeps the earlier representative and is compared as a
    whole with the next cluster it is linked to. ``alike`` is asked once, about every pair
    of keys of each group of linked clusters (up to ``MAX_LINKED_KEYS`` keys); ``distinct``
    only about the pairs of a merge that every ``alike`` allows.
    """
    rep = rep.copy()
    link = rep[a] != rep[b]
    if not link.any():
        return rep
    p, q = rep[a[link]], rep[b[link]]
    swap = rank[p] > rank[q]
    p, q = np.where(swap, q, p), np.where(swap, p, q)
    order = np.lexsort((rank[q], rank[p]))
    links = list(dict.fromkeys(zip(p[order].tolist(), q[order].tolist())))

    # Groups of linked clusters (connected components), and the keys of each.
    group: dict[int, int] = {}

    def root(r: int) -> int:
        while group.setdefault(r, r) != r:
            r = group[r]
        return r

    for first, second in links:
        one, other = root(first), root(second)
        if one != other:
            group[max(one, other)] = min(one, other)
    clusters = np.array(sorted(group), dtype=np.int64)
    keys = np.flatnonzero(np.isin(rep, clusters))
    label = np.array([root(r) for r in rep[keys].tolist()], dtype=np.int64)
    by_group = np.lexsort((keys, label))
    keys, label = keys[by_group], label[by_group]
    starts = np.flatnonzero(np.append(True, label[1:] != label[:-1]))
    sizes = np.diff(np.append(starts, len(keys)))
    small = set(label[starts[sizes <= MAX_LINKED_KEYS]].tolist())

    # Pairs known close: the near pairs, and those of the small groups ``alike`` allows;
    # ``distinct`` then strikes out the pairs it finds to be records.
    n = len(rep)
    near = set((np.minimum(a, b) * n + np.maximum(a, b)).tolist())
    x_parts, y_parts = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for size in np.unique(sizes[sizes <= MAX_LINKED_KEYS]).tolist():
        block = keys[starts[sizes == size, None] + np.arange(size)]
        i, j = np.triu_indices(size, k=1)
        x_parts.append(block[:, i].ravel())
        y_parts.append(block[:, j].ravel())
    x, y = np.concatenate(x_parts), np.concatenate(y_parts)
    codes = x * n + y
    asked = ~np.isin(codes, np.fromiter(near, np.int64, len(near)))
    allowed = alike(x[asked], y[asked]) if asked.any() else np.zeros(0, dtype=bool)
    unchecked = set(codes[asked][allowed].tolist())  # alike, not yet asked if records
    close = near | unchecked

    members: dict[int, list[int]] = {r: [] for r in clusters.tolist()}
    for key, r in zip(keys.tolist(), rep[keys].tolist()):
        members[r].append(key)
    head = {r: r for r in members}  # each cluster's current representative

    def find(r: int) -> int:
        while head[r] != r:
            r = head[r]
        return r

    for first, second in links:
        if root(first) not in small:
            continue
        one, other = sorted((find(first), find(second)), key=rank.__getitem__)
        if one == other:
            continue
        pairs = [min(k, m) * n + max(k, m) for k in members[one] for m in members[other]]
        if not all(c in close for c in pairs):
            continue
        ask = np.array([c for c in pairs if c in unchecked], dtype=np.int64)
        if len(ask):
            records = distinct(ask // n, ask % n)
            unchecked.difference_update(ask.tolist())
            close.difference_update(ask[records].tolist())
            if records.any():
                continue
        head[other] = one
        rep[members[other]] = one
        members[one] += members.pop(other)
    return rep


def closeness(
    jaccard: Callable[[np.ndarray, np.ndarray], np.ndarray],
    keys: Callable[[np.ndarray], list[str]],
    threshold: float,
) -> tuple[Close, Close]:
    """``alike`` and ``distinct`` for ``merge_linked``: Jaccard (``jaccard`` of two arrays of keys)
    at least ``2 * threshold - 1``; a distinct record (``records.distinct_records`` of the
    keys' texts, ``keys``)."""
    bound = 2 * threshold - 1

    def alike(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return jaccard(x, y) >= bound

    def distinct(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return distinct_records(keys(x), keys(y))

    return alike, distinct
