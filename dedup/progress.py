"""Progress bars, drawn by tqdm only when shown. A scan or clean that shows none (the
usual case when stderr is no terminal) never imports tqdm, which costs a few hundredths of
a second of start-up (its version lookup imports ``importlib.metadata``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar

Item = TypeVar("Item")


class Bar(Protocol):
    """What a stage does with a bar: count what is done, and close it."""

    def update(self, n: float | None = 1) -> bool | None: ...

    def close(self) -> None: ...


class _Hidden:
    """A bar that is not shown."""

    def update(self, n: float | None = 1) -> bool | None:
        return None

    def close(self) -> None:
        return None


def progress_bar(total: int | None, desc: str, unit: str, show: bool, leave: bool = True) -> Bar:
    """A bar to update by hand, shown only if ``show``."""
    if not show:
        return _Hidden()
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, leave=leave)


def with_progress(
    items: Iterable[Item], desc: str, unit: str, show: bool, leave: bool = True
) -> Iterator[Item]:
    """``items``, one by one, counted on a bar shown only if ``show``."""
    if not show:
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, desc=desc, unit=unit, leave=leave)
