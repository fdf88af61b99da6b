from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest

import dedup
from dedup.clean import _changed_lines, _encoded, drop_lines


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_clean_keeps_each_body_paragraph_once(seed_folder: Path, tmp_path: Path) -> None:
    before = _hashes(seed_folder)
    out = tmp_path / "out"
    result = dedup.clean(seed_folder, out, progress=False)
    assert _hashes(seed_folder) == before
    simp = (out / "page_simplified.txt").read_text(encoding="utf-8").splitlines()
    original = (seed_folder / "page_traditional.txt").read_text(encoding="utf-8").splitlines()
    simplified = (seed_folder / "page_simplified.txt").read_text(encoding="utf-8").splitlines()
    # page_simplified.txt comes first in path order, so its copy of each paragraph is kept
    # once and the traditional page, which repeats it entirely, is not written.
    for body in simplified[8:13]:
        assert simp.count(body) == 1
    assert len(simp) == 11
    assert not (out / "page_traditional.txt").exists()
    assert len(original) == 21
    assert (result.files_written, result.files_empty) == (1, 1)
    assert result.paragraphs_removed == result.report.summary.duplicate_paragraphs == 31
    [document] = result.report.duplicate_documents
    assert (document.path, document.duplicate_of) == (
        "page_traditional.txt",
        ("page_simplified.txt",),
    )
    assert "Did not write 1 file(s) that would be empty" in result.describe()


def test_clean_within_removes_only_repeats_inside_a_document(
    seed_folder: Path, tmp_path: Path
) -> None:
    dedup.clean(seed_folder, tmp_path / "out", within=True, progress=False)
    for name in ("page_traditional.txt", "page_simplified.txt"):
        lines = (tmp_path / "out" / name).read_text(encoding="utf-8").splitlines()
        source = (seed_folder / name).read_text(encoding="utf-8").splitlines()
        assert len(lines) == 11  # 21 lines less 3 header repeats and 7 body/byline repeats
        assert sorted(set(lines)) == sorted(set(source))


@pytest.mark.parametrize("where", ["same", "inside"])
def test_output_inside_or_equal_to_input_is_refused(seed_folder: Path, where: str) -> None:
    out = seed_folder if where == "same" else seed_folder / "clean"
    before = _hashes(seed_folder)
    with pytest.raises(dedup.OutputError, match="input folder"):
        dedup.clean(seed_folder, out, progress=False)
    assert _hashes(seed_folder) == before


