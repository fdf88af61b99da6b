"""Sorted runs of ``(value, key)`` rows kept as numpy columns in one SQLite table, LSM-style:
the persistent index's band rows and fragment anchors (`dedup.store`).

An add writes the rows of its own new keys as one new *segment* (one SQLite row whose
columns are little-endian BLOBs), so what it writes follows what it adds, not what is
indexed, and a row costs its 12 bytes rather than a B-tree entry. A lookup reads every
segment of a kind and searches each (``np.searchsorted``). Segments are merged size-tiered
when one is written: a segment holding no more than ``MERGE_RATIO`` times the rows of all
newer ones together is merged with them, so each segment is more than that times larger
than all newer ones and their number stays logarithmic in the rows (a row is merged again
only when the rows after it have grown by that much). Everything happens on
the caller's connection, inside its transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import InputError

TABLE = "segments"
COLUMNS = (
    "segment INTEGER PRIMARY KEY, kind TEXT NOT NULL, rows INTEGER NOT NULL, "
    "starts BLOB NOT NULL, value BLOB NOT NULL, key BLOB NOT NULL"
)
"""One row per segment: ``kind`` (``bands`` or ``anchors``), ``rows``, ``starts`` (``<i8``,
where each part begins in the other two, and the end: a part per band; anchors have one),
``value`` (``<u8``, sorted within each part, then by key) and ``key`` (``<u4``: the
``keys.key`` holding each value)."""

MERGE_RATIO = 2
"""A segment holding at most this many times the rows of all newer ones is merged with
them."""

_LARGEST_KEY = 2**32 - 1


@dataclass(frozen=True)
class Run:
    """Rows of one kind split in parts (a band each, or one part): in each part, values
    sorted (then keys), with the key holding each."""

    starts: np.ndarray
    values: np.ndarray
    keys: np.ndarray

    @property
    def rows(self) -> int:
        return len(self.values)

    @property
    def parts(self) -> int:
        return len(self.starts) - 1

    def part(self, at: int) -> tuple[np.ndarray, np.ndarray]:
        """The values and keys of part ``at``."""
        begin, end = int(self.starts[at]), int(self.starts[at + 1])
        return self.values[begin:end], self.keys[begin:end]

    def part_of_rows(self) -> np.ndarray:
        """The part of each row."""
        return np.repeat(np.arange(self.parts, dtype=np.int64), np.diff(self.starts))


def make_run(parts: int, part: np.ndarray, values: np.ndarray, keys: np.ndarray) -> Run:
    """A run of rows given in any order: ``part`` (< ``parts``), value (uint64) and key of
    each."""
    values = np.asarray(values, np.uint64)
    keys = np.asarray(keys, np.int64)
    order = np.lexsort((keys, values, part))
    starts = np.searchsorted(np.asarray(part)[order], np.arange(parts + 1)).astype(np.int64)
    return Run(starts, values[order], keys[order])


def merged(runs: Sequence[Run], parts: int) -> Run:
    """The rows of ``runs`` as one run."""
    if len(runs) == 1:
        return runs[0]
    return make_run(
        parts,
        np.concatenate([np.zeros(0, np.int64), *(r.part_of_rows() for r in runs)]),
        np.concatenate([np.zeros(0, np.uint64), *(r.values for r in runs)]),
        np.concatenate([np.zeros(0, np.int64), *(r.keys for r in runs)]),
    )


def _decode(starts: bytes, values: bytes, keys: bytes) -> Run:
    # Read-only views of the BLOBs where the machine's order is little-endian (no copy).
    return Run(
        np.frombuffer(starts, "<i8").astype(np.int64, copy=False),
        np.frombuffer(values, "<u8").astype(np.uint64, copy=False),
        np.frombuffer(keys, "<u4").astype(np.int64),
    )


def read(connection: sqlite3.Connection, kind: str) -> list[Run]:
    """Every segment of ``kind``, oldest first."""
    return [
        _decode(*row)
        for row in connection.execute(
            f"SELECT starts, value, key FROM {TABLE} WHERE kind = ? ORDER BY segment", (kind,)
        )
    ]


def count(connection: sqlite3.Connection, kind: str) -> int:
    """How many segments of ``kind`` there are."""
    (n,) = connection.execute(f"SELECT count(*) FROM {TABLE} WHERE kind = ?", (kind,)).fetchone()
    return int(n)


def _insert(connection: sqlite3.Connection, kind: str, run: Run) -> None:
    if run.rows and int(run.keys.max()) > _LARGEST_KEY:
        raise InputError(
            f"index: key id {int(run.keys.max())} does not fit the index's 32-bit key "
            "columns; split the corpus over several --index folders"
        )
    connection.execute(
        f"INSERT INTO {TABLE} (kind, rows, starts, value, key) VALUES (?, ?, ?, ?, ?)",
        (
            kind,
            run.rows,
            run.starts.astype("<i8").tobytes(),
            run.values.astype("<u8").tobytes(),
            run.keys.astype("<u4").tobytes(),
        ),
    )


def write(connection: sqlite3.Connection, kind: str, run: Run) -> None:
    """Store ``run`` as the newest segment of ``kind`` (nothing if it is empty), then merge
    the newest segments as the size tiers ask."""
    if not run.rows:
        return
    _insert(connection, kind, run)
    sizes = connection.execute(
        f"SELECT segment, rows FROM {TABLE} WHERE kind = ? ORDER BY segment", (kind,)
    ).fetchall()
    at, newer = len(sizes) - 1, 0
    for i in range(len(sizes) - 2, -1, -1):  # the oldest not much larger than all newer
        newer += sizes[i + 1][1]
        if sizes[i][1] <= MERGE_RATIO * newer:
            at = i
    chosen = [segment for segment, _ in sizes[at:]]
    if len(chosen) < 2:
        return
    runs = [
        _decode(*row)
        for row in connection.execute(
            f"SELECT starts, value, key FROM {TABLE} WHERE kind = ? AND segment >= ? "
            "ORDER BY segment",
            (kind, chosen[0]),
        )
    ]
    connection.execute(f"DELETE FROM {TABLE} WHERE kind = ? AND segment >= ?", (kind, chosen[0]))
    _insert(connection, kind, merged(runs, run.parts))


def drop_keys(connection: sqlite3.Connection, kind: str, keys: np.ndarray) -> None:
    """Remove the rows of ``keys`` from the segments of ``kind``: a segment holding any is
    written again without them (in place: its age is kept)."""
    rows = connection.execute(
        f"SELECT segment, starts, value, key FROM {TABLE} WHERE kind = ?", (kind,)
    ).fetchall()
    for segment, *columns in rows:
        run = _decode(*columns)
        gone = np.isin(run.keys, keys)
        if not gone.any():
            continue
        kept = make_run(run.parts, run.part_of_rows()[~gone], run.values[~gone], run.keys[~gone])
        connection.execute(
            f"UPDATE {TABLE} SET rows = ?, starts = ?, value = ?, key = ? WHERE segment = ?",
            (
                kept.rows,
                kept.starts.astype("<i8").tobytes(),
                kept.values.astype("<u8").tobytes(),
                kept.keys.astype("<u4").tobytes(),
                segment,
            ),
        )


def lookup(runs: Sequence[Run], at: int, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows of part ``at`` of ``runs`` whose value is one of ``wanted``: their values
    and keys (every row of a value found, from every run)."""
    wanted = np.asarray(wanted, np.uint64)
    values, keys = [np.zeros(0, np.uint64)], [np.zeros(0, np.int64)]
    for run in runs:
        column, holders = run.part(at)
        begin = np.searchsorted(column, wanted, "left")
        end = np.searchsorted(column, wanted, "right")
        hit = end > begin
        lengths = end[hit] - begin[hit]
        rows = np.repeat(begin[hit] - np.cumsum(lengths) + lengths, lengths) + np.arange(
            int(lengths.sum())
        )
        values.append(column[rows])
        keys.append(holders[rows])
    return np.concatenate(values), np.concatenate(keys)
