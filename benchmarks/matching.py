"""Matching benchmark: facts kept apart; regional vocabulary, short lines and fragments found.

Run from the repository root (about a minute)::

    python -m benchmarks.matching

Built from the real SIGHAN 2005 sentences in ``../shared/data/sighan2005`` (see
``benchmarks.corpus``), seeded and deterministic, one scan with dedup's defaults per part:

- **records**: real sentences and a variant of each that differs in one fact: a number
  (one digit or Chinese numeral of a word jieba.posseg tags ``m`` changed, or one Chinese
  numeral or digit of a number dropped: 第二十四条 / 第二十条, 2000亿 / 200亿), a person,
  place, organisation or time (a dictionary word jieba.posseg tags ``nr``, ``ns``, ``nt``,
  ``t`` swapped for another such word with that tag from the corpus), plus the issue's own
  examples. Every pair is a distinct record: merged pairs should be 0. ``similar`` counts
  the pairs whose shingle sets reach the threshold or containment, the ones only the record
  check keeps apart.
- **regional**: simplified mainland sentences (MSR, PKU) and their OpenCC ``s2twp`` (Taiwan
  vocabulary) and ``s2hk`` copies, long lines and short ones (the clauses of 4-14
  characters of those sentences, under ``min_chars``). Recall: pairs clustered together.
  ``characters only`` is the share of pairs whose keys a per-character table alone
  (``normalise.fold_batch``) makes equal: what phrase conversion adds.
- **fragments**: a paragraph (>= ``min_chars``) placed whole inside a longer one made of other
  real paragraphs, at 25-80% of the host's length, with no noise or with script, width or
  edit noise (``benchmarks.corpus.Noiser``) on the copy inside the host. Recall: pairs found
  (in one cluster, or one reported as contained in the other).

The planted noise kinds of today are scored by ``python -m benchmarks.accuracy``. The table
is printed and written to ``benchmarks/results/matching.md``.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import dedup
from benchmarks import corpus
from dedup.normalise import fold_batch, normalise_batch

RESULTS = Path(__file__).resolve().parent / "results" / "matching.md"
NAME_TAGS = {"nr": "person", "ns": "place", "nt": "organisation", "t": "time"}
NUMERALS = "零一二三四五六七八九十百千万"
DIGITS = "0123456789０１２３４５６７８９"
ISSUE_RECORDS = (
    ("華銀已撥貸5億元", "彰銀已撥貸5億元"),
    ("法院一審宣判，被告被判10年徒刑，並處罰金", "法院一審宣判，被告被判12年徒刑，並處罰金"),
    ("鴻海第三季營收年增51%", "华硕第三季营收年增51%"),
    ("中山大学2018届本科毕业生 钟馨乐", "中山大学2018届本科毕业生 周颖怡"),
    ("全年出口總額達到新高，勝過此前2000年", "全年出口總額達到新高，勝過此前2002年"),
    ("1-2月全国规模以上工业企业利润同比增长", "12月全国规模以上工业企业利润同比增长"),
)
_CLAUSE = re.compile(r"[，。；！？、：,.;!?:\s「」『』（）()“”‘’《》]+")


def _lines(names: Iterable[str]) -> list[str]:
    """Distinct lines (by key) of the named SIGHAN files, in order."""
    files = dict(zip(corpus.SIGHAN_FILES, corpus.read_lines()))
    seen: set[str] = set()
    out = []
    for name in names:
        for line, key in zip(files[name], normalise_batch(files[name])):
            if key not in seen:
                seen.add(key)
                out.append(line)
    return out


def _together(report: dedup.Report, pairs: Sequence[tuple[str, str]]) -> list[bool]:
    """For each pair of text names, whether one cluster holds both or the report finds one
    contained in the other."""
    cluster_of = {m.path: c.id for c in report.clusters for m in c.members}
    inside = {(c.path, c.contained_in.path) for c in report.contained}
    return [
        (a in cluster_of and cluster_of.get(a) == cluster_of.get(b))
        or (a, b) in inside
        or (b, a) in inside
        for a, b in pairs
    ]


def _shingles(key: str) -> set[str]:
    return {key[i : i + 3] for i in range(max(len(key) - 2, 1))}


def similar(a: str, b: str, config: dedup.Config) -> bool:
    """Whether the keys' shingle sets reach the threshold or containment (dedup's test
    before the record check), for keys long enough to be compared at all."""
    ka, kb = normalise_batch([a, b])
    if min(len(ka), len(kb)) < config.min_chars:
        return ka == kb
    sa, sb = _shingles(ka), _shingles(kb)
    shared = len(sa & sb)
    return shared / len(sa | sb) >= config.threshold or shared / min(len(sa), len(sb)) >= (
        config.containment
    )


def record_pairs(rng: random.Random, per_kind: int) -> list[tuple[str, str, str]]:
    """(kind, sentence, variant) pairs that differ in one fact."""
    import jieba
    import jieba.posseg as posseg

    jieba.setLogLevel(60)
    lines = [line for line in _lines(corpus.SIGHAN_FILES) if 15 <= len(line) <= 120]
    rng.shuffle(lines)
    # Dictionary words only (no HMM guesses), so that a swap replaces a whole real name.
    tagged = [
        [(p.word, p.flag) for p in posseg.cut(line, HMM=False)] for line in lines[: per_kind * 12]
    ]
    words: dict[str, list[str]] = defaultdict(list)
    for sentence in tagged:
        for word, tag in sentence:
            if tag in NAME_TAGS and len(word) >= 2:
                words[tag].append(word)
    made: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for sentence in tagged:
        text = "".join(w for w, _ in sentence)
        options = [(i, w, t) for i, (w, t) in enumerate(sentence) if t in NAME_TAGS or t == "m"]
        rng.shuffle(options)
        for i, word, tag in options:
            kind = "number" if tag == "m" else NAME_TAGS[tag]
            if len(made[kind]) >= per_kind:
                continue
            new = _number_variant(rng, word) if tag == "m" else rng.choice(words[tag])
            if new is None or new == word or (tag != "m" and len(word) < 2):
                continue
            variant = "".join(new if j == i else w for j, (w, _) in enumerate(sentence))
            if len(set(normalise_batch([text, variant]))) == 2:  # not the same word in
                made[kind].append((kind, text, variant))  # another script
            break
    # Numbers with one numeral (of a word tagged m) or digit dropped, drawn apart so that
    # the pairs above stay those of earlier runs.
    for kind in ("numeral dropped", "digit dropped"):
        apart = random.Random()
        apart.setstate(rng.getstate())
        for sentence in tagged:
            spots = [(i, w) for i, (w, t) in enumerate(sentence) if t == "m"]
            if len(made[kind]) >= per_kind or not spots:
                continue
            text = "".join(w for w, _ in sentence)
            if kind == "digit dropped":
                variant = _dropped(apart, text, DIGITS)
            else:
                i, word = apart.choice(spots)
                new = _dropped(apart, word, NUMERALS)
                variant = new and "".join(new if j == i else w for j, (w, _) in enumerate(sentence))
            if variant:
                made[kind].append((kind, text, variant))
    pairs = [p for kind in sorted(made) for p in made[kind]]
    return pairs + [("issue", a, b) for a, b in ISSUE_RECORDS]


def _dropped(rng: random.Random, word: str, alphabet: str) -> str | None:
    """``word`` without one character of ``alphabet`` that stands next to another
    (第二十四条 -> 第二十条, 2000亿 -> 200亿), or None if it has no such character."""
    spots = [
        i
        for i, c in enumerate(word)
        if c in alphabet
        and any(n in alphabet for n in word[max(i - 1, 0) : i] + word[i + 1 : i + 2])
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    return word[:i] + word[i + 1 :]


def _number_variant(rng: random.Random, word: str) -> str | None:
    """``word`` with one of its digits or Chinese numerals changed, or None if it has none."""
    spots = [i for i, c in enumerate(word) if c.isdigit() or c in NUMERALS]
    if not spots:
        return None
    i = rng.choice(spots)
    pool = "0123456789" if word[i] in "0123456789" else NUMERALS[:10]
    if word[i] not in pool:
        pool = "0123456789０１２３４５６７８９" if word[i].isdigit() else NUMERALS
    return word[:i] + rng.choice([c for c in pool if c != word[i]]) + word[i + 1 :]


def regional_pairs() -> list[tuple[str, str, str, str]]:
    """(config, length, sentence, copy) for simplified sentences and clauses whose OpenCC
    ``s2twp`` / ``s2hk`` copy differs from them."""
    lines = _lines(("msr_test.utf8", "pku_test.utf8"))
    clauses = sorted(
        {c for line in lines for c in _CLAUSE.split(line) if 4 <= len(c) < 15},
        key=lambda c: (len(c), c),
    )
    found = []
    for config in ("s2twp", "s2hk"):
        convert = corpus.converter(config).convert
        for length, texts in (("long", [x for x in lines if len(x) >= 15]), ("short", clauses)):
            found += [(config, length, t, convert(t)) for t in texts if convert(t) != t]
    return found


def fragment_pairs(rng: random.Random, count: int) -> list[tuple[str, str, str, float]]:
    """(noise, fragment, host, share of the host) for paragraphs placed inside others."""
    pool = corpus.build_pool(7, count * 4)
    paragraphs = list(pool.originals)
    alphabet = "".join(ch for text in paragraphs[:2000] for ch in text if corpus.is_cjk(ch))
    noiser = corpus.Noiser(rng, alphabet, pool.reserve)
    fillers = iter(paragraphs[count:])
    found = []
    for i, fragment in enumerate(paragraphs[:count]):
        noise = ("none", "script", "width", "edit")[i % 4]
        inside = fragment if noise == "none" else noiser.apply(noise, fragment)
        if inside is None:
            noise, inside = "none", fragment
        share = rng.uniform(0.25, 0.8)
        need = round(len(inside) / share) - len(inside)
        filler = ""
        while len(filler) < need:
            filler += next(fillers)
        cut = rng.randint(0, need)
        host = filler[:cut] + inside + filler[cut:need]
        found.append((noise, fragment, host, len(inside) / len(host)))
    return found


def _scan(texts: dict[str, str]) -> tuple[dedup.Report, float]:
    start = time.perf_counter()
    report = dedup.scan(texts, progress=False)
    return report, time.perf_counter() - start


def _strays(report: dedup.Report, pair_of: dict[str, int]) -> int:
    """Members of clusters that join texts of different planted pairs."""
    return sum(
        len({pair_of[m.path] for m in c.members}) > 1 for c in report.clusters for _ in c.members
    )


def run(seed: int, per_kind: int, fragments: int) -> str:
    rng = random.Random(seed)
    config = dedup.Config()
    rows = [
        "| part | kind | pairs | similar | found together | target |",
        "|---|---|---|---|---|---|",
    ]

    records = record_pairs(rng, per_kind)
    texts = {f"rec/{i}/{side}": t for i, p in enumerate(records) for side, t in zip("ab", p[1:])}
    report, seconds = _scan(texts)
    together = _together(report, [(f"rec/{i}/a", f"rec/{i}/b") for i in range(len(records))])
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for (kind, a, b), joined in zip(records, together):
        by_kind[kind].update(pairs=1, similar=similar(a, b, config), merged=joined)
    for kind, counts in sorted(by_kind.items()):
        rows.append(
            f"| records | {kind} | {counts['pairs']} | {counts['similar']} "
            f"| {counts['merged']} merged | 0 merged |"
        )

    regional = regional_pairs()
    texts = {f"reg/{i}/{side}": t for i, p in enumerate(regional) for side, t in zip("ab", p[2:])}
    report, seconds_reg = _scan(texts)
    together = _together(report, [(f"reg/{i}/a", f"reg/{i}/b") for i in range(len(regional))])
    folded = fold_batch([t for p in regional for t in p[2:]])
    groups: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for (config_name, length, _, _), joined, a, b in zip(
        regional, together, folded[0::2], folded[1::2]
    ):
        for group in ((config_name, length), ("all", "")):
            groups[group].update(pairs=1, found=joined, chars=a == b)
    for (config_name, length), counts in sorted(groups.items(), key=lambda g: g[0][0] == "all"):
        name = f"{config_name} {length}".strip()
        rows.append(
            f"| regional | {name} | {counts['pairs']} | characters only: "
            f"{counts['chars'] / counts['pairs']:.3f} | {counts['found'] / counts['pairs']:.3f} "
            "| >= 0.97 |"
        )

    planted = fragment_pairs(rng, fragments)
    texts = {f"frag/{i}/{side}": t for i, p in enumerate(planted) for side, t in zip("ab", p[1:3])}
    report, seconds_frag = _scan(texts)
    pairs = [(f"frag/{i}/a", f"frag/{i}/b") for i in range(len(planted))]
    together = _together(report, pairs)
    strays = _strays(report, {name: int(name.split("/")[1]) for name in texts})
    frag_groups: dict[str, Counter[str]] = defaultdict(Counter)
    for (noise, _, _, share), joined in zip(planted, together):
        band = "25-40%" if share < 0.4 else "40-60%" if share < 0.6 else "60-80%"
        for group in (f"noise {noise}", f"share {band}", "all"):
            frag_groups[group].update(pairs=1, found=joined)
    for group, counts in sorted(frag_groups.items(), key=lambda g: g[0] == "all"):
        rows.append(
            f"| fragments | {group} | {counts['pairs']} | | "
            f"{counts['found'] / counts['pairs']:.3f} | >= 0.95 |"
        )
    rows.append(f"| fragments | members joining different pairs | | | {strays} | 0 |")
    timing = (
        f"Scans: records {seconds:.1f}s, regional {seconds_reg:.1f}s, fragments "
        f"{seconds_frag:.1f}s (seed {seed})."
    )
    return "\n".join(rows) + "\n\n" + timing


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-kind", type=int, default=300, help="record pairs per kind")
    parser.add_argument("--fragments", type=int, default=800, help="fragment pairs")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown results file")
    args = parser.parse_args(argv)
    table = run(args.seed, args.per_kind, args.fragments)
    print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    header = "# Matching benchmark\n\n`python -m benchmarks.matching`, dedup defaults.\n\n"
    args.out.write_text(header + table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
