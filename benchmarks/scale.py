"""Scale benchmark: the Spark engine (local[2]) against the local engine on the same corpus.

Run from the repository root (needs ``pip install -e ".[spark]"`` and Java 17 or 21)::

    python benchmarks/scale.py                   # 7 M characters
    python benchmarks/scale.py --chars 1000000   # a quicker look

The corpus is ``benchmarks/speed.py``'s (real SIGHAN sentences recombined, copies with
noise, boilerplate; hard negatives share sentences). The local engine runs with 2 workers;
Spark on ``local[2]``, its session start-up timed apart from the scan, then once more with
the near copies' components found on Spark (``COMPONENT_EDGES`` forced to 0: large-star/
small-star and the cluster model on the executors) rather than on the driver. All must
report the same clusters, removals and containments. The table is printed and written to
``benchmarks/results/scale.md``.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python benchmarks/scale.py` puts benchmarks/ first instead
    sys.path.insert(0, str(ROOT))

from benchmarks.speed import corpus_in  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "scale.md"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=7_000_000, help="corpus size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the corpus in this folder")
    args = parser.parse_args(argv)

    import dedup
    from dedup.executors import spark as spark_engine
    from dedup.executors.spark import session

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "corpus"
        chars, lines = corpus_in(folder, args.chars, args.seed)
        start = time.perf_counter()
        local = dedup.scan(folder, dedup.Config(workers=2), progress=False)
        local_seconds = time.perf_counter() - start
        start = time.perf_counter()
        spark = session("local[2]")
        spark_start = time.perf_counter() - start
        start = time.perf_counter()
        on_spark = dedup.scan(folder, dedup.Config(workers=2), progress=False, engine="spark")
        spark_seconds = time.perf_counter() - start
        # Again with the components of the near copies found on Spark (large-star/
        # small-star, the cluster model per partition) whatever their number of pairs.
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
    text = "\n".join(
        [
            f"Corpus: {chars:,} characters, {lines:,} paragraphs; {platform.processor() or ''}"
            f" {platform.python_version()}; `python benchmarks/scale.py --chars {args.chars}`",
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
            "",
        ]
    )
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    if not same:
        raise SystemExit("the engines disagree")


if __name__ == "__main__":
    main()
