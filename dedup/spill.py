"""Holding what a scan must keep for the whole corpus on disk, not in memory.

The main process of a scan needs, for every paragraph, its text (for the report and the
cluster stage's sentence coverage) and, for every signed key, its string, shingles, LSH band
keys and fragment anchors (for the candidate stage and verification). Held as Python
strings and numpy arrays these grow with the corpus (about 20 bytes a character). A `Spill`
is an unnamed temporary file those go to, chunk by chunk as the workers return them, and
from which what a stage asks for is read back, a chunk's span at a time: memory then grows
with a batch and with the columns per paragraph, and the disk holds the corpus (about 12
bytes a character). Texts come back as they were scanned, whatever happens to the files.

The temporary file is made where `tempfile` makes them (``TMPDIR``), is never named (it
goes when the process exits, however it exits) and holds only what this process wrote.
"""

from __future__ import annotations

import ctypes
import tempfile
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import overload

import numpy as np


class Spill:
    """An append-only temporary file, read back by byte range."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="dedup-")  # noqa: SIM115 (lives with self)
        self.size = 0

    def write(self, data: bytes | memoryview) -> int:
        """Append ``data``; where it starts."""
        offset = self.size
        self._file.seek(offset)
        self._file.write(data)
        self.size += len(data)
        return offset

    def read(self, start: int, stop: int) -> bytes:
        """The bytes from ``start`` to ``stop``."""
        if stop <= start:
            return b""
        self._file.seek(start)
        return self._file.read(stop - start)

    def read_into(self, start: int, buffer: memoryview) -> None:
        """Fill ``buffer`` with the bytes from ``start`` on."""
        self._file.seek(start)
        if self._file.readinto(buffer) != len(buffer):
            raise EOFError("the spill file is shorter than what was written to it")

    def close(self) -> None:
        self._file.close()


class SpilledArrays:
    """Numpy blocks (one per chunk) kept in a `Spill`: where each starts, and its length."""

    def __init__(self, spill: Spill, dtype: type[np.generic]) -> None:
        self._spill = spill
        self._dtype = np.dtype(dtype)
        self._blocks: list[tuple[int, int]] = []

    def append(self, block: np.ndarray) -> None:
        data = np.ascontiguousarray(block, dtype=self._dtype)
        self._blocks.append((self._spill.write(data.data.cast("B")), len(data)))

    def __len__(self) -> int:
        return len(self._blocks)

    def raw(self, block: int, start: int, stop: int) -> bytes:
        """The bytes of items ``start`` to ``stop`` of one block."""
        offset, _ = self._blocks[block]
        size = self._dtype.itemsize
        return self._spill.read(offset + start * size, offset + stop * size)

    def span(self, block: int, start: int, stop: int) -> np.ndarray:
        """Items ``start`` to ``stop`` of one block."""
        return np.frombuffer(self.raw(block, start, stop), dtype=self._dtype)

    def __iter__(self) -> Iterator[np.ndarray]:
        for block, (_, count) in enumerate(self._blocks):
            yield self.span(block, 0, count)

    def gather(self, width: int = 1) -> np.ndarray:
        """Every block, one after the other, as one array read straight into its place
        (never twice in memory); ``width`` items to a row make it 2-D."""
        out = np.empty(sum(count for _, count in self._blocks), dtype=self._dtype)
        view, at = out.data.cast("B"), 0
        for offset, count in self._blocks:
            size = count * self._dtype.itemsize
            self._spill.read_into(offset, view[at : at + size])
            at += size
        return out.reshape(-1, width) if width > 1 else out


class SpilledStrings(Sequence[str]):
    """Strings kept in a `Spill` as UTF-8, read back by index: the keys of the rows, of
    which verification and the cluster stage look at a few."""

    def __init__(self, spill: Spill) -> None:
        self._spill = spill
        self._starts: list[int] = []  # byte offset of each appended batch
        self._ends: list[np.ndarray] = []  # byte ends of its strings, within the batch
        self._index: tuple[np.ndarray, np.ndarray] | None = None
        self._count = 0

    def extend(self, strings: list[str]) -> None:
        """Append ``strings``, in order."""
        if not strings:
            return
        encoded = [s.encode("utf-8", "surrogatepass") for s in strings]
        ends = np.cumsum(np.fromiter(map(len, encoded), np.int64, len(encoded)))
        self._starts.append(self._spill.write(b"".join(encoded)))
        self._ends.append(ends)
        self._count += len(strings)
        self._index = None

    def __len__(self) -> int:
        return self._count

    def _bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """The file offsets where each string starts and ends."""
        if self._index is None:
            starts, ends = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
            for base, batch in zip(self._starts, self._ends):
                ends.append(batch + base)
                starts.append(np.concatenate(([0], batch[:-1])) + base)
            self._index = np.concatenate(starts), np.concatenate(ends)
        return self._index

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return self.take(np.arange(self._count)[index])
        starts, ends = self._bounds()
        if not -self._count <= index < self._count:
            raise IndexError(index)
        a, b = int(starts[index]), int(ends[index])
        return self._spill.read(a, b).decode("utf-8", "surrogatepass")

    def take(self, rows: np.ndarray) -> list[str]:
        """The strings of ``rows`` (in that order), read a batch's span at a time."""
        rows = np.asarray(rows, dtype=np.int64)
        found: list[str] = [""] * len(rows)
        if not len(rows):
            return found
        starts, ends = self._bounds()
        sizes = np.fromiter(map(len, self._ends), np.int64, len(self._ends))
        batch_of = np.searchsorted(np.cumsum(sizes), rows, side="right")
        order = np.argsort(batch_of, kind="stable")
        cuts = np.flatnonzero(np.diff(batch_of[order])) + 1
        for at in np.split(order, cuts):
            picked = rows[at]
            base = int(starts[picked].min())
            data = self._spill.read(base, int(ends[picked].max()))
            for i, a, b in zip(
                at.tolist(), (starts[picked] - base).tolist(), (ends[picked] - base).tolist()
            ):
                found[i] = data[a:b].decode("utf-8", "surrogatepass")
        return found


def take(strings: Sequence[str], rows: np.ndarray) -> list[str]:
    """``[strings[i] for i in rows]``, in bulk when the strings are spilled."""
    if isinstance(strings, SpilledStrings):
        return strings.take(rows)
    return [strings[i] for i in np.asarray(rows).tolist()]


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None


def release_freed_memory() -> None:
    """Give the pages of memory freed so far back to the system, where the C library
    allows it (glibc). A stage's numpy temporaries below glibc's mmap threshold (which
    rises to the largest array freed, up to 32 MiB) are freed into the heap, which keeps
    their pages: the next stage's peak then counts them again. Called between stages, a
    few times a scan; elsewhere it does nothing."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
