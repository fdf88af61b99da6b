"""The stages of a scan, as pure functions over batches, whatever runs them.

``sign_chunk`` reads, segments, normalises, shingles and signs a chunk of documents and
computes their LSH band keys: a few strings and numpy columns, and a content digest of
each distinct key (``key_digests``). ``Corpus.merge`` joins chunks in order: a key's id is
the rank of its first position among all keys, found by its digest, so exact duplicates in
different chunks share one key and ids (hence every tie-break) do not depend on the number
of workers, the chunk size or the executor. ``candidate_pairs`` buckets the rows,
``verify_pairs`` keeps the pairs whose shingle sets agree, ``cluster`` groups them by the
cluster model (`cluster.representatives`), and ``build_report`` makes the `Report`; each is
a few numpy operations over all rows or pairs at once, and Python objects are made only for
the report's clusters and members. Executors (`dedup.executors`) decide where each runs.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import os
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol, Union

import numpy as np

from .boilerplate import TEMPLATE_CHARS, edge_of, templates
from .cluster import closeness, merge_linked, representatives
from .config import Config
from .coverage import (
    CHARS_PER_EDIT,
    Lines,
    Outcome,
    decide,
    held_elsewhere,
    nearly_held,
    number_sentences,
    split_batch,
)
from .fanout import Fan, in_process
from .formats import Fields, is_row_file, read_rows, rows_of
from .index import anchor_pairs, band_keys, bucket_pairs, fragment_anchors
from .io import (
    Document,
    Listing,
    Selection,
    SkippedFile,
    list_inputs,
    read_or_skip,
)
from .normalise import normalise_batch
from .report import (
    Containment,
    DuplicateCluster,
    DuplicateDocument,
    FileInfo,
    Member,
    Place,
    Removal,
    Report,
    Summary,
)
from .segment import segment, split_document
from .shingle import distinct, shingle_batch, take_rows
from .signature import signatures
from .spill import Spill, SpilledArrays, SpilledStrings, release_freed_memory, take
from .verify import ShingleOverlaps, verify

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


Reading = tuple[str | None, Selection | None, str, Fields]
"""How to list and read the inputs: encoding, selection, decode errors, row fields."""


def input_paths(source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The paths of a source given as one path or as several."""
    if isinstance(source, (str, os.PathLike)):
        return [Path(source)]
    return [Path(p) for p in source]


# Characters of paragraphs per unit of work handed to a worker process: large enough that
# the per-chunk overhead vanishes, small enough to keep both workers busy to the end.
CHUNK_CHARS = 1 << 18

# A text file of more bytes than this is read here and handed out in parts of about
# CHUNK_CHARS characters cut at line ends (`io.split_document`), so that no worker holds
# the work of a whole large file at once.
LARGE_FILE_BYTES = 4 * CHUNK_CHARS

# Texts split into sentences at once by the cluster stage: splitting and keying hold
# several times a batch's size in temporaries, so the batch, not the corpus, bounds them.
# Batches handed to workers wait in this process, a few per worker, as texts and pickles:
# small batches keep those few small, and cost a millisecond or so each.
SPLIT_BATCH = 2048
# Paragraphs whose shingles the cluster stage holds at once to count a sentence's missing
# shingles (about 100 shingles each).
MISSING_BATCH = 4096


class Stopwatch:
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
def no_gc() -> Iterator[None]:
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
class Unread:
    """A file to be read by a worker: the one place this differs from ``io.read_folder``,
    which reads in the calling process."""

    path: Path
    root: Path
    encoding: str | None
    errors: str


Item = Document | SkippedFile | Unread


def list_items(
    source: Source,
    encoding: str | None,
    selection: Selection | None,
    errors: str,
    fields: Fields,
) -> tuple[Iterator[tuple[Item, int]], int | None]:
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
) -> Iterator[tuple[Item, int]]:
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
                size = path.stat().st_size
            except OSError:
                size = 0  # the worker reports what is wrong with it
            if size > LARGE_FILE_BYTES:
                yield from _parts(read_or_skip(path, root, encoding, errors))
            else:  # about a character per 3 bytes of UTF-8
                yield Unread(path, root, encoding, errors), size // 3


def _parts(read: Document | SkippedFile) -> Iterator[tuple[Item, int]]:
    """A large file, read, as parts of whole lines of about ``CHUNK_CHARS`` characters."""
    if isinstance(read, SkippedFile):
        yield read, 0
        return
    for part in split_document(read, CHUNK_CHARS):
        yield part, len(part.text)


def read_item(item: Item) -> Document | SkippedFile:
    if isinstance(item, Unread):
        return read_or_skip(item.path, item.root, item.encoding, item.errors)
    return item


@dataclass
class Signed:
    """A chunk of documents as paragraphs, keys, shingles and signatures: the work of one
    worker task, as a few strings and numpy arrays."""

    outcomes: list[FileInfo | SkippedFile]
    """What became of each item of the chunk: a file read, with its paragraphs, or not. A
    later part of a large file (`io.Document.part`) is a FileInfo listed in ``parts``."""
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
    digests: np.ndarray
    """A (keys x 2) uint64 content digest of each key (``key_digests``): a key's identity
    across chunks and executors."""
    para_key: np.ndarray
    """Index in ``keys`` of each paragraph."""
    signed: np.ndarray
    """Indices in ``keys`` of the keys long enough to shingle, ascending."""
    hashes: np.ndarray
    """Shingles of the signed keys, CSR with ``offsets``."""
    offsets: np.ndarray
    bands: np.ndarray
    """LSH band keys (``index.band_keys``) of each signed key's MinHash signature."""
    anchor_rows: np.ndarray
    """Fragment anchors (``index.fragment_anchors``): index in ``signed`` of each, ..."""
    anchors: np.ndarray
    """... and its value."""
    seconds: dict[str, float]
    parts: tuple[int, ...] = ()
    """Indices in ``outcomes`` of the later parts of a large file: their paragraphs belong
    to the file before them."""


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


