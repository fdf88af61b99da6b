"""Properties that must hold for any input, checked with hypothesis."""

from __future__ import annotations

from functools import cache

import opencc
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import dedup
from dedup.io import _common_chars
from dedup.normalise import normalise_batch
from dedup.segment import paragraph_text, split_lines
from dedup.shingle import shingle_batch

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Common simplified characters (GB2312 level 1) and common traditional ones (Big5 level 1).
COMMON = sorted(c for c in _common_chars() if "\u4e00" <= c <= "\u9fff")
SIMPLIFIED = [c for c in COMMON if c.encode("gb2312", "ignore")]
TRADITIONAL = [c for c in COMMON if c.encode("big5", "ignore")]
PUNCTUATION = list("，。、；：？！「」『』（）《》“”‘’—…·,.;:?!()[] \u3000")


@cache
def converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)


# What Chinese pages are made of: common characters of both scripts, Chinese and Western
# punctuation, full-width letters and digits, spaces of every width, zero-width characters.
page_text = st.text(
    st.one_of(
        st.sampled_from(COMMON),
        st.sampled_from([*PUNCTUATION, "\u200b", "\ufeff", "\xa0", "\t"]),
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    ),
    max_size=80,
)


@FAST
@given(page_text)
@example("ＡＢＣ，棗莊\u200b")
def test_normalise_is_idempotent_on_page_text(text: str) -> None:
    key = dedup.normalise(text)
    assert dedup.normalise(key) == key


@FAST
@given(any_text)
@example("e,\u0301")  # removing the comma lets NFKC compose e + acute
@example("T\xa8")  # NFKC of the spacing diaeresis is a space + combining diaeresis
def test_normalise_is_idempotent_on_any_text(text: str) -> None:
    key = dedup.normalise(text)
    assert dedup.normalise(key) == key


@FAST
@given(st.text(st.sampled_from(SIMPLIFIED + PUNCTUATION + list("abcXYZ019")), max_size=80))
def test_simplified_text_and_its_traditional_forms_share_a_key(text: str) -> None:
    # s2twp is left out: on random character strings it makes Taiwan words of chance
    # neighbours (交互 -> 互動) that no mainland key maps back to; its real-text recall is
    # tested in test_phrases.py and measured by benchmarks/matching.py.
    key = dedup.normalise(text)
    for config in ("s2t", "s2tw", "s2hk"):
        assert dedup.normalise(converter(config).convert(text)) == key, config


@FAST
@given(st.text(st.sampled_from(TRADITIONAL + PUNCTUATION), max_size=80))
def test_traditional_text_and_its_simplified_form_share_a_key(text: str) -> None:
    key = dedup.normalise(text)
    for config in ("t2s", "tw2s", "hk2s"):
        assert dedup.normalise(converter(config).convert(text)) == key, config


# Emoji (with ZWJ and skin tones), combining marks, control characters, CJK, supplementary
# planes; surrogate escapes (what os.fsdecode makes of bytes that are not UTF-8) separately.
wild_piece = st.one_of(
    st.characters(exclude_categories=["Cs"]),
    st.sampled_from(["😀", "👩\u200d💻", "👍🏽", "\u0301", "\u20dd", "\x00", "\x1b", "\ufeff"]),
    st.sampled_from(COMMON),
)
wild_text = st.lists(wild_piece, max_size=40).map("".join)


@FAST
@given(st.lists(wild_text, max_size=6), st.sampled_from(["word", "char"]), st.integers(1, 5))
def test_shingling_never_fails(keys: list[str], kind: str, n: int) -> None:
    for batch in (keys, [dedup.normalise(k) for k in keys]):
        hashes, offsets = shingle_batch(batch, kind, n)  # type: ignore[arg-type]
        assert len(offsets) == len(batch) + 1
        assert offsets[0] == 0 and offsets[-1] == len(hashes)
        for i, key in enumerate(batch):
            assert (offsets[i + 1] > offsets[i]) == bool(key)


escaped = st.binary(min_size=1, max_size=20).map(lambda b: b.decode("utf-8", "surrogateescape"))


@FAST
@given(st.lists(st.tuples(wild_text, escaped).map("".join), min_size=1, max_size=4))
def test_shingling_char_grams_of_surrogate_escaped_text(keys: list[str]) -> None:
    hashes, offsets = shingle_batch(keys, "char", 2)
    assert len(offsets) == len(keys) + 1 and offsets[-1] == len(hashes)


def test_shingling_words_of_surrogate_escaped_text() -> None:
    hashes, offsets = shingle_batch(["caf\udce9 中文的句子"], "word", 2)
    assert len(offsets) == 2 and offsets[-1] == len(hashes)


