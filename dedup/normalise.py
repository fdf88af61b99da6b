"""Comparison keys: the text two copies of one paragraph share however they were written.

Only keys are normalised; the text a report shows and `clean` writes is never altered.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from .phrases import RULES_VERSION, PhraseRules, tables_digest, unify_rules

# Bump when _simplified_table changes, so that cached tables are rebuilt.
_TABLE_VERSION = 1

# CJK blocks whose characters OpenCC may map: Unified Ideographs with Extension A,
# Compatibility Ideographs, and Extension B, where some traditional forms live.
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF))
# The same without the compatibility ideographs, which NFKC maps to unified ones.
_UNIFIED_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2A6DF))

# Characters dropped from keys: punctuation (so full- and half-width, Chinese and Western
# marks all agree), separators and spaces, control and format characters (zero-width ones).
_DROPPED_CATEGORIES = ("P", "Z", "Cc", "Cf")


def _convert_each(config: str, chars: list[str]) -> list[str]:
    """OpenCC ``config`` applied to each character on its own (one call for all of them)."""
    import opencc  # only needed to build the table, once per process

    converter = opencc.OpenCC(config)
    converted = converter.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # never seen; fall back to one call per character
        converted = [converter.convert(c) for c in chars]
    return converted


def _simplified_table() -> dict[int, str]:
    """One simplified character for every traditional or variant form, from OpenCC's data.

    Taiwan and Hong Kong variants are folded first (tw2s, hk2s: 著 -> 着, 衞 -> 卫), then
    t2s. A character table is applied with one ``str.translate`` call, far faster than
    phrase conversion, and maps every occurrence of a character the same way in both
    copies. Phrase-only conversions (彷彿 for 仿佛) are beyond a character table; they are
    rare, and the shingle comparison absorbs them.
    """
    chars = [chr(c) for lo, hi in _CJK_RANGES for c in range(lo, hi + 1)]
    simplified = chars
    for config in ("tw2s", "hk2s", "t2s"):
        simplified = _convert_each(config, simplified)
    table = {ord(c): s for c, s in zip(chars, simplified) if len(s) == 1 and s != c}

    # Follow chains (a -> b -> c) so that applying the table twice changes nothing.
    for code, target in table.items():
        seen = {code}
        while ord(target) in table and ord(target) not in seen:
            seen.add(ord(target))
            target = table[ord(target)]
        table[code] = target
    return table


def _cache_folder() -> Path:
    """Where tables built from OpenCC's data are kept between runs."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "dedup"


def _opencc_version() -> str:
    import opencc

    if getattr(opencc, "__version__", None):
        return str(opencc.__version__)
    from importlib import metadata

    return metadata.version("opencc")


def _cache_file() -> Path:
    """Where the simplified table is kept between runs: one file per OpenCC version."""
    return _cache_folder() / f"simplified-opencc-{_opencc_version()}-v{_TABLE_VERSION}.json"


@lru_cache(maxsize=1)
def _simplified() -> dict[int, str]:
    """``_simplified_table()``, read from a cache file when one exists: building it takes
    about 0.1 s per process, reading it back a millisecond. Without a writable cache
    folder the table is simply built each time."""
    path = _cache_file()
    try:
        return {int(code): char for code, char in json.loads(path.read_bytes()).items()}
    except (OSError, ValueError, AttributeError):
        pass
    table = _simplified_table()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(table, handle, ensure_ascii=False)
        os.replace(tmp, path)  # whole or absent, even with two processes writing at once
    except OSError:
        pass
    return table


@lru_cache(maxsize=1)
def _key_table() -> dict[int, str | None]:
    table: dict[int, str | None] = dict(_simplified())
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char).startswith(_DROPPED_CATEGORIES) and char not in _KEPT_SYMBOLS:
            table[code] = None
    return table


