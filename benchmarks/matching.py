"""Matching benchmark: facts kept apart; regional vocabulary, short lines and fragments found.

Run from the repository root (about a minute)::

    python -m benchmarks.matching

Built from the real SIGHAN 2005 sentences in ``../shared/data/sighan2005`` (see
``benchmarks.corpus``), seeded and deterministic, one scan with dedup's defaults per part:

- **records**: real sentences and a variant of each that differs in one fact: a number
  (one digit or Chinese numeral of a word jieba.posseg tags ``m`` changed, or one Chinese
  numeral or digit of a number dropped: 第二十四条 / 第二十条, 2000亿 / 200亿), a person,
  place, organisation or time (a dictionary word jieba.posseg tags ``nr``, ``ns``, ``nt``,
  ``t`` swapped for another such word with that tag from the corpus), a word of a closed
  class changed (a negation before a verb or adjective dropped, or 不 put before one; a word
  swapped for its opposite, a colour or level for another, a compass direction for another;
  the unit right after a number for another of its dimension: 10年 / 10月; a member of a
  category of news for another: 足球 / 篮球, 死亡 / 受伤, 原告 / 被告), plus the issue's
  own examples. Every pair is a distinct record: merged pairs should be 0. ``similar`` counts
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
- **names**: simplified sentences (MSR, PKU) with a foreign name of ``dedup.transliterations``
  put at the start of a clause, and their ``s2twp`` / ``s2hk`` copy with the name as Taiwan /
  Hong Kong writes it (贝克汉姆 / 貝克漢 / 碧咸). Recall: pairs clustered together; ``OpenCC
  phrases only`` is the share of pairs whose keys OpenCC's phrase rules alone (without the
  names table) make equal. Hard negatives: a sentence with one name and its regional copy
  with another name of the table, which must stay apart (merged should be 0).

The planted noise kinds of today are scored by ``python -m benchmarks.accuracy``. The table
is printed and written to ``benchmarks/results/matching.md``.
"""

from __future__ import annotations

import argparse
import functools
import random
import re
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import cycle, islice
from pathlib import Path

import dedup
from benchmarks import corpus
from dedup.normalise import fold_batch, normalise_batch
from dedup.phrases import PhraseRules, opencc_phrase_pairs, rewrite_rules
from dedup.transliterations import RegionalForms, read_classes

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
# Closed classes for the record kinds of a word swapped (simplified; a traditional line gets
# OpenCC s2t forms): opposites, colours and levels, compass directions, units after a number.
NEGATIONS = ("不", "没有", "没", "未")
NEGATION_CHARS = "不没未无非"
ANTONYMS = (
    ("上涨", "下跌"), ("增长", "下降"), ("增加", "减少"), ("提高", "降低"), ("上升", "下降"),
    ("扩大", "缩小"), ("盈利", "亏损"), ("支持", "反对"), ("同意", "反对"), ("买", "卖"),
    ("买入", "卖出"), ("出口", "进口"), ("最高", "最低"), ("最大", "最小"), ("最多", "最少"),
    ("多", "少"), ("高", "低"), ("以上", "以下"), ("以前", "以后"), ("之前", "之后"),
    ("男", "女"), ("男子", "女子"), ("成功", "失败"), ("胜利", "失败"), ("合法", "违法"),
    ("允许", "禁止"), ("肯定", "否定"), ("已经", "尚未"), ("有利", "不利"), ("优点", "缺点"),
)  # fmt: skip
COLOURS = tuple(f"{c}色" for c in "红橙黄绿青蓝紫白黑灰金银")
LEVELS = (COLOURS, ("特大", "重大", "较大"), ("甲级", "乙级", "丙级"), ("甲方", "乙方"))
DIRECTIONS = tuple(
    d + side
    for d in ("东", "南", "西", "北", "东北", "东南", "西北", "西南")
    for side in ("", "部", "方", "面", "侧", "边", "岸", "郊")
)
# Categories of news whose members a line names as facts (a sport, what befell the people of
# an accident, a crime, a court's ruling, a disease, a vehicle, a commodity, a tax, a rank),
# listed here apart from dedup's own table (dedup/fact_words.py), which they test.
CATEGORIES = (
    ("足球", "篮球", "排球", "乒乓球", "羽毛球", "网球", "游泳", "田径", "体操", "举重"),
    ("死亡", "受伤", "失踪"),
    ("逮捕", "拘留", "释放"),
    ("盗窃", "抢劫", "诈骗", "贪污", "受贿"),
    ("原告", "被告"),
    ("一审", "二审", "终审"),
    ("死刑", "无期徒刑", "有期徒刑"),
    ("流感", "肺炎", "癌症", "肝炎", "艾滋病"),
    ("货车", "客车", "轿车"),
    ("火车", "飞机", "轮船"),
    ("黄金", "白银", "原油", "煤炭", "钢材"),
    ("小麦", "玉米", "大豆", "棉花"),
    ("增值税", "所得税", "消费税", "关税"),
    ("股票", "债券", "期货", "基金"),
    ("上市", "退市"),
    ("少将", "中将", "上将"),
    ("讲师", "副教授", "教授"),
    ("半决赛", "决赛"),
    ("金牌", "银牌", "铜牌"),
    ("暴雨", "地震", "台风", "洪水", "干旱"),
    ("春节", "元旦", "国庆", "中秋"),
    ("去年", "今年", "明年"),
)
UNITS = (
    ("年", "月", "周", "小时", "分钟"),
    ("元", "美元", "日元", "港元"),
    ("米", "公里", "厘米"),
    ("公斤", "吨", "克"),
    ("亩", "公顷"),
    ("人", "家", "次"),
)
NUMBER_CHARS = DIGITS + "〇零两" + NUMERALS
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
    # A word of a closed class swapped, or a negation added or dropped: drawn apart too,
    # from all the sentences (colours and levels are rare), each sentence in one pair only
    # (a sentence in two pairs would join them in one cluster).
    apart = random.Random()
    apart.setstate(rng.getstate())
    used = {text for pairs in made.values() for _, text, _ in pairs}
    for kind, variant_of in (
        ("negation", _negation_variant),
        ("antonym", _antonym_variant),
        ("colour/level", _level_variant),
        ("direction", _direction_variant),
        ("unit", _unit_variant),
        ("latin code", _code_variant),
        ("category", _category_variant),
    ):
        for line in lines:
            if len(made[kind]) >= per_kind:
                break
            variant = None if line in used else variant_of(apart, line)
            if variant and len(set(normalise_batch([line, variant]))) == 2:
                made[kind].append((kind, line, variant))
                used.add(line)
    pairs = [p for kind in sorted(made) for p in made[kind]]
    return pairs + [("issue", a, b) for a, b in ISSUE_RECORDS]


