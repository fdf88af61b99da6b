"""Score a predicted clustering of lines against a generated corpus's ``truth.json``.

Body quality is pair-counting precision/recall/F1: a true pair is two occurrences in the same
body truth cluster; a predicted pair is two body occurrences in the same predicted cluster. Lines
absent from the truth are unique body paragraphs. Pairs of a body line with a boilerplate line
are false positives too; boilerplate-boilerplate pairs are scored separately (cluster found or
not), and template lines (``原标题：…``, see ``corpus.TEMPLATE``) are ignored everywhere.

Pairs are counted combinatorially per group, never enumerated, so huge clusters are cheap.
Overlapping predicted clusters are merged first (a clustering is treated as a partition).
Empty denominators score 1.0 (nothing to find, or nothing wrongly claimed).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

from benchmarks.corpus import Truth, load_truth

Occurrence = tuple[str, int]
"""(path relative to the corpus folder, '/'-separated; 1-based line number)."""

COPY_COPY = "copy-copy"
"""``recall_by_kind`` bucket for pairs of two copies of the same original."""


@dataclass(frozen=True)
class Score:
    """Pair metrics for body paragraphs plus boilerplate clusters found."""

    precision: float
    recall: float
    f1: float
    recall_by_kind: dict[str, float]
    recall_within: float
    recall_across: float
    boilerplate_found: int
    boilerplate_total: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    body_boilerplate_pairs: int

    def as_row(self) -> dict[str, float | int]:
        """Flat dict for tables/JSON: main metrics, ``recall_<kind>`` columns, pair counts."""
        row: dict[str, float | int] = {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "recall_within": round(self.recall_within, 4),
            "recall_across": round(self.recall_across, 4),
        }
        for kind, value in sorted(self.recall_by_kind.items()):
            row[f"recall_{kind}"] = round(value, 4)
        row["boilerplate_found"] = self.boilerplate_found
        row["boilerplate_total"] = self.boilerplate_total
        row["true_pairs"] = self.true_pairs
        row["predicted_pairs"] = self.predicted_pairs
        row["correct_pairs"] = self.correct_pairs
        row["body_boilerplate_pairs"] = self.body_boilerplate_pairs
        return row

    def summary(self) -> str:
        """Two human-readable lines: headline metrics, then recall per noise kind."""
        kinds = "  ".join(f"{k} {v:.3f}" for k, v in sorted(self.recall_by_kind.items()))
        return (
            f"P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"within {self.recall_within:.3f}  across {self.recall_across:.3f}  "
            f"boilerplate {self.boilerplate_found}/{self.boilerplate_total}\n"
            f"recall by kind: {kinds}"
        )


# --------------------------------------------------------------------------- adapters


_REQUIRED = object()


def _field(obj: Any, name: str, default: Any = _REQUIRED) -> Any:
    """``obj[name]`` for mappings, else ``getattr(obj, name)``; ``default`` if given and
    there is no such field."""
    if default is not _REQUIRED:
        return obj.get(name, default) if isinstance(obj, Mapping) else getattr(obj, name, default)
    return obj[name] if isinstance(obj, Mapping) else getattr(obj, name)


def normalize_path(path: str | PurePath, root: Path | None = None) -> str:
    """'/'-separated path, relative to ``root`` when given and the path lies under it."""
    p = PurePath(path)
    if root is not None:
        for base in (Path(root), Path(root).resolve()):
            try:
                p = p.relative_to(base)
                break
            except ValueError:
                continue
    text = p.as_posix()
    return str(PurePosixPath(text[2:] if text.startswith("./") else text))


def clusters_from_report(report: Any, root: Path | None = None) -> list[list[Occurrence]]:
    """Predicted clusters from a report: a JSON dict or the library's ``Report`` object.

    Accepts ``{"clusters": [{"members": [{"path", "line", ...}]}]}`` or objects with
    ``.clusters[i].members[j].path/.line``. Paths are made relative to ``root`` if given.
    A paragraph reported inside another (``contained``: a copy with a clause added contains
    the original) is a predicted pair with it too.
    """
    clusters = [
        [
            (normalize_path(_field(m, "path"), root), int(_field(m, "line")))
            for m in _field(c, "members")
        ]
        for c in _field(report, "clusters")
    ]
    for c in _field(report, "contained", []):
        outer = _field(c, "contained_in")
        clusters.append(
            [
                (normalize_path(_field(c, "path"), root), int(_field(c, "line"))),
                (normalize_path(_field(outer, "path"), root), int(_field(outer, "line"))),
            ]
        )
    return clusters


def truth_clusters(truth: Truth) -> list[list[Occurrence]]:
    """The truth's clusters in prediction form (a perfect prediction)."""
    return [[(m.path, m.line) for m in c.members] for c in truth.clusters]


def merge_overlapping(clusters: Iterable[Iterable[Occurrence]]) -> list[list[Occurrence]]:
    """Deduplicate members and merge clusters that share an occurrence (union-find)."""
    parent: dict[Occurrence, Occurrence] = {}

    def find(x: Occurrence) -> Occurrence:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for cluster in clusters:
        members = list(cluster)
        for occ in members:
            parent.setdefault(occ, occ)
        for occ in members[1:]:
            a, b = find(members[0]), find(occ)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[Occurrence, list[Occurrence]] = defaultdict(list)
    for occ in sorted(parent):
        groups[find(occ)].append(occ)
    return [groups[k] for k in sorted(groups)]


