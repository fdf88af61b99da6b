"""Everyday words the mainland, Taiwan and Hong Kong write differently (菠萝 / 鳳梨, 空调 /
冷氣, 集装箱 / 貨櫃) that OpenCC's phrase dictionaries leave apart.

The package's table ``data/vocabulary.tsv`` lists them in the format of the transliterations
table (``dedup.transliterations``); ``dedup.phrases`` turns its pairs into rewrite rules as
it does OpenCC's and the names'.
"""

from __future__ import annotations

from .transliterations import RegionalForms, read_table

TABLE_FILE = "vocabulary.tsv"


def read_words() -> tuple[RegionalForms, ...]:
    """The classes of the vocabulary table the package ships: one word each, as each
    region writes it."""
    return read_table(TABLE_FILE)


def word_pairs() -> list[tuple[str, str]]:
    """(mainland, regional) pairs of the package's vocabulary table."""
    return [(c.mainland, form) for c in read_words() for form in c.forms[1:]]
