from __future__ import annotations

import random

import numpy as np

from dedup.cluster import group_accepted, group_keys


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


def test_grouping_accepted_pairs_skips_pairs_already_joined() -> None:
    rng = random.Random(8)
    pairs = np.array(sorted({tuple(sorted(rng.sample(range(300), 2))) for _ in range(400)}))
    accepted = {tuple(p) for p in pairs.tolist() if (p[0] * 7 + p[1]) % 3}
    asked = []

    def accept(a: int, b: int) -> bool:
        asked.append((a, b))
        return (a, b) in accepted

    labels = group_accepted(300, pairs, accept)
    assert labels.tolist() == group_keys(300, sorted(accepted)).tolist()
    assert len(asked) < len(pairs)
