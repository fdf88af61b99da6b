"""Distinct records: two near-identical keys that differ in a fact are not copies.

``被判10年徒刑`` and ``被判12年徒刑``, or a signature ``…毕业生 钟馨乐`` and ``…毕业生 周颖怡``,
share nearly all their shingles, but say different things. A verified pair is looked at where
its keys differ (Levenshtein opcodes from rapidfuzz; edits one or two unchanged characters
apart are one region). A region is a *fact* when

- numbers differ: digits replaced, added or dropped (10年 / 12年, 2000亿 / 200亿), or a
  number mark or sign added or removed (1∼2月 / 12月, −5℃ / 5℃, 15% / 15), next to or
  inside a number on both sides; or Chinese numerals replaced by numerals (第三季 /
  第四季), or added to or dropped from a number in numerals (第二十四条 / 第二十条). A
  digit dropped by a typo makes another number too: the copy is kept, not the fact lost;
- a name is swapped: a word for a word (two characters or more on one side, up to 12, or
  up to 30 where only names make the region on both sides) where either side overlaps a
  word that jieba's part-of-speech tagger (rjieba, the Rust port) tags as a person, place,
  organisation, other proper noun, abbreviation or time (nr, ns, nt, nz, j, t): 鸿海 / 华硕,
  钟馨乐 / 周颖怡, 工行 / 农行, 国务院 / 第九届全国人民代表大会常务委员会; or one
  character for one, as random edits make, only where it is at least half of such a word
  on both sides (华银 / 彰银). A word for a word is a name too where both sides overlap a
  foreign name of the transliterations table (``dedup.transliterations``: 圣何塞 / 科波拉,
  空中客车 / 温格), few of which jieba's dictionary knows.

A swap of either size is also a name where the word around the region (a word of either side's
segmentation, with the same characters around the edit on both sides), tagged on its own
without the HMM's guesses, is a dictionary name or time on both sides: keys have no
punctuation and the tagger cuts by context, so a swapped word can be cut with its
neighbours (天时地利人和 / 平时), be a third of a longer word (近年来 / 今年, 镇政府 / 新政府)
or straddle two (台北美术馆 / 台北京术馆: 北美 / 北京).

A region is a fact too where a word of a closed class (``dedup.fact_words``) says something
else:

- a negation added or dropped before a predicate (同意 / 不同意, 有钱 / 没有钱, 合理 /
  不合理): the predicate a dictionary word or a one-character verb negations go with (有,
  是, 能), the negation a word of its own or one word with it; or any one-character verb
  after a negation of its own (不 做). A negation in one word with another single character
  or with the word before it is an ordinary word's (不断 / 断, 无法 / 法, 是否 / 是);
- a word swapped for its opposite or another member of its set (上涨 / 下跌, 盈利 / 亏损,
  已 / 未, 蓝色 / 黄色, 东 / 西北, 较大 / 重大), with the same characters around the edit on
  both sides making the members; a one-character member counts in its own role (a word of
  its own, after a preposition or adverb in one word: 向东, 越来越高, before a word: 女青年,
  or in a locality word: 南游), or where the word around it is a dictionary word on both
  sides (最高 / 最低, 东部 / 西部), not inside an ordinary word (正在 / 负在);
- a unit or measure word swapped right after a number (10年 / 10月, 5元 / 5美元), not one
  spelling for another of the same unit (10公斤 / 10千克).

Edits one or two unchanged characters apart are one region; where that region is no fact as
a whole, it is one when each of its edits is such a word (大幅上涨 / 小幅下跌).

A pair is a distinct record when *every* region where its keys differ is a fact: text added,
dropped or rewritten, or a common word replaced, make it a copy again. Only pairs that passed
the similarity test are looked at, and words are tagged only for pairs whose regions are all
short, so the cost stays small.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

import numpy as np

from dedup.fact_words import NEGATED_VERBS, NEGATIONS, OPPOSITES, SETS, UNITS
from dedup.transliterations import read_classes

_DIGITS = frozenset("0123456789")
# Number marks of dedup.normalise and the signs kept in keys.
_NUMBER_SIGNS = frozenset("\u2219\u223c\u2236\u2215\u2218\u2212~%\u2030\u2031")
_NUMERALS = frozenset("〇零一二两三四五六七八九十百千万亿")
_NAME_TAGS = frozenset(("nr", "nrt", "nrfg", "ns", "nt", "nz", "j", "t"))
_CODE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
# Edits parted by this many unchanged characters or fewer make one region.
_GAP = 2
# Longer regions are rewritten text, not a swapped name, unless names make all of them on
# both sides (up to the longer limit: 中国长江三峡工程开发总公司, an organisation's full name).
_MAX_NAME_REGION = 12
_MAX_LONG_NAME = 30


def _group_index(
    classes: Sequence[Sequence[frozenset[str]]],
) -> dict[str, tuple[tuple[int, int], ...]]:
    """Each word of ``classes`` -> the (class, group) numbers it belongs to."""
    index: dict[str, tuple[tuple[int, int], ...]] = {}
    for number, groups in enumerate(classes):
        for group_number, group in enumerate(groups):
            for word in group:
                index[word] = (*index.get(word, ()), (number, group_number))
    return index


_CLASS_GROUPS = _group_index([*OPPOSITES.values(), *SETS.values()])
_UNIT_GROUPS = _group_index([UNITS])
_LONGEST_MEMBER = max(map(len, [*_CLASS_GROUPS, *_UNIT_GROUPS, *NEGATIONS]))


def _part_classes() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Each part of a closed-class word (北 of 东北, 美 of 美元, 上涨) -> the names of the
    classes with a word holding it; and each part that, added, makes a word another of its
    class (北: 东 / 东北, 美: 元 / 美元; a negation: 同意 / 不同意) -> those classes. What a
    region's sides must be for it to be a closed-class fact, with a class in common."""
    classes = {**OPPOSITES, **SETS, "unit": UNITS}
    parts: dict[str, set[str]] = {}
    added: dict[str, set[str]] = {word: {"negation"} for word in NEGATIONS}
    for name, groups in classes.items():
        group_of = {word: number for number, group in enumerate(groups) for word in group}
        for word in group_of:
            for i in range(len(word)):
                for j in range(i + 1, len(word) + 1):
                    parts.setdefault(word[i:j], set()).add(name)
                    rest = word[:i] + word[j:]
                    if group_of.get(rest, group_of[word]) != group_of[word]:
                        added.setdefault(word[i:j], set()).add(name)
    for word in NEGATIONS:
        parts.setdefault(word, set()).add("negation")
    return (
        {part: frozenset(names) for part, names in parts.items()},
        {part: frozenset(names) for part, names in added.items()},
    )


