"""Reprint benchmark: what `clean` keeps and what the clusters hold, scored sentence by sentence.

Run from the repository root (about a minute on 2 cores)::

    python -m benchmarks.reprint

Two corpora from the real SIGHAN 2005 sentences (``../shared/data/sighan2005``), seeded:

* **reprints**: articles of 4-10 paragraphs of 2-5 real sentences (each sentence used by one
  article only), a third of them reprinted 1-3 times on other pages, each reprint with
  paragraphs split, merged, dropped, an editor's note appended, a lead sentence moved into the
  previous paragraph, in another script or width; one-sentence quotes of other articles inside
  paragraphs; some pages with their body twice; and per-site templated boilerplate
  (`来源：{site} {date}`, `本报记者 {name} 报道`, `原标题：{title}`,
  `（责任编辑：{name}）`) and a fixed footer.
* **recombined**: paragraphs of 2-5 sentences drawn from a small pool of real sentences, so
  that most paragraphs share a sentence with others (hard negatives) and a few share most.

Every line's sentences are known by id, so the scores are exact:

* sentences lost by `clean` (must be 0), with and without ``--within`` and ``--keep longest``;
* cluster purity: pairs inside clusters (other than template clusters, whose lines differ in
  their field by design) whose texts are near copies (sentences making up at least half of
  the characters of both are shared);
* redundant characters left after `clean`: characters of sentence copies beyond the first,
  as a share of those in the input; beside it the floor for whole-line removal that never
  loses a sentence (the same two passes run on the true sentence ids: a quote inside a
  paragraph that stays cannot go);
* boilerplate templates found as one cluster each, and body clusters labelled boilerplate,
  for several ``boilerplate_docs`` thresholds;
* recombined corpus: pairs inside clusters that are unrelated (share less than half of the
  smaller paragraph's characters).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import dedup  # noqa: E402
from benchmarks import corpus  # noqa: E402
from dedup.sentences import split_sentences  # noqa: E402

SITES = ("新华网", "人民网", "大众日报")
NAMES = ("王晓", "李明", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "孙丽", "周强", "吴芳")
FOOTER = "本网站所有内容均受版权保护，未经书面许可不得转载或镜像，违者必究。"
RESULTS = ROOT / "benchmarks" / "results" / "reprint.md"


@dataclass
class Line:
    """A line of a page and the ids of the sentences it is made of (its truth)."""

    text: str
    ids: tuple[int, ...]
    template: str | None = None
    boilerplate: bool = False


@dataclass
class Corpus:
    """Pages of lines, and the text length of each sentence id."""

    pages: dict[str, list[Line]] = field(default_factory=dict)
    length: dict[int, int] = field(default_factory=dict)

    def sentence(self, text: str) -> int:
        """A new id for a sentence (a real one, a note or a boilerplate line)."""
        self.length[len(self.length)] = len(text)
        return len(self.length) - 1


def real_sentences(seed: int) -> list[str]:
    """Distinct whole real sentences (ending in 。！？) of 8-60 characters, distinct by
    dedup's key, shuffled."""
    seen: set[str] = set()
    found = []
    for lines in corpus.read_lines():
        for text in (s for line in lines for s in split_sentences(line)):
            key = dedup.normalise(text)
            if 8 <= len(text) <= 60 and text[-1] in "。！？" and key not in seen:
                seen.add(key)
                found.append(text)
    random.Random(seed).shuffle(found)
    return found


def _noise(rng: random.Random, text: str, kind: str) -> str:
    if kind == "script":
        return corpus.converter("s2t" if not corpus.is_traditional(text) else "t2s").convert(text)
    if kind == "width":
        return corpus.width_swap(text)
    return text