def test_non_empty_output_needs_force(seed_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(dedup.OutputError, match="--force"):
        dedup.clean(seed_folder, out, progress=False)
    dedup.clean(seed_folder, out, force=True, progress=False)
    assert (out / "page_simplified.txt").exists()


def test_drop_lines_collapses_the_blank_runs_it_leaves() -> None:
    text = "甲\r\n\r\n乙\r\n\r\n丙\r\n"
    assert drop_lines(text, {3}) == "甲\r\n\r\n丙\r\n"


def test_clean_texts_from_python() -> None:
    texts = {
        "a": "第一段很长的文字内容就在这里写着。\n第二段",
        "b": "第一段很长的文字内容就在这里写着！",
    }
    assert dedup.clean_texts(texts) == {"a": texts["a"], "b": ""}


def test_output_is_utf8_by_default_and_keeps_line_ends(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    paragraph = "這一段在兩個文件裏都出現了，應該只保留一次。"
    (folder / "a.txt").write_bytes(f"{paragraph}\r\n第一個文件自己的話。\r\n".encode("cp950"))
    (folder / "b.txt").write_bytes(f"{paragraph}\r第二個文件自己的話。\r".encode("gb18030"))
    before = _hashes(folder)
    result = dedup.clean(folder, out, progress=False)
    assert {f.path: f.encoding for f in result.report.files} == {
        "a.txt": "cp950",
        "b.txt": "gb18030",
    }
    assert (out / "a.txt").read_bytes() == f"{paragraph}\r\n第一個文件自己的話。\r\n".encode()
    assert (out / "b.txt").read_bytes() == "第二個文件自己的話。\r".encode()
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt"]  # no temporary files
    assert _hashes(folder) == before


def test_keep_encoding_writes_each_file_back_in_its_own_encoding(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shared = "這一段在所有文件裏都出現了，應該只保留一次。"
    sources = {
        "big5.txt": "cp950",
        "bom.txt": "utf-8-sig",
        "gbk.txt": "gb18030",
        "u16.txt": "utf-16",
    }
    for name, codec in sources.items():
        (folder / name).write_bytes(f"{shared}\n{name} 自己的內容\n".encode(codec))
    result = dedup.clean(folder, out, keep_encoding=True, progress=False)
    assert result.notes == ()
    for name, codec in sources.items():
        expected = f"{name} 自己的內容\n"
        if name == "big5.txt":  # first in name order: keeps the shared paragraph
            expected = f"{shared}\n{expected}"
        assert (out / name).read_bytes() == expected.encode(codec), name


def test_keep_encoding_keeps_a_big_endian_byte_order_mark(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shared = "這一段在兩個文件裏都出現了，應該只保留一次。"
    boms = {"a.txt": ("utf-8", b""), "u16be.txt": ("utf-16-be", codecs.BOM_UTF16_BE)}
    boms["u32be.txt"] = ("utf-32-be", codecs.BOM_UTF32_BE)
    for name, (codec, bom) in boms.items():
        (folder / name).write_bytes(bom + f"{shared}\n{name} 自己的內容\n".encode(codec))
    result = dedup.clean(folder, out, keep_encoding=True, progress=False)
    assert result.notes == ()
    for name in ("u16be.txt", "u32be.txt"):
        codec, bom = boms[name]
        assert (out / name).read_bytes() == bom + f"{name} 自己的內容\n".encode(codec), name


def test_keep_encoding_falls_back_to_utf8_with_a_note() -> None:
    data, note = _encoded("中文😀", "gb2312", keep_encoding=True)
    assert data == "中文😀".encode()
    assert note is not None and "U+1F600" in note and "gb2312" in note
    assert _encoded("中文", "gb2312", keep_encoding=True) == ("中文".encode("gb2312"), None)
    assert _encoded("中文", "gb2312", keep_encoding=False) == ("中文".encode(), None)


def test_drop_lines_keeps_cr_line_ends() -> None:
    assert drop_lines("甲\r乙\r丙\r", {2}) == "甲\r丙\r"


def test_a_line_changed_after_the_scan_is_detected() -> None:
    text = "第一段\n　　第二段\n第三段\n"
    assert _changed_lines(text, {2: "第二段", 3: "第三段"}) == []
    assert _changed_lines(text, {2: "第二段", 3: "别的段落"}) == [3]
    assert _changed_lines(text, {9: "第二段"}) == [9]


def test_output_folder_that_is_a_file_is_refused(seed_folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(dedup.OutputError, match="is a file"):
        dedup.clean(seed_folder, target, progress=False)
    assert target.read_text(encoding="utf-8") == "keep me"


def test_output_folder_containing_the_input_is_refused(seed_folder: Path) -> None:
    before = _hashes(seed_folder)
    with pytest.raises(dedup.OutputError, match="contains the input folder"):
        dedup.clean(seed_folder, seed_folder.parent, force=True, progress=False)
    assert _hashes(seed_folder) == before


def test_drop_lines_leaves_everything_else_as_it_was() -> None:
    text = "第一段\n\n\n\n第二段\r\n第三段\r   \n\n最后一行没有换行"
    assert drop_lines(text, set()) == text
    assert drop_lines(text, {5}) == "第一段\n\n\n\n第三段\r   \n\n最后一行没有换行"
    # Removing a paragraph between blank lines leaves one blank line, not two.
    assert drop_lines("甲\n\n乙\n\n\n丙", {3}) == "甲\n\n丙"


def test_a_linked_folder_in_out_never_leads_writes_into_the_input(tmp_path: Path) -> None:
    source = tmp_path / "in"
    (source / "sub").mkdir(parents=True)
    (source / "sub" / "a.txt").write_text(
        "重复的段落内容在这里出现了两次。\n" * 2, encoding="utf-8"
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").symlink_to(source / "sub", target_is_directory=True)
    before = _hashes(source)
    with pytest.raises(dedup.OutputError, match="leads into the input"):
        dedup.clean(source, out, force=True, progress=False)
    assert _hashes(source) == before


def test_a_longer_later_copy_is_kept_rather_than_its_extra_text_lost() -> None:
    # Real MSR lines 1815 and 1817: a headline fragment, then the paragraph that holds it.
    fragment = "就转发农业部《关于我国乡镇企业情况和今后改革与发展意见的报告》"
    paragraph = (
        "新华社北京４月２３日电中共中央、国务院近日就转发农业部《关于我国乡镇企业情况和"
        "今后改革与发展意见的报告》（报告见第二版）发出通知。"
    )
    texts = {"a": f"{fragment}\n{paragraph}", "b": f"{paragraph}\n{fragment}"}
    # Their Jaccard is about 0.45: LSH at 0.5 proposes the pair for some seeds only (17 of
    # 40); at 0.3 for every seed, so the test is about clean's decision, not about luck.
    config = dedup.Config(lsh_threshold=0.3)
    report = dedup.scan(texts, config, progress=False)
    # Each is one cluster with its own copy; the fragment inside the paragraph is a
    # containment, reported as such and not merged with it.
    assert [[(m.path, m.line) for m in c.members] for c in report.clusters] == [
        [("a", 1), ("b", 2)],
        [("a", 2), ("b", 1)],
    ]
    [contained] = report.contained
    assert (contained.path, contained.line, contained.contained_in) == ("a", 1, dedup.Place("a", 2))
    assert contained.share >= 0.9
    assert sorted(report.removals()["b"]) == [1, 2]
    cleaned = dedup.clean_texts(texts, config)
    assert cleaned["a"] == f"{fragment}\n{paragraph}"  # the longer copy adds text: kept
    assert cleaned["b"] == ""  # both already in a


def test_paragraphs_joined_only_through_a_shared_lead_are_not_removed() -> None:
    lead = "国务院新闻办公室今天上午举行新闻发布会介绍有关情况"
    first = lead + "。会上，国家统计局局长宣布全年经济增长百分之七"
    second = lead + "。发言人表示，明年将继续推进农村税费改革试点工作"
    texts = {"1": lead, "2": first, "3": second}
    config = dedup.Config(lsh_threshold=0.3)  # so that LSH proposes the lead with each
    report = dedup.scan(texts, config, progress=False)
    assert report.clusters == ()  # 2 and 3 share only the lead: not near copies
    # The lead on its own is kept as the first sentence of 2 (and 3): it goes.
    assert dedup.clean_texts(texts, config) == {**texts, "1": ""}
    [removal] = report.removed
    assert (removal.path, removal.kept_at) == ("1", (dedup.Place("2", 1),))
    within = {"1": f"{first}\n{second}", "2": lead}
    assert dedup.clean_texts(within, within=True) == within


def test_clean_removes_repeated_sentences_of_a_file_without_line_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dedup import segment
    from tests.conftest import sighan_lines

    # Every sentence longer than LONG_LINE: the one line is cut after each sentence.
    monkeypatch.setattr(segment, "LONG_LINE", 25)
    lines = [s.rstrip("。") for s in sighan_lines("msr_test.utf8") if 30 <= len(s) <= 48]
    sentences = [s + "。" for s in lines if not any(c in s for c in "。！？；;!?…")]
    body = "".join(sentences[:8])
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "flat.txt").write_text(body + "".join(sentences[2:6]) + body + "\n", "utf-8")
    out = tmp_path / "out"
    result = dedup.clean(folder, out, progress=False)
    assert result.paragraphs_removed == 12
    assert (out / "flat.txt").read_text(encoding="utf-8") == body + "\n"
