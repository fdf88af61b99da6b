"""The HTML report: one self-contained page to judge a scan by eye.

It opens with the summary and three inline SVG charts (cluster sizes, similarity of copies,
files with the most repeated text), then lists the clusters, largest first, each member
beside the cluster's first with the characters that differ highlighted. A difference that
only changes script (traditional/simplified), width or punctuation, which the comparison
key ignores, is marked apart from a real edit. The clusters travel as JSON inside the page
and a small inline script renders one page of them at a time, with a scope filter and a
search box, so a report of 100,000 clusters opens at once. Nothing is fetched from anywhere.
"""

from __future__ import annotations

import html
import json
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

from .formats import split_row_name
from .io import write_atomic
from .normalise import normalise_batch
from .report import DuplicateCluster, Member, Report

# Members shown per cluster before "show all".
_SHOWN_MEMBERS = 6
_SIZE_BINS = ((2, 2), (3, 3), (4, 4), (5, 5), (6, 10), (11, 50), (51, None))


def _kind(old: str, new: str, old_key: str, new_key: str) -> str:
    """What a differing stretch is (``old_key`` and ``new_key`` are its keys): ``edit`` (the
    words changed), or a difference the key ignores: ``width`` (full/half width), ``punct``
    (punctuation or spaces only), ``script`` (traditional/simplified or regional forms)."""
    if old_key != new_key:
        return "edit"
    if unicodedata.normalize("NFKC", old) == unicodedata.normalize("NFKC", new):
        return "width"
    if _without_punctuation(old) == _without_punctuation(new):
        return "punct"
    return "script"


def _without_punctuation(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c)[0] not in "PZ")


def differences(first: str, other: str) -> list[list[Any]]:
    """Character-level differences of ``other`` from ``first`` (the Levenshtein opcodes of
    rapidfuzz other than equal, as the record check finds them), each as ``[i1, i2, j1,
    j2, kind]``: ``first[i1:i2]`` became ``other[j1:j2]``."""
    return differences_of([(first, other)])[0]


def differences_of(pairs: Sequence[tuple[str, str]]) -> list[list[list[Any]]]:
    """`differences` of many (first, other) pairs, their stretches keyed all at once: one
    key at a time, telling edits from script, width and punctuation took most of the time
    of writing a large page."""
    found = [
        []
        if a == b
        else [
            (op.src_start, op.src_end, op.dest_start, op.dest_end)
            for op in Levenshtein.opcodes(a, b)
            if op.tag != "equal"
        ]
        for a, b in pairs
    ]
    olds = [a[i1:i2] for (a, _), ops in zip(pairs, found) for i1, i2, _, _ in ops]
    news = [b[j1:j2] for (_, b), ops in zip(pairs, found) for _, _, j1, j2 in ops]
    kinds = iter(map(_kind, olds, news, normalise_batch(olds), normalise_batch(news)))
    return [[[*op, next(kinds)] for op in ops] for ops in found]


def _file_of(path: str, rows: set[str]) -> str:
    return split_row_name(path)[0] if path in rows else path


def _member(member: Member, ids: dict[str, str], changes: list[list[Any]]) -> dict[str, Any]:
    found = {"i": ids[member.path]} if member.path in ids else {}
    return {
        **found,
        "p": member.path,
        "l": member.line,
        "t": member.text,
        "s": member.similarity,
        "d": member.dropped,
        "x": changes,
    }


def _cluster(
    cluster: DuplicateCluster, ids: dict[str, str], changes: Iterator[list[list[Any]]]
) -> dict[str, Any]:
    """A cluster as the page's data; ``changes`` gives each later member's differences
    from the first, in order."""
    return {
        "id": cluster.id,
        "scope": cluster.scope,
        "boilerplate": cluster.kind == "boilerplate",
        "template": cluster.template,
        "n": len(cluster.members),
        "m": [_member(cluster.first, ids, [])]
        + [_member(m, ids, next(changes)) for m in cluster.members[1:]],
    }


