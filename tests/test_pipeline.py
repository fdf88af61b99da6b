from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import opencc
import pytest

import dedup
from tests.conftest import sighan_lines

BODY_LINES = range(9, 14)  # the article body; lines 16-20 repeat it
HEADER_REPEATS = {1: (4, 6), 3: (5,), 7: (14,), 8: (15,)}


def _cluster_of(report: dedup.Report) -> dict[tuple[str, int], int]:
    return {(m.path, m.line): c.id for c in report.clusters for m in c.members}


def test_seed_page_and_its_simplified_copy(seed_folder: Path) -> None:
    report = dedup.scan(seed_folder, progress=False)
    cluster = _cluster_of(report)
    trad, simp = "page_traditional.txt", "page_simplified.txt"
    for line in BODY_LINES:
        # Doubled inside each page, and the same across the two scripts.
        ids = {cluster[(trad, line)], cluster[(trad, line + 7)], cluster[(simp, line)]}
        assert len(ids) == 1, line
    for line, repeats in HEADER_REPEATS.items():
        for repeat in repeats:
            assert cluster[(trad, line)] == cluster[(trad, repeat)]
    by_id = {c.id: c for c in report.clusters}
    body_cluster = by_id[cluster[(trad, 9)]]
    assert body_cluster.scope == "both"
    assert len(body_cluster.members) == 4
    assert all(m.similarity == 1.0 for m in body_cluster.members)
    # The date line and the boilerplate footer occur once per page: across only.
    assert by_id[cluster[(trad, 21)]].scope == "across"
    assert report.summary.files == 2 and not report.errors


def test_every_paragraph_of_a_different_page_stays_unclustered(seed_folder: Path) -> None:
    other = sighan_lines("pku_test.utf8")[100:140]
    (seed_folder / "other.txt").write_text("\n".join(other), encoding="utf-8")
    report = dedup.scan(seed_folder, progress=False)
    assert not any(m.path == "other.txt" for c in report.clusters for m in c.members)


