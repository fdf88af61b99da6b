"""Distinct records: two near-identical keys that differ in a fact are not copies.

``被判10年徒刑`` and ``被判12年徒刑``, or a signature ``…毕业生 钟馨乐`` and ``…毕业生 周颖怡``,
share nearly all their shingles, but say different things. A verified pair is looked at where
its keys differ (Levenshtein opcodes from rapidfuzz; edits one or two unchanged characters
apart are one region). A region is a *fact* when

- numbers differ: digits replaced by other digits (10年 / 12年), or a number mark or sign
  added or removed (1∼2月 / 12月, −5℃ / 5℃, 15% / 15), next to or inside a number on both
  sides; or Chinese numerals replaced by numerals (第三季 / 第四季). A digit added or
  dropped alone is what typos and random edits make, so it is not counted;
- a name is swapped: a word for a word (two characters or more on one side, up to 12) where
  either side overlaps a word that jieba's part-of-speech tagger (rjieba, the Rust port)
  tags as a person, place, organisation, other proper noun or time (nr, ns, nt, nz, t):
  鸿海 / 华硕, 钟馨乐 / 周颖怡; or one character for one, as random edits make, only where
  it is at least half of such a word on both sides (华银 / 彰银).

A pair is a distinct record when *every* region where its keys differ is a fact: text added,
dropped or rewritten, or a common word replaced, make it a copy again. Only pairs that passed
the similarity test are looked at, and words are tagged only for pairs whose regions are all
short, so the cost stays small.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

_DIGITS = frozenset("0123456789")
# Number marks of dedup.normalise and the signs kept in keys.
_NUMBER_SIGNS = frozenset("\u2219\u223c\u2236\u2215\u2218\u2212~%\u2030\u2031")
_NUMERALS = frozenset("〇零一二两三四五六七八九十百千万亿")
_NAME_TAGS = frozenset(("nr", "nrt", "nrfg", "ns", "nt", "nz", "t"))
# Edits parted by this many unchanged characters or fewer make one region.
_GAP = 2
# Longer regions are rewritten text, not a swapped name.
_MAX_NAME_REGION = 12


@lru_cache(maxsize=1024)
def _words(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, tag) of each word jieba's tagger (rjieba) finds in ``text``."""
    import rjieba

    found = []
    at = 0
    for word, tag in rjieba.tag(text):
        found.append((at, at + len(word), tag))
        at += len(word)
    return tuple(found)


def _regions(a: str, b: str) -> list[tuple[int, int, int, int]]:
    """(a start, a end, b start, b end) of each run of edits turning a into b; runs that
    one unchanged character parts are one region (a word replaced by one that shares a
    character with it)."""
    from rapidfuzz.distance import Levenshtein

    regions: list[list[int]] = []
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal":
            continue
        if regions and op.src_start - regions[-1][1] <= _GAP:
            regions[-1][1], regions[-1][3] = op.src_end, op.dest_end
        else:
            regions.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    return [(r[0], r[1], r[2], r[3]) for r in regions]


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


def _number_change(changed: str, substituted: bool) -> bool:
    """Whether the changed characters are a number's: digits replaced, or a mark or sign
    added or removed (a digit more or less alone is what typos and random edits make)."""
    if not all(c in _DIGITS or c in _NUMBER_SIGNS for c in changed):
        return False
    return substituted or not all(c in _DIGITS for c in changed)


def _may_be_fact(a: str, b: str, region: tuple[int, int, int, int]) -> bool:
    """What ``_is_fact`` needs before it tags words: a short substitution, or numbers."""
    a_start, a_end, b_start, b_end = region
    if 0 < a_end - a_start <= _MAX_NAME_REGION and 0 < b_end - b_start <= _MAX_NAME_REGION:
        return True
    return _number_change(a[a_start:a_end] + b[b_start:b_end], False)


def _is_fact(a: str, b: str, region: tuple[int, int, int, int]) -> bool:
    a_start, a_end, b_start, b_end = region
    changed = a[a_start:a_end] + b[b_start:b_end]
    substituted = a_end > a_start and b_end > b_start
    if _number_change(changed, substituted):
        return _touches_digit(a, a_start, a_end) and _touches_digit(b, b_start, b_end)
    if substituted and all(c in _NUMERALS for c in changed):
        return True
    if not (0 < a_end - a_start <= _MAX_NAME_REGION and 0 < b_end - b_start <= _MAX_NAME_REGION):
        return False  # text added, dropped or rewritten
    if max(a_end - a_start, b_end - b_start) >= 2:  # a word for a word
        return _names(a, a_start, a_end, False) or _names(b, b_start, b_end, False)
    # One character for one, as random edits make: a name only if it is most of a name on
    # both sides.
    return _names(a, a_start, a_end, True) and _names(b, b_start, b_end, True)


def differ_in_facts(a: str, b: str) -> bool:
    """Whether keys ``a`` and ``b`` differ only in numbers, dates, names, places or
    organisations: every region where they differ is such a fact."""
    regions = _regions(a, b)
    if not regions or not all(_may_be_fact(a, b, region) for region in regions):
        return False
    return all(_is_fact(a, b, region) for region in regions)


def distinct_records(first: Sequence[str], second: Sequence[str]) -> np.ndarray:
    """``differ_in_facts`` of each pair of keys (first[k], second[k])."""
    return np.fromiter(
        (a != b and differ_in_facts(a, b) for a, b in zip(first, second)),
        dtype=bool,
        count=len(first),
    )
