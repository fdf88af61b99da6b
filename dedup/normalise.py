"""Comparison keys: the text two copies of one paragraph share however they were written.

Only keys are normalised; the text a report shows and `clean` writes is never altered.
"""

from __future__ import annotations

import sys
import unicodedata
from functools import lru_cache

import opencc

# CJK blocks whose characters OpenCC may map: Unified Ideographs with Extension A,
# Compatibility Ideographs, and Extension B, where some traditional forms live.
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF))

# Characters dropped from keys: punctuation (so full- and half-width, Chinese and Western
# marks all agree), separators and spaces, control and format characters (zero-width ones).
_DROPPED_CATEGORIES = ("P", "Z", "Cc", "Cf")


def _convert_each(config: str, chars: list[str]) -> list[str]:
    """OpenCC ``config`` applied to each character on its own (one call for all of them)."""
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


@lru_cache(maxsize=1)
def _key_table() -> dict[int, str | None]:
    table: dict[int, str | None] = dict(_simplified_table())
    for code in range(sys.maxunicode + 1):
        if unicodedata.category(chr(code)).startswith(_DROPPED_CATEGORIES):
            table[code] = None
    return table


def normalise(text: str) -> str:
    """The comparison key of ``text``.

    NFKC folds full-width letters, digits and punctuation to their plain forms; Latin is
    lower-cased; traditional characters become simplified (OpenCC t2s); punctuation,
    whitespace and zero-width characters are removed. ``normalise("棗莊高新區　ＡＢＣ，")``
    equals ``normalise("枣庄高新区abc,")``.
    """
    return unicodedata.normalize("NFKC", text).lower().translate(_key_table())