def _bar_chart(title: str, labels: list[str], values: list[int], unit: str) -> str:
    """A horizontal bar chart as inline SVG."""
    row, label_width, bar_width = 22, 190, 300
    height = 30 + row * max(len(values), 1)
    top = max(values, default=0) or 1
    parts = [
        f'<svg class="chart" role="img" aria-label="{html.escape(title)}" '
        f'width="{label_width + bar_width + 90}" height="{height}" '
        f'viewBox="0 0 {label_width + bar_width + 90} {height}">',
        f'<text x="0" y="16" class="chart-title">{html.escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(zip(labels, values)):
        y = 26 + i * row
        width = round(bar_width * value / top)
        shown = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">'
            f"{html.escape(shown)}</text>"
            f'<rect x="{label_width}" y="{y + 2}" width="{max(width, 1)}" height="{row - 6}" '
            f'class="bar"><title>{html.escape(label)}: {value} {unit}</title></rect>'
            f'<text x="{label_width + width + 6}" y="{y + 14}">{value:,}</text>'
        )
    if not values:
        parts.append('<text x="0" y="44">nothing to show</text>')
    parts.append("</svg>")
    return "".join(parts)


def _charts(report: Report) -> str:
    sizes = Counter(len(c.members) for c in report.clusters)
    size_labels, size_values = [], []
    for low, high in _SIZE_BINS:
        count = sum(
            n for size, n in sizes.items() if size >= low and (high is None or size <= high)
        )
        shown = f"{low}" if low == high else f"{low}–{high}" if high else f"{low}+"
        size_labels.append(f"{shown} members")
        size_values.append(count)
    bins = [0] * 10
    for cluster in report.clusters:
        for member in cluster.members[1:]:
            bins[min(int(member.similarity * 10), 9)] += 1
    sim_labels = [f"{i / 10:.1f}–{(i + 1) / 10:.1f}" for i in range(10)]
    first_bin = next((i for i, n in enumerate(bins) if n), 9)
    rows = {f.path for f in report.files if f.row is not None}
    repeated: Counter[str] = Counter()
    for cluster in report.clusters:
        for member in cluster.removable():
            repeated[_file_of(member.path, rows)] += len(member.text)
    top = repeated.most_common(10)
    return "".join(
        (
            _bar_chart("Clusters by size", size_labels, size_values, "clusters"),
            _bar_chart(
                "Similarity of copies to the first (Jaccard)",
                sim_labels[first_bin:],
                bins[first_bin:],
                "copies",
            ),
            _bar_chart(
                "Files with the most repeated characters",
                [name for name, _ in top],
                [n for _, n in top],
                "characters clean removes",
            ),
        )
    )


def _summary(report: Report) -> str:
    s = report.summary
    cells = [
        ("files / rows", s.files),
        ("paragraphs", s.paragraphs),
        ("clusters", s.clusters),
        ("within a document", s.clusters_within),
        ("across documents", s.clusters_across),
        ("both", s.clusters_both),
        ("boilerplate clusters", s.clusters_boilerplate),
        ("paragraphs inside longer ones", s.contained_paragraphs),
        ("documents wholly repeated", s.duplicate_documents),
        ("paragraphs clean removes", s.duplicate_paragraphs),
        ("characters clean removes", s.characters_saved),
        ("files that could not be used", s.files_with_errors),
    ]
    body = "".join(
        f"<div><b>{n:,}</b><span>{html.escape(label)}</span></div>" for label, n in cells
    )
    settings = ", ".join(f"{k}={v}" for k, v in report.config.as_dict().items())
    errors = "".join(
        f"<li><code>{html.escape(e.path)}</code>: {html.escape(e.reason)}</li>"
        for e in report.errors[:100]
    )
    more = f"<li>… and {len(report.errors) - 100} more</li>" if len(report.errors) > 100 else ""
    problems = f"<details><summary>Not used</summary><ul>{errors}{more}</ul></details>"
    return (
        f'<div class="numbers">{body}</div><p class="settings">Settings: {html.escape(settings)}'
        f"; scanned in {s.seconds:.2f}s.</p>" + (problems if report.errors else "")
    )