@functools.cache
def _traditional(word: str) -> str:
    return corpus.converter("s2t").convert(word)


@functools.cache
def _tagged(line: str) -> tuple[tuple[str, str, str], ...]:
    """(word, simplified word, tag) of jieba.posseg's dictionary words (no HMM guesses) in
    ``line``, tagged in simplified script (jieba's dictionary is), cut as the original."""
    import jieba.posseg as posseg

    simple = corpus.converter("t2s").convert(line)
    if len(simple) != len(line):
        return ()
    tagged, at = [], 0
    for p in posseg.cut(simple, HMM=False):
        tagged.append((line[at : at + len(p.word)], p.word, p.flag))
        at += len(p.word)
    return tuple(tagged)


def _in_script(word: str, simple: str, other: str) -> str:
    """``other`` in the script of ``word`` (whose simplified form is ``simple``)."""
    return other if word == simple else _traditional(other)


def _swap_word(
    rng: random.Random, line: str, classes: Sequence[Sequence[str]], tags: Sequence[str] = ()
) -> str | None:
    """``line`` with one whole word (as jieba cuts it) of a class swapped for another
    member of that class, in the line's script, or None if it has no such word (with one
    of ``tags``, if given)."""
    tagged = _tagged(line)
    spots = [
        (i, _in_script(word, simple, other))
        for i, (word, simple, tag) in enumerate(tagged)
        if not tags or tag in tags
        for group in classes
        if simple in group
        for other in group
        if other != simple
    ]
    if not spots:
        return None
    i, replacement = rng.choice(spots)
    return "".join(replacement if j == i else w for j, (w, _, _) in enumerate(tagged))


def _antonym_variant(rng: random.Random, line: str) -> str | None:
    """``line`` with a word swapped for its opposite (上涨 / 下跌, 以前 / 以后)."""
    return _swap_word(rng, line, ANTONYMS)


def _category_variant(rng: random.Random, line: str) -> str | None:
    """``line`` with a member of a category of news swapped for another (足球 / 篮球, 死亡 /
    受伤, 原告 / 被告, 货车 / 客车)."""
    return _swap_word(rng, line, CATEGORIES)


def _level_variant(rng: random.Random, line: str) -> str | None:
    """``line`` with a colour or a level swapped (黑色 / 白色, 重大 / 较大, 甲级 / 乙级)."""
    return _swap_word(rng, line, LEVELS)


