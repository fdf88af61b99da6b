"""How a stage hands independent batches of work to whatever runs it.

A stage that has a pure function to apply to many batches (splitting texts into sentences,
say) takes a `Fan`: called with the function and the batches, it gives the results in the
batches' order. `in_process` runs them here, one after another; an executor may pass one
that runs them on its worker processes (`dedup.executors.local`), so that the main process
does other work meanwhile. Results never depend on which runs them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

Batch = TypeVar("Batch")
Result = TypeVar("Result")


class Fan(Protocol):
    """Apply ``function`` to each of ``batches``; the results, in order. The function and
    batches must pickle if it may run elsewhere; work may start before the first result
    is asked for."""

    def __call__(
        self, function: Callable[[Batch], Result], batches: Iterable[Batch], /
    ) -> Iterator[Result]: ...


def in_process(function: Callable[[Batch], Result], batches: Iterable[Batch]) -> Iterator[Result]:
    """The `Fan` of this process: each batch in turn, as it is asked for."""
    return map(function, batches)
