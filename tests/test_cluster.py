from __future__ import annotations

import random

import numpy as np

from dedup.cluster import representatives


def _greedy(rank: list[int], pairs: list[tuple[int, int]]) -> list[int]:
    """The definition, one key at a time: the first key not taken becomes a representative
    and takes its paired keys not yet taken."""
    n = len(rank)
    paired: dict[int, set[int]] = {i: set() for i in range(n)}
    for a, b in pairs:
        paired[a].add(b)
        paired[b].add(a)
    rep = list(range(n))
    taken = [False] * n
    for key in sorted(range(n), key=rank.__getitem__):
        if taken[key]:
            continue
        taken[key] = True
        for other in sorted(paired[key], key=rank.__getitem__):
            if not taken[other]:
                taken[other] = True
                rep[other] = key
    return rep


def _reps(rank: list[int], pairs: list[tuple[int, int]]) -> list[int]:
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    return representatives(np.array(rank, dtype=np.int64), a, b).tolist()


def test_a_chain_is_cut_at_every_other_key() -> None:
    # 0~1, 1~2, 2~3, 3~4: 0 and 2 are not alike, so 2 is not 0's member but heads its own.
    assert _reps([0, 1, 2, 3, 4], [(0, 1), (1, 2), (2, 3), (3, 4)]) == [0, 0, 2, 2, 4]


def test_a_star_stays_one_cluster_and_its_centre_need_not_head_it() -> None:
    # A short key paired with four others that are not paired with each other.
    assert _reps([0, 1, 2, 3, 4], [(0, 1), (0, 2), (0, 3), (0, 4)]) == [0, 0, 0, 0, 0]
    assert _reps([4, 0, 1, 2, 3], [(0, 1), (0, 2), (0, 3), (0, 4)]) == [1, 1, 2, 3, 4]


def test_rank_decides_the_representative() -> None:
    assert _reps([1, 0], [(0, 1)]) == [1, 1]
    assert _reps([0, 1], [(1, 0)]) == [0, 0]


def test_rounds_agree_with_the_one_at_a_time_definition() -> None:
    for seed in range(300):
        rng = random.Random(seed)
        n = rng.randint(1, 40)
        pairs = [(rng.randrange(n), rng.randrange(n)) for _ in range(rng.randint(0, 80))]
        rank = rng.sample(range(n), n)
        assert _reps(rank, pairs) == _greedy(rank, pairs), seed


def test_a_long_chain_is_finished_one_key_at_a_time() -> None:
    n = 500  # more rounds than the vectorised loop runs
    pairs = [(i, i + 1) for i in range(n - 1)]
    assert _reps(list(range(n)), pairs) == _greedy(list(range(n)), pairs)
