"""Speed benchmark: dedup end to end against the naive pipeline, on the same corpora, in one run.

Run from the repository root (about 5 minutes on 2 cores)::

    python benchmarks/speed.py                    # 0.7 M, 7 M and 21 M characters
    python benchmarks/speed.py --compare main     # the same runs of another revision beside
    python benchmarks/speed.py --rss              # also a 30 M-character run, for peak memory

Each corpus is built from the SIGHAN 2005 test sentences (``../shared/data/sighan2005``):
real sentences recombined into paragraphs of 2-5, documents of 4-14 paragraphs, a quarter
of the paragraphs copied within or across documents with the accuracy benchmark's noise
(``benchmarks.corpus.Noiser``), and its boilerplate lines. A tenth of the body paragraphs are
hard negatives: sentences of two other paragraphs of the corpus recombined, so they share
real sentences with both without being a copy of either, and many candidate pairs must be
verified and rejected. It is seeded and deterministic.

A run is timed from process start to exit: ``python -m dedup scan CORPUS --report FILE``
with the default settings (``--workers`` as given, else the CPUs this process may use),
in a fresh process, the JSON report written. The naive pipeline (``benchmarks.naive``) runs
the same way, once, on the 1x corpus itself (about three minutes on an idle machine;
``--naive-on 0.1×`` for the small one), also timed from start to exit, in a virtual
environment of its own with opencc-python-reimplemented, jieba and datasketch, as issue 15
defines it (``--naive-opencc cpp`` or ``both``: with the C++ OpenCC binding dedup uses).
``--compare REV`` checks REV out in a temporary git worktree and times its ``dedup`` on the
same corpora, run for run alternately with this one, so that both see the same load on a
shared machine; CPU seconds (user + system, of the process and its workers) are given
beside wall time, as they barely depend on that load. The table is printed and written to
``benchmarks/results/speed.md``.
"""

from __future__ import annotations

