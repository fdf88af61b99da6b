"""Incremental benchmark: a persistent index holding 90% of a corpus, then the other 10%.

Run from the repository root (a few minutes on 2 cores)::

    DEDUP_SHARED=/work/shared python -m benchmarks.incremental              # 7 M characters
    DEDUP_SHARED=/work/shared python -m benchmarks.incremental --chars 1000000

The corpus is ``benchmarks/speed.py``'s (real SIGHAN sentences recombined into paragraphs,
copies with noise, boilerplate; hard negatives share sentences). Every tenth document
(by name) goes to ``new/``, the others to ``old/``, so that NEW's copies are spread over
the whole index and its files come between indexed ones in name order. Each command runs
as a user runs it, ``python -m dedup ...`` in a process of its own, timed from start to
exit: ``index add old`` (building the index of 90%), then, the fastest of ``--repeat``
runs each, ``scan old new`` (a full fresh scan of 100%), ``scan new --index`` (10% against
the index) and ``index add new`` (adding the 10% to a copy of the index). The indexed scan
must report the same clusters as the fresh one. The
table is printed and written to ``benchmarks/results/incremental.md``; `measure` gives the
figures for another benchmark (``benchmarks/scale.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python benchmarks/incremental.py` puts benchmarks/ first
    sys.path.insert(0, str(ROOT))

from benchmarks.speed import corpus_in  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "incremental.md"


def _dedup(*args: str | Path) -> float:
    """Seconds ``python -m dedup ARGS`` takes, start to exit."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "dedup", *map(str, args), "--workers", "2", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(f"dedup {' '.join(map(str, args))} failed:\n{done.stderr}")
    return seconds


def split(corpus: Path, into: Path) -> tuple[int, int]:
    """Every tenth document of ``corpus`` into ``into/new``, the others into ``into/old``;
    the characters of each part."""
    chars = [0, 0]
    for i, path in enumerate(sorted(corpus.glob("*.txt"))):
        part = 1 if i % 10 == 9 else 0
        target = into / ("new" if part else "old") / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        chars[part] += sum(len(line) for line in path.read_text("utf-8").splitlines())
    return chars[0], chars[1]


def table_sizes(database: Path) -> dict[str, float]:
    """MiB of each table of an SQLite file (its B-tree and its indexes), from the
    ``dbstat`` virtual table; empty where SQLite was built without it."""
    import sqlite3

    with sqlite3.connect(database) as connection:
        try:
            rows = connection.execute(
                "SELECT tbl_name, sum(pgsize) FROM dbstat JOIN sqlite_master USING (name) "
                "GROUP BY tbl_name ORDER BY 2 DESC"
            ).fetchall()
        except sqlite3.OperationalError:
            return {}
    return {name: size / 2**20 for name, size in rows}


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def measure(
    chars: int, seed: int = 1, keep: Path | None = None, repeat: int = 3
) -> dict[str, float]:
    """Build a corpus of about ``chars`` characters and time, each in its own process:
    indexing 90% (``index_old``), a fresh scan of 100% (``full_scan``), a scan of the other
    10% against the index (``indexed_scan``) and adding them to a copy of it (``add_new``),
    the last three the fastest of ``repeat`` runs (the machine is shared); with the
    ratios to the full scan, the index's size over the text's (UTF-8 bytes) after both
    adds, and whether the indexed scan found the same clusters (1.0) or not (0.0)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = keep or work / "corpus"
        corpus_in(source, chars, seed)
        old_chars, new_chars = split(source, work / "parts")
        old, new = work / "parts" / "old", work / "parts" / "new"
        index = work / "index"
        index_old = _dedup("index", "add", old, "--index", index)
        full_scan = indexed_scan = add_new = float("inf")
        for run in range(repeat):  # the fastest of each: the least disturbed run
            full_scan = min(full_scan, _dedup("scan", old, new, "--report", work / "full.json"))
            report = work / "indexed.json"
            indexed_scan = min(
                indexed_scan, _dedup("scan", new, "--index", index, "--report", report)
            )
            copy = work / f"index-{run}"
            shutil.copytree(index, copy)
            add_new = min(add_new, _dedup("index", "add", new, "--index", copy))
        full, indexed = (
            json.loads((work / f"{name}.json").read_text("utf-8"))["clusters"]
            for name in ("full", "indexed")
        )
        text_bytes = _folder_size(old) + _folder_size(new)
        index_bytes = sum(p.stat().st_size for p in copy.iterdir())
        tables = table_sizes(copy / "index.sqlite")
    return {
        **{f"mib_{name}": size for name, size in tables.items()},
        "chars": float(old_chars + new_chars),
        "new_chars": float(new_chars),
        "index_old": index_old,
        "full_scan": full_scan,
        "indexed_scan": indexed_scan,
        "add_new": add_new,
        "indexed_scan_ratio": indexed_scan / full_scan,
        "add_new_ratio": add_new / full_scan,
        "index_bytes": float(index_bytes),
        "text_bytes": float(text_bytes),
        "index_over_text": index_bytes / text_bytes,
        "same_clusters": float(full == indexed and bool(full)),
        "clusters": float(len(full)),
    }


def markdown(m: dict[str, float], command: str, repeat: int) -> str:
    """The results of `measure` as the Markdown written to the results file."""
    return "\n".join(
        [
            f"Corpus: {m['chars']:,.0f} characters (`benchmarks/speed.py`'s generator), "
            f"{m['new_chars']:,.0f} of them (every tenth document) new; "
            f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
            f"2 workers; `{command}`",
            "",
            f"Each command in its own process, start to exit; the fastest of {repeat} runs "
            "(the index of 90% built once; each add of the 10% into a fresh copy of it).",
            "",
            "| command | seconds | vs full scan |",
            "|---|---|---|",
            f"| `dedup index add old --index idx` (90%) | {m['index_old']:.2f} | "
            f"{m['index_old'] / m['full_scan']:.0%} |",
            f"| `dedup scan old new` (100%, fresh) | {m['full_scan']:.2f} | 100% |",
            f"| `dedup scan new --index idx` (10%) | {m['indexed_scan']:.2f} | "
            f"{m['indexed_scan_ratio']:.0%} |",
            f"| `dedup index add new --index idx` (10%) | {m['add_new']:.2f} | "
            f"{m['add_new_ratio']:.0%} |",
            "",
            f"Same clusters (indexed scan vs fresh scan): {bool(m['same_clusters'])} "
            f"({m['clusters']:,.0f} clusters). Index size after both adds: "
            f"{m['index_bytes'] / 2**20:.1f} MiB for {m['text_bytes'] / 2**20:.1f} MiB of "
            f"text (UTF-8), {m['index_over_text']:.2f}×; by table (MiB): "
            + ", ".join(f"{k[4:]} {v:.1f}" for k, v in m.items() if k.startswith("mib_"))
            + ".",
            "",
        ]
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=7_000_000, help="corpus size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the corpus in this folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed command")
    args = parser.parse_args(argv)
    if "DEDUP_SHARED" not in os.environ:
        print("note: DEDUP_SHARED is not set; the SIGHAN files are looked for in ../shared")
    m = measure(args.chars, args.seed, args.keep, args.repeat)
    command = "DEDUP_SHARED=/work/shared python -m benchmarks.incremental"
    if args.chars != 7_000_000:
        command += f" --chars {args.chars}"
    text = markdown(m, command, args.repeat)
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    if not m["same_clusters"]:
        raise SystemExit("the indexed scan and the fresh scan disagree")


if __name__ == "__main__":
    main()
