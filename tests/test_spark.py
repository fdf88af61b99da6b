"""The Spark engine finds what the local engine finds, cluster for cluster (Spark local[2]).

Every test shares one session (the ``spark`` fixture in conftest.py), and each Spark scan
is compared with the local engine in several ways at once (report, JSON bytes, cleaned
files). Skipped where Java or pyspark is missing, saying which; in CI (``CI=true``) a
missing one fails instead, so the engine is always tested there.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import opencc
import pytest
from click.testing import CliRunner

import dedup
from dedup import stages
from dedup.cli import main
from dedup.errors import InputError
from dedup.executors import spark_missing
from dedup.formats import Fields
from dedup.index import MAX_BUCKET_PAIRS, band_keys
from dedup.normalise import normalise_batch
from dedup.shingle import shingle_batch
from dedup.signature import signatures
from dedup.store import add, export
from tests.conftest import sighan_lines

if (_reason := spark_missing()) is not None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the Spark tests: {_reason}", pytrace=False)
    pytest.skip(f"Spark engine not tested: {_reason}", allow_module_level=True)

from dedup.executors import spark as spark_engine  # needs pyspark: after the skip


def _same(local: dedup.Report, other: dedup.Report) -> None:
    assert other.clusters == local.clusters
    assert other.contained == local.contained
    assert other.removed == local.removed
    assert other.duplicate_documents == local.duplicate_documents
    assert other.files == local.files
    assert other.errors == local.errors


def _json_body(report: dedup.Report) -> str:
    """The JSON report from its settings to its warnings: all but the summary (which holds
    the seconds) and the timings."""
    text = report.to_json()
    return text[text.index(',\n"config":') : text.index('],\n"timings":')]


def _same_files(left: Path, right: Path) -> list[Path]:
    """The files written under two folders are the same, byte for byte; their names."""
    names = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file())
    for name in names:
        assert (right / name).read_bytes() == (left / name).read_bytes(), name
    return names


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real SIGHAN sentences as pages: exact copies, traditional copies, copies with a
    character dropped or a clause added, repeats within a page, and pages sharing no line."""
    folder = tmp_path_factory.mktemp("news")
    lines = [line for line in sighan_lines("msr_test.utf8") if len(line) >= 25][:240]
    to_traditional = opencc.OpenCC("s2t")
    pages = [lines[i : i + 6] for i in range(0, len(lines), 6)]
    for n, page in enumerate(pages):
        text = list(page)
        if n % 4 == 1:
            text.append(pages[n - 1][2])  # an exact copy across pages
        if n % 4 == 2:
            text.append(to_traditional.convert(pages[n - 2][3]))  # another script
        if n % 4 == 3:
            edited = pages[n - 3][1]
            text.append(edited[:10] + edited[11:])  # a character dropped
            text.append(pages[n - 3][4] + "，据新华社报道。")  # a clause added
        if n % 5 == 0:
            text.append(page[0])  # a repeat within the page
        (folder / f"page{n:03}.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    (folder / "damaged.txt").write_bytes(b"\xff\xfe\x00\x00" + "坏".encode("utf-16-le"))
    return folder


class _Counted:
    """`spark.components` counting the nodes it places: the test's proof that it ran."""

    def __init__(self, patch: pytest.MonkeyPatch) -> None:
        self.nodes = 0
        self.real = spark_engine.components
        patch.setattr(spark_engine, "COMPONENT_EDGES", 0)  # components on Spark, always
        patch.setattr(spark_engine, "components", self)

    def __call__(self, edges: Any) -> Any:
        found = self.real(edges)
        self.nodes += found.count()
        return found


@pytest.fixture(scope="module")
def news_cleaned(
    spark: object, news: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[dedup.CleanResult, dedup.CleanResult, Path, int]]:
    """One clean of the news pages by each engine. Small chunks: copies and their
    originals are signed by different Spark tasks. The pair limit forced to 0: the
    components of the near copies are found by large-star/small-star on Spark, and the
    cluster model runs on the executors, several components to a partition."""
    out = tmp_path_factory.mktemp("news-cleaned")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stages, "CHUNK_CHARS", 3000)
        counted = _Counted(patch)
        local = dedup.clean(news, out / "local", progress=False)
        on_spark = dedup.clean(news, out / "spark", progress=False, engine="spark")
    yield local, on_spark, out, counted.nodes


