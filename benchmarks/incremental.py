"""Incremental benchmark: a persistent index holding 90% of a corpus, then the other 10%.

Run from the repository root (a few minutes on 2 cores)::

    DEDUP_SHARED=/work/shared python -m benchmarks.incremental              # 7 M characters
    DEDUP_SHARED=/work/shared python -m benchmarks.incremental --chars 1000000
    DEDUP_SHARED=/work/shared python -m benchmarks.incremental --baseline ../main

The corpus is ``benchmarks/speed.py``'s (real SIGHAN sentences recombined into paragraphs,
copies with noise, boilerplate; hard negatives share sentences). Every tenth document
(by name) goes to ``new/``, the others to ``old/``, so that NEW's copies are spread over
the whole index and its files come between indexed ones in name order; every tenth file
of ``new/`` is also ``small/`` (1%). Each command runs as a user runs it, ``python -m
dedup ...`` in a process of its own, timed from start to exit (wall and CPU seconds, the
workers' included): ``index add old`` (building the index of 90%), then, the fastest of
``--repeat`` runs each, ``scan old new`` (a full fresh scan of 100%), ``scan new --index``
(10% against the index), ``index add new`` (adding the 10% to a copy of the index),
``index add small`` (1%, to another copy) and ``index add new`` again (nothing new). The
indexed scan must report the same clusters as the fresh one. With ``--baseline DIR``, the
code of another checkout (run with this Python, ``DIR`` first on its import path) is
measured the same way on the same corpus, its runs alternated with this one's. The table
is printed and written to ``benchmarks/results/incremental.md``; `measure` gives the
figures for another benchmark (``benchmarks/scale.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python benchmarks/incremental.py` puts benchmarks/ first
    sys.path.insert(0, str(ROOT))

from benchmarks.speed import Run, corpus_in, timed  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "incremental.md"


def _dedup(checkout: Path, *args: str | Path) -> Run:
    """``python -m dedup ARGS`` of the code in ``checkout``, timed start to exit."""
    command = [sys.executable, "-m", "dedup", *args, "--workers", "2", "--quiet"]
    return timed(command, checkout)


def split(corpus: Path, into: Path) -> tuple[int, int]:
    """Every tenth document of ``corpus`` into ``into/new`` (every tenth of those also
    into ``into/small``), the others into ``into/old``; the characters of old and new."""
    chars = [0, 0]
    for i, path in enumerate(sorted(corpus.glob("*.txt"))):
        part = 1 if i % 10 == 9 else 0
        targets = [into / ("new" if part else "old") / path.name]
        if i % 100 == 99:
            targets.append(into / "small" / path.name)
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        chars[part] += sum(len(line) for line in path.read_text("utf-8").splitlines())
    return chars[0], chars[1]


def table_sizes(database: Path) -> dict[str, float]:
    """MiB of each table of an SQLite file (its B-tree and its indexes), from the
    ``dbstat`` virtual table (empty where SQLite was built without it); the ``segments``
    table also by kind (``segments:bands``: the bytes of its columns)."""
    with sqlite3.connect(database) as connection:
        try:
            rows = connection.execute(
                "SELECT tbl_name, sum(pgsize) FROM dbstat JOIN sqlite_master USING (name) "
                "GROUP BY tbl_name ORDER BY 2 DESC"
            ).fetchall()
        except sqlite3.OperationalError:
            return {}
        sizes = {name: size / 2**20 for name, size in rows}
        if "segments" in sizes:
            for kind, size, count in connection.execute(
                "SELECT kind, sum(length(starts) + length(value) + length(key)), count(*) "
                "FROM segments GROUP BY kind"
            ):
                sizes[f"segments:{kind} ({count} segment(s))"] = size / 2**20
    return sizes


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


_TIMED = ("full_scan", "indexed_scan", "add_new", "add_small", "add_nothing")


def measure_all(
    chars: int, seed: int, keep: Path | None, repeat: int, checkouts: Sequence[Path]
) -> list[dict[str, float]]:
    """`measure` of the code in each of ``checkouts``, on one corpus, their runs
    alternated (each round runs every command of every checkout once)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = keep or work / "corpus"
        corpus_in(source, chars, seed)
        old_chars, new_chars = split(source, work / "parts")
        old, new, small = (work / "parts" / name for name in ("old", "new", "small"))
        found: list[dict[str, float]] = []
        for c, checkout in enumerate(checkouts):
            index = work / f"index-{c}"
            run = _dedup(checkout, "index", "add", old, "--index", index)
            found.append({"index_old": run.seconds, "index_old_cpu": run.cpu})
            for name in _TIMED:
                found[c][name] = found[c][f"{name}_cpu"] = float("inf")
        for _ in range(repeat):  # the fastest of each: the least disturbed run
            for c, checkout in enumerate(checkouts):
                index, copy, other = (work / f"{n}-{c}" for n in ("index", "copy", "other"))
                for folder in (copy, other):
                    shutil.rmtree(folder, ignore_errors=True)
                    shutil.copytree(index, folder)
                full, indexed = work / f"full-{c}.json", work / f"indexed-{c}.json"
                commands = {
                    "full_scan": ("scan", old, new, "--report", full),
                    "indexed_scan": ("scan", new, "--index", index, "--report", indexed),
                    "add_new": ("index", "add", new, "--index", copy),
                    "add_small": ("index", "add", small, "--index", other),
                    "add_nothing": ("index", "add", new, "--index", copy),
                }
                for name, args in commands.items():
                    run = _dedup(checkout, *args)
                    found[c][name] = min(found[c][name], run.seconds)
                    found[c][f"{name}_cpu"] = min(found[c][f"{name}_cpu"], run.cpu)
        text_bytes = _folder_size(old) + _folder_size(new)
        for c, m in enumerate(found):
            clusters = [
                json.loads((work / f"{n}-{c}.json").read_text("utf-8"))["clusters"]
                for n in ("full", "indexed")
            ]
            copy = work / f"copy-{c}"
            index_bytes = sum(p.stat().st_size for p in copy.iterdir())
            m.update({f"mib_{k}": v for k, v in table_sizes(copy / "index.sqlite").items()})
            m.update(
                chars=float(old_chars + new_chars),
                new_chars=float(new_chars),
                indexed_scan_ratio=m["indexed_scan"] / m["full_scan"],
                add_new_ratio=m["add_new"] / m["full_scan"],
                index_bytes=float(index_bytes),
                text_bytes=float(text_bytes),
                index_over_text=index_bytes / text_bytes,
                same_clusters=float(clusters[0] == clusters[1] and bool(clusters[0])),
                clusters=float(len(clusters[0])),
                same_as_first=float(
                    clusters[1] == json.loads((work / "indexed-0.json").read_text())["clusters"]
                ),
            )
    return found