def _direction_variant(rng: random.Random, line: str) -> str | None:
    """``line`` with a compass direction swapped (东部 / 西部, 西南 / 东北)."""
    sides = [tuple(d for d in DIRECTIONS if d.endswith(side)) for side in "部方面侧边岸郊"]
    plain = tuple(d for d in DIRECTIONS if d[-1] in "东南西北")
    return _swap_word(rng, line, [plain, *sides], tags=("f", "s"))


def _negation_variant(rng: random.Random, line: str) -> str | None:
    """``line`` with a negation word before a verb or adjective dropped, or, if it has
    none, 不 (没 before 有) put before one of its verbs or adjectives of two characters or
    more (or 有)."""
    tagged = _tagged(line)
    predicate = [tag[:1] in ("v", "a") for _, _, tag in tagged]
    dropped = [
        i
        for i, (_, simple, _) in enumerate(tagged[:-1])
        if simple in NEGATIONS and predicate[i + 1]
    ]
    if dropped:
        i = rng.choice(dropped)
        return "".join(w for j, (w, _, _) in enumerate(tagged) if j != i)
    spots = [
        i
        for i, (_, simple, _) in enumerate(tagged)
        if predicate[i]
        and (len(simple) >= 2 or simple == "有")
        and simple[0] not in NEGATION_CHARS
        and (i == 0 or tagged[i - 1][1] not in NEGATIONS)
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    word, simple, _ = tagged[i]
    negation = _in_script(word, simple, "没" if simple == "有" else "不")
    return "".join((negation + w) if j == i else w for j, (w, _, _) in enumerate(tagged))


def _unit_variant(rng: random.Random, line: str) -> str | None:
    """``line`` with the unit right after a number (a digit, or a numeral of a word jieba
    tags ``m``) swapped for another of its dimension (10年 / 10月, 5元 / 5美元)."""
    simple = corpus.converter("t2s").convert(line)
    if len(simple) != len(line):
        return None
    units = {unit: group for group in UNITS for unit in group}
    pattern = "|".join(sorted(units, key=len, reverse=True))
    found = list(re.finditer(f"(?<=[{NUMBER_CHARS}])({pattern})", simple))
    numbers = _number_ends(line) if found else set()
    found = [m for m in found if m.start() in numbers]
    if not found:
        return None
    m = rng.choice(found)
    other = rng.choice([u for u in units[m.group()] if u != m.group()])
    replacement = _in_script(line[m.start() : m.end()], m.group(), other)
    return line[: m.start()] + replacement + line[m.end() :]


# Latin runs of a code, an abbreviation or a model name (ＷＴＯ, A股, DRAM), half or full width.
_CODE = re.compile(r"(?<![A-Za-zＡ-Ｚａ-ｚ])[A-Za-zＡ-Ｚａ-ｚ]{1,8}(?![A-Za-zＡ-Ｚａ-ｚ])")


def _code_variant(rng: random.Random, line: str) -> str | None:
    """``line`` with one letter of a Latin code or abbreviation swapped for another of the
    same case and width (ＷＴＯ / ＷＨＯ, A股 / B股)."""
    spots = [i for m in _CODE.finditer(line) for i in range(m.start(), m.end())]
    if not spots:
        return None
    at = rng.choice(spots)
    letter = line[at]
    first = next(c for c in "AaＡａ" if ord(c) <= ord(letter) < ord(c) + 26)
    other = chr(ord(first) + (ord(letter) - ord(first) + rng.randint(1, 25)) % 26)
    return line[:at] + other + line[at + 1 :]


def _number_ends(line: str) -> set[int]:
    """Where a number ends in ``line``: after a digit, or after a numeral in a word
    jieba tags ``m``."""
    ends = {i + 1 for i, c in enumerate(line) if c in DIGITS}
    at = 0
    for word, simple, tag in _tagged(line):
        if tag == "m":
            ends.update(at + i + 1 for i, c in enumerate(simple) if c in NUMBER_CHARS)
        at += len(word)
    return ends


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


def _regional_form(name: RegionalForms, config: str) -> str | None:
    """How the region of ``config`` (s2twp: Taiwan, s2hk: Hong Kong) writes ``name``, if
    not as the mainland does."""
    form = name.taiwan if config == "s2twp" else name.hong_kong
    return form if form and form != name.mainland else None


def _with_name(line: str, at: int, name: str, config: str | None) -> str:
    """``line`` with ``name`` put in at ``at``, the rest in the script of ``config`` (None:
    as it is)."""
    head, tail = line[:at], line[at:]
    if config is not None:
        convert = corpus.converter(config).convert
        head, tail = convert(head) if head else head, convert(tail)
    return head + name + tail


def name_pairs(rng: random.Random, per_config: int) -> list[tuple[str, str, str]]:
    """(kind, sentence, copy) pairs: a mainland sentence with a name of the table put at the
    start of one of its clauses, and its ``s2twp`` / ``s2hk`` copy with the name as that
    region writes it (kind ``s2twp`` / ``s2hk``), or with another name of the table (kind
    ``different names``). Each sentence is in one pair only."""
    lines = [x for x in _lines(("msr_test.utf8", "pku_test.utf8")) if 15 <= len(x) <= 120]
    rng.shuffle(lines)
    sentences = iter(lines)
    classes = read_classes()
    found = []
    for config in ("s2twp", "s2hk"):
        written = [(c, form) for c in classes if (form := _regional_form(c, config))]
        rng.shuffle(written)
        # (the name in the mainland sentence, the form in its copy, the kind of pair)
        picks = [(name, form, config) for name, form in islice(cycle(written), per_config)]
        for _ in range(per_config // 2):
            (name, _), (_, other) = rng.sample(written, 2)
            picks.append((name, other, "different names"))
        for name, form, kind in picks:
            line = next(sentences)
            at = rng.choice([0] + [i + 1 for i, c in enumerate(line[:-1]) if c in "，,；;"])
            mainland = _with_name(line, at, name.mainland, None)
            found.append((kind, mainland, _with_name(line, at, form, config)))
    return found


def opencc_only_keys(texts: Sequence[str]) -> list[str]:
    """Keys of ``texts`` with OpenCC's phrase rules alone, without the names table: what the
    keys were before it."""
    rules = rewrite_rules(opencc_phrase_pairs(), fold_batch)
    with tempfile.TemporaryDirectory(prefix="dedup-bench-rules-") as folder:
        return PhraseRules(rules, Path(folder)).unify(fold_batch(texts))


def _scan(texts: dict[str, str]) -> tuple[dedup.Report, float]:
    start = time.perf_counter()
    report = dedup.scan(texts, progress=False)
    return report, time.perf_counter() - start


def _strays(report: dedup.Report, pair_of: dict[str, int]) -> int:
    """Members of clusters that join texts of different planted pairs."""
    return sum(
        len({pair_of[m.path] for m in c.members}) > 1 for c in report.clusters for _ in c.members
    )


def run(seed: int, per_kind: int, fragments: int, names: int) -> str:
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

    named = name_pairs(rng, names)
    texts = {f"name/{i}/{side}": t for i, p in enumerate(named) for side, t in zip("ab", p[1:])}
    report, seconds_names = _scan(texts)
    together = _together(report, [(f"name/{i}/a", f"name/{i}/b") for i in range(len(named))])
    before = opencc_only_keys([t for p in named for t in p[1:]])
    name_groups: dict[str, Counter[str]] = defaultdict(Counter)
    for (kind, a, b), joined, ka, kb in zip(named, together, before[0::2], before[1::2]):
        for group in (kind, "all") if kind != "different names" else (kind,):
            name_groups[group].update(
                pairs=1, found=joined, before=ka == kb, similar=similar(a, b, config)
            )
    for kind in ("s2twp", "s2hk", "all"):
        counts = name_groups[kind]
        rows.append(
            f"| names | {kind} | {counts['pairs']} | OpenCC phrases only: "
            f"{counts['before'] / counts['pairs']:.3f} | {counts['found'] / counts['pairs']:.3f} "
            "| >= 0.97 |"
        )
    counts = name_groups["different names"]
    rows.append(
        f"| names | different names | {counts['pairs']} | {counts['similar']} "
        f"| {counts['found']} merged | 0 merged |"
    )
    timing = (
        f"Scans: records {seconds:.1f}s, regional {seconds_reg:.1f}s, fragments "
        f"{seconds_frag:.1f}s, names {seconds_names:.1f}s (seed {seed})."
    )
    return "\n".join(rows) + "\n\n" + timing


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-kind", type=int, default=300, help="record pairs per kind")
    parser.add_argument("--fragments", type=int, default=800, help="fragment pairs")
    parser.add_argument("--names", type=int, default=300, help="name pairs per region")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown results file")
    args = parser.parse_args(argv)
    table = run(args.seed, args.per_kind, args.fragments, args.names)
    print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    header = "# Matching benchmark\n\n`python -m benchmarks.matching`, dedup defaults.\n\n"
    args.out.write_text(header + table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
