"""Speed benchmark: dedup against the naive pipeline on generated corpora of growing size.

Run from the repository root (a few minutes on 2 cores)::

    python benchmarks/speed.py              # 0.7 M, 7 M and 21 M characters, 2 workers
    python benchmarks/speed.py --rss        # also a 30 M-character run, for peak memory

Each corpus is built from the SIGHAN 2005 test sentences (``../shared/data/sighan2005``):
real sentences recombined into paragraphs of 2-5, documents of 4-14 paragraphs, a quarter
of the paragraphs copied within or across documents with the accuracy benchmark's noise
(``benchmarks.corpus.Noiser``), and its boilerplate lines. It is seeded and deterministic.

Every dedup run and the naive run happen in a child process of their own, so that start-up
is counted and peak RSS (``ru_maxrss``) belongs to one run. The naive pipeline
(``benchmarks.naive``) runs only on the smallest corpus: it is too slow for more. The
table is printed and written to ``benchmarks/results/speed.md``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python benchmarks/speed.py` puts benchmarks/ first instead
    sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402

STAGES = ("read", "normalise", "shingle", "signatures", "candidates", "verify", "cluster", "report")
RESULTS = ROOT / "benchmarks" / "results" / "speed.md"

# A sentence ends at 。！？； (with any closing quotes); SIGHAN lines also end sentences.
_SENTENCE = re.compile(r"[^。！？；]+[。！？；]*[」』”’）)]*")
_MIN_SENTENCE = 6
_BAND = 16


# --------------------------------------------------------------------------- corpus


def sentences() -> list[list[str]]:
    """The sentences of each SIGHAN file, in file order (each file keeps its own script)."""
    found = []
    for lines in corpus.read_lines():
        text = [s.strip() for line in lines for s in _SENTENCE.findall(line)]
        found.append([s for s in text if len(s) >= _MIN_SENTENCE])
    return found


def _cipher(rng: random.Random, counts: Counter[str]) -> dict[int, str]:
    """A random one-to-one swap of CJK characters among others of about the same frequency
    (bands of ``_BAND`` in frequency order), so the text keeps its statistics."""
    ranked = [ch for ch, _ in counts.most_common() if corpus.is_cjk(ch)]
    table = {}
    for start in range(0, len(ranked), _BAND):
        band = ranked[start : start + _BAND]
        table.update(zip(map(ord, band), rng.sample(band, len(band))))
    return table


def paragraphs(rng: random.Random) -> Iterator[str]:
    """Endless paragraphs of 2-5 real sentences, in rounds that use every sentence once.

    Each round shuffles the sentences of each file and cuts them into paragraphs. From the
    second round on, characters are also swapped among characters of similar frequency
    (``_cipher``): a large corpus cannot have more distinct real text than SIGHAN holds, and
    paragraphs that share sentences with earlier rounds would otherwise make near-duplicates
    at a rate that grows with the square of the corpus size.
    """
    files = sentences()
    counts = Counter(ch for pool in files for s in pool for ch in s)
    for round_ in itertools.count():
        table = _cipher(rng, counts) if round_ else {}
        found = []
        for pool in files:
            order = rng.sample(pool, len(pool))
            while order:
                size = rng.randint(2, 5)
                found.append("".join(order[:size]).translate(table))
                del order[:size]
        rng.shuffle(found)
        yield from found


def build_corpus(out: Path, chars: int, seed: int) -> tuple[int, int]:
    """Write documents totalling at least ``chars`` characters to ``out``; (chars, lines).

    Like ``benchmarks.corpus.generate`` (same noise kinds, copy shares and boilerplate), but
    its paragraphs are recombined sentences, so a large corpus is not the small pool repeated
    verbatim (which would let the exact fast path skip most of the work).
    """
    rng = random.Random(f"speed:{seed}")
    source = paragraphs(random.Random(f"speed-text:{seed}"))
    reserve = [next(source) for _ in range(corpus.N_RESERVE)]
    alphabet = "".join(ch for text in reserve for ch in text if corpus.is_cjk(ch))
    noiser = corpus.Noiser(random.Random(f"speed-noise:{seed}"), alphabet, reserve)
    docs: list[list[str]] = []
    written = 0
    while written < chars:
        body = [next(source) for _ in range(rng.randint(4, 14))]
        docs.append(body)
        written += sum(map(len, body))
        for original in rng.sample(body, round(len(body) * corpus.COPY_FRACTION)):
            copy = noiser.apply(rng.choice(corpus.NOISE_KINDS), original) or original
            same_doc = len(docs) == 1 or rng.random() < corpus.SAME_DOC_FRACTION
            target = body if same_doc else docs[rng.randrange(len(docs) - 1)]
            target.insert(rng.randint(0, len(target)), copy)
            written += len(copy)
        for line, end in corpus.BOILERPLATE:
            if rng.random() < 0.4:
                body.insert(0 if end == "top" else len(body), line)
                written += len(line)
    out.mkdir(parents=True, exist_ok=True)
    for d, body in enumerate(docs):
        text = "\n".join(body) + "\n"
        (out / corpus.doc_name(d, len(docs))).write_text(text, encoding="utf-8")
    total = sum(len(line) for body in docs for line in body)
    return total, sum(map(len, docs))


def corpus_in(folder: Path, chars: int, seed: int) -> tuple[int, int]:
    """``build_corpus`` into ``folder``, or the one an earlier run left there (``--keep``)."""
    facts = folder / "speed.json"
    if facts.exists():
        return tuple(json.loads(facts.read_text(encoding="utf-8")))  # type: ignore[return-value]
    written = build_corpus(folder, chars, seed)
    facts.write_text(json.dumps(written), encoding="utf-8")
    return written


# --------------------------------------------------------------------------- runs


def _child(kind: str, folder: Path, workers: int) -> dict[str, object]:
    """One timed run in this (child) process: dedup with its defaults, or the naive pipeline.

    Imports and jieba's dictionary load (naive) happen before the clock starts; everything
    ``dedup.scan`` does, including starting its workers, is timed.
    """
    if kind == "naive":
        import jieba

        from benchmarks.naive import naive_clusters

        jieba.initialize()
        start = time.perf_counter()
        clusters = naive_clusters(folder)
        seconds = time.perf_counter() - start
        result: dict[str, object] = {"seconds": seconds, "clusters": len(clusters)}
    else:
        import dedup

        start = time.perf_counter()
        report = dedup.scan(folder, dedup.Config(workers=workers), progress=False)
        seconds = time.perf_counter() - start
        result = {
            "seconds": seconds,
            "clusters": report.summary.clusters,
            "paragraphs": report.summary.paragraphs,
            "timings": report.timings,
        }
    result["rss_main"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    result["rss_worker"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return result


def run_child(kind: str, folder: Path, workers: int) -> dict[str, object]:
    """``_child`` in a fresh Python process, so start-up is paid and peak RSS is its own."""
    command = [sys.executable, __file__, "--child", kind, str(folder), "--workers", str(workers)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def best_of(kind: str, folder: Path, workers: int, repeat: int) -> dict[str, object]:
    """The fastest of ``repeat`` runs (the machine is shared: the least disturbed run), with
    the highest peak RSS seen in any of them."""
    runs = [run_child(kind, folder, workers) for _ in range(repeat)]
    best = min(runs, key=lambda r: float(r["seconds"]))  # type: ignore[arg-type]
    for key in ("rss_main", "rss_worker"):
        best[key] = max(int(r[key]) for r in runs)  # type: ignore[call-overload]
    return best


@dataclass
class Row:
    """One corpus size and what a run on it measured."""

    label: str
    chars: int
    paragraphs: int
    result: dict[str, object]

    @property
    def seconds(self) -> float:
        return float(self.result["seconds"])  # type: ignore[arg-type]

    @property
    def mchars_per_second(self) -> float:
        return self.chars / self.seconds / 1e6


# --------------------------------------------------------------------------- output


def _mib(n: object) -> str:
    return f"{int(n) / 2**20:,.0f}"  # type: ignore[call-overload]


def table(rows: Sequence[Row], naive: Row | None) -> str:
    """The results as Markdown: throughput, memory, and seconds per stage."""
    lines = [
        "| corpus | characters | paragraphs | seconds | M chars/s | paragraphs/s "
        "| peak RSS main (MiB) | peak RSS per worker (MiB) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in [*rows, *([naive] if naive else [])]:
        lines.append(
            f"| {row.label} | {row.chars:,} | {row.paragraphs:,} | {row.seconds:.2f} "
            f"| {row.mchars_per_second:.2f} | {row.paragraphs / row.seconds:,.0f} "
            f"| {_mib(row.result['rss_main'])} | {_mib(row.result['rss_worker'])} |"
        )
    lines += ["", "Seconds per stage (dedup):", ""]
    lines.append("| corpus | " + " | ".join(STAGES) + " |")
    lines.append("|---" * (len(STAGES) + 1) + "|")
    for row in rows:
        timings = row.result["timings"]
        cells = " | ".join(f"{timings.get(s, 0.0):.2f}" for s in STAGES)  # type: ignore[union-attr]
        lines.append(f"| {row.label} | {cells} |")
    return "\n".join(lines)


def ratios(rows: Sequence[Row], naive: Row) -> str:
    """Throughput of dedup over the naive pipeline's, and how time grows with size."""
    small, one = rows[0], rows[1]
    lines = [
        f"- dedup / naive throughput, same {small.label} corpus: "
        f"**{small.mchars_per_second / naive.mchars_per_second:.0f}×**",
        f"- dedup on the {one.label} corpus / naive on the {small.label} corpus: "
        f"**{one.mchars_per_second / naive.mchars_per_second:.0f}×**",
    ]
    if len(rows) > 2:
        big = rows[2]
        lines.append(
            f"- time {big.label} / time {one.label}: **{big.seconds / one.seconds:.2f}** "
            f"for {big.chars / one.chars:.2f}× the characters"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=7_000_000, help="size of the 1x corpus")
    parser.add_argument("--workers", type=int, default=2, help="dedup worker processes")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; best")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rss", action="store_true", help="also one 30 M-character run")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive pipeline")
    parser.add_argument("--keep", type=Path, help="write the corpora here and keep them")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown results file")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child[0], Path(args.child[1]), args.workers)))
        return

    sizes = [("0.1×", args.chars // 10), ("1×", args.chars), ("3×", args.chars * 3)]
    if args.rss:
        sizes.append(("30 M", 30_000_000))
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.keep) as tmp:
        base = args.keep or Path(tmp)
        rows: list[Row] = []
        naive = None
        for label, chars in sizes:
            folder = base / f"speed-{args.seed}-{chars}"
            start = time.perf_counter()
            written, paragraphs = corpus_in(folder, chars, args.seed)
            built = time.perf_counter() - start
            print(f"{label}: {written:,} characters, {paragraphs:,} paragraphs ({built:.1f} s)")
            repeat = 1 if label == "30 M" else args.repeat
            rows.append(
                Row(label, written, paragraphs, best_of("dedup", folder, args.workers, repeat))
            )
            print(f"  dedup: {rows[-1].seconds:.2f} s, {rows[-1].mchars_per_second:.2f} M chars/s")
            if naive is None and not args.no_naive:
                naive = Row(
                    "0.1× naive", written, paragraphs, best_of("naive", folder, 1, args.repeat)
                )
                print(f"  naive: {naive.seconds:.2f} s, {naive.mchars_per_second:.3f} M chars/s")
    text = table(rows, naive) + ("\n\n" + ratios(rows, naive) if naive else "")
    print("\n" + text)
    header = (
        f"Produced by `python benchmarks/speed.py {' '.join(argv or sys.argv[1:])}`".rstrip()
        + f" (dedup with its defaults and {args.workers} workers; best of {args.repeat} runs"
        f" each; {os.cpu_count()} CPUs, Python {platform.python_version()}).\n\n"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(header + text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
