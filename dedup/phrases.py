"""Phrase-level unification of keys: regional vocabulary written one way.

A character table makes 軟體 软体 and 資訊 资讯, but the mainland writes 软件 and 信息: the
difference is a phrase, not a script. OpenCC's phrase dictionaries (the mainland → Taiwan and
Hong Kong phrases and variant phrases that ``s2twp``/``s2hk`` use, and the reverse ones that
``tw2sp``/``hk2s`` use) say which phrases are the same word. Each dictionary pair, both sides
keyed by the character table, is an equivalence; every phrase of a class is rewritten to
one form of it. Foreign names, which the regions transliterate differently (克林顿 /
柯林頓) and OpenCC's dictionaries mostly leave out, come from the package's own table
(``dedup.transliterations``) and join the same classes, as do everyday words OpenCC's
dictionaries miss (``dedup.vocabulary``: 菠萝 / 鳳梨). The rewriting is OpenCC's own
maximum-match conversion with these rules as a text dictionary, run only on keys that
contain the first two characters of a rule.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .transliterations import name_pairs
from .vocabulary import word_pairs

# Bump when how the rules are made changes (how OpenCC's pairs are read and joined), so that
# cached rule files are rebuilt; the package's tables are in the cache's name (`tables_digest`).
RULES_VERSION = 3

# Mainland phrase -> regional phrase (what s2twp, s2hk and s2t write) ...
_FORWARD = (
    "STPhrases",
    "STPhrases_GeneratedFromRegionalPhrases",
    "TWPhrases",
    "TWVariantsPhrases",
    "HKPhrases",
    "HKVariantsPhrases",
)
# ... and regional phrase -> mainland phrase (what tw2sp, hk2s and t2s read).
_REVERSE = (
    "TWPhrasesRev",
    "TWVariantsRevPhrases",
    "HKPhrasesRev",
    "HKVariantsRevPhrases",
    "TSPhrases",
)
# Rewriting a key can bring two characters together that start another rule; a few rounds
# reach the fixed point, so that a key is its own key.
_ROUNDS = 4
_HASH_BITS = 20


def _opencc_files() -> tuple[Path, Path]:
    """The ``opencc_dict`` tool and the dictionary folder that the opencc package ships."""
    import opencc

    root = Path(opencc.__file__).resolve().parent / "clib"
    return root / "bin" / "opencc_dict", root / "share" / "opencc"


def _read_dictionary(tool: Path, folder: Path, name: str, scratch: Path) -> list[tuple[str, str]]:
    """(phrase, first conversion) of every entry of OpenCC's dictionary ``name``."""
    text = scratch / f"{name}.txt"
    subprocess.run(
        [
            str(tool),
            "-i",
            str(folder / f"{name}.ocd2"),
            "-o",
            str(text),
            "-f",
            "ocd2",
            "-t",
            "text",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    entries = []
    for line in text.read_text(encoding="utf-8").splitlines():
        phrase, _, values = line.partition("\t")
        if phrase and values:
            entries.append((phrase, values.split(" ")[0]))
    return entries


def phrase_pairs() -> list[tuple[str, str]]:
    """(mainland, regional) phrase pairs: OpenCC's phrase dictionaries', then the
    transliterated names and the words of the package's tables. Without the ``opencc_dict``
    tool, the tables' only (with a warning)."""
    return opencc_phrase_pairs() + name_pairs() + word_pairs()


def tables_digest() -> str:
    """A short digest of the pairs of the package's tables (names and words): rules cached
    from other tables, an edited or older copy, are not taken for these."""
    pairs = "\n".join(f"{a}\t{b}" for a, b in name_pairs() + word_pairs())
    return hashlib.blake2b(pairs.encode("utf-8"), digest_size=6).hexdigest()


def unify_rules(fold: Callable[[Sequence[str]], list[str]]) -> dict[str, str]:
    """The rewrite rules of ``phrase_pairs``, folded by ``fold``. A class of the package's
    tables is written as the mainland writes it: jieba's dictionary, made from mainland
    text, knows that form, so the record check still sees two different names as a fact
    (碧咸 / 施丹, the Hong Kong forms of Beckham and Zidane, are no dictionary words;
    贝克汉姆 / 齐达内 are)."""
    mainland = [m for m, _ in name_pairs()] + [m for m, _ in word_pairs()]
    return rewrite_rules(phrase_pairs(), fold, mainland)


def opencc_phrase_pairs() -> list[tuple[str, str]]:
    """(mainland, regional) phrase pairs from OpenCC's phrase dictionaries; empty, with a
    warning, if this opencc package ships no ``opencc_dict`` tool to read them."""
    tool, folder = _opencc_files()
    if not tool.is_file():
        warnings.warn(
            f"opencc_dict not found at {tool}: keys unify scripts by characters and the "
            "package's tables of names and words only, not OpenCC's regional phrases (install "
            "the C++ opencc package from PyPI)",
            stacklevel=2,
        )
        return []
    pairs: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in _FORWARD:
            pairs += _read_dictionary(tool, folder, name, Path(scratch))
        for name in _REVERSE:
            pairs += [(b, a) for a, b in _read_dictionary(tool, folder, name, Path(scratch))]
    return pairs


def rewrite_rules(
    pairs: Sequence[tuple[str, str]],
    fold: Callable[[Sequence[str]], list[str]],
    prefer: Sequence[str] = (),
) -> dict[str, str]:
    """Phrase -> the one form of its class, for phrases of 2 or more characters.

    ``fold`` keys each side by the character table; pairs it already makes equal need no
    rule. The rest join classes (union-find), and the shortest form of a class, then the
    first in code point order, stands for all of it; a form of ``prefer`` goes first. A
    form that stands for its class and holds another rule's phrase maps to itself.
    """
    folded = fold([p for pair in pairs for p in pair])
    preferred = set(fold(prefer)) if prefer else set()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(folded[0::2], folded[1::2]):
        if a != b and a and b:
            parent[find(b)] = find(a)
    classes: dict[str, list[str]] = {}
    for phrase in list(parent):
        classes.setdefault(find(phrase), []).append(phrase)
    rules = {}
    for members in classes.values():
        best = min(members, key=lambda p: (p not in preferred, len(p), p))
        rules.update({p: best for p in members if p != best and len(p) >= 2})
    # A form that holds another rule's phrase (贝克汉姆 holds 贝克汉, the Taiwan form) stands
    # for itself, so that the maximum match takes it whole and a key stays its own key.
    for form in set(rules.values()):
        inside = (form[i:j] for i in range(len(form)) for j in range(i + 2, len(form) + 1))
        if any(part in rules for part in inside if part != form):
            rules[form] = form
    return rules


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)  # whole or absent, even with two processes writing at once


class PhraseRules:
    """The rewrite rules as an OpenCC converter, and the first two characters of every
    rule as sorted 64-bit codes, to find the few keys that need it."""

    def __init__(self, rules: dict[str, str], folder: Path) -> None:
        self.converter: Any = None
        firsts = sorted({_bigram(phrase[0], phrase[1]) for phrase in rules})
        self.bigrams = np.array(firsts, dtype=np.uint64)
        self.first = np.zeros(sys.maxunicode + 1, dtype=bool)
        self.first[[ord(phrase[0]) for phrase in rules]] = True
        self.second = np.zeros(sys.maxunicode + 1, dtype=bool)
        self.second[[ord(phrase[1]) for phrase in rules]] = True
        self.hashed = np.zeros(1 << _HASH_BITS, dtype=bool)
        self.hashed[_hash(self.bigrams)] = True
        if not rules:
            return
        import opencc

        rules_file = folder / "rules.txt"
        config_file = folder / "rules.json"
        if not (config_file.is_file() and rules_file.is_file()):
            _write_atomic(rules_file, "".join(f"{k}\t{v}\n" for k, v in sorted(rules.items())))
            dictionary = {"type": "text", "file": str(rules_file)}
            config = {
                "name": "dedup phrase unification",
                "segmentation": {"type": "mmseg", "dict": dictionary},
                "conversion_chain": [{"dict": dictionary}],
            }
            _write_atomic(config_file, json.dumps(config, ensure_ascii=False))
        self.converter = opencc.OpenCC(str(config_file))

    def flagged(self, keys: Sequence[str]) -> np.ndarray:
        """Indices of the keys that hold the first two characters of a rule (and no lone
        surrogate, which OpenCC cannot take)."""
        lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
        joined = "".join(keys).encode("utf-32-le", "surrogatepass")
        points = np.frombuffer(joined, dtype=np.uint32)
        if len(points) < 2 or not len(self.bigrams):
            return np.zeros(0, dtype=np.int64)
        ends = np.cumsum(lengths)
        # Positions whose character may start a rule and whose next one may follow it, then
        # those whose two characters do start one, inside one key.
        at = np.flatnonzero(self.first[points[:-1]] & self.second[points[1:]])
        codes = (points[at].astype(np.uint64) << np.uint64(21)) | points[at + 1]
        maybe = self.hashed[_hash(codes)]  # a bit table first: most positions fail it
        at, codes = at[maybe], codes[maybe]
        found = np.minimum(np.searchsorted(self.bigrams, codes), len(self.bigrams) - 1)
        at = at[self.bigrams[found] == codes]
        owner = np.searchsorted(ends, at, side="right")
        hit = np.unique(owner[at + 1 < ends[owner]])
        surrogate = (points >= 0xD800) & (points <= 0xDFFF)
        if surrogate.any():
            bad = np.unique(np.searchsorted(ends, np.flatnonzero(surrogate), side="right"))
            hit = np.setdiff1d(hit, bad)
        return hit

    def unify(self, keys: list[str]) -> list[str]:
        """``keys`` with every rule applied until none applies (in place, and returned)."""
        if self.converter is None:
            return keys
        todo = self.flagged(keys)
        for _ in range(_ROUNDS):
            if not len(todo):
                break
            batch = [keys[i] for i in todo.tolist()]
            converted = self.converter.convert("\n".join(batch)).split("\n")
            if len(converted) != len(batch):  # never seen; one call per key instead
                converted = [self.converter.convert(k) for k in batch]
            changed = [i for i, old, new in zip(todo.tolist(), batch, converted) if old != new]
            for i, new in zip(todo.tolist(), converted):
                keys[i] = new
            again = self.flagged([keys[i] for i in changed])
            todo = np.array(changed, dtype=np.int64)[again]
        return keys


def _hash(codes: np.ndarray) -> np.ndarray:
    """A ``_HASH_BITS``-bit hash of bigram codes."""
    return ((codes * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - _HASH_BITS)).astype(np.int64)


def _bigram(a: str, b: str) -> int:
    return (ord(a) << 21) | ord(b)
