"""What a scan found: duplicate clusters, per-file facts and errors, as data, JSON and prose."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from .config import Config
from .io import SkippedFile, write_atomic

Scope = Literal["within", "across", "both"]


@dataclass(frozen=True)
class Member:
    """One occurrence of a repeated paragraph."""

    path: str
    line: int
    text: str
    similarity: float
    """Jaccard similarity of its shingles to the cluster's first member (1.0 if same key)."""
    exact: bool
    """Its comparison key equals the first member's."""
    dropped: bool = False
    """`clean` drops it: it is not the cluster's first member, and the first covers it (same
    key, Jaccard at least the threshold, or at least the containment share of its own
    shingles found in the first) or an earlier member has its very key. A later copy less
    alike than that, one that adds much text of its own or that joined the cluster only
    through other members, is kept."""
    dropped_within: bool = False
    """The same for `clean --within`, against the first member in its own document."""


@dataclass(frozen=True)
class DuplicateCluster:
    """Paragraphs that are copies of one another; the first (in path, line order) is kept."""

    id: int
    scope: Scope
    """``within`` one document, ``across`` documents (one copy each), or ``both``."""
    members: tuple[Member, ...]

    @property
    def first(self) -> Member:
        return self.members[0]

    def removable(self, within: bool = False) -> tuple[Member, ...]:
        """The members `clean` drops (see `Member.dropped`), or with ``within`` those it
        drops as repeats inside their own document."""
        return tuple(m for m in self.members if (m.dropped_within if within else m.dropped))


def _places(members: tuple[Member, ...], most: int = 4) -> str:
    """Where members stand, file by file: ``a.txt:1,4 b.txt:2`` (the first few files and
    lines of each)."""
    lines: dict[str, list[str]] = defaultdict(list)
    for member in members:
        lines[member.path].append(str(member.line))

    def numbers(found: list[str]) -> str:
        return ",".join(found[:most]) + (f",…(+{len(found) - most})" if len(found) > most else "")

    shown = [f"{path}:{numbers(found)}" for path, found in list(lines.items())[:most]]
    more = f" and {len(lines) - most} more file(s)" if len(lines) > most else ""
    return " ".join(shown) + more


@dataclass(frozen=True)
class FileInfo:
    """A file that was read: its detected encoding and how many paragraphs it has."""

    path: str
    encoding: str
    paragraphs: int
    row: int | None = None
    """1-based row of a row document (``path`` is then ``FILE#ROW``)."""
    id: str | None = None
    """Its id field, when one was asked for."""


@dataclass(frozen=True)
class Summary:
    """The numbers a person reads first."""

    files: int
    files_with_errors: int
    paragraphs: int
    clusters: int
    clusters_within: int
    clusters_across: int
    clusters_both: int
    duplicate_paragraphs: int
    """Paragraphs `clean` would remove (the members marked ``dropped``; `clean --within`
    removes those marked ``dropped_within``)."""
    characters_saved: int
    seconds: float


@dataclass(frozen=True)
class Report:
    """The result of `dedup.scan`."""

    summary: Summary
    clusters: tuple[DuplicateCluster, ...]
    files: tuple[FileInfo, ...]
    errors: tuple[SkippedFile, ...]
    config: Config
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each stage, in pipeline order."""

    def removals(self, within: bool = False) -> dict[str, set[int]]:
        """For each path, the line numbers `clean` drops."""
        lines: dict[str, set[int]] = defaultdict(set)
        for cluster in self.clusters:
            for member in cluster.removable(within):
                lines[member.path].add(member.line)
        return dict(lines)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data, the shape of the JSON file."""
        return {
            "summary": asdict(self.summary),
            "config": self.config.as_dict(),
            "timings": {stage: round(s, 4) for stage, s in self.timings.items()},
            "clusters": [
                {
                    "id": c.id,
                    "scope": c.scope,
                    "size": len(c.members),
                    "members": [asdict(m) for m in c.members],
                }
                for c in self.clusters
            ],
            "files": [
                {k: v for k, v in asdict(f).items() if v is not None or k not in ("row", "id")}
                for f in self.files
            ],
            "errors": [asdict(e) for e in self.errors],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    def write_json(self, path: Path) -> None:
        """Write the JSON report atomically."""
        write_atomic(Path(path), (self.to_json() + "\n").encode("utf-8"))

    def describe(self, examples: int = 3) -> str:
        """A short summary for people: the numbers, the largest clusters, the errors."""
        s = self.summary
        lines = [
            f"Scanned {s.files} file(s), {s.paragraphs} paragraph(s) in {s.seconds:.2f}s.",
            f"Found {s.clusters} cluster(s) of repeated paragraphs: {s.clusters_within} within "
            f"a document, {s.clusters_across} across documents, {s.clusters_both} both.",
            f"Removing repeats would drop {s.duplicate_paragraphs} paragraph(s), "
            f"{s.characters_saved} character(s).",
        ]
        largest = sorted(self.clusters, key=lambda c: (-len(c.members), c.id))[:examples]
        if largest:
            lines.append("Largest clusters:")
        for cluster in largest:
            text = cluster.first.text
            shown = text if len(text) <= 40 else text[:39] + "…"
            lines.append(f"  ×{len(cluster.members)} ({cluster.scope}) {shown}")
            lines.append(f"      at {_places(cluster.members)}")
        if self.errors:
            lines.append(f"{s.files_with_errors} file(s) could not be used:")
            lines.extend(f"  {e.path}: {e.reason}" for e in self.errors[:20])
            if len(self.errors) > 20:
                lines.append(f"  … and {len(self.errors) - 20} more (see the JSON report)")
        return "\n".join(lines)