def _noisy_copies(original: str) -> dict[str, str]:
    """Copies of a real paragraph as a reprint would change it."""
    n = len(original)
    return {
        "edited": original[: n // 3]
        + "某"
        + original[n // 3 + 1 : 2 * n // 3]
        + original[2 * n // 3 + 1 :],
        "clause": original + "，记者从有关部门了解到这一情况",
        "width": original.replace("，", ",").replace("。", ".").replace("、", ","),
        "traditional": opencc.OpenCC("s2t").convert(original),
        "dropped": original[: int(n * 0.85)],
    }


@pytest.fixture(scope="module")
def originals() -> list[str]:
    return [line for line in sighan_lines("msr_test.utf8") if 80 <= len(line) <= 200][:30]


def test_near_duplicates_are_found_at_the_default_threshold(originals: list[str]) -> None:
    texts = {f"orig_{i:02}": text for i, text in enumerate(originals)}
    for i, text in enumerate(originals):
        for kind, copy in _noisy_copies(text).items():
            texts[f"copy_{i:02}_{kind}"] = copy
    report = dedup.scan(texts, progress=False)
    cluster = _cluster_of(report)
    missed: dict[str, int] = defaultdict(int)
    for i in range(len(originals)):
        for kind in _noisy_copies(originals[i]):
            if (
                cluster.get((f"copy_{i:02}_{kind}", 1)) != cluster.get((f"orig_{i:02}", 1))
                or (f"orig_{i:02}", 1) not in cluster
            ):
                missed[kind] += 1
    assert sum(missed.values()) <= 2, dict(missed)
    # No two originals end up together.
    assert len({cluster.get((f"orig_{i:02}", 1)) for i in range(len(originals))}) == len(originals)


def test_different_paragraphs_on_one_topic_are_not_duplicates() -> None:
    # Consecutive lines of news stories: same topics, same names, different paragraphs.
    lines = [line for line in sighan_lines("msr_test.utf8") if len(line) >= 30][:240]
    report = dedup.scan({f"p{i}": line for i, line in enumerate(lines)}, progress=False)
    assert report.summary.clusters == 0, [c.first.text for c in report.clusters]


def test_real_text_reuse_is_found() -> None:
    # In the PKU set, a law amendment quotes articles of the law with "第N条修改为：“" added.
    lines = [line for line in sighan_lines("pku_test.utf8") if len(line) >= 30][:300]
    report = dedup.scan({f"p{i:03}": line for i, line in enumerate(lines)}, progress=False)
    pairs = {tuple(m.path for m in c.members) for c in report.clusters}
    assert ("p144", "p223") in pairs  # 二、第二条第二款修改为：“军官按照职务性质分为…
    assert ("p146", "p225") in pairs  # 四、第三条改为第四条，修改为：“军官的选拔和使用…
    # An amendment that quotes items (一), (三) and (四) of an article whole: fragments,
    # reported as contained in it.
    inside = {(c.path, c.contained_in.path) for c in report.contained}
    assert {("p148", "p226"), ("p150", "p226"), ("p151", "p226")} <= inside


def test_short_lines_take_only_the_exact_path() -> None:
    texts = {"a": "來源:大眾日報\n记者 张三", "b": "来源：大众日报\n记者 李四"}
    report = dedup.scan(texts, progress=False)
    assert [[(m.path, m.line) for m in c.members] for c in report.clusters] == [
        [("a", 1), ("b", 1)]
    ]


def test_config_shingle_kinds_and_workers_agree_on_the_seed(seed_folder: Path) -> None:
    reference = dedup.scan(seed_folder, progress=False).clusters
    for config in (dedup.Config(shingle="word", ngram=2), dedup.Config(workers=2)):
        assert dedup.scan(seed_folder, config, progress=False).clusters == reference


def test_config_rejects_values_out_of_range() -> None:
    with pytest.raises(dedup.ConfigError, match="threshold"):
        dedup.Config(threshold=1.5)
    with pytest.raises(dedup.ConfigError, match="shingle"):
        dedup.Config(shingle="sentence")  # type: ignore[arg-type]


def test_report_json_has_the_documented_shape(seed_folder: Path, tmp_path: Path) -> None:
    import json

    report = dedup.scan(seed_folder, progress=False)
    out = tmp_path / "report.json"
    report.write_json(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"]["clusters"] == len(report.clusters) > 0
    assert data["summary"]["duplicate_paragraphs"] == sum(
        len(c["members"]) - 1 for c in data["clusters"]
    )
    member = data["clusters"][0]["members"][0]
    assert set(member) >= {"path", "line", "text", "similarity"}
    assert data["errors"] == []
    assert {f["path"] for f in data["files"]} == {"page_traditional.txt", "page_simplified.txt"}


def test_punctuation_only_lines_match_only_the_same_punctuation() -> None:
    body = "枣庄高新区积极探索产城人融合发展新模式，高质高效推进先导区建设。"
    separator = "＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊"  # long enough to be shingled, if it were
    texts = {"a": f"…\n{body}\n{separator}\n...", "b": f"——\n{body}\n-*-*-*-*-*-*-*-*-*-*"}
    report = dedup.scan(texts, progress=False)
    assert [[(m.path, m.line) for m in c.members] for c in report.clusters] == [
        [("a", 1), ("a", 4)],  # "…" and "...": the same after NFKC
        [("a", 2), ("b", 2)],
    ]


def test_a_paragraph_quoted_whole_inside_a_longer_one_is_found() -> None:
    lines = [line for line in sighan_lines("pku_test.utf8") if 30 <= len(line) <= 60][:40]
    texts = {}
    for k in range(0, 40, 4):
        # The quoted paragraph, a quarter of the host's length, in traditional characters.
        quoted = opencc.OpenCC("s2t").convert(lines[k])
        texts[f"{k:02}a"] = lines[k]
        texts[f"{k:02}b"] = lines[k + 1] + lines[k + 2] + quoted + lines[k + 3]
    report = dedup.scan(texts, progress=False)
    assert report.clusters == ()  # not near copies: the quoted one is contained
    inside = sorted((c.path, c.contained_in.path, c.share) for c in report.contained)
    assert inside == [(f"{k:02}a", f"{k:02}b", 1.0) for k in range(0, 40, 4)]