def key_digests(keys: list[str]) -> np.ndarray:
    """A 128-bit BLAKE2b digest of each key, as (keys x 2) uint64: equal keys have equal
    digests on any machine, so keys are matched across chunks without their strings."""
    raw = b"".join(
        hashlib.blake2b(k.encode("utf-8", "surrogatepass"), digest_size=16).digest() for k in keys
    )
    return np.frombuffer(raw, dtype=np.uint64).reshape(len(keys), 2)


def items_chars(items: Sequence[Item]) -> int:
    """About how many characters ``items`` hold (a text file not read yet: a third of its
    bytes), to cut work into chunks of similar size."""
    total = 0
    for item in items:
        if isinstance(item, Unread):
            with suppress(OSError):  # whoever reads it reports what is wrong with it
                total += item.path.stat().st_size // 3
        elif isinstance(item, Document):
            total += len(item.text)
    return total


class HeldParagraphs(Protocol):
    """A file whose paragraphs are held already, not read now (an indexed file): what became
    of its documents, and its paragraphs' texts joined, where each ends and its line."""

    @property
    def outcomes(self) -> Sequence[FileInfo | SkippedFile]: ...
    @property
    def warnings(self) -> Sequence[SkippedFile]: ...
    @property
    def text(self) -> str: ...
    @property
    def ends(self) -> np.ndarray: ...
    @property
    def lines(self) -> np.ndarray: ...


def held_chunks(files: Sequence[HeldParagraphs]) -> Iterator[Signed]:
    """The paragraphs of ``files`` as chunks of about ``CHUNK_CHARS`` characters with nothing
    signed, for ``Corpus.add_paragraphs``: a corpus cut as a scan cuts it (the cluster stage
    works chunk by chunk), not file by file."""
    empty = np.zeros(0, np.int64)
    group: list[HeldParagraphs] = []
    chars = 0
    for at, file in enumerate(files):
        group.append(file)
        chars += len(file.text)
        if chars < CHUNK_CHARS and at + 1 < len(files):
            continue
        shift = np.cumsum([0] + [len(f.text) for f in group[:-1]])
        yield Signed(
            [o for f in group for o in f.outcomes],
            [w for f in group for w in f.warnings],
            np.concatenate([np.zeros(0, np.int32), *(f.lines for f in group)]),
            "".join(f.text for f in group),
            np.concatenate([empty, *(f.ends + s for f, s in zip(group, shift.tolist()))]),
            [],
            np.zeros((0, 2), np.uint64),
            empty,
            empty,
            np.zeros(0, np.uint64),
            np.zeros(1, np.int64),
            np.zeros((0, 0), np.uint64),
            empty,
            np.zeros(0, np.uint64),
            {},
        )
        group, chars = [], 0


def sign_chunk(items: list[Item], config: Config) -> Signed:
    """Read, segment, normalise, shingle, sign and band a chunk of documents; runs in a
    worker."""
    with no_gc():
        return _sign(items, config)


def _sign(items: list[Item], config: Config) -> Signed:
    """The work of ``sign_chunk``, stage by stage."""
    clock = Stopwatch()
    with clock.stage("read"):
        read = [read_item(item) for item in items]
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
        digests = key_digests(keys)
        lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
        exact_only = np.fromiter((k.startswith(_OWN_TEXT) for k in keys), bool, len(keys))
        signed = np.flatnonzero((lengths >= config.min_chars) & ~exact_only)
    with clock.stage("shingle"):
        hashes, offsets = shingle_batch([keys[k] for k in signed], config.shingle, config.ngram)
    with clock.stage("signatures"):
        sigs = signatures(hashes, offsets, config.num_perm, config.seed)
    with clock.stage("candidates"):  # what LSH can do with each signature on its own
        bands = band_keys(sigs, config.lsh_threshold)
        anchor_rows, anchors = fragment_anchors(hashes, offsets)
    counts = iter(len(paragraphs) for paragraphs in found)
    outcomes = [
        d if isinstance(d, SkippedFile) else FileInfo(d.path, d.encoding, next(counts), d.row, d.id)
        for d in read
    ]
    warnings = [SkippedFile(d.path, d.warning) for d in documents if d.warning]
    parts = tuple(i for i, d in enumerate(read) if isinstance(d, Document) and d.part)
    joined = "".join(texts)
    return Signed(
        outcomes,
        warnings,
        lines,
        joined,
        ends,
        keys,
        digests,
        para_key,
        signed,
        hashes,
        offsets,
        bands,
        anchor_rows,
        anchors,
        clock.seconds,
        parts,
    )


def chunks(items: Iterable[tuple[Item, int]]) -> Iterator[list[Item]]:
    """The items in chunks of about ``CHUNK_CHARS`` characters."""
    chunk: list[Item] = []
    chars = 0
    for item, size in items:
        chunk.append(item)
        chars += size
        if chars >= CHUNK_CHARS:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


