"""Accuracy of dedup on labelled real Chinese text, side by side with the naive pipeline.

    python -m benchmarks.accuracy            # defaults vs naive on seeds 1-3, and the sweep
    python -m benchmarks.accuracy --no-sweep # the comparison table only
    python -m benchmarks.accuracy --misses   # why each planted pair dedup misses is missed

For each corpus seed a labelled corpus is generated (benchmarks/corpus.py: real SIGHAN 2005
sentences, planted copies with eight kinds of noise, boilerplate lines), then scanned by
dedup with its defaults and by the naive pipeline in the same run, and scored by pairs
(benchmarks/scoring.py). The sweep varies one knob of ``dedup.Config`` at a time around
the defaults, on every seed, so the defaults are chosen by evidence. Results are printed
and written to ``benchmarks/results/accuracy.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` and `dedup` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jieba

import dedup
from benchmarks import corpus, scoring
from benchmarks.matching import similar
from benchmarks.naive import naive_clusters

RESULTS = Path(__file__).resolve().parent / "results" / "accuracy.md"
KINDS = ("exact", "script", "width", "space", "edit", "clause", "drop", "mixed", "copy-copy")


def real_lines() -> dict[str, str]:
    """Every line of the four SIGHAN 2005 files as its own text: real sentences, nothing
    planted. A non-exact match among them is at worst a false alarm (some are genuine
    reuse, such as a law amendment quoting the law), so fewer is safer."""
    texts = {}
    for name in ("as_test.utf8", "cityu_test.utf8", "msr_test.utf8", "pku_test.utf8"):
        text = (corpus.data_dir() / name).read_text(encoding="utf-8-sig")
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                texts[f"{name}:{number}"] = line.strip()
    return texts


def near_matches(config: dedup.Config, texts: dict[str, str]) -> int:
    """How many of ``texts`` dedup joins to a cluster other than by an exact key match."""
    report = dedup.scan(texts, config, progress=False)
    return sum(not m.exact for c in report.clusters for m in c.members)


@dataclasses.dataclass(frozen=True)
class Run:
    """One system on one corpus seed: its score and the seconds it took."""

    system: str
    seed: int
    score: scoring.Score
    seconds: float


def dedup_system(config: dedup.Config) -> Callable[[Path], list[list[tuple[str, int]]]]:
    """dedup.scan with ``config`` as a function from corpus folder to clusters."""

    def run(folder: Path) -> list[list[tuple[str, int]]]:
        report = dedup.scan(folder, config, progress=False)
        return scoring.clusters_from_report(report)

    return run


def measure(
    name: str,
    system: Callable[[Path], list[list[tuple[str, int]]]],
    corpora: dict[int, tuple[Path, corpus.Truth]],
) -> list[Run]:
    runs = []
    for seed, (folder, truth) in corpora.items():
        start = time.perf_counter()
        clusters = system(folder)
        seconds = time.perf_counter() - start
        runs.append(Run(name, seed, scoring.score(truth, clusters), seconds))
    return runs


def _mean(runs: Sequence[Run], get: Callable[[Run], float]) -> float:
    return statistics.fmean(get(r) for r in runs)


def comparison_table(runs: Sequence[Run]) -> str:
    """Markdown: one row per system and seed, then each system's mean over the seeds."""
    header = ["system", "seed", "P", "R", "F1", *KINDS, "within", "across", "boiler", "s"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]

    def row(system: str, seed: str, group: Sequence[Run]) -> str:
        kinds = [_mean(group, lambda r, k=k: r.score.recall_by_kind.get(k, 1.0)) for k in KINDS]
        cells = [
            _mean(group, lambda r: r.score.precision),
            _mean(group, lambda r: r.score.recall),
            _mean(group, lambda r: r.score.f1),
            *kinds,
            _mean(group, lambda r: r.score.recall_within),
            _mean(group, lambda r: r.score.recall_across),
        ]
        found = sum(r.score.boilerplate_found for r in group)
        total = sum(r.score.boilerplate_total for r in group)
        seconds = _mean(group, lambda r: r.seconds)
        return (
            "| "
            + " | ".join(
                [system, seed, *(f"{c:.3f}" for c in cells), f"{found}/{total}", f"{seconds:.2f}"]
            )
            + " |"
        )

    systems = list(dict.fromkeys(r.system for r in runs))
    for system in systems:
        for run in (r for r in runs if r.system == system):
            lines.append(row(system, str(run.seed), [run]))
    for system in systems:
        lines.append(row(f"**{system}**", "mean", [r for r in runs if r.system == system]))
    return "\n".join(lines)


