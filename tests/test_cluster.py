from __future__ import annotations

import random

from dedup.cluster import group_keys


def test_groups_are_transitive_and_labelled_by_smallest_member() -> None:
    labels = group_keys(7, [(5, 3), (3, 1), (4, 6)])
    assert labels.tolist() == [0, 1, 2, 1, 4, 1, 4]


def test_grouping_does_not_depend_on_pair_order() -> None:
    rng = random.Random(4)
    pairs = [(rng.randrange(200), rng.randrange(200)) for _ in range(150)]
    first = group_keys(200, pairs).tolist()
    for _ in range(5):
        rng.shuffle(pairs)
        swapped = [(b, a) for a, b in pairs]
        assert group_keys(200, swapped).tolist() == first