# Documents built from a few sentences, copied with edits, so that clusters do form.
SENTENCES = [
    "山东省枣庄市高新区今天举行了新闻发布会，介绍今年的经济发展情况。",
    "本网站所有内容均受版权保护，未经许可不得转载，违者必究。",
    "记者从市教育局了解到，全市中小学将于九月一日正式开学。",
    "这家公司去年的营业收入超过十亿元，同比增长百分之二十。",
    "气象台发布暴雨预警，提醒市民减少外出，注意防范。",
    "来源：大众日报",
]


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SENTENCES))
    edit = draw(st.sampled_from(["same", "traditional", "cut", "punctuation", "other"]))
    if edit == "traditional":
        return converter("s2t").convert(text)
    if edit == "cut":
        return text[: draw(st.integers(len(text) // 2, len(text)))]
    if edit == "punctuation":
        return text.replace("，", ",").replace("。", ".")
    if edit == "other":
        return draw(st.text(st.sampled_from(COMMON[:300]), min_size=1, max_size=30))
    return text


documents = st.dictionaries(
    st.text("abcdefgh", min_size=1, max_size=3),
    st.lists(paragraph(), max_size=6).map("\n".join),
    min_size=1,
    max_size=5,
)


def char_grams(text: str, n: int = 3) -> set[str]:
    """Character n-grams of a key, as `dedup` shingles it by default."""
    if len(text) < n:
        return {text} if text else set()
    return {text[i : i + n] for i in range(len(text) - n + 1)}


@FAST
@given(documents, st.randoms(use_true_random=False))
def test_every_member_is_a_near_copy_of_a_member_and_close_to_all(
    texts: dict[str, str], rng: object
) -> None:
    # The cluster model (dedup.cluster): a member is a near copy (Jaccard >= threshold) of
    # its representative, or of a member of a cluster merged in; every two members are
    # within 2 * threshold - 1 (the triangle bound of the Jaccard distance).
    names = list(texts)
    rng.shuffle(names)  # type: ignore[attr-defined]

    def jaccard(a: set[str], b: set[str]) -> float:
        return len(a & b) / len(a | b) if a | b else 1.0

    for order in (texts, {name: texts[name] for name in names}):
        report = dedup.scan(order, progress=False)
        near, bound = report.config.threshold, 2 * report.config.threshold - 1
        seen: set[tuple[str, int]] = set()
        for cluster in report.clusters:
            grams = [char_grams(dedup.normalise(m.text)) for m in cluster.members]
            for i, member in enumerate(cluster.members):
                assert (member.path, member.line) not in seen  # one cluster each
                seen.add((member.path, member.line))
                if cluster.template:  # header/footer lines that differ only in a field
                    assert member.similarity == 1.0
                    continue
                to_rep = jaccard(grams[0], grams[i])
                assert member.similarity == round(to_rep, 4) or member.exact
                others = [jaccard(grams[i], g) for j, g in enumerate(grams) if j != i]
                assert member.exact or max(others) >= near
                assert member.exact or min(others) >= bound


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(line, paragraph) of every non-blank line, as the scan sees them."""
    found = []
    for number, line in enumerate(split_lines(text), start=1):
        stripped = paragraph_text(line)
        if stripped:
            found.append((number, stripped))
    return found


@FAST
@given(documents, st.booleans(), st.sampled_from(["\n", "\r\n", "\r"]))
def test_clean_output_plus_removed_paragraphs_rebuild_the_input(
    texts: dict[str, str], within: bool, newline: str
) -> None:
    texts = {name: text.replace("\n", newline) + newline for name, text in texts.items()}
    report = dedup.scan(texts, progress=False)
    removed = report.removals(within)
    cleaned = dedup.clean_texts(texts, within=within)
    assert set(cleaned) == set(texts)
    reported = {(r.path, r.line): r for r in report.removed}
    output = {name: [p for _, p in paragraphs(text)] for name, text in cleaned.items()}
    for name, text in texts.items():
        source = paragraphs(text)
        gone = [(line, p) for line, p in source if line in removed.get(name, set())]
        kept = [p for line, p in source if line not in removed.get(name, set())]
        # What clean wrote is exactly the input's paragraphs minus the removed ones, in order
        assert output[name] == kept
        # and every removed paragraph is reported with its text and the lines that keep its
        # sentences, which clean wrote: nothing removed survives nowhere.
        for line, p in gone:
            removal = reported[(name, line)]
            assert removal.text == p and removal.kept_at
            if within and removal.dropped:
                continue  # kept_at is where clean (not clean --within) keeps it
            for place in removal.kept_at:
                assert place.line not in removed.get(place.path, set())
                assert not within or place.path == name
        if newline != "\n" and cleaned[name]:
            assert "\n" not in cleaned[name].replace(newline, "")


NUMBER_CHARS = "0123456789０１２３.,，．-－~～:：/／、;·%％‰℃−₋¼年月日度增长第季 \u3000\t\xa0"
number_text = st.text(st.sampled_from(list(NUMBER_CHARS)), max_size=40)


@FAST
@given(st.lists(number_text, max_size=5))
def test_numbers_are_keyed_alike_in_batches_and_one_by_one(texts: list[str]) -> None:
    keys = normalise_batch(texts)
    assert keys == [dedup.normalise(t) for t in texts]
    assert [dedup.normalise(k) for k in keys] == keys