_PART_CLASSES, _ADDED_PART_CLASSES = _part_classes()


_NUMBER_TAGS = frozenset(("m", "mq"))
# A preposition or adverb joined in one word with a closed-class character leaves it in its
# own role (向东, 越来越高).
_MODIFIER_TAGS = frozenset(("p", "d"))


def preload_tagger() -> None:
    """Load jieba's tagger (rjieba) now: its dictionary takes a tenth of a second to load,
    which a process with time to spare (waiting for its workers) may pay before it is
    needed."""
    import rjieba  # noqa: F401


@lru_cache(maxsize=1024)
def _words(text: str, guess: bool = True) -> tuple[tuple[int, int, str], ...]:
    """(start, end, tag) of each word jieba's tagger (rjieba) finds in ``text`` (with the
    HMM's guesses at words not in the dictionary if ``guess``)."""
    import rjieba

    found = []
    at = 0
    for word, tag in rjieba.tag(text, guess):
        found.append((at, at + len(word), tag))
        at += len(word)
    return tuple(found)


def _regions(a: str, b: str, gap: int = _GAP) -> list[tuple[int, int, int, int]]:
    """(a start, a end, b start, b end) of each run of edits turning a into b; runs that
    ``gap`` unchanged characters or fewer part are one region (a word replaced by one that
    shares a character with it)."""
    from rapidfuzz.distance import Levenshtein

    regions: list[list[int]] = []
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal":
            continue
        if regions and op.src_start - regions[-1][1] <= gap:
            regions[-1][1], regions[-1][3] = op.src_end, op.dest_end
        else:
            regions.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    return [(r[0], r[1], r[2], r[3]) for r in regions]


