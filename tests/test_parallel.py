"""Workers and chunks change how fast a scan runs, never what it finds."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

import dedup
from benchmarks import corpus
from dedup import stages
from dedup.normalise import normalise, normalise_batch
from tests.conftest import sighan_lines


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A labelled corpus from the accuracy benchmark, several chunks long."""
    folder = tmp_path_factory.mktemp("parallel")
    corpus.generate(folder, seed=7, n_docs=1200)
    return folder


def _facts(report: dedup.Report) -> tuple[object, ...]:
    summary = {k: v for k, v in vars(report.summary).items() if k != "seconds"}
    return report.clusters, report.files, report.errors, summary


def test_corpus_spans_several_chunks(big_corpus: Path) -> None:
    chars = sum(len(p.read_text(encoding="utf-8")) for p in big_corpus.glob("*.txt"))
    assert chars > 3 * stages.CHUNK_CHARS


def test_one_and_two_workers_find_the_same_clusters(big_corpus: Path) -> None:
    one = dedup.scan(big_corpus, dedup.Config(workers=1), progress=False)
    two = dedup.scan(big_corpus, dedup.Config(workers=2), progress=False)
    assert len(one.clusters) > 100
    assert _facts(two) == _facts(one)


def test_chunk_size_does_not_change_the_result(
    big_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = dedup.scan(big_corpus, progress=False)
    # Many small chunks: exact copies and their originals land in different chunks.
    monkeypatch.setattr(stages, "CHUNK_CHARS", 5000)
    for workers in (1, 2):
        small = dedup.scan(big_corpus, dedup.Config(workers=workers), progress=False)
        assert _facts(small) == _facts(whole)


def test_texts_by_name_on_two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [line for line in sighan_lines("msr_test.utf8") if len(line) >= 30][:400]
    texts = {f"t{i:03}": line for i, line in enumerate(lines)}
    texts.update({f"u{i:03}": line + "。" for i, line in enumerate(lines[:50])})
    monkeypatch.setattr(stages, "CHUNK_CHARS", 2000)
    one = dedup.scan(texts, progress=False)
    two = dedup.scan(texts, dedup.Config(workers=2), progress=False)
    assert len(one.clusters) >= 50
    assert _facts(two) == _facts(one)


def test_batch_keys_equal_normalise_on_real_and_odd_text(seed_text: str) -> None:
    real = seed_text.splitlines() + [
        line
        for name in ("as_test.utf8", "cityu_test.utf8", "msr_test.utf8", "pku_test.utf8")
        for line in sighan_lines(name)[:500]
    ]
    assert normalise_batch(real) == [normalise(t) for t in real]
    # Characters whose key depends on their neighbours, or is several characters long.
    odd = list("中國人ΣσΑ℃ﬁ①㈱Ⅲéé가각\u1100\u1161\u11a8\u0301\u200b　，ＡＢＣ")
    rng = random.Random(5)
    pool = [chr(c) for c in range(0x20, 0x3400)] + [chr(c) for c in range(0xF900, 0x10000)] + odd
    texts = ["".join(rng.choices(pool, k=rng.randint(0, 25))) for _ in range(5000)]
    texts += ["", "ΣΑΣ", "a\u0301", "\u1100\u1161", "\ud800x"]
    assert normalise_batch(texts) == [normalise(t) for t in texts]


def test_every_single_character_keys_as_normalise_does() -> None:
    chars = [chr(c) for c in range(sys.maxunicode + 1)]
    assert normalise_batch(chars) == [normalise(c) for c in chars]
