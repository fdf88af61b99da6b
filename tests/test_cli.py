from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The installed command, as a user runs it, in a real subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "dedup", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )


def test_scan_writes_report_and_prints_summary(seed_folder: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = run("scan", seed_folder, "--report", report)
    assert result.returncode == 0, result.stderr
    assert "cluster(s) of repeated paragraphs" in result.stdout
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["summary"]["files"] == 2
    assert data["summary"]["clusters"] == len(data["clusters"]) > 0
    assert "Traceback" not in result.stderr


def test_every_config_knob_is_an_option(seed_folder: Path) -> None:
    args = ["--threshold", "0.8", "--containment", "0.95", "--lsh-threshold", "0.6"]
    args += ["--shingle", "char", "--ngram", "3", "--num-perm", "64", "--min-chars", "5"]
    args += ["--seed", "7", "--workers", "2", "--quiet"]
    result = run("scan", seed_folder, *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("scan", tmp_path / "nope")
    assert result.returncode == 2
    assert "no such folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_clean_refuses_output_inside_input(seed_folder: Path) -> None:
    result = run("clean", seed_folder, "--out", seed_folder / "out")
    assert result.returncode == 2
    assert "inside the input folder" in result.stderr
    assert not (seed_folder / "out").exists()


def test_clean_writes_the_deduplicated_copy(seed_folder: Path, tmp_path: Path) -> None:
    result = run("clean", seed_folder, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "repeated paragraph(s) removed" in result.stdout
    assert (tmp_path / "out" / "page_traditional.txt").exists()


def test_bundled_sample_scans(tmp_path: Path) -> None:
    result = run("scan", ROOT / "examples" / "sample", "--quiet", "--report", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["summary"]["clusters_both"] >= 5
