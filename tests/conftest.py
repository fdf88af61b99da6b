"""Shared fixtures: the real texts in tests/data/ (see its README) that the tests run on."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import opencc
import pytest
from hypothesis import settings

from dedup.executors import spark_missing
from dedup.normalise import fold_batch
from dedup.transliterations import RegionalForms

# In CI, property tests draw the same examples every run: a red CI is reproducible, and
# new counterexamples are looked for in development runs.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SEED_PAGE = DATA / "seed" / "000_4a4ef90a3958df06.txt"
SIGHAN = DATA / "sighan2005"
# The benchmark helpers that some tests exercise read SIGHAN from $DEDUP_SHARED/data/: point
# them at the copy in the repository, so the suite needs nothing outside it.
os.environ["DEDUP_SHARED"] = str(ROOT / "tests")


def run_dedup(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The `dedup` command, as a user runs it, in a real subprocess (which inherits the
    session's private XDG_CACHE_HOME)."""
    return subprocess.run(
        [sys.executable, "-m", "dedup", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
        cwd=cwd,
    )


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the OpenCC table that normalise caches out of the user's ~/.cache: every test,
    and every `dedup` subprocess (they inherit the environment), uses a session folder."""
    cache = tmp_path_factory.mktemp("xdg-cache")
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache)
    yield cache
    if before is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = before


def sighan_lines(name: str) -> list[str]:
    """The non-blank lines of a SIGHAN 2005 test file, without BOM and CR."""
    text = (SIGHAN / name).read_text(encoding="utf-8-sig")
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_PAGE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@pytest.fixture()
def seed_folder(tmp_path: Path, seed_text: str, t2s: opencc.OpenCC) -> Path:
    """The real page as scraped, and a simplified-character copy of it, in one folder."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "page_traditional.txt").write_text(seed_text, encoding="utf-8")
    (folder / "page_simplified.txt").write_text(t2s.convert(seed_text), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    """One Spark session on two local cores for the whole run, started by the first test
    that asks for it: two shuffle partitions, no adaptive execution, the JVM tuned for
    short jobs (the data is small), no web UI, Spark's logs
    at warnings without start-up notices (`dedup.executors.spark.session`). Skipped where
    Spark cannot run, saying why; under ``CI=true`` that fails instead."""
    reason = spark_missing()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the Spark tests: {reason}", pytrace=False)
        pytest.skip(f"Spark engine not tested: {reason}")
    from dedup.executors.spark import session

    active = session(
        "local[2]",
        {
            "spark.ui.enabled": "false",
            "spark.sql.shuffle.partitions": "2",
            "spark.default.parallelism": "2",
            # Adaptive execution re-plans at every shuffle, a job each: on data this small
            # that costs more than it saves (the results do not depend on it).
            "spark.sql.adaptive.enabled": "false",
            # Short jobs: the JVM's quick compiler only, and one garbage-collector thread,
            # start and warm up in about half the time on two shared cores.
            "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        },
    )
    yield active
    active.stop()


def check_regional_table(classes: Sequence[RegionalForms]) -> dict[str, int]:
    """Check a table in the transliterations table's format: every form is CJK, no form (as
    the character table keys it) is in two classes, the mainland column is in simplified
    script. Each keyed form's line in the table."""
    assert all(re.fullmatch("[\u3400-\u4dbf\u4e00-\u9fff]+", f) for c in classes for f in c.forms)
    owner: dict[str, int] = {}
    for c in classes:
        for form in fold_batch(list(c.forms)):
            assert owner.setdefault(form, c.line) == c.line, (form, c)
    mainland = [c.mainland for c in classes]
    assert fold_batch(mainland) == mainland
    return owner