@dataclass
class Corpus:
    """What the scan knows once every chunk is merged: files; paragraphs as columns; one
    id per distinct key; the LSH band keys and fragment anchors of the signed keys, as rows
    in key order. The paragraphs' texts and the keys and shingles of the rows go to a
    `spill.Spill` (a temporary file) chunk by chunk: a stage reads back the few it needs,
    so that memory grows with the paragraphs' columns, not with their text."""

    files: list[FileInfo] = field(default_factory=list)
    errors: list[SkippedFile] = field(default_factory=list)
    warnings: list[SkippedFile] = field(default_factory=list)
    spill: Spill = field(default_factory=Spill)
    texts: SpilledArrays = field(init=False)
    """Each chunk's paragraph texts, joined, as UTF-32 code points."""
    key_ids: dict[bytes, int] = field(default_factory=dict)
    """Key digest to key id: ids follow first occurrence."""
    parts: dict[str, list[np.ndarray]] = field(default_factory=lambda: defaultdict(list))
    worker_seconds: dict[str, float] = field(default_factory=dict)
    rows: int = 0
    row_keys: Sequence[str] = field(init=False)
    """The key of each row: verification looks at the keys of the pairs it accepts."""
    hashes: SpilledArrays = field(init=False)
    """Each chunk's shingles of its new rows (CSR with ``parts["sizes"]``)."""
    spilled: dict[str, SpilledArrays] = field(init=False)
    """The largest columns, needed only by the candidate stage: band keys and fragment
    anchors (`column` reads them back whole, into one array)."""

    def __post_init__(self) -> None:
        self.texts = SpilledArrays(self.spill, np.uint32)
        self.row_keys = SpilledStrings(self.spill)
        self.hashes = SpilledArrays(self.spill, np.uint64)
        self.spilled = {
            "bands": SpilledArrays(self.spill, np.uint64),
            "anchor_rows": SpilledArrays(self.spill, np.int64),
            "anchors": SpilledArrays(self.spill, np.uint64),
        }

    def merge(self, signed: Signed) -> None:
        """Add one chunk: its files and paragraphs, and its keys (a key seen in an earlier
        chunk keeps its id and row)."""
        self.add_paragraphs(signed)
        self.add_keys(signed)

    def add_paragraphs(self, signed: Signed) -> None:
        """Add one chunk's files and paragraphs (what does not depend on other chunks)."""
        docs, counts = [], []
        later = set(getattr(signed, "parts", ()))  # (a Signed pickled before parts existed)
        for i, outcome in enumerate(signed.outcomes):
            if isinstance(outcome, SkippedFile):
                self.errors.append(outcome)
                continue
            if i in later:  # a later part of the file before it
                whole = self.files[-1]
                self.files[-1] = replace(whole, paragraphs=whole.paragraphs + outcome.paragraphs)
            else:
                self.files.append(outcome)
            docs.append(len(self.files) - 1)
            counts.append(outcome.paragraphs)
        self.warnings.extend(signed.warnings)
        self.parts["doc"].append(np.repeat(np.array(docs, dtype=np.int64), counts))
        self.parts["line"].append(signed.lines)
        self.parts["chunk"].append(np.full(len(signed.lines), len(self.texts), dtype=np.int64))
        self.parts["end"].append(signed.ends)
        points = signed.text.encode("utf-32-le", "surrogatepass")
        self.texts.append(np.frombuffer(points, dtype=np.uint32))
        for stage, seconds in signed.seconds.items():
            self.worker_seconds[stage] = self.worker_seconds.get(stage, 0.0) + seconds

    def add_keys(self, signed: Signed) -> None:
        """Add one chunk's keys, found by digest: a key seen in an earlier chunk keeps its
        id and row."""
        known = len(self.key_ids)
        raw = signed.digests.tobytes()
        ids = np.fromiter(
            (
                self.key_ids.setdefault(raw[i : i + 16], len(self.key_ids))
                for i in range(0, len(raw), 16)
            ),
            dtype=np.int64,
            count=len(signed.keys),
        )
        self.parts["para_key"].append(ids[signed.para_key])
        new = ids[signed.signed] >= known
        sizes = np.diff(signed.offsets)
        self.parts["row_key"].append(ids[signed.signed][new])
        self.hashes.append(signed.hashes[np.repeat(new, sizes)])
        self.parts["sizes"].append(sizes[new])
        self.spilled["bands"].append(signed.bands[new].ravel())
        # A key seen before has the anchors of its first row already.
        row_of = self.rows + np.cumsum(new) - 1
        fresh = new[signed.anchor_rows]
        self.spilled["anchor_rows"].append(row_of[signed.anchor_rows[fresh]])
        self.spilled["anchors"].append(signed.anchors[fresh])
        self.rows += int(new.sum())
        assert isinstance(self.row_keys, SpilledStrings)
        self.row_keys.extend([signed.keys[k] for k in signed.signed[new].tolist()])

    def shingles(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The shingles of ``rows`` (ascending row numbers) in CSR, read back chunk by
        chunk into their place in one array: only compared rows need them, so the hashes
        of all rows are never held, nor those of the rows twice. (An engine that has the
        shingles of the compared rows already, as Spark does, gives them as
        ``parts["hashes"]``.)"""
        wanted: list[tuple[int, np.ndarray]] = []  # chunk, and its rows wanted (local)
        first = 0
        for c, chunk_sizes in enumerate(self.parts["sizes"]):
            lo, hi = np.searchsorted(rows, [first, first + len(chunk_sizes)])
            if lo < hi:
                wanted.append((c, rows[lo:hi] - first))
            first += len(chunk_sizes)
        sizes = [self.parts["sizes"][c][local] for c, local in wanted]
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(np.concatenate([np.zeros(0, np.int64), *sizes]), out=offsets[1:])
        hashes = np.empty(int(offsets[-1]), dtype=np.uint64)
        held, at = self.parts.get("hashes"), 0
        for c, local in wanted:
            chunk_offsets = np.concatenate(([0], np.cumsum(self.parts["sizes"][c])))
            if held:
                chunk_hashes, base = held[c], 0
            else:  # the span of the chunk's hashes that holds the wanted rows
                base = int(chunk_offsets[local[0]])
                chunk_hashes = self.hashes.span(c, base, int(chunk_offsets[local[-1] + 1]))
            taken, _ = take_rows(chunk_hashes, chunk_offsets - base, local)
            hashes[at : at + len(taken)] = taken
            at += len(taken)
        return hashes, offsets

    def column(self, name: str, empty: np.ndarray) -> np.ndarray:
        """The chunks' parts of one column, as one array (``empty`` if there are none)."""
        if name in self.spilled and len(self.spilled[name]):
            width = empty.shape[1] if empty.ndim == 2 else 1
            return self.spilled[name].gather(width)
        return np.concatenate([empty, *self.parts.pop(name, [])])


class Paragraphs:
    """Where each paragraph is, as columns indexed by paragraph; what it says is read back
    from the corpus's spill when asked for."""

    def __init__(self, corpus: Corpus) -> None:
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

    def code_points(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Chunk by chunk, the code points of its paragraphs one after the other (its text)
        and the length of each paragraph."""
        lengths = self.end - self.start
        counts = np.bincount(self.chunk, minlength=len(self.texts))
        bounds = np.concatenate(([0], np.cumsum(counts)))
        for c, points in enumerate(self.texts):
            yield points, lengths[bounds[c] : bounds[c + 1]]

    def text_of(
        self, rows: np.ndarray, known: tuple[np.ndarray, list[str]] | None = None
    ) -> list[str]:
        """The texts of paragraphs ``rows`` (in that order), read a chunk's span at a time.
        Equal texts are one string, and so are those of ``known`` paragraphs (rows, texts)
        read before: the report holds each repeated text once, not once a copy."""
        rows = np.asarray(rows, dtype=np.int64)
        found: list[str] = [""] * len(rows)
        unread = np.arange(len(rows))
        if known is not None and len(known[0]) and len(rows):
            by_row = np.argsort(known[0], kind="stable")
            at = np.minimum(np.searchsorted(known[0][by_row], rows), len(by_row) - 1)
            hit = known[0][by_row[at]] == rows
            for i, k in zip(np.flatnonzero(hit).tolist(), by_row[at[hit]].tolist()):
                found[i] = known[1][k]
            unread = np.flatnonzero(~hit)
        one: dict[str, str] = {}  # each text, once
        order = unread[np.argsort(rows[unread], kind="stable")]
        chunks = self.chunk[rows[order]]
        cuts = np.flatnonzero(np.diff(chunks)) + 1
        for at in np.split(order, cuts) if len(order) else []:
            picked = rows[at]
            c = int(self.chunk[picked[0]])
            base = int(self.start[picked].min())
            text = self.texts.raw(c, base, int(self.end[picked].max())).decode(
                "utf-32-le", "surrogatepass"
            )
            starts, ends = (self.start[picked] - base).tolist(), (self.end[picked] - base).tolist()
            for i, a, b in zip(at.tolist(), starts, ends):
                found[i] = one.setdefault(text[a:b], text[a:b])
        return found


def candidate_pairs(
    bands: np.ndarray,
    anchor_rows: np.ndarray,
    anchors: np.ndarray,
    n_rows: int,
    anchor_counts: np.ndarray | None = None,
) -> np.ndarray:
    """The candidate stage: pairs of rows (i < j) alike as wholes (their band keys share a
    bucket), or of which one may hold the other (they share fragment anchors).
    ``anchor_counts``: each row's number of anchors, where only some are given
    (`index.anchor_pairs`)."""
    proposed = np.concatenate(
        (bucket_pairs(bands), anchor_pairs(anchor_rows, anchors, n_rows, anchor_counts))
    )
    codes = distinct(proposed[:, 0] * max(n_rows, 1) + proposed[:, 1])
    return np.stack((codes // max(n_rows, 1), codes % max(n_rows, 1)), axis=1)


def verify_pairs(
    candidates: np.ndarray, corpus: Corpus, config: Config
) -> tuple[np.ndarray, ShingleOverlaps]:
    """The verify stage: the candidate pairs whose shingle sets agree (`verify.verify`),
    and the shingle sets of every compared row (the cluster stage compares only those)."""
    compared = distinct(candidates.ravel())
    overlaps = ShingleOverlaps(compared, *corpus.shingles(compared))
    verified = verify(candidates, overlaps, config.threshold, config.containment, corpus.row_keys)
    return verified.pairs, overlaps


def build_report(
    found: Found,
    corpus: Corpus,
    paragraphs: Paragraphs,
    config: Config,
    timings: dict[str, float],
    started: float,
) -> Report:
    """The report stage: the summary and the `Report` of what the cluster stage found."""
    removed = [r for r in found.removed if r.dropped]
    clusters = found.clusters
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
        characters_saved=sum(len(r.text) for r in removed),
        seconds=round(time.perf_counter() - started, 3),
        clusters_boilerplate=sum(c.kind == "boilerplate" for c in clusters),
        contained_paragraphs=len({(c.path, c.line) for c in found.contained}),
        duplicate_documents=len(found.documents),
    )
    return Report(
        summary,
        tuple(clusters),
        tuple(corpus.files),
        tuple(corpus.errors),
        config,
        timings,
        tuple(corpus.warnings),
        contained=found.contained,
        removed=found.removed,
        duplicate_documents=found.documents,
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


Grouping = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
"""The representatives step of the cluster stage: `cluster.representatives`'s signature."""


@dataclass
class Found:
    """What the cluster stage finds, as the report holds it."""

    clusters: list[DuplicateCluster]
    contained: tuple[Containment, ...]
    removed: tuple[Removal, ...]
    documents: tuple[DuplicateDocument, ...]


def _keep_rank(paragraphs: Paragraphs, keep: str) -> np.ndarray:
    """Each paragraph's place in the order `clean` prefers to keep copies: path, then line
    order; or with ``longest``, the longest text first (then path, line order)."""
    n = len(paragraphs)
    if keep == "first":
        return np.arange(n, dtype=np.int64)
    order = np.lexsort((np.arange(n), paragraphs.start - paragraphs.end))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    return rank


def _edges(paragraphs: Paragraphs) -> np.ndarray:
    """Whether each paragraph is at the top or bottom of its page."""
    doc = paragraphs.doc
    counts = np.bincount(doc, minlength=len(paragraphs.paths))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    position = np.arange(len(doc)) - starts[doc]
    return edge_of(position, counts[doc])


def _rep_first(members: np.ndarray, bounds: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """``members`` with each group's best-ranked paragraph (its representative) moved to
    the front of the group, the others staying in path, line order."""
    sizes = np.diff(bounds)
    group = np.repeat(np.arange(len(sizes)), sizes)
    best = np.full(len(sizes), np.iinfo(np.int64).max)
    np.minimum.at(best, group, rank[members])
    is_rep = rank[members] == best[group]
    return members[np.lexsort((np.arange(len(members)), ~is_rep, group))]


def cluster(
    accepted: np.ndarray,
    para_key: np.ndarray,
    row_key: np.ndarray,
    n_keys: int,
    overlaps: ShingleOverlaps,
    corpus: Corpus,
    paragraphs: Paragraphs,
    config: Config,
    grouping: Grouping = representatives,
    fan: Fan = in_process,
) -> Found:
    """Clusters around representatives (`cluster.representatives`), containments,
    boilerplate, and what `clean` removes (`coverage.decide`), from the verified pairs.

    ``grouping`` finds the representatives (from the keys' ranks and the near-copy pairs): an
    executor may pass one that runs the same model elsewhere, component by component.
    ``fan`` splits the decided lines into sentences, batch by batch (here, or on an
    executor's workers)."""
    n = len(paragraphs)
    key_row = np.full(n_keys, -1, dtype=np.int64)
    key_row[row_key] = np.arange(len(row_key))
    similarity = overlaps.similarity(accepted[:, 0], accepted[:, 1])
    near = similarity.jaccard >= config.threshold
    pair_keys = row_key[accepted].reshape(-1, 2)
    para_rank = _keep_rank(paragraphs, config.keep)
    key_rank = np.full(n_keys, n, dtype=np.int64)
    np.minimum.at(key_rank, para_key, para_rank)
    by_rank = np.argsort(para_rank)
    key_first = by_rank[np.minimum(key_rank, n - 1)] if n else key_rank
    rep = grouping(key_rank, pair_keys[near, 0], pair_keys[near, 1])
    close = closeness(
        lambda x, y: overlaps.similarity(key_row[x], key_row[y]).jaccard,
        lambda keys: take(corpus.row_keys, key_row[keys]),
        config.threshold,
    )
    rep = merge_linked(rep, key_rank, pair_keys[near, 0], pair_keys[near, 1], *close)

    # A verified pair that is not a near copy: the smaller paragraph inside the larger.
    sizes = overlaps.sizes(accepted.ravel()).reshape(-1, 2)
    small_first = sizes[:, 0] <= sizes[:, 1]
    inner = np.where(small_first, pair_keys[:, 0], pair_keys[:, 1])[~near]
    outer = np.where(small_first, pair_keys[:, 1], pair_keys[:, 0])[~near]
    share = similarity.containment[~near]
    containers: dict[int, list[int]] = defaultdict(list)
    for a, b in zip(inner.tolist(), outer.tolist()):
        containers[a].append(b)

    edge = _edges(paragraphs)
    in_near = np.zeros(n_keys, dtype=bool)
    in_near[pair_keys[near].ravel()] = True
    boiler_para = np.zeros(n, dtype=bool)
    groups: list[tuple[np.ndarray, str]] = []  # template clusters: lines, template

    # Template lines: short lines with a field, in no near pair, grouped by template.
    eligible = np.flatnonzero(
        (paragraphs.end - paragraphs.start <= TEMPLATE_CHARS) & ~in_near[para_key]
    )
    template_key = np.zeros(n_keys, dtype=bool)
    for shown, rows in templates(
        eligible.tolist(),
        paragraphs.text_of(eligible),
        para_key[eligible],
        paragraphs.doc[eligible],
        edge[eligible],
        config.boilerplate_docs,
    ):
        keys = np.unique(para_key[rows])
        template_key[keys] = True
        lines_of = np.flatnonzero(np.isin(para_key, keys))
        lines_of = _rep_first(lines_of, np.array([0, len(lines_of)]), para_rank)
        groups.append((lines_of, shown))
        boiler_para[lines_of] = True

    label = rep[para_key]
    in_template = template_key[para_key]
    label[in_template] = -1 - np.arange(int(in_template.sum()))  # alone: no group
    members, bounds = _groups(label)
    members = _rep_first(members, bounds, para_rank)
    sizes = np.diff(bounds)
    group = np.repeat(np.arange(len(sizes)), sizes)
    docs = paragraphs.doc[members]
    n_docs = np.bincount(
        distinct(group * len(paragraphs.paths) + docs) // max(len(paragraphs.paths), 1),
        minlength=len(sizes),
    )
    at_edge = np.add.reduceat(edge[members], bounds[:-1]) if len(sizes) else sizes
    boilerplate = (n_docs >= config.boilerplate_docs) & (2 * at_edge >= sizes)
    boiler_para[members[np.repeat(boilerplate, sizes)]] = True

    # Members are scored against their representative, for all clusters at once.
    keys = para_key[members]
    exact = keys == np.repeat(keys[bounds[:-1]], sizes)
    scores = np.ones(len(members))
    scores[~exact] = overlaps.similarity(
        key_row[np.repeat(keys[bounds[:-1]], sizes)[~exact]], key_row[keys[~exact]]
    ).jaccard
    # No pair is asked about after the scores: the sets go before the lines are decided.
    overlaps.forget_sets()
    release_freed_memory()

    # What clean removes: every line that repeats or holds repeated text is decided.
    counts = np.bincount(para_key, minlength=n_keys)
    in_pair = np.zeros(n_keys, dtype=bool)
    in_pair[pair_keys.ravel()] = True
    held = held_elsewhere(paragraphs.code_points())  # re-cut: split or merged
    release_freed_memory()
    candidates = np.flatnonzero((counts[para_key] >= 2) | in_pair[para_key] | boiler_para | held)
    # Only the lines' documents and boilerplate flags outlive `_decide`: their sentences
    # and near partners are freed before the members are built.
    outcome, line_docs, line_boilerplate = _decide(
        candidates,
        para_key,
        key_row,
        rep,
        containers,
        key_first,
        para_rank,
        boiler_para,
        corpus,
        paragraphs,
        config,
        fan,
    )
    dropped = np.zeros(n, dtype=bool)
    dropped[candidates] = outcome.dropped
    dropped_within = np.zeros(n, dtype=bool)
    dropped_within[candidates] = outcome.dropped_within
    release_freed_memory()  # the lines' sentences and partners, before the members
    for group_members, _ in groups:  # templates: members differ in the field only
        members = np.concatenate((members, group_members))
        keys = para_key[group_members]
        exact = np.concatenate((exact, keys == keys[0]))
        scores = np.concatenate((scores, np.ones(len(group_members))))
        bounds = np.append(bounds, bounds[-1] + len(group_members))
        n_docs = np.append(n_docs, len(np.unique(paragraphs.doc[group_members])))
        boilerplate = np.append(boilerplate, True)
    sizes = np.diff(bounds)
    member_texts = paragraphs.text_of(members)
    built = list(
        map(
            Member,
            paragraphs.path_of(members),
            paragraphs.line[members].tolist(),
            member_texts,
            [round(score, 4) for score in scores.tolist()],  # Python's round, as always
            exact.tolist(),
            dropped[members].tolist(),
            dropped_within[members].tolist(),
        )
    )
    scopes = np.where(n_docs == 1, "within", np.where(n_docs == sizes, "across", "both")).tolist()
    templates_shown = [None] * (len(sizes) - len(groups)) + [shown for _, shown in groups]
    firsts = np.minimum.reduceat(members, bounds[:-1]) if len(sizes) else sizes
    clusters = [
        DuplicateCluster(
            number,
            scopes[g],
            tuple(built[bounds[g] : bounds[g + 1]]),
            "boilerplate" if boilerplate[g] else "body",
            templates_shown[g],
        )
        for number, g in enumerate(np.argsort(firsts, kind="stable").tolist(), start=1)
    ]

    def place(p: int) -> Place:
        return Place(paragraphs.paths[paragraphs.doc[p]], int(paragraphs.line[p]))

    contained = sorted(
        (int(key_first[a]), int(key_first[b]), round(float(s), 4))
        for a, b, s in zip(inner.tolist(), outer.tolist(), share.tolist())
    )
    texts = paragraphs.text_of(np.array([a for a, _, _ in contained], dtype=np.int64))
    containments = tuple(
        Containment(place(a).path, place(a).line, text, place(b), s)
        for (a, b, s), text in zip(contained, texts)
    )
    removed = _removals(
        candidates,
        outcome,
        line_docs,
        line_boilerplate,
        config,
        paragraphs,
        known=(members, member_texts),
    )
    return Found(clusters, containments, *removed)


def _decide(
    candidates: np.ndarray,
    para_key: np.ndarray,
    key_row: np.ndarray,
    rep: np.ndarray,
    containers: dict[int, list[int]],
    key_first: np.ndarray,
    para_rank: np.ndarray,
    boiler_para: np.ndarray,
    corpus: Corpus,
    paragraphs: Paragraphs,
    config: Config,
    fan: Fan,
) -> tuple[Outcome, list[int], list[bool]]:
    """The lines of ``candidates`` as `coverage.Lines`, what `clean` does with them, and
    their documents and boilerplate flags; ``fan`` splits them into sentences."""
    n = len(paragraphs)
    position = np.full(n, -1, dtype=np.int64)
    position[candidates] = np.arange(len(candidates))
    keys = para_key[candidates].tolist()
    docs = paragraphs.doc[candidates].tolist()
    # Lines with the same key have the same sentences: split one text of each key. The
    # batches are handed out first, so that ``fan`` may split them elsewhere while the
    # blocks and near partners below, which need no sentences, are found here.
    _, first, inverse = np.unique(para_key[candidates], return_index=True, return_inverse=True)
    one_each = candidates[first]
    splitting = fan(
        split_batch,
        (
            paragraphs.text_of(one_each[at : at + SPLIT_BATCH])
            for at in range(0, len(one_each), SPLIT_BATCH)
        ),
    )
    short = (key_row[para_key[candidates]] < 0).tolist()

    # A short line repeated in another document is part of a block there when a
    # neighbouring line of it is in such a document too: the two keys share two documents
    # (its own and another). Counted over the smaller of the two sets, once per pair of keys.
    docs_with: dict[int, set[int]] = defaultdict(set)
    for k, d in zip(keys, docs):
        docs_with[k].add(d)
    block = [False] * len(candidates)
    shared_docs: dict[tuple[int, int], bool] = {}
    doc_of = paragraphs.doc
    for i in np.flatnonzero(key_row[para_key[candidates]] < 0).tolist():
        p, k = int(candidates[i]), keys[i]
        for q in (p - 1, p + 1):
            if not (0 <= q < n and doc_of[q] == docs[i] and para_key[q] != k):
                continue
            pair = (k, int(para_key[q]))
            if pair not in shared_docs:
                small, large = sorted((docs_with[k], docs_with.get(pair[1], set())), key=len)
                both = (d for d in small if d in large)
                shared_docs[pair] = next(both, None) is not None and next(both, None) is not None
            block[i] = block[i] or shared_docs[pair]
    del docs_with, shared_docs  # `decide` is the stage's peak: what it does not read goes

    # Near partners, for the sentences found in one line only: the kept-first copy of the
    # representative and of each paragraph that contains this one, overall and in the
    # line's own document.
    related_to = np.flatnonzero(
        (rep[para_key[candidates]] != para_key[candidates])
        | (np.isin(para_key[candidates], np.fromiter(containers, np.int64, len(containers))))
    )
    wanted_keys = set(rep[para_key[candidates[related_to]]].tolist())
    wanted_keys.update(k for i in related_to.tolist() for k in containers.get(keys[i], ()))
    first_in_doc: dict[tuple[int, int], int] = {}
    for i in np.argsort(para_rank[candidates], kind="stable").tolist():
        if keys[i] in wanted_keys:
            first_in_doc.setdefault((docs[i], keys[i]), i)

    by_key, sentence_keys = number_sentences(splitting)
    sentences = [by_key[k] for k in inverse.tolist()]
    release_freed_memory()  # splitting's temporaries
    # How many lines hold each sentence: one found in a single line can only be kept in a
    # near copy, so only such sentences are compared with near partners.
    flat = np.fromiter(itertools.chain.from_iterable(by_key), np.int64)
    per_key = np.fromiter(map(len, by_key), np.int64, len(by_key))
    lines_with = np.bincount(
        flat, np.repeat(np.bincount(inverse), per_key), minlength=len(sentence_keys)
    )
    alone = (lines_with == 1).tolist()
    line_of, sentence_of, partner_of = [], [], []
    for i in related_to.tolist():
        k = keys[i]
        single = [s for s in sentences[i] if alone[s]]
        if not single:
            continue
        related = ([int(rep[k])] if rep[k] != k else []) + containers.get(k, [])
        partners = set()
        for r in related:
            partners.add(int(position[key_first[r]]))
            partners.add(first_in_doc.get((docs[i], r), -1))
        partners.discard(-1)
        partners.discard(i)
        for j in partners:
            for s in single:
                line_of.append(i)
                sentence_of.append(s)
                partner_of.append(j)
    no_partners: dict[int, list[int]] = {}  # shared by every line without (never changed)
    near = [no_partners] * len(keys)
    if line_of:
        wanted = np.array(sentence_of, dtype=np.int64)
        rows = key_row[para_key[candidates[np.array(partner_of)]]]
        sizes, missing = _sentence_missing(wanted, rows, sentence_keys, corpus, config)
        # Every shingle of the sentence, a repeated one as often as it occurs, is there;
        # or all but those an edited character per CHARS_PER_EDIT breaks, and no fact.
        close = (missing == 0) & (sizes > 0)
        if config.shingle == "char":
            edits = sizes // CHARS_PER_EDIT
            edited = np.flatnonzero((missing > 0) & (missing <= config.ngram * edits))
            close[edited] = nearly_held(
                [sentence_keys[s] for s in wanted[edited].tolist()],
                take(corpus.row_keys, rows[edited]),
            )
        for i, s, j, ok in zip(line_of, sentence_of, partner_of, close.tolist()):
            if ok:
                if near[i] is no_partners:
                    near[i] = {}
                near[i].setdefault(s, []).append(j)
    del sentence_keys, alone, keys, first_in_doc, wanted_keys, position
    del line_of, sentence_of, partner_of
    release_freed_memory()  # the counting's temporaries, before decide's peak
    lines = Lines(
        candidates.tolist(), docs, short, block, boiler_para[candidates].tolist(), sentences, near
    )
    rank = para_rank[candidates].tolist()
    return decide(lines, rank, config.boilerplate == "drop"), lines.doc, lines.boilerplate


def _sentence_missing(
    sentences: np.ndarray,
    rows: np.ndarray,
    sentence_keys: list[str],
    corpus: Corpus,
    config: Config,
) -> tuple[np.ndarray, np.ndarray]:
    """For each pair, how many shingles sentence ``sentences[k]`` has, and how many of them
    the paragraph of shingle row ``rows[k]`` lacks. Pairs are counted a batch of
    ``MISSING_BATCH`` paragraphs at a time (each pair's counts are its own), so that only
    those paragraphs' shingles are held at once."""
    lengths = np.fromiter(map(len, sentence_keys), np.int64, len(sentence_keys))
    sizes = np.zeros(len(rows), dtype=np.int64)
    missing = np.zeros(len(rows), dtype=np.int64)
    order = np.argsort(rows, kind="stable")
    ordered = rows[order]
    rank = np.cumsum(np.concatenate(([False], ordered[1:] != ordered[:-1])))
    bounds = np.searchsorted(
        rank, np.arange(0, int(rank[-1]) + 2 if len(rank) else 0, MISSING_BATCH)
    )
    for a, b in zip(bounds.tolist(), [*bounds[1:].tolist(), len(order)]):
        if a == b:
            continue
        at = order[a:b]
        sizes[at], missing[at] = _batch_missing(
            sentences[at], rows[at], sentence_keys, lengths, corpus, config
        )
    return sizes, missing


def _batch_missing(
    sentences: np.ndarray,
    rows: np.ndarray,
    sentence_keys: list[str],
    lengths: np.ndarray,
    corpus: Corpus,
    config: Config,
) -> tuple[np.ndarray, np.ndarray]:
    """`_sentence_missing` for one batch of pairs; ``lengths`` are the keys' lengths."""
    wanted = distinct(sentences)
    s_hashes, s_offsets = shingle_batch(
        [sentence_keys[s] for s in wanted.tolist()], config.shingle, config.ngram
    )
    held = distinct(rows)
    r_hashes, r_offsets = corpus.shingles(held)
    # Only the paragraphs' shingles that some sentence has matter: keep those alone, found
    # by a search in the few sentence shingles rather than a sort of all the paragraphs'.
    known = distinct(s_hashes)
    at = np.minimum(np.searchsorted(known, r_hashes), max(len(known) - 1, 0))
    shared = known[at] == r_hashes if len(known) else np.zeros(len(r_hashes), dtype=bool)
    r_offsets = np.concatenate(([0], np.cumsum(shared)))[r_offsets]
    r_hashes = r_hashes[shared]
    both = ShingleOverlaps(
        np.arange(len(wanted) + len(held)),
        np.concatenate((s_hashes, r_hashes)),
        np.concatenate((s_offsets, r_offsets[1:] + s_offsets[-1])),
    )
    local_s = np.searchsorted(wanted, sentences)
    local_r = np.searchsorted(held, rows) + len(wanted)
    sizes = both.sizes(local_s)
    if config.shingle == "char":
        # Count a shingle that occurs twice in the sentence twice: a cut end whose words
        # occur earlier in the sentence ("能胜任的工作…终不能[胜任的工作]") still counts.
        sizes = np.maximum(lengths[sentences] - config.ngram + 1, sizes)
    return sizes, sizes - both.shared(local_r, local_s)


def _removals(
    candidates: np.ndarray,
    outcome: Outcome,
    docs: list[int],
    boilerplate: list[bool],
    config: Config,
    paragraphs: Paragraphs,
    known: tuple[np.ndarray, list[str]] | None = None,
) -> tuple[tuple[Removal, ...], tuple[DuplicateDocument, ...]]:
    """Every line `clean` or `clean --within` removes, and the documents left empty;
    ``docs`` and ``boilerplate`` are those of the lines of ``candidates``; ``known`` the
    texts of paragraphs read already (the members'), shared rather than read again."""
    gone = [i for i in range(len(candidates)) if outcome.dropped[i] or outcome.dropped_within[i]]
    texts = paragraphs.text_of(candidates[gone], known) if gone else []
    # The place of each line, made once however many removals name it (a Place is frozen).
    paths = paragraphs.path_of(candidates)
    numbers = paragraphs.line[candidates].tolist()
    places: list[Place | None] = [None] * len(candidates)

    def place_at(j: int) -> Place:
        found = places[j]
        if found is None:
            found = places[j] = Place(paths[j], numbers[j])
        return found

    drop_boilerplate = config.boilerplate == "drop"
    removed = [
        Removal(
            paths[i],
            numbers[i],
            text,
            outcome.dropped[i],
            outcome.dropped_within[i],
            tuple(map(place_at, outcome.kept_at[i])),
            drop_boilerplate and boilerplate[i],
        )
        for i, text in zip(gone, texts)
    ]
    emptied: dict[int, int] = defaultdict(int)
    holders: dict[int, set[str]] = defaultdict(set)
    for i in gone:
        if outcome.dropped[i]:
            emptied[docs[i]] += 1
            holders[docs[i]].update(paragraphs.paths[docs[j]] for j in outcome.kept_at[i])
    counts = np.bincount(paragraphs.doc, minlength=len(paragraphs.paths))
    documents = tuple(
        DuplicateDocument(paragraphs.paths[d], tuple(sorted(holders[d])))
        for d in sorted(emptied)
        if emptied[d] == counts[d]
    )
    return tuple(removed), documents
