"""What a scan found: duplicate clusters, per-file facts and errors, as data, JSON and prose."""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import IO, Any, Literal

from tqdm import tqdm

from .config import Config
from .io import SkippedFile, open_atomic

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
    """Seconds spent in each stage, in pipeline order (``write_report`` is added when the
    JSON report is written)."""
    warnings: tuple[SkippedFile, ...] = ()
    """Files read, but not cleanly: with ``errors="replace"``, how many invalid bytes became
    U+FFFD."""

    def removals(self, within: bool = False) -> dict[str, set[int]]:
        """For each path, the line numbers `clean` drops."""
        lines: dict[str, set[int]] = defaultdict(set)
        for cluster in self.clusters:
            for member in cluster.removable(within):
                lines[member.path].add(member.line)
        return dict(lines)

    def to_dict(self, members: int | None = None) -> dict[str, Any]:
        """The report as plain data, the shape of the JSON file (see `json_chunks`)."""
        return dict(json.loads(self.to_json(members)))

    def json_chunks(self, members: int | None = None, progress: bool = False) -> Iterator[str]:
        """The JSON report, piece by piece (one cluster per line), so that it is written as
        it is made and never held whole. ``members`` caps the members listed per cluster
        (``size`` stays exact; ``members_omitted`` counts the rest). Clusters, members,
        files and errors are written field by field from their dataclasses, so a field
        added to them appears here too. ``timings`` comes last, with ``write_report``, the
        seconds spent making these chunks (also added to ``self.timings``)."""
        started = time.perf_counter()
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_plain).encode
        yield '{"summary":' + encode(asdict(self.summary))
        yield ',\n"config":' + encode(self.config.as_dict())
        yield ',\n"clusters":['
        bar = tqdm(
            self.clusters, desc="writing report", unit="cluster", disable=not progress, leave=False
        )
        for number, cluster in enumerate(bar):
            yield ("\n" if number == 0 else ",\n") + encode(_cluster_data(cluster, members))
        bar.close()
        yield '],\n"files":['
        yield ",\n".join(encode(_file_data(f)) for f in self.files)
        yield '],\n"errors":['
        yield ",\n".join(encode(_fields(e)) for e in self.errors)
        yield '],\n"warnings":[' + ",\n".join(encode(_fields(w)) for w in self.warnings)
        self.timings["write_report"] = time.perf_counter() - started
        timings = {stage: round(s, 4) for stage, s in self.timings.items()}
        yield '],\n"timings":' + encode(timings) + "}\n"

    def to_json(self, members: int | None = None) -> str:
        return "".join(self.json_chunks(members))

    def write_json(
        self,
        target: str | os.PathLike[str] | IO[bytes],
        *,
        members: int | None = None,
        progress: bool = False,
    ) -> None:
        """Write the JSON report as it is made: to a path atomically (a temporary file
        renamed into place), or to an open binary file such as ``sys.stdout.buffer``."""
        if isinstance(target, (str, os.PathLike)):
            with open_atomic(Path(target)) as handle:
                self.write_json(handle, members=members, progress=progress)
            return
        for chunk in self.json_chunks(members, progress):
            target.write(chunk.encode("utf-8"))
        target.flush()

    def describe(self, examples: int = 3, problems: bool = True) -> str:
        """A short summary for people: the numbers, the largest clusters, and (unless not
        ``problems``) the files that could not be used or were read with replacements."""
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
        if problems:
            lines.extend(self.problems())
        return "\n".join(lines)

    def problems(self, most: int = 20) -> list[str]:
        """Lines naming the files that could not be used, then the files read with
        replacement characters (the first ``most`` of each)."""
        lines = []
        for heading, found in (
            (f"{self.summary.files_with_errors} file(s) could not be used:", self.errors),
            (f"{len(self.warnings)} file(s) read with warnings:", self.warnings),
        ):
            if found:
                lines.append(heading)
                lines.extend(f"  {e.path}: {e.reason}" for e in found[:most])
                if len(found) > most:
                    lines.append(f"  … and {len(found) - most} more (see the JSON report)")
        return lines


def _plain(value: object) -> Any:
    """JSON for what ``json`` cannot write itself: dataclasses field by field, sets as
    sorted lists, paths as text, numpy scalars as numbers."""
    if is_dataclass(value) and not isinstance(value, type):
        return _fields(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(item: Any) -> dict[str, Any]:
    """A dataclass instance as a dict of its fields (one level; ``_plain`` does deeper
    ones), without ``asdict``'s deep copy."""
    names = _FIELDS.get(type(item))
    if names is None:
        names = _FIELDS[type(item)] = tuple(f.name for f in fields(item))
    return {name: getattr(item, name) for name in names}


def _file_data(info: FileInfo) -> dict[str, Any]:
    """A file as JSON data; ``row`` and ``id`` only for a row document."""
    data = _fields(info)
    if info.row is None:
        del data["row"], data["id"]
    return data


def _cluster_data(cluster: DuplicateCluster, members: int | None) -> dict[str, Any]:
    """A cluster as JSON data: its fields, ``size``, and its first ``members`` members."""
    data = _fields(cluster)
    listed = cluster.members if members is None else cluster.members[:members]
    data.pop("members")
    data["size"] = len(cluster.members)
    data["members"] = [_fields(m) for m in listed]
    if len(listed) < len(cluster.members):
        data["members_omitted"] = len(cluster.members) - len(listed)
    return data
