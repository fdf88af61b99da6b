"""What the JSON report costs: its size per million characters scanned, the seconds spent
writing it, the peak memory of the run, and how fast an unwritable output is refused.

Builds the speed benchmark's 7 M-character corpus (real SIGHAN 2005 sentences from
``../shared/``, copies with noise, boilerplate), then runs ``dedup scan`` on it in a fresh
process: with the full report, with ``--report-members 5``, and with ``--report`` under a
regular file (refused before the scan). Writes ``benchmarks/results/report.md``.

    python benchmarks/report.py          # ~1 min
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.speed import corpus_in

RESULTS = Path(__file__).resolve().parent / "results" / "report.md"


def run(args: Sequence[str | Path]) -> tuple[float, int, subprocess.CompletedProcess[str]]:
    """``dedup`` in a fresh process: wall seconds, the peak RSS of that process (KiB), and
    what it printed."""
    code = (
        "import resource, sys, runpy; sys.argv = ['dedup', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('dedup', run_name='__main__')\n"
        "finally:\n"
        "    print('RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
    )
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    rss = int(result.stderr.rsplit("RSS ", 1)[1].split()[0])
    return seconds, rss, result


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=7_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        chars, paragraphs = corpus_in(folder, args.chars, args.seed)
        seconds, rss, result = run(["scan", folder, "-q", "--workers", args.workers])
        assert result.returncode == 0, result.stderr
        rows = [f"| no report | | | | {seconds:.2f} s | {rss / 1024:.0f} MiB | |"]
        print(rows[-1])
        for label, extra in (
            ("full report", []),
            ("--report-members 5", ["--report-members", "5"]),
        ):
            report = Path(tmp) / "report.json"
            seconds, rss, result = run(
                ["scan", folder, "-q", "--workers", args.workers, "--report", report, *extra]
            )
            assert result.returncode == 0, result.stderr
            data = json.loads(report.read_bytes())
            size = report.stat().st_size
            rows.append(
                f"| {label} | {size / 2**20:.1f} MiB | {size / 2**20 / (chars / 1e6):.2f} MiB "
                f"| {data['timings']['write_report']:.2f} s | {seconds:.2f} s "
                f"| {rss / 1024:.0f} MiB "
                f"| {len(data['clusters']):,} |"
            )
            print(rows[-1])
        blocker = Path(tmp) / "a-file"
        blocker.write_text("not a folder", encoding="utf-8")
        refused, _, result = run(["scan", folder, "--report", blocker / "report.json"])
        assert result.returncode == 2, result.stderr
        print(f"unwritable --report refused in {refused:.2f} s: {result.stderr.splitlines()[0]}")
    text = (
        f"Produced by `python benchmarks/report.py` ({chars:,} characters, {paragraphs:,} "
        f"paragraphs; `dedup scan` with {args.workers} workers in a fresh process; "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}).\n\n"
        "| run | report | per M characters | writing it | whole run | peak RSS | clusters |\n"
        "|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        f"An unwritable `--report` (a path under a regular file) is refused in {refused:.2f} s, "
        "before the scan (the whole run, start-up included).\n"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print("\n" + text)


if __name__ == "__main__":
    main()
