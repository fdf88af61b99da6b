"""Scale benchmark: time and peak memory of the local engine from 10 to 100 M characters.

Run from the repository root (the corpora are generated in a temporary folder; about ten
minutes on 2 cores, most of it the 100 M run)::

    DEDUP_SHARED=/work/shared python benchmarks/scale.py  # 10, 30, 100 M, one file, add, Spark
    python benchmarks/scale.py --sizes 10 30 --file 0 --no-spark    # a quicker look
    python benchmarks/scale.py --sizes --file 0 --incremental 0     # Spark vs local alone, 7 M
    python benchmarks/scale.py --sizes --file 0 --incremental 0 --no-spark --spark-index  # index

The corpora are ``benchmarks/speed.py``'s: real SIGHAN sentences recombined into paragraphs,
copies with noise, boilerplate, and hard negatives (paragraphs that share real sentences
without being copies, so that many candidates must be verified and rejected). Each scan
runs with the default settings (2 workers) in a child process of its own, so that its
peak RSS (``ru_maxrss``, of the main process and of the largest worker) is its own and
start-up is timed. Also measured: one file of 20 M characters (the 20 M corpus's documents
one after the other, a paragraph per line) and the same text as a single line.

Where pyspark (``pip install -e ".[spark]"``) and Java 17 or 21 are there (or with
``--spark``, which fails without them; ``--no-spark`` leaves it out), the Spark engine
on ``local[2]`` against the local engine on 7 M characters, its session start-up timed
apart from the scan, then again with the components step forced onto Spark; all must
report the same clusters, removals and containments. The tables are printed and
written to ``benchmarks/results/scale.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python benchmarks/scale.py` puts benchmarks/ first instead
    sys.path.insert(0, str(ROOT))

from benchmarks.speed import corpus_in  # noqa: E402
from dedup.executors import spark_missing  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "scale.md"
STAGES = ("read", "normalise", "shingle", "signatures", "candidates", "verify", "cluster")


# --------------------------------------------------------------------------- runs


def _child(folder: Path) -> dict[str, object]:
    """One scan of ``folder`` with the default settings, in this (child) process."""
    import dedup

    start = time.perf_counter()
    report = dedup.scan(folder, dedup.Config(), progress=False)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "clusters": report.summary.clusters,
        "largest": max((len(c.members) for c in report.clusters), default=0),
        "paragraphs": report.summary.paragraphs,
        "timings": report.timings,
        "rss_main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "rss_worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
    }


def run_child(folder: Path) -> dict[str, object]:
    """``_child`` in a fresh Python process."""
    command = [sys.executable, __file__, "--child", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"scan of {folder} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def one_file(corpus: Path, out: Path, single_line: bool) -> int:
    """The documents of ``corpus`` one after the other in ``out/all.txt`` (as one line if
    ``single_line``); its characters."""
    out.mkdir(parents=True, exist_ok=True)
    chars = 0
    with open(out / "all.txt", "w", encoding="utf-8") as handle:
        for path in sorted(corpus.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            if single_line:
                text = text.replace("\n", "")
            handle.write(text)
            chars += len(text)
    return chars


def incremental_lines(base: Path, args: argparse.Namespace) -> list[str]:
    """The persistent index's incremental add of 10 % new text against a full rescan
    (``benchmarks/incremental.py``; issue 15's target: at most 25 %), on a corpus of
    ``--incremental`` M characters; nothing when that is 0."""
    if not args.incremental:
        return []
    from benchmarks import incremental

    folder = base / f"scale-{args.seed}-{args.incremental}M"
    m = incremental.measure(args.incremental * 1_000_000, args.seed, keep=folder, repeat=3)
    command = f"python benchmarks/scale.py --incremental {args.incremental}"
    return ["Incremental add (the persistent index):", "", incremental.markdown(m, command, 3)]


def spark_lines(folder: Path, chars: int, lines: int, chars_arg: int) -> list[str]:
    """The Spark engine (local[2]) against the local engine on ``folder``: its session's
    start-up timed apart, then a second scan in the same session with the near copies'
    components found on Spark (``COMPONENT_EDGES`` forced to 0: large-star/small-star and
    the cluster model on the executors) rather than on the driver. All three must report
    the same clusters, removals and containments."""
    import dedup
    from dedup.executors import spark as spark_engine
    from dedup.executors.spark import session

    start = time.perf_counter()
    local = dedup.scan(folder, dedup.Config(workers=2), progress=False)
    local_seconds = time.perf_counter() - start
    start = time.perf_counter()
    spark = session("local[2]")
    spark_start = time.perf_counter() - start
    start = time.perf_counter()
    on_spark = dedup.scan(folder, dedup.Config(workers=2), progress=False, engine="spark")
    spark_seconds = time.perf_counter() - start
    default_limit, spark_engine.COMPONENT_EDGES = spark_engine.COMPONENT_EDGES, 0
    start = time.perf_counter()
    forced = dedup.scan(folder, dedup.Config(workers=2), progress=False, engine="spark")
    forced_seconds = time.perf_counter() - start
    spark_engine.COMPONENT_EDGES = default_limit
    spark.stop()
    same = all(
        (other.clusters, other.removed, other.contained)
        == (local.clusters, local.removed, local.contained)
        for other in (on_spark, forced)
    )
    stages = {k: round(v, 2) for k, v in on_spark.timings.items() if k != "spark_start"}
    forced_stages = {k: round(v, 2) for k, v in forced.timings.items() if k != "spark_start"}
    if not same:
        raise SystemExit("the engines disagree")
    return [
        f"### Spark local[2] against local, {chars:,} characters, {lines:,} paragraphs",
        "",
        f"`python benchmarks/scale.py --sizes --file 0 --incremental 0 --spark-chars {chars_arg}`",
        "",
        "| engine | start-up (s) | scan (s) | chars/s | clusters |",
        "|---|---|---|---|---|",
        f"| local, 2 workers | 0 | {local_seconds:.2f} | {chars / local_seconds:,.0f} |"
        f" {len(local.clusters)} |",
        f"| spark local[2] | {spark_start:.2f} | {spark_seconds:.2f} |"
        f" {chars / spark_seconds:,.0f} | {len(on_spark.clusters)} |",
        f"| spark local[2], components on Spark | (same session) | {forced_seconds:.2f} |"
        f" {chars / forced_seconds:,.0f} | {len(forced.clusters)} |",
        "",
        f"Same clusters, removals and containments on all three: {same}.",
        f"Spark stages (s): {stages}.",
        f"With components on Spark (`COMPONENT_EDGES = 0`): {forced_stages}.",
    ]


def _tree_cpu() -> float:
    """CPU seconds (user + system) used so far by this process and its descendants, the
    ones that ended included (Spark's JVM and its Python workers), from ``/proc``."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = sum(int(v) for v in fields[11:15]) / tick
    total, todo = 0.0, [os.getpid()]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


def spark_index_lines(folder: Path, work: Path, repeat: int, command: str) -> list[str]:
    """A Spark scan of NEW (every tenth document of ``folder``) against the Parquet export
    of an index of the others, against a fresh Spark scan of all of them, in one
    ``local[2]`` session, alternated, the fastest of ``repeat`` each (wall, and CPU of the
    process tree). Both must report what the local engine's fresh scan reports."""
    import dedup
    from benchmarks.incremental import split
    from dedup.executors.spark import session
    from dedup.store import add, export

    old_chars, new_chars = split(folder, work / "parts")
    old, new = work / "parts" / "old", work / "parts" / "new"
    config = dedup.Config(workers=2)
    start = time.perf_counter()
    add([old], work / "index", config)
    index_seconds = time.perf_counter() - start
    start = time.perf_counter()
    export(work / "index", work / "parquet")
    export_seconds = time.perf_counter() - start
    local = dedup.scan([old, new], config, progress=False)
    start = time.perf_counter()
    spark = session("local[2]")
    spark_start = time.perf_counter() - start
    best = {"fresh": (float("inf"), 0.0), "indexed": (float("inf"), 0.0)}
    stages: dict[str, dict[str, float]] = {}
    for _ in range(repeat):
        for name in best:
            start, cpu = time.perf_counter(), _tree_cpu()
            if name == "fresh":
                report = dedup.scan([old, new], config, engine="spark")
            else:
                report = dedup.scan([new], config, engine="spark", index=work / "parquet")
            seconds, cpu = time.perf_counter() - start, _tree_cpu() - cpu
            found = (report.clusters, report.removed, report.contained)
            if found != (local.clusters, local.removed, local.contained):
                raise SystemExit(f"the {name} Spark scan disagrees with the local engine")
            if seconds < best[name][0]:
                best[name] = (seconds, cpu)
                stages[name] = {k: round(v, 2) for k, v in report.timings.items()}
    spark.stop()
    fresh, indexed = best["fresh"], best["indexed"]
    return [
        f"### Spark local[2] with a persistent index, {old_chars + new_chars:,} characters",
        "",
        f"`{command}`: {old_chars:,} characters indexed (`dedup index add`,"
        f" {index_seconds:.1f} s, local engine; `dedup index export` {export_seconds:.1f} s),"
        f" NEW {new_chars:,} (every tenth document); session start-up {spark_start:.1f} s;"
        f" the fastest of {repeat} alternated runs:",
        "",
        "| Spark scan | wall (s) | CPU (s) | vs fresh (wall) | clusters |",
        "|---|---|---|---|---|",
        f"| fresh: `dedup.scan([old, new], engine='spark')` | {fresh[0]:.2f} | {fresh[1]:.1f}"
        f" | 100% | {len(local.clusters):,} |",
        f"| NEW against the export: `dedup.scan([new], engine='spark', index=parquet)` |"
        f" {indexed[0]:.2f} | {indexed[1]:.1f} | {indexed[0] / fresh[0]:.0%}"
        f" | {len(local.clusters):,} |",
        "",
        "Both report the clusters, removals and containments of the local engine's fresh scan.",
        f"Stages of the fastest fresh scan (s): {stages['fresh']}.",
        f"Stages of the fastest indexed scan (s): {stages['indexed']}.",
    ]


# --------------------------------------------------------------------------- output


def _mib(n: object) -> str:
    return f"{int(n) / 2**20:,.0f}"  # type: ignore[call-overload]


def row(label: str, chars: int, result: dict[str, object]) -> str:
    seconds = float(result["seconds"])  # type: ignore[arg-type]
    timings = result["timings"]
    return (
        f"| {label} | {chars:,} | {int(result['paragraphs']):,} | {seconds:.1f} "  # type: ignore[call-overload]
        f"| {chars / seconds / 1e6:.2f} | {_mib(result['rss_main'])} "
        f"| {_mib(result['rss_worker'])} | {int(result['largest']):,} "  # type: ignore[call-overload]
        f"| {timings.get('verify', 0.0):.1f} | {timings.get('cluster', 0.0):.1f} |"  # type: ignore[union-attr]
    )


HEADER = [
    "| corpus | characters | paragraphs | seconds | M chars/s | peak RSS main (MiB) "
    "| peak RSS worker (MiB) | largest cluster | verify (s) | cluster (s) |",
    "|---|---|---|---|---|---|---|---|---|---|",
]


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 30, 100], help="M chars")
    parser.add_argument(
        "--file", type=int, default=20, help="M chars of the one-file runs (0: none)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the corpora in this folder")
    parser.add_argument(
        "--spark",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="Spark local[2] vs local, 7 M (default: when pyspark and Java are there)",
    )
    parser.add_argument("--spark-chars", type=int, default=7_000_000)
    parser.add_argument(
        "--spark-index", action="store_true", help="also Spark scan NEW against an export"
    )
    parser.add_argument("--spark-corpus", type=Path, help="corpus of --spark-index (read only)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each --spark-index scan")
    parser.add_argument(
        "--incremental", type=int, default=10, help="M chars of the index add run (0: none)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown results file")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child)))
        return

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    lines = [
        f"Produced by `python benchmarks/scale.py {' '.join(argv or sys.argv[1:])}`".rstrip()
        + f" (local engine, default settings: 2 workers; one run each; {os.cpu_count()} CPUs,"
        f" Python {platform.python_version()}, {platform.machine()}).",
        "",
        *(HEADER if args.sizes or args.file else []),
    ]
    timed: dict[int, float] = {}
    with tempfile.TemporaryDirectory(dir=args.keep) as tmp:
        base = args.keep or Path(tmp)
        sizes = sorted(set(args.sizes) | ({args.file} if args.file else set()))
        for size in sizes:
            folder = base / f"scale-{args.seed}-{size}M"
            chars, _ = corpus_in(folder, size * 1_000_000, args.seed)
            if size in args.sizes:
                result = run_child(folder)
                timed[size] = float(result["seconds"])  # type: ignore[arg-type]
                lines.append(row(f"{size} M", chars, result))
                print(lines[-1], flush=True)
            if size == args.file:
                for single_line in (False, True):
                    out = base / f"one-{size}M-{'line' if single_line else 'lines'}"
                    one_chars = one_file(folder, out, single_line)
                    label = f"one {size} M file, " + ("one line" if single_line else "lines")
                    lines.append(row(label, one_chars, run_child(out)))
                    print(lines[-1], flush=True)
        if min(timed, default=0) and len(timed) > 1:
            small, big = min(timed), max(timed)
            lines += [
                "",
                f"Time at {big} M / time at {small} M: **{timed[big] / timed[small]:.1f}×** for"
                f" {big / small:.0f}× the characters.",
            ]
        lines += ["", *incremental_lines(base, args)]
        missing = spark_missing()
        if args.spark and missing:
            raise SystemExit(f"--spark: {missing}")
        if args.spark is None and missing:
            lines += ["", f"Spark not measured: {missing}."]
        elif args.spark is not False:
            folder = base / f"scale-{args.seed}-spark"
            chars, paragraphs = corpus_in(folder, args.spark_chars, args.seed)
            lines += ["", *spark_lines(folder, chars, paragraphs, args.spark_chars)]
        if args.spark_index:
            folder = args.spark_corpus or base / f"scale-{args.seed}-spark"
            if args.spark_corpus is None:
                corpus_in(folder, args.spark_chars, args.seed)
            command = f"python benchmarks/scale.py {' '.join(argv or sys.argv[1:])}"
            work = Path(tempfile.mkdtemp(dir=base))
            lines += ["", *spark_index_lines(folder, work, args.repeat, command)]
    text = "\n".join(lines).rstrip() + "\n"
    print("\n" + text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
