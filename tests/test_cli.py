from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import dedup
from tests.conftest import run_dedup

ROOT = Path(__file__).resolve().parents[1]


def test_scan_writes_report_and_prints_summary(seed_folder: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = run_dedup("scan", seed_folder, "--report", report)
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
    result = run_dedup("scan", seed_folder, *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run_dedup("scan", tmp_path / "nope")
    assert result.returncode == 2
    assert "no such folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_clean_refuses_output_inside_input(seed_folder: Path) -> None:
    result = run_dedup("clean", seed_folder, "--out", seed_folder / "out")
    assert result.returncode == 2
    assert "inside the input folder" in result.stderr
    assert not (seed_folder / "out").exists()


def test_clean_writes_the_deduplicated_copy(seed_folder: Path, tmp_path: Path) -> None:
    result = run_dedup("clean", seed_folder, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "repeated paragraph(s) removed" in result.stdout
    assert (tmp_path / "out" / "page_traditional.txt").exists()


def test_bundled_sample_scans(tmp_path: Path) -> None:
    result = run_dedup(
        "scan", ROOT / "examples" / "sample", "--quiet", "--report", tmp_path / "r.json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["summary"]["clusters_both"] >= 5


def test_folder_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("内容", encoding="utf-8")
    for command in (["scan", path], ["clean", path, "--out", tmp_path / "out"]):
        result = run_dedup(*command)
        assert result.returncode == 2
        assert "is a file, not a folder" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_empty_folder_says_so_and_exits_0(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.md").write_text("not a .txt file", encoding="utf-8")
    for command in (["scan", "--quiet"], ["clean", "--out", tmp_path / "out"]):
        result = run_dedup(command[0], tmp_path / "in", *command[1:])
        assert result.returncode == 0, result.stderr
        assert ".txt, .jsonl, .json, .csv, .tsv or .parquet files found under" in result.stderr
        assert str(tmp_path / "in") in result.stderr
    assert not (tmp_path / "out").exists()


def test_exit_code_1_only_with_strict_when_a_file_was_skipped(
    seed_folder: Path, tmp_path: Path
) -> None:
    assert run_dedup("scan", seed_folder, "--quiet", "--strict").returncode == 0
    (seed_folder / "empty.txt").write_bytes(b"")
    result = run_dedup("scan", seed_folder)
    assert result.returncode == 0
    assert "empty.txt: empty file (0 bytes)" in result.stdout
    assert run_dedup("scan", seed_folder, "--quiet", "--strict").returncode == 1
    out = tmp_path / "out"
    assert run_dedup("clean", seed_folder, "--out", out, "--quiet", "--strict").returncode == 1
    assert sorted(p.name for p in out.iterdir()) == ["page_simplified.txt", "page_traditional.txt"]


def test_unknown_encoding_is_a_usage_error(seed_folder: Path) -> None:
    result = run_dedup("scan", seed_folder, "--encoding", "klingon")
    assert result.returncode == 2
    assert "--encoding klingon: unknown encoding" in result.stderr


def test_forced_encoding_and_keep_encoding(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = "這一段重複了兩次，第二次應該被刪掉。\n這一段重複了兩次，第二次應該被刪掉。\n"
    (folder / "big5.txt").write_bytes(text.encode("big5"))
    report = tmp_path / "report.json"
    result = run_dedup(
        "clean", folder, "--out", tmp_path / "out", "--encoding", "big5", "--report", report
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(report.read_text(encoding="utf-8"))["files"] == [
        {"path": "big5.txt", "encoding": "big5", "paragraphs": 2}
    ]
    once = text.splitlines()[0] + "\n"
    assert (tmp_path / "out" / "big5.txt").read_bytes() == once.encode("utf-8")
    result = run_dedup("clean", folder, "--out", tmp_path / "kept", "--keep-encoding")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "kept" / "big5.txt").read_bytes() == once.encode("cp950")


def test_report_replaces_the_old_one_atomically(seed_folder: Path, tmp_path: Path) -> None:
    report = tmp_path / "reports" / "report.json"
    report.parent.mkdir()
    report.write_text("old report", encoding="utf-8")
    old_inode = report.stat().st_ino
    result = run_dedup("scan", seed_folder, "--quiet", "--report", report)
    assert result.returncode == 0, result.stderr
    assert json.loads(report.read_text(encoding="utf-8"))["summary"]["files"] == 2
    assert report.stat().st_ino != old_inode  # renamed into place, never rewritten in place
    assert [p.name for p in report.parent.iterdir()] == ["report.json"]  # no temporary left


def test_report_path_that_would_overwrite_input_is_refused(seed_folder: Path) -> None:
    target = seed_folder / "page_simplified.txt"
    before = target.read_bytes()
    result = run_dedup("scan", seed_folder, "--report", target)
    assert result.returncode == 2
    assert "would be read as input" in result.stderr
    assert target.read_bytes() == before
    result = run_dedup("scan", seed_folder, "--report", seed_folder)
    assert result.returncode == 2
    assert "is a folder" in result.stderr


def test_non_empty_output_is_refused_without_force(seed_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("keep", encoding="utf-8")
    result = run_dedup("clean", seed_folder, "--out", out)
    assert result.returncode == 2
    assert "is not empty; give an empty folder or pass --force" in result.stderr
    assert [p.name for p in out.iterdir()] == ["old.txt"]
    assert run_dedup("clean", seed_folder, "--out", out, "--force", "--quiet").returncode == 0


# Interrupting `clean` while it writes: a real process, a real signal.

FILES = 1500
BOILERPLATE = "本网站所有内容均受版权保护，未经许可不得转载，违者必究。"


def _paragraphs(i: int) -> list[str]:
    rng = random.Random(i)
    pool = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
    return ["".join(rng.choice(pool) for _ in range(40)) + f"（{i}-{k}）" for k in range(3)]


@pytest.fixture(scope="module")
def large_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """FILES documents, each with its own paragraphs and the site's boilerplate."""
    folder = tmp_path_factory.mktemp("large")
    for i in range(FILES):
        a, b, c = _paragraphs(i)
        (folder / f"doc{i:05d}.txt").write_text(f"{a}\n{b}\n{BOILERPLATE}\n{c}\n", encoding="utf-8")
    return folder


def _expected(name: str) -> str:
    """What an uninterrupted clean writes for ``name``: the boilerplate only in the first."""
    i = int(name[3:8])
    a, b, c = _paragraphs(i)
    return f"{a}\n{b}\n{BOILERPLATE}\n{c}\n" if i == 0 else f"{a}\n{b}\n{c}\n"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_clean_leaves_only_complete_files(
    large_folder: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "dedup", "clean", large_folder, "--out", out, "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if out.is_dir() and any(e.name.endswith(".txt") for e in os.scandir(out)):
            break
        time.sleep(0.002)
    process.send_signal(sig)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + sig, f"finished before the signal? {stderr}"
    match = re.search(
        rf"interrupted: (\d+) of {FILES} file\(s\) written to (.+), each complete", stderr
    )
    assert match, stderr
    assert "no partial files" in stderr
    assert "Traceback" not in stderr + stdout
    names = sorted(os.listdir(out))
    assert len(names) == int(match.group(1)) < FILES
    for name in names:
        assert re.fullmatch(r"doc\d{5}\.txt", name), f"stray file {name}"
        assert (out / name).read_text(encoding="utf-8") == _expected(name)


def _on_terminal(*args: str | Path) -> str:
    """What `dedup` prints when its output is a terminal (a real pseudo-terminal)."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    # A new pseudo-terminal is 0 columns wide, where tqdm draws nothing: size it like a window.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "dedup", *map(str, args)],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed when the process ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_shows_on_a_terminal_only(seed_folder: Path) -> None:
    shown = _on_terminal("scan", seed_folder)
    assert "scanning" in shown and "file" in shown  # tqdm's bar, with its unit
    assert "cluster(s) of repeated paragraphs" in shown
    quiet = _on_terminal("scan", seed_folder, "--quiet")
    assert quiet.strip() == ""
    piped = run_dedup("scan", seed_folder)
    assert "scanning" not in piped.stderr + piped.stdout


@pytest.mark.parametrize(
    "option", [["--threshold", "0"], ["--workers", "0"], ["--num-perm", "8"], ["--min-chars", "0"]]
)
def test_settings_out_of_range_are_usage_errors(seed_folder: Path, option: list[str]) -> None:
    result = run_dedup("scan", seed_folder, *option)
    assert result.returncode == 2
    assert option[0].lstrip("-").replace("-", "_") in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("codec", ["base64", "rot13", "no-such-codec"])
def test_an_encoding_that_is_not_a_text_encoding_is_a_usage_error(
    seed_folder: Path, codec: str
) -> None:
    result = run_dedup("scan", seed_folder, "--encoding", codec)
    assert result.returncode == 2
    assert "unknown encoding" in result.stderr
    assert "Traceback" not in result.stderr


def test_version_and_default_workers() -> None:
    result = run_dedup("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"dedup, version {dedup.__version__}"
    assert dedup.Config().workers == len(os.sched_getaffinity(0))
    shown = " ".join(run_dedup("scan", "--help").stdout.split())
    assert "--workers INTEGER" in shown and "CPUs this process may use" in shown
