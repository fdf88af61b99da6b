"""The Spark engine finds what the local engine finds, cluster for cluster (Spark local[2]).

Skipped where Java or pyspark is missing, saying which; in CI (``CI=true``) a missing one
fails instead, so the engine is always tested there.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import opencc
import pytest
from click.testing import CliRunner

import dedup
from dedup import stages
from dedup.cli import main
from dedup.index import MAX_BUCKET_PAIRS, band_keys
from dedup.normalise import normalise_batch
from dedup.shingle import shingle_batch
from dedup.signature import signatures
from tests.conftest import sighan_lines


def _missing() -> str | None:
    for module in ("pyspark", "pyarrow", "pandas"):
        if importlib.util.find_spec(module) is None:
            return f'{module} is not installed (pip install "dedup[spark]")'
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java (17 or 21) is not installed"
    return None


if (_reason := _missing()) is not None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the Spark tests: {_reason}", pytrace=False)
    pytest.skip(f"Spark engine not tested: {_reason}", allow_module_level=True)


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    """One Spark session on two local cores for the whole module."""
    from dedup.executors.spark import session

    active = session("local[2]")
    yield active
    active.stop()


def _same(local: dedup.Report, other: dedup.Report) -> None:
    assert other.clusters == local.clusters
    assert other.contained == local.contained
    assert other.removed == local.removed
    assert other.duplicate_documents == local.duplicate_documents
    assert other.files == local.files
    assert other.errors == local.errors


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


def test_clusters_equal_the_local_engine(
    spark: object, news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small chunks: copies and their originals are signed by different Spark tasks.
    monkeypatch.setattr(stages, "CHUNK_CHARS", 3000)
    local = dedup.scan(news, progress=False)
    on_spark = dedup.scan(news, progress=False, engine="spark")
    assert len(local.clusters) >= 30
    assert {c.scope for c in local.clusters} >= {"within", "across"}
    assert any(not m.exact for c in local.clusters for m in c.members)
    assert [e.path for e in local.errors] == ["damaged.txt"]
    _same(local, on_spark)
    assert "spark_start" in on_spark.timings


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


def test_cli_report_clusters_byte_for_byte(spark: object, news: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for engine in ("local", "spark"):
        result = runner.invoke(
            main,
            ["scan", str(news), "--engine", engine, "--report", str(tmp_path / f"{engine}.json")],
        )
        assert result.exit_code == 0, result.output
    clusters = [
        json.dumps(json.loads((tmp_path / f"{e}.json").read_text("utf-8"))["clusters"])
        for e in ("local", "spark")
    ]
    assert clusters[0] == clusters[1]
    assert len(clusters[0]) > 1000


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


def test_clean_writes_the_same_files(spark: object, news: Path, tmp_path: Path) -> None:
    local = dedup.clean(news, tmp_path / "local", progress=False)
    on_spark = dedup.clean(news, tmp_path / "spark", progress=False, engine="spark")
    assert on_spark.files_written == local.files_written
    written = sorted(p.relative_to(tmp_path / "local") for p in (tmp_path / "local").rglob("*.txt"))
    assert written == sorted(
        p.relative_to(tmp_path / "spark") for p in (tmp_path / "spark").rglob("*.txt")
    )
    assert local.report.summary.duplicate_paragraphs > 20
    for name in written:
        assert (tmp_path / "spark" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


def test_rows_of_a_jsonl_file(spark: object, tmp_path: Path) -> None:
    """Rows are parsed on the driver and shipped in chunks, as texts given by name are."""
    lines = [line for line in sighan_lines("as_test.utf8") if len(line) >= 20][:60]
    rows = [{"id": i, "text": line} for i, line in enumerate(lines)]
    rows += [
        {"id": 100 + i, "text": line + "\n" + lines[i + 1]} for i, line in enumerate(lines[:20])
    ]
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    local = dedup.scan(path, progress=False, id_field="id")
    on_spark = dedup.scan(path, progress=False, id_field="id", engine="spark")
    assert len(local.clusters) >= 20
    _same(local, on_spark)
