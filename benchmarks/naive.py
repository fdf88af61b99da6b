"""The naive baseline a user would assemble from the OpenCC, jieba and datasketch READMEs.

Every non-blank line: OpenCC t2s, ``jieba.lcut``, 3-word shingles, ``MinHash(num_perm=128)``,
``MinHashLSH(threshold=0.8)`` insert-then-query, no verification, union-find, clusters of 2+.
Run ``python -m benchmarks.naive`` to generate a corpus, time the baseline and print its score.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import jieba
import opencc
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
THRESHOLD = 0.8
SHINGLE = 3


def naive_clusters(folder: Path) -> list[list[tuple[str, int]]]:
    """Clusters of (relative '/'-path, 1-based line) found by the naive MinHash+LSH pipeline."""
    folder = Path(folder)
    cc = opencc.OpenCC("t2s")
    keys: list[tuple[str, int]] = []
    hashes: list[MinHash] = []
    for path in sorted(folder.rglob("*.txt")):
        rel = path.relative_to(folder).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            if not line.strip():
                continue
            words = jieba.lcut(cc.convert(line))
            if len(words) < SHINGLE:
                shingles = {"".join(words)}
            else:
                shingles = {
                    "".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)
                }
            m = MinHash(num_perm=NUM_PERM)
            for sh in sorted(shingles):
                m.update(sh.encode("utf8"))
            keys.append((rel, number))
            hashes.append(m)

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    for i, m in enumerate(hashes):
        lsh.insert(i, m)
    parent = list(range(len(hashes)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, m in enumerate(hashes):
        for j in lsh.query(m):
            a, b = find(i), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for i, key in enumerate(keys):
        groups[find(i)].append(key)
    return [groups[r] for r in sorted(groups) if len(groups[r]) >= 2]


def main(argv: Sequence[str] | None = None) -> None:
    """Generate a corpus (or use ``--corpus``), run the baseline, print score and seconds."""
    from benchmarks import corpus, scoring

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--corpus", type=Path, help="existing corpus folder with truth.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.corpus or Path(tmp)
        if args.corpus is None:
            corpus.generate(folder, args.seed, args.docs)
        truth = corpus.load_truth(folder)
        jieba.initialize()  # dictionary load is a one-off cost, not per-corpus work
        start = time.perf_counter()
        clusters = naive_clusters(folder)
        seconds = time.perf_counter() - start
        result = scoring.score(truth, clusters)
    print(f"naive: {truth.documents} docs, {truth.paragraphs} lines, {seconds:.2f} s")
    print(result.summary())


if __name__ == "__main__":
    main()
