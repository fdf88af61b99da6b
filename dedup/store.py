"""The persistent index: signed files kept in SQLite, so that a later run signs only what is
new or changed.

``add`` signs the files of a corpus (one file per chunk, by ``stages.sign_chunk``) and keeps
each file's `stages.Signed` result with its size, mtime and SHA-256; a file whose size and
mtime, or else whose digest, are unchanged is not signed again. ``scan`` rebuilds the
`stages.Corpus` from the stored results and the freshly signed new files, in the order a
fresh listing of all of them gives, and runs the stages after signing: key ids are the rank
of a key's first position, so the clusters equal those of one scan of old and new together.

The store is one SQLite file in WAL mode; each add is one ``BEGIN IMMEDIATE`` transaction, so
a process killed mid-add leaves the index as the previous add left it. The signing settings
are kept with it, and an add or scan with other signing settings is refused. Stored results
are pickled: an index is trusted local data, like a cache, not a format to exchange.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path

from .config import Config
from .errors import ConfigError, InputError
from .formats import Fields, is_row_file, read_rows
from .io import (
    Selection,
    SkippedFile,
    check_decode_errors,
    input_root,
    list_inputs,
    relative_name,
)
from .report import FileInfo, Report
from .stages import Item, Signed, Stopwatch, Unread, no_gc

INDEX_FILE = "index.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sources (path BLOB PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (
    path BLOB PRIMARY KEY, name TEXT NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL, encoding TEXT, paragraphs INTEGER
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS signed (path BLOB PRIMARY KEY, result BLOB NOT NULL) WITHOUT ROWID;
"""

# The settings a signed result depends on: another value would sign differently.
_SIGNING = ("shingle", "ngram", "num_perm", "seed", "min_chars", "lsh_threshold")


def _signed_by() -> str:
    """The release that signs: another may key, shingle or sign differently, so an index
    made by one release is refused by another, which asks for it to be rebuilt."""
    try:
        return f"dedup {metadata.version('dedup')}"
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        return "dedup (not installed)"


@dataclass(frozen=True)
class Added:
    """What an add did: files listed, how many were signed (new or changed), how many were
    already indexed unchanged, the files that could not be listed, and how many indexed
    files under the paths given were dropped because they no longer exist."""

    files: int
    signed: int
    unchanged: int
    errors: tuple[SkippedFile, ...]
    dropped: int = 0


def _settings(config: Config, encoding: str | None, errors: str, fields: Fields) -> str:
    values = {name: getattr(config, name) for name in _SIGNING}
    values.update(encoding=encoding, errors=errors, text_field=fields.text, id_field=fields.id)
    values.update(signed_by=_signed_by())
    return json.dumps(values, sort_keys=True)


def _connect(index: Path, create: bool) -> sqlite3.Connection:
    database = index / INDEX_FILE
    if not create and not database.is_file():
        raise InputError(f"--index {index}: no index there; build one with `dedup index add`")
    if create:
        index.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(database, isolation_level=None, timeout=60)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.executescript(_SCHEMA)
    return connection


