"""Foreign names as the mainland, Taiwan and Hong Kong transliterate them.

OpenCC's phrase dictionaries make 紐西蘭 新西兰, but not most names of people, cities, clubs
and firms, which each region writes its own way (克林顿 / 柯林頓, 悉尼 / 雪梨, 贝克汉姆 /
貝克漢 / 碧咸). The package's table ``data/transliterations.tsv`` lists them, one name a line
(its header says how it was compiled and what was left out); ``dedup.phrases`` turns its
pairs into rewrite rules as it does OpenCC's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

TABLE_FILE = "transliterations.tsv"


@dataclass(frozen=True)
class RegionalForms:
    """One name (or, in ``dedup.vocabulary``'s table, one word) as each region writes it:
    the mainland form (simplified script), and the Taiwan and Hong Kong forms
    (traditional), None where that region writes the mainland one. ``line`` is its line in
    the table."""

    mainland: str
    taiwan: str | None
    hong_kong: str | None
    line: int

    @property
    def forms(self) -> tuple[str, ...]:
        """The mainland form, then each regional form that differs from it, once."""
        regional = (f for f in (self.taiwan, self.hong_kong) if f and f != self.mainland)
        return tuple(dict.fromkeys((self.mainland, *regional)))


def parse_classes(text: str) -> list[RegionalForms]:
    """The classes of a table's text: tab-separated mainland, Taiwan and Hong Kong cells,
    blank lines and ``#`` comments skipped. ValueError names the first malformed line (more
    than three cells, no mainland form, no regional form that differs from it)."""
    classes = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) > 3:
            raise ValueError(f"line {number}: more than 3 cells: {line!r}")
        mainland, taiwan, hong_kong = (*cells, "", "")[:3]
        found = RegionalForms(mainland, taiwan or None, hong_kong or None, number)
        if not mainland or len(found.forms) < 2:
            raise ValueError(f"line {number}: needs a mainland and another form: {line!r}")
        classes.append(found)
    return classes


@cache
def read_table(name: str) -> tuple[RegionalForms, ...]:
    """The classes of the package's table ``data/NAME``, read once per process."""
    table = resources.files("dedup") / "data" / name
    return tuple(parse_classes(table.read_text(encoding="utf-8")))


def read_classes() -> tuple[RegionalForms, ...]:
    """The classes of the names table the package ships."""
    return read_table(TABLE_FILE)


def name_pairs() -> list[tuple[str, str]]:
    """(mainland, regional) pairs of the package's table, as ``phrases.phrase_pairs`` gives
    OpenCC's."""
    return [(c.mainland, form) for c in read_classes() for form in c.forms[1:]]
