"""The segmented band and anchor rows of the index (`dedup.segments`) on a real SQLite file:
runs are sorted, lookups find every row of a value in every segment, writes merge size-tiered
so the number of segments stays logarithmic, and dropping keys rewrites only what held them."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import numpy as np

from dedup import segments


def _connection(tmp_path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(tmp_path / "s.sqlite", isolation_level=None)
    connection.execute(f"CREATE TABLE {segments.TABLE} ({segments.COLUMNS})")
    return connection


def _run(rng: np.random.Generator, keys: np.ndarray, parts: int = 3) -> segments.Run:
    """``parts`` values of each key, drawn from few values so that buckets are shared."""
    values = rng.integers(0, 40, (len(keys), parts)).astype(np.uint64) << np.uint64(58)
    part = np.tile(np.arange(parts), len(keys))
    return segments.make_run(parts, part, values.ravel(), np.repeat(keys, parts))


def _rows(run: segments.Run) -> set[tuple[int, int, int]]:
    return set(zip(run.part_of_rows().tolist(), run.values.tolist(), run.keys.tolist()))


def test_a_run_is_sorted_within_each_part() -> None:
    run = _run(np.random.default_rng(1), np.arange(50, 0, -1))
    assert run.rows == 150 and run.parts == 3
    for at in range(3):
        values, keys = run.part(at)
        assert len(values) == 50
        pairs = list(zip(values.tolist(), keys.tolist()))
        assert pairs == sorted(pairs)


def test_many_writes_keep_few_segments_and_every_row(tmp_path: Path) -> None:
    connection = _connection(tmp_path)
    rng = np.random.default_rng(2)
    written: set[tuple[int, int, int]] = set()
    sizes = [int(n) for n in rng.integers(1, 30, 60)]
    start = 1
    for n in sizes:
        run = _run(rng, np.arange(start, start + n))
        start += n
        written |= _rows(run)
        segments.write(connection, "bands", run)
        stored = segments.read(connection, "bands")
        rows = [r.rows for r in stored]
        # Each segment holds more than MERGE_RATIO times all newer ones together.
        assert all(
            rows[i] > segments.MERGE_RATIO * sum(rows[i + 1 :]) for i in range(len(rows) - 1)
        )
    stored = segments.read(connection, "bands")
    assert len(stored) <= math.log(3 * sum(sizes), segments.MERGE_RATIO + 1) + 1
    assert 1 < len(stored) < len(sizes)
    assert set().union(*map(_rows, stored)) == written
    assert sum(r.rows for r in stored) == len(written)
    assert segments.count(connection, "bands") == len(stored)
    assert segments.count(connection, "anchors") == 0


def test_lookup_finds_every_row_of_a_value_in_every_segment(tmp_path: Path) -> None:
    connection = _connection(tmp_path)
    rng = np.random.default_rng(3)
    for first in (1, 200, 230):  # 199, then 30 keys: two segments stay apart
        segments.write(connection, "bands", _run(rng, np.arange(first, first + 30)))
    runs = segments.read(connection, "bands")
    every = set().union(*map(_rows, runs))
    wanted = np.array([0, 5 << 58, 7 << 58, 39 << 58, 12345], np.uint64)
    for at in range(3):
        values, keys = segments.lookup(runs, at, wanted)
        expected = {(v, k) for p, v, k in every if p == at and v in wanted.tolist()}
        assert set(zip(values.tolist(), keys.tolist())) == expected
        assert len(values) == len(expected) > 0


def test_dropping_keys_rewrites_only_the_segments_holding_them(tmp_path: Path) -> None:
    connection = _connection(tmp_path)
    rng = np.random.default_rng(4)
    segments.write(connection, "anchors", _run(rng, np.arange(1, 101), parts=1))
    segments.write(connection, "anchors", _run(rng, np.arange(101, 111), parts=1))
    before = connection.execute("SELECT segment, value FROM segments ORDER BY segment").fetchall()
    assert len(before) == 2
    segments.drop_keys(connection, "anchors", np.array([3, 50, 99], np.int64))
    after = connection.execute("SELECT segment, value FROM segments ORDER BY segment").fetchall()
    assert [s for s, _ in after] == [s for s, _ in before]
    assert after[1] == before[1] and after[0] != before[0]
    kept = segments.read(connection, "anchors")
    assert sorted(set(kept[0].keys.tolist())) == sorted(set(range(1, 101)) - {3, 50, 99})
    assert kept[0].rows == 97
