"""HTML report benchmark: a report of 100,000 clusters, written and opened in headless Chromium.

Run from the repository root (about a minute; needs Debian's ``chromium``)::

    python benchmarks/html_report.py                  # 100,000 clusters
    python benchmarks/html_report.py --clusters 10000

Each cluster is a real SIGHAN 2005 line (``../shared/data/sighan2005``) with one to three
copies carrying the accuracy benchmark's noise (script, width, edits, clauses...), so every
member has differences to highlight. The benchmark times ``dedup.html.render`` (difflib on
every copy), the size of the page, and the time from opening the file in Chromium until
the first page of clusters is drawn; then the time a search takes to redraw.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402
from dedup.config import Config  # noqa: E402
from dedup.report import DuplicateCluster, Member, Report, Summary  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "html_report.md"


def report_of(clusters: int, seed: int) -> Report:
    rng = random.Random(seed)
    lines = [line for lines in corpus.read_lines() for line in lines if len(line) >= 20]
    alphabet = "".join(ch for line in lines[:500] for ch in line if corpus.is_cjk(ch))
    noiser = corpus.Noiser(random.Random(seed + 1), alphabet, lines[:50])
    built = []
    for number in range(1, clusters + 1):
        text = rng.choice(lines)
        members = [Member(f"doc{number % 997:04d}.txt", 1 + number % 40, text, 1.0, True)]
        for copy in range(rng.randint(1, 3)):
            noisy = noiser.apply(rng.choice(corpus.NOISE_KINDS), text) or text
            members.append(
                Member(f"doc{(number + copy + 1) % 997:04d}.txt", 5 + copy, noisy, 0.8, False, True)
            )
        built.append(
            DuplicateCluster(number, rng.choice(("within", "across", "both")), tuple(members))
        )
    copies = sum(len(c.members) - 1 for c in built)
    summary = Summary(997, 0, copies * 2, clusters, 0, 0, 0, copies, 0, 0.0)
    return Report(summary, tuple(built), (), (), Config())


def main() -> None:
    from dedup.html import render
    from examples.screenshot import CHROMIUM, CHROMIUM_ARGS

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clusters", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    report = report_of(args.clusters, args.seed)
    members = sum(len(c.members) for c in report.clusters)
    start = time.perf_counter()
    page = render(report)
    render_seconds = time.perf_counter() - start
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.html"
        path.write_text(page, encoding="utf-8")
        size = path.stat().st_size
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            tab = browser.new_page(viewport={"width": 1280, "height": 1000})
            start = time.perf_counter()
            tab.goto(path.as_uri())
            tab.wait_for_selector(".cluster")
            open_seconds = time.perf_counter() - start
            shown = tab.locator(".cluster").count()
            start = time.perf_counter()
            tab.fill("#search", "中国")
            tab.wait_for_function("document.getElementById('count').textContent.includes(' of ')")
            search_seconds = time.perf_counter() - start
            found = tab.locator("#count").inner_text()
            browser.close()
    lines = [
        f"Produced by `python benchmarks/html_report.py {' '.join(sys.argv[1:])}`".rstrip()
        + f" ({os.cpu_count()} CPUs, Python {platform.python_version()}, Debian chromium).",
        "",
        "| clusters | members | render (s) | page (MiB) | open until drawn (s) | clusters drawn "
        "| search redraw (s) |",
        "|---|---|---|---|---|---|---|",
        f"| {args.clusters:,} | {members:,} | {render_seconds:.1f} | {size / 2**20:.1f} "
        f"| {open_seconds:.2f} | {shown} | {search_seconds:.2f} ({found}) |",
    ]
    text = "\n".join(lines)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
