from __future__ import annotations

import random

import pytest

import dedup
from dedup.records import differ_in_facts, distinct_records
from tests.conftest import sighan_lines

# The issue's examples: lines that differ in one fact, as the issue quotes them (two of them
# in a full sentence, so that they are long enough to be compared at all).
RECORDS = [
    ("華銀已撥貸5億元", "彰銀已撥貸5億元"),
    ("法院一審宣判，被告被判10年徒刑，並處罰金", "法院一審宣判，被告被判12年徒刑，並處罰金"),
    ("鴻海第三季營收年增51%", "华硕第三季营收年增51%"),
    ("中山大学2018届本科毕业生 钟馨乐", "中山大学2018届本科毕业生 周颖怡"),
    ("全年出口總額達到新高，勝過此前2000年", "全年出口總額達到新高，勝過此前2002年"),
]
# Signatures of a list of graduates: one line per name.
NAMES = ["钟馨乐", "周颖怡", "李思远", "王雨桐", "陈晓东", "刘嘉怡"]
NAMES += ["黄志强", "林静怡", "张子涵", "吴俊杰", "赵雅琪", "孙浩然"]


def test_issue_records_stay_apart_in_scan_and_clean() -> None:
    for a, b in RECORDS:
        texts = {"a.txt": a, "b.txt": b}
        assert dedup.scan(texts, progress=False).clusters == (), (a, b)
        assert dedup.clean_texts(texts) == texts, (a, b)


def test_a_signature_list_keeps_every_name() -> None:
    lines = [f"中山大学2018届本科毕业生 {name}" for name in NAMES]
    text = "\n".join(lines) + "\n"
    assert dedup.scan({"list.txt": text}, progress=False).clusters == ()
    assert dedup.clean_texts({"list.txt": text}) == {"list.txt": text}


def test_the_same_record_twice_is_still_a_copy() -> None:
    a, _ = RECORDS[3]
    report = dedup.scan({"a.txt": a, "b.txt": a.replace(" ", "　")}, progress=False)
    assert [[m.path for m in c.members] for c in report.clusters] == [["a.txt", "b.txt"]]


def test_facts_are_numbers_names_and_places_not_scattered_edits() -> None:
    assert differ_in_facts("被告被判10年徒刑并处罚金", "被告被判12年徒刑并处罚金")
    assert differ_in_facts("国务院总理李鹏今天会见了日本客人", "国务院总理朱镕基今天会见了日本客人")
    assert differ_in_facts("北京市今天召开会议研究部署工作", "上海市今天召开会议研究部署工作")
    assert differ_in_facts("本季度第三季营收增长", "本季度第四季营收增长")
    # A numeral added to or dropped from a number in numerals makes another number.
    assert differ_in_facts("第二十四条用人单位应当依法建立", "第二十条用人单位应当依法建立")
    assert differ_in_facts("全市累计新增就业岗位三万二千个", "全市累计新增就业岗位三万个")
    assert differ_in_facts("一九九七年全市工业总产值", "一九七年全市工业总产值")
    # A digit added or dropped makes another number.
    assert differ_in_facts("全年出口总额达到2000亿元", "全年出口总额达到200亿元")
    assert differ_in_facts("被告被判5年徒刑并处罚金", "被告被判15年徒刑并处罚金")
    # Edits that are not facts: a common word replaced, text added.
    assert not differ_in_facts("总理李鹏今天会见了日本客人", "总理李鹏今天接见了日本客人")
    assert not differ_in_facts("全年出口总额达到新高", "全年出口总额达到新高今年以来")
    assert not differ_in_facts("同一句话", "同一句话")
    assert not differ_in_facts("统一了全国的标准和规范", "统了全国的标准和规范")  # 一 in a word


def test_one_random_edit_in_forty_characters_is_rarely_a_fact() -> None:
    rng = random.Random(4)
    lines = [line for line in sighan_lines("msr_test.utf8") if len(line) >= 40][:400]
    alphabet = "".join(lines)
    edited = []
    for line in lines:
        chars = list(line)
        for _ in range(max(1, len(line) // 40)):
            chars[rng.randrange(len(chars))] = rng.choice(alphabet)
        edited.append("".join(chars))
    keys = dedup.normalise
    flagged = distinct_records([keys(x) for x in lines], [keys(x) for x in edited])
    assert flagged.sum() <= 0.02 * len(lines)


# Real lines whose one-character swap changes a time, an organisation or a place, where the
# word is cut differently in the key (no punctuation) than on its own: 天时 inside the idiom
# 天时地利人和, 近年 inside 近年来, 镇 a third of 镇政府, 美 a third of 美术馆 (北美 / 北京).
SWAPS = [
    ("time", "pku_test.utf8", "因为在天时、地利、人和", "天时", "平时"),
    ("time", "as_test.utf8", "近年來在美國也漸漸出現", "近年", "今年"),
    ("organisation", "pku_test.utf8", "这不仅不会影响镇政府的威信", "影响镇政府", "影响新政府"),
    ("place", "as_test.utf8", "台北美術館水彩班", "台北美術館", "台北京術館"),
    # An organisation's full name, longer than a short swap: only names on both sides.
    (
        "long name",
        "msr_test.utf8",
        "国务院召开第一次全国信息化",
        "国务院",
        "全国人民代表大会常务委员会",
    ),
]


@pytest.mark.parametrize(
    ("kind", "name", "marker", "word", "other"), SWAPS, ids=[s[0] for s in SWAPS]
)
def test_a_name_or_time_swapped_in_a_real_line_stays_apart(
    kind: str, name: str, marker: str, word: str, other: str
) -> None:
    line = next(x for x in sighan_lines(name) if marker in x)
    texts = {"a.txt": line, "b.txt": line.replace(word, other, 1)}
    assert texts["a.txt"] != texts["b.txt"]
    assert dedup.scan(texts, progress=False).clusters == (), kind
    assert dedup.clean_texts(texts) == texts, kind


def test_the_same_real_line_with_a_common_word_replaced_is_still_a_copy() -> None:
    line = next(x for x in sighan_lines("pku_test.utf8") if "因为在天时、地利、人和" in x)
    texts = {"a.txt": line, "b.txt": line.replace("都不占", "都不沾", 1)}
    report = dedup.scan(texts, progress=False)
    assert [[m.path for m in c.members] for c in report.clusters] == [["a.txt", "b.txt"]]