_NUMBER_CHARS = _DIGITS | _NUMERALS
_NUMERAL_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_LARGE_UNITS = {"万": 10**4, "亿": 10**8}


def _number_value(number: str) -> int | None:
    """The value of a whole number written in digits, Chinese numerals or both (12, 十二,
    一百零五, 3千万, 二〇二四 as a year is read digit by digit), or None if it is not one."""
    if number and all(c in _DIGITS for c in number):
        return int(number)
    if number and all(c in _NUMERAL_DIGITS for c in number):
        return int("".join(str(_NUMERAL_DIGITS[c]) for c in number))
    total = section = 0
    digit: int | None = None
    at = 0
    while at < len(number):
        c = number[at]
        if c in _DIGITS:
            end = at
            while end < len(number) and number[end] in _DIGITS:
                end += 1
            digit, at = int(number[at:end]), end
            continue
        if c in _NUMERAL_DIGITS:
            digit = _NUMERAL_DIGITS[c]
        elif c in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[c]
            digit = None
        elif c == "万":
            total += (section + (digit or 0)) * _LARGE_UNITS[c]
            section, digit = 0, None
        elif c == "亿":
            total = (total + section + (digit or 0)) * _LARGE_UNITS[c]
            section, digit = 0, None
        else:
            return None
        at += 1
    return total + section + (digit or 0)


def _number_around(text: str, start: int, end: int) -> str:
    """The run of digits and Chinese numerals that holds text[start:end]."""
    while start > 0 and text[start - 1] in _NUMBER_CHARS:
        start -= 1
    while end < len(text) and text[end] in _NUMBER_CHARS:
        end += 1
    return text[start:end]


def _numbers_restyled(a: str, b: str, region: tuple[int, int, int, int]) -> bool | None:
    """Where a number is written in digits on one side and in Chinese numerals on the other
    (三名 / 3名, 十二万 / 15万): whether it is another number (a fact), or None where the
    region is not such a change. A number that cannot be read is taken for another."""
    a_start, a_end, b_start, b_end = region
    one, other = a[a_start:a_end], b[b_start:b_end]
    changed = set(one + other)
    if not one or not other or not changed <= _NUMBER_CHARS:
        return None
    if not (changed & _DIGITS and changed & (_NUMERALS - {"万", "亿"})):
        return None  # one style on both sides: the rules for digits and numerals decide
    first, second = (
        _number_value(_number_around(a, a_start, a_end)),
        _number_value(_number_around(b, b_start, b_end)),
    )
    return first is None or second is None or first != second


def _touches_digit(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] or a character next to it is a digit."""
    lo, hi = max(start - 1, 0), min(end + 1, len(text))
    return any(c in _DIGITS for c in text[lo:hi])


def _names(text: str, start: int, end: int, half: bool) -> bool:
    """Whether text[start:end] overlaps a word tagged as a name or time (covering at least
    half of it if ``half``)."""
    for w_start, w_end, tag in _words(text):
        overlap = min(end, w_end) - max(start, w_start)
        if tag in _NAME_TAGS and overlap > 0 and (not half or 2 * overlap >= w_end - w_start):
            return True
    return False


def _only_names(text: str, start: int, end: int) -> bool:
    """Whether the words that overlap text[start:end] are all tagged as names or times."""
    return all(
        tag in _NAME_TAGS for w_start, w_end, tag in _words(text) if w_start < end and w_end > start
    )


@lru_cache(maxsize=1)
def _foreign_names() -> tuple[frozenset[str], int]:
    """The names of the transliterations table as keys hold them (the mainland form), and
    the length of the longest."""
    names = frozenset(c.mainland for c in read_classes())
    return names, max(map(len, names))


def _foreign_name(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] overlaps a foreign name of the transliterations table."""
    names, longest = _foreign_names()
    return any(
        text[at : at + length] in names
        for length in range(2, longest + 1)
        for at in range(max(start - length + 1, 0), min(end, len(text) - length + 1))
    )


def _is_name(word: str) -> bool:
    """Whether ``word`` alone is one dictionary word tagged as a name or time."""
    tagged = _words(word, False)
    return len(tagged) == 1 and tagged[0][2] in _NAME_TAGS


