"""The persistent index: signed files kept in SQLite, so that a later run signs only what is
new or changed, and verifies only the pairs it has not verified before.

``add`` signs the files of a corpus (in chunks, by ``stages.sign_chunk``, as a scan does)
and keeps (`SCHEMA`): each file with its size, mtime and SHA-256 and its paragraphs (text,
line numbers, key of each); each distinct key once (its content digest, whether it is long
enough to compare, how many fragment anchors it has, its first position); the LSH band rows
and fragment anchors of the compared keys, as sorted numpy segments (`dedup.segments`: each
add writes its own, merged size-tiered, so what an add writes follows NEW, not the index);
and the candidate pairs verification accepted (*edges*) and rejected. A file whose size and
mtime, or else whose digest, are unchanged is not signed again.

An add of new files only (`_add_new`) looks up what their keys touch: their digests in
``keys``, the band rows and anchors of the indexed keys sharing a bucket or an anchor with
a new key (searched in every segment), and those keys' anchor counts and first positions.
Put in the order a fresh scan of everything gives them, these rows alone give the
candidate pairs with a new key that a fresh scan proposes (a bucket the new keys hit is
read whole, so its chain, above ``index.MAX_BUCKET_PAIRS`` keys, is the fresh scan's);
pairs of indexed keys were decided before. Any other add, and ``remove``, read every key's
band rows and anchors and run the candidate stage over all of them in numpy, with key ids
and row order as a fresh scan of all the files has them. A candidate pair decided before
(same keys, same way round, same verification settings) keeps its answer; only the others
are verified. Shingles are not stored: the keys verification and the cluster stage compare
are normalised and shingled again from their paragraph's text.

``scan`` runs the whole candidate stage for the indexed files together with NEW without
writing (which pairs of indexed keys a fresh scan proposes is not local to NEW: a new key
in a chain splits a pair of indexed keys), and the cluster and report stages on all
paragraphs: its clusters, containments and removals equal those of one scan of old and
new together.

The store is one SQLite file in WAL mode; each add or remove is one ``BEGIN IMMEDIATE``
transaction (segments merged inside it), so a process killed mid-add leaves the index as
the previous add left it. The signing settings are kept with it, and an add or scan with
other signing settings is refused; decided pairs are kept with the verification settings
that decided them, and a run with other ones verifies every candidate pair again (an add
then stores its own). No pickle: numpy columns are little-endian BLOBs of the dtype named
in `SCHEMA`, and ``export`` writes the tables of `EXPORT` as Parquet (pyarrow), the
segments expanded into plain rows, for the Spark engine or any reader.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from . import segments
from .config import Config
from .errors import ConfigError, InputError
from .formats import Fields, is_row_file, read_rows
from .index import banding
from .io import (
    Selection,
    SkippedFile,
    check_decode_errors,
    input_root,
    list_inputs,
    relative_name,
)
from .normalise import normalise_batch
from .report import FileInfo, Report
from .shingle import distinct, shingle_batch, take_rows
from .stages import (
    CHUNK_CHARS,
    Corpus,
    Item,
    Paragraphs,
    Signed,
    Stopwatch,
    Unread,
    build_report,
    candidate_pairs,
    cluster,
    held_chunks,
    items_chars,
    no_gc,
)
from .verify import ShingleOverlaps, verify

INDEX_FILE = "index.sqlite"
GENERATION = "generation"
"""The setting that counts the adds and removes that changed the index (`generation`)."""

SCHEMA: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    # table: (SQL column definitions and constraints, ((column, Arrow type), ...))
    "settings": (
        "name TEXT PRIMARY KEY, value TEXT NOT NULL",
        (("name", "string"), ("value", "string")),
    ),
    "sources": ("path BLOB PRIMARY KEY", (("path", "binary"),)),
    "files": (
        "file INTEGER PRIMARY KEY, path BLOB NOT NULL UNIQUE, name TEXT NOT NULL, "
        "size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL, "
        "text TEXT NOT NULL, ends BLOB NOT NULL, lines BLOB NOT NULL, keys BLOB NOT NULL",
        (
            ("file", "int64"),
            ("path", "binary"),
            ("name", "string"),
            ("size", "int64"),
            ("mtime_ns", "int64"),
            ("sha256", "string"),
            ("text", "string"),
            ("ends", "binary"),
            ("lines", "binary"),
            ("keys", "binary"),
        ),
    ),
    "documents": (
        "file INTEGER NOT NULL, seq INTEGER NOT NULL, path TEXT NOT NULL, encoding TEXT, "
        "paragraphs INTEGER, row INTEGER, id TEXT, error TEXT, PRIMARY KEY (file, seq)",
        (
            ("file", "int64"),
            ("seq", "int64"),
            ("path", "string"),
            ("encoding", "string"),
            ("paragraphs", "int64"),
            ("row", "int64"),
            ("id", "string"),
            ("error", "string"),
        ),
    ),
    "warnings": (
        "file INTEGER NOT NULL, seq INTEGER NOT NULL, path TEXT NOT NULL, "
        "reason TEXT NOT NULL, PRIMARY KEY (file, seq)",
        (("file", "int64"), ("seq", "int64"), ("path", "string"), ("reason", "string")),
    ),
    "keys": (
        "key INTEGER PRIMARY KEY, digest BLOB NOT NULL UNIQUE, signed INTEGER NOT NULL, "
        "n_anchors INTEGER NOT NULL, file INTEGER NOT NULL, para INTEGER NOT NULL",
        (
            ("key", "int64"),
            ("digest", "binary"),
            ("signed", "int64"),
            ("n_anchors", "int64"),
            ("file", "int64"),
            ("para", "int64"),
        ),
    ),
    segments.TABLE: (
        segments.COLUMNS,
        (
            ("segment", "int64"),
            ("kind", "string"),
            ("rows", "int64"),
            ("starts", "binary"),
            ("value", "binary"),
            ("key", "binary"),
        ),
    ),
    "edges": (
        "a INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (a, b)",
        (("a", "int64"), ("b", "int64")),
    ),
    "rejected": (
        "a INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (a, b)",
        (("a", "int64"), ("b", "int64")),
    ),
}
"""The tables of an index, all ``WITHOUT ROWID`` except ``files``, ``keys`` and
``segments`` (whose integer primary key is the rowid). BLOB columns: ``files.ends`` (where
each paragraph's text ends in ``text``) and ``files.lines`` (its 1-based line) are ``<i4``;
``files.keys`` (the ``keys.key`` of each paragraph) is ``<i8``; ``keys.digest`` is the
16-byte BLAKE2b digest of the normalised key (``stages.key_digests``). ``keys.signed`` is 1
for a key long enough to be compared (it has band rows and anchors), ``keys.n_anchors`` how
many fragment anchors it has (repeats counted: the share rule compares counts);
``keys.file, para`` its first position in the index's order (``files.file``, paragraph of
that file), which orders keys as a scan does and leads to a paragraph to normalise the key
again from. The band rows (a part per band: the uint64 band value and the key) and the
fragment anchors (one part: each anchor as often as the key has it) of the compared keys
are numpy columns in ``segments`` (`dedup.segments`: one sorted segment per add, merged
size-tiered), which answer both "which keys hold this value" and "which values are held by
two or more keys". ``edges`` holds the candidate pairs of indexed keys that verification
accepted, ``rejected`` those it rejected, each as ``keys.key`` ``a, b`` in scan order
(``a``'s first paragraph comes first) when it was verified."""

EXPORT: dict[str, tuple[tuple[str, str], ...]] = {
    **{name: SCHEMA[name][1] for name in ("settings", "sources", "files", "documents", "warnings")},
    "keys": (
        ("key", "int64"),
        ("digest", "binary"),
        ("signed", "int64"),
        ("anchors", "binary"),
        ("file", "int64"),
        ("para", "int64"),
    ),
    "anchors": (("anchor", "int64"), ("key", "int64"), ("n", "int64")),
    "bands": (("band", "int64"), ("value", "int64"), ("key", "int64")),
    "buckets": (("band", "int64"), ("value", "int64")),
    "edges": SCHEMA["edges"][1],
    "rejected": SCHEMA["rejected"][1],
}
"""The tables ``export`` writes (table: its columns and Arrow types), in a flat relational
form for the Spark engine or any reader: the stored tables but ``segments``, with
``keys.anchors`` the key's fragment anchors (``<u8``, sorted) in place of their count, and
the segments expanded: ``anchors`` (``anchor``, ``key``, ``n``: how often the key has it),
``bands`` (``band``, ``value``, ``key``) and ``buckets`` (the ``band, value`` held by two or
more keys), each sorted by its columns, with the uint64 values stored as int64 (the same 64
bits)."""

_TABLES = "".join(
    f"CREATE TABLE IF NOT EXISTS {name} ({columns})"
    + ("" if name in ("files", "keys", segments.TABLE) else " WITHOUT ROWID")
    + ";\n"
    for name, (columns, _) in SCHEMA.items()
)

# The settings a signed result depends on: another value would sign differently.
_SIGNING = ("shingle", "ngram", "num_perm", "seed", "min_chars", "lsh_threshold")
# The settings the stored edges depend on.
_VERIFYING = ("threshold", "containment")


def _signed_by() -> str:
    """The release that signs: another may key, shingle or sign differently, so an index
    made by one release is refused by another, which asks for it to be rebuilt. The
    package's own ``__version__``, not the installed metadata, which an editable install
    keeps at the version it was installed with."""
    from . import __version__

    return f"dedup {__version__}"


@dataclass(frozen=True)
class Added:
    """What an add did: files listed, how many were signed (new or changed), how many were
    already indexed unchanged, the files that could not be listed, how many indexed files
    under the paths given were dropped because they no longer exist, and how many candidate
    pairs were verified (the others were decided by an earlier add)."""

    files: int
    signed: int
    unchanged: int
    errors: tuple[SkippedFile, ...]
    dropped: int = 0
    verified: int = 0


def signing_settings(config: Config, encoding: str | None, errors: str, fields: Fields) -> str:
    """The ``settings`` table's ``signing`` value for a run with these settings (JSON): an
    index, or its Parquet export, serves only runs whose value is the same."""
    values = {name: getattr(config, name) for name in _SIGNING}
    values.update(encoding=encoding, errors=errors, text_field=fields.text, id_field=fields.id)
    values.update(signed_by=_signed_by())
    return json.dumps(values, sort_keys=True)


def verifying_settings(config: Config) -> str:
    """The ``settings`` table's ``verifying`` value (JSON): the stored edges and rejected
    pairs answer only runs whose value is the same."""
    return json.dumps({name: getattr(config, name) for name in _VERIFYING}, sort_keys=True)


def _connect(index: Path, create: bool) -> sqlite3.Connection:
    database = index / INDEX_FILE
    if not create and not database.is_file():
        raise InputError(f"--index {index}: no index there; build one with `dedup index add`")
    if create:
        index.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(database, isolation_level=None, timeout=60)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("PRAGMA cache_size=-65536")  # 64 MiB: the segments read by an add
    tables = {
        name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    columns = {row[1] for row in connection.execute("PRAGMA table_info(keys)")}
    if "signed" in tables or "bands" in tables or (columns and "n_anchors" not in columns):
        # An earlier layout: band rows and anchors as SQL rows (or older still).
        connection.close()
        raise ConfigError(
            f"--index {index}: written in the index layout of an earlier release; build a "
            "new index with `dedup index add` into another --index folder (or delete this "
            "one first)"
        )
    connection.executescript(_TABLES)
    return connection


def _check_settings(connection: sqlite3.Connection, settings: str, index: Path) -> None:
    """Refuse settings other than the index's; an empty index takes these."""
    row = connection.execute("SELECT value FROM settings WHERE name = 'signing'").fetchone()
    if row is None:
        connection.execute("INSERT INTO settings VALUES ('signing', ?)", (settings,))
    else:
        refuse_other_signing(row[0], settings, index)


def refuse_other_signing(stored: str, given: str, index: str | os.PathLike[str]) -> None:
    """Raise ConfigError naming the differences unless the ``signing`` settings ``given``
    (`signing_settings`) are those the index at ``index`` was signed with."""
    if stored != given:
        was, now = json.loads(stored), json.loads(given)
        if was.get("signed_by") != now.get("signed_by"):
            raise ConfigError(
                f"--index {index}: built by {was.get('signed_by')}, whose keys and signatures "
                f"may differ from those of {now.get('signed_by')}; build a new index with "
                "`dedup index add CORPUS --index NEW_FOLDER`"
            )
        differ = ", ".join(
            f"{k}={now.get(k)!r} (index: {was.get(k)!r})"
            for k in sorted(was)
            if was.get(k) != now.get(k)
        )
        raise ConfigError(
            f"--index {index}: signed with other settings: {differ}; use the index's settings "
            "or another --index folder"
        )


def _stored_setting(connection: sqlite3.Connection, name: str) -> str | None:
    row = connection.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
    return None if row is None else str(row[0])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _items(
    path: Path, root: Path, name: str, reading: tuple[str | None, str, Fields]
) -> list[Item]:
    """The documents of one file, as ``sign_chunk`` takes them: the file itself, to be read,
    or the rows of a row file."""
    encoding, errors, fields = reading
    if is_row_file(name):
        return list(read_rows(path, name, fields))
    return [Unread(path, root, encoding, errors)]


def _sign_files(
    jobs: list[list[Item]], config: Config
) -> Iterator[Signed]:  # the local executor's pool, one file per chunk
    from .executors.local import signed_chunks

    return signed_chunks(iter(jobs), config)


# --------------------------------------------------------------------------- in memory


class _Keys:
    """Every key a run knows, by handle (0, 1, ...): the indexed ones (``loaded``), then
    new ones. Per handle: ``keys.key`` (new keys take the next free ones, in handle order),
    digest, whether it is compared, its band row and anchors, and its key string once
    known."""

    def __init__(self, n_bands: int) -> None:
        self.n_bands = n_bands
        self.ids = np.zeros(0, np.int64)
        self.handle: dict[bytes, int] = {}
        self.digests: list[bytes] = []
        self.signed = np.zeros(0, bool)
        self.bands = np.zeros((0, n_bands), np.uint64)
        self.anchors = np.zeros(0, np.uint64)
        self.anchor_offsets = np.zeros(1, np.int64)
        self.strings: dict[int, str] = {}
        self._handle_of_id = np.zeros(0, np.int64)
        self.first = np.zeros((2, 0), np.int64)
        """Each indexed key's first position as ``keys.file, para`` hold it."""
        self.loaded = 0
        self.next_id = 1
        self._new: list[tuple[bool, np.ndarray, np.ndarray]] = []  # not yet in the arrays

    def __len__(self) -> int:
        return len(self.digests)

    def load(self, connection: sqlite3.Connection) -> None:
        """The indexed keys, handles in ``keys.key`` order, with their anchors."""
        rows = connection.execute(
            "SELECT key, digest, signed, file, para FROM keys ORDER BY key"
        ).fetchall()
        ids, digests, signed, files, paras = zip(*rows) if rows else ((),) * 5
        self.ids = np.array(ids, np.int64)
        self.loaded = len(ids)
        self.next_id = int(self.ids[-1]) + 1 if len(ids) else 1
        self.digests = list(digests)
        self.handle = {d: h for h, d in enumerate(self.digests)}
        self.signed = np.array(signed, bool)
        self.first = np.array([files, paras], np.int64).reshape(2, -1)
        # Key ids are dense (the next free one is taken): a table from id to handle.
        self._handle_of_id = np.full(int(self.ids[-1]) + 1 if len(ids) else 0, -1, np.int64)
        self._handle_of_id[self.ids] = np.arange(len(ids))
        runs = segments.read(connection, "anchors")
        holders = self.handles_of(np.concatenate([np.zeros(0, np.int64), *(r.keys for r in runs)]))
        # A key's anchors are in one segment, sorted: grouped by key, they stay so.
        order = np.argsort(holders, kind="stable")
        self.anchors = np.concatenate([np.zeros(0, np.uint64), *(r.values for r in runs)])[order]
        counts = np.bincount(holders, minlength=self.loaded)
        self.anchor_offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self.bands = np.zeros((len(ids), self.n_bands), np.uint64)

    def load_bands(self, connection: sqlite3.Connection) -> None:
        """Every indexed band row, from the segments (12 bytes a row: reading them all
        costs less than finding the few that can pair), into ``bands``: with the new keys'
        own, every compared key's band values are then known."""
        self.settle()
        flat = self.bands.reshape(-1)
        for run in segments.read(connection, "bands"):
            flat[self.handles_of(run.keys) * self.n_bands + run.part_of_rows()] = run.values

    def handles_of(self, ids: np.ndarray) -> np.ndarray:
        """The handles of indexed keys ``ids``."""
        return self._handle_of_id[ids]

    def ids_of(self, handles: np.ndarray) -> np.ndarray:
        """The ``keys.key`` of ``handles``, new keys included."""
        new = handles >= self.loaded
        ids = (
            self.ids[np.where(new, 0, handles)] if self.loaded else np.zeros(len(handles), np.int64)
        )
        return np.where(new, self.next_id + handles - self.loaded, ids)

    def register(self, signed: Signed) -> np.ndarray:
        """The handle of each key of a freshly signed chunk, new keys added."""
        raw = signed.digests.tobytes()
        row_of = np.full(len(signed.keys), -1, np.int64)
        row_of[signed.signed] = np.arange(len(signed.signed))
        order = np.argsort(signed.anchor_rows, kind="stable")
        anchor_values = signed.anchors[order]
        anchor_ends = np.searchsorted(signed.anchor_rows[order], np.arange(len(signed.signed) + 1))
        no_anchors = np.zeros(0, np.uint64)
        no_bands = np.zeros(self.n_bands, np.uint64)
        handles = np.empty(len(signed.keys), np.int64)
        for i in range(len(signed.keys)):
            digest = raw[16 * i : 16 * i + 16]
            known = self.handle.get(digest)
            if known is None:
                known = self.handle[digest] = len(self.digests)
                self.digests.append(digest)
                row = int(row_of[i])
                if row >= 0:
                    values = anchor_values[anchor_ends[row] : anchor_ends[row + 1]]
                    self._new.append((True, signed.bands[row], values))
                else:
                    self._new.append((False, no_bands, no_anchors))
                self.strings[known] = signed.keys[i]
            handles[i] = known
        return handles

    def settle(self) -> None:
        """Move the keys registered since into the arrays."""
        if not self._new:
            return
        flags, bands, anchors = zip(*self._new)
        self._new = []
        first = len(self.ids)
        self.ids = np.concatenate((self.ids, self.ids_of(first + np.arange(len(flags)))))
        self.signed = np.concatenate((self.signed, np.array(flags, bool)))
        self.bands = np.concatenate((self.bands, np.array(bands, np.uint64)))
        counts = np.fromiter(map(len, anchors), np.int64, len(anchors))
        self.anchors = np.concatenate((self.anchors, *anchors)).astype(np.uint64)
        ends = self.anchor_offsets[-1] + np.cumsum(counts)
        self.anchor_offsets = np.concatenate((self.anchor_offsets, ends))

    def anchors_of(self, handles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The anchors of ``handles`` as (row in ``handles``, anchor)."""
        values, offsets = take_rows(self.anchors, self.anchor_offsets, handles)
        rows = np.repeat(np.arange(len(handles), dtype=np.int64), np.diff(offsets))
        return rows, values

    def store_new(self, connection: sqlite3.Connection, first: np.ndarray) -> None:
        """Insert the keys new to the index (``first``: the ``keys.file, para`` of every
        handle), and their band rows and anchors as one segment of each."""
        self.settle()
        new = np.arange(self.loaded, len(self), dtype=np.int64)
        counts = np.diff(self.anchor_offsets)
        connection.executemany(
            "INSERT INTO keys VALUES (?, ?, ?, ?, ?, ?)",
            zip(
                self.ids[new].tolist(),
                [self.digests[h] for h in new.tolist()],
                self.signed[new].astype(np.int64).tolist(),
                counts[new].tolist(),
                *first[:, new].tolist(),
            ),
        )
        signed = new[self.signed[new]]
        values, offsets = take_rows(self.anchors, self.anchor_offsets, signed)
        _write_rows(connection, self.ids[signed], self.bands[signed], values, np.diff(offsets))


def _write_rows(
    connection: sqlite3.Connection,
    ids: np.ndarray,
    bands: np.ndarray,
    anchors: np.ndarray,
    counts: np.ndarray,
) -> None:
    """Store the band rows and anchors of the new compared keys ``ids`` (``bands``: a row
    of band values each; ``anchors``: theirs, ``counts`` of each key in turn) as a new
    segment of each kind."""
    n_keys, n_bands = bands.shape
    segments.write(
        connection,
        "bands",
        segments.make_run(
            n_bands,
            np.tile(np.arange(n_bands, dtype=np.int64), n_keys),
            bands.ravel(),
            np.repeat(ids, n_bands),
        ),
    )
    segments.write(
        connection,
        "anchors",
        segments.make_run(1, np.zeros(len(anchors), np.int64), anchors, np.repeat(ids, counts)),
    )


def anchor_rows(anchors: np.ndarray, holders: np.ndarray) -> np.ndarray:
    """Rows of the ``anchors`` table, sorted as it is, as an (rows x 3) int64 array: anchor
    as int64, key, how often the key holds it; from each anchor (uint64) with the
    ``keys.key`` holding it."""
    if not len(anchors):
        return np.zeros((0, 3), np.int64)
    order = np.lexsort((holders, anchors.view(np.int64)))
    anchor, holder = anchors.view(np.int64)[order], holders[order]
    starts = np.flatnonzero(
        np.append(True, (anchor[1:] != anchor[:-1]) | (holder[1:] != holder[:-1]))
    )
    n = np.diff(np.append(starts, len(anchor)))
    return np.stack((anchor[starts], holder[starts].astype(np.int64), n), axis=1)


@dataclass
class _File:
    """A file's signed paragraphs, indexed or new."""

    path: str
    """Absolute path: the order of the index."""
    name: str
    """The name its outcomes carry."""
    outcomes: list[FileInfo | SkippedFile]
    warnings: list[SkippedFile]
    text: str
    ends: np.ndarray
    lines: np.ndarray
    handles: np.ndarray
    """The key handle of each paragraph."""
    number: int = -1
    """Its ``files.file`` once written."""

    def renamed(self, new: str) -> _File:
        """This file with its documents (and rows ``NAME#ROW``) named from ``new``."""
        old = self.name
        if old == new:
            return self

        outcomes = [replace(o, path=renamed(o.path, old, new)) for o in self.outcomes]
        warnings = [replace(w, path=renamed(w.path, old, new)) for w in self.warnings]
        return replace(self, name=new, outcomes=outcomes, warnings=warnings)


def renamed(document: str, old: str, new: str) -> str:
    """The name of a document of the file named ``old`` (the file itself, or a row of it,
    ``OLD#ROW``) once the file is named ``new``: the indexed files' names follow the folder
    a scan names files from."""
    if document == old or document.startswith(old + "#"):
        return new + document[len(old) :]
    return document


def _load_files(connection: sqlite3.Connection, keys: _Keys) -> dict[int, _File]:
    """Every indexed file, by ``files.file``."""
    documents: dict[int, list[FileInfo | SkippedFile]] = {}
    for file, path, encoding, paragraphs, row, id_, error in connection.execute(
        "SELECT file, path, encoding, paragraphs, row, id, error FROM documents ORDER BY file, seq"
    ):
        outcome: FileInfo | SkippedFile = (
            SkippedFile(path, error)
            if error is not None
            else FileInfo(path, encoding, paragraphs, row, id_)
        )
        documents.setdefault(file, []).append(outcome)
    warnings: dict[int, list[SkippedFile]] = {}
    for file, path, reason in connection.execute(
        "SELECT file, path, reason FROM warnings ORDER BY file, seq"
    ):
        warnings.setdefault(file, []).append(SkippedFile(path, reason))
    files = {}
    for file, path, name, text, ends, lines, ids in connection.execute(
        "SELECT file, path, name, text, ends, lines, keys FROM files"
    ):
        files[file] = _File(
            os.fsdecode(path),
            name,
            documents.get(file, []),
            warnings.get(file, []),
            text,
            np.frombuffer(ends, "<i4").astype(np.int64),
            np.frombuffer(lines, "<i4").astype(np.int32),
            keys.handles_of(np.frombuffer(ids, "<i8")),
            file,
        )
    return files


def _signed_files(
    entries: list[tuple[str, str, list[Item], int]], config: Config, keys: _Keys | _Lookup
) -> Iterator[_File]:
    """Sign ``entries`` (absolute path, name, documents, about how many characters) and
    yield each as a `_File`, in order. Files go to the workers in chunks of about
    ``stages.CHUNK_CHARS`` characters, as a scan sends them, and are cut apart again."""
    groups: list[list[int]] = []
    group: list[int] = []
    chars = 0
    for i, entry in enumerate(entries):
        group.append(i)
        chars += entry[3]
        if chars >= CHUNK_CHARS:
            groups.append(group)
            group, chars = [], 0
    if group:
        groups.append(group)
    jobs = [[item for i in g for item in entries[i][2]] for g in groups]
    for group, signed in zip(groups, _sign_files(jobs, config)):
        handles = keys.register(signed)
        at = para = 0
        for i in group:
            path, name, items, _ = entries[i]
            outcomes = signed.outcomes[at : at + len(items)]
            at += len(items)
            n = sum(o.paragraphs for o in outcomes if isinstance(o, FileInfo))
            names = {o.path for o in outcomes}
            offset = int(signed.ends[para - 1]) if para else 0
            ends = signed.ends[para : para + n].astype(np.int64) - offset
            yield _File(
                path,
                name,
                list(outcomes),
                [w for w in signed.warnings if w.path in names],
                signed.text[offset : offset + int(ends[-1])] if n else "",
                ends,
                signed.lines[para : para + n],
                handles[signed.para_key[para : para + n]],
            )
            para += n


class _Layout:
    """Files in a run's order as one corpus: each paragraph's key id (rank of the key's
    first position) and the rows (compared keys, in key id order), as a scan numbers them."""

    def __init__(self, files: list[_File], keys: _Keys) -> None:
        self.files = files
        counts = np.fromiter((len(f.ends) for f in files), np.int64, len(files))
        self.handles = np.concatenate([np.zeros(0, np.int64), *(f.handles for f in files)])
        self.para_file = np.repeat(np.arange(len(files), dtype=np.int64), counts)
        self.end = np.concatenate([np.zeros(0, np.int64), *(f.ends for f in files)])
        self.start = np.concatenate(
            [np.zeros(0, np.int64), *(np.concatenate(([0], f.ends[:-1])) for f in files)]
        )
        self.key_handle, self.key_para, self.para_key = key_order(self.handles)
        self.row_key = np.flatnonzero(keys.signed[self.key_handle]).astype(np.int64)
        self.row_handle = self.key_handle[self.row_key]
        self.row_para = self.key_para[self.row_key]

    def first(self, n_keys: int) -> np.ndarray:
        """The ``keys.file, para`` of the first position of each of ``n_keys`` handles
        (-1 for a handle no paragraph holds)."""
        numbers = np.array([f.number for f in self.files], np.int64)
        counts = np.fromiter((len(f.ends) for f in self.files), np.int64, len(self.files))
        file_start = np.concatenate(([0], np.cumsum(counts)))
        first = np.full((2, n_keys), -1, np.int64)
        at = self.para_file[self.key_para]
        first[0, self.key_handle] = numbers[at]
        first[1, self.key_handle] = self.key_para - file_start[at]
        return first

    def texts(self, paragraphs: np.ndarray) -> list[str]:
        return [
            self.files[f].text[a:b]
            for f, a, b in zip(
                self.para_file[paragraphs].tolist(),
                self.start[paragraphs].tolist(),
                self.end[paragraphs].tolist(),
            )
        ]


def key_order(handles: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keys numbered as a scan numbers them, from the key (any integer naming it) of every
    paragraph in scan order: the key of each id (the rank of its first paragraph), each
    id's first paragraph, and each paragraph's id."""
    unique, first, inverse = np.unique(handles, return_index=True, return_inverse=True)
    by_first = np.argsort(first)
    rank = np.empty(len(unique), np.int64)
    rank[by_first] = np.arange(len(unique))
    return unique[by_first], first[by_first], rank[inverse.ravel()]


def _candidates(layout: _Layout, keys: _Keys) -> np.ndarray:
    """The candidate pairs of rows of ``layout``, as the candidate stage of a scan."""
    handles = layout.row_handle
    anchor_rows, anchors = keys.anchors_of(handles)
    return candidate_pairs(keys.bands[handles], anchor_rows, anchors, len(handles))


class _RowKeys(list):
    """The key string of each row of a layout, made (normalised again from a paragraph's
    text) only for the rows asked for: verification and the cluster stage read few."""

    def __init__(self, layout: _Layout, keys: _Keys) -> None:
        super().__init__([None] * len(layout.row_handle))
        self.layout, self.keys = layout, keys

    def fill(self, rows: np.ndarray) -> None:
        rows = distinct(rows)
        missing = [r for r in rows.tolist() if list.__getitem__(self, r) is None]
        handles = self.layout.row_handle[np.array(missing, np.int64)].tolist()
        unknown = [i for i, h in enumerate(handles) if h not in self.keys.strings]
        paragraphs = self.layout.row_para[np.array(missing, np.int64)[unknown]]
        made = normalise_batch(self.layout.texts(paragraphs)) if unknown else []
        for i, key in zip(unknown, made):
            self.keys.strings[handles[i]] = key
        for r, h in zip(missing, handles):
            list.__setitem__(self, r, self.keys.strings[h])

    def __getitem__(self, row):
        if list.__getitem__(self, row) is None:
            self.fill(np.array([row], np.int64))
        return list.__getitem__(self, row)


class _IndexedCorpus(Corpus):
    """A `stages.Corpus` whose rows' shingles are made when asked for, from their keys."""

    def use(self, row_keys: _RowKeys, config: Config) -> None:
        self.row_keys = row_keys
        self._config = config

    def shingles(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        keys = self.row_keys
        assert isinstance(keys, _RowKeys)
        keys.fill(rows)
        texts = [keys[r] for r in rows.tolist()]
        return shingle_batch(texts, self._config.shingle, self._config.ngram)


@dataclass
class _Decided:
    """The candidate pairs of a layout's rows that verified and that did not, how many
    were verified now, and the shingle sets of the rows compared."""

    pairs: np.ndarray
    rejected: np.ndarray
    verified: int
    overlaps: ShingleOverlaps


def _oriented(pairs: np.ndarray, n: int) -> np.ndarray:
    """Each pair of ``n`` values as one int64, in the order given."""
    pairs = pairs.reshape(-1, 2)
    return pairs[:, 0] * n + pairs[:, 1]


def _decide(
    after: _Layout,
    stored: tuple[np.ndarray, np.ndarray],
    keys: _Keys,
    corpus: _IndexedCorpus,
    config: Config,
    overlaps_of_all: bool,
) -> _Decided:
    """The verified candidate pairs of ``after``, as a scan of its files would verify them.
    Verification is a function of the pair's two keys, taken in scan order: a pair found in
    ``stored`` (edges, rejected: pairs of key handles, in the order they were verified in)
    the same way round keeps its answer; the others are verified now."""
    pairs = _candidates(after, keys)
    n = len(keys)
    codes = _oriented(after.row_handle[pairs], n)
    accepted = np.isin(codes, _oriented(stored[0], n))
    todo = ~accepted & ~np.isin(codes, _oriented(stored[1], n))
    compared = distinct(pairs[todo | accepted].ravel() if overlaps_of_all else pairs[todo].ravel())
    overlaps = ShingleOverlaps(compared, *corpus.shingles(compared))
    checked = pairs[todo]
    found = verify(checked, overlaps, config.threshold, config.containment, corpus.row_keys)
    passed = np.isin(
        _oriented(checked, len(after.row_handle)), _oriented(found.pairs, len(after.row_handle))
    )
    accepted[np.flatnonzero(todo)[passed]] = True
    return _Decided(pairs[accepted], pairs[~accepted], int(todo.sum()), overlaps)


def _stored_pairs(connection: sqlite3.Connection, keys: _Keys) -> tuple[np.ndarray, np.ndarray]:
    """The ``edges`` and ``rejected`` tables as pairs of key handles."""
    found = []
    for table in ("edges", "rejected"):
        rows = np.array(connection.execute(f"SELECT a, b FROM {table}").fetchall(), np.int64)
        found.append(keys.handles_of(rows.reshape(-1, 2)))
    return found[0], found[1]


def _in_index_order(files: Iterable[_File]) -> list[_File]:
    return sorted(files, key=lambda f: f.path)


def _stored_config(connection: sqlite3.Connection) -> Config:
    """The settings an index was made with (signing and verification)."""
    values = json.loads(_stored_setting(connection, "signing") or "{}")
    values.update(json.loads(_stored_setting(connection, "verifying") or "{}"))
    names = set(_SIGNING) | set(_VERIFYING)
    return Config(workers=1, **{k: v for k, v in values.items() if k in names})


# --------------------------------------------------------------------------- writing


def _write_file(
    connection: sqlite3.Connection,
    row: tuple[bytes, str, int, int, str],
    file: _File,
    keys: _Keys | _Lookup,
) -> None:
    """Insert ``file`` (its new keys are inserted by ``_Keys.store_new``)."""
    path, name, size, mtime_ns, digest = row
    cursor = connection.execute(
        "INSERT INTO files (path, name, size, mtime_ns, sha256, text, ends, lines, keys) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            path,
            name,
            size,
            mtime_ns,
            digest,
            file.text,
            file.ends.astype("<i4").tobytes(),
            file.lines.astype("<i4").tobytes(),
            keys.ids_of(file.handles).astype("<i8").tobytes(),
        ),
    )
    number = file.number = int(cursor.lastrowid or 0)
    connection.executemany(
        "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (number, seq, o.path, None, None, None, None, o.reason)
            if isinstance(o, SkippedFile)
            else (number, seq, o.path, o.encoding, o.paragraphs, o.row, o.id, None)
            for seq, o in enumerate(file.outcomes)
        ),
    )
    connection.executemany(
        "INSERT INTO warnings VALUES (?, ?, ?, ?)",
        ((number, seq, w.path, w.reason) for seq, w in enumerate(file.warnings)),
    )


def _delete_files(connection: sqlite3.Connection, numbers: list[int]) -> None:
    for table in ("files", "documents", "warnings"):
        connection.executemany(f"DELETE FROM {table} WHERE file = ?", ((n,) for n in numbers))


def _settle_index(
    connection: sqlite3.Connection,
    keys: _Keys,
    after: list[_File],
    decided: _Decided,
    layout: _Layout,
    stored: tuple[np.ndarray, np.ndarray],
    config: Config,
) -> None:
    """Insert the new keys, drop the keys no file holds any more (with their band rows),
    and replace the ``stored`` edges and rejected pairs (pairs of handles) by ``decided``,
    those of ``after`` (pairs of ``layout``'s rows)."""
    first = layout.first(len(keys))
    used = np.zeros(len(keys), bool)
    for f in after:
        used[f.handles] = True
    gone = np.flatnonzero(~used[: keys.loaded])
    if len(gone):
        ids = keys.ids_of(gone)
        for kind in ("bands", "anchors"):
            segments.drop_keys(connection, kind, ids)
        connection.execute("CREATE TEMP TABLE IF NOT EXISTS gone (key INTEGER PRIMARY KEY)")
        connection.execute("DELETE FROM temp.gone")
        connection.executemany("INSERT INTO temp.gone VALUES (?)", ((k,) for k in ids.tolist()))
        connection.execute("DELETE FROM keys WHERE key IN (SELECT key FROM temp.gone)")
    keys.store_new(connection, first)
    moved = np.flatnonzero((first[:, : keys.loaded] != keys.first).any(axis=0))
    moved = moved[first[0, moved] >= 0]  # (a key no file holds is deleted above)
    connection.executemany(
        "UPDATE keys SET file = ?, para = ? WHERE key = ?",
        zip(*first[:, moved].tolist(), keys.ids_of(moved).tolist()),
    )
    n = len(keys)
    for table, pairs, was in (
        ("edges", decided.pairs, stored[0]),
        ("rejected", decided.rejected, stored[1]),
    ):
        now = distinct(_oriented(layout.row_handle[pairs], n))
        before = distinct(_oriented(was, n))
        for sql, changed in (
            (f"DELETE FROM {table} WHERE a = ? AND b = ?", np.setdiff1d(before, now, True)),
            (f"INSERT INTO {table} VALUES (?, ?)", np.setdiff1d(now, before, True)),
        ):
            handles = np.stack((changed // n, changed % n), axis=1).ravel()
            connection.executemany(sql, keys.ids_of(handles).reshape(-1, 2).tolist())
    connection.execute(
        "INSERT OR REPLACE INTO settings VALUES ('verifying', ?)", (verifying_settings(config),)
    )


def _reverify(
    connection: sqlite3.Connection, keys: _Keys, after: list[_File], config: Config
) -> int:
    """Store the edges and rejected pairs of the index as ``after`` makes it; how many
    pairs had to be verified (the others were decided before)."""
    keys.load_bands(connection)
    layout = _Layout(after, keys)
    same = _stored_setting(connection, "verifying") == verifying_settings(config)
    corpus = _IndexedCorpus()
    corpus.use(_RowKeys(layout, keys), config)
    stored = _stored_pairs(connection, keys)
    known = stored if same else (stored[0][:0], stored[1][:0])
    decided = _decide(layout, known, keys, corpus, config, overlaps_of_all=False)
    _settle_index(connection, keys, after, decided, layout, stored, config)
    return decided.verified


# --------------------------------------------------------------------------- adding new files


class _Lookup:
    """The keys of the files an add brings, when it brings only new files: each signed
    chunk's digests are looked up in ``keys`` (its unique digest index), the others are
    new keys, numbered after the largest id. Nothing else of the index is read."""

    def __init__(self, connection: sqlite3.Connection, n_bands: int) -> None:
        self.connection = connection
        self.n_bands = n_bands
        self.handle: dict[bytes, int] = {}
        self.digests: list[bytes] = []
        self.ids: list[int] = []
        self._ids = np.zeros(0, np.int64)
        self.old: list[bool] = []
        self.signed: list[bool] = []
        self.first: list[tuple[int, int]] = []
        """An indexed key's ``keys.file, para`` ((-1, -1) for a new key)."""
        self.bands: list[np.ndarray] = []
        self.anchors: list[np.ndarray] = []
        self.strings: dict[int, str] = {}
        (largest,) = connection.execute("SELECT max(key) FROM keys").fetchone()
        self.next_id = int(largest or 0) + 1

    def __len__(self) -> int:
        return len(self.digests)

    def register(self, signed: Signed) -> np.ndarray:
        """The handle of each key of a freshly signed chunk (indexed or new)."""
        raw = signed.digests.tobytes()
        chunk = [raw[16 * i : 16 * i + 16] for i in range(len(signed.keys))]
        unknown = sorted({d for d in chunk if d not in self.handle})
        indexed = {}
        for start in range(0, len(unknown), 10_000):  # by the unique index on digest
            some = unknown[start : start + 10_000]
            for row in self.connection.execute(
                "SELECT digest, key, signed, file, para FROM keys WHERE digest IN "
                f"({', '.join('?' * len(some))})",
                some,
            ):
                indexed[row[0]] = row[1:]
        row_of = np.full(len(signed.keys), -1, np.int64)
        row_of[signed.signed] = np.arange(len(signed.signed))
        order = np.argsort(signed.anchor_rows, kind="stable")
        anchor_values = signed.anchors[order]
        anchor_ends = np.searchsorted(signed.anchor_rows[order], np.arange(len(signed.signed) + 1))
        no_anchors = np.zeros(0, np.uint64)
        no_bands = np.zeros(self.n_bands, np.uint64)
        handles = np.empty(len(signed.keys), np.int64)
        for i, digest in enumerate(chunk):
            known = self.handle.get(digest)
            if known is None:
                known = self.handle[digest] = len(self.digests)
                self.digests.append(digest)
                self.strings[known] = signed.keys[i]
                found = indexed.get(digest)
                row = int(row_of[i])
                if found is not None:
                    key, compared, file, para = found
                    self._append(key, True, bool(compared), (file, para), no_bands, no_anchors)
                elif row >= 0:
                    values = anchor_values[anchor_ends[row] : anchor_ends[row + 1]]
                    self._append(self.next_id, False, True, (-1, -1), signed.bands[row], values)
                    self.next_id += 1
                else:
                    self._append(self.next_id, False, False, (-1, -1), no_bands, no_anchors)
                    self.next_id += 1
            handles[i] = known
        return handles

    def _append(
        self,
        key: int,
        old: bool,
        compared: bool,
        first: tuple[int, int],
        bands: np.ndarray,
        anchors: np.ndarray,
    ) -> None:
        self.ids.append(key)
        self.old.append(old)
        self.signed.append(compared)
        self.first.append(first)
        self.bands.append(bands)
        self.anchors.append(anchors)

    def ids_of(self, handles: np.ndarray) -> np.ndarray:
        if len(self._ids) != len(self.ids):  # keys registered since
            self._ids = np.array(self.ids, np.int64)
        return self._ids[handles]

    def bands_of(self, handles: np.ndarray) -> np.ndarray:
        """The band values of ``handles`` (new compared keys), a row each."""
        rows = [self.bands[h] for h in handles.tolist()]
        return np.stack(rows) if rows else np.zeros((0, self.n_bands), np.uint64)

    def place(self, files: list[_File], rank: dict[int, int]) -> None:
        """Set ``position``: each key's first paragraph in ``files`` (written, their
        ``number`` ranked by ``rank`` in the index's order) as rank << 32 | paragraph."""
        self.position = np.full(len(self), np.iinfo(np.int64).max, np.int64)
        for f in files:
            codes = (rank[f.number] << 32) | np.arange(len(f.handles), dtype=np.int64)
            np.minimum.at(self.position, f.handles, codes)


def _json(values: np.ndarray) -> str:
    return json.dumps(values.tolist())


class _Neighbourhood:
    """The keys an add's new keys can be paired with in a scan of everything indexed
    after the add, as rows in that scan's key order: the new compared keys, and the
    indexed keys that share a band bucket or a fragment anchor with one of them (searched
    by value in every segment of band rows and of anchors). Of an indexed key only its
    shared band values and anchors are used, with its anchor count (the share rule needs
    it) and first position (the order), read from ``keys``."""

    def __init__(
        self, connection: sqlite3.Connection, keys: _Lookup, order: dict[int, int]
    ) -> None:
        """``order``: the rank of each ``files.file`` in the index's order after the add."""
        n_bands = keys.n_bands
        ids = np.array(keys.ids, np.int64)
        old = np.array(keys.old, bool)
        fresh = np.flatnonzero(~old & np.array(keys.signed, bool))
        new_bands = keys.bands_of(fresh)
        runs = segments.read(connection, "bands")
        found = [
            segments.lookup(runs, band, distinct(new_bands[:, band])) for band in range(n_bands)
        ]
        found_bands = np.stack(
            (
                np.repeat(np.arange(n_bands, dtype=np.int64), [len(v) for v, _ in found]),
                np.concatenate([np.zeros(0, np.uint64), *(v for v, _ in found)]).view(np.int64),
                np.concatenate([np.zeros(0, np.int64), *(k for _, k in found)]),
            ),
            axis=1,
        )
        new_anchors = [keys.anchors[h] for h in fresh.tolist()]
        values = np.concatenate([np.zeros(0, np.uint64), *new_anchors])
        hit, holders = segments.lookup(segments.read(connection, "anchors"), 0, distinct(values))
        found_anchors = anchor_rows(hit, holders)
        values = values.view(np.int64)
        old_ids = distinct(np.concatenate((found_bands[:, 2], found_anchors[:, 1])))
        facts = np.array(
            connection.execute(
                "SELECT k.key, k.n_anchors, k.file, k.para FROM json_each(?) AS j "
                "CROSS JOIN keys AS k ON k.key = j.value",
                (_json(old_ids),),
            ).fetchall(),
            np.int64,
        ).reshape(-1, 4)
        facts = facts[np.argsort(facts[:, 0])]
        rank = np.full(max(order, default=0) + 1, -1, np.int64)
        rank[list(order)] = list(order.values())
        # Rows: the new compared keys, then the indexed keys found; each row's position is
        # its first paragraph in the order after the add (file rank, paragraph).
        self.ids = np.concatenate((ids[fresh], facts[:, 0]))
        self.new = np.arange(len(self.ids)) < len(fresh)
        position = np.concatenate((keys.position[fresh], (rank[facts[:, 2]] << 32) | facts[:, 3]))
        in_new = {int(k): h for h, k in enumerate(keys.ids) if keys.old[h]}
        for row in range(len(fresh), len(self.ids)):  # an indexed key NEW holds earlier
            h = in_new.get(int(self.ids[row]))
            if h is not None:
                position[row] = min(position[row], keys.position[h])
        self.first = position
        self.stored = facts[:, 2:]
        """An indexed row's ``keys.file, para``, to read its paragraph from."""
        self.handle = np.concatenate((fresh, [in_new.get(k, -1) for k in facts[:, 0].tolist()]))
        self.handle = self.handle.astype(np.int64)
        # Band values: every band of a new key, the shared ones of an indexed key.
        n = len(self.ids)
        bands = np.zeros((n, n_bands), np.uint64)
        real = np.zeros((n, n_bands), bool)
        bands[: len(fresh)] = new_bands
        real[: len(fresh)] = True
        at = len(fresh) + np.searchsorted(facts[:, 0], found_bands[:, 2])
        bands[at, found_bands[:, 0]] = found_bands[:, 1].view(np.uint64)
        real[at, found_bands[:, 0]] = True
        self.bands, self.real = bands, real
        # Anchors: a new key's own, an indexed key's shared ones (as often as it holds
        # them), and how many each row has in all (the share rule's count).
        counts = np.concatenate(
            (np.fromiter(map(len, new_anchors), np.int64, len(fresh)), facts[:, 1])
        )
        old_rows = len(fresh) + np.searchsorted(facts[:, 0], found_anchors[:, 1])
        rows = np.concatenate(
            (
                np.repeat(np.arange(len(fresh)), counts[: len(fresh)]),
                np.repeat(old_rows, found_anchors[:, 2]),
            )
        )
        shared = np.concatenate((values, np.repeat(found_anchors[:, 0], found_anchors[:, 2])))
        self.anchor_rows = rows
        self.anchors = np.unique(shared, return_inverse=True)[1].ravel().astype(np.uint64)
        self.anchor_counts = counts

    def candidates(self) -> np.ndarray:
        """The candidate pairs with a new key, as rows (i, j), i first in scan order."""
        n, n_bands = self.bands.shape
        order = np.argsort(self.first, kind="stable")
        at = np.empty(n, np.int64)
        at[order] = np.arange(n)  # each row's place in scan order
        ranked = np.empty(self.bands.shape, np.uint64)
        for band in range(n_bands):
            real = self.real[:, band]
            unique, inverse = np.unique(self.bands[real, band], return_inverse=True)
            ranked[real, band] = inverse.ravel()
            ranked[~real, band] = len(unique) + np.arange(int((~real).sum()))
        pairs = candidate_pairs(
            ranked[order], at[self.anchor_rows], self.anchors, n, self.anchor_counts[order]
        )
        pairs = order[pairs].reshape(-1, 2)
        return pairs[self.new[pairs[:, 0]] | self.new[pairs[:, 1]]]


def _add_new(
    connection: sqlite3.Connection,
    keys: _Lookup,
    paths: dict[int, str],
    new: list[_File],
    config: Config,
) -> int:
    """Store what an add of ``new`` (files written, nothing replaced or dropped) adds to the
    index: its new keys, their band rows and anchors (a new segment of each), and the
    verified candidate pairs with a new key that a scan of everything indexed proposes; how
    many pairs were verified. Pairs of indexed keys are decided already; of the index only
    the buckets and anchors the new keys hit are used, and the paragraphs of the indexed
    keys paired with them. ``paths``: every file's path by ``files.file``."""
    by_rank = sorted(paths, key=paths.__getitem__)
    rank = {number: r for r, number in enumerate(by_rank)}
    keys.place(new, rank)
    hood = _Neighbourhood(connection, keys, rank)
    pairs = hood.candidates()
    compared = distinct(pairs.ravel())
    row_keys = [""] * len(hood.ids)
    wanted: list[int] = []
    for row, h in zip(compared.tolist(), hood.handle[compared].tolist()):
        if h >= 0:
            row_keys[row] = keys.strings[h]
        else:
            wanted.append(row)
    if wanted:
        at = np.array(wanted, np.int64) - int(hood.new.sum())
        numbers = hood.stored[at, 0]
        texts = {
            number: (text, np.frombuffer(ends, "<i4"))
            for number, text, ends in connection.execute(
                "SELECT f.file, f.text, f.ends FROM json_each(?) AS j "
                "CROSS JOIN files AS f ON f.file = j.value",
                (_json(distinct(numbers)),),
            )
        }
        paragraphs = []
        for number, para in zip(numbers.tolist(), hood.stored[at, 1].tolist()):
            text, ends = texts[number]
            paragraphs.append(text[int(ends[para - 1]) if para else 0 : int(ends[para])])
        for row, key in zip(wanted, normalise_batch(paragraphs)):
            row_keys[row] = key
    hashes, offsets = shingle_batch(
        [row_keys[r] for r in compared.tolist()], config.shingle, config.ngram
    )
    overlaps = ShingleOverlaps(compared, hashes, offsets)
    found = verify(pairs, overlaps, config.threshold, config.containment, row_keys)
    n = max(len(hood.ids), 1)
    accepted = np.isin(_oriented(pairs, n), _oriented(found.pairs, n))

    ids = np.array(keys.ids, np.int64)
    old = np.array(keys.old, bool)
    signed = np.array(keys.signed, bool)
    numbers_by_rank = np.array(by_rank, np.int64)
    new_keys = np.flatnonzero(~old)
    anchors = [keys.anchors[h] for h in new_keys.tolist()]
    position = keys.position[new_keys]
    connection.executemany(
        "INSERT INTO keys VALUES (?, ?, ?, ?, ?, ?)",
        zip(
            ids[new_keys].tolist(),
            [keys.digests[h] for h in new_keys.tolist()],
            signed[new_keys].astype(np.int64).tolist(),
            [len(a) for a in anchors],
            numbers_by_rank[position >> 32].tolist(),
            (position & 0xFFFFFFFF).tolist(),
        ),
    )
    indexed = np.flatnonzero(old)
    first = np.array([keys.first[h] for h in indexed.tolist()], np.int64).reshape(-1, 2)
    rank_of = np.full(max(rank, default=0) + 1, -1, np.int64)
    rank_of[list(rank)] = list(rank.values())
    earlier = keys.position[indexed] < ((rank_of[first[:, 0]] << 32) | first[:, 1])
    moved = indexed[earlier]
    connection.executemany(
        "UPDATE keys SET file = ?, para = ? WHERE key = ?",
        zip(
            numbers_by_rank[keys.position[moved] >> 32].tolist(),
            (keys.position[moved] & 0xFFFFFFFF).tolist(),
            ids[moved].tolist(),
        ),
    )
    compared_keys = new_keys[signed[new_keys]]
    bands = keys.bands_of(compared_keys)
    counts = np.fromiter((len(keys.anchors[h]) for h in compared_keys.tolist()), np.int64)
    _write_rows(
        connection,
        ids[compared_keys],
        bands,
        np.concatenate([np.zeros(0, np.uint64), *(keys.anchors[h] for h in compared_keys)]),
        counts,
    )
    for table, chosen in (("edges", pairs[accepted]), ("rejected", pairs[~accepted])):
        both = hood.ids[chosen].reshape(-1, 2)
        both = both[np.lexsort((both[:, 1], both[:, 0]))]
        connection.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?, ?)", both.tolist())
    return len(pairs)


# --------------------------------------------------------------------------- commands


def add(
    paths: Sequence[str | os.PathLike[str]],
    index: str | os.PathLike[str],
    config: Config | None = None,
    *,
    encoding: str | None = None,
    errors: str = "strict",
    select: Selection | None = None,
    text_field: str = "text",
    id_field: str | None = None,
    on_signed: Callable[[str], None] | None = None,
) -> Added:
    """Sign the new or changed files under ``paths`` into the index in folder ``index``
    (created if needed), verify the candidate pairs they make, all in one transaction.
    ``on_signed`` is called with each file's name once it is written (inside the
    transaction)."""
    check_decode_errors(errors)
    config = config or Config()
    fields = Fields(text_field, id_field)
    index = Path(index)
    listing = list_inputs([Path(p) for p in paths], select)
    with closing(_connect(index, create=True)) as connection:
        connection.execute("BEGIN IMMEDIATE")
        changes_before = connection.total_changes
        try:
            _check_settings(connection, signing_settings(config, encoding, errors, fields), index)
            for p in paths:
                key = os.fsencode(os.path.abspath(p))
                connection.execute("INSERT OR IGNORE INTO sources VALUES (?)", (key,))
            n_bands = banding(config.lsh_threshold, config.num_perm)[0]
            listed = {
                path: (file, size, mtime_ns, sha256)
                for file, path, size, mtime_ns, sha256 in connection.execute(
                    "SELECT file, path, size, mtime_ns, sha256 FROM files"
                )
            }
            todo: list[tuple[bytes, str, int, int, str]] = []
            jobs: list[tuple[str, str, list[Item], int]] = []
            unchanged = 0
            for entry in listing.entries:
                if isinstance(entry, SkippedFile):
                    continue
                path = Path(os.path.abspath(listing.root / entry.relative))
                key = os.fsencode(path)
                stat = path.stat()
                was = listed.get(key)
                if was is not None and (was[1], was[2]) == (stat.st_size, stat.st_mtime_ns):
                    unchanged += 1
                    continue
                digest = _sha256(path)
                if was is not None and was[3] == digest:
                    connection.execute(
                        "UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
                        (stat.st_size, stat.st_mtime_ns, key),
                    )
                    unchanged += 1
                    continue
                todo.append((key, entry.name, stat.st_size, stat.st_mtime_ns, digest))
                items = _items(path, listing.root, entry.name, (encoding, errors, fields))
                jobs.append((str(path), entry.name, items, items_chars(items)))
            paths_of = {row[0]: os.fsdecode(path) for path, row in listed.items()}
            gone = _gone(paths_of, [os.path.abspath(p) for p in paths])
            replaced = [listed[t[0]][0] for t in todo if t[0] in listed]
            verified = 0
            same = _stored_setting(connection, "verifying") == verifying_settings(config)
            if todo and listed and same and not gone and not replaced:
                # Only new files: read of the index only what their keys touch.
                lookup = _Lookup(connection, n_bands)
                new = []
                for row, file in zip(todo, _signed_files(jobs, config, lookup)):
                    _write_file(connection, row, file, lookup)
                    new.append(file)
                    if on_signed is not None:
                        on_signed(row[1])
                paths_of.update((f.number, f.path) for f in new)
                verified = _add_new(connection, lookup, paths_of, new, config)
            elif todo or gone or replaced:
                keys = _Keys(n_bands)
                keys.load(connection)
                stored = _load_files(connection, keys)
                _delete_files(connection, gone + replaced)
                kept = {n: f for n, f in stored.items() if n not in set(gone + replaced)}
                new = []
                for row, file in zip(todo, _signed_files(jobs, config, keys)):
                    _write_file(connection, row, file, keys)
                    new.append(file)
                    if on_signed is not None:
                        on_signed(row[1])
                after = _in_index_order([*kept.values(), *new])
                verified = _reverify(connection, keys, after, config)
            _count_change(connection, changes_before)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    errors_found = tuple(e for e in listing.entries if isinstance(e, SkippedFile))
    found = len(listing.entries) - len(errors_found)
    return Added(found, len(todo), unchanged, errors_found, len(gone), verified)


def _gone(paths: dict[int, str], targets: list[str]) -> list[int]:
    """The indexed files (``paths``: by ``files.file``) under ``targets`` that no longer
    exist."""
    return [
        n
        for n, path in paths.items()
        if any(_under(path, t) for t in targets) and not os.path.lexists(path)
    ]


def _count_change(connection: sqlite3.Connection, changes_before: int) -> None:
    """Count one more generation of the index (setting ``generation``) if this transaction
    changed any row since ``changes_before`` (`sqlite3.Connection.total_changes`)."""
    if connection.total_changes > changes_before:
        connection.execute(
            "INSERT INTO settings VALUES (?, '1') "
            "ON CONFLICT(name) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            (GENERATION,),
        )


def generation(index: str | os.PathLike[str]) -> int:
    """How many adds and removes have changed the index in folder ``index`` (0 if none
    has since generations were counted): an export of the same generation holds the same
    rows (its ``settings`` table says which it was made at)."""
    with closing(_connect(Path(index), create=False)) as connection:
        row = connection.execute("SELECT value FROM settings WHERE name = ?", (GENERATION,))
        found = row.fetchone()
    return int(found[0]) if found else 0


def remove(paths: Sequence[str | os.PathLike[str]], index: str | os.PathLike[str]) -> int:
    """Remove the indexed files at or under ``paths`` from the index, and the keys and edges
    only they held (pairs a removal makes candidates are verified); how many files were."""
    targets = [os.path.abspath(p) for p in paths]
    index = Path(index)
    with closing(_connect(index, create=False)) as connection:
        connection.execute("BEGIN IMMEDIATE")
        changes_before = connection.total_changes
        try:
            config = _stored_config(connection)
            keys = _Keys(banding(config.lsh_threshold, config.num_perm)[0])
            keys.load(connection)
            stored = _load_files(connection, keys)
            removed = [n for n, f in stored.items() if any(_under(f.path, t) for t in targets)]
            if removed:
                _delete_files(connection, removed)
                after = _in_index_order(f for n, f in stored.items() if n not in set(removed))
                _reverify(connection, keys, after, config)
            _count_change(connection, changes_before)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    return len(removed)


def _under(path: str, target: str) -> bool:
    return path == target or path.startswith(target.rstrip(os.sep) + os.sep)


def scan(
    paths: Sequence[str | os.PathLike[str]],
    index: str | os.PathLike[str],
    config: Config | None = None,
    *,
    encoding: str | None = None,
    errors: str = "strict",
    select: Selection | None = None,
    text_field: str = "text",
    id_field: str | None = None,
    progress: bool = False,
) -> Report:
    """The scan of the indexed files together with the files under ``paths`` (signed now,
    not added): its clusters equal those of one scan of all of them. Names are relative to
    the folder holding the indexed sources and ``paths``. Only pairs the index has not
    decided are verified."""
    check_decode_errors(errors)
    config = config or Config()
    fields = Fields(text_field, id_field)
    index = Path(index)
    started = time.perf_counter()
    clock = Stopwatch()
    with closing(_connect(index, create=False)) as connection:
        connection.execute("BEGIN")  # one snapshot of the index
        _check_settings(connection, signing_settings(config, encoding, errors, fields), index)
        keys = _Keys(banding(config.lsh_threshold, config.num_perm)[0])
        with clock.stage("read"):
            keys.load(connection)
            stored = _load_files(connection, keys)
            same = _stored_setting(connection, "verifying") == verifying_settings(config)
            stored_pairs = _stored_pairs(connection, keys)
            if not same:  # verified with other settings: verify every pair again
                stored_pairs = (stored_pairs[0][:0], stored_pairs[1][:0])
            sources = [
                Path(os.fsdecode(k)) for (k,) in connection.execute("SELECT path FROM sources")
            ]
            new_paths = [Path(p) for p in paths]
            root = input_root(sources + new_paths)
            listing = list_inputs(new_paths, select)
        fresh: dict[str, tuple[str, list[Item]]] = {}
        for entry in listing.entries:
            if isinstance(entry, SkippedFile):
                # Named relative to the scan's root, as a fresh scan names it.
                name = relative_name(listing.root / entry.path, root)
                fresh[name] = ("", [SkippedFile(name, entry.reason)])
                continue
            path = Path(os.path.abspath(listing.root / entry.relative))
            name = relative_name(path, root)
            fresh[name] = (str(path), _items(path, root, name, (encoding, errors, fields)))
        signing = time.perf_counter()
        entries = [(path, name, items, items_chars(items)) for name, (path, items) in fresh.items()]
        signed_new = list(_signed_files(entries, config, keys))
        with clock.stage("candidates"):
            keys.load_bands(connection)
        connection.execute("COMMIT")
    files = {f.name: f for f in signed_new}
    for f in stored.values():
        name = relative_name(Path(f.path), root)
        if name not in files:
            files[name] = f.renamed(name)
    order = [files[name] for name in sorted(files)]
    corpus = _IndexedCorpus()
    with no_gc():
        for chunk in held_chunks(order):
            corpus.add_paragraphs(chunk)
        from .executors.local import share_out

        share_out(clock, time.perf_counter() - signing, corpus.worker_seconds)
        after = _Layout(order, keys)
        corpus.use(_RowKeys(after, keys), config)
        with clock.stage("verify"):  # candidates, then verification of the pairs not decided
            decided = _decide(after, stored_pairs, keys, corpus, config, overlaps_of_all=True)
        paragraphs = Paragraphs(corpus)
        with clock.stage("cluster"):
            found = cluster(
                decided.pairs,
                after.para_key,
                after.row_key,
                len(after.key_handle),
                decided.overlaps,
                corpus,
                paragraphs,
                config,
            )
        with clock.stage("report"):
            return build_report(found, corpus, paragraphs, config, clock.seconds, started)


def names_root(paths: Sequence[str | os.PathLike[str]], index: str | os.PathLike[str]) -> Path:
    """The folder ``scan(paths, index)`` names files relative to: the one holding the
    indexed sources and ``paths``."""
    with closing(_connect(Path(index), create=False)) as connection:
        listed = connection.execute("SELECT path FROM sources").fetchall()
    return input_root([Path(os.fsdecode(k)) for (k,) in listed] + [Path(p) for p in paths])


def export(index: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> dict[str, int]:
    """Write every table of the index as ``OUT_DIR/TABLE.parquet`` (the columns and types
    of `SCHEMA`); the number of rows of each. Needs pyarrow (``pip install "dedup[spark]"``)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ConfigError(
            'index export writes Parquet with pyarrow: pip install "dedup[spark]" '
            '(or "dedup[parquet]")'
        ) from None
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    with closing(_connect(Path(index), create=False)) as connection:
        connection.execute("BEGIN")
        expanded = _expanded(connection)
        for table, columns in EXPORT.items():
            names = [c for c, _ in columns]
            if table in expanded:
                values: Sequence[Sequence[object]] = expanded[table]
            else:
                rows = connection.execute(f"SELECT {', '.join(names)} FROM {table}").fetchall()
                values = list(zip(*rows)) if rows else [() for _ in names]
            arrays = [
                pa.array(list(v), type=getattr(pa, kind)()) for v, (_, kind) in zip(values, columns)
            ]
            schema = pa.schema([(c, getattr(pa, kind)()) for c, kind in columns])
            target = out / f"{table}.parquet"
            partial = target.with_name(f".{table}.parquet.partial")
            pq.write_table(pa.Table.from_arrays(arrays, schema=schema), partial)
            os.replace(partial, target)
            counts[table] = len(arrays[0])
        connection.execute("COMMIT")
    return counts


def _expanded(connection: sqlite3.Connection) -> dict[str, list[list[object]]]:
    """The columns of the exported tables made from the segments (`EXPORT`): ``keys``
    with its anchors, ``anchors``, ``bands`` and ``buckets``, each sorted by its columns."""
    config = _stored_config(connection)
    n_bands = banding(config.lsh_threshold, config.num_perm)[0]
    bands = segments.merged(segments.read(connection, "bands"), n_bands)
    band = bands.part_of_rows()
    value = bands.values.view(np.int64)
    order = np.lexsort((bands.keys, value, band))
    band, value, holder = band[order], value[order], bands.keys[order]
    same = (band[1:] == band[:-1]) & (value[1:] == value[:-1])
    shared = np.append(same, False) | np.append(False, same)
    bucket_band, bucket_value = band[shared], value[shared]
    first = np.append(
        True, (bucket_band[1:] != bucket_band[:-1]) | (bucket_value[1:] != bucket_value[:-1])
    )

    anchors = segments.merged(segments.read(connection, "anchors"), 1)
    by_value = anchor_rows(anchors.values, anchors.keys)
    by_key = np.lexsort((anchors.values, anchors.keys))
    held, values = anchors.keys[by_key], anchors.values[by_key]
    rows = connection.execute(
        "SELECT key, digest, signed, file, para FROM keys ORDER BY key"
    ).fetchall()
    ids = np.array([r[0] for r in rows], np.int64)
    ends = np.searchsorted(held, ids, "right")
    starts = np.searchsorted(held, ids, "left")
    blobs = [values[a:b].astype("<u8").tobytes() for a, b in zip(starts.tolist(), ends.tolist())]
    key, digest, signed, file, para = zip(*rows) if rows else ((),) * 5
    return {
        "keys": [list(key), list(digest), list(signed), blobs, list(file), list(para)],
        "anchors": [c.tolist() for c in by_value.T],
        "bands": [band.tolist(), value.tolist(), holder.tolist()],
        "buckets": [bucket_band[first].tolist(), bucket_value[first].tolist()],
    }
