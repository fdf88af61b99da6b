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


@pytest.fixture(scope="module")
def large_file(big_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus as one file, its lines ending in LF, CRLF or CR by turns, with a blank
    line or two between documents: a large file with every kind of line end."""
    ends = ("\n", "\r\n", "\r")
    pieces = []
    for d, path in enumerate(sorted(big_corpus.glob("*.txt"))):
        lines = path.read_text(encoding="utf-8").splitlines()
        pieces.extend(line + ends[(d + i) % 3] for i, line in enumerate(lines))
        pieces.append("\n" * (1 + d % 2))
    folder = tmp_path_factory.mktemp("large") / "in"
    folder.mkdir()
    (folder / "all.txt").write_bytes("".join(pieces).encode("utf-8"))
    return folder


def _everything(report: dedup.Report) -> tuple[object, ...]:
    return (*_facts(report), report.removed, report.contained, report.duplicate_documents)


def test_a_large_file_read_in_parts_finds_what_it_finds_whole(
    large_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = (large_file / "all.txt").stat().st_size
    assert size > 3 * stages.CHUNK_CHARS
    monkeypatch.setattr(stages, "LARGE_FILE_BYTES", size)  # read whole, by a worker
    whole = dedup.scan(large_file, progress=False)
    assert len(whole.clusters) > 100 and len(whole.files) == 1
    # Parts of about 5,000 characters, cut at line ends: many paragraphs and their
    # copies land in different parts, and every part's lines keep their numbers.
    monkeypatch.setattr(stages, "LARGE_FILE_BYTES", 10_000)
    monkeypatch.setattr(stages, "CHUNK_CHARS", 5000)
    for workers in (1, 2):
        parts = dedup.scan(large_file, dedup.Config(workers=workers), progress=False)
        assert _everything(parts) == _everything(whole)


def test_a_large_file_is_handed_out_in_parts(
    large_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stages, "LARGE_FILE_BYTES", 10_000)
    monkeypatch.setattr(stages, "CHUNK_CHARS", 5000)
    items, _ = stages.list_items(large_file, None, None, "strict", stages.Fields("text", None))
    listed = [item for item, _ in items]
    assert len(listed) > 50
    assert all(isinstance(item, stages.Document) for item in listed)
    assert [item.part for item in listed] == list(range(len(listed)))  # type: ignore[union-attr]


def test_cluster_stage_batches_do_not_change_the_result(
    big_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = dedup.scan(big_corpus, progress=False)
    assert len(whole.removed) > 100
    # The cluster stage splits lines into sentences a few at a time: the same sentence in
    # lines of different batches keeps one id, so the same lines are removed.
    monkeypatch.setattr(stages, "SPLIT_BATCH", 7)
    # And counts the shingles a partner lacks a few partners at a time.
    monkeypatch.setattr(stages, "MISSING_BATCH", 5)
    batched = dedup.scan(big_corpus, progress=False)
    assert _everything(batched) == _everything(whole)


def test_workers_fan_batches_out_in_order_once_started() -> None:
    """`Workers.fan` gives each batch's result in the batches' order: in this process
    before the workers have started (a small input never starts them), on the workers
    after, the first batches always (this process runs the next one itself only when a
    result it needs is not ready)."""
    import os

    from dedup.executors.local import Workers

    batches = [[i] * (i % 5 + 1) for i in range(40)]
    with Workers(2) as workers:
        before = list(workers.fan(_pid_and_sum, batches))
        workers.start()
        after = list(workers.fan(_pid_and_sum, batches))
    assert [total for _, total in before] == [sum(b) for b in batches]
    assert [total for _, total in after] == [sum(b) for b in batches]
    assert {pid for pid, _ in before} == {os.getpid()}
    assert os.getpid() not in {pid for pid, _ in after[:4]}


def _pid_and_sum(batch: list[int]) -> tuple[int, int]:
    import os

    return os.getpid(), sum(batch)


def test_sentences_split_on_two_workers_remove_what_one_process_does(
    big_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cluster stage hands its sentence splitting to the workers, in small batches
    here: the lines removed are those of a scan that splits every line in this process."""
    alone = dedup.scan(big_corpus, dedup.Config(workers=1), progress=False)
    monkeypatch.setattr(stages, "SPLIT_BATCH", 50)
    fanned = dedup.scan(big_corpus, dedup.Config(workers=2), progress=False)
    assert len(alone.removed) > 100
    assert fanned.removed == alone.removed
    assert _facts(fanned) == _facts(alone)
