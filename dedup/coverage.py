"""Which lines `clean` removes: a line goes only when every one of its sentences is kept
elsewhere in the output.

Lines are split into sentences (`sentences.split_sentences`) and each sentence is keyed by
its normalised text. Lines are decided in the order `clean` prefers to keep them (path
order, or longest first): a line is dropped when each of its sentences is in a line already
kept, or, for a near copy or a paragraph inside a longer one, when the kept paragraph it was
verified against holds all of that sentence's shingles but those one edited character
touches (that paragraph is then never dropped): a cut sentence, or one with a clause added,
is never counted as kept in the shorter form. A second pass, from the last line back, drops
a kept line whose every sentence is also in another kept line, counting copies so that no
sentence loses its last one. So a merged paragraph whose parts are kept goes, the halves of
a split one whose whole is kept go, and a sentence found nowhere else is never removed.

A short line (under ``min_chars``) repeated in another document goes only when it is part
of a repeated block (a neighbouring line is repeated in that document too) or boilerplate;
within its own document it goes like any other.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from .normalise import normalise_batch
from .sentences import split_sentences


def sentence_keys(texts: list[str]) -> list[str]:
    """The comparison key of each sentence; punctuation alone is keyed by its own
    width-folded text, so it is only ever a copy of the same punctuation."""
    return [
        key or "\x00" + unicodedata.normalize("NFKC", text)
        for key, text in zip(normalise_batch(texts), texts)
    ]


@dataclass
class Lines:
    """The lines that may be removed or keep what others say, as parallel columns."""

    para: list[int]
    """Paragraph index of each line, ascending (path, line order)."""
    doc: list[int]
    short: list[bool]
    """Under ``min_chars``: repeated across documents only as part of a block."""
    block: list[bool]
    """A neighbouring line is repeated in a document that repeats this one."""
    boilerplate: list[bool]
    """In a boilerplate cluster."""
    sentences: list[list[int]]
    """Sentence ids of each line (distinct keys, numbered)."""
    near: list[dict[int, list[int]]]
    """For each line, per sentence id: the lines (positions in these columns) it was
    verified against that hold enough of that sentence."""


@dataclass
class Outcome:
    """What `clean` does with each line (same positions as `Lines`)."""

    dropped: list[bool]
    dropped_within: list[bool]
    kept_at: list[list[int]]
    """Positions of the kept lines that hold a removed line's sentences."""


def decide(lines: Lines, rank: list[int], drop_boilerplate: bool) -> Outcome:
    """Decide every line for `clean` and for `clean --within`; ``rank`` orders the lines
    (lower is kept first)."""
    order = sorted(range(len(lines.para)), key=rank.__getitem__)
    dropped, kept_at = _decide(lines, order, drop_boilerplate, within=False)
    dropped_within, kept_within = _decide(lines, order, drop_boilerplate, within=True)
    return Outcome(
        dropped,
        dropped_within,
        [a if d else w for a, w, d in zip(kept_at, kept_within, dropped)],
    )


def _decide(
    lines: Lines, order: list[int], drop_boilerplate: bool, within: bool
) -> tuple[list[bool], list[list[int]]]:
    n = len(lines.para)
    kept = [False] * n
    dropped = [False] * n
    pinned = [False] * n
    copies: dict[tuple[int, int], int] = defaultdict(int)  # (scope, sentence): kept lines
    here: dict[tuple[int, int], int] = defaultdict(int)  # (document, sentence): kept lines

    def scope(i: int) -> int:
        return lines.doc[i] if within else 0

    def keep(i: int, step: int) -> None:
        for s in lines.sentences[i]:
            copies[scope(i), s] += step
            here[lines.doc[i], s] += step

    for i in order:
        if drop_boilerplate and lines.boilerplate[i]:
            dropped[i] = True
            continue
        across = not lines.short[i] or lines.block[i] or lines.boilerplate[i]
        leaning: list[int] = []
        covered = True
        for s in lines.sentences[i]:
            if here[lines.doc[i], s] or (across and copies[scope(i), s]):
                continue
            partner = next(
                (j for j in lines.near[i].get(s, ()) if kept[j] and scope(j) == scope(i)), None
            )
            if partner is None:
                covered = False
                break
            leaning.append(partner)
        if covered:
            dropped[i] = True
            for j in leaning:
                pinned[j] = True
        else:
            kept[i] = True
            keep(i, 1)
    # Second pass: a kept line whose every sentence another kept line also holds.
    for i in reversed(order):
        if not kept[i] or pinned[i] or lines.short[i]:
            continue
        if all(copies[scope(i), s] >= 2 for s in lines.sentences[i]):
            kept[i], dropped[i] = False, True
            keep(i, -1)
    return dropped, _kept_at(lines, order, kept, dropped, within)


def _kept_at(
    lines: Lines, order: list[int], kept: list[bool], dropped: list[bool], within: bool
) -> list[list[int]]:
    """For each dropped line, the kept lines that hold its sentences: the first kept line
    (in ``order``) of each sentence, or the near partner that holds it."""
    first: dict[tuple[int, int], int] = {}
    for i in order:
        if kept[i]:
            for s in lines.sentences[i]:
                first.setdefault((lines.doc[i] if within else 0, s), i)
                first.setdefault((-1 - lines.doc[i], s), i)
    found: list[list[int]] = [[] for _ in lines.para]
    for i in order:
        if not dropped[i]:
            continue
        places: list[int] = []
        for s in lines.sentences[i]:
            j = first.get((-1 - lines.doc[i], s), first.get((lines.doc[i] if within else 0, s)))
            if j is None:
                j = next((p for p in lines.near[i].get(s, ()) if kept[p]), None)
            if j is not None and j not in places:
                places.append(j)
        found[i] = places
    return found


def split(texts: list[str]) -> tuple[list[list[int]], list[str], list[int]]:
    """The sentences of each text as ids of distinct sentence keys; the distinct keys; and
    for each id, the text of its first occurrence."""
    pieces = [split_sentences(text) or [text] for text in texts]
    flat = [s for p in pieces for s in p]
    ids: dict[str, int] = {}
    first: list[int] = []
    numbered = []
    for position, key in enumerate(sentence_keys(flat)):
        if key not in ids:
            ids[key] = len(ids)
            first.append(position)
        numbered.append(ids[key])
    out, at = [], 0
    for p in pieces:
        out.append(list(dict.fromkeys(numbered[at : at + len(p)])))
        at += len(p)
    return out, list(ids), first
