"""The scan: read, segment, normalise, shingle, sign, index, verify, cluster, report.

The main process lists the files and hands them out in chunks of about ``_CHUNK_CHARS``
characters to ``config.workers`` processes, which read, segment, normalise, shingle and
sign them and compute their LSH band keys (``_sign_chunk``). A chunk goes out as file names
(or texts, for texts given by name) and comes back as a few strings and numpy arrays: no
per-paragraph objects cross processes, and no text is held twice. Chunks are merged in
order, so exact duplicates in different chunks share one key, key ids follow first
occurrence, and the result does not depend on the number of workers or the chunk size.
Bucketing, verification and clustering then run in the main process on the merged arrays,
each as a few numpy operations over all rows or pairs at once; Python objects are made
only for the report's clusters and members.
"""

from __future__ import annotations

import gc
import itertools
import os
import sys
import time
import unicodedata
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import numpy as np
from tqdm import tqdm

from .cluster import group_keys
from .config import Config
from .formats import Fields, is_row_file, read_rows, rows_of
from .index import band_keys, banding, bucket_pairs
from .io import (
    Document,
    Listing,
    Selection,
    SkippedFile,
    check_decode_errors,
    list_inputs,
    read_or_skip,
)
from .normalise import normalise_batch
from .report import DuplicateCluster, FileInfo, Member, Report, Summary
from .segment import segment
from .shingle import distinct, shingle_batch, take_rows
from .signature import signatures
from .verify import ShingleOverlaps

Source = Union[
    str,
    "os.PathLike[str]",
    Sequence[Union[str, "os.PathLike[str]"]],
    Mapping[str, str],
    Iterable[Any],
]
"""A file or a folder (of `.txt`, JSONL, JSON, CSV/TSV or Parquet files), several files and
folders, texts by name, or rows: a Hugging Face ``datasets.Dataset``, a pandas
``DataFrame`` or any iterable of ``(id, text)`` pairs."""


def input_paths(source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The paths of a source given as one path or as several."""
    if isinstance(source, (str, os.PathLike)):
        return [Path(source)]
    return [Path(p) for p in source]


# Characters of paragraphs per unit of work handed to a worker process: large enough that
# the per-chunk overhead vanishes, small enough to keep both workers busy to the end.
_CHUNK_CHARS = 1 << 18
# Chunks queued per worker: work is always waiting, and memory stays bounded.
_QUEUED = 2


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


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector. A scan allocates millions of objects that form no
    cycles (paragraphs, keys, members); collections triggered by their sheer number would
    traverse them all again and again, costing a fifth of a large scan."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class _Unread:
    """A file to be read by a worker: the one place this differs from ``io.read_folder``,
    which reads in the calling process."""

    path: Path
    root: Path
    encoding: str | None
    errors: str


_Item = Document | SkippedFile | _Unread


def _items(
    source: Source,
    encoding: str | None,
    selection: Selection | None,
    errors: str,
    fields: Fields,
) -> tuple[Iterator[tuple[_Item, int]], int | None]:
    """The documents of ``source`` in ``io.read_inputs``'s order (files by name, with the
    problems found while listing among them), each with its size, and how many there are
    when that is known before reading. Text files are read later, by the workers; the rows
    of JSONL, CSV and Parquet files and of in-memory tables are parsed here, one at a time,
    as the workers ask for more."""
    if isinstance(source, Mapping):
        docs = [Document(str(name), text, "str") for name, text in source.items()]
        return ((d, len(d.text)) for d in docs), len(docs)
    if not _is_paths(source):
        rows = rows_of(source, fields)  # type: ignore[arg-type]
        return ((d, len(d.text) if isinstance(d, Document) else 0) for d in rows), None
    listing = list_inputs(input_paths(source), selection)  # type: ignore[arg-type]
    has_rows = any(is_row_file(f.name) for f in listing.files)
    listed = _listed(listing, encoding, errors, fields)
    return listed, None if has_rows else len(listing.entries)


def _is_paths(source: object) -> bool:
    """Whether ``source`` names files: a path, or a list of paths (not of (id, text) rows)."""
    if isinstance(source, (str, os.PathLike)):
        return True
    return isinstance(source, (list, tuple)) and all(
        isinstance(p, (str, os.PathLike)) for p in source
    )


def _listed(
    listing: Listing, encoding: str | None, errors: str, fields: Fields
) -> Iterator[tuple[_Item, int]]:
    root = listing.root
    for entry in listing.entries:
        if isinstance(entry, SkippedFile):
            yield entry, 0
        elif is_row_file(entry.name):
            for row in read_rows(root / entry.relative, entry.name, fields):
                yield row, len(row.text) if isinstance(row, Document) else 0
        else:
            path = root / entry.relative
            try:
                size = path.stat().st_size // 3  # about a character per 3 bytes of UTF-8
            except OSError:
                size = 0  # the worker reports what is wrong with it
            yield _Unread(path, root, encoding, errors), size


def _read(item: _Item) -> Document | SkippedFile:
    if isinstance(item, _Unread):
        return read_or_skip(item.path, item.root, item.encoding, item.errors)
    return item


@dataclass
class _Signed:
    """A chunk of documents as paragraphs, keys, shingles and signatures: the work of one
    worker task, as a few strings and numpy arrays."""

    outcomes: list[FileInfo | SkippedFile]
    """What became of each item of the chunk: a file read, with its paragraphs, or not."""
    warnings: list[SkippedFile]
    """Files read, but not cleanly (with replacement characters)."""
    lines: np.ndarray
    """1-based line of each paragraph."""
    text: str
    """The paragraphs' texts, joined."""
    ends: np.ndarray
    """Where each paragraph's text ends in ``text``."""
    keys: list[str]
    """The chunk's distinct keys, in order of first occurrence."""
    para_key: np.ndarray
    """Index in ``keys`` of each paragraph."""
    signed: np.ndarray
    """Indices in ``keys`` of the keys long enough to shingle, ascending."""
    hashes: np.ndarray
    """Shingles of the signed keys, CSR with ``offsets``."""
    offsets: np.ndarray
    bands: np.ndarray
    """LSH band keys (``index.band_keys``) of each signed key's MinHash signature."""
    seconds: dict[str, float]


