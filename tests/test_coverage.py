"""The cluster model and clean's sentence coverage on the examples of issues 12 and 13, built
from real sentences (SIGHAN 2005 MSR, tests/data)."""

from __future__ import annotations

import numpy as np
import pytest

import dedup
from dedup.coverage import CHARS_PER_EDIT, held_elsewhere
from dedup.sentences import split_sentences
from tests.conftest import sighan_lines


@pytest.fixture(scope="module")
def s() -> list[str]:
    """Real sentences of 20-45 characters, each ending a sentence."""
    found = [
        sentence
        for line in sighan_lines("msr_test.utf8")
        for sentence in split_sentences(line)
        if 20 <= len(sentence) <= 45 and sentence[-1] in "。！？"
    ]
    return found[:40]


def places(members: object) -> list[tuple[str, int]]:
    return [(m.path, m.line) for m in members]  # type: ignore[attr-defined]


def test_a_sentence_alone_and_with_four_different_tails_is_no_cluster(s: list[str]) -> None:
    short_tails = [t[:11] + "。" for t in s[20:24]]
    texts = {"a": s[0], **{f"b{i}": s[0] + tail for i, tail in enumerate(short_tails)}}
    report = dedup.scan(texts, progress=False)
    assert report.clusters == ()  # not "×5 (across)": the four are not alike
    assert report.summary.clusters == 0
    assert sorted((c.path, c.contained_in.path) for c in report.contained) == [
        ("a", f"b{i}") for i in range(4)
    ]
    assert all(c.share == 1.0 for c in report.contained)
    # The lone sentence is kept in all four others: it goes, they stay whole.
    assert dedup.clean_texts(texts) == {**texts, "a": ""}


def test_two_items_quoted_by_a_third_paragraph_stay_apart(s: list[str]) -> None:
    eleven, twelve = s[1], s[2]  # each half of the paragraph that quotes both
    texts = {"a": eleven, "b": twelve, "c": eleven + twelve}
    # Each is half of c (Jaccard about 0.5): LSH at 0.3 proposes both pairs for any seed, so
    # the test is about the clusters and clean, not about LSH.
    config = dedup.Config(lsh_threshold=0.3)
    report = dedup.scan(texts, config, progress=False)
    assert report.clusters == ()
    assert sorted((c.path, c.contained_in.path) for c in report.contained) == [
        ("a", "c"),
        ("b", "c"),
    ]
    # The merged paragraph's two parts are kept: it goes.
    assert dedup.clean_texts(texts, config) == {**texts, "c": ""}
    [removal] = report.removed
    assert removal.kept_at == (dedup.Place("a", 1), dedup.Place("b", 1))


@pytest.mark.parametrize("first", ["original", "reprint"])
def test_a_lead_sentence_moved_into_the_previous_paragraph(s: list[str], first: str) -> None:
    original = f"{s[5]}{s[6]}\n{s[7]}{s[8]}{s[9]}"
    reprint = f"{s[5]}{s[6]}{s[7]}\n{s[8]}{s[9]}"
    names = ("a", "b") if first == "original" else ("b", "a")
    texts = dict(zip(names, (original, reprint)))
    cleaned = dedup.clean_texts(texts)
    # Whichever comes first keeps both paragraphs; the other page's are all kept there.
    kept, emptied = names
    assert cleaned == {kept: texts[kept], emptied: ""}
    report = dedup.scan(texts, progress=False)
    assert report.summary.duplicate_paragraphs == 2
    assert [(d.path, d.duplicate_of) for d in report.duplicate_documents] == [(emptied, (kept,))]


def test_a_paragraph_with_a_note_appended_is_never_dropped_for_the_plain_one(
    s: list[str],
) -> None:
    plain = s[10] + s[11] + s[12]
    noted = plain + "（编者注：本文有删节。）"
    texts = {"a": plain, "b": noted}
    report = dedup.scan(texts, progress=False)
    [cluster] = report.clusters
    assert places(cluster.members) == [("a", 1), ("b", 1)]
    assert cluster.members[1].similarity >= 0.7 and not cluster.members[1].exact
    # The note is found nowhere else: the noted copy stays, and the plain one, all of it in
    # the noted copy, goes.
    assert dedup.clean_texts(texts) == {"a": "", "b": noted}


def test_a_split_paragraph_goes_when_its_whole_is_kept_and_the_whole_when_its_halves_are(
    s: list[str],
) -> None:
    whole = s[13] + s[14] + s[15] + s[16]
    halves = f"{s[13]}{s[14]}\n{s[15]}{s[16]}"
    config = dedup.Config(lsh_threshold=0.3)  # each half is half the whole: always proposed
    assert dedup.clean_texts({"a": whole, "b": halves}, config) == {"a": whole, "b": ""}
    assert dedup.clean_texts({"a": halves, "b": whole}, config) == {"a": halves, "b": ""}


