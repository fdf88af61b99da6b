from __future__ import annotations

from pathlib import Path

import opencc
import pytest

import dedup
from dedup import normalise
from dedup.normalise import fold_batch, normalise_batch
from dedup.phrases import PhraseRules, opencc_phrase_pairs, rewrite_rules
from dedup.transliterations import RegionalForms, name_pairs, parse_classes, read_classes
from tests.conftest import check_regional_table, sighan_lines

# Names whose keys were apart in release 0.3.0 (Taiwan form, mainland form).
MISSED_BEFORE = [
    ("柯林頓", "克林顿"),
    ("布希", "布什"),
    ("普丁", "普京"),
    ("川普", "特朗普"),
    ("梅克爾", "默克尔"),
    ("賓拉登", "本拉登"),
    ("賈伯斯", "乔布斯"),
    ("比爾蓋茲", "比尔盖茨"),
    ("貝克漢", "贝克汉姆"),
    ("雪梨", "悉尼"),
    ("杜拜", "迪拜"),
    ("伊斯坦堡", "伊斯坦布尔"),
    ("澳洲", "澳大利亚"),
]


def test_the_table_is_well_formed() -> None:
    classes = read_classes()
    assert len(classes) >= 300
    check_regional_table(classes)
    assert name_pairs() == [(c.mainland, form) for c in classes for form in c.forms[1:]]


def test_a_table_is_read_by_its_cells_and_malformed_lines_are_refused() -> None:
    text = "# names\n\n布什\t布希\t布殊\n梅西\t\t美斯\n克林顿\t柯林頓\t克林顿\n"
    assert parse_classes(text) == [
        RegionalForms("布什", "布希", "布殊", 3),
        RegionalForms("梅西", None, "美斯", 4),
        RegionalForms("克林顿", "柯林頓", "克林顿", 5),
    ]
    assert parse_classes(text)[2].forms == ("克林顿", "柯林頓")
    for bad, line in (
        ("布什\t布希\t布殊\t布殊", 1),  # a fourth cell
        ("# c\n\n\t布希\t布殊", 3),  # no mainland form
        ("布什", 1),  # no other form
        ("布什\t布什\t\n", 1),  # no form that differs
    ):
        with pytest.raises(ValueError, match=f"line {line}:"):
            parse_classes(bad)


def test_the_names_found_apart_before_share_a_key() -> None:
    for taiwan, mainland in MISSED_BEFORE:
        assert normalise(taiwan) == normalise(mainland), (taiwan, mainland)


def test_each_name_has_one_key_and_different_names_keep_theirs() -> None:
    classes = read_classes()
    for c in classes:
        keys = normalise_batch(list(c.forms))
        assert keys == [c.mainland] * len(keys), c  # written as the mainland writes it
    keys = normalise_batch([c.mainland for c in classes])
    assert len(set(keys)) == len(classes)


def test_opencc_alone_leaves_every_listed_name_apart(tmp_path: Path) -> None:
    """The table lists only names that OpenCC's phrase dictionaries do not unify."""
    rules = PhraseRules(rewrite_rules(opencc_phrase_pairs(), fold_batch), tmp_path)
    for c in read_classes():
        keys = rules.unify(fold_batch(list(c.forms)))
        assert all(key != keys[0] for key in keys[1:]), c


def _reprint(line: str, name: str, config: str) -> str:
    """``line`` as ``config`` converts it, with ``name`` where it says 克林顿."""
    convert = opencc.OpenCC(config).convert
    return name.join(convert(part) for part in line.split("克林顿"))


def _news_paragraph() -> str:
    return next(x for x in sighan_lines("pku_test.utf8") if x.startswith("美国总统克林顿28日"))


def test_taiwan_and_hong_kong_reprints_with_their_names_are_one_cluster(tmp_path: Path) -> None:
    paragraph = _news_paragraph()
    folder = tmp_path / "news"
    folder.mkdir()
    texts = {
        "cn.txt": paragraph.replace("克林顿", "布什"),
        "hk.txt": _reprint(paragraph, "布殊", "s2hk"),
        "tw.txt": _reprint(paragraph, "布希", "s2twp"),
    }
    for name, text in texts.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    report = dedup.scan(folder, progress=False)
    assert [sorted(Path(m.path).name for m in c.members) for c in report.clusters] == [
        ["cn.txt", "hk.txt", "tw.txt"]
    ]
    dedup.clean(folder, tmp_path / "clean", progress=False)
    assert sorted(p.name for p in (tmp_path / "clean").iterdir()) == ["cn.txt"]


def test_a_reprint_about_another_person_is_kept_apart() -> None:
    paragraph = _news_paragraph()
    texts = {"cn.txt": paragraph, "tw.txt": _reprint(paragraph, "布希", "s2twp")}
    assert dedup.scan(texts, progress=False).clusters == ()
    assert dedup.clean_texts(texts) == texts
    # The same reprint with the same person's Taiwan name is a copy.
    texts["tw.txt"] = _reprint(paragraph, "柯林頓", "s2twp")
    assert dedup.clean_texts(texts) == {**texts, "tw.txt": ""}