def _is_dictionary_word(word: str) -> bool:
    """Whether ``word`` alone is one dictionary word of two characters or more."""
    return len(word) >= 2 and len(_words(word, False)) == 1


def _name_renamed(a: str, b: str, region: tuple[int, int, int, int]) -> bool:
    """Whether a word around the region, cut by either side's segmentation and taken with
    the same characters around the edit on both sides, is a name or time on both sides."""
    return _word_around(a, b, region, _is_name)


def _word_around(
    a: str, b: str, region: tuple[int, int, int, int], is_word: Callable[[str], bool]
) -> bool:
    """Whether a word around the region, cut by either side's segmentation and taken with
    the same characters around the edit on both sides, is ``is_word`` on both sides."""
    a_start, a_end, b_start, b_end = region
    for text, start, end in ((a, a_start, a_end), (b, b_start, b_end)):
        for w_start, w_end, _ in _words(text):
            if w_start > start or w_end < end or w_end - w_start < 2:
                continue
            before, after = start - w_start, w_end - end
            prefix, suffix = text[w_start:start], text[end:w_end]
            if a[a_start - before : a_start] != prefix or b[b_start - before : b_start] != prefix:
                continue
            if a[a_end : a_end + after] != suffix or b[b_end : b_end + after] != suffix:
                continue
            if is_word(a[a_start - before : a_end + after]) and is_word(
                b[b_start - before : b_end + after]
            ):
                return True
    return False


def _number_change(changed: str) -> bool:
    """Whether the changed characters are a number's: digits replaced, added or removed,
    or a mark or sign added or removed."""
    return all(c in _DIGITS or c in _NUMBER_SIGNS for c in changed)


def _touches_numeral(text: str, start: int, end: int) -> bool:
    """Whether a character next to text[start:end] is a Chinese numeral."""
    return any(c in _NUMERALS for c in text[max(start - 1, 0) : start] + text[end : end + 1])


def _numeral_added(a: str, b: str, region: tuple[int, int, int, int]) -> bool:
    """Whether Chinese numerals were added to or dropped from a number written in numerals,
    which makes another number (第二十四条 / 第二十条, 三万二千 / 三万), on both sides."""
    a_start, a_end, b_start, b_end = region
    changed = a[a_start:a_end] + b[b_start:b_end]
    if not changed or not all(c in _NUMERALS for c in changed):
        return False
    return _touches_numeral(a, a_start, a_end) and _touches_numeral(b, b_start, b_end)


def _members(
    a: str, b: str, region: tuple[int, int, int, int]
) -> Iterator[tuple[int, int, int, int]]:
    """The spans (a start, a end, b start, b end) of the region taken with up to a longest
    word's characters around it, the same on both sides: where a closed class's members
    may be (最高 / 最低 for the region 高 / 低)."""
    a_start, a_end, b_start, b_end = region
    longest = _LONGEST_MEMBER - max(a_end - a_start, b_end - b_start)
    for before in range(min(longest, a_start, b_start) + 1):
        if a[a_start - before : a_start] != b[b_start - before : b_start]:
            break
        for after in range(longest - before + 1):
            if a_end + after > len(a) or a[a_end : a_end + after] != b[b_end : b_end + after]:
                break
            yield a_start - before, a_end + after, b_start - before, b_end + after


def _other_group(index: dict[str, tuple[tuple[int, int], ...]], one: str, other: str) -> bool:
    """Whether words ``one`` and ``other`` are in one class of ``index`` but not one group."""
    first, second = index.get(one), index.get(other)
    if not first or not second:
        return False
    groups = dict(first)
    return any(groups.get(c, g) != g for c, g in second)


