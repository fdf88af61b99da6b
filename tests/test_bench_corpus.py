"""The labelled benchmark corpus is deterministic, consistent with its truth, and well thinned."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from benchmarks import corpus

N_DOCS = 30


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _lines(folder: Path) -> dict[str, list[str]]:
    return {
        p.name: p.read_text(encoding="utf-8").split("\n")[:-1]
        for p in sorted(folder.glob("doc_*.txt"))
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, corpus.Truth]:
    folder = tmp_path_factory.mktemp("corpus_a")
    return folder, corpus.generate(folder, seed=7, n_docs=N_DOCS)


def test_same_seed_gives_identical_files(
    generated: tuple[Path, corpus.Truth], tmp_path: Path
) -> None:
    folder, truth = generated
    again = corpus.generate(tmp_path, seed=7, n_docs=N_DOCS)
    assert again == truth
    assert _files(tmp_path) == _files(folder)


def test_different_seeds_differ(generated: tuple[Path, corpus.Truth], tmp_path: Path) -> None:
    folder, truth = generated
    other = corpus.generate(tmp_path, seed=8, n_docs=N_DOCS)
    assert other.clusters != truth.clusters
    assert _files(tmp_path)["doc_0001.txt"] != _files(folder)["doc_0001.txt"]


def test_truth_json_matches_returned_truth(generated: tuple[Path, corpus.Truth]) -> None:
    folder, truth = generated
    assert corpus.load_truth(folder) == truth
    assert truth.documents == N_DOCS
    assert not truth.pool_reused


def test_files_have_no_blank_lines_and_count_matches(generated: tuple[Path, corpus.Truth]) -> None:
    folder, truth = generated
    lines = _lines(folder)
    assert len(lines) == N_DOCS
    assert all(line.strip() for doc in lines.values() for line in doc)
    assert sum(len(doc) for doc in lines.values()) == truth.paragraphs


def test_every_member_line_exists(generated: tuple[Path, corpus.Truth]) -> None:
    folder, truth = generated
    lines = _lines(folder)
    seen = set()
    for cluster in truth.clusters:
        assert len(cluster.members) >= 2
        for m in cluster.members:
            assert 1 <= m.line <= len(lines[m.path])
            assert lines[m.path][m.line - 1].strip()
            assert (m.path, m.line) not in seen  # clusters do not overlap
            seen.add((m.path, m.line))


def test_copies_match_their_kind(generated: tuple[Path, corpus.Truth]) -> None:
    folder, truth = generated
    lines = _lines(folder)
    body_kinds: set[str] = set()
    for cluster in truth.clusters:
        if cluster.kind in ("boilerplate", "template"):
            continue
        original, *copies = cluster.members
        assert original.kind == "original"
        text = lines[original.path][original.line - 1]
        for m in copies:
            body_kinds.add(m.kind)
            copy = lines[m.path][m.line - 1]
            if m.kind == "exact":
                assert copy == text
            else:
                assert copy != text, m
            if m.path == original.path:
                assert m.line > original.line  # same-document copies come later
    assert body_kinds == set(corpus.NOISE_KINDS)


def test_boilerplate_and_template(generated: tuple[Path, corpus.Truth]) -> None:
    folder, truth = generated
    lines = _lines(folder)
    boiler = [c for c in truth.clusters if c.kind == "boilerplate"]
    assert len(boiler) == len(corpus.BOILERPLATE)
    for cluster in boiler:
        assert 0.2 * N_DOCS - 1 <= len(cluster.members) <= 0.6 * N_DOCS + 1
        assert len({m.path for m in cluster.members}) == len(cluster.members)
    (template,) = [c for c in truth.clusters if c.kind == "template"]
    texts = [lines[m.path][m.line - 1] for m in template.members]
    assert all(t.startswith("原标题：") and t.endswith("来源：新华网") for t in texts)
    assert len(set(texts)) == len(texts)


def test_base_paragraphs_are_thinned(generated: tuple[Path, corpus.Truth]) -> None:
    """No two base paragraphs (originals, never-copied lines) share 4-gram Jaccard >= 0.3."""
    folder, truth = generated
    lines = _lines(folder)
    not_base = {(m.path, m.line) for c in truth.clusters for m in c.members if m.kind != "original"}
    base = [
        corpus.char_ngrams(text)
        for path, doc in lines.items()
        for number, text in enumerate(doc, start=1)
        if (path, number) not in not_base
    ]
    assert len(base) > 100
    worst = max(corpus.jaccard(a, b) for a, b in itertools.combinations(base, 2))
    assert worst < corpus.THIN_THRESHOLD


def test_thin_drops_near_duplicates() -> None:
    a = "今天上午在乌鲁木齐市人民广场举行了三千人参加的迎接新世纪长跑比赛"
    near = a[:-2] + "活动"
    other = "尤其是現在醫療給付實施總額預算制度，醫療資源是固定的。"
    assert corpus.thin([a, near, other], limit=10) == [a, other]
    assert corpus.thin([a, near, other], limit=1) == [a]


def test_non_empty_folder_is_refused(generated: tuple[Path, corpus.Truth]) -> None:
    folder, _ = generated
    with pytest.raises(FileExistsError):
        corpus.generate(folder, seed=7, n_docs=N_DOCS)


def test_pool_is_reused_only_when_it_runs_out() -> None:
    small = corpus.build_pool(3, 500)
    assert not small.reused
    assert len(set(small.originals)) == 500
    assert not set(small.reserve) & set(small.originals)
    big = corpus.build_pool(3, 12000)
    assert big.reused
    assert len(big.originals) == 12000