def test_clusters_equal_the_local_engine(news_cleaned: Any) -> None:
    local, on_spark, _, nodes = news_cleaned
    report = local.report
    assert len(report.clusters) >= 30
    assert {c.scope for c in report.clusters} >= {"within", "across"}
    assert any(not m.exact for c in report.clusters for m in c.members)
    assert [e.path for e in report.errors] == ["damaged.txt"]
    _same(report, on_spark.report)
    assert "spark_start" in on_spark.report.timings
    assert nodes >= 15  # keys placed in components by large-star/small-star


def test_json_report_byte_for_byte(news_cleaned: Any) -> None:
    local, on_spark, _, _ = news_cleaned
    body = _json_body(local.report)
    assert body == _json_body(on_spark.report)
    assert body.count("\n") > 100
    assert {k: v for k, v in local.report.to_dict()["summary"].items() if k != "seconds"} == {
        k: v for k, v in on_spark.report.to_dict()["summary"].items() if k != "seconds"
    }


def test_clean_writes_the_same_files(news_cleaned: Any) -> None:
    local, on_spark, out, _ = news_cleaned
    assert on_spark.files_written == local.files_written
    assert local.report.summary.duplicate_paragraphs > 20
    assert len(_same_files(out / "local", out / "spark")) == local.files_written


def _largest_bucket(texts: list[str], config: dedup.Config) -> int:
    keys = normalise_batch(texts)
    hashes, offsets = shingle_batch(keys, config.shingle, config.ngram)
    bands = band_keys(
        signatures(hashes, offsets, config.num_perm, config.seed), config.lsh_threshold
    )
    return max(
        int(np.unique(bands[:, b], return_counts=True)[1].max()) for b in range(bands.shape[1])
    )


def test_buckets_above_the_chain_limit(spark: object) -> None:
    """Many distinct near copies of one sentence fill buckets beyond MAX_BUCKET_PAIRS,
    which propose a chain (by row order) instead of all pairs: same clusters on both."""
    lines = [line for line in sighan_lines("pku_test.utf8") if len(line) >= 60][:3]
    texts: dict[str, str] = {}
    for n, line in enumerate(lines):
        for i in range(90):  # one character replaced, at a different place each time
            at = 5 + i % (len(line) - 10)
            texts[f"l{n}v{i:03}"] = line[:at] + "的" + line[at + 1 :]
    config = dedup.Config()
    assert _largest_bucket(list(texts.values()), config) > MAX_BUCKET_PAIRS
    local = dedup.scan(texts, config, progress=False)
    on_spark = dedup.scan(texts, config, progress=False, engine="spark")
    assert len(local.clusters) >= 3
    _same(local, on_spark)


def test_components_are_those_of_the_graph(spark: Any) -> None:
    """Large-star/small-star on a graph with a long path (many rounds), a star, cycles and
    random pairs: each node's component is named by its smallest node, as scipy finds."""
    rng = np.random.default_rng(7)
    nodes = rng.permutation(np.arange(1000, 1400))  # ids neither dense nor in path order
    path = np.stack((nodes[:60], nodes[1:61]), axis=1)
    star = np.stack((np.full(30, nodes[70]), nodes[71:101]), axis=1)
    cycle = np.stack((nodes[110:130], np.roll(nodes[110:130], 1)), axis=1)
    loose = rng.choice(nodes[140:], size=(120, 2))
    edges = np.concatenate((path, star, cycle, loose, path[:5, ::-1]))
    frame = spark.createDataFrame([(int(a), int(b)) for a, b in edges], "a long, b long")
    found = spark_engine.components(frame).toArrow()
    got = dict(zip(found.column("node").to_pylist(), found.column("component").to_pylist()))

    # The same by label propagation: each node takes the smallest label of its neighbours.
    label = np.arange(int(edges.max()) + 1)
    while True:
        low = np.minimum(label[edges[:, 0]], label[edges[:, 1]])
        before = label.copy()
        np.minimum.at(label, edges[:, 0], low)
        np.minimum.at(label, edges[:, 1], low)
        if (label == before).all():
            break
    expected = {int(v): int(label[v]) for v in np.unique(edges) if label[v] != v}
    assert got == expected
    assert len(set(expected.values())) >= 3
    assert sum(c == min(nodes[:61]) for c in expected.values()) == 60