def reprints(seed: int, n_articles: int) -> Corpus:
    """The reprint corpus (see the module docstring)."""
    rng = random.Random(f"reprint:{seed}")
    pool = iter(real_sentences(seed))
    out = Corpus()
    texts: dict[int, str] = {}

    def new(text: str) -> int:
        i = out.sentence(text)
        texts[i] = text
        return i

    articles = [
        [[new(next(pool)) for _ in range(rng.randint(2, 5))] for _ in range(rng.randint(4, 10))]
        for _ in range(n_articles)
    ]
    pages: list[tuple[int, list[list[int]], str]] = []  # article, paragraphs, noise
    for number, article in enumerate(articles):
        pages.append((number, [list(p) for p in article], "none"))
        if rng.random() < 1 / 3:
            for _ in range(rng.randint(1, 3)):
                pages.append((number, _recut(rng, article, new, pool), rng.choice(NOISES)))
    rng.shuffle(pages)
    # One-sentence quotes of other articles inside paragraphs.
    for _ in range(len(pages) // 4):
        _, paragraphs, _ = rng.choice(pages)
        source = rng.choice(articles)
        quoted = rng.choice(rng.choice(source))
        rng.choice(paragraphs).insert(1, quoted)

    for number, (article, paragraphs, noise) in enumerate(pages):
        site = rng.choice(SITES)
        body = [
            Line(_noise(rng, "".join(texts[i] for i in p), noise), tuple(p)) for p in paragraphs
        ]
        if rng.random() < 0.1:
            body = body + body  # the whole body twice on one page
        top, bottom = [], []
        if rng.random() < 0.8:
            top.append(_boiler(out, f"来源：{site} 2024-12-{rng.randint(1, 28):02}", "来源"))
        if rng.random() < 0.6:
            top.append(_boiler(out, f"本报记者 {rng.choice(NAMES)} 报道", "本报记者"))
        if noise != "none" and rng.random() < 0.7:
            title = texts[articles[article][0][0]][: 8 + article % 7]
            top.insert(0, _boiler(out, f"原标题：{title}", "原标题"))
        if rng.random() < 0.8:
            bottom.append(_boiler(out, f"（责任编辑：{rng.choice(NAMES)}）", "责任编辑"))
        if rng.random() < 0.5:
            bottom.append(_boiler(out, FOOTER, None))
        out.pages[f"{number:04}.txt"] = top + body + bottom
    return out


NOISES = ("none", "none", "script", "width")

_boiler_ids: dict[str, int] = {}


def _boiler(out: Corpus, text: str, template: str | None) -> Line:
    """A boilerplate line; the same text is the same sentence wherever it is."""
    key = dedup.normalise(text)
    if key not in _boiler_ids:
        _boiler_ids[key] = out.sentence(text)
    return Line(text, (_boiler_ids[key],), template, True)


def _recut(
    rng: random.Random, article: list[list[int]], new: Callable[[str], int], pool: Iterator[str]
) -> list[list[int]]:
    """A reprint of an article's paragraphs with 1-3 edits: split, merge, drop, note, move."""
    paragraphs = [list(p) for p in article]
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(paragraphs))
        edit = rng.choice(("split", "merge", "drop", "note", "move"))
        p = paragraphs[at]
        if edit == "split" and len(p) > 1:
            cut = rng.randint(1, len(p) - 1)
            paragraphs[at : at + 1] = [p[:cut], p[cut:]]
        elif edit == "merge" and at + 1 < len(paragraphs):
            paragraphs[at : at + 2] = [p + paragraphs[at + 1]]
        elif edit == "drop" and len(paragraphs) > 2:
            del paragraphs[at]
        elif edit == "note":
            p.append(new("（编者注：" + next(pool)[:20] + "。）"))
        elif edit == "move" and at > 0 and len(p) > 1:
            paragraphs[at - 1].append(p.pop(0))
    return paragraphs


