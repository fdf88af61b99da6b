from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import opencc

import dedup
from dedup import normalise
from dedup.normalise import fold_batch, normalise_batch
from dedup.phrases import rewrite_rules
from tests.conftest import ROOT, sighan_lines

VOCABULARY = [
    ("記者瞭解到此事已經解決", "记者了解到此事已经解决"),
    ("找準人生價值的座標", "找准人生价值的坐标"),
    ("軟體", "软件"),
    ("預設", "默认"),
    ("資訊", "信息"),
    ("檢視", "查看"),
]


def test_regional_words_share_a_key() -> None:
    for taiwan, mainland in VOCABULARY:
        assert normalise(taiwan) == normalise(mainland), (taiwan, mainland)
        assert normalise_batch([taiwan, mainland]) == [normalise(taiwan), normalise(mainland)]
    # The character table alone does not make them equal: phrases do.
    assert fold_batch(["軟體"]) != fold_batch(["软件"])


def test_short_lines_in_another_region_are_matched_and_cleaned() -> None:
    for taiwan, mainland in VOCABULARY[:2]:
        texts = {"cn.txt": mainland, "tw.txt": taiwan}
        report = dedup.scan(texts, progress=False)
        assert [[(m.path, m.exact) for m in c.members] for c in report.clusters] == [
            [("cn.txt", True), ("tw.txt", True)]
        ]
        # A short line is dropped by clean within one document (across documents it is only
        # reported: a common line is not a repeated paragraph, see issue 13).
        page = {"page.txt": f"{mainland}\n{taiwan}\n"}
        assert dedup.clean_texts(page) == {"page.txt": f"{mainland}\n"}


def test_taiwan_and_hong_kong_vocabulary_copies_share_keys() -> None:
    lines = sighan_lines("msr_test.utf8")[:150] + sighan_lines("pku_test.utf8")[:150]
    for config in ("s2twp", "s2hk"):
        convert = opencc.OpenCC(config).convert
        copies = [convert(line) for line in lines]
        same = sum(a == b for a, b in zip(normalise_batch(lines), normalise_batch(copies)))
        assert same >= 0.99 * len(lines), config
    # What a character table alone keeps apart on Taiwan vocabulary copies.
    copies = [opencc.OpenCC("s2twp").convert(line) for line in lines]
    by_chars = sum(a == b for a, b in zip(fold_batch(lines), fold_batch(copies)))
    assert by_chars < 0.95 * len(lines)


def test_keys_of_keys_are_the_keys_on_real_text() -> None:
    lines = sighan_lines("as_test.utf8")[:500] + sighan_lines("cityu_test.utf8")[:300]
    keys = normalise_batch(lines)
    assert normalise_batch(keys) == keys


def test_rules_are_built_in_a_fresh_cache(tmp_path: Path) -> None:
    code = "from dedup import normalise; print(normalise('軟體資訊') == normalise('软件信息'))"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert run.stdout.strip() == "True", run.stderr
    rules = list((tmp_path / "dedup").glob("phrases-*/rules.txt"))
    assert len(rules) == 1 and "软体\t软件" in rules[0].read_text(encoding="utf-8")


def test_a_preferred_form_stands_for_its_class_and_guards_itself() -> None:
    pairs = [("英拉", "盈拉"), ("贝克汉姆", "貝克漢"), ("贝克汉姆", "碧咸")]
    # The shortest form, then the first in code point order, stands for a class ...
    assert rewrite_rules(pairs, fold_batch) == {
        "英拉": "盈拉",
        "贝克汉姆": "碧咸",
        "贝克汉": "碧咸",
    }
    # ... unless the class holds a preferred form; one that holds another rule's phrase
    # maps to itself, so that the maximum match takes it whole (not 贝克汉 + 姆).
    assert rewrite_rules(pairs, fold_batch, ["英拉", "贝克汉姆"]) == {
        "盈拉": "英拉",
        "碧咸": "贝克汉姆",
        "贝克汉": "贝克汉姆",
        "贝克汉姆": "贝克汉姆",
    }


def test_without_the_opencc_dict_tool_names_still_unify(tmp_path: Path) -> None:
    """An opencc package without its ``opencc_dict`` tool (a copy of the real one, less the
    tool): a warning, no regional phrases, but the names table's rules."""
    site = tmp_path / "site"
    shutil.copytree(
        Path(opencc.__file__).parent,
        site / "opencc",
        ignore=shutil.ignore_patterns("bin", "__pycache__"),
    )
    code = (
        "import opencc; from dedup import normalise; print(opencc.__file__); "
        "print(normalise('柯林頓') == normalise('克林顿'), normalise('軟體') == normalise('软件'))"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(site)}
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert run.stdout.splitlines() == [str(site / "opencc" / "__init__.py"), "True False"], (
        run.stderr
    )
    assert "opencc_dict not found" in run.stderr
