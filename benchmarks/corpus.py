"""Seeded, deterministic labelled corpus of Chinese documents with planted repeated paragraphs.

Base paragraphs come from the SIGHAN 2005 test files (real text, simplified and traditional).
The pool is thinned so no two base paragraphs share a character 4-gram Jaccard >= 0.3, so every
repeat in the corpus is one we planted and recorded in ``truth.json``.

Layout: ``n_docs`` documents of 4-14 base paragraphs each; about a quarter of the paragraphs are
copied (40% later in the same document, 60% into another one), each copy with exactly one noise
kind (see ``NOISE_KINDS``). Fixed boilerplate lines (headers/footers) go on 20-60% of
documents and form their own clusters (kind ``boilerplate``). A template line
``原标题：{title}　来源：新华网`` with a different title per document is recorded as kind
``template``: whether a tool groups those lines is a judgement call, so scoring ignores them.

Large corpora (speed benchmarks): when the thinned pool runs out, base paragraphs are reused
(reshuffled) and ``Truth.pool_reused`` is set. Reused paragraphs are real repeats that the truth
does not list, so such a corpus is for timing only, not for scoring.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import opencc

NOISE_KINDS: tuple[str, ...] = (
    "exact",
    "script",
    "width",
    "space",
    "edit",
    "clause",
    "drop",
    "mixed",
)
"""Noise applied to a body copy; each copy gets exactly one."""

BOILERPLATE: tuple[tuple[str, str], ...] = (
    (
        "想爆料?請登錄《陽光連線》( https://minsheng.iqilu.com/)、撥打新聞熱線0531-66661234或96678，"
        "或登錄齊魯網官方微博(@齊魯網)提供新聞線索。",
        "bottom",
    ),
    ("（责任编辑：王小明）", "bottom"),
    ("版权声明：本文版权归原作者所有，转载请注明出处，未经许可不得用于商业用途。", "top"),
    ("更多精彩内容，请关注本报微信公众号“今日要闻”，每天为您推送最新资讯。", "bottom"),
)
"""Fixed header/footer lines and the end of the document they usually go to."""

TEMPLATE = "原标题：{title}　来源：新华网"
"""Header line whose title varies per document; kind ``template``, not scored."""

SIGHAN_FILES: tuple[str, ...] = (
    "as_test.utf8",
    "cityu_test.utf8",
    "msr_test.utf8",
    "pku_test.utf8",
)
TRUTH_FILE = "truth.json"
TRUTH_VERSION = 1

MIN_LEN = 30  # target paragraph length: join lines until at least this long ...
MAX_LEN = 200  # ... but never longer than this (longer single lines are skipped)
MAX_JOIN = 8  # at most this many lines per paragraph (traditional "as" lines are ~12 chars)
MIN_CJK = 12  # paragraphs with fewer CJK characters are dropped
THIN_THRESHOLD = 0.3  # max 4-gram Jaccard between two base paragraphs
COPY_FRACTION = 0.25
SAME_DOC_FRACTION = 0.4
BOILERPLATE_VARIANT = 0.3  # share of boilerplate occurrences with a width or script variant
OTHER_END = 0.2  # share of boilerplate occurrences placed at the other end of the document
N_RESERVE = 64  # thinned paragraphs kept aside as clause/title sources, never used as bodies

# BOM, CR and the other characters str.splitlines() treats as line breaks: keep line numbers
# identical whichever way a reader splits the files.
_STRIP = dict.fromkeys(map(ord, "\ufeff\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"))
_SCRIPT_CONFIGS: tuple[str, ...] = ("s2t", "s2tw", "s2hk", "t2s")
_CLAUSE_SPLIT = re.compile(r"[，。；！？、：,.;!?:\s「」『』（）()“”‘’《》]+")
_END_PUNCT = "。！？!?."
_SOFT_END = "，,、；;：:"


# --------------------------------------------------------------------------- data


def shared_dir() -> Path:
    """The project's shared folder: ``$DEDUP_SHARED`` or ``../shared`` next to the repo root."""
    env = os.environ.get("DEDUP_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"


def data_dir() -> Path:
    """Folder holding the SIGHAN 2005 ``*.utf8`` test files."""
    return shared_dir() / "data" / "sighan2005"


@lru_cache(maxsize=4)
def read_lines(directory: Path | None = None) -> tuple[tuple[str, ...], ...]:
    """Non-blank lines of each SIGHAN file (BOM, CR and surrounding whitespace stripped)."""
    base = directory or data_dir()
    out = []
    for name in SIGHAN_FILES:
        raw = (base / name).read_text(encoding="utf-8").lstrip("\ufeff")
        lines = (line.translate(_STRIP).strip() for line in raw.split("\n"))
        out.append(tuple(line for line in lines if line))
    return tuple(out)


# --------------------------------------------------------------------------- text helpers


def is_cjk(ch: str) -> bool:
    """True for CJK unified ideographs (basic block and extension A)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def cjk_count(text: str) -> int:
    """Number of CJK ideographs in ``text``."""
    return sum(1 for ch in text if is_cjk(ch))


@lru_cache(maxsize=16)
def converter(config: str) -> opencc.OpenCC:
    """Cached OpenCC converter for a config name such as ``s2t`` or ``t2s``."""
    return opencc.OpenCC(config)


def gram_text(text: str) -> str:
    """Text reduced for similarity checks: NFKC, simplified script, letters and digits only."""
    text = converter("t2s").convert(unicodedata.normalize("NFKC", text))
    return "".join(ch for ch in text if ch.isalnum())


def char_ngrams(text: str, n: int = 4) -> frozenset[str]:
    """Set of character n-grams of ``gram_text(text)`` (the whole text if shorter than n)."""
    t = gram_text(text)
    if len(t) <= n:
        return frozenset([t]) if t else frozenset()
    return frozenset(t[i : i + n] for i in range(len(t) - n + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two sets (0 when both are empty)."""
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


# --------------------------------------------------------------------------- pool


def build_paragraphs(rng: random.Random, files: Sequence[Sequence[str]] | None = None) -> list[str]:
    """Cut each file's lines into paragraphs of 1-3 consecutive lines (more while < MIN_LEN).

    Paragraphs never exceed MAX_LEN characters; ones with fewer than MIN_CJK ideographs are
    dropped. Output order follows the files, so the result depends only on ``rng``'s state.
    """
    out: list[str] = []
    for lines in files if files is not None else read_lines():
        i = 0
        while i < len(lines):
            want = rng.randint(1, 3)
            j, text = i, ""
            while j < len(lines) and j - i < MAX_JOIN and (j - i < want or len(text) < MIN_LEN):
                if len(text) + len(lines[j]) > MAX_LEN:
                    break
                text += lines[j]
                j += 1
            if j == i:  # a single line longer than MAX_LEN
                i += 1
                continue
            i = j
            if cjk_count(text) >= MIN_CJK:
                out.append(text)
    return out


def thin(paragraphs: Iterable[str], limit: int, threshold: float = THIN_THRESHOLD) -> list[str]:
    """Keep paragraphs in order, dropping any whose 4-gram Jaccard with a kept one >= threshold.

    Uses an inverted index from 4-gram to kept paragraphs, so each candidate is compared only
    with kept paragraphs it shares a gram with. Stops once ``limit`` paragraphs are kept.
    """
    kept: list[str] = []
    sizes: list[int] = []
    index: dict[str, list[int]] = defaultdict(list)
    for text in paragraphs:
        if len(kept) >= limit:
            break
        grams = char_ngrams(text)
        if not grams:
            continue
        shared: dict[int, int] = defaultdict(int)
        for g in grams:
            for k in index.get(g, ()):
                shared[k] += 1
        n = len(grams)
        if any(c / (n + sizes[k] - c) >= threshold for k, c in shared.items()):
            continue
        for g in grams:
            index[g].append(len(kept))
        kept.append(text)
        sizes.append(n)
    return kept


@dataclass(frozen=True)
class Pool:
    """Base paragraphs for a corpus plus a reserve used only as clause and title sources."""

    originals: tuple[str, ...]
    reserve: tuple[str, ...]
    reused: bool


def build_pool(seed: int, n_originals: int, n_reserve: int = N_RESERVE) -> Pool:
    """Thinned, shuffled pool of ``n_originals`` base paragraphs (reused only if it runs out)."""
    rng = random.Random(f"pool:{seed}")
    paragraphs = build_paragraphs(rng)
    rng.shuffle(paragraphs)
    kept = thin(paragraphs, n_originals + n_reserve)
    if len(kept) >= n_originals + n_reserve:
        return Pool(tuple(kept[:n_originals]), tuple(kept[n_originals:]), reused=False)
    # Speed mode: cycle through the thinned pool; the truth will not list these repeats.
    reserve = tuple(kept[:n_reserve])
    base = kept[n_reserve:]
    originals: list[str] = []
    while len(originals) < n_originals:
        cycle = list(base)
        rng.shuffle(cycle)
        originals.extend(cycle[: n_originals - len(originals)])
    return Pool(tuple(originals), reserve, reused=True)


# --------------------------------------------------------------------------- noise

_WIDTH_SWAP: dict[int, str] = {}
for _c in range(0x21, 0x7F):
    _WIDTH_SWAP[_c] = chr(_c + 0xFEE0)
    _WIDTH_SWAP[_c + 0xFEE0] = chr(_c)
for _full, _half in (("\u3000", " "), ("。", "｡"), ("「", "｢"), ("」", "｣"), ("、", "､")):
    _WIDTH_SWAP[ord(_full)] = _half
    _WIDTH_SWAP[ord(_half)] = _full


def width_swap(text: str) -> str:
    """Swap full-width and half-width forms (ASCII punctuation, digits, latin, 。「」、, space)."""
    return text.translate(_WIDTH_SWAP)


def is_traditional(text: str) -> bool:
    """True when OpenCC t2s changes the text, i.e. it contains traditional characters."""
    return converter("t2s").convert(text) != text


class Noiser:
    """Applies one noise kind to a paragraph; returns None when the kind cannot change it."""

    def __init__(self, rng: random.Random, alphabet: str, clause_sources: Sequence[str]) -> None:
        self.rng = rng
        self.alphabet = alphabet  # CJK chars of the pool, with repeats (frequency-weighted)
        self.clause_sources = clause_sources
        self.kinds: dict[str, Callable[[str], str | None]] = {
            "exact": lambda t: t,
            "script": self.script,
            "width": self.width,
            "space": self.space,
            "edit": self.edit,
            "clause": self.clause,
            "drop": self.drop,
            "mixed": self.mixed,
        }

    def apply(self, kind: str, text: str) -> str | None:
        """Text with noise ``kind`` applied, or None if it would not differ (except exact)."""
        out = self.kinds[kind](text)
        if out is None or (kind != "exact" and out == text) or not out.strip():
            return None
        return out

    def script(self, text: str) -> str | None:
        """OpenCC s2t, s2tw, s2hk or t2s, in random order, the first that changes the text."""
        for config in self.rng.sample(_SCRIPT_CONFIGS, len(_SCRIPT_CONFIGS)):
            out = converter(config).convert(text)
            if out != text:
                return out
        return None

    def width(self, text: str) -> str | None:
        """Full-width <-> half-width swap of punctuation, digits and latin."""
        out = width_swap(text)
        return out if out != text else None

    def space(self, text: str) -> str:
        """Full-width indent at the start and/or 1-3 spaces inserted between characters."""
        mode = self.rng.choice(("indent", "inner", "both"))
        if mode in ("inner", "both") and len(text) > 1:
            spots = sorted(
                self.rng.sample(range(1, len(text)), min(len(text) - 1, self.rng.randint(1, 3)))
            )
            for pos in reversed(spots):
                text = text[:pos] + " " + text[pos:]
        if mode in ("indent", "both") or len(text) <= 1:
            text = "\u3000\u3000" + text
        return text

    def random_cjk(self) -> str:
        """A CJK character drawn from the pool text (frequency-weighted)."""
        return self.alphabet[self.rng.randrange(len(self.alphabet))]

    def edit(self, text: str) -> str | None:
        """About 1 char in 40 inserted, substituted or deleted (at least one edit)."""
        n = max(1, round(len(text) / 40))
        for _ in range(10):
            chars = list(text)
            for _ in range(n):
                op = self.rng.choice(("insert", "substitute", "delete"))
                if op == "insert" or len(chars) < 2:
                    chars.insert(self.rng.randint(0, len(chars)), self.random_cjk())
                    continue
                pos = self.rng.randrange(len(chars))
                if op == "delete":
                    del chars[pos]
                    continue
                new = self.random_cjk()
                while new == chars[pos]:
                    new = self.random_cjk()
                chars[pos] = new
            out = "".join(chars)
            if out != text:
                return out
        return None

    def pick_clause(self) -> str:
        """A 6-14 char clause from a reserve paragraph (a substring if no clause fits)."""
        for _ in range(20):
            source = self.rng.choice(self.clause_sources)
            parts = [p for p in _CLAUSE_SPLIT.split(source) if 6 <= len(p) <= 14]
            if parts:
                return self.rng.choice(parts)
        dense = "".join(ch for ch in self.rng.choice(self.clause_sources) if is_cjk(ch))
        size = self.rng.randint(6, min(14, len(dense)))
        start = self.rng.randint(0, len(dense) - size)
        return dense[start : start + size]

    def clause(self, text: str) -> str:
        """A clause from another paragraph added at the start or end, joined with a comma."""
        extra = self.pick_clause()
        extra = converter("s2t" if is_traditional(text) else "t2s").convert(extra)
        if self.rng.random() < 0.5:
            return f"{extra}，{text}"
        if text[-1] in _END_PUNCT:
            return f"{text[:-1]}，{extra}{text[-1]}"
        if text[-1] in _SOFT_END:
            return f"{text}{extra}"
        return f"{text}，{extra}"

    def drop(self, text: str) -> str:
        """The last 10-20% of the characters cut off."""
        cut = max(1, round(len(text) * self.rng.uniform(0.10, 0.20)))
        return text[:-cut]

    def mixed(self, text: str) -> str | None:
        """Script conversion, edits and width swap together; None if any part is a no-op."""
        out = self.script(text)
        if out is None:
            return None
        out = self.edit(out)
        if out is None:
            return None
        swapped = width_swap(out)
        return swapped if swapped != out else None


# --------------------------------------------------------------------------- truth


@dataclass(frozen=True)
class Member:
    """One occurrence: file (relative, '/'-separated), 1-based line, and how it was made."""

    path: str
    line: int
    kind: str


@dataclass(frozen=True)
class Cluster:
    """A group of lines that should be reported together.

    ``kind`` is a noise kind (all copies share it), ``multi`` (copies of different kinds),
    ``boilerplate`` or ``template``. Body members have kind ``original`` or their noise kind;
    boilerplate members ``exact``, ``width`` or ``script``; template members ``template``.
    """

    kind: str
    members: tuple[Member, ...]


@dataclass(frozen=True)
class Truth:
    """The planted duplicate clusters of a generated corpus."""

    seed: int
    documents: int
    paragraphs: int
    clusters: tuple[Cluster, ...]
    pool_reused: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The ``truth.json`` form."""
        return {
            "version": TRUTH_VERSION,
            "seed": self.seed,
            "documents": self.documents,
            "paragraphs": self.paragraphs,
            "pool_reused": self.pool_reused,
            "clusters": [
                {
                    "kind": c.kind,
                    "members": [
                        {"path": m.path, "line": m.line, "kind": m.kind} for m in c.members
                    ],
                }
                for c in self.clusters
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Truth:
        """Inverse of ``to_dict``; member kind defaults to the cluster kind when absent."""
        clusters = tuple(
            Cluster(
                kind=c["kind"],
                members=tuple(
                    Member(m["path"], int(m["line"]), m.get("kind", c["kind"]))
                    for m in c["members"]
                ),
            )
            for c in data["clusters"]
        )
        return cls(
            seed=data["seed"],
            documents=data["documents"],
            paragraphs=data["paragraphs"],
            clusters=clusters,
            pool_reused=bool(data.get("pool_reused", False)),
        )


def load_truth(path: Path) -> Truth:
    """Read a ``truth.json`` file (or the one inside a corpus folder)."""
    path = Path(path)
    if path.is_dir():
        path = path / TRUTH_FILE
    return Truth.from_dict(json.loads(path.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- layout


@dataclass
class _Item:
    """A line being laid out: its text, cluster key (None = unique) and member kind."""

    text: str
    key: tuple[str, int] | None
    kind: str


def _choose_noise(noiser: Noiser, text: str) -> tuple[str, str]:
    """Pick a noise kind uniformly; if it cannot change ``text``, try the others in random order."""
    first = noiser.rng.choice(NOISE_KINDS)
    for kind in (first, *noiser.rng.sample(NOISE_KINDS, len(NOISE_KINDS))):
        out = noiser.apply(kind, text)
        if out is not None:
            return kind, out
    return "exact", text


def _title(rng: random.Random, sources: Sequence[str]) -> str:
    """A varying 8-20 char headline cut from a reserve paragraph."""
    dense = "".join(ch for ch in rng.choice(sources) if is_cjk(ch))
    size = rng.randint(8, min(20, len(dense)))
    start = rng.randint(0, len(dense) - size)
    return dense[start : start + size]


def _boilerplate_variant(rng: random.Random, text: str) -> tuple[str, str]:
    """Mostly the line as is; sometimes a width-swapped or script-converted variant."""
    r = rng.random()
    if r < BOILERPLATE_VARIANT / 2:
        return "width", width_swap(text)
    if r < BOILERPLATE_VARIANT:
        out = converter("t2s" if is_traditional(text) else "s2t").convert(text)
        if out != text:
            return "script", out
    return "exact", text


def doc_name(i: int, n_docs: int) -> str:
    """File name of document ``i`` (0-based): ``doc_0001.txt``, wider when n_docs > 9999."""
    return f"doc_{i + 1:0{max(4, len(str(n_docs)))}d}.txt"


def layout(seed: int, n_docs: int) -> tuple[list[list[_Item]], bool]:
    """Plan every document's lines (body, copies, boilerplate) for ``seed``; no file I/O."""
    if n_docs < 1:
        raise ValueError("n_docs must be >= 1")
    rng = random.Random(seed)
    sizes = [rng.randint(4, 14) for _ in range(n_docs)]
    pool = build_pool(seed, sum(sizes))
    alphabet = "".join(
        ch for text in (*pool.originals[:5000], *pool.reserve) for ch in text if is_cjk(ch)
    )
    noiser = Noiser(random.Random(f"noise:{seed}"), alphabet, pool.reserve)

    bodies: list[list[_Item]] = []
    where: list[int] = []  # original index -> document
    it = iter(pool.originals)
    for d, size in enumerate(sizes):
        items = []
        for _ in range(size):
            items.append(_Item(next(it), ("body", len(where)), "original"))
            where.append(d)
        bodies.append(items)

    for _ in range(round(len(where) * COPY_FRACTION)):
        src = rng.randrange(len(where))
        d = where[src]
        key = ("body", src)
        original = next(item for item in bodies[d] if item.key == key and item.kind == "original")
        kind, text = _choose_noise(noiser, original.text)
        if n_docs == 1 or rng.random() < SAME_DOC_FRACTION:
            pos = bodies[d].index(original)
            bodies[d].insert(rng.randint(pos + 1, len(bodies[d])), _Item(text, key, kind))
        else:
            other = rng.randrange(n_docs - 1)
            other += other >= d
            bodies[other].insert(rng.randint(0, len(bodies[other])), _Item(text, key, kind))

    tops: list[list[_Item]] = [[] for _ in range(n_docs)]
    bottoms: list[list[_Item]] = [[] for _ in range(n_docs)]
    for b, (line, end) in enumerate(BOILERPLATE):
        count = min(n_docs, max(2, round(n_docs * rng.uniform(0.2, 0.6))))
        for d in sorted(rng.sample(range(n_docs), count)):
            kind, text = _boilerplate_variant(rng, line)
            at_top = (end == "top") != (rng.random() < OTHER_END)
            (tops if at_top else bottoms)[d].append(_Item(text, ("boilerplate", b), kind))
    count = min(n_docs, max(2, round(n_docs * rng.uniform(0.2, 0.6))))
    for d in sorted(rng.sample(range(n_docs), count)):
        text = TEMPLATE.format(title=_title(rng, pool.reserve))
        tops[d].insert(0, _Item(text, ("template", 0), "template"))

    docs = [tops[d] + bodies[d] + bottoms[d] for d in range(n_docs)]
    return docs, pool.reused


def _truth_from_layout(seed: int, docs: list[list[_Item]], reused: bool) -> Truth:
    """Collect clusters (keys with 2+ occurrences) in a fixed order: body, boilerplate, template."""
    groups: dict[tuple[str, int], list[Member]] = defaultdict(list)
    n_docs = len(docs)
    for d, items in enumerate(docs):
        for line, item in enumerate(items, start=1):
            if item.key is not None:
                groups[item.key].append(Member(doc_name(d, n_docs), line, item.kind))
    order = {"body": 0, "boilerplate": 1, "template": 2}
    clusters = []
    for key in sorted(groups, key=lambda k: (order[k[0]], k[1])):
        members = groups[key]
        if len(members) < 2:
            continue
        if key[0] == "body":
            members.sort(key=lambda m: (m.kind != "original", m.path, m.line))
            kinds = {m.kind for m in members[1:]}
            kind = kinds.pop() if len(kinds) == 1 else "multi"
        else:
            kind = key[0]
        clusters.append(Cluster(kind, tuple(members)))
    return Truth(
        seed=seed,
        documents=n_docs,
        paragraphs=sum(len(items) for items in docs),
        clusters=tuple(clusters),
        pool_reused=reused,
    )


def generate(out_dir: Path, seed: int, n_docs: int = 300, *, overwrite: bool = False) -> Truth:
    """Write ``n_docs`` documents and ``truth.json`` into ``out_dir``; return the truth.

    The same seed and n_docs always give byte-identical files. ``out_dir`` must be empty unless
    ``overwrite`` is set, in which case old ``doc_*.txt`` files and ``truth.json`` are removed.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    existing = sorted(out_dir.iterdir())
    if existing:
        if not overwrite:
            raise FileExistsError(f"{out_dir} is not empty")
        for p in existing:
            if p.is_file() and (p.name == TRUTH_FILE or re.fullmatch(r"doc_\d+\.txt", p.name)):
                p.unlink()
    docs, reused = layout(seed, n_docs)
    for d, items in enumerate(docs):
        lines = [item.text for item in items]
        assert all(line.strip() and len(line.splitlines()) == 1 for line in lines)
        text = "\n".join(lines) + "\n"
        (out_dir / doc_name(d, n_docs)).write_text(text, encoding="utf-8", newline="\n")
    truth = _truth_from_layout(seed, docs, reused)
    payload = json.dumps(truth.to_dict(), ensure_ascii=False, indent=1)
    (out_dir / TRUTH_FILE).write_text(payload + "\n", encoding="utf-8", newline="\n")
    return truth


def main(argv: Sequence[str] | None = None) -> None:
    """CLI: ``python benchmarks/corpus.py OUT --seed 1 --docs 300``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="output folder (must be empty unless --force)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--force", action="store_true", help="replace an earlier corpus")
    args = parser.parse_args(argv)
    truth = generate(args.out, args.seed, args.docs, overwrite=args.force)
    kinds: dict[str, int] = defaultdict(int)
    for c in truth.clusters:
        kinds[c.kind] += 1
    print(
        f"{truth.documents} documents, {truth.paragraphs} lines, {len(truth.clusters)} clusters "
        f"({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})"
        + ("; pool reused: timing only" if truth.pool_reused else "")
    )


if __name__ == "__main__":
    main()
