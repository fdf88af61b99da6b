"""Dependency benchmark: what dedup uses beside what this field reaches for first, on the
same real data.

Run from the repository root (needs the ``bench`` extra; a few minutes, most of it creating
throwaway virtual environments)::

    python benchmarks/deps.py                  # every comparison
    python benchmarks/deps.py --skip-install   # the last pip install sizes measured

1. rjieba (dedup's segmenter) vs ``jieba.lcut``: output on every SIGHAN 2005 test line
   (``../shared/data/sighan2005``, both scripts), and speed.
2. dedup's MinHash + LSH vs datasketch's ``MinHash.bulk`` + ``MinHashLSH`` at the same
   threshold and permutations, on the normalised paragraphs of the speed benchmark's 0.7 M
   character corpus, as 3-character shingles: the candidate pairs each proposes, the true
   pairs (exact Jaccard at least 0.7 among all candidates) each finds, seconds and peak
   traced memory.
3. OpenCC (the C++ library's binding, dedup's dependency) vs opencc-python-reimplemented:
   both install module ``opencc``, so the second runs in a throwaway venv under a temporary
   folder. Characters of the CJK blocks each ``t2s`` table changes, phrase conversion with
   ``tw2sp``, and the seconds to convert the traditional SIGHAN files.
4. ``pip install .`` into a fresh venv, site-packages size, with today's dependencies and
   with the former ones (jieba and datasketch, which brought scipy).

The table is printed and written to ``benchmarks/results/deps.md``.
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
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import corpus, speed  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "deps.md"
SIZES = ROOT / "benchmarks" / "results" / "install-sizes.json"
THRESHOLD, LSH_THRESHOLD, NUM_PERM, NGRAM = 0.7, 0.5, 128, 3

# Regional vocabulary that a phrase table converts and a character table cannot.
PHRASES = {
    "軟體": "软件",
    "滑鼠": "鼠标",
    "資料庫": "数据库",
    "計程車": "出租车",
    "網際網路": "互联网",
    "印表機": "打印机",
    "程式設計": "程序设计",
    "隨身碟": "U盘",
    "部落格": "博客",
    "影片": "视频",
}

_OPENCC_SCRIPT = r"""
import json, sys, time
import opencc

def converter(config):
    try:
        return opencc.OpenCC(config)
    except Exception:
        return opencc.OpenCC(config + ".json")

