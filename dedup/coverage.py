"""Which lines `clean` removes: a line goes only when every one of its sentences is kept
elsewhere in the output.

Lines are split into sentences (`sentences.split_sentences`) and each sentence is keyed by
its normalised text. Lines are decided in the order `clean` prefers to keep them (path
order, or longest first): a line is dropped when each of its sentences is in a line already
kept, or, for a near copy or a paragraph inside a longer one, when the kept paragraph it was
verified against holds every shingle of that sentence, or holds it with one edited
character per `CHARS_PER_EDIT` that is no fact (`nearly_held`); that paragraph is then
never dropped. A second pass, from the last line back, drops a kept line whose every
sentence is also in another kept line, counting copies so that no sentence loses its last
one. So a merged paragraph whose parts are kept goes, the halves of a split one whose whole
is kept go, and a sentence found nowhere else is never removed. Lines in no verified pair
are weighed too when another line holds each of their sentences (`held_elsewhere`).

A short line (under ``min_chars``) repeated in another document goes only when it is part
of a repeated block (a neighbouring line is repeated in that document too) or boilerplate;
within its own document it goes like any other.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np

from .normalise import fold_points, normalise_batch
from .records import differ_in_facts
from .sentences import split_many

_CLOSE, _END = 1, 2
_MARKS = np.zeros(0x110000, dtype=np.int8)  # per code point: a closing quote, an end mark
_MARKS[[ord(c) for c in "」』”’）)》〉】］]\"'"]] = _CLOSE
_MARKS[[ord(c) for c in "。｡！？；!?;…"]] = _END
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


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
    width = _width(lines)
    places, lines_at = _places(lines, width)
    dropped, kept_at = _decide(lines, order, drop_boilerplate, places, width, within=False)
    # With --within only lines sharing a sentence with another line of their document can
    # go (or boilerplate, when dropped): decide those alone.
    order = [
        i
        for i in order
        if (drop_boilerplate and lines.boilerplate[i]) or any(lines_at[p] > 1 for p in places[i])
    ]
    dropped_within, kept_within = _decide(lines, order, drop_boilerplate, places, width, True)
    return Outcome(
        dropped,
        dropped_within,
        [a if d else w for a, w, d in zip(kept_at, kept_within, dropped)],
    )


def _width(lines: Lines) -> int:
    """One more than the largest sentence id."""
    return 1 + max((max(ids) for ids in lines.sentences if ids), default=0)


def _places(lines: Lines, width: int) -> tuple[list[list[int]], list[int]]:
    """Each (document, sentence) of the lines numbered densely, in numpy: for each line, the
    place of each of its sentences (parallel to ``lines.sentences``), and how many lines
    hold each place. Counts per place are then a list, not a dict of (document, sentence)
    keys: a tenth of the memory, at 100 M characters a few hundred MiB less."""
    sizes = np.fromiter(map(len, lines.sentences), np.int64, len(lines.sentences))
    flat = np.fromiter(chain.from_iterable(lines.sentences), np.int64, int(sizes.sum()))
    codes = np.repeat(np.asarray(lines.doc, dtype=np.int64), sizes) * width + flat
    _, place = np.unique(codes, return_inverse=True)
    lines_at = np.bincount(place).tolist()
    ends = np.cumsum(sizes).tolist()
    flat_places = place.ravel().tolist()
    return [flat_places[a:b] for a, b in zip([0, *ends[:-1]], ends)], lines_at


def _decide(
    lines: Lines,
    order: list[int],
    drop_boilerplate: bool,
    places: list[list[int]],
    width: int,
    within: bool,
) -> tuple[list[bool], list[list[int]]]:
    """The two passes over the lines of ``order``; with ``within`` only lines of the same
    document keep a line's sentences. ``places`` number each line's (document, sentence)
    (`_places`); sentence ids are below ``width``."""
    n = len(lines.para)
    kept = [False] * n
    dropped = [False] * n
    pinned = [False] * n
    here = [0] * (1 + max((max(p) for p in places if p), default=0))  # place: kept lines
    # (scope, sentence): kept lines; with ``within`` the scope is the document (a place).
    copies = here if within else [0] * width
    scopes = places if within else lines.sentences
    docs, sentences, near = lines.doc, lines.sentences, lines.near
    for i in order:
        if drop_boilerplate and lines.boilerplate[i]:
            dropped[i] = True
            continue
        doc = docs[i]
        across = not lines.short[i] or lines.block[i] or lines.boilerplate[i]
        leaning: list[int] = []
        for s, p, c in zip(sentences[i], places[i], scopes[i]):
            if here[p] or (across and copies[c]):
                continue
            partner = next(
                (j for j in near[i].get(s, ()) if kept[j] and (not within or docs[j] == doc)), -1
            )
            if partner < 0:
                break
            leaning.append(partner)
        else:
            dropped[i] = True
            for j in leaning:
                pinned[j] = True
            continue
        kept[i] = True
        for p in places[i]:
            here[p] += 1
        if not within:
            for s in sentences[i]:
                copies[s] += 1
    # Second pass: a kept line whose every sentence another kept line also holds.
    for i in reversed(order):
        if not kept[i] or pinned[i] or lines.short[i]:
            continue
        if all(copies[c] >= 2 for c in scopes[i]):
            kept[i], dropped[i] = False, True
            for p in places[i]:
                here[p] -= 1
            if not within:
                for s in sentences[i]:
                    copies[s] -= 1
    return dropped, _kept_at(lines, order, kept, dropped, places, len(here), width, within)


def _kept_at(
    lines: Lines,
    order: list[int],
    kept: list[bool],
    dropped: list[bool],
    places: list[list[int]],
    n_places: int,
    width: int,
    within: bool,
) -> list[list[int]]:
    """For each dropped line, the kept lines that hold its sentences: the first kept line
    (in ``order``) of each sentence, in its own document if there is one, or the near
    partner that holds it."""
    in_doc = [-1] * n_places  # place (document, sentence): the first kept line
    in_scope = in_doc if within else [-1] * width  # (scope, sentence): the same
    for i in order:
        if kept[i]:
            for p in places[i]:
                if in_doc[p] < 0:
                    in_doc[p] = i
            if not within:
                for s in lines.sentences[i]:
                    if in_scope[s] < 0:
                        in_scope[s] = i
    none: list[int] = []  # shared by every line kept (never changed): one list, not one each
    found = [none] * len(lines.para)
    for i in order:
        if not dropped[i]:
            continue
        spots: list[int] = []
        for s, p in zip(lines.sentences[i], places[i]):
            j = in_doc[p]
            if j < 0:
                j = in_scope[p if within else s]
            if j < 0:
                j = next((q for q in lines.near[i].get(s, ()) if kept[q]), -1)
            if j >= 0 and j not in spots:
                spots.append(j)
        found[i] = spots
    return found


# A sentence counts as kept in a near partner that holds it with one edited character per
# this many characters (OCR slips, random edits), unless the edit is a fact.
CHARS_PER_EDIT = 20


def nearly_held(sentences: Sequence[str], paragraphs: Sequence[str]) -> np.ndarray:
    """Whether each key ``paragraphs[k]`` holds key ``sentences[k]`` with at most one edited
    character per `CHARS_PER_EDIT` (a sentence shorter than that only exactly), where the
    edit is no fact (`records.differ_in_facts`: a number, name, place, organisation or
    time): so a copy with a typo still keeps the sentence, a different record never."""
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.fuzz import partial_ratio_alignment

    found = np.zeros(len(sentences), dtype=bool)
    for k, (sentence, paragraph) in enumerate(zip(sentences, paragraphs)):
        allowed = len(sentence) // CHARS_PER_EDIT
        if not allowed:
            continue
        where = partial_ratio_alignment(sentence, paragraph)
        if where is None:
            continue
        # The best window, widened so an added or dropped character fits, less any
        # characters at its ends that the sentence does not need.
        lo, hi = max(where.dest_start - allowed, 0), where.dest_end + allowed
        window = paragraph[lo:hi]
        ops = Levenshtein.opcodes(sentence, window)
        start, end = 0, len(window)
        if ops and ops[0].tag == "insert" and ops[0].src_start == 0:
            start = ops[0].dest_end
        if ops and ops[-1].tag == "insert" and ops[-1].src_end == len(sentence):
            end = ops[-1].dest_start
        copy = window[start:end]
        found[k] = Levenshtein.distance(sentence, copy) <= allowed and not differ_in_facts(
            sentence, copy
        )
    return found


@lru_cache(maxsize=1)
def _char_values() -> np.ndarray:
    """A well-spread 64-bit value for each code point (SplitMix64), and 0 last."""
    x = np.arange(1, 0x110001, dtype=np.uint64) * _GOLDEN
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return np.append(x ^ (x >> np.uint64(31)), np.uint64(0))


def _sentence_hashes(points: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The text (index into ``lengths``) and hash of each sentence of the texts whose code
    points ``points`` holds one after the other; punctuation alone is no sentence."""
    n = len(lengths)
    total = int(lengths.sum())
    first = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=first[1:])
    if not total:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    # A sentence starts after a run of end marks and closing quotes holding an end mark,
    # and at each text; only the few marks are looked at.
    kind = _MARKS[points]
    marks = np.flatnonzero(kind)
    starts_here = np.zeros(total + 1, dtype=bool)
    if len(marks):
        run = np.ones(len(marks), dtype=bool)
        run[1:] = marks[1:] != marks[:-1] + 1
        heads = np.flatnonzero(run)
        tails = np.append(heads[1:], len(marks)) - 1
        ends = np.maximum.reduceat(kind[marks], heads) == _END
        starts_here[marks[tails[ends]] + 1] = True
    starts_here[first[:-1]] = True
    begins = np.flatnonzero(starts_here[:total])
    # A sentence's hash: the sum of a random value per character key (a dropped character,
    # code -1, takes the table's last entry, 0). Order is not hashed: sentences with the same
    # characters in another order are proposed together, and told apart by their keys.
    hashes = np.add.reduceat(_char_values()[fold_points(points)], begins)
    some = hashes != 0  # a sentence of punctuation alone has none
    owner = np.searchsorted(first, begins[some], side="right") - 1
    return owner, hashes[some]