# Marks a key made from a paragraph's own text; normalise removes this character, so no
# other key starts with it.
_OWN_TEXT = "\x00"


def _keys(texts: list[str]) -> list[str]:
    """The comparison key of each paragraph. A paragraph of punctuation alone ("……",
    "***") has an empty normalised key; it is keyed by its own width-folded text instead,
    and matched only exactly, so that a separator is a copy of the same separator only."""
    return [
        key or _OWN_TEXT + unicodedata.normalize("NFKC", text)
        for key, text in zip(normalise_batch(texts), texts)
    ]


def _sign_chunk(items: list[_Item], config: Config) -> _Signed:
    """Read, segment, normalise, shingle, sign and band a chunk of documents; runs in a
    worker."""
    with _no_gc():
        return _sign(items, config)


def _sign(items: list[_Item], config: Config) -> _Signed:
    """The work of ``_sign_chunk``, stage by stage."""
    clock = _Stopwatch()
    with clock.stage("read"):
        read = [_read(item) for item in items]
        documents = [d for d in read if isinstance(d, Document)]
        found = [list(segment(document, 0)) for document in documents]
        texts = [p.text for paragraphs in found for p in paragraphs]
        lines = np.fromiter((p.line for ps in found for p in ps), np.int32, len(texts))
        ends = np.cumsum(np.fromiter(map(len, texts), np.int64, len(texts)))
    with clock.stage("normalise"):
        # Exact fast path: identical keys share one id and are shingled once.
        key_ids: dict[str, int] = {}
        para_key = np.fromiter(
            (key_ids.setdefault(k, len(key_ids)) for k in _keys(texts)),
            dtype=np.int64,
            count=len(texts),
        )
        keys = list(key_ids)
        lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
        exact_only = np.fromiter((k.startswith(_OWN_TEXT) for k in keys), bool, len(keys))
        signed = np.flatnonzero((lengths >= config.min_chars) & ~exact_only)
    with clock.stage("shingle"):
        hashes, offsets = shingle_batch([keys[k] for k in signed], config.shingle, config.ngram)
    with clock.stage("signatures"):
        sigs = signatures(hashes, offsets, config.num_perm, config.seed)
    with clock.stage("candidates"):  # what LSH can do with each signature on its own
        bands = band_keys(sigs, config.lsh_threshold)
    counts = iter(len(paragraphs) for paragraphs in found)
    outcomes = [
        d if isinstance(d, SkippedFile) else FileInfo(d.path, d.encoding, next(counts), d.row, d.id)
        for d in read
    ]
    warnings = [SkippedFile(d.path, d.warning) for d in documents if d.warning]
    joined = "".join(texts)
    return _Signed(
        outcomes,
        warnings,
        lines,
        joined,
        ends,
        keys,
        para_key,
        signed,
        hashes,
        offsets,
        bands,
        clock.seconds,
    )


