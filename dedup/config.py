"""The knobs of a dedup run, gathered in one frozen dataclass."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from .errors import ConfigError

Shingler = Literal["word", "char"]
Keep = Literal["first", "longest"]
BoilerplateMode = Literal["keep", "drop"]


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, which containers and `taskset`
    narrow), at least 1."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Config:
    """Every setting of a run; the defaults are the ones the accuracy benchmark supports.

    A pair of paragraphs is a duplicate when their normalised texts are equal (the exact
    fast path), or when MinHash LSH proposes them and their shingle sets verify: Jaccard
    similarity at least ``threshold``, or overlap coefficient (the share of the smaller set
    found in the larger) at least ``containment``, which catches a copy with a clause added
    or its end cut off.
    """

    threshold: float = 0.7
    """Jaccard similarity of shingle sets that makes a verified duplicate."""
    containment: float = 0.85
    """Overlap coefficient that makes a verified duplicate; 1.0 effectively turns it off.
    An edited character breaks up to three character 3-grams, so a paragraph inside another
    with one edited character per 20 (what `clean` tolerates in a sentence kept elsewhere)
    keeps 1 - 3/20 = 0.85 of its shingles; at 0.9 a short fragment with one edit was lost."""
    lsh_threshold: float = 0.5
    """Similarity at which LSH starts proposing candidates; below ``threshold`` so that
    containment pairs, whose Jaccard is lower, still reach verification."""
    shingle: Shingler = "char"
    """``char``: character n-grams; ``word``: jieba word n-grams. Character 3-grams win the
    accuracy benchmark (edits inside a word break whole word shingles) and need no
    segmentation."""
    ngram: int = 3
    """Characters (or words) per shingle."""
    num_perm: int = 128
    """MinHash permutations per signature."""
    min_chars: int = 15
    """Paragraphs with fewer normalised characters take only the exact path."""
    seed: int = 1
    """Seed of the MinHash permutations; results are deterministic for a seed."""
    workers: int = field(default_factory=available_cpus)
    """Worker processes that read, normalise, shingle and sign chunks of files; results do
    not depend on it. By default the CPUs this process may use: on 2 cores, 2 workers scan
    the speed benchmark's corpora faster than 1 (benchmarks/results/speed-workers-*.md);
    a small input never starts them."""
    keep: Keep = "first"
    """Which copy `clean` keeps and a cluster is represented by: the ``first`` in path, then
    line order, or the ``longest`` (the most complete copy)."""
    boilerplate: BoilerplateMode = "keep"
    """``keep``: `clean` keeps one copy of boilerplate, like any repeat; ``drop``: every copy
    of boilerplate goes (headers and footers too)."""
    boilerplate_docs: int = 5
    """Documents a repeated line (or template line) must occur in, mostly at the top or
    bottom of the page, to be labelled boilerplate."""

    def __post_init__(self) -> None:
        for name in ("threshold", "containment", "lsh_threshold"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ConfigError(f"{name} must be in (0, 1], got {value!r}")
        if self.shingle not in ("word", "char"):
            raise ConfigError(f"shingle must be 'word' or 'char', got {self.shingle!r}")
        if self.ngram < 1:
            raise ConfigError(f"ngram must be at least 1, got {self.ngram!r}")
        if not 16 <= self.num_perm <= 1024:
            raise ConfigError(f"num_perm must be between 16 and 1024, got {self.num_perm!r}")
        if self.min_chars < 1:
            raise ConfigError(f"min_chars must be at least 1, got {self.min_chars!r}")
        if self.keep not in ("first", "longest"):
            raise ConfigError(f"keep must be 'first' or 'longest', got {self.keep!r}")
        if self.boilerplate not in ("keep", "drop"):
            raise ConfigError(f"boilerplate must be 'keep' or 'drop', got {self.boilerplate!r}")
        if self.boilerplate_docs < 2:
            raise ConfigError(f"boilerplate_docs must be at least 2, got {self.boilerplate_docs!r}")
        if self.workers < 1:
            raise ConfigError(f"workers must be at least 1, got {self.workers!r}")

    def as_dict(self) -> dict[str, Any]:
        """The settings as a plain dict, for the JSON report."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
