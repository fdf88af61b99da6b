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


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, in order, stripped; joined they give ``text`` back less
    the white space between sentences."""
    return [s for s in (m.group().strip() for m in _SENTENCE.finditer(text)) if s]
