"""Boilerplate: repeated edge lines in many documents, and templates with a changing field."""

from __future__ import annotations

import numpy as np
import pytest

import dedup
from dedup.boilerplate import edge_of, template_of
from tests.conftest import sighan_lines

EDITORS = ["王晓", "李明", "王晓", "张伟", "王晓", "李明"]
REPORTERS = ["李明", "赵磊", "孙丽", "周强", "吴芳", "郑军"]


def test_template_of_masks_the_field_after_a_fixed_prefix() -> None:
    assert template_of("（责任编辑：王晓）")[0] == template_of("(责任编辑:李明)")[0]  # type: ignore[index]
    assert template_of("（责任编辑：王晓）")[1] == "（责任编辑：…）"  # type: ignore[index]
    assert template_of("本报记者 李明 报道")[1] == "本报记者 … 报道"  # type: ignore[index]
    assert template_of("来源：新华网 2024-12-13")[0] == template_of("來源：新華網 2024-12-14")[0]  # type: ignore[index]
    assert template_of("原标题：找准人生价值的坐标")[1] == "原标题：…"  # type: ignore[index]
    assert template_of("2024-12-13 14:36:12") is None  # no fixed part: a date is a fact
    assert template_of("来源：新华网")[0] != template_of("原标题：新华网")[0]  # type: ignore[index]
    assert template_of("这一段是正文，没有任何可以变化的字段。") is None
    assert template_of("网友：中国现在围棋的普及情况怎么样？提供我们可行性。") is None  # sentences
    assert template_of("1998年全国粮食产量达到4900亿公斤，比上年增长") is None  # a fact
    assert template_of("记者：" + "很" * 80) is None  # too long for a header or footer
    # A field that ends a sentence is a title when short, what someone asked when longer.
    assert template_of("原标题：房价还会涨吗？")[1] == "原标题：…"  # type: ignore[index]
    assert template_of("网友：您认为中国足球有什么值得让您骄傲的吗？") is None


def test_questions_in_one_line_documents_are_not_a_template() -> None:
    """Rows of a Q&A export, each a document of one line (so each at a page edge), that
    start alike: what each asks is its own, not a field, so dropping boilerplate keeps it."""
    questions = [
        line
        for line in sighan_lines("pku_test.utf8")
        if line.startswith("网友：") and line.endswith("？") and len(line) <= 40
    ][:6]
    assert len(questions) == 6
    rows = {f"q{i}.txt": q + "\n" for i, q in enumerate(questions)}
    report = dedup.scan(rows, progress=False)
    assert all(c.template is None for c in report.clusters)
    assert dedup.clean_texts(rows, dedup.Config(boilerplate="drop")) == rows


def test_edges_are_the_first_and_last_third_of_a_page() -> None:
    position = np.arange(12)
    assert edge_of(position, np.full(12, 12)).tolist() == [True] * 3 + [False] * 6 + [True] * 3
    assert edge_of(np.arange(7), np.full(7, 7)).tolist() == [True] * 2 + [False] * 3 + [True] * 2


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """Six pages of real, different body text with a templated header and footer, the
    same site footer, and one body paragraph reprinted on two of them."""
    lines = [line for line in sighan_lines("msr_test.utf8") if 30 <= len(line) <= 90]
    reprinted = lines[0]
    texts = {}
    for i in range(6):
        body = lines[1 + 3 * i : 4 + 3 * i] + ([reprinted] if i in (1, 4) else [])
        texts[f"p{i}.txt"] = "\n".join(
            [
                f"来源：新华网 2024-12-1{i}",
                f"本报记者 {REPORTERS[i]} 报道",
                *body,
                f"（责任编辑：{EDITORS[i]}）",
                "本网站所有内容均受版权保护，未经许可不得转载。",
            ]
        )
    return texts


def test_templates_and_footers_in_many_documents_are_boilerplate(pages: dict[str, str]) -> None:
    report = dedup.scan(pages, progress=False)
    kinds = {(c.kind, c.template, len(c.members)) for c in report.clusters}
    assert kinds == {
        ("boilerplate", "来源：…", 6),
        ("boilerplate", "本报记者 … 报道", 6),
        ("boilerplate", "（责任编辑：…）", 6),
        ("boilerplate", None, 6),  # the site footer, the same on every page
        ("body", None, 2),  # the reprinted paragraph: two documents only
    }
    assert report.summary.clusters_boilerplate == 4
    editors = next(c for c in report.clusters if c.template == "（责任编辑：…）")
    assert [m.exact for m in editors.members] == [e == "王晓" for e in EDITORS]
    assert "×6 (across, boilerplate) （责任编辑：…） (template)" in report.describe()


def test_clean_keeps_one_copy_of_boilerplate_or_drops_every_copy(pages: dict[str, str]) -> None:
    kept = dedup.clean_texts(pages)
    # One copy of each line that is the same; the lines whose field differs all stay.
    assert [t.count("（责任编辑：王晓）") for t in kept.values()] == [1, 0, 0, 0, 0, 0]
    assert [t.count("（责任编辑：李明）") for t in kept.values()] == [0, 1, 0, 0, 0, 0]
    assert sum(t.count("本网站所有内容均受版权保护") for t in kept.values()) == 1
    assert all(f"本报记者 {name} 报道" in kept[f"p{i}.txt"] for i, name in enumerate(REPORTERS))
    dropped = dedup.clean_texts(pages, dedup.Config(boilerplate="drop"))
    for name, text in dropped.items():
        assert "来源" not in text and "本报记者" not in text and "责任编辑" not in text, name
        assert "本网站" not in text
        assert len(text.splitlines()) == (4 if name in ("p1.txt", "p4.txt") else 3) - (
            name == "p4.txt"
        )
    report = dedup.scan(pages, dedup.Config(boilerplate="drop"), progress=False)
    assert all(r.boilerplate and r.kept_at == () for r in report.removed if "本网站" in r.text)


def test_too_few_documents_is_not_boilerplate(pages: dict[str, str]) -> None:
    three = dict(list(pages.items())[:3])
    report = dedup.scan(three, progress=False)
    assert all(c.kind == "body" and c.template is None for c in report.clusters)
    report = dedup.scan(three, dedup.Config(boilerplate_docs=3), progress=False)
    assert any(c.template == "来源：…" for c in report.clusters)
