"""A regression guard on accuracy: a small generated corpus through dedup.scan."""

from __future__ import annotations

from pathlib import Path

import dedup
from benchmarks import corpus, scoring


def test_defaults_keep_f1_and_precision_on_a_small_labelled_corpus(tmp_path: Path) -> None:
    truth = corpus.generate(tmp_path / "c", seed=11, n_docs=60)
    report = dedup.scan(tmp_path / "c", progress=False)
    result = scoring.score(truth, scoring.clusters_from_report(report))
    assert result.precision >= 0.99, result.summary()
    assert result.f1 >= 0.97, result.summary()
    assert result.boilerplate_found == result.boilerplate_total, result.summary()


def test_naive_baseline_is_measurably_worse(tmp_path: Path) -> None:
    from benchmarks.naive import naive_clusters

    truth = corpus.generate(tmp_path / "c", seed=11, n_docs=30)
    naive = scoring.score(truth, naive_clusters(tmp_path / "c"))
    ours = scoring.score(truth, scoring.clusters_from_report(dedup.scan(tmp_path / "c")))
    assert ours.f1 > naive.f1 + 0.1