# Numbers stay apart in keys. Punctuation between two digits is not dropped but becomes a
# mark for its kind (which nothing else maps to): 1.5% is not 15%, 1-2月 not 12月, 10:30 not
# 1030, 3/4 not 34, 第1、2季度 not 第12季度. A minus sign before a number is kept as −
# (-5℃ is not 5℃), and %, ‰, ‱ are kept (增长15% is not 增长15); ℃ already is (°c).
# Spaces around such punctuation do not hide it (４. ４% is 4.4%, not 44%; 3 : 1 is 3:1), but
# spaces alone between digits are dropped, as spaces elsewhere: spacing is not a fact (6 3人
# is a copy of 63人 with a space put in; 1 200 is 1200).
_DIGITS = "0-9\uff10-\uff19"
_NUMBER_MARKS = {
    "\u2219": ".,\uff0e\uff0c",  # ∙ decimal point, thousands separator
    "\u223c": "-\u2010\u2011\u2012\u2013\u2014\u2015\u301c\uff0d\ufe63",  # ∼ range
    "\u2236": ":\uff1a\u2236\ufe55",  # ∶ time, ratio, score
    "\u2215": "/\uff0f\u2215",  # ∕ fraction, date
    "\u2218": "\u3001\uff64\xb7\u30fb\u2022\u2027\uff65;\uff1b",  # ∘ list: 1、2
}
# Marks and the signs that are math symbols (~, −, ⁄ of ¼) are kept in keys as they are: NFKC
# may produce them, and a key must normalise to itself.
_MARK_OF = {sep: mark for mark, seps in _NUMBER_MARKS.items() for sep in seps}
_MINUS_SIGNS = "-\uff0d\ufe63\u2212"
_SPACES = (
    " \t\xa0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
_MINUS = "\u2212"
_KEPT_SYMBOLS = frozenset("%\u2030\u2031")  # NFKC maps ％ and ﹪ to %
_BETWEEN_DIGITS = re.compile(
    f"(?<=[{_DIGITS}])[{_SPACES}]*([{re.escape(''.join(_MARK_OF))}])[{_SPACES}]*(?=[{_DIGITS}])"
)

_SIGNED = re.compile(f"(?<![{_DIGITS}])[{re.escape(_MINUS_SIGNS)}](?=[{_DIGITS}])")
# What each code point of the Basic Multilingual Plane is to a number (bits of _ROLE), and
# the mark a separator becomes (_MARK): one look-up per character in `_mark_numbers_batch`.
_DIGIT, _SPACE, _MINUS_SIGN, _SEPARATOR = 1, 2, 4, 8
_ROLE = np.zeros(0x10000, dtype=np.uint8)
_ROLE[[*range(0x30, 0x3A), *range(0xFF10, 0xFF1A)]] |= _DIGIT
_ROLE[[ord(c) for c in _SPACES]] |= _SPACE
_ROLE[[ord(c) for c in _MINUS_SIGNS]] |= _MINUS_SIGN
_ROLE[[ord(c) for c in _MARK_OF]] |= _SEPARATOR
_MARK = np.zeros(0x10000, dtype=np.uint32)
_MARK[[ord(c) for c in _MARK_OF]] = [ord(m) for m in _MARK_OF.values()]


def _mark_numbers(text: str) -> str:
    """``text`` with the marks that keep numbers apart in place of their punctuation."""
    text = _BETWEEN_DIGITS.sub(lambda m: _MARK_OF[m.group(1)], text)
    return _SIGNED.sub(_MINUS, text)


def _mark_numbers_batch(points: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> None:
    """``_mark_numbers`` on the code points of many texts at once (``starts``/``ends`` of
    each, non-empty texts only), in place."""
    role = _ROLE[np.minimum(points, 0xFFFF)]  # U+FFFF is no character: role 0
    digit = (role & _DIGIT) != 0
    separator = (role & _SEPARATOR) != 0
    before = np.zeros(len(points), dtype=bool)  # a digit of the same text just before
    before[1:] = digit[:-1]
    before[starts] = False
    after = np.zeros(len(points), dtype=bool)  # a digit of the same text just after
    after[:-1] = digit[1:]
    after[ends - 1] = False
    between = np.flatnonzero(before & after & separator)
    signed = ~before & after & ((role & _MINUS_SIGN) != 0)
    spaced = _spaced_between_digits(role, digit, separator, starts, ends)
    signed[spaced] = False  # 3 -5 is a range, as 3-5 is
    marked = np.concatenate((between, spaced))
    points[marked] = _MARK[points[marked]]
    points[signed] = ord(_MINUS)


def _spaced_between_digits(
    role: np.ndarray,
    digit: np.ndarray,
    separator: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
) -> np.ndarray:
    """The separators `_BETWEEN_DIGITS` marks that have a space beside them (3 : 1): between
    two digits of one text with only spaces around. Spaces are few, so only the separators
    next to one are looked at."""
    space = (role & _SPACE) != 0
    spaces = np.flatnonzero(space)
    if not len(spaces):
        return spaces
    # The first and last space of the run each space is in.
    opens = np.ones(len(spaces), dtype=bool)
    opens[1:] = spaces[1:] != spaces[:-1] + 1
    run_first = np.maximum.accumulate(np.where(opens, spaces, 0))
    closes = np.ones(len(spaces), dtype=bool)
    closes[:-1] = spaces[:-1] + 1 != spaces[1:]
    run_last = np.minimum.accumulate(np.where(closes, spaces, len(role))[::-1])[::-1]

    def past_spaces(at: np.ndarray, backwards: bool) -> np.ndarray:
        """The position ``at``, or the one past the run of spaces there."""
        j = np.minimum(np.searchsorted(spaces, at), len(spaces) - 1)
        past = run_first[j] - 1 if backwards else run_last[j] + 1
        return np.where(spaces[j] == at, past, at)

    beside_space = np.zeros(len(role), dtype=bool)
    beside_space[1:] |= space[:-1]
    beside_space[:-1] |= space[1:]
    looked = np.flatnonzero(beside_space & separator)
    text = np.searchsorted(starts, looked, side="right") - 1
    left = past_spaces(looked - 1, backwards=True)
    right = past_spaces(looked + 1, backwards=False)
    inside = (text >= 0) & (left >= starts[text]) & (right < ends[text])
    left, right = np.clip(left, 0, len(role) - 1), np.clip(right, 0, len(role) - 1)
    return looked[inside & digit[left] & digit[right]]


def normalise(text: str) -> str:
    """The comparison key of ``text``.

    NFKC folds full-width letters, digits and punctuation to their plain forms; Latin is
    lower-cased; traditional characters become simplified (OpenCC t2s); punctuation,
    whitespace and zero-width characters are removed, except where they keep numbers apart
    (1-2月, 10:30, -5℃, 15%); regional phrases become one form (軟體 and 软件 alike, see
    ``dedup.phrases``). ``normalise("棗莊高新區　ＡＢＣ，")`` equals
    ``normalise("枣庄高新区abc,")``.
    """
    key = _fold(text)
    return key if len(key) < 2 else _phrase_rules().unify([key])[0]  # rules are 2+ long


def _fold(text: str) -> str:
    """The key of ``text`` by characters alone, before phrases are unified. The last NFKC
    composes marks that a dropped space or punctuation mark kept apart, so that a key
    normalises to itself."""
    text = _mark_numbers(text)
    folded = unicodedata.normalize("NFKC", text).lower().translate(_key_table())
    return unicodedata.normalize("NFKC", folded)


# Per-character codes in the batch lookup table; a code >= 0 is the one character it becomes.
# A text's most negative code decides how it is keyed, so _SLOW is the lowest.
_UNKNOWN, _DROP, _LONG, _SLOW = -1, -2, -3, -4
# Hangul jamo compose with their neighbours without being combining marks.
_JAMO_RANGES = ((0x1100, 0x11FF), (0xA960, 0xA97F), (0xD7B0, 0xD7FF))
_FINAL_SIGMA = "\u03a3"  # lower() of Σ depends on the letters around it


def _is_contextual(char: str) -> bool:
    """Whether ``char`` may normalise differently next to other characters.

    NFKC reorders and composes only combining marks (and Hangul jamo) with their neighbours,
    and ``lower`` looks at the context of Σ alone; any other character's key is the key of
    that character on its own, wherever it stands.
    """
    if 0xD800 <= ord(char) <= 0xDFFF:
        return True
    for part in unicodedata.normalize("NFKD", char):
        if (
            unicodedata.combining(part)
            or unicodedata.category(part).startswith("M")
            or part == _FINAL_SIGMA
            or any(lo <= ord(part) <= hi for lo, hi in _JAMO_RANGES)
        ):
            return True
    return False


def _char_key(char: str) -> str:
    """``_fold(char)`` for a character that is not contextual.

    The same steps, but without ``_key_table``, whose pass over all of Unicode costs more
    than the few thousand distinct characters of a typical run.
    """
    simplified = _simplified()
    key = "".join(
        simplified.get(ord(c), c)
        for c in unicodedata.normalize("NFKC", char).lower()
        if not unicodedata.category(c).startswith(_DROPPED_CATEGORIES) or c in _KEPT_SYMBOLS
    )
    return unicodedata.normalize("NFKC", key)


class _CharTable:
    """The key of each character met so far: as a numpy code per code point, to key many
    texts at once, and as a ``str.translate`` table, for the few characters whose key is
    several characters (℃ -> °c).

    CJK unified ideographs, most of any Chinese text, are filled in up front: their key is
    their simplified form (they have no compatibility forms, case or punctuation).
    """

    def __init__(self) -> None:
        self.codes = np.full(sys.maxunicode + 1, _UNKNOWN, dtype=np.int32)
        for lo, hi in _UNIFIED_RANGES:
            self.codes[lo : hi + 1] = np.arange(lo, hi + 1, dtype=np.int32)
        unified = {
            code: char
            for code, char in _simplified().items()
            if any(lo <= code <= hi for lo, hi in _UNIFIED_RANGES)
        }
        self.codes[list(unified)] = [ord(char) for char in unified.values()]
        self.keys: dict[int, str] = dict(unified)

    def lookup(self, points: np.ndarray) -> np.ndarray:
        codes = self.codes[points]
        unknown = codes == _UNKNOWN
        if unknown.any():
            for point in np.unique(points[unknown]).tolist():
                self.codes[point] = self._code(point)
            codes = self.codes[points]
        return codes

    def _code(self, point: int) -> int:
        char = chr(point)
        if _is_contextual(char):
            return _SLOW
        key = self.keys[point] = _char_key(char)
        if len(key) > 1:
            return _LONG
        return ord(key) if key else _DROP

    def key(self, text: str) -> str:
        """The key of a text without contextual characters, all of them already looked up."""
        return text.translate(self.keys)


@lru_cache(maxsize=1)
def _char_table() -> _CharTable:
    return _CharTable()


def normalise_batch(texts: Sequence[str]) -> list[str]:
    """``[normalise(t) for t in texts]``, an order of magnitude faster on Chinese text."""
    return _phrase_rules().unify(fold_batch(texts))


def fold_batch(texts: Sequence[str]) -> list[str]:
    """The keys of ``texts`` by characters alone, before regional phrases are unified:
    ``[_fold(t) for t in texts]``, an order of magnitude faster.

    All texts become one array of code points mapped through a per-character table with
    numpy. Only the rare text with a character whose key depends on its neighbours (a
    combining mark, jamo, Σ) takes ``_fold`` itself, and one with a character that
    becomes several characters is keyed one character at a time.
    """
    if not texts:
        return []
    table = _char_table()
    joined = "".join(texts).encode("utf-32-le", "surrogatepass")
    points = np.frombuffer(joined, dtype=np.uint32).copy()
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    ends = np.cumsum(lengths)
    starts = ends - lengths
    nonempty = lengths > 0
    _mark_numbers_batch(points, starts[nonempty], ends[nonempty])
    codes = table.lookup(points)
    kept = np.zeros(len(codes) + 1, dtype=np.int64)  # characters kept before each position
    np.cumsum(codes >= 0, out=kept[1:])
    out = codes[codes >= 0].astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    keys = [out[a:b] for a, b in zip(kept[starts].tolist(), kept[ends].tolist())]
    special = np.zeros(len(texts), dtype=np.int32)  # most negative code in each text
    special[nonempty] = np.minimum.reduceat(np.minimum(codes, 0), starts[nonempty])
    for i in np.flatnonzero(special <= _LONG).tolist():
        slow = special[i] == _SLOW
        keys[i] = _fold(texts[i]) if slow else table.key(_mark_numbers(texts[i]))
    return keys


def fold_points(points: np.ndarray) -> np.ndarray:
    """The key of each code point by itself, as a code point: its simplified, width- and
    case-folded form, or -1 where the key drops it (punctuation, spaces). A
    character whose key is several characters or depends on its neighbours is kept as it
    is. Numbers are not marked: this is for a quick look-up, not a key."""
    codes = _char_table().lookup(points)
    special = np.flatnonzero(codes < _UNKNOWN)
    codes[special] = np.where(codes[special] == _DROP, -1, points[special])
    return codes


@lru_cache(maxsize=1)
def _phrase_rules() -> PhraseRules:
    """The phrase rules, read from the cache folder when built before (building them reads
    OpenCC's dictionaries, about a second), else built and kept there."""
    folder = (
        _cache_folder()
        / f"phrases-opencc-{_opencc_version()}-v{RULES_VERSION}-{_TABLE_VERSION}-{tables_digest()}"
    )
    try:
        lines = (folder / "rules.txt").read_text(encoding="utf-8").splitlines()
        rules = dict(line.split("\t") for line in lines)
    except (OSError, ValueError):
        rules = unify_rules(fold_batch)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return PhraseRules(rules, folder)
    except OSError:  # OpenCC reads its files once, when the converter is made
        with tempfile.TemporaryDirectory(prefix="dedup-phrases-") as scratch:
            return PhraseRules(rules, Path(scratch))
