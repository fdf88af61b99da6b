from __future__ import annotations

import opencc

import dedup
from dedup import normalise
from dedup.normalise import normalise_batch
from tests.conftest import sighan_lines


def test_issue_example_traditional_fullwidth_equals_simplified_halfwidth() -> None:
    assert normalise("棗莊高新區　ＡＢＣ，") == normalise("枣庄高新区abc,")
    assert normalise("枣庄高新区abc,") == "枣庄高新区abc"


def test_punctuation_width_spaces_and_zero_width_do_not_matter() -> None:
    a = "今年以来，枣庄高新区积极探索“产、城、人”融合发展新模式。"
    b = '今年以来, 枣庄高新区积极探索"产,城,人"融合发展新模式.\u200b'
    assert normalise(a) == normalise(b)


def test_different_text_keeps_different_keys() -> None:
    assert normalise("枣庄高新区") != normalise("枣庄新区")
    assert normalise("2024年") != normalise("2025年")


def test_traditional_and_simplified_corpus_lines_share_keys() -> None:
    s2t = opencc.OpenCC("s2t")
    lines = sighan_lines("msr_test.utf8")[:300]
    same = sum(normalise(line) == normalise(s2t.convert(line)) for line in lines)
    # The rest differ by a phrase-level choice (坐落/座落, 了解/瞭解) that the shingle
    # comparison, not the key, absorbs.
    assert same >= 0.97 * len(lines)


def test_taiwan_and_hong_kong_variants_share_keys() -> None:
    lines = sighan_lines("pku_test.utf8")[:200]
    for config in ("s2tw", "s2hk"):
        convert = opencc.OpenCC(config).convert
        same = sum(normalise(line) == normalise(convert(line)) for line in lines)
        assert same >= 0.97 * len(lines), config


def test_normalise_is_idempotent_on_real_text(seed_text: str) -> None:
    for line in seed_text.splitlines() + sighan_lines("cityu_test.utf8")[:200]:
        key = normalise(line)
        assert normalise(key) == key


def test_a_decimal_point_between_digits_is_kept() -> None:
    # Punctuation is dropped from keys, but 1.5% and 15% are different numbers.
    assert normalise("增长了1.5%") != normalise("增长了15%")
    assert normalise("增长了1.5%") == normalise("增长了１．５％")
    assert normalise("句末是5.") == normalise("句末是5")


NUMBER_PAIRS = [
    ("1-2月全国规模以上工业企业利润同比增长", "12月全国规模以上工业企业利润同比增长"),
    ("会议于10:30开始", "会议于1030开始"),
    ("第1、2季度营收", "第12季度营收"),
    ("占总数的3/4", "占总数的34"),
    ("占总数的1/8", "占总数的18"),
    ("今晨气温-5℃", "今晨气温5℃"),
    ("出口增长15%", "出口增长15"),
    ("出口增长15‰", "出口增长15"),
]


def test_punctuation_and_signs_of_numbers_keep_numbers_apart() -> None:
    for a, b in NUMBER_PAIRS:
        assert normalise(a) != normalise(b), (a, b)
        assert normalise_batch([a, b]) == [normalise(a), normalise(b)]


def test_number_marks_ignore_width_and_keep_the_kind_of_separator() -> None:
    assert normalise("1-2月") == normalise("１－２月")
    assert normalise("10:30") == normalise("１０：３０")
    assert normalise("增长15%") == normalise("增长１５％")
    assert normalise("-5℃") == normalise("－5℃") == normalise("−5℃")
    assert normalise("1-2月") != normalise("1/2月") != normalise("1:2月")


def test_clean_keeps_lines_that_differ_in_a_number() -> None:
    for a, b in NUMBER_PAIRS:
        texts = {"a": a, "b": b}
        assert dedup.clean_texts(texts) == texts, (a, b)
        assert dedup.scan(texts, progress=False).clusters == ()


SPACED_NUMBERS = [  # (spaced, as written without spaces, another number)
    ("增长４. ４％", "增长4.4%", "增长44%"),
    ("比分3 : 1", "比分3:1", "比分31"),
    ("价格为1, 200元", "价格为1,200元", "价格为200元"),
    ("第1、 2季度", "第1、2季度", "第12季度"),
    ("气温3 - 5度", "气温3-5度", "气温35度"),
]


def test_spaces_in_a_number_do_not_hide_its_punctuation() -> None:
    for spaced, plain, other in SPACED_NUMBERS:
        assert normalise(spaced) == normalise(plain), spaced
        assert normalise(spaced) != normalise(other), spaced
        assert normalise_batch([spaced, plain, other]) == [
            normalise(spaced),
            normalise(plain),
            normalise(other),
        ]
        texts = {"a": f"据统计，今年{spaced}。", "b": f"据统计，今年{other}。"}
        assert dedup.clean_texts(texts) == texts, spaced


def test_spaces_alone_between_digits_are_spacing_not_a_fact() -> None:
    assert normalise("对于进入组织考察程序的6 3人") == normalise("对于进入组织考察程序的63人")
    assert normalise("人口1 200万") == normalise("人口1200万")