def _signed_chunks(chunks: Iterator[list[_Item]], config: Config) -> Iterator[_Signed]:
    """``_sign_chunk`` of each chunk, in order, on ``config.workers`` processes.

    The pool starts only once a second chunk exists: a small input never pays for it.
    """
    if config.workers == 1:
        for chunk in chunks:
            yield _sign_chunk(chunk, config)
        return
    first, second = next(chunks, None), next(chunks, None)
    if first is None or second is None:
        if first is not None:
            yield _sign_chunk(first, config)
        return
    with ProcessPoolExecutor(max_workers=config.workers) as pool:
        pending: deque[Future[_Signed]] = deque()
        for chunk in itertools.chain((first, second), chunks):
            pending.append(pool.submit(_sign_chunk, chunk, config))
            while len(pending) > _QUEUED * config.workers:
                yield pending.popleft().result()
        for future in pending:
            yield future.result()


def _chunks(items: Iterable[tuple[_Item, int]]) -> Iterator[list[_Item]]:
    """The items in chunks of about ``_CHUNK_CHARS`` characters."""
    chunk: list[_Item] = []
    chars = 0
    for item, size in items:
        chunk.append(item)
        chars += size
        if chars >= _CHUNK_CHARS:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


@dataclass
class _Corpus:
    """What the scan knows once every chunk is merged: files; paragraphs as columns (the
    texts of a chunk stay one string); one id per distinct key; and the shingles and LSH
    band keys of the signed keys, as rows in key order (shingles kept chunk by chunk)."""

    files: list[FileInfo] = field(default_factory=list)
    errors: list[SkippedFile] = field(default_factory=list)
    warnings: list[SkippedFile] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    key_ids: dict[str, int] = field(default_factory=dict)
    parts: dict[str, list[np.ndarray]] = field(default_factory=lambda: defaultdict(list))
    worker_seconds: dict[str, float] = field(default_factory=dict)

    def merge(self, signed: _Signed) -> None:
        """Add one chunk: its files and paragraphs, and its keys (a key seen in an earlier
        chunk keeps its id and row)."""
        first_doc = len(self.files)
        for outcome in signed.outcomes:
            if isinstance(outcome, SkippedFile):
                self.errors.append(outcome)
            else:
                self.files.append(outcome)
        self.warnings.extend(signed.warnings)
        counts = [f.paragraphs for f in self.files[first_doc:]]
        docs = np.arange(first_doc, len(self.files), dtype=np.int64)
        self.parts["doc"].append(np.repeat(docs, counts))
        self.parts["line"].append(signed.lines)
        self.parts["chunk"].append(np.full(len(signed.lines), len(self.texts), dtype=np.int64))
        self.parts["end"].append(signed.ends)
        self.texts.append(signed.text)

        known = len(self.key_ids)
        ids = np.fromiter(
            (self.key_ids.setdefault(k, len(self.key_ids)) for k in signed.keys),
            dtype=np.int64,
            count=len(signed.keys),
        )
        self.parts["para_key"].append(ids[signed.para_key])
        new = ids[signed.signed] >= known
        sizes = np.diff(signed.offsets)
        self.parts["row_key"].append(ids[signed.signed][new])
        self.parts["hashes"].append(signed.hashes[np.repeat(new, sizes)])
        self.parts["sizes"].append(sizes[new])
        self.parts["bands"].append(signed.bands[new])
        for stage, seconds in signed.seconds.items():
            self.worker_seconds[stage] = self.worker_seconds.get(stage, 0.0) + seconds

    def shingles(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The shingles of ``rows`` (ascending row numbers) in CSR, taken chunk by chunk:
        only compared rows need them, so the hashes of all rows never form one array."""
        hashes, sizes = [np.zeros(0, np.uint64)], [np.zeros(0, np.int64)]
        first = 0
        for chunk_hashes, chunk_sizes in zip(self.parts["hashes"], self.parts["sizes"]):
            offsets = np.concatenate(([0], np.cumsum(chunk_sizes)))
            lo, hi = np.searchsorted(rows, [first, first + len(chunk_sizes)])
            taken, taken_offsets = take_rows(chunk_hashes, offsets, rows[lo:hi] - first)
            hashes.append(taken)
            sizes.append(np.diff(taken_offsets))
            first += len(chunk_sizes)
        return np.concatenate(hashes), np.concatenate(([0], np.cumsum(np.concatenate(sizes))))

    def column(self, name: str, empty: np.ndarray) -> np.ndarray:
        """The chunks' parts of one column, as one array (``empty`` if there are none)."""
        return np.concatenate([empty, *self.parts.pop(name, [])])


class _Paragraphs:
    """Where each paragraph is and what it says, as columns indexed by paragraph."""

    def __init__(self, corpus: _Corpus) -> None:
        self.paths = [f.path for f in corpus.files]
        self.texts = corpus.texts
        self.doc = corpus.column("doc", np.zeros(0, np.int64))
        self.line = corpus.column("line", np.zeros(0, np.int64))
        self.chunk = corpus.column("chunk", np.zeros(0, np.int64))
        self.end = corpus.column("end", np.zeros(0, np.int64))
        # A paragraph's text starts where the previous one ends, or at 0 in a new chunk.
        self.start = np.zeros(len(self.end), dtype=np.int64)
        if len(self.end):
            same_chunk = self.chunk[1:] == self.chunk[:-1]
            self.start[1:] = np.where(same_chunk, self.end[:-1], 0)

    def __len__(self) -> int:
        return len(self.doc)

    def path_of(self, rows: np.ndarray) -> list[str]:
        return [self.paths[d] for d in self.doc[rows].tolist()]

    def text_of(self, rows: np.ndarray) -> list[str]:
        starts, ends = self.start[rows].tolist(), self.end[rows].tolist()
        return [self.texts[c][a:b] for c, a, b in zip(self.chunk[rows].tolist(), starts, ends)]


def _share_out(clock: _Stopwatch, wall: float, worker_seconds: dict[str, float]) -> None:
    """Record the worker stages. Reading (in this process) overlaps the workers, and they
    each other, so the wall time of the phase not spent reading here is shared out in
    proportion to the time each stage took in the workers."""
    busy = sum(worker_seconds.values())
    rest = max(wall - clock.seconds.get("read", 0.0), 0.0)
    for stage, seconds in worker_seconds.items():
        share = rest * seconds / busy if busy else 0.0
        clock.seconds[stage] = clock.seconds.get(stage, 0.0) + share


def scan(
    source: Source,
    config: Config | None = None,
    *,
    encoding: str | None = None,
    errors: str = "strict",
    select: Selection | None = None,
    progress: bool | None = None,
    text_field: str = "text",
    id_field: str | None = None,
) -> Report:
    """Find repeated paragraphs in files, folders, texts given by name, or rows.

    ``source`` is a file or folder, a list of them, a mapping of names to texts, or rows
    (see ``Source``). ``select`` chooses the files read under folders (by default `.txt`,
    `.jsonl`, `.json`, `.csv`, `.tsv` and `.parquet` in any case, hidden ones left out; see
    `Selection`). A row's ``text_field`` is a document, named ``FILE#ROW`` (``#ROW`` for
    in-memory rows), its lines the paragraphs; ``id_field`` is kept as ``FileInfo.id``.
    ``encoding`` forces one encoding for every text file (detected per file otherwise);
    ``errors="replace"`` reads a text file with invalid bytes with U+FFFD in their place
    and lists it in ``Report.warnings``;
    ``progress`` shows progress bars (by default only when stderr is a terminal).
    ``Report.timings`` gives the seconds of each stage. Segmenting (part of ``read``),
    ``normalise``, ``shingle``, ``signatures`` and the band keys of ``candidates`` run in
    worker processes, overlapping with reading and each other; they share the wall time of
    that phase in proportion to the work each did.
    """
    check_decode_errors(errors)
    with _no_gc():
        reading = (encoding, select, errors, Fields(text_field, id_field))
        return _scan(source, config or Config(), reading, progress)


def _scan(
    source: Source,
    config: Config,
    reading: tuple[str | None, Selection | None, str, Fields],
    progress: bool | None,
) -> Report:
    """The work of ``scan``, stage by stage; ``reading`` is how to list and read files."""
    clock = _Stopwatch()
    started = time.perf_counter()
    show = _progress_enabled(progress)

    corpus = _Corpus()
    with clock.stage("read"):
        items, total = _items(source, *reading)  # listed here, read by the workers
    bar = tqdm(total=total, desc="scanning", unit="file", disable=not show, leave=False)
    for signed in _signed_chunks(_chunks(items), config):
        corpus.merge(signed)
        bar.update(len(signed.outcomes))
    bar.close()
    _share_out(clock, time.perf_counter() - started, corpus.worker_seconds)
    n_keys = len(corpus.key_ids)
    corpus.key_ids.clear()  # the keys themselves are no longer needed
    para_key = corpus.column("para_key", np.zeros(0, np.int64))
    row_key = corpus.column("row_key", np.zeros(0, np.int64))
    n_bands = banding(config.lsh_threshold, config.num_perm)[0]
    bands = corpus.column("bands", np.zeros((0, n_bands), np.uint64))
    paragraphs = _Paragraphs(corpus)

    with clock.stage("candidates"):
        candidates = bucket_pairs(bands)

    with clock.stage("verify"):
        # Every row a cluster compares is in a candidate pair: prepare the sets of those.
        compared = distinct(candidates.ravel())
        overlaps = ShingleOverlaps(compared, *corpus.shingles(compared))
        similarity = overlaps.similarity(candidates[:, 0], candidates[:, 1])
        accepted = candidates[similarity.duplicate(config.threshold, config.containment)]
        row_label = group_keys(len(row_key), accepted.tolist())

    with clock.stage("cluster"):
        # Rows are in key order, so a row group's smallest row holds its smallest key.
        labels = np.arange(n_keys, dtype=np.int64)
        labels[row_key] = row_key[row_label]
        key_row = np.full(n_keys, -1, dtype=np.int64)
        key_row[row_key] = np.arange(len(row_key))
        clusters = _clusters(labels[para_key], para_key, key_row, overlaps, paragraphs, config)

    with clock.stage("report"):
        removed = [m for c in clusters for m in c.removable()]
        scopes = [c.scope for c in clusters]
        summary = Summary(
            files=len(corpus.files),
            files_with_errors=len(corpus.errors),
            paragraphs=len(paragraphs),
            clusters=len(clusters),
            clusters_within=scopes.count("within"),
            clusters_across=scopes.count("across"),
            clusters_both=scopes.count("both"),
            duplicate_paragraphs=len(removed),
            characters_saved=sum(len(m.text) for m in removed),
            seconds=round(time.perf_counter() - started, 3),
        )
    return Report(
        summary,
        tuple(clusters),
        tuple(corpus.files),
        tuple(corpus.errors),
        config,
        clock.seconds,
        tuple(corpus.warnings),
    )


def _groups(para_label: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Paragraphs sharing a label, 2 or more, ordered by their first paragraph: the
    paragraph indices of every group, one after the other, and where each group starts
    (with the total at the end)."""
    order = np.argsort(para_label, kind="stable")  # paragraphs already in path, line order
    labels = para_label[order]
    starts = np.flatnonzero(np.concatenate(([True], labels[1:] != labels[:-1])))
    sizes = np.diff(np.append(starts, len(order)))
    starts, sizes = starts[sizes >= 2], sizes[sizes >= 2]
    by_first = np.argsort(order[starts], kind="stable")
    starts, sizes = starts[by_first], sizes[by_first]
    bounds = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=bounds[1:])
    within = np.arange(int(bounds[-1]), dtype=np.int64) - np.repeat(bounds[:-1], sizes)
    return order[np.repeat(starts, sizes) + within], bounds


def _covered(
    keys: np.ndarray,
    kept_keys: np.ndarray,
    key_row: np.ndarray,
    overlaps: ShingleOverlaps,
    config: Config,
) -> tuple[np.ndarray, np.ndarray]:
    """For members with ``keys`` against the members kept in their place (``kept_keys``):
    whether the kept one covers each (same key, Jaccard at the threshold, or the containment
    share of the member's own shingles inside the kept one), and the Jaccard similarity.

    A member with another key than the kept one joined it through verified pairs, so both
    keys have shingle rows.
    """
    same = keys == kept_keys
    similarity = overlaps.similarity(key_row[kept_keys[~same]], key_row[keys[~same]])
    jaccard = np.ones(len(keys))
    jaccard[~same] = similarity.jaccard
    inside = np.ones(len(keys))
    inside[~same] = similarity.inside_a
    return (jaccard >= config.threshold) | (inside >= config.containment), jaccard


def _seen_before(segment: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Whether an earlier member of the same segment (members sharing a ``segment`` value)
    has the same key."""
    code = segment * (int(keys.max(initial=0)) + 1) + keys
    order = np.argsort(code, kind="stable")
    repeat = np.zeros(len(code), dtype=bool)
    repeat[order[1:]] = code[order[1:]] == code[order[:-1]]
    return repeat


def _clusters(
    para_label: np.ndarray,
    para_key: np.ndarray,
    key_row: np.ndarray,
    overlaps: ShingleOverlaps,
    paragraphs: _Paragraphs,
    config: Config,
) -> list[DuplicateCluster]:
    """The report's clusters, their members scored against the first, as columns for all
    members at once; Python objects are made only for the report itself."""
    members, bounds = _groups(para_label)
    sizes = np.diff(bounds)
    keys = para_key[members]
    first_keys = np.repeat(keys[bounds[:-1]], sizes)
    exact = keys == first_keys
    # Paragraphs are in path order, so a group's documents ascend: mark where they change.
    docs = paragraphs.doc[members]
    new_doc = np.ones(len(members), dtype=bool)
    np.not_equal(docs[1:], docs[:-1], out=new_doc[1:])
    new_doc[bounds[:-1]] = True
    position = np.arange(len(members))
    # What clean keeps: the first member of each cluster, or of each document with --within,
    # and any later member that neither it covers nor repeats an earlier member's key.
    cluster_first = np.repeat(bounds[:-1], sizes)
    covered, jaccard = _covered(keys, first_keys, key_row, overlaps, config)
    dropped = (covered | _seen_before(cluster_first, keys)) & (position != cluster_first)
    document_first = np.maximum.accumulate(np.where(new_doc, position, 0))
    covered_within, _ = _covered(keys, keys[document_first], key_row, overlaps, config)
    dropped_within = (covered_within | _seen_before(document_first, keys)) & ~new_doc
    # Python's round, as the report has always used.
    scores = [round(s, 4) for s in jaccard.tolist()]
    built = list(
        map(
            Member,
            paragraphs.path_of(members),
            paragraphs.line[members].tolist(),
            paragraphs.text_of(members),
            scores,
            exact.tolist(),
            dropped.tolist(),
            dropped_within.tolist(),
        )
    )
    n_docs = np.add.reduceat(new_doc, bounds[:-1]) if len(sizes) else sizes
    scopes = np.where(n_docs == 1, "within", np.where(n_docs == sizes, "across", "both"))
    return [
        DuplicateCluster(number, scope, tuple(built[a:b]))
        for number, scope, a, b in zip(
            itertools.count(1), scopes.tolist(), bounds[:-1].tolist(), bounds[1:].tolist()
        )
    ]
