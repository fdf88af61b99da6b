"""Pair-counting scores match hand computations on a tiny truth and are perfect for the truth."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks import corpus, scoring

A1, A2, A3 = ("d1.txt", 1), ("d1.txt", 3), ("d2.txt", 2)
B1, B2 = ("d2.txt", 1), ("d3.txt", 1)
C1, C2, C3 = ("d1.txt", 4), ("d2.txt", 4), ("d3.txt", 3)
T1, T2 = ("d1.txt", 5), ("d2.txt", 5)
U = ("d3.txt", 2)  # a unique paragraph, absent from the truth


def _members(*items: tuple[tuple[str, int], str]) -> list[dict[str, object]]:
    return [{"path": p, "line": n, "kind": k} for (p, n), k in items]


TRUTH = {
    "version": 1,
    "seed": 0,
    "documents": 3,
    "paragraphs": 13,
    "pool_reused": False,
    "clusters": [
        {"kind": "multi", "members": _members((A1, "original"), (A2, "exact"), (A3, "edit"))},
        {"kind": "script", "members": _members((B1, "original"), (B2, "script"))},
        {"kind": "boilerplate", "members": _members((C1, "exact"), (C2, "exact"), (C3, "width"))},
        {"kind": "template", "members": _members((T1, "template"), (T2, "template"))},
    ],
}


def test_truth_as_prediction_is_perfect() -> None:
    truth = corpus.Truth.from_dict(TRUTH)
    s = scoring.score(truth, scoring.truth_clusters(truth))
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    assert (s.boilerplate_found, s.boilerplate_total) == (1, 1)
    assert s.recall_by_kind == {"copy-copy": 1.0, "edit": 1.0, "exact": 1.0, "script": 1.0}
    assert (s.true_pairs, s.correct_pairs, s.predicted_pairs) == (4, 4, 4)


def test_split_and_merged_prediction_by_hand() -> None:
    # A split into {A1,A2} and {A3}; A3 wrongly merged with B and the unique U; template lines
    # sit with the boilerplate (ignored). Body pairs: 1 + C(4,2)=6 -> 7 predicted, 2 correct.
    s = scoring.score(TRUTH, [[A1, A2], [A3, B1, B2, U], [C1, C2, C3, T1]])
    assert s.predicted_pairs == 7
    assert s.correct_pairs == 2
    assert s.precision == pytest.approx(2 / 7)
    assert s.recall == pytest.approx(2 / 4)
    assert s.f1 == pytest.approx(4 / 11)
    assert s.recall_by_kind == {"copy-copy": 0.0, "edit": 0.0, "exact": 1.0, "script": 1.0}
    assert s.recall_within == pytest.approx(1.0)  # only A1-A2 is within a document
    assert s.recall_across == pytest.approx(1 / 3)  # A1-A3, A2-A3, B1-B2; found B1-B2
    assert (s.boilerplate_found, s.boilerplate_total) == (1, 1)
    assert s.body_boilerplate_pairs == 0


def test_body_lines_mixed_with_boilerplate_by_hand() -> None:
    # {A1,A2,A3,C1}: 3 correct body pairs + 3 body-boilerplate false positives; {C2,C3} holds only
    # 2 of 3 boilerplate lines (< 90%), and the other cluster with C1 has body lines: not found.
    s = scoring.score(TRUTH, [[A1, A2, A3, C1], [C2, C3]])
    assert s.body_boilerplate_pairs == 3
    assert s.predicted_pairs == 6
    assert s.precision == pytest.approx(0.5)
    assert s.recall == pytest.approx(0.75)
    assert s.f1 == pytest.approx(2 * 0.5 * 0.75 / 1.25)
    assert s.recall_by_kind["script"] == 0.0
    assert s.boilerplate_found == 0


def test_template_lines_are_ignored() -> None:
    base = scoring.score(TRUTH, [[A1, A2, A3], [B1, B2]])
    with_template = scoring.score(TRUTH, [[A1, A2, A3, T1], [B1, B2, T2]])
    assert base == with_template


def test_overlapping_clusters_are_merged() -> None:
    merged = scoring.score(TRUTH, [[A1, A2, A2], [A2, A3]])
    assert merged == scoring.score(TRUTH, [[A1, A2, A3]])
    assert merged.recall == pytest.approx(3 / 4)
    assert merged.precision == 1.0


def test_boilerplate_needs_ninety_percent() -> None:
    members = [(f"d{i:02d}.txt", 9) for i in range(10)]
    truth = {
        **TRUTH,
        "clusters": [
            {"kind": "boilerplate", "members": _members(*((m, "exact") for m in members))}
        ],
    }
    assert scoring.score(truth, [members[:9]]).boilerplate_found == 1
    assert scoring.score(truth, [members[:8]]).boilerplate_found == 0
    assert scoring.score(truth, [[*members, U]]).boilerplate_found == 0


@dataclass(frozen=True)
class _Member:
    path: str
    line: int


@dataclass(frozen=True)
class _Cluster:
    members: list[_Member]


@dataclass(frozen=True)
class _Report:
    clusters: list[_Cluster]


def test_clusters_from_report_accepts_json_and_objects(tmp_path: Path) -> None:
    as_json = {
        "clusters": [
            {
                "members": [
                    {"path": "d1.txt", "line": 1, "text": "x", "similarity": 1.0},
                    {"path": str(tmp_path / "sub" / "d2.txt"), "line": 2, "text": "y"},
                ]
            }
        ]
    }
    report = _Report([_Cluster([_Member("./d1.txt", 1), _Member("sub/d2.txt", 2)])])
    expected = [[("d1.txt", 1), ("sub/d2.txt", 2)]]
    assert scoring.clusters_from_report(as_json, root=tmp_path) == expected
    assert scoring.clusters_from_report(report) == expected


def test_generated_corpus_perfect_and_one_big_cluster(tmp_path: Path) -> None:
    truth = corpus.generate(tmp_path, seed=11, n_docs=25)
    perfect = scoring.score(tmp_path, scoring.truth_clusters(truth))
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    assert perfect.boilerplate_found == perfect.boilerplate_total == len(corpus.BOILERPLATE)
    assert set(perfect.recall_by_kind.values()) == {1.0}

    everything = [
        (p.name, n)
        for p in sorted(tmp_path.glob("doc_*.txt"))
        for n in range(1, len(p.read_text(encoding="utf-8").split("\n")))
    ]
    assert len(everything) == truth.paragraphs
    n_boiler = sum(len(c.members) for c in truth.clusters if c.kind == "boilerplate")
    n_template = sum(len(c.members) for c in truth.clusters if c.kind == "template")
    n_body = truth.paragraphs - n_boiler - n_template
    blob = scoring.score(truth, [everything])
    assert blob.recall == 1.0
    assert blob.body_boilerplate_pairs == n_body * n_boiler
    assert blob.predicted_pairs == n_body * (n_body - 1) // 2 + n_body * n_boiler
    assert blob.precision == pytest.approx(perfect.true_pairs / blob.predicted_pairs)
    assert blob.boilerplate_found == 0