# --------------------------------------------------------------------------- scoring


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _bucket_pairs(kind_counts: Mapping[str, int]) -> Counter[str]:
    """Pairs inside one cluster by bucket: original-copy pairs under the copy's kind,
    copy-copy pairs under ``COPY_COPY`` (original-original, never generated, under ``original``).
    """
    out: Counter[str] = Counter()
    originals = kind_counts.get("original", 0)
    copies = 0
    for kind, n in kind_counts.items():
        if kind != "original":
            out[kind] += originals * n
            copies += n
    out[COPY_COPY] += _pairs(copies)
    out["original"] += _pairs(originals)
    return +out


def _within_pairs(path_counts: Mapping[str, int]) -> int:
    return sum(_pairs(n) for n in path_counts.values())


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def _as_truth(truth: Truth | Mapping[str, Any] | Path | str) -> Truth:
    if isinstance(truth, Truth):
        return truth
    if isinstance(truth, Mapping):
        return Truth.from_dict(dict(truth))
    return load_truth(Path(truth))


def score(
    truth: Truth | Mapping[str, Any] | Path | str,
    predicted: Iterable[Iterable[Occurrence]],
) -> Score:
    """Score predicted clusters (lists of (path, line)) against the truth.

    ``truth`` may be a ``Truth``, the parsed ``truth.json`` dict, or a path to it / its folder.
    """
    truth = _as_truth(truth)
    body: dict[Occurrence, tuple[int, str]] = {}  # occurrence -> (body cluster id, member kind)
    boiler: dict[Occurrence, int] = {}
    ignored: set[Occurrence] = set()
    boiler_sizes: list[int] = []
    total_buckets: Counter[str] = Counter()
    total_pairs = total_within = 0
    for cid, cluster in enumerate(truth.clusters):
        occs = [(m.path, m.line) for m in cluster.members]
        if cluster.kind == "template":
            ignored.update(occs)
        elif cluster.kind == "boilerplate":
            for occ in occs:
                boiler[occ] = len(boiler_sizes)
            boiler_sizes.append(len(set(occs)))
        else:
            for m in cluster.members:
                body[(m.path, m.line)] = (cid, m.kind)
            total_buckets += _bucket_pairs(Counter(m.kind for m in cluster.members))
            total_pairs += _pairs(len(cluster.members))
            total_within += _within_pairs(Counter(m.path for m in cluster.members))

    found_buckets: Counter[str] = Counter()
    correct = predicted_pairs = found_within = body_boiler = 0
    best_boiler = [0] * len(boiler_sizes)
    for cluster in merge_overlapping(predicted):
        kinds: dict[int, Counter[str]] = defaultdict(Counter)
        paths: dict[int, Counter[str]] = defaultdict(Counter)
        n_body = n_boiler = 0
        boiler_hits: Counter[int] = Counter()
        for occ in cluster:
            if occ in ignored:
                continue
            if occ in boiler:
                n_boiler += 1
                boiler_hits[boiler[occ]] += 1
                continue
            n_body += 1
            if occ in body:
                cid, kind = body[occ]
                kinds[cid][kind] += 1
                paths[cid][occ[0]] += 1
        body_boiler += n_body * n_boiler
        predicted_pairs += _pairs(n_body) + n_body * n_boiler
        for cid, counts in kinds.items():
            correct += _pairs(sum(counts.values()))
            found_buckets += _bucket_pairs(counts)
            found_within += _within_pairs(paths[cid])
        if n_body == 0:
            for bid, hits in boiler_hits.items():
                best_boiler[bid] = max(best_boiler[bid], hits)

    precision = _ratio(correct, predicted_pairs)
    recall = _ratio(correct, total_pairs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(
        precision=precision,
        recall=recall,
        f1=f1,
        recall_by_kind={k: found_buckets[k] / n for k, n in sorted(total_buckets.items())},
        recall_within=_ratio(found_within, total_within),
        recall_across=_ratio(correct - found_within, total_pairs - total_within),
        boilerplate_found=sum(
            1 for hits, size in zip(best_boiler, boiler_sizes, strict=True) if hits * 10 >= size * 9
        ),
        boilerplate_total=len(boiler_sizes),
        true_pairs=total_pairs,
        predicted_pairs=predicted_pairs,
        correct_pairs=correct,
        body_boilerplate_pairs=body_boiler,
    )


def main(argv: Sequence[str] | None = None) -> None:
    """CLI: ``python -m benchmarks.scoring CORPUS_DIR REPORT.json`` prints the score."""
    parser = argparse.ArgumentParser(description="Score a dedup JSON report against truth.json")
    parser.add_argument("corpus", type=Path, help="corpus folder (or its truth.json)")
    parser.add_argument("report", type=Path, help="JSON report with clusters/members/path/line")
    parser.add_argument("--json", action="store_true", help="print the row as JSON")
    args = parser.parse_args(argv)
    root = args.corpus if args.corpus.is_dir() else args.corpus.parent
    report = json.loads(args.report.read_text(encoding="utf-8"))
    result = score(args.corpus, clusters_from_report(report, root=root))
    print(json.dumps(result.as_row(), ensure_ascii=False) if args.json else result.summary())


if __name__ == "__main__":
    main()
