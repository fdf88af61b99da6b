"""Boilerplate: lines a site puts on many pages, mostly at the top or bottom.

A repeated line is boilerplate when its copies are in at least ``Config.boilerplate_docs``
documents and most of them sit at an edge of their page. Header and footer lines often
carry a field that changes from page to page (`（责任编辑：王晓）`, `本报记者 李明 报道`,
`来源：新华网 2024-12-13`, `原标题：…`): such lines share a template, the line with its
field masked, and the lines of one template are grouped as one boilerplate cluster.
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np

from .normalise import normalise_batch

TEMPLATE_CHARS = 60
"""Longer lines are body text, never template lines."""
_PREFIX_CHARS = 8
# `（责任编辑：王晓）`, `来源：新华网 2024-12-13`, `原标题：…`: a short prefix, a colon, the
# field, and an optional closing bracket matching an opening one.
_PREFIXED = re.compile(
    rf"^(?P<open>[（(【\[]?)(?P<prefix>[^：:\s]{{1,{_PREFIX_CHARS}}})\s*[：:]\s*"
    r"(?P<field>.+?)\s*(?P<close>[）)】\]]?)$"
)
# A field is a name, a date, a number or a title, never sentences (a sentence end before
# its last character): 网友：…？… is body text.
_SENTENCE_END = re.compile(r"[。！？!?；;]")
# A field that ends a sentence (网友：您认为中国足球有什么值得骄傲的吗？) is what someone said
# or asked, body text, unless it is short or follows a title's prefix (原标题：房价还会涨吗？).
_SHORT_FIELD = 12
_TITLE_PREFIXES = frozenset(("标题", "原标题", "原题", "题目", "主题", "副标题", "引题"))


def edge_of(position: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Whether a paragraph at 0-based ``position`` in a document of ``count`` paragraphs
    is at the top or bottom of the page: among its first or last third, at least 2 and at
    most 3 paragraphs."""
    k = np.clip(count // 3, 2, 3)
    return (position < k) | (position >= count - k)


def _said(prefix: str, field: str) -> bool:
    """Whether ``field`` is what someone said or asked rather than a header's field: a
    sentence (it ends with a sentence's end) longer than a short field, after a prefix
    that is not a title's."""
    if len(field) <= _SHORT_FIELD or not _SENTENCE_END.search(field[-1:]):
        return False
    return normalise_batch([prefix])[0] not in _TITLE_PREFIXES


def _fields(text: str) -> tuple[list[str], str] | None:
    """The fixed parts of a header or footer line, not yet normalised, with the template as
    shown; None for a line that has no field or is too long to be one."""
    if len(text) > TEMPLATE_CHARS:
        return None
    found = _PREFIXED.match(text)
    if (
        found
        and not found["prefix"].isdigit()
        and not _SENTENCE_END.search(found["field"][:-1])
        and not _said(found["prefix"], found["field"])
    ):
        close = found["close"] if found["open"] else ""
        return [
            "prefix",
            found["open"],
            found["prefix"],
        ], f"{found['open']}{found['prefix']}：…{close}"
    words = text.split()
    if len(words) >= 3 and not _SENTENCE_END.search(text[:-1]):
        return ["words", str(len(words)), words[0], words[-1]], f"{words[0]} … {words[-1]}"
    return None


def _keys(found: list[tuple[list[str], str] | None]) -> list[str | None]:
    """The grouping key of each template: its fixed parts normalised (all at once), so
    that script, width and punctuation do not matter; None where a part has no key."""
    parts = [part for f in found if f is not None for part in f[0][1:]]
    keys = iter(normalise_batch(parts))
    out: list[str | None] = []
    for f in found:
        if f is None:
            out.append(None)
            continue
        fixed = [next(keys) for _ in f[0][1:]]
        kind = f[0][0]
        usable = all(fixed[-2:]) if kind == "words" else bool(fixed[-1])
        out.append("|".join([kind, *fixed]) if usable else None)
    return out


def template_of(text: str) -> tuple[str, str] | None:
    """The template of a header or footer line: a grouping key and the template as shown,
    its field as ``…``; None for a line that has no field or is too long to be one.

    Forms: a short prefix and a colon (`（责任编辑：…）`, `来源：…`, `原标题：…`); words
    between spaces whose first and last stay (`本报记者 … 报道`). A line that is only a
    date or a number is not a template: without a fixed part, numbers are facts.
    """
    found = _fields(text)
    [key] = _keys([found])
    return None if key is None or found is None else (key, found[1])


def templates(
    rows: list[int],
    texts: list[str],
    keys: np.ndarray,
    docs: np.ndarray,
    edge: np.ndarray,
    min_docs: int,
) -> list[tuple[str, list[int]]]:
    """Groups of template lines that are boilerplate: (template as shown, the ``rows``
    that belong to it, ascending). ``texts``, ``keys``, ``docs`` and ``edge`` describe
    each row. A group counts when its lines differ in the field (two keys or more), are in
    ``min_docs`` documents or more, and at least half of them are at a page edge."""
    groups: dict[str, list[int]] = defaultdict(list)
    shown: dict[str, str] = {}
    found = [_fields(text) for text in texts]
    for i, (key, f) in enumerate(zip(_keys(found), found)):
        if key is not None and f is not None:
            groups[key].append(i)
            shown.setdefault(key, f[1])
    found_groups = []
    for key, members in groups.items():
        at = np.array(members)
        if (
            len(np.unique(keys[at])) >= 2
            and len(np.unique(docs[at])) >= min_docs
            and 2 * int(edge[at].sum()) >= len(at)
        ):
            found_groups.append((shown[key], [rows[i] for i in members]))
    return found_groups
