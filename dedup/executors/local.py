"""The local executor: the stages in this process, signing on a pool of worker processes.

The main process lists the files and hands them out in chunks of about
``stages.CHUNK_CHARS`` characters to ``config.workers`` processes, which run
``stages.sign_chunk``. A chunk goes out as file names (or texts, for texts given by name)
and comes back as a few strings and numpy arrays: no per-paragraph objects cross processes.
Chunks are merged in order; bucketing, verification, clustering and the report then run in
the main process on the merged arrays.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor

import numpy as np
from tqdm import tqdm

from ..config import Config
from ..index import banding
from ..report import Report
from ..spill import release_freed_memory
from ..stages import (
    Corpus,
    Item,
    Paragraphs,
    Reading,
    Signed,
    Source,
    Stopwatch,
    build_report,
    candidate_pairs,
    chunks,
    cluster,
    list_items,
    sign_chunk,
    verify_pairs,
)

# Chunks queued per worker: work is always waiting, and memory stays bounded.
_QUEUED = 2


def signed_chunks(chunked: Iterator[list[Item]], config: Config) -> Iterator[Signed]:
    """``sign_chunk`` of each chunk, in order, on ``config.workers`` processes.

    The pool starts only once a second chunk exists: a small input never pays for it.
    """
    if config.workers == 1:
        for chunk in chunked:
            yield sign_chunk(chunk, config)
        return
    first, second = next(chunked, None), next(chunked, None)
    if first is None or second is None:
        if first is not None:
            yield sign_chunk(first, config)
        return
    with ProcessPoolExecutor(max_workers=config.workers) as pool:
        pending: deque[Future[Signed]] = deque()
        for chunk in itertools.chain((first, second), chunked):
            pending.append(pool.submit(sign_chunk, chunk, config))
            while len(pending) > _QUEUED * config.workers:
                yield pending.popleft().result()
        for future in pending:
            yield future.result()


def share_out(clock: Stopwatch, wall: float, worker_seconds: dict[str, float]) -> None:
    """Record the worker stages. Reading (in this process) overlaps the workers, and they
    each other, so the wall time of the phase not spent reading here is shared out in
    proportion to the time each stage took in the workers."""
    busy = sum(worker_seconds.values())
    rest = max(wall - clock.seconds.get("read", 0.0), 0.0)
    for stage, seconds in worker_seconds.items():
        share = rest * seconds / busy if busy else 0.0
        clock.seconds[stage] = clock.seconds.get(stage, 0.0) + share


def run(
    source: Source,
    config: Config,
    reading: Reading,
    show: bool,
) -> Report:
    """The scan, stage by stage; ``reading`` is how to list and read files."""
    clock = Stopwatch()
    started = time.perf_counter()

    with clock.stage("read"):
        items, total = list_items(source, *reading)  # listed here, read by the workers
    return finish(signed_chunks(chunks(items), config), total, config, show, clock, started)


def finish(
    signed_parts: Iterator[Signed],
    total: int | None,
    config: Config,
    show: bool,
    clock: Stopwatch,
    started: float,
) -> Report:
    """Merge signed chunks in order, then run the stages after signing: the scan from
    its signed chunks, wherever they came from (workers, or a persistent index)."""
    corpus = Corpus()
    bar = tqdm(total=total, desc="scanning", unit="file", disable=not show, leave=False)
    for signed in signed_parts:
        corpus.merge(signed)
        bar.update(len(signed.outcomes) - len(signed.parts))
    bar.close()
    share_out(clock, time.perf_counter() - started, corpus.worker_seconds)
    n_keys = len(corpus.key_ids)
    corpus.key_ids.clear()  # the keys themselves are no longer needed
    para_key = corpus.column("para_key", np.zeros(0, np.int64))
    row_key = corpus.column("row_key", np.zeros(0, np.int64))
    n_bands = banding(config.lsh_threshold, config.num_perm)[0]
    bands = corpus.column("bands", np.zeros((0, n_bands), np.uint64))
    paragraphs = Paragraphs(corpus)
    anchor_rows = corpus.column("anchor_rows", np.zeros(0, np.int64))
    anchors = corpus.column("anchors", np.zeros(0, np.uint64))
    release_freed_memory()  # what merging freed (a large file's text and lines)

    with clock.stage("candidates"):
        candidates = candidate_pairs(bands, anchor_rows, anchors, len(row_key))
        del bands, anchor_rows, anchors  # the largest columns, needed by this stage only
        release_freed_memory()

    with clock.stage("verify"):
        accepted, overlaps = verify_pairs(candidates, corpus, config)
        del candidates
        release_freed_memory()

    with clock.stage("cluster"):
        found = cluster(accepted, para_key, row_key, n_keys, overlaps, corpus, paragraphs, config)

    with clock.stage("report"):
        return build_report(found, corpus, paragraphs, config, clock.seconds, started)