def test_keep_longest_keeps_the_most_complete_copy(s: list[str]) -> None:
    full = s[17] + s[18] + s[19]
    cut = full[:-6]  # a reprint that lost the end of its last sentence
    texts = {"a": cut, "b": full}
    report = dedup.scan(texts, progress=False)
    [cluster] = report.clusters
    assert places(cluster.members) == [("a", 1), ("b", 1)]
    # The first copy misses the end, so the full one is kept too.
    assert dedup.clean_texts(texts) == texts
    longest = dedup.Config(keep="longest")
    [cluster] = dedup.scan(texts, longest, progress=False).clusters
    assert places(cluster.members) == [("b", 1), ("a", 1)]  # the representative first
    assert [m.dropped for m in cluster.members] == [False, True]
    assert dedup.clean_texts(texts, longest) == {"a": "", "b": full}


def test_short_common_lines_stay_in_unrelated_articles(s: list[str]) -> None:
    texts = {
        "a": f"{s[20]}\n图片：\n{s[21]}\n谢谢。",
        "b": f"{s[22]}\n图片：\n{s[23]}\n谢谢。\n谢谢。",
    }
    report = dedup.scan(texts, progress=False)
    assert [places(c.members) for c in report.clusters] == [
        [("a", 2), ("b", 2)],
        [("a", 4), ("b", 4), ("b", 5)],
    ]  # reported
    # but dropped only within one document.
    assert dedup.clean_texts(texts) == {"a": texts["a"], "b": texts["b"][: -len("谢谢。")]}


def test_short_lines_go_with_the_repeated_block_they_are_part_of(s: list[str]) -> None:
    block = f"记者 孟令洋 报道\n{s[24]}{s[25]}\n来源：大众日报"
    texts = {"a": f"{block}\n{s[26]}", "b": f"{s[27]}\n{block}"}
    assert dedup.clean_texts(texts) == {"a": texts["a"], "b": s[27] + "\n"}


# --------------------------------------------------------------------------- property

from functools import cache  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dedup.coverage import sentence_keys  # noqa: E402


@cache
def real_sentences() -> list[str]:
    """Real sentences of both scripts (MSR simplified, AS traditional), 6-60 characters."""
    found = []
    for name in ("msr_test.utf8", "as_test.utf8"):
        lines = sighan_lines(name)[:400]
        found += [x for line in lines for x in split_sentences(line) if 6 <= len(x) <= 60]
    return found


@st.composite
def reprinted(draw: st.DrawFn) -> dict[str, str]:
    """A few documents of real sentences, some reprinted with their paragraphs re-cut:
    split, merged, cut short, a note added, a sentence moved to the previous paragraph."""
    pool = real_sentences()
    picks = st.integers(0, len(pool) - 1)
    docs: list[list[list[str]]] = []
    for _ in range(draw(st.integers(1, 4))):
        paragraphs = [
            [pool[draw(picks)] for _ in range(draw(st.integers(1, 4)))]
            for _ in range(draw(st.integers(1, 5)))
        ]
        docs.append(paragraphs)
    for _ in range(draw(st.integers(0, 4))):
        source = [list(p) for p in draw(st.sampled_from(docs))]
        for _ in range(draw(st.integers(0, 3))):
            at = draw(st.integers(0, len(source) - 1))
            edit = draw(st.sampled_from(["split", "merge", "drop", "cut", "note", "move"]))
            p = source[at]
            if edit == "split" and len(p) > 1:
                cut = draw(st.integers(1, len(p) - 1))
                source[at : at + 1] = [p[:cut], p[cut:]]
            elif edit == "merge" and at + 1 < len(source):
                source[at : at + 2] = [p + source[at + 1]]
            elif edit == "drop" and len(source) > 1:
                del source[at]
            elif edit == "cut":
                p[-1] = p[-1][: max(1, len(p[-1]) - draw(st.integers(1, 8)))]
            elif edit == "note":
                p.append("（编者注：" + pool[draw(picks)] + "）")
            elif edit == "move" and at > 0 and len(p) > 1:
                source[at - 1].append(p.pop(0))
        docs.append(source)
    return {f"d{i}": "\n".join("".join(p) for p in doc) for i, doc in enumerate(docs)}


def _grams(key: str) -> list[str]:
    return [key[i : i + 3] for i in range(max(len(key) - 2, 1))]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reprinted(), st.booleans(), st.sampled_from(["first", "longest"]))