ranges = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
chars = [chr(c) for lo, hi in ranges for c in range(lo, hi + 1)]
t2s = converter("t2s")
out = t2s.convert("\n".join(chars)).split("\n")
changed = {c: o for c, o in zip(chars, out) if o != c} if len(out) == len(chars) else {}
tw2sp = converter("tw2sp")
phrases = {p: tw2sp.convert(p) for p in json.loads(sys.argv[1])}
text = open(sys.argv[2], encoding="utf-8").read()
t2s.convert(text[:1000])
start = time.perf_counter()
t2s.convert(text)
seconds = time.perf_counter() - start
print(json.dumps({"changed": changed, "phrases": phrases, "seconds": seconds, "chars": len(text)}))
"""


def _timed(work: Callable[[], Any]) -> tuple[Any, float, int]:
    """``work()``, its seconds, and its peak traced memory in bytes (numpy's arrays count)
    in a second run: tracing slows Python code, so it is not on while timing."""
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, seconds, peak


# --------------------------------------------------------------------------- 1. jieba


def segmenters() -> dict[str, Any]:
    import jieba
    import rjieba

    jieba.setLogLevel(60)
    jieba.initialize()
    lines = [line for lines in corpus.read_lines() for line in lines]
    rjieba.cut(lines[0])
    start = time.perf_counter()
    theirs = [jieba.lcut(line) for line in lines]
    jieba_seconds = time.perf_counter() - start
    start = time.perf_counter()
    ours = [rjieba.cut(line) for line in lines]
    rjieba_seconds = time.perf_counter() - start
    differ = [(a, b) for a, b in zip(theirs, ours) if a != b]
    return {
        "lines": len(lines),
        "chars": sum(map(len, lines)),
        "identical": len(lines) - len(differ),
        "example": differ[0] if differ else None,
        "jieba_seconds": jieba_seconds,
        "rjieba_seconds": rjieba_seconds,
    }


# --------------------------------------------------------------------------- 2. MinHash/LSH


def _keys(chars: int) -> list[str]:
    """The distinct normalised keys, long enough to sign, of the speed corpus' paragraphs."""
    from dedup.normalise import normalise_batch

    with tempfile.TemporaryDirectory() as tmp:
        speed.build_corpus(Path(tmp), chars, 1)
        texts = [
            line.strip()
            for path in sorted(Path(tmp).glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    keys = dict.fromkeys(k for k in normalise_batch(texts) if len(k) >= 15)
    return list(keys)


def _dedup_pairs(keys: list[str]) -> set[tuple[int, int]]:
    from dedup.index import band_keys, bucket_pairs
    from dedup.shingle import shingle_batch
    from dedup.signature import signatures

    hashes, offsets = shingle_batch(keys, "char", NGRAM)
    sigs = signatures(hashes, offsets, NUM_PERM, 1)
    pairs = bucket_pairs(band_keys(sigs, LSH_THRESHOLD))
    return set(map(tuple, pairs.tolist()))


def _datasketch_pairs(keys: list[str]) -> set[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH

    shingles = [[k[i : i + NGRAM].encode("utf-8") for i in range(len(k) - NGRAM + 1)] for k in keys]
    minhashes = MinHash.bulk(shingles, num_perm=NUM_PERM, seed=1)
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for i, m in enumerate(minhashes):
            session.insert(i, m, check_duplication=False)
    return {(min(i, j), max(i, j)) for i, m in enumerate(minhashes) for j in lsh.query(m) if i != j}


def minhash_lsh(chars: int) -> dict[str, Any]:
    keys = _keys(chars)
    ours, ours_s, ours_mem = _timed(lambda: _dedup_pairs(keys))
    theirs, theirs_s, theirs_mem = _timed(lambda: _datasketch_pairs(keys))
    sets = [{k[i : i + NGRAM] for i in range(len(k) - NGRAM + 1)} for k in keys]

    def true(pair: tuple[int, int]) -> bool:
        a, b = sets[pair[0]], sets[pair[1]]
        return len(a & b) / len(a | b) >= THRESHOLD

    true_pairs = {p for p in ours | theirs if true(p)}
    return {
        "keys": len(keys),
        "dedup_candidates": len(ours),
        "datasketch_candidates": len(theirs),
        "shared_candidates": len(ours & theirs),
        "true_pairs": len(true_pairs),
        "dedup_true": len(true_pairs & ours),
        "datasketch_true": len(true_pairs & theirs),
        "dedup_seconds": ours_s,
        "datasketch_seconds": theirs_s,
        "dedup_peak": ours_mem,
        "datasketch_peak": theirs_mem,
    }


# --------------------------------------------------------------------------- 3. OpenCC


def _opencc_run(python: Path | str, text_file: Path) -> dict[str, Any]:
    done = subprocess.run(
        [str(python), "-c", _OPENCC_SCRIPT, json.dumps(list(PHRASES)), str(text_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def opencc_pair() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        text_file = Path(tmp) / "traditional.txt"
        files = dict(zip(corpus.SIGHAN_FILES, corpus.read_lines()))
        traditional = [
            line for name, lines in files.items() if name[:2] in ("as", "ci") for line in lines
        ]
        text_file.write_text("\n".join(traditional), encoding="utf-8")
        cpp = _opencc_run(sys.executable, text_file)
        python = speed.make_venv(Path(tmp) / "venv", "opencc-python-reimplemented")
        pure = _opencc_run(python, text_file)
    both = set(cpp["changed"]) & set(pure["changed"])
    return {
        "cpp": cpp,
        "pure": pure,
        "agree": sum(cpp["changed"][c] == pure["changed"][c] for c in both),
        "only_cpp": len(set(cpp["changed"]) - set(pure["changed"])),
        "only_pure": len(set(pure["changed"]) - set(cpp["changed"])),
    }


# --------------------------------------------------------------------------- 4. install size


def _size(folder: Path) -> int:
    return sum((Path(d) / f).stat().st_size for d, _, files in os.walk(folder) for f in files)


def install_sizes() -> dict[str, int]:
    """site-packages of a fresh venv after ``pip install .``, now and with the former
    dependencies added, and of an empty venv (pip itself)."""
    sizes = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, packages in (
            ("empty venv", ()),
            ("now", (str(ROOT),)),
            ("before", (str(ROOT), "jieba>=0.42", "datasketch>=2.0")),
            ("now + parquet", (f"{ROOT}[parquet]",)),
        ):
            folder = Path(tmp) / label.replace(" ", "-")
            python = speed.make_venv(folder, *packages)
            site = subprocess.run(
                [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            sizes[label] = _size(Path(site))
    return sizes


# --------------------------------------------------------------------------- output


def _mib(n: float) -> str:
    return f"{n / 2**20:,.1f}"


def table(
    seg: dict[str, Any], lsh: dict[str, Any], cc: dict[str, Any], sizes: dict[str, int]
) -> str:
    cpp, pure = cc["cpp"], cc["pure"]
    phrases_cpp = sum(cpp["phrases"][p] == want for p, want in PHRASES.items())
    phrases_pure = sum(pure["phrases"][p] == want for p, want in PHRASES.items())
    lines = [
        "| comparison | dedup uses | the usual choice | measured on |",
        "|---|---|---|---|",
        f"| segmentation: same words | rjieba: {seg['identical']:,} of {seg['lines']:,} lines "
        f"identical to jieba | `jieba.lcut` | every SIGHAN 2005 test line, "
        f"{seg['chars']:,} characters |",
        f"| segmentation: seconds | {seg['rjieba_seconds']:.2f} | {seg['jieba_seconds']:.2f} "
        "| same |",
        f"| MinHash + LSH: candidate pairs | {lsh['dedup_candidates']:,} "
        f"({lsh['shared_candidates']:,} shared) | {lsh['datasketch_candidates']:,} "
        f"| {lsh['keys']:,} distinct paragraphs of the speed corpus (0.7 M characters) |",
        f"| MinHash + LSH: true pairs found (Jaccard ≥ {THRESHOLD}, {lsh['true_pairs']:,} in all "
        f"candidates) | {lsh['dedup_true']:,} | {lsh['datasketch_true']:,} | same |",
        f"| MinHash + LSH: seconds | {lsh['dedup_seconds']:.2f} | {lsh['datasketch_seconds']:.2f} "
        "| same, shingling included |",
        f"| MinHash + LSH: peak traced memory (MiB) | {_mib(lsh['dedup_peak'])} "
        f"| {_mib(lsh['datasketch_peak'])} | same |",
        f"| OpenCC `t2s`: CJK characters changed | {len(cpp['changed']):,} "
        f"| {len(pure['changed']):,} (opencc-python-reimplemented) | U+3400–4DBF, U+4E00–9FFF, "
        f"U+F900–FAFF; {cc['agree']:,} converted alike, {cc['only_cpp']:,} only by OpenCC, "
        f"{cc['only_pure']:,} only by the reimplementation |",
        f"| OpenCC `tw2sp`: Taiwan phrases to mainland | {phrases_cpp} of {len(PHRASES)} "
        f"| {phrases_pure} of {len(PHRASES)} | {', '.join(PHRASES)} |",
        f"| OpenCC `t2s`: seconds | {cpp['seconds']:.3f} | {pure['seconds']:.3f} "
        f"| the traditional SIGHAN files, {cpp['chars']:,} characters |",
    ]
    if sizes:
        lines.append(
            f"| `pip install .`: site-packages (MiB) | {_mib(sizes['now'])} "
            f"| {_mib(sizes['before'])} with jieba and datasketch (as before) | a fresh venv; "
            f"pip alone is {_mib(sizes['empty venv'])}; with `[parquet]` "
            f"{_mib(sizes['now + parquet'])} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=700_000, help="corpus for MinHash/LSH")
    parser.add_argument(
        "--skip-install", action="store_true", help="reuse the last pip install sizes measured"
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    seg = segmenters()
    print("segmenters:", {k: v for k, v in seg.items() if k != "example"})
    lsh = minhash_lsh(args.chars)
    print("minhash/lsh:", lsh)
    cc = opencc_pair()
    print("opencc: agree", cc["agree"], "only_cpp", cc["only_cpp"], "only_pure", cc["only_pure"])
    if args.skip_install and SIZES.exists():
        sizes = json.loads(SIZES.read_text(encoding="utf-8"))
    else:
        sizes = install_sizes()
        SIZES.write_text(json.dumps(sizes, indent=1) + "\n", encoding="utf-8")
    print("install sizes:", sizes)
    text = table(seg, lsh, cc, sizes)
    example = ""
    if seg["example"]:
        a, b = seg["example"]
        example = (
            f"\n\nA line segmented differently: jieba `{' '.join(a)}` / rjieba `{' '.join(b)}`."
        )
    header = (
        f"Produced by `python benchmarks/deps.py {' '.join(sys.argv[1:])}`".rstrip()
        + f" ({os.cpu_count()} CPUs, Python {platform.python_version()}).\n\n"
    )
    print("\n" + text + example)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(header + text + example + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
