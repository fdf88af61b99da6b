from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import dedup
from dedup.clean import drop_lines


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
    trad = (out / "page_traditional.txt").read_text(encoding="utf-8").splitlines()
    simp = (out / "page_simplified.txt").read_text(encoding="utf-8").splitlines()
    original = (seed_folder / "page_traditional.txt").read_text(encoding="utf-8").splitlines()
    simplified = (seed_folder / "page_simplified.txt").read_text(encoding="utf-8").splitlines()
    # page_simplified.txt comes first in path order, so its copy of each paragraph is kept
    # once and the traditional page, which repeats it entirely, is left empty.
    for body in simplified[8:13]:
        assert simp.count(body) == 1
    assert len(simp) == 11
    assert trad == []
    assert len(original) == 21
    assert result.files_written == 2
    assert result.paragraphs_removed == result.report.summary.duplicate_paragraphs


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
    assert (out / "page_traditional.txt").exists()


def test_drop_lines_collapses_the_blank_runs_it_leaves() -> None:
    text = "甲\r\n\r\n乙\r\n\r\n丙\r\n"
    assert drop_lines(text, {3}) == "甲\r\n\r\n丙\r\n"


def test_clean_texts_from_python() -> None:
    texts = {"a": "第一段很长的文字内容在这里。\n第二段", "b": "第一段很长的文字内容在这里！"}
    assert dedup.clean_texts(texts) == {"a": texts["a"], "b": ""}