def _check_settings(connection: sqlite3.Connection, settings: str, index: Path) -> None:
    """Refuse settings other than the index's; an empty index takes these."""
    row = connection.execute("SELECT value FROM settings WHERE name = 'signing'").fetchone()
    if row is None:
        connection.execute("INSERT INTO settings VALUES ('signing', ?)", (settings,))
    elif row[0] != settings:
        stored, given = json.loads(row[0]), json.loads(settings)
        differ = ", ".join(
            f"{k}={given.get(k)!r} (index: {stored.get(k)!r})"
            for k in sorted(stored)
            if stored.get(k) != given.get(k)
        )
        raise ConfigError(
            f"--index {index}: signed with other settings: {differ}; use the index's settings "
            "or another --index folder"
        )


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
    (created if needed), in one transaction. ``on_signed`` is called with each file's name
    once its result is written (inside the transaction)."""
    check_decode_errors(errors)
    config = config or Config()
    fields = Fields(text_field, id_field)
    index = Path(index)
    listing = list_inputs([Path(p) for p in paths], select)
    with closing(_connect(index, create=True)) as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            _check_settings(connection, _settings(config, encoding, errors, fields), index)
            for p in paths:
                key = os.fsencode(os.path.abspath(p))
                connection.execute("INSERT OR IGNORE INTO sources VALUES (?)", (key,))
            todo: list[tuple[bytes, str, os.stat_result, str]] = []
            jobs: list[list[Item]] = []
            unchanged = 0
            for entry in listing.entries:
                if isinstance(entry, SkippedFile):
                    continue
                path = Path(os.path.abspath(listing.root / entry.relative))
                key = os.fsencode(path)
                stat = path.stat()
                row = connection.execute(
                    "SELECT size, mtime_ns, sha256 FROM files WHERE path = ?", (key,)
                ).fetchone()
                if row is not None and (row[0], row[1]) == (stat.st_size, stat.st_mtime_ns):
                    unchanged += 1
                    continue
                digest = _sha256(path)
                if row is not None and row[2] == digest:
                    connection.execute(
                        "UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
                        (stat.st_size, stat.st_mtime_ns, key),
                    )
                    unchanged += 1
                    continue
                todo.append((key, entry.name, stat, digest))
                jobs.append(_items(path, listing.root, entry.name, (encoding, errors, fields)))
            for (key, name, stat, digest), signed in zip(todo, _sign_files(jobs, config)):
                infos = [o for o in signed.outcomes if isinstance(o, FileInfo)]
                connection.execute(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        key,
                        name,
                        stat.st_size,
                        stat.st_mtime_ns,
                        digest,
                        infos[0].encoding if infos else None,
                        sum(i.paragraphs for i in infos),
                    ),
                )
                result = pickle.dumps(signed, protocol=pickle.HIGHEST_PROTOCOL)
                connection.execute("INSERT OR REPLACE INTO signed VALUES (?, ?)", (key, result))
                if on_signed is not None:
                    on_signed(name)
            dropped = _drop(connection, _gone(connection, [os.path.abspath(p) for p in paths]))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    errors_found = tuple(e for e in listing.entries if isinstance(e, SkippedFile))
    found = len(listing.entries) - len(errors_found)
    return Added(found, len(todo), unchanged, errors_found, dropped)


def _indexed_under(connection: sqlite3.Connection, targets: list[str]) -> list[bytes]:
    """The indexed files at or under ``targets`` (absolute paths)."""
    return [
        key
        for (key,) in connection.execute("SELECT path FROM files").fetchall()
        if any(_under(os.fsdecode(key), t) for t in targets)
    ]


def _gone(connection: sqlite3.Connection, targets: list[str]) -> list[bytes]:
    """The indexed files under ``targets`` that no longer exist."""
    return [k for k in _indexed_under(connection, targets) if not os.path.lexists(k)]


def _drop(connection: sqlite3.Connection, keys: list[bytes]) -> int:
    for key in keys:
        connection.execute("DELETE FROM files WHERE path = ?", (key,))
        connection.execute("DELETE FROM signed WHERE path = ?", (key,))
    return len(keys)


def remove(paths: Sequence[str | os.PathLike[str]], index: str | os.PathLike[str]) -> int:
    """Remove the indexed files at or under ``paths`` from the index; how many were."""
    targets = [os.path.abspath(p) for p in paths]
    index = Path(index)
    with closing(_connect(index, create=False)) as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            removed = _drop(connection, _indexed_under(connection, targets))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    return removed


def _under(path: str, target: str) -> bool:
    return path == target or path.startswith(target.rstrip(os.sep) + os.sep)


def _renamed(signed: Signed, old: str, new: str) -> Signed:
    """``signed`` with the file once named ``old`` (and its rows ``old#ROW``) named ``new``."""
    if old == new:
        return signed

    def rename(name: str) -> str:
        return new + name[len(old) :] if name == old or name.startswith(old + "#") else name

    signed.outcomes = [replace(o, path=rename(o.path)) for o in signed.outcomes]
    signed.warnings = [replace(w, path=rename(w.path)) for w in signed.warnings]
    return signed


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
    the folder holding the indexed sources and ``paths``."""
    from .executors.local import finish

    check_decode_errors(errors)
    config = config or Config()
    fields = Fields(text_field, id_field)
    index = Path(index)
    started = time.perf_counter()
    clock = Stopwatch()
    with closing(_connect(index, create=False)) as connection:
        _check_settings(connection, _settings(config, encoding, errors, fields), index)
        sources = [Path(os.fsdecode(k)) for (k,) in connection.execute("SELECT path FROM sources")]
        new_paths = [Path(p) for p in paths]
        root = input_root(sources + new_paths)
        with clock.stage("read"):
            listing = list_inputs(new_paths, select)
        fresh: dict[str, list[Item]] = {}
        for entry in listing.entries:
            if isinstance(entry, SkippedFile):
                # Named relative to the scan's root, as a fresh scan names it.
                name = relative_name(listing.root / entry.path, root)
                fresh[name] = [SkippedFile(name, entry.reason)]
                continue
            path = Path(os.path.abspath(listing.root / entry.relative))
            name = relative_name(path, root)
            fresh[name] = _items(path, root, name, (encoding, errors, fields))
        stored: dict[str, tuple[bytes, str]] = {}
        for key, old_name in connection.execute("SELECT path, name FROM files"):
            name = relative_name(Path(os.fsdecode(key)), root)
            if name not in fresh:
                stored[name] = (key, old_name)
        order = sorted([*fresh, *stored])
        signed_new = dict(zip(fresh, _sign_files(list(fresh.values()), config)))

        def parts() -> Iterator[Signed]:
            for name in order:
                if name in signed_new:
                    yield signed_new.pop(name)
                    continue
                key, old_name = stored[name]
                (result,) = connection.execute(
                    "SELECT result FROM signed WHERE path = ?", (key,)
                ).fetchone()
                yield _renamed(pickle.loads(result), old_name, name)

        with no_gc():
            return finish(parts(), len(order), config, progress, clock, started)
