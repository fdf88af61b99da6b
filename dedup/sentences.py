"""Splitting a paragraph into sentences: the unit `clean` accounts for and fragments are
found by.

A sentence ends at 。！？； or their half-width forms (｡.!?;), an ellipsis (…… or ...), and
any closing quotes or brackets that follow stay with it, so 「他說：『好。』」 is one
sentence. A half-width point between two digits (3.5) or inside a Latin word (e.g.) ends
nothing.
"""

from __future__ import annotations

import re

_CLOSERS = "」』”’）)》〉】］]\"'"
_SENTENCE = re.compile(
    rf"""(?:
        [^。｡！？；!?;.…]            # any character that cannot end a sentence
        | \.(?=[0-9A-Za-z])         # a point before a digit or letter: 3.5, e.g.
      )+
      (?:[。｡！？；!?;.…]+[{re.escape(_CLOSERS)}]*)?  # the end marks and closing quotes
    | [。｡！？；!?;.…]+[{re.escape(_CLOSERS)}]*       # end marks with nothing before them
    """,
    re.VERBOSE,
)
# The same on texts joined by line breaks: a sentence never holds one, and each is a match
# of its own, so one ``findall`` splits them all.
_SENTENCE_OR_BREAK = re.compile(
    _SENTENCE.pattern.replace("[^。｡！？；!?;.…]", "[^。｡！？；!?;.…\\n]") + "| \\n", re.VERBOSE
)


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, in order, stripped; joined they give ``text`` back less
    the white space between sentences."""
    return [s for s in (m.group().strip() for m in _SENTENCE.finditer(text)) if s]


def split_many(texts: list[str]) -> list[list[str]]:
    """``[split_sentences(t) or [t] for t in texts]``: the sentences of each text, or the
    text itself when it has none. Texts without line breaks (paragraphs) are split by one
    regular expression call over all of them, not one call per text."""
    joined = "\n".join(texts)
    if joined.count("\n") != max(len(texts) - 1, 0):
        return [split_sentences(t) or [t] for t in texts]
    found: list[list[str]] = []
    current: list[str] = []
    for piece in _SENTENCE_OR_BREAK.findall(joined):
        if piece == "\n":
            found.append(current or [texts[len(found)]])
            current = []
        elif piece := piece.strip():
            current.append(piece)
    if texts:
        found.append(current or [texts[-1]])
    return found