import argparse
import compileall
import functools
import itertools
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python benchmarks/speed.py` puts benchmarks/ first instead
    sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402

STAGES = ("read", "normalise", "shingle", "signatures", "candidates", "verify", "cluster")
RESULTS = ROOT / "benchmarks" / "results" / "speed.md"

# A sentence ends at 。！？； (with any closing quotes); SIGHAN lines also end sentences.
_SENTENCE = re.compile(r"[^。！？；]+[。！？；]*[」』”’）)]*")
_MIN_SENTENCE = 6
_BAND = 16
# Share of body paragraphs that are hard negatives, recombined from the sentences of two
# recent paragraphs (of the same round, so written in the same characters).
HARD_NEGATIVES = 0.1
_RECENT = 200


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


def paragraphs(rng: random.Random) -> Iterator[list[str]]:
    """Endless paragraphs of 2-5 real sentences (as their sentences), in rounds that use
    every sentence once.

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
                found.append([s.translate(table) for s in order[:size]])
                del order[:size]
        rng.shuffle(found)
        yield from found


def recombined(rng: random.Random, a: list[str], b: list[str]) -> str:
    """A hard negative: about half of the sentences of ``a`` (a run of them) followed by
    about half of those of ``b``. It shares real sentences with both and is a copy of
    neither: their containment is about a half, under any threshold."""
    take_a, take_b = max(len(a) // 2, 1), max(len(b) // 2, 1)
    start_a = rng.randint(0, len(a) - take_a)
    start_b = rng.randint(0, len(b) - take_b)
    return "".join(a[start_a : start_a + take_a] + b[start_b : start_b + take_b])


@dataclass(frozen=True)
class Built:
    """What ``build_corpus`` wrote: characters, paragraphs (non-blank lines), and how many
    of the paragraphs are hard negatives (``recombined``)."""

    chars: int
    paragraphs: int
    hard: int


def build_corpus(out: Path, chars: int, seed: int, hard: float = HARD_NEGATIVES) -> Built:
    """Write documents totalling at least ``chars`` characters to ``out``.

    Like ``benchmarks.corpus.generate`` (same noise kinds, copy shares and boilerplate), but
    its paragraphs are recombined sentences, so a large corpus is not the small pool repeated
    verbatim (which would let the exact fast path skip most of the work); a share ``hard``
    of the body paragraphs are hard negatives, recombined from two recent paragraphs.
    """
    rng = random.Random(f"speed:{seed}")
    source = paragraphs(random.Random(f"speed-text:{seed}"))
    reserve = ["".join(next(source)) for _ in range(corpus.N_RESERVE)]
    alphabet = "".join(ch for text in reserve for ch in text if corpus.is_cjk(ch))
    noiser = corpus.Noiser(random.Random(f"speed-noise:{seed}"), alphabet, reserve)
    docs: list[list[str]] = []
    recent: list[list[str]] = []
    written = hard_written = 0
    while written < chars:
        body = []
        for _ in range(rng.randint(4, 14)):
            if len(recent) >= 2 and rng.random() < hard:
                body.append(recombined(rng, *rng.sample(recent, 2)))
                hard_written += 1
            else:
                recent = [*recent[-_RECENT + 1 :], next(source)]
                body.append("".join(recent[-1]))
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
    return Built(total, sum(map(len, docs)), hard_written)


def built_in(folder: Path, chars: int, seed: int) -> Built:
    """``build_corpus`` into ``folder``, or the one an earlier run left there (``--keep``);
    what was written is kept beside the folder (not in it: it would be scanned)."""
    facts = folder.with_name(folder.name + ".json")
    if facts.exists() and folder.is_dir():
        return Built(**json.loads(facts.read_text(encoding="utf-8")))
    built = build_corpus(folder, chars, seed)
    facts.write_text(json.dumps(built.__dict__), encoding="utf-8")
    return built


def corpus_in(folder: Path, chars: int, seed: int) -> tuple[int, int]:
    """(characters, paragraphs) of ``built_in``."""
    built = built_in(folder, chars, seed)
    return built.chars, built.paragraphs


# --------------------------------------------------------------------------- runs


@dataclass
class Run:
    """One timed process: wall seconds from start to exit, the CPU seconds it and its
    workers used (user + system: what a revision costs, whatever else the machine runs),
    the peak RSS of its largest process (bytes), and for dedup the report it wrote
    (timings and summary)."""

    seconds: float
    cpu: float
    rss: int
    report: dict[str, object] = field(default_factory=dict)


@functools.cache
def byte_compiled(checkout: Path) -> None:
    """Byte-compile the package of ``checkout`` once, as ``pip install`` does for a user.
    Otherwise a process that may not write bytecode (``PYTHONDONTWRITEBYTECODE``, set on
    some machines and CI images) compiles every module of an editable checkout at every
    start, about 0.05 s that no installed copy pays."""
    if (checkout / "dedup").is_dir():
        compileall.compile_dir(checkout / "dedup", quiet=1)


def timed(command: Sequence[str | Path], cwd: Path) -> Run:
    """Run ``command`` in ``cwd`` with ``cwd`` first on the import path (its package
    byte-compiled); wall time from the process start to its exit, and the peak RSS of it
    or its largest child (``wait4``)."""
    byte_compiled(cwd)
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            [str(c) for c in command], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{command} failed:\n{errors.read().decode(errors='replace')}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024)


def dedup_run(checkout: Path, folder: Path, workers: int | None) -> Run:
    """``python -m dedup scan FOLDER --report FILE`` of the code in ``checkout``."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        more = ["--workers", str(workers)] if workers else []
        run = timed(
            [sys.executable, "-m", "dedup", "scan", folder, "--report", report, *more], checkout
        )
        data = json.loads(report.read_text(encoding="utf-8"))
    run.report = {"timings": data["timings"], "summary": data["summary"]}
    return run


def clean_run(checkout: Path, folder: Path, workers: int | None) -> Run:
    """``python -m dedup clean FOLDER --out OUT`` of the code in ``checkout``: the scan,
    then every file written again (atomically) without its repeats."""
    with tempfile.TemporaryDirectory() as tmp:
        more = ["--workers", str(workers)] if workers else []
        out = Path(tmp) / "out"
        return timed(
            [sys.executable, "-m", "dedup", "clean", folder, "--out", out, *more], checkout
        )


# The packages of the design card as its user installs them: opencc-python-reimplemented,
# the OpenCC this field reaches for first (dedup uses the C++ library's binding), jieba and
# datasketch. Both OpenCCs install a module named opencc, so each naive run has a virtual
# environment of its own.
NAIVE_OPENCC = {
    "reimplemented": "opencc-python-reimplemented",
    "cpp": "opencc",
}
_NAIVE_CHILD = (
    "import json, sys; from pathlib import Path; from benchmarks.naive import naive_clusters; "
    "Path(sys.argv[2]).write_text(json.dumps(naive_clusters(Path(sys.argv[1]))))"
)


def make_venv(folder: Path, *packages: str) -> Path:
    """A fresh venv in ``folder`` with ``packages`` installed; its python."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    python = folder / "bin" / "python"
    if not packages:
        return python
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *packages],
        check=True,
    )
    return python


def naive_python(folder: Path, opencc: str) -> Path:
    """The python of a fresh virtual environment in ``folder`` holding the naive pipeline's
    packages with the OpenCC named by ``opencc`` (a key of `NAIVE_OPENCC`)."""
    return make_venv(folder, NAIVE_OPENCC[opencc], "jieba", "datasketch")


def naive_run(folder: Path, python: Path) -> Run:
    """The naive pipeline (``benchmarks.naive``) in a fresh process of ``python``, timed from
    start to exit, its clusters written."""
    with tempfile.TemporaryDirectory() as tmp:
        return timed([python, "-c", _NAIVE_CHILD, folder, Path(tmp) / "n.json"], ROOT)


@contextmanager
def checkout(rev: str) -> Iterator[Path]:
    """A detached git worktree of ``rev`` in a temporary folder, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="dedup-compare-"))
    git = ["git", "-C", str(ROOT), "worktree"]
    subprocess.run([*git, "add", "--detach", str(folder), rev], check=True, capture_output=True)
    try:
        yield folder
    finally:
        subprocess.run([*git, "remove", "--force", str(folder)], check=False, capture_output=True)


@dataclass
class Row:
    """One corpus and the best run of each revision on it (and the naive run, if any)."""

    label: str
    built: Built
    runs: dict[str, Run]
    """Best run by revision label (and ``naive``)."""

    def speed(self, name: str) -> float:
        """M characters per second of the best run of ``name``."""
        return self.built.chars / self.runs[name].seconds / 1e6


def best(runs: Sequence[Run]) -> Run:
    """The fastest run (the least disturbed on a shared machine), with the least CPU time
    and the highest peak RSS of any."""
    fastest = min(runs, key=lambda r: r.seconds)
    return Run(fastest.seconds, min(r.cpu for r in runs), max(r.rss for r in runs), fastest.report)


# --------------------------------------------------------------------------- output


def _mib(n: int) -> str:
    return f"{n / 2**20:,.0f}"


def table(rows: Sequence[Row], names: Sequence[str], naive: float | None) -> str:
    """The results as Markdown: per corpus and revision, seconds from process start to
    exit, throughput, its ratio to the naive pipeline's, peak RSS; then seconds per stage."""
    head = "| corpus | characters | paragraphs | hard negatives |"
    rule = "|---|---|---|---|"
    for name in names:
        head += f" {name}: s | M chars/s | × naive | CPU s | peak RSS (MiB) |"
        rule += "---|---|---|---|---|"
    lines = [head, rule]
    for row in rows:
        built = row.built
        cells = f"| {row.label} | {built.chars:,} | {built.paragraphs:,} "
        cells += f"| {built.hard:,} ({built.hard / built.paragraphs:.1%}) |"
        for name in names:
            run = row.runs[name]
            times = f"{row.speed(name) / naive:.0f}×" if naive else "–"
            cells += f" {run.seconds:.2f} | {row.speed(name):.2f} | {times} | {run.cpu:.2f} "
            cells += f"| {_mib(run.rss)} |"
        lines.append(cells)
    for row in rows:
        for name, run in row.runs.items():
            if not name.startswith("naive"):
                continue
            times = f"{row.speed(name) / naive:.2f}×" if naive else "–"
            lines.append(
                f"| {row.label}, {name} pipeline | {row.built.chars:,} | "
                f"{row.built.paragraphs:,} | | {run.seconds:.2f} | {row.speed(name):.3f} | "
                f"{times} | {run.cpu:.2f} | {_mib(run.rss)} |"
            )
    lines += ["", "Seconds per stage, inside the scan (`timings` of the report):", ""]
    lines.append("| corpus | revision | " + " | ".join([*STAGES, "write_report"]) + " |")
    lines.append("|---" * (len(STAGES) + 3) + "|")
    for row in rows:
        for name in names:
            timings = row.runs[name].report["timings"]
            cells = " | ".join(
                f"{timings.get(s, 0.0):.2f}"  # type: ignore[attr-defined]
                for s in [*STAGES, "write_report"]
            )
            lines.append(f"| {row.label} | {name} | {cells} |")
    return "\n".join(lines)


def ratios(rows: Sequence[Row], names: Sequence[str]) -> str:
    """Each revision's speed against the first's, and how time grows with size."""
    lines = []
    for name in names[1:]:
        for row in rows:
            lines.append(
                f"- {row.label}: {names[0]} runs at "
                f"**{row.speed(names[0]) / row.speed(name):.2f}×** the speed of {name}, "
                f"using {row.runs[names[0]].cpu / row.runs[name].cpu:.2f}× its CPU time"
            )
    if len(rows) > 2:
        one, big = rows[1], rows[2]
        for name in names:
            lines.append(
                f"- {name}: time {big.label} / time {one.label}: "
                f"**{big.runs[name].seconds / one.runs[name].seconds:.2f}** "
                f"for {big.built.chars / one.built.chars:.2f}× the characters"
            )
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=7_000_000, help="size of the 1x corpus")
    parser.add_argument("--workers", type=int, help="dedup --workers (default: dedup's own)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; best")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rss", action="store_true", help="also one 30 M-character run")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive pipeline")
    parser.add_argument(
        "--naive-on",
        choices=("0.1×", "1×"),
        default="1×",
        help="corpus the naive pipeline runs on (1×: about 1.5 minutes on an idle machine)",
    )
    parser.add_argument(
        "--compare", metavar="REV", action="append", default=[], help="also time REV (repeatable)"
    )
    parser.add_argument("--keep", type=Path, help="write the corpora here and keep them")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown results file")
    parser.add_argument(
        "--naive-opencc",
        choices=(*NAIVE_OPENCC, "both"),
        default="reimplemented",
        help="the naive pipeline's OpenCC: opencc-python-reimplemented (as issue 15 defines"
        " the naive pipeline; × naive is against it), the C++ binding, or both",
    )
    parser.add_argument(
        "--clean",
        action="store_true",
        help="also time `dedup clean` (the scan, then every file written) on the 1× corpus",
    )
    args = parser.parse_args(argv)

    sizes = [("0.1×", args.chars // 10), ("1×", args.chars), ("3×", args.chars * 3)]
    if args.rss:
        sizes.append(("30 M", 30_000_000))
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        base = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        checkouts = {"this": ROOT}
        for rev in args.compare:
            short = subprocess.run(
                ["git", "-C", str(ROOT), "rev-parse", "--short", rev],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            checkouts[f"{rev} ({short})" if short != rev else rev] = stack.enter_context(
                checkout(rev)
            )
        names = list(checkouts)
        rows: list[Row] = []
        for label, chars in sizes:
            folder = base / f"speed-{args.seed}-{chars}"
            start = time.perf_counter()
            built = built_in(folder, chars, args.seed)
            print(
                f"{label}: {built.chars:,} characters, {built.paragraphs:,} paragraphs, "
                f"{built.hard:,} hard negatives ({time.perf_counter() - start:.1f} s)"
            )
            repeat = 1 if label == "30 M" else args.repeat
            found: dict[str, list[Run]] = {name: [] for name in names}
            for _ in range(repeat):  # revisions in turn, so that they share the load
                for name, where in checkouts.items():
                    found[name].append(dedup_run(where, folder, args.workers))
            row = Row(label, built, {name: best(runs) for name, runs in found.items()})
            if args.clean and label == "1×":
                cleans: dict[str, list[Run]] = {name: [] for name in names}
                for _ in range(repeat):
                    for name, where in checkouts.items():
                        cleans[name].append(clean_run(where, folder, args.workers))
                cleaned = {name: best(runs) for name, runs in cleans.items()}
                for name in names:
                    print(f"  {name} clean: {cleaned[name].seconds:.2f} s")
            for name in names:
                print(f"  {name}: {row.runs[name].seconds:.2f} s, {row.speed(name):.2f} M chars/s")
            if label == args.naive_on and not args.no_naive:
                kinds = list(NAIVE_OPENCC) if args.naive_opencc == "both" else [args.naive_opencc]
                for kind in kinds:
                    name = "naive" if kind == "reimplemented" else "naive (C++ OpenCC)"
                    python = naive_python(base / f"naive-{kind}", kind)
                    row.runs[name] = naive_run(folder, python)
                    print(
                        f"  {name}: {row.runs[name].seconds:.1f} s, {row.speed(name):.3f} M chars/s"
                    )
            rows.append(row)
    naive_name = "naive" if args.naive_opencc != "cpp" else "naive (C++ OpenCC)"
    naive = next((r.speed(naive_name) for r in rows if naive_name in r.runs), None)
    text = table(rows, names, naive) + "\n\n" + ratios(rows, names)
    if args.clean:
        text += "\n\n`dedup clean` of the 1× corpus (scan, then every file written):\n\n"
        text += "| revision | s | CPU s |\n|---|---|---|\n"
        text += "\n".join(
            f"| {name} | {run.seconds:.2f} | {run.cpu:.2f} |" for name, run in cleaned.items()
        )
    if naive:
        text += (
            f"\n\n× naive: M chars/s over the naive pipeline's ({naive:.3f}, on the"
            f" {args.naive_on} corpus, start to exit, one run)."
        )
    print("\n" + text)
    header = (
        f"Produced by `python benchmarks/speed.py {' '.join(argv or sys.argv[1:])}`".rstrip()
        + f" (each run a fresh process, timed from start to exit with the JSON report written;"
        f" dedup's default settings{f', {args.workers} workers' if args.workers else ''};"
        f" best of {args.repeat} runs, the naive pipeline once; {os.cpu_count()} CPUs,"
        f" Python {platform.python_version()}).\n\n"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(header + text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
