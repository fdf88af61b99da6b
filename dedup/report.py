"""What a scan found: duplicate clusters, per-file facts and errors, as data, JSON and prose."""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import IO, Any, Literal

from .config import Config
from .io import SkippedFile, open_atomic
from .progress import with_progress

Scope = Literal["within", "across", "both"]
Kind = Literal["body", "boilerplate"]


@dataclass(frozen=True)
class Place:
    """Where a paragraph is: its file and 1-based line."""

    path: str
    line: int


@dataclass(frozen=True)
class Member:
    """One occurrence of a repeated paragraph."""

    path: str
    line: int
    text: str
    similarity: float
    """Jaccard similarity of its shingles to the cluster's representative (its first
    member); 1.0 if same key. In a boilerplate template cluster, 1.0: members share the
    template and differ only in its field."""
    exact: bool
    """Its comparison key equals the representative's."""
    dropped: bool = False
    """`clean` drops it: every sentence of it is kept elsewhere in the output (see
    `Report.removed`), or it is boilerplate and ``Config.boilerplate`` is ``drop``."""
    dropped_within: bool = False
    """The same for `clean --within`, where only lines of its own document count."""


@dataclass(frozen=True)
class DuplicateCluster:
    """A representative paragraph (the first member, the copy `clean` keeps) and the
    paragraphs verified as near copies of it (Jaccard similarity at least the threshold)
    or of a member, and within ``2 * threshold - 1`` of every member (`dedup.cluster`).
    Two members are never put together through a third that is far from either."""

    id: int
    scope: Scope
    """``within`` one document, ``across`` documents (one copy each), or ``both``."""
    members: tuple[Member, ...]
    kind: Kind = "body"
    """``boilerplate``: lines in at least ``Config.boilerplate_docs`` documents, mostly at
    the top or bottom of the page; ``body`` otherwise."""
    template: str | None = None
    """For boilerplate whose lines differ only in a field (a name, date, number or a title
    after a fixed prefix): the template, the field shown as ``…``."""

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
class Containment:
    """A paragraph found inside a longer one (not a near copy of it): a directed relation,
    reported as such and never merged into a cluster."""

    path: str
    line: int
    text: str
    contained_in: Place
    """The longer paragraph (its first occurrence) that holds this one."""
    share: float
    """Share of this paragraph's shingles found in the longer one."""


@dataclass(frozen=True)
class Removal:
    """A line `clean` (or `clean --within`) removes, and where what it says is kept."""

    path: str
    line: int
    text: str
    dropped: bool
    """Removed by `clean`."""
    dropped_within: bool
    """Removed by `clean --within`."""
    kept_at: tuple[Place, ...]
    """The kept lines that hold its sentences (by `clean`, or by `clean --within` if only
    that removes it); empty for boilerplate removed with ``--boilerplate drop``."""
    boilerplate: bool = False
    """Removed as boilerplate (``Config.boilerplate`` ``drop``): kept nowhere."""


