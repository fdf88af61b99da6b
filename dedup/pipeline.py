"""The scan: read, segment, normalise, shingle, sign, index, verify, cluster, report."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Union

import numpy as np
from tqdm import tqdm

from .cluster import group_keys
from .config import Config
from .index import candidate_pairs
from .io import Document, SkippedFile, read_folder
from .normalise import normalise
from .report import DuplicateCluster, FileInfo, Member, Report, Scope, Summary
from .segment import Paragraph, segment
from .shingle import shingle_batch
from .signature import signatures
from .verify import shingle_sets, similarity, verified_pairs

Source = Union[str, "os.PathLike[str]", Mapping[str, str]]
"""A folder of `.txt` files, or texts by name."""

# Distinct keys per unit of work handed to a worker process.
_CHUNK = 4096


def _progress_enabled(progress: bool | None) -> bool:
    return sys.stderr.isatty() if progress is None else progress


class _Stopwatch:
    """Seconds spent per stage, in the order the stages ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def _documents(source: Source, encoding: str | None) -> Iterator[Document | SkippedFile]:
    if isinstance(source, Mapping):
        for name in source:
            yield Document(str(name), source[name], "str")
    else:
        yield from read_folder(Path(source), encoding)


def _sign_chunk(keys: list[str], config: Config) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    hashes, offsets = shingle_batch(keys, config.shingle, config.ngram)
    return hashes, offsets, signatures(hashes, offsets, config.num_perm, config.seed)


def _sign_all(
    keys: list[str], config: Config, show: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shingles (CSR) and signatures of ``keys``, in chunks, on ``config.workers`` processes."""
    chunks = [keys[i : i + _CHUNK] for i in range(0, len(keys), _CHUNK)]
    bar = tqdm(total=len(keys), desc="signatures", unit="para", disable=not show, leave=False)
    results = []
    if config.workers > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=config.workers) as pool:
            for chunk, result in zip(chunks, pool.map(_sign_chunk, chunks, [config] * len(chunks))):
                results.append(result)
                bar.update(len(chunk))
    else:
        for chunk in chunks:
            results.append(_sign_chunk(chunk, config))
            bar.update(len(chunk))
    bar.close()
    if not results:
        empty = np.zeros(0, dtype=np.uint64)
        return empty, np.zeros(1, dtype=np.int64), np.zeros((0, config.num_perm), np.uint32)
    hashes = np.concatenate([r[0] for r in results])
    sizes = np.concatenate([np.diff(r[1]) for r in results])
    offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return hashes, offsets, np.concatenate([r[2] for r in results])


def _scope(members: Iterable[Paragraph]) -> Scope:
    docs = [m.doc for m in members]
    distinct = len(set(docs))
    if distinct == 1:
        return "within"
    return "across" if distinct == len(docs) else "both"


def scan(
    source: Source,
    config: Config | None = None,
    *,
    encoding: str | None = None,
    progress: bool | None = None,
) -> Report:
    """Find repeated paragraphs in a folder of `.txt` files or in texts given by name.

    ``encoding`` forces one encoding for every file (detected per file otherwise);
    ``progress`` shows progress bars (by default only when stderr is a terminal).
    """
    config = config or Config()
    show = _progress_enabled(progress)
    clock = _Stopwatch()
    started = time.perf_counter()

    files: list[FileInfo] = []
    errors: list[SkippedFile] = []
    paragraphs: list[Paragraph] = []
    with clock.stage("read"):
        for item in tqdm(
            _documents(source, encoding), desc="reading", unit="file", disable=not show, leave=False
        ):
            if isinstance(item, SkippedFile):
                errors.append(item)
                continue
            found = list(segment(item, len(files)))
            files.append(FileInfo(item.path, item.encoding, len(found)))
            paragraphs.extend(found)

    with clock.stage("normalise"):
        # Exact fast path: identical keys share one id and are never compared again.
        key_ids: dict[str, int] = {}
        para_key = np.fromiter(
            (key_ids.setdefault(normalise(p.text), len(key_ids)) for p in paragraphs),
            dtype=np.int64,
            count=len(paragraphs),
        )
        keys = list(key_ids)
        del key_ids
        long_enough = np.fromiter((len(k) >= config.min_chars for k in keys), bool, len(keys))

    with clock.stage("shingle+sign"):
        signed = np.flatnonzero(long_enough)
        hashes, offsets, sigs = _sign_all([keys[k] for k in signed], config, show)

    with clock.stage("candidates"):
        candidates = candidate_pairs(sigs, config.lsh_threshold)

    with clock.stage("verify"):
        involved = np.unique(candidates)
        sets = shingle_sets(hashes, offsets, involved)
        kept = verified_pairs(candidates, sets, config.threshold, config.containment)

    with clock.stage("cluster"):
        labels = group_keys(len(keys), ((int(signed[i]), int(signed[j])) for i, j in kept))
        para_label = labels[para_key]
        order = np.argsort(para_label, kind="stable")  # paragraphs already in path, line order
        bounds = np.flatnonzero(np.diff(para_label[order])) + 1
        groups = [g for g in np.split(order, bounds) if len(g) >= 2]
        groups.sort(key=lambda g: int(g[0]))
        row_of_key = {int(k): r for r, k in enumerate(signed)}

        def shingles_of(key: int) -> frozenset[int]:
            row = row_of_key.get(key)
            if row is None:
                return frozenset()
            if row not in sets:
                sets.update(shingle_sets(hashes, offsets, np.array([row])))
            return sets[row]

        clusters: list[DuplicateCluster] = []
        for number, group in enumerate(groups, start=1):
            members = [paragraphs[i] for i in group]
            first_key = int(para_key[group[0]])
            first_set = shingles_of(first_key)
            built = []
            for index, para in zip(group, members):
                key = int(para_key[index])
                exact = key == first_key
                score = 1.0 if exact else similarity(first_set, shingles_of(key)).jaccard
                built.append(Member(para.path, para.line, para.text, round(score, 4), exact))
            clusters.append(DuplicateCluster(number, _scope(members), tuple(built)))

    with clock.stage("report"):
        removed = [m for c in clusters for m in c.removable()]
        scopes = [c.scope for c in clusters]
        summary = Summary(
            files=len(files),
            files_with_errors=len(errors),
            paragraphs=len(paragraphs),
            clusters=len(clusters),
            clusters_within=scopes.count("within"),
            clusters_across=scopes.count("across"),
            clusters_both=scopes.count("both"),
            duplicate_paragraphs=len(removed),
            characters_saved=sum(len(m.text) for m in removed),
            seconds=round(time.perf_counter() - started, 3),
        )
    return Report(summary, tuple(clusters), tuple(files), tuple(errors), config, clock.seconds)
