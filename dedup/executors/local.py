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
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from itertools import islice

import numpy as np

from ..config import Config
from ..fanout import Batch, Fan, Result, in_process
from ..index import banding
from ..progress import progress_bar
from ..records import preload_tagger
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

# Chunks (or batches) queued per worker: work is always waiting, and memory stays bounded.
_QUEUED = 2


class Workers:
    """``config.workers`` processes for signing and for the batches stages fan out
    (`fanout.Fan`), started when first needed: a small input never pays for them. Used as
    a context manager, which stops them."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if self._pool is not None:  # on an error, chunks not yet begun are dropped
            self._pool.shutdown(cancel_futures=kind is not None)

    def start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.count)
        return self._pool

    def fan(
        self, function: Callable[[Batch], Result], batches: Iterable[Batch]
    ) -> Iterator[Result]:
        """A `fanout.Fan` on the workers and this process, if the workers were started
        (else in this process alone). ``_QUEUED`` batches per worker are handed out at
        once; when the next result is asked for and is not ready, this process runs the
        next batch not handed out itself rather than wait (unless a few results wait
        already), so workers that lag (on a loaded machine) cost little more than running
        every batch here."""
        if self._pool is None:
            return in_process(function, batches)
        pool, waiting = self._pool, iter(batches)
        # Results to come, in the batches' order: the workers', and those made here.
        ahead = deque(pool.submit(function, b) for b in islice(waiting, _QUEUED * self.count))

        def results() -> Iterator[Result]:
            while ahead:
                if ahead[0].done():
                    yield ahead.popleft().result()
                    handed_out = sum(not f.done() for f in ahead)
                    more = islice(waiting, max(_QUEUED * self.count - handed_out, 0))
                    ahead.extend(pool.submit(function, b) for b in more)
                    continue
                # Results made here wait for the one the workers owe first: a few at most.
                here = list(islice(waiting, 1 if len(ahead) < 2 * _QUEUED * self.count else 0))
                if not here:  # wait for the workers
                    yield ahead.popleft().result()
                    continue
                done: Future[Result] = Future()
                done.set_result(function(here[0]))
                ahead.append(done)

        return results()


def signed_chunks(
    chunked: Iterator[list[Item]], config: Config, workers: Workers | None = None
) -> Iterator[Signed]:
    """``sign_chunk`` of each chunk, in order, on ``config.workers`` processes: those of a
    scan (``workers``, kept for the stages after signing), or a pool of its own.

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
    with ExitStack() as stack:
        if workers is None:
            workers = stack.enter_context(Workers(config.workers))
        pool = workers.start()
        pending: deque[Future[Signed]] = deque()
        for chunk in itertools.chain((first, second), chunked):
            pending.append(pool.submit(sign_chunk, chunk, config))
            while len(pending) > _QUEUED * config.workers:
                yield pending.popleft().result()
        # Every chunk is handed out, and the workers have a few each still to sign: this
        # process (a scan's, or an index add's, both of which verify next) loads the word
        # tagger verification may need now, rather than wait. (In a thread of its own, its
        # memory went to a second malloc arena: a higher peak.)
        preload_tagger()
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
    with Workers(config.workers) as workers:
        signed = signed_chunks(chunks(items), config, workers)
        return finish(signed, total, config, show, clock, started, workers.fan)


def finish(
    signed_parts: Iterator[Signed],
    total: int | None,
    config: Config,
    show: bool,
    clock: Stopwatch,
    started: float,
    fan: Fan = in_process,
) -> Report:
    """Merge signed chunks in order, then run the stages after signing: the scan from
    its signed chunks, wherever they came from (workers, or a persistent index). ``fan``
    runs the batches the cluster stage fans out."""
    corpus = Corpus()
    shown = progress_bar(total, "scanning", "file", show, leave=False)
    for signed in signed_parts:
        corpus.merge(signed)
        shown.update(len(signed.outcomes) - len(signed.parts))
    shown.close()
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
        found = cluster(
            accepted,
            para_key,
            row_key,
            n_keys,
            overlaps,
            corpus,
            paragraphs,
            config,
            fan=fan,
        )

    with clock.stage("report"):
        return build_report(found, corpus, paragraphs, config, clock.seconds, started)