@dataclass(frozen=True)
class DuplicateDocument:
    """A document every line of which `clean` removes: `clean` does not write it."""

    path: str
    duplicate_of: tuple[str, ...]
    """The documents that keep what it says (none if it held only dropped boilerplate)."""


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
    """Paragraphs `clean` would remove (the `Report.removed` lines marked ``dropped``;
    `clean --within` removes those marked ``dropped_within``)."""
    characters_saved: int
    seconds: float
    clusters_boilerplate: int = 0
    """Clusters of kind ``boilerplate`` (among ``clusters``)."""
    contained_paragraphs: int = 0
    """Paragraphs found inside a longer paragraph (`Report.contained`)."""
    duplicate_documents: int = 0
    """Documents `clean` would leave empty and does not write (`Report.duplicate_documents`)."""


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
    contained: tuple[Containment, ...] = ()
    """Paragraphs found inside a longer one that are not near copies of it."""
    removed: tuple[Removal, ...] = ()
    """Every line `clean` or `clean --within` removes, in path, line order."""
    duplicate_documents: tuple[DuplicateDocument, ...] = ()

    def removals(self, within: bool = False) -> dict[str, set[int]]:
        """For each path, the line numbers `clean` drops."""
        lines: dict[str, set[int]] = defaultdict(set)
        for removal in self.removed:
            if removal.dropped_within if within else removal.dropped:
                lines[removal.path].add(removal.line)
        return dict(lines)

    def to_dict(self, members: int | None = None) -> dict[str, Any]:
        """The report as plain data, the shape of the JSON file (see `json_chunks`)."""
        return dict(json.loads(self.to_json(members)))

    def json_chunks(self, members: int | None = None, progress: bool = False) -> Iterator[str]:
        """The JSON report, piece by piece (one cluster per line), so that it is written as
        it is made and never held whole. ``members`` caps the members listed per cluster
        (``size`` stays exact; ``members_omitted`` counts the rest). Clusters, members,
        containments, removals, duplicate documents, files and errors are written field by
        field from their dataclasses, so a field
        added to them appears here too. ``timings`` comes last, with ``write_report``, the
        seconds spent making these chunks (also added to ``self.timings``)."""
        started = time.perf_counter()
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_plain).encode
        yield '{"summary":' + encode(asdict(self.summary))
        yield ',\n"config":' + encode(self.config.as_dict())
        yield ',\n"clusters":['
        shown = with_progress(self.clusters, "writing report", "cluster", progress, leave=False)
        for number, cluster in enumerate(shown):
            yield ("\n" if number == 0 else ",\n") + encode(_cluster_data(cluster, members))
        parts: tuple[tuple[str, tuple[Any, ...]], ...] = (
            ("contained", self.contained),
            ("removed", self.removed),
            ("duplicate_documents", self.duplicate_documents),
            ("files", self.files),
            ("errors", self.errors),
        )
        for name, items in parts:
            yield "],\n" + json.dumps(name) + ":["
            data = _file_data if name == "files" else _fields
            yield ",\n".join(encode(data(item)) for item in items)
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
        if s.clusters_boilerplate:
            lines.append(f"{s.clusters_boilerplate} of the clusters are boilerplate.")
        if s.contained_paragraphs:
            lines.append(
                f"{s.contained_paragraphs} paragraph(s) are found inside longer ones "
                "(reported as contained, not clustered)."
            )
        if s.duplicate_documents:
            lines.append(
                f"{s.duplicate_documents} document(s) wholly repeat others; clean does not "
                "write them."
            )
        largest = sorted(self.clusters, key=lambda c: (-len(c.members), c.id))[:examples]
        if largest:
            lines.append("Largest clusters:")
        for cluster in largest:
            text = cluster.first.text
            shown = text if len(text) <= 40 else text[:39] + "…"
            label = cluster.scope + (", boilerplate" if cluster.kind == "boilerplate" else "")
            if cluster.template:
                shown = f"{cluster.template} (template)"
            lines.append(f"  ×{len(cluster.members)} ({label}) {shown}")
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


def _fields(item: Any) -> Mapping[str, Any]:
    """A dataclass instance's fields by name (one level; ``_plain`` does deeper ones),
    without ``asdict``'s deep copy, to be read only. A frozen dataclass's ``__init__`` sets
    its fields in order and nothing else, so its own attribute dict is that mapping when it
    holds as many entries as the class has fields: no dict is made per instance."""
    names = _FIELDS.get(type(item))
    if names is None:
        names = _FIELDS[type(item)] = tuple(f.name for f in fields(item))
    own = getattr(item, "__dict__", None)
    if own is not None and len(own) == len(names):
        return own
    return {name: getattr(item, name) for name in names}


def _file_data(info: FileInfo) -> dict[str, Any]:
    """A file as JSON data; ``row`` and ``id`` only for a row document."""
    data = dict(_fields(info))
    if info.row is None:
        del data["row"], data["id"]
    return data


def _cluster_data(cluster: DuplicateCluster, members: int | None) -> dict[str, Any]:
    """A cluster as JSON data: its fields, ``size``, and its first ``members`` members."""
    data = dict(_fields(cluster))
    listed = cluster.members if members is None else cluster.members[:members]
    data.pop("members")
    data["size"] = len(cluster.members)
    data["members"] = [_fields(m) for m in listed]
    if len(listed) < len(cluster.members):
        data["members_omitted"] = len(cluster.members) - len(listed)
    return data