def misses(
    folder: Path, truth: corpus.Truth, config: dedup.Config
) -> list[tuple[str, str, str, str]]:
    """(bucket, cause, text, text) of each planted body pair that dedup with ``config``
    leaves apart in ``folder``. The cause is found with the public API: the two lines
    scanned on their own are found together (so the corpus around them split them: the
    cluster model), or one is shorter than ``min_chars`` (exact matches only), or their
    shingles reach the threshold or containment but the record check keeps them apart
    (a distinct record), or they do not (noise beyond the thresholds, or no candidate)."""
    report = dedup.scan(folder, config, progress=False)
    component = {
        occurrence: number
        for number, group in enumerate(
            scoring.merge_overlapping(scoring.clusters_from_report(report))
        )
        for occurrence in group
    }
    lines: dict[str, list[str]] = {}

    def text(path: str, line: int) -> str:
        if path not in lines:
            lines[path] = (folder / path).read_text(encoding="utf-8").split("\n")
        return lines[path][line - 1].strip()

    found = []
    for cluster in truth.clusters:
        if cluster.kind in ("boilerplate", "template"):
            continue
        for x, y in itertools.combinations(cluster.members, 2):
            ox, oy = (x.path, x.line), (y.path, y.line)
            if ox in component and component[ox] == component.get(oy):
                continue
            if "original" in (x.kind, y.kind):
                bucket = y.kind if x.kind == "original" else x.kind
            else:
                bucket = scoring.COPY_COPY
            a, b = text(*ox), text(*oy)
            alone = dedup.scan({"a": a, "b": b}, config, progress=False)
            keys = dedup.normalise(a), dedup.normalise(b)
            if alone.clusters or alone.contained:
                cause = "split by the cluster model"
            elif min(map(len, keys)) < config.min_chars:
                cause = "shorter than min_chars"
            elif similar(a, b, config):
                cause = "kept apart as a distinct record"
            else:
                cause = "below threshold and containment"
            found.append((bucket, cause, a, b))
    return found


def misses_table(found: Sequence[tuple[str, str, str, str]], pairs: int) -> str:
    """Markdown: missed pairs by cause and bucket, then each with its two texts."""
    counts = Counter((cause, bucket) for bucket, cause, _, _ in found)
    lines = [
        f"{len(found)} of {pairs:,} planted pairs missed.\n",
        "| cause | bucket | pairs |",
        "|---|---|---|",
        *(f"| {cause} | {bucket} | {n} |" for (cause, bucket), n in sorted(counts.items())),
        "",
        "| bucket | cause | one | other |",
        "|---|---|---|---|",
        *(f"| {bucket} | {cause} | {a} | {b} |" for bucket, cause, a, b in sorted(found)),
    ]
    return "\n".join(lines)


def sweep_variants(base: dedup.Config) -> list[tuple[str, dedup.Config]]:
    """The defaults, then one knob changed at a time."""
    variants: list[tuple[str, dict[str, object]]] = [("defaults", {})]
    for shingle, ngram in (
        ("word", 1),
        ("word", 2),
        ("word", 3),
        ("char", 2),
        ("char", 3),
        ("char", 4),
        ("char", 5),
    ):
        variants.append((f"shingle={shingle}{ngram}", {"shingle": shingle, "ngram": ngram}))
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
        variants.append((f"threshold={threshold}", {"threshold": threshold}))
    for containment in (0.8, 0.85, 0.9, 0.95, 1.0):
        variants.append((f"containment={containment}", {"containment": containment}))
    for lsh in (0.3, 0.4, 0.5, 0.6, 0.7):
        variants.append((f"lsh_threshold={lsh}", {"lsh_threshold": lsh}))
    variants.append(
        ("shingle=word2 threshold=0.6", {"shingle": "word", "ngram": 2, "threshold": 0.6})
    )
    for min_chars in (5, 10, 15, 20, 25):
        variants.append((f"min_chars={min_chars}", {"min_chars": min_chars}))
    for num_perm in (64, 128, 256):
        variants.append((f"num_perm={num_perm}", {"num_perm": num_perm}))
    seen: set[dedup.Config] = set()
    chosen = []
    for name, change in variants:
        try:
            config = dataclasses.replace(base, **change)  # type: ignore[arg-type]
        except dedup.ConfigError:
            continue
        if config in seen and name != "defaults":
            name += " (=defaults)"
        seen.add(config)
        chosen.append((name, config))
    return chosen


