"""Streaming benchmark: scan a JSON Lines file of about 200 MB and report time and peak RSS.

Run from the repository root (a few minutes on 2 cores)::

    python benchmarks/stream.py                # about 200 MB of JSONL, 2 workers
    python benchmarks/stream.py --mb 50        # a smaller file

The rows are the speed benchmark's documents (``benchmarks.speed.build_corpus``: real
SIGHAN 2005 sentences recombined, a quarter of the paragraphs copied with noise, the
boilerplate lines), one document per row in a ``text`` field beside an id, a URL and a
nested ``meta`` object that dedup must carry along but never read into memory. The same
documents are also scanned as a folder of ``.txt`` files, so the cost of the row format
itself shows. Each scan runs in a child process of its own, so peak RSS is its own. The
table is printed and written to ``benchmarks/results/stream.md``.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import speed  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "stream.md"
_BYTES_PER_CHAR = 3.25  # UTF-8 Chinese text with its JSON fields around it


def build(folder: Path, mb: int, seed: int) -> tuple[Path, int, int]:
    """The documents as ``folder/txt/*.txt`` and as ``folder/data.jsonl``; (file, chars,
    rows)."""
    chars = speed.build_corpus(folder / "txt", int(mb * 2**20 / _BYTES_PER_CHAR), seed).chars
    path = folder / "data.jsonl"
    rows = 0
    with open(path, "w", encoding="utf-8") as out:
        for doc in sorted((folder / "txt").glob("*.txt")):
            row = {
                "id": doc.stem,
                "url": f"https://example.org/{doc.stem}.html",
                "text": doc.read_text(encoding="utf-8").rstrip("\n"),
                "meta": {"source": "sighan2005-recombined", "seed": seed, "n": rows},
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            rows += 1
    return path, chars, rows


def _child(source: Path, workers: int) -> dict[str, object]:
    import dedup

    start = time.perf_counter()
    report = dedup.scan(source, dedup.Config(workers=workers), progress=False, id_field="id")
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "documents": report.summary.files,
        "paragraphs": report.summary.paragraphs,
        "clusters": report.summary.clusters,
        "errors": len(report.errors),
        "rss_main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "rss_worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
    }


def run_child(source: Path, workers: int) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", str(source), "--workers", str(workers)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"scan of {source} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _mib(n: object) -> str:
    return f"{int(n) / 2**20:,.0f}"  # type: ignore[call-overload]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=200, help="size of the JSONL file")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.workers)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path, chars, rows = build(Path(tmp), args.mb, args.seed)
        size = path.stat().st_size
        print(f"{path.name}: {size / 2**20:,.0f} MiB, {rows:,} rows, {chars:,} characters")
        runs = [("JSONL file", run_child(path, args.workers))]
        runs.append((".txt folder, same documents", run_child(Path(tmp) / "txt", args.workers)))
    lines = [
        f"Produced by `python benchmarks/stream.py {' '.join(sys.argv[1:])}`".rstrip()
        + f" ({args.workers} workers; {os.cpu_count()} CPUs, Python {platform.python_version()})."
        + f" The JSONL file: {size / 2**20:,.0f} MiB, {rows:,} rows, {chars:,} characters"
        " of text.",
        "",
        "| input | seconds | M chars/s | documents | paragraphs | clusters "
        "| peak RSS main (MiB) | peak RSS per worker (MiB) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, run in runs:
        seconds = float(run["seconds"])  # type: ignore[arg-type]
        lines.append(
            f"| {label} | {seconds:.1f} | {chars / seconds / 1e6:.2f} | {run['documents']:,} "
            f"| {run['paragraphs']:,} | {run['clusters']:,} | {_mib(run['rss_main'])} "
            f"| {_mib(run['rss_worker'])} |"
        )
    text = "\n".join(lines)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
