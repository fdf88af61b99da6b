from __future__ import annotations

import itertools
import random
import re

import numpy as np

import dedup
from dedup.cluster import MAX_LINKED_KEYS, merge_linked, representatives
from tests.conftest import sighan_lines


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


# --------------------------------------------------------------------------- merge_linked


def _merged(rep: list[int], pairs: list[tuple[int, int]], close: set[tuple[int, int]]) -> list[int]:
    """``merge_linked`` with rank = key order and ``close`` given as a set of unordered pairs."""
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)

    def is_close(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.array([(min(i, j), max(i, j)) in close for i, j in zip(x, y)], dtype=bool)

    def never(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.zeros(len(x), dtype=bool)

    rank = np.arange(len(rep), dtype=np.int64)
    return merge_linked(np.array(rep, dtype=np.int64), rank, a, b, is_close, never).tolist()


def test_clusters_linked_by_a_near_pair_merge_when_every_pair_is_close() -> None:
    # 0 heads {0, 1}; 2 is near 1 only, so the greedy leaves it alone.
    pairs = [(0, 1), (1, 2)]
    assert _reps([0, 1, 2], pairs) == [0, 0, 2]
    assert _merged([0, 0, 2], pairs, {(0, 1), (1, 2), (0, 2)}) == [0, 0, 0]
    # 0 and 2 are not close (too far apart, or a distinct record): no merge.
    assert _merged([0, 0, 2], pairs, {(0, 1), (1, 2)}) == [0, 0, 2]


def test_a_merged_cluster_is_compared_whole_with_the_next() -> None:
    # Chain 0~1~2~3~4: greedy {0, 1}, {2, 3}, {4}. All close except 0 and 4: {0..3} merge,
    # then 4 would bring in the pair (0, 4) and stays out.
    pairs = [(0, 1), (1, 2), (2, 3), (3, 4)]
    close = {(i, j) for i in range(5) for j in range(i + 1, 5)} - {(0, 4)}
    rep = _reps([0, 1, 2, 3, 4], pairs)
    assert rep == [0, 0, 2, 2, 4]
    assert _merged(rep, pairs, close) == [0, 0, 0, 0, 4]


def test_keys_in_no_link_keep_their_cluster() -> None:
    assert _merged([0, 0, 2, 2], [(0, 1), (2, 3)], set()) == [0, 0, 2, 2]
    assert _merged([0, 1, 2], [], set()) == [0, 1, 2]


def test_keys_merged_from_different_clusters_are_close_and_linked() -> None:
    for seed in range(200):
        rng = random.Random(seed)
        n = rng.randint(2, 30)
        pairs = [(rng.randrange(n), rng.randrange(n)) for _ in range(rng.randint(1, 60))]
        close = {(i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.8}
        close |= {(min(p), max(p)) for p in pairs}  # near pairs are close
        rep = _reps(list(range(n)), pairs)
        merged = _merged(rep, pairs, close)
        for x, y in itertools.combinations(range(n), 2):
            if merged[x] == merged[y] and rep[x] != rep[y]:
                assert (x, y) in close, seed
        # A merged cluster's greedy clusters are linked by near pairs (connected).
        for head in set(merged):
            parts = {rep[k] for k in range(n) if merged[k] == head}
            reached = {head}
            while True:
                more = {rep[b] for a, b in pairs if rep[a] in reached and rep[b] in parts}
                more |= {rep[a] for a, b in pairs if rep[b] in reached and rep[a] in parts}
                if more <= reached:
                    break
                reached |= more
            assert reached == parts, seed


def test_large_groups_of_linked_clusters_are_not_merged() -> None:
    def star_and_key(n: int) -> tuple[list[int], list[tuple[int, int]]]:
        """0 heads 1..n-2; n-1 is near 1 only: a group of n keys."""
        pairs = [(0, k) for k in range(1, n - 1)] + [(1, n - 1)]
        return _reps(list(range(n)), pairs), pairs

    rep, pairs = star_and_key(MAX_LINKED_KEYS)
    every = {(i, j) for i in range(MAX_LINKED_KEYS) for j in range(i + 1, MAX_LINKED_KEYS)}
    assert rep[-1] == MAX_LINKED_KEYS - 1
    assert set(_merged(rep, pairs, every)) == {0}
    rep, pairs = star_and_key(MAX_LINKED_KEYS + 1)
    every = {(i, j) for i in range(MAX_LINKED_KEYS + 1) for j in range(i + 1, MAX_LINKED_KEYS + 1)}
    assert set(_merged(rep, pairs, every)) == {0, MAX_LINKED_KEYS}


# --------------------------------------------------------------------------- on real text


def _clusters(texts: dict[str, str]) -> list[list[str]]:
    report = dedup.scan(texts, progress=False)
    return [sorted(m.path for m in c.members) for c in report.clusters]


# A real paragraph (SIGHAN 2005, msr_test) and noisy copies of it.
_PARAGRAPH = next(
    line for line in sighan_lines("msr_test.utf8") if line.startswith("又到了毕业生找工作的时候")
)
_WITH_CLAUSE = _PARAGRAPH + "其实，外在的艰难困苦并不可怕，"  # a clause of another real line
_EDITED = _PARAGRAPH.replace("找工作", "找工做").replace("大机关", "大机阅")


def test_copies_verified_against_different_members_end_in_one_cluster() -> None:
    # The copy with a clause heads the cluster (first path); the edited copy is a near copy
    # of the original only, not of the copy with the clause (nor inside it).
    assert _clusters({"a": _WITH_CLAUSE, "b": _PARAGRAPH}) == [["a", "b"]]
    assert _clusters({"b": _PARAGRAPH, "c": _EDITED}) == [["b", "c"]]
    report = dedup.scan({"a": _WITH_CLAUSE, "c": _EDITED}, progress=False)
    assert not report.clusters and not report.contained
    # Together: one cluster of the three, headed by the first.
    report = dedup.scan({"a": _WITH_CLAUSE, "b": _PARAGRAPH, "c": _EDITED}, progress=False)
    assert [[m.path for m in c.members] for c in report.clusters] == [["a", "b", "c"]]


def test_a_distinct_record_does_not_join_through_a_noisy_copy() -> None:
    real = next(line for line in sighan_lines("msr_test.utf8") if "暂定为１９９７年１１月" in line)
    other_year = real.replace("１９９７", "１９９８")  # a different fact
    noisy = real.replace("水文条件", "水纹条件")  # a typo: a copy of both
    assert _clusters({"a": real, "c": other_year}) == []
    assert _clusters({"b": noisy, "c": other_year}) == [["b", "c"]]
    assert _clusters({"a": real, "b": noisy, "c": other_year}) == [["a", "b"]]


def test_paragraphs_sharing_sentences_do_not_chain() -> None:
    # Windows of 8 real sentences, each one sentence on: neighbours are near copies, and
    # the first and the last share nothing.
    sentences = [
        s
        for line in sighan_lines("msr_test.utf8")[200:600]
        for s in re.findall(r"[^。！？]+[。！？]", line)
        if 14 <= len(s) <= 24
    ][:16]
    windows = {f"p{i:02d}": sentences[i : i + 8] for i in range(9)}
    clusters = _clusters({name: "".join(window) for name, window in windows.items()})
    assert len(clusters) >= 2
    for members in clusters:
        for one, other in itertools.combinations(members, 2):
            # Every two paragraphs of a cluster share most of their sentences.
            assert len(set(windows[one]) & set(windows[other])) > 4, (one, other)