def sweep_table(results: Sequence[tuple[str, list[Run], int]]) -> str:
    """Markdown: per variant, mean P/R/F1 over seeds, the worst seed's F1, the weakest kind,
    and the near matches it makes on unplanted real lines."""
    header = ["variant", "P", "R", "F1", "min F1", "weakest kind", "boiler", "real near", "s"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, runs, near in results:
        kinds = {k: _mean(runs, lambda r, k=k: r.score.recall_by_kind.get(k, 1.0)) for k in KINDS}
        weakest = min(kinds, key=lambda k: kinds[k])
        found = sum(r.score.boilerplate_found for r in runs)
        total = sum(r.score.boilerplate_total for r in runs)
        lines.append(
            f"| {name} | {_mean(runs, lambda r: r.score.precision):.4f} "
            f"| {_mean(runs, lambda r: r.score.recall):.4f} "
            f"| {_mean(runs, lambda r: r.score.f1):.4f} "
            f"| {min(r.score.f1 for r in runs):.4f} | {weakest} {kinds[weakest]:.3f} "
            f"| {found}/{total} | {near} | {_mean(runs, lambda r: r.seconds):.2f} |"
        )
    return "\n".join(lines)


def plot(results: Sequence[tuple[str, list[Run], int]], path: Path) -> bool:
    """A precision-recall scatter of the sweep, if matplotlib is installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, ax = plt.subplots(figsize=(7, 5))
    for name, runs, _ in results:
        r = _mean(runs, lambda x: x.score.recall)
        p = _mean(runs, lambda x: x.score.precision)
        ax.scatter(r, p)
        ax.annotate(name, (r, p), fontsize=6)
    ax.set_xlabel("recall (body pairs)")
    ax.set_ylabel("precision (body pairs)")
    ax.set_title("dedup sweep, mean over corpus seeds")
    fig.savefig(path, dpi=150, bbox_inches="tight")
    return True


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--docs", type=int, default=300, help="documents per corpus")
    parser.add_argument("--no-sweep", action="store_true", help="skip the sweep of knobs")
    parser.add_argument(
        "--misses", action="store_true", help="why each missed planted pair is missed"
    )
    parser.add_argument("--plot", type=Path, help="write a precision-recall plot (matplotlib)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="markdown results file")
    args = parser.parse_args(argv)

    jieba.setLogLevel(60)
    jieba.initialize()  # the naive pipeline's dictionary load is not per-corpus work
    dedup.normalise("预热")  # nor is building dedup's character table
    with tempfile.TemporaryDirectory() as tmp:
        corpora = {}
        for seed in args.seeds:
            folder = Path(tmp) / f"seed{seed}"
            corpora[seed] = (folder, corpus.generate(folder, seed, args.docs))
        defaults = dedup.Config()
        runs = measure("dedup (defaults)", dedup_system(defaults), corpora)
        runs += measure("naive", naive_clusters, corpora)
        sections = [
            f"## dedup vs naive ({args.docs} documents per seed)\n",
            comparison_table(runs),
        ]
        print(sections[0] + "\n" + sections[1] + "\n", flush=True)
        if args.misses:
            found = [
                m for folder, truth in corpora.values() for m in misses(folder, truth, defaults)
            ]
            pairs = sum(r.score.true_pairs for r in runs if r.system == "dedup (defaults)")
            sections += [
                f"\n## Planted pairs missed, seeds {args.seeds}\n",
                misses_table(found, pairs),
            ]
            print(sections[-2] + "\n" + sections[-1] + "\n", flush=True)
        if not args.no_sweep:
            texts = real_lines()
            results = [
                (name, measure(name, dedup_system(config), corpora), near_matches(config, texts))
                for name, config in sweep_variants(defaults)
            ]
            sweep = sweep_table(results)
            sections += [
                f"\n## Sweep: one knob at a time, seeds {args.seeds}\n\n"
                "`real near`: non-exact matches among the 21,850 unplanted SIGHAN lines "
                "(an upper bound on false alarms; some are genuine reuse).\n",
                sweep,
            ]
            print(sections[-2] + "\n" + sweep, flush=True)
            if args.plot and plot(results, args.plot):
                print(f"plot written to {args.plot}")
    command = "python -m benchmarks.accuracy " + " ".join(argv or sys.argv[1:])
    body = f"Produced by `{command.strip()}`.\n\n" + "\n".join(sections) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(body, encoding="utf-8")
    print(f"\nresults written to {args.out}")


if __name__ == "__main__":
    main()