def _in_own_role(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a word of its own in text, or is one with a preposition
    or adverb before it (向东, 越来越高), or with a word of two characters or more after it
    (女青年, 高技术), or is part of a locality word (南游, 东侧), not a character of an
    ordinary word (正在, 大家)."""
    for w_start, w_end, tag in _words(text, False):
        if w_start <= start and w_end >= end:
            if tag == "f" or (w_start, w_end) == (start, end):
                return True
            if w_start == start:
                return _is_dictionary_word(text[end:w_end])
            before = _words(text[w_start:start], False)
            return w_end == end and len(before) == 1 and before[0][2] in _MODIFIER_TAGS
    return False


def _swapped_in_class(a: str, b: str, region: tuple[int, int, int, int]) -> bool:
    """Whether the region swaps a word of a closed class for a word of another group of
    it (上涨 / 下跌, 蓝色 / 黄色, 东 / 西北), each one-character member in its own role."""
    for a_start, a_end, b_start, b_end in _members(a, b, region):
        if not _other_group(_CLASS_GROUPS, a[a_start:a_end], b[b_start:b_end]):
            continue
        if (a_end - a_start > 1 or _in_own_role(a, a_start, a_end)) and (
            b_end - b_start > 1 or _in_own_role(b, b_start, b_end)
        ):
            return True
        if _word_around(a, b, region, _is_dictionary_word):
            return True
    return False


def _after_number(a: str, b: str, a_start: int, b_start: int) -> bool:
    """Whether a[a_start] and b[b_start] follow the same number: a digit, or a numeral in a
    word that either side's segmentation tags as a number (jieba tags 十年 as a number but
    十周 as a time)."""
    if a_start == 0 or b_start == 0:
        return False
    if a[a_start - 1] in _DIGITS:
        return True
    return a[a_start - 1] in _NUMERALS and any(
        w_start < start <= w_end and tag in _NUMBER_TAGS
        for text, start in ((a, a_start), (b, b_start))
        for w_start, w_end, tag in _words(text, False)
    )


def _unit_changed(a: str, b: str, region: tuple[int, int, int, int]) -> bool:
    """Whether the region swaps the unit or measure word right after a number for another
    unit (10年 / 10月, 5元 / 5美元; not 10公斤 / 10千克)."""
    return any(
        _other_group(_UNIT_GROUPS, a[a_start:a_end], b[b_start:b_end])
        and _after_number(a, b, a_start, b_start)
        for a_start, a_end, b_start, b_end in _members(a, b, region)
    )


def _negated(a: str, b: str, region: tuple[int, int, int, int]) -> bool:
    """Whether the region is a negation added before a predicate, on either side: the
    predicate a dictionary word or a one-character verb negations go with (有, 能), the
    negation a word of its own or one word with (the start of) the predicate (不 同意, 没有
    钱 / 有钱); or any one-character verb after a negation of its own (不 做). A negation in
    one word with another single character, or with the word before it, is mostly an
    ordinary word (不断, 无法, 未来, 是否)."""
    a_start, a_end, b_start, b_end = region
    if a_start == a_end:
        a, b, a_start, a_end, b_start, b_end = b, a, b_start, b_end, a_start, a_end
    if b_start != b_end or a[a_start:a_end] not in NEGATIONS:
        return False
    negation_end = next((w_end for w_start, w_end, _ in _words(a, False) if w_start == a_start), 0)
    # The predicate as either side cuts it: the text after the negation is the same.
    predicates = [(b[start:end], tag) for start, end, tag in _words(b, False) if start == b_start]
    predicates += [(a[start:end], tag) for start, end, tag in _words(a, False) if start == a_end]
    rest = a[a_end:negation_end]  # of one word with the negation (不合理: 合理)
    if _is_dictionary_word(rest) or rest in NEGATED_VERBS:
        predicates.append((rest, ""))
    for word, tag in predicates:
        if len(word) >= 2 or word in NEGATED_VERBS:
            if a_end <= negation_end <= a_end + len(word):
                return True
        elif negation_end == a_end and tag[:1] in ("v", "a"):
            return True
    return False


def _closed_class_fact(a: str, b: str, region: tuple[int, int, int, int]) -> bool:
    """Whether the region is a negation, an opposite, a set member or a unit changed."""
    a_start, a_end, b_start, b_end = region
    one, other = a[a_start:a_end], b[b_start:b_end]
    if not one or not other:
        if (one or other) not in _ADDED_PART_CLASSES:
            return False
    elif not _PART_CLASSES.get(one, frozenset()) & _PART_CLASSES.get(other, frozenset()):
        return False
    return _swapped_in_class(a, b, region) or _unit_changed(a, b, region) or _negated(a, b, region)


def _code_changed(a: str, b: str, region: tuple[int, int, int, int]) -> bool:
    """Whether Latin letters were swapped for letters or digits (a股 / b股, wto / who,
    京a12345 / 京b12345, con agra / con agro): in Chinese text a Latin run is a code, an
    abbreviation, a model or a name, rarely an English word with a typo, and reprints copy
    it as it is (case and width do not count: keys are lower case and half width)."""
    a_start, a_end, b_start, b_end = region
    one, other = a[a_start:a_end], b[b_start:b_end]
    if not one or not other or not set(one + other) <= _CODE_CHARS:
        return False
    return bool(set(one + other) - _DIGITS)  # digits alone are the number rules'


def _may_be_fact(a: str, b: str, region: tuple[int, int, int, int]) -> bool:
    """What ``_is_fact`` needs before it tags words: a short substitution or insertion, or
    numbers."""
    a_start, a_end, b_start, b_end = region
    if 0 < a_end - a_start <= _MAX_LONG_NAME and 0 < b_end - b_start <= _MAX_LONG_NAME:
        return True
    if a[a_start:a_end] + b[b_start:b_end] in _ADDED_PART_CLASSES:
        return True
    return _number_change(a[a_start:a_end] + b[b_start:b_end]) or _numeral_added(a, b, region)


def _is_fact(a: str, b: str, region: tuple[int, int, int, int]) -> bool:
    a_start, a_end, b_start, b_end = region
    changed = a[a_start:a_end] + b[b_start:b_end]
    substituted = a_end > a_start and b_end > b_start
    restyled = _numbers_restyled(a, b, region)
    if restyled is not None:
        return restyled
    if _number_change(changed):
        return _touches_digit(a, a_start, a_end) and _touches_digit(b, b_start, b_end)
    if substituted and all(c in _NUMERALS for c in changed):
        return True
    if _numeral_added(a, b, region) or _closed_class_fact(a, b, region):
        return True
    if _code_changed(a, b, region):
        return True
    if not (0 < a_end - a_start <= _MAX_LONG_NAME and 0 < b_end - b_start <= _MAX_LONG_NAME):
        return False  # text added, dropped or rewritten
    if max(a_end - a_start, b_end - b_start) > _MAX_NAME_REGION:  # a long name for a name
        return _only_names(a, a_start, a_end) and _only_names(b, b_start, b_end)
    if max(a_end - a_start, b_end - b_start) >= 2:  # a word for a word
        if _names(a, a_start, a_end, False) or _names(b, b_start, b_end, False):
            return True
        if _foreign_name(a, a_start, a_end) and _foreign_name(b, b_start, b_end):
            return True
        return _name_renamed(a, b, region)
    # One character for one, as random edits make: a name only if it is most of a name on
    # both sides, or the whole word around it is a dictionary name on both sides.
    if _names(a, a_start, a_end, True) and _names(b, b_start, b_end, True):
        return True
    return _name_renamed(a, b, region)


def _each_edit_in_class(a: str, b: str, region: tuple[int, int, int, int]) -> bool:
    """Whether the region is several edits, each a closed-class fact (大幅上涨 / 小幅下跌)."""
    edits = [
        edit for edit in _regions(a, b, gap=0) if region[0] <= edit[0] and edit[1] <= region[1]
    ]
    return len(edits) > 1 and all(_closed_class_fact(a, b, edit) for edit in edits)


def differ_in_facts(a: str, b: str) -> bool:
    """Whether keys ``a`` and ``b`` differ only in numbers, dates, names, places or
    organisations: every region where they differ is such a fact."""
    regions = _regions(a, b)
    if not regions or not all(_may_be_fact(a, b, region) for region in regions):
        return False
    return all(_is_fact(a, b, region) or _each_edit_in_class(a, b, region) for region in regions)


def distinct_records(first: Sequence[str], second: Sequence[str]) -> np.ndarray:
    """``differ_in_facts`` of each pair of keys (first[k], second[k])."""
    return np.fromiter(
        (a != b and differ_in_facts(a, b) for a, b in zip(first, second)),
        dtype=bool,
        count=len(first),
    )