def held_elsewhere(blocks: Iterable[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Which texts may go for their sentences alone: each of whose sentences another text
    holds, and the texts holding them. ``blocks`` are the texts in order, a block at a time:
    the code points of its texts one after the other, and the length of each.

    A paragraph split in two, or two merged, is often no candidate pair (neither is alike
    the other as a whole, and a half may be under ``min_chars``): this finds them from a
    corpus-wide index of sentences, hashed from the per-character keys (`fold_points`)
    in numpy, a block at a time so that only the sentences' hashes are ever held for the
    whole corpus. It only proposes lines; `decide` compares their real sentence keys.
    """
    owners, all_hashes = [np.zeros(0, np.int64)], [np.zeros(0, np.uint64)]
    n = 0
    for points, lengths in blocks:
        owner, hashes = _sentence_hashes(points, lengths)
        owners.append(owner + n)
        all_hashes.append(hashes)
        n += len(lengths)
    _char_values.cache_clear()  # 9 MiB, needed again only by the next scan
    owner, hashes = np.concatenate(owners), np.concatenate(all_hashes)
    if not len(hashes):
        return np.zeros(n, dtype=bool)
    # Sorted by sentence, then text, each (sentence, text) once: a run of one sentence
    # with two texts or more is shared.
    order = np.lexsort((owner, hashes))
    owner, hashes = owner[order], hashes[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (hashes[1:] != hashes[:-1]) | (owner[1:] != owner[:-1])
    owner, hashes = owner[new], hashes[new]
    run = np.ones(len(owner), dtype=bool)
    run[1:] = hashes[1:] != hashes[:-1]
    run_id = np.cumsum(run) - 1
    shared = np.bincount(run_id)[run_id] >= 2
    covered = (np.bincount(owner, minlength=n) > 0) & (
        np.bincount(owner, ~shared, minlength=n) == 0
    )
    # And the texts that hold a covered text's sentences.
    wanted = np.zeros(int(run_id[-1]) + 1, dtype=bool)
    wanted[run_id[covered[owner]]] = True
    proposed = covered.copy()
    proposed[owner[wanted[run_id]]] = True
    return proposed


@dataclass(frozen=True)
class SplitBatch:
    """One batch of texts split into sentences: each text's sentences as ids of the batch's
    distinct sentence keys (each id once per text, in order), and those keys, numbered by
    first appearance in the batch."""

    sentences: list[list[int]]
    keys: list[str]


def split_batch(texts: Sequence[str]) -> SplitBatch:
    """Split and key one batch of texts on its own (`split` numbers the keys of all
    batches): it needs no other batch, so batches may be split in other processes."""
    pieces = split_many(list(texts))
    # The same sentence text is keyed once (a page saved as one line repeats its body).
    unique = list(dict.fromkeys(chain(*pieces)))
    ids: dict[str, int] = {}
    id_of = {t: ids.setdefault(k, len(ids)) for t, k in zip(unique, sentence_keys(unique))}
    return SplitBatch([list(dict.fromkeys(map(id_of.__getitem__, p))) for p in pieces], list(ids))


def split(batches: Iterable[Sequence[str]]) -> tuple[list[list[int]], list[str]]:
    """The sentences of each text as ids of distinct sentence keys (each id once per text,
    in order), and the distinct keys. ``batches`` are the texts in order, a batch at a
    time: only one batch's texts and sentences are ever held as strings (splitting and
    keying make several times their size in temporaries), and the ids are those of one call
    over all the texts (numbered by first appearance)."""
    return number_sentences(map(split_batch, batches))


def number_sentences(batches: Iterable[SplitBatch]) -> tuple[list[list[int]], list[str]]:
    """`split`'s result from its batches split on their own (`split_batch`), in order,
    wherever they were split."""
    found: list[list[int]] = []
    ids: dict[str, int] = {}
    for done in batches:
        # A batch numbers its keys by first appearance in it, so renumbering them in that
        # order numbers them as one pass over all the texts would.
        renumber = [ids.setdefault(k, len(ids)) for k in done.keys]
        found.extend([renumber[s] for s in sentences] for sentences in done.sentences)
    return found, list(ids)