def recombined(seed: int, n_paragraphs: int, n_sentences: int) -> Corpus:
    """Paragraphs made of real sentences from a pool of ``n_sentences``, 4-12 to a page:
    half of them 2-5 sentences drawn at random, half windows of 4-6 consecutive pool
    sentences that start at one of a few hundred places give or take a few sentences, so
    that paragraphs overlap their neighbours' windows by most, some, or a single sentence;
    and a tenth of them copied whole onto another page."""
    rng = random.Random(f"recombined:{seed}")
    pool = real_sentences(seed + 1)[:n_sentences]
    out = Corpus()
    ids = [out.sentence(text) for text in pool]
    starts = rng.sample(range(len(ids) - 16), n_paragraphs // 40)
    paragraphs = []
    for _ in range(n_paragraphs):
        if rng.random() < 0.5:
            paragraphs.append(rng.sample(ids, rng.randint(2, 5)))
        else:
            start = rng.choice(starts) + rng.randint(0, 8)
            paragraphs.append(ids[start : start + rng.randint(4, 6)])
    paragraphs += [list(rng.choice(paragraphs)) for _ in range(n_paragraphs // 10)]
    rng.shuffle(paragraphs)
    number = 0
    while paragraphs:
        size = rng.randint(4, 12)
        page, paragraphs = paragraphs[:size], paragraphs[size:]
        out.pages[f"{number:04}.txt"] = [Line("".join(pool[i] for i in p), tuple(p)) for p in page]
        number += 1
    return out


def write(c: Corpus, folder: Path) -> None:
    for name, lines in c.pages.items():
        (folder / name).write_text("\n".join(line.text for line in lines) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- scores


def _shared_chars(c: Corpus, a: Line, b: Line) -> tuple[int, int, int]:
    """Characters of the sentences a and b share, and of each."""
    sa, sb = set(a.ids), set(b.ids)
    shared = sum(c.length[i] for i in sa & sb)
    return shared, sum(c.length[i] for i in sa), sum(c.length[i] for i in sb)


def near(c: Corpus, a: Line, b: Line) -> bool:
    """Near copies: shared sentences make at least half of each one's characters."""
    shared, la, lb = _shared_chars(c, a, b)
    return 2 * shared >= max(la, lb)


def related(c: Corpus, a: Line, b: Line) -> bool:
    """Related: shared sentences make at least half of the smaller one's characters."""
    shared, la, lb = _shared_chars(c, a, b)
    return 2 * shared >= min(la, lb)


@dataclass
class Scores:
    lost: int
    lost_within: int
    lost_longest: int
    sentences: int
    pairs: int
    near_pairs: int
    unrelated_pairs: int
    duplicated_chars: int
    redundant_chars: int
    floor_chars: int
    templates_found: int
    templates: int
    body_as_boilerplate: int
    clusters: int
    seconds: float


def oracle(c: Corpus) -> list[Line]:
    """The lines whole-line removal keeps when it knows every sentence: `clean`'s two
    passes on the true ids, in path order."""
    lines = [line for name in sorted(c.pages) for line in c.pages[name]]
    copies: Counter[int] = Counter()
    kept = []
    for line in lines:
        keep = not all(copies[i] for i in line.ids)
        kept.append(keep)
        if keep:
            copies.update(set(line.ids))
    for k in reversed(range(len(lines))):
        ids = set(lines[k].ids)
        if kept[k] and all(copies[i] >= 2 for i in ids):
            kept[k] = False
            copies.subtract(ids)
    return [line for line, keep in zip(lines, kept) if keep]


def _redundant(c: Corpus, kept: list[Line]) -> int:
    """Characters of sentence copies beyond the first."""
    counts = Counter(i for line in kept for i in line.ids)
    return sum(c.length[i] * (n - 1) for i, n in counts.items())


def score(c: Corpus, folder: Path) -> Scores:
    """Scan and clean ``folder`` (holding ``c``) and score what came out."""
    started = time.perf_counter()
    report = dedup.scan(folder, progress=False)
    seconds = time.perf_counter() - started
    line_of = {
        (name, n + 1): line for name, lines in c.pages.items() for n, line in enumerate(lines)
    }
    everything = [line for lines in c.pages.values() for line in lines]
    ids = {i for line in everything for i in line.ids}

    def lost(r: dedup.Report, within: bool) -> int:
        gone = r.removals(within)
        kept = [
            line
            for name, lines in c.pages.items()
            for n, line in enumerate(lines)
            if n + 1 not in gone.get(name, set())
        ]
        return len(ids - {i for line in kept for i in line.ids})

    gone = report.removals()
    kept = [
        line
        for name, lines in c.pages.items()
        for n, line in enumerate(lines)
        if n + 1 not in gone.get(name, set())
    ]
    longest = dedup.scan(folder, dedup.Config(keep="longest"), progress=False)
    pairs = near_pairs = unrelated = 0
    for cluster in report.clusters:
        if cluster.template is not None:  # members differ in their field by design
            continue
        members = [line_of[(m.path, m.line)] for m in cluster.members]
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pairs += 1
                near_pairs += near(c, members[x], members[y])
                unrelated += not related(c, members[x], members[y])
    planted: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for name, lines in c.pages.items():
        for n, line in enumerate(lines):
            if line.template:
                planted[line.template].add((name, n + 1))
    found = 0
    for places in planted.values():
        found += any(
            c_.kind == "boilerplate" and {(m.path, m.line) for m in c_.members} == places
            for c_ in report.clusters
        )
    body_as_boilerplate = sum(
        c_.kind == "boilerplate"
        and not any(line_of[(m.path, m.line)].boilerplate for m in c_.members)
        for c_ in report.clusters
    )
    return Scores(
        lost=lost(report, False),
        lost_within=lost(report, True),
        lost_longest=lost(longest, False),
        sentences=len(ids),
        pairs=pairs,
        near_pairs=near_pairs,
        unrelated_pairs=unrelated,
        duplicated_chars=_redundant(c, everything),
        redundant_chars=_redundant(c, kept),
        floor_chars=_redundant(c, oracle(c)),
        templates_found=found,
        templates=len(planted),
        body_as_boilerplate=body_as_boilerplate,
        clusters=len(report.clusters),
        seconds=seconds,
    )


def sweep(c: Corpus, folder: Path, values: Sequence[int]) -> list[tuple[int, int, int, int]]:
    """For each ``boilerplate_docs``: templates found, boilerplate clusters, and body clusters
    labelled boilerplate."""
    rows = []
    line_of = {
        (name, n + 1): line for name, lines in c.pages.items() for n, line in enumerate(lines)
    }
    for value in values:
        report = dedup.scan(folder, dedup.Config(boilerplate_docs=value), progress=False)
        labelled = [k for k in report.clusters if k.kind == "boilerplate"]
        templates = sum(k.template is not None for k in labelled)
        body = sum(
            not any(line_of[(m.path, m.line)].boilerplate for m in k.members) for k in labelled
        )
        rows.append((value, templates, len(labelled), body))
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--paragraphs", type=int, default=20000, help="recombined corpus")
    parser.add_argument("--pool", type=int, default=4000, help="sentences it draws from")
    args = parser.parse_args(argv)
    shown: list[str] = []

    def out(line: str = "") -> None:
        print(line)
        shown.append(line)

    rows = []
    for seed in args.seeds:
        _boiler_ids.clear()
        c = reprints(seed, args.articles)
        with tempfile.TemporaryDirectory() as tmp:
            write(c, Path(tmp))
            s = score(c, Path(tmp))
            swept = sweep(c, Path(tmp), (2, 3, 5, 8)) if seed == args.seeds[0] else []
        r = recombined(seed, args.paragraphs, args.pool)
        with tempfile.TemporaryDirectory() as tmp:
            write(r, Path(tmp))
            t = score(r, Path(tmp))
        chars = sum(len(line.text) for lines in c.pages.values() for line in lines)
        r_chars = sum(len(line.text) for lines in r.pages.values() for line in lines)
        rows.append((seed, c, chars, s, r_chars, t))
        if swept:
            sweep_rows = swept
    out(
        "| seed | pages | characters | sentences | lost: clean / --within / --keep longest "
        "| cluster purity | redundant left (floor) | templates |"
    )
    out("|---|---|---|---|---|---|---|---|")
    for seed, c, chars, s, _, _ in rows:
        out(
            f"| {seed} | {len(c.pages)} | {chars:,} | {s.sentences:,} "
            f"| {s.lost} / {s.lost_within} / {s.lost_longest} "
            f"| {s.near_pairs / max(s.pairs, 1):.4f} ({s.near_pairs:,}/{s.pairs:,}) "
            f"| {s.redundant_chars / max(s.duplicated_chars, 1):.2%} "
            f"({s.floor_chars / max(s.duplicated_chars, 1):.2%}) "
            f"| {s.templates_found}/{s.templates} |"
        )
    out()
    out("| seed | recombined characters | pairs in clusters | unrelated pairs | lost |")
    out("|---|---|---|---|---|")
    for seed, _, _, _, r_chars, t in rows:
        share = t.unrelated_pairs / max(t.pairs, 1)
        out(
            f"| {seed} | {r_chars:,} | {t.pairs:,} | {share:.2%} ({t.unrelated_pairs}) | {t.lost} |"
        )
    out()
    out(f"boilerplate_docs (seed {args.seeds[0]}):")
    out()
    out("| boilerplate_docs | template clusters | boilerplate clusters | body clusters labelled |")
    out("|---|---|---|---|")
    for value, templates, labelled, body in sweep_rows:
        out(f"| {value} | {templates} | {labelled} | {body} |")
    RESULTS.write_text(
        "# Reprint benchmark\n\n`python -m benchmarks.reprint`\n\n" + "\n".join(shown) + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