def render(report: Report, title: str = "dedup report") -> str:
    """The report as one self-contained HTML page."""
    clusters = sorted(report.clusters, key=lambda c: (-len(c.members), c.id))
    ids = {f.path: f.id for f in report.files if f.id is not None}
    changes = iter(
        differences_of([(c.first.text, m.text) for c in clusters for m in c.members[1:]])
    )
    rows = [_cluster(c, ids, changes) for c in clusters]
    data = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    # "<" only occurs inside JSON strings: escaped, no text can end or confuse the script.
    data = data.replace("<", "\\u003c")
    return (
        _PAGE.replace("__TITLE__", html.escape(title))
        .replace("__SUMMARY__", _summary(report))
        .replace("__CHARTS__", _charts(report))
        .replace("__SHOWN__", str(_SHOWN_MEMBERS))
        .replace("__DATA__", data)
    )


def write_html(report: Report, path: str | Path, title: str = "dedup report") -> None:
    """Write ``render(report)`` to ``path`` atomically."""
    write_atomic(Path(path), render(report, title).encode("utf-8"))


_PAGE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
body{font:14px/1.5 system-ui,"Noto Sans CJK SC","Noto Sans CJK TC",sans-serif;margin:0;
 color:#1d2330;background:#f5f6f8}
header{background:#1d2330;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}
main{padding:16px 24px;max-width:1400px}
.numbers{display:flex;flex-wrap:wrap;gap:8px}.numbers div{background:#fff;border-radius:6px;
 padding:8px 12px;min-width:120px;box-shadow:0 1px 2px #0002}
.numbers b{display:block;font-size:20px}
.numbers span{color:#566}.settings{color:#566;font-size:12px}
.charts{display:flex;flex-wrap:wrap;gap:16px;margin:12px 0}
.chart{background:#fff;border-radius:6px;box-shadow:0 1px 2px #0002;padding:6px;font-size:12px}
.chart-title{font-weight:bold;font-size:13px}.bar{fill:#4a78c2}
.controls{position:sticky;top:0;background:#f5f6f8;padding:8px 0;display:flex;gap:8px;
 align-items:center;flex-wrap:wrap;z-index:1}
.controls input{width:280px;padding:4px 8px}.controls select,.controls button{padding:4px 8px}
.legend span{margin-right:10px}
.cluster{background:#fff;border-radius:6px;box-shadow:0 1px 2px #0002;margin:10px 0;
 padding:8px 12px}
.cluster h2{font-size:14px;margin:0 0 6px}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;margin-left:6px;
 background:#e3e7ee}
.badge.within{background:#fde8c8}.badge.across{background:#d4ecd8}.badge.both{background:#e4dcf5}
.badge.boilerplate{background:#f7d4d4}.badge.kept{background:#d4ecd8}.badge.dropped{background:#f7d4d4}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:10px;border-top:1px solid #eee;padding:6px 0}
.where{font-size:12px;color:#566;font-family:ui-monospace,monospace}
.text{white-space:pre-wrap;word-break:break-all}
mark{border-radius:2px;padding:0 1px}
mark.edit{background:#ffc4c4}mark.script{background:#cfe0ff}
mark.width,mark.punct{background:#e2e2e2}
.pager{margin:12px 0}
</style>
</head>
<body>
<header><h1>__TITLE__</h1></header>
<main>
__SUMMARY__
<div class="charts">__CHARTS__</div>
<div class="controls">
 <select id="scope" aria-label="scope">
  <option value="">every scope</option><option value="within">within a document</option>
  <option value="across">across documents</option><option value="both">both</option>
  <option value="boilerplate">boilerplate</option>
 </select>
 <input id="search" type="search" placeholder="search text or file name">
 <span id="count"></span>
 <span class="legend"><span><mark class="edit">edit</mark></span>
 <span><mark class="script">script only (繁/简)</mark></span>
 <span><mark class="width">width or punctuation only</mark></span></span>
</div>
<div id="clusters"></div>
<div class="pager"><button id="prev">← previous</button> <span id="page"></span>
 <button id="next">next →</button></div>
</main>
<script type="application/json" id="data">__DATA__</script>
<script>
"use strict";
const ALL = JSON.parse(document.getElementById("data").textContent);
const PER_PAGE = 50, SHOWN = __SHOWN__;
let shown = ALL, page = 0;
const $ = (id) => document.getElementById(id);
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
function badge(text, cls) { return el("span", "badge " + cls, text); }
// The text with the stretches [a, b) of its differences marked by kind.
function marked(text, diffs, side) {
  const box = el("div", "text");
  let at = 0;
  for (const d of diffs) {
    const a = side ? d[2] : d[0], b = side ? d[3] : d[1];
    if (a > at) box.append(text.slice(at, a));
    if (b > a) box.append(el("mark", d[4], text.slice(a, b)));
    else box.append(el("mark", d[4], side ? "" : ""));
    at = b;
  }
  box.append(text.slice(at));
  return box;
}
function where(m) {
  const id = m.i === undefined ? "" : "  id " + m.i;
  const w = el("div", "where", m.p + ":" + m.l + id + (m.s < 1 ? "  similarity " + m.s : ""));
  w.append(m.d ? badge("dropped", "dropped") : badge("kept", "kept"));
  return w;
}
function renderCluster(c, all) {
  const box = el("section", "cluster");
  box.dataset.id = c.id;
  const h = el("h2", "", "#" + c.id + " · " + c.n + " copies");
  h.append(badge(c.scope, c.scope));
  if (c.boilerplate) h.append(badge("boilerplate", "boilerplate"));
  if (c.template) h.append(badge("template " + c.template, "template"));
  box.append(h);
  const first = c.m[0], rest = c.m.slice(1);
  const limit = all ? rest.length : Math.min(rest.length, SHOWN);
  for (const m of rest.slice(0, limit)) {
    const pair = el("div", "pair");
    const left = el("div"), right = el("div");
    left.append(where(first), marked(first.t, m.x, 0));
    right.append(where(m), marked(m.t, m.x, 1));
    pair.append(left, right);
    box.append(pair);
  }
  if (limit < rest.length) {
    const more = el("button", "", "show all " + c.n + " copies");
    more.onclick = () => box.replaceWith(renderCluster(c, true));
    box.append(more);
  }
  return box;
}
function matches(c, scope, words) {
  if (scope === "boilerplate" ? !c.boilerplate : scope && c.scope !== scope) return false;
  return !words || c.m.some((m) => m.t.includes(words) || m.p.includes(words));
}
function render() {
  const pages = Math.max(1, Math.ceil(shown.length / PER_PAGE));
  page = Math.min(page, pages - 1);
  const list = $("clusters");
  const slice = shown.slice(page * PER_PAGE, (page + 1) * PER_PAGE);
  list.replaceChildren(...slice.map((c) => renderCluster(c, false)));
  $("count").textContent = shown.length + " of " + ALL.length + " clusters";
  $("page").textContent = "page " + (page + 1) + " of " + pages;
  $("prev").disabled = page === 0;
  $("next").disabled = page >= pages - 1;
}
function filter() {
  const scope = $("scope").value, words = $("search").value.trim();
  shown = ALL.filter((c) => matches(c, scope, words));
  page = 0;
  render();
}
$("scope").onchange = filter;
$("search").oninput = filter;
$("prev").onclick = () => { page--; render(); window.scrollTo(0, $("clusters").offsetTop); };
$("next").onclick = () => { page++; render(); window.scrollTo(0, $("clusters").offsetTop); };
render();
</script>
</body>
</html>
"""