def test_cli_clean_of_jsonl_rows(spark: object, tmp_path: Path) -> None:
    """`dedup clean --engine spark --master local[2]` on a JSONL file: rows are parsed on
    the driver and shipped in chunks; the report (JSON) and the rows written are the local
    engine's, byte for byte. Few near pairs: the representatives are found on the driver."""
    lines = [line for line in sighan_lines("as_test.utf8") if len(line) >= 20][:60]
    rows = [{"id": i, "text": line} for i, line in enumerate(lines)]
    rows += [
        {"id": 100 + i, "text": line + "\n" + lines[i + 1]} for i, line in enumerate(lines[:20])
    ]
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    runner = CliRunner()
    reports = []
    for engine in ("local", "spark"):
        report = tmp_path / f"{engine}.json"
        master = ["--master", "local[2]"] if engine == "spark" else []
        args = ["clean", str(path), "--id-field", "id", "--out", str(tmp_path / engine)]
        args += ["--report", str(report), "--quiet", "--engine", engine, *master]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        data = json.loads(report.read_text("utf-8"))
        assert len(data.pop("timings")) > 3
        del data["summary"]["seconds"]
        reports.append(json.dumps(data, ensure_ascii=False))
    assert reports[0] == reports[1]
    assert len(json.loads(reports[0])["clusters"]) >= 20
    assert len(json.loads(reports[0])["removed"]) >= 20
    assert _same_files(tmp_path / "local", tmp_path / "spark") == [Path("rows.jsonl")]


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Folders ``a`` and ``b`` of real SIGHAN lines signed into an index by two adds (so
    that ``edges`` holds pairs), then NEW: a folder ``new``, a file ``a/0.txt`` that
    comes first of all in path order, and ``b/4.txt`` changed (NEW's copy replaces the
    indexed one). Copies across all of them, near and exact, some in traditional script,
    some inside longer lines. The corpus folder, and the index's."""
    root = tmp_path_factory.mktemp("indexed")
    msr = [line for line in sighan_lines("msr_test.utf8") if len(line) > 30]
    cityu = [line for line in sighan_lines("cityu_test.utf8") if len(line) > 30]
    to_traditional = opencc.OpenCC("s2t")
    files = {
        "a/1.txt": msr[0:30] + [msr[i] + msr[i + 1] for i in (120, 124)] + [msr[3]],
        "a/2.txt": msr[25:50] + cityu[0:10] + [line[:-4] for line in msr[0:6]],
        "b/3.txt": msr[45:80] + msr[5:10] + [to_traditional.convert(msr[i]) for i in (30, 31)],
        "b/4.txt": cityu[5:30] + [msr[i] + msr[i + 2] for i in (120, 124)],
    }
    new = {
        "new/5.txt": msr[75:90]
        + [line[:-3] for line in msr[20:25]]
        + cityu[25:35]
        + cityu[32:33]
        + [msr[124]],
        "a/0.txt": msr[85:95] + [line[2:] for line in msr[40:44]] + msr[0:2] + [msr[120]],
        "b/4.txt": cityu[8:20] + msr[60:64] + [msr[124] + msr[126]],
    }
    for name, lines in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = dedup.Config(workers=1)
    add([root / "a"], root / "index", config)
    add([root / "b"], root / "index", config)
    for name, lines in new.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root, root / "index"