def test_clean_never_loses_a_sentence(texts: dict[str, str], within: bool, keep: str) -> None:
    config = dedup.Config(keep=keep)  # type: ignore[arg-type]
    cleaned = dedup.clean_texts(texts, config, within=within)
    for name, text in texts.items():
        places = [cleaned[name]] if within else list(cleaned.values())
        kept = [k for out in places for line in out.splitlines() for k in line_keys(line)]
        kept_set = set(kept)
        lines = [dedup.normalise(line) for out in places for line in out.splitlines()]
        for line in text.splitlines():
            for key in line_keys(line):
                if key in kept_set:
                    continue
                # or nearly: one edited character per 20 at most (one for a shorter
                # sentence: a cut end), inside a kept line of its copy
                grams, edits = _grams(key), max(1, len(key) // CHARS_PER_EDIT)
                assert any(sum(g not in out for g in grams) <= 3 * edits for out in lines), (
                    name,
                    key,
                )


def line_keys(line: str) -> list[str]:
    return sentence_keys(split_sentences(line.strip())) if line.strip() else []


def test_a_paragraph_merged_from_short_lines_goes_though_no_pair_proposes_it(
    s: list[str],
) -> None:
    short = [
        sentence
        for line in sighan_lines("msr_test.utf8")[:400]
        for sentence in split_sentences(line)
        if 10 <= len(sentence) < 15 and sentence[-1] in "。！？"
    ][:3]
    merged = "".join(short)  # no line under min_chars is ever in a candidate pair
    apart = "\n".join(short)
    assert dedup.clean_texts({"a": apart, "b": s[33] + "\n" + merged}) == {
        "a": apart,
        "b": s[33] + "\n",
    }


def test_held_elsewhere_finds_texts_every_sentence_of_which_another_holds(s: list[str]) -> None:
    texts = [
        s[34] + s[35],  # held: both sentences are in the next two texts
        s[34] + s[36],
        s[35].replace("。", "！"),  # the end mark is no part of the sentence's key
        s[37] + s[36],  # not held (s[37] is nowhere else), but holds s[36] for the first two
        s[38],  # shares nothing
    ]

    def block(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        points = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
        return points, np.array([len(t) for t in texts])

    expected = [True, True, True, True, False]
    assert held_elsewhere([block(texts)]).tolist() == expected
    assert held_elsewhere([block(texts[:2]), block([]), block(texts[2:])]).tolist() == expected


@pytest.fixture(scope="module")
def story() -> list[str]:
    """Three real sentences with numbers (SIGHAN 2005 MSR)."""
    lines = sighan_lines("msr_test.utf8")
    return [split_sentences(lines[n])[0] for n in (89, 91, 214)]


def test_a_near_copy_with_an_edited_character_goes_either_way(story: list[str]) -> None:
    text = "".join(story)
    typo = text.replace("担子", "但子")  # one character in a sentence of 33
    assert dedup.clean_texts({"a": text, "b": typo}) == {"a": text, "b": ""}
    assert dedup.clean_texts({"a": typo, "b": text}) == {"a": typo, "b": ""}


def test_a_near_copy_whose_edit_is_a_number_is_never_dropped(story: list[str]) -> None:
    text = "".join(story)
    # A typo too, so the two are verified as copies; but 60 and 65 are different facts.
    other = text.replace("６０岁", "６５岁").replace("担子", "但子")
    [cluster] = dedup.scan({"a": text, "b": other}, progress=False).clusters
    assert [m.path for m in cluster.members] == ["a", "b"]
    assert dedup.clean_texts({"a": text, "b": other}) == {"a": text, "b": other}
    assert dedup.clean_texts({"a": other, "b": text}) == {"a": other, "b": text}


def test_batches_split_apart_number_sentences_as_one_pass() -> None:
    """`split_batch` keys each batch on its own (so batches may be split in other
    processes); `number_sentences` renumbers them into one pass's ids, however the texts
    are cut into batches."""
    from concurrent.futures import ProcessPoolExecutor

    from dedup.coverage import number_sentences, split, split_batch

    lines = sighan_lines("msr_test.utf8")[:800]
    # Repeats across batches, within a line, and the same sentence in other widths.
    texts = lines + lines[::7] + [lines[3] + lines[3]] + [lines[5].replace("，", ",")]
    whole = split([texts])
    assert len(whole[1]) > 500
    assert all(len(set(ids)) == len(ids) for ids in whole[0])  # each id once a line
    assert whole[0][len(lines) + len(lines[::7])] == whole[0][3]
    for size in (1, 7, 64, 1000):
        batches = [texts[at : at + size] for at in range(0, len(texts), size)]
        assert number_sentences(map(split_batch, batches)) == whole
        assert split(batches) == whole
    with ProcessPoolExecutor(max_workers=2) as pool:
        batches = [texts[at : at + 50] for at in range(0, len(texts), 50)]
        assert number_sentences(pool.map(split_batch, batches)) == whole