def measure(
    chars: int, seed: int = 1, keep: Path | None = None, repeat: int = 3
) -> dict[str, float]:
    """Build a corpus of about ``chars`` characters and time, each in its own process:
    indexing 90% (``index_old``), a fresh scan of 100% (``full_scan``), a scan of the other
    10% against the index (``indexed_scan``), adding them to a copy of it (``add_new``),
    adding 1% to another copy (``add_small``) and adding the 10% again (``add_nothing``),
    the last five the fastest of ``repeat`` runs (the machine is shared), with their CPU
    seconds (``NAME_cpu``); with the ratios to the full scan, the index's size over the
    text's (UTF-8 bytes) after both adds, and whether the indexed scan found the same
    clusters (1.0) or not (0.0)."""
    return measure_all(chars, seed, keep, repeat, [ROOT])[0]


def markdown(
    m: dict[str, float],
    command: str,
    repeat: int,
    baseline: dict[str, float] | None = None,
    baseline_name: str = "baseline",
) -> str:
    """The results of `measure` as the Markdown written to the results file; with
    ``baseline`` (another checkout's, measured in the same run) beside them."""
    rows = [
        ("index_old", "`dedup index add old --index idx` (90%)"),
        ("full_scan", "`dedup scan old new` (100%, fresh)"),
        ("indexed_scan", "`dedup scan new --index idx` (10%)"),
        ("add_new", "`dedup index add new --index idx` (10%)"),
        ("add_small", "`dedup index add small --index idx` (1%)"),
        ("add_nothing", "`dedup index add new --index idx` again (nothing new)"),
    ]
    runs = [m] if baseline is None else [m, baseline]
    header = "| command | seconds | CPU s | vs full scan |"
    if baseline is not None:
        header += f" {baseline_name}: seconds | CPU s | vs full scan |"
    lines = [header, "|---" * (1 + 3 * len(runs)) + "|"]
    for key, label in rows:
        cells = [label]
        for r in runs:
            if key in r:
                ratio = r[key] / r["full_scan"]
                cells += [f"{r[key]:.2f}", f"{r[f'{key}_cpu']:.2f}", f"{ratio:.0%}"]
            else:
                cells += ["", "", ""]
        lines.append("| " + " | ".join(cells) + " |")

    def sizes(r: dict[str, float]) -> str:
        return (
            f"{r['index_bytes'] / 2**20:.1f} MiB for {r['text_bytes'] / 2**20:.1f} MiB of "
            f"text (UTF-8), {r['index_over_text']:.2f}×; by table (MiB): "
            + ", ".join(f"{k[4:]} {v:.1f}" for k, v in r.items() if k.startswith("mib_"))
        )

    return "\n".join(
        [
            f"Corpus: {m['chars']:,.0f} characters (`benchmarks/speed.py`'s generator), "
            f"{m['new_chars']:,.0f} of them (every tenth document) new; "
            f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
            f"2 workers; `{command}`",
            "",
            f"Each command in its own process, start to exit; the fastest of {repeat} runs "
            "(the index of 90% built once; each add into a fresh copy of it)"
            + ("" if baseline is None else f", alternated with {baseline_name}'s")
            + ". CPU: user + system seconds of the process and its workers.",
            "",
            *lines,
            "",
            f"Same clusters (indexed scan vs fresh scan): {bool(m['same_clusters'])} "
            f"({m['clusters']:,.0f} clusters)"
            + (
                ""
                if baseline is None
                else f"; {baseline_name}: {bool(baseline['same_clusters'])}, the same as "
                f"this code's: {bool(baseline['same_as_first'])}"
            )
            + ".",
            "",
            f"Index size after both adds: {sizes(m)}.",
            *([] if baseline is None else ["", f"{baseline_name}: {sizes(baseline)}."]),
            "",
        ]
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=7_000_000, help="corpus size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the corpus in this folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed command")
    parser.add_argument(
        "--baseline", type=Path, help="another checkout to measure beside this one (e.g. main)"
    )
    args = parser.parse_args(argv)
    if "DEDUP_SHARED" not in os.environ:
        print("note: DEDUP_SHARED is not set; the SIGHAN files are looked for in ../shared")
    checkouts = [ROOT] + ([args.baseline.resolve()] if args.baseline else [])
    found = measure_all(args.chars, args.seed, args.keep, args.repeat, checkouts)
    command = "DEDUP_SHARED=/work/shared python -m benchmarks.incremental"
    if args.chars != 7_000_000:
        command += f" --chars {args.chars}"
    if args.baseline:
        command += f" --baseline {args.baseline}"
    name = args.baseline.name if args.baseline else "baseline"
    text = markdown(found[0], command, args.repeat, found[1] if args.baseline else None, name)
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    if not all(m["same_clusters"] and m["same_as_first"] for m in found):
        raise SystemExit("the indexed scans and the fresh scans disagree")


if __name__ == "__main__":
    main()