def test_indexed_scan_equals_a_fresh_scan(
    spark: object, indexed: tuple[Path, Path], tmp_path: Path
) -> None:
    """`scan --engine spark --index EXPORT` of NEW equals the local `scan --index` and a
    fresh scan of every file (JSON byte for byte), having signed only NEW's documents:
    the indexed files are gone from disk when it runs. Then `clean --engine spark --index
    DIR` (the index folder itself) writes NEW's files as the local `clean --index` does."""
    root, index = indexed
    new = [root / "new", root / "a" / "0.txt", root / "b" / "4.txt"]
    fresh = dedup.scan([root / "a", root / "b", root / "new"], progress=False)
    local = dedup.scan(new, progress=False, index=index)
    assert len(fresh.clusters) >= 20
    assert {c.scope for c in fresh.clusters} >= {"within", "across"}
    assert len(fresh.contained) >= 2
    assert any(m.path == "a/0.txt" for c in fresh.clusters for m in c.members)
    assert any(m.path == "a/1.txt" for c in fresh.clusters for m in c.members)
    parquet = tmp_path / "parquet"
    assert export(index, parquet)["edges"] > 0
    moved = tmp_path / "moved"
    moved.mkdir()
    for name in ("1.txt", "2.txt"):
        (root / "a" / name).rename(moved / name)
    try:
        signed: list[str] = []
        reading = (None, None, "strict", Fields("text", None))
        on_spark = spark_engine.scan_indexed(
            new, parquet, dedup.Config(), reading, None, signed.extend
        )
    finally:
        for name in ("1.txt", "2.txt"):
            (moved / name).rename(root / "a" / name)
    assert sorted(signed) == ["a/0.txt", "b/4.txt", "new/5.txt"]
    assert len(on_spark.files) == len(fresh.files) == 6
    _same(fresh, on_spark)
    assert _json_body(on_spark) == _json_body(local) == _json_body(fresh)

    out = tmp_path / "out"
    for engine in ("local", "spark"):
        args = ["clean", *map(str, new), "--index", str(index), "--engine", engine]
        result = CliRunner().invoke(main, [*args, "--out", str(out / engine), "--quiet"])
        assert result.exit_code == 0, result.output
    written = _same_files(out / "local", out / "spark")
    assert [str(p) for p in written] == ["a/0.txt", "b/4.txt", "new/5.txt"]
    kept = (out / "spark" / "a" / "0.txt").read_text("utf-8").splitlines()
    assert 0 < len(kept) < len((root / "a" / "0.txt").read_text("utf-8").splitlines())


def test_an_index_folder_keeps_its_export_until_it_changes(
    spark: object, indexed: tuple[Path, Path], tmp_path: Path
) -> None:
    """`scan --engine spark --index DIR` exports the index into ``DIR/spark-export`` once,
    reads that export while the index is unchanged, and exports it again after an add;
    each scan equals the local indexed scan."""
    root, original = indexed
    index = tmp_path / "index"
    shutil.copytree(original, index)
    new = [root / "new"]
    reading = (None, None, "strict", Fields("text", None))
    kept = index / spark_engine.EXPORT_CACHE / "files.parquet"

    def scanned() -> dedup.Report:
        report = spark_engine.scan_indexed(new, index, dedup.Config(), reading)
        assert _json_body(report) == _json_body(dedup.scan(new, progress=False, index=index))
        return report

    first = scanned()
    made = kept.stat().st_mtime_ns
    assert first.timings["export"] > 0
    scanned()
    assert kept.stat().st_mtime_ns == made  # read again, not written again
    add(new, index, dedup.Config(workers=1))  # the index changes: its export is made anew
    scanned()
    assert kept.stat().st_mtime_ns != made
    assert not [p.name for p in index.iterdir() if p.name.startswith(".spark-export")]


def test_index_that_is_neither_is_refused(tmp_path: Path) -> None:
    """A folder that is neither an index nor an export is named, before Spark starts."""
    (tmp_path / "new.txt").write_text("一段文字。\n", encoding="utf-8")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "files.parquet").write_bytes(b"")
    reading = (None, None, "strict", Fields("text", None))
    with pytest.raises(InputError, match=r"--index .*notes: neither an index .*settings\.parquet"):
        spark_engine.scan_indexed(
            [tmp_path / "new.txt"], tmp_path / "notes", dedup.Config(), reading
        )
    result = CliRunner().invoke(
        main,
        ["scan", str(tmp_path / "new.txt"), "--engine", "spark", "--index", str(tmp_path / "none")],
    )
    assert result.exit_code != 0
    assert (
        "none: neither an index (index.sqlite) nor an index export (no such folder)"
        in result.output
    )


@pytest.mark.parametrize(
    "texts",
    [{"a": "你好。\n……\n你好。\n", "b": "你好。\n***\n……\n"}, {"a": "\n"}],
    ids=["short and punctuation lines only", "no paragraph"],
)
def test_corpora_with_nothing_to_sign(spark: object, texts: dict[str, str]) -> None:
    _same(dedup.scan(texts, progress=False), dedup.scan(texts, progress=False, engine="spark"))


def test_master_without_spark_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("一段文字。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(tmp_path), "--master", "local[2]"])
    assert result.exit_code == 2
    assert "--master needs --engine spark" in result.output
