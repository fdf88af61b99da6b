from __future__ import annotations

import json
import os
import random
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import dedup
from tests.conftest import run_dedup, sighan_lines

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


def _scan_report(folder: Path, tmp_path: Path, *args: str) -> dict[str, Any]:
    report = tmp_path / "report.json"
    result = run_dedup("scan", folder, "--quiet", "--report", report, *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""  # --quiet
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return data


def test_every_config_knob_is_an_option_and_reaches_the_run(
    seed_folder: Path, tmp_path: Path
) -> None:
    given = {
        "threshold": 0.8,
        "containment": 0.95,
        "lsh_threshold": 0.6,
        "shingle": "word",
        "ngram": 2,
        "num_perm": 64,
        "min_chars": 5,
        "seed": 7,
        "workers": 2,
        "keep": "longest",
        "boilerplate": "drop",
        "boilerplate_docs": 3,
    }
    args = [str(a) for k, v in given.items() for a in (f"--{k.replace('_', '-')}", v)]
    assert _scan_report(seed_folder, tmp_path, *args)["config"] == given


def test_each_matching_option_changes_what_is_found(seed_folder: Path, tmp_path: Path) -> None:
    # In the simplified copy, the longest line (243 characters) is cut to 140 with one
    # character changed: Jaccard about 0.55 to its three copies, containment about 0.98.
    simplified = seed_folder / "page_simplified.txt"
    lines = simplified.read_text(encoding="utf-8").split("\n")
    body = max(range(len(lines)), key=lambda i: len(lines[i]))
    lines[body] = lines[body][:70] + "甲" + lines[body][71:140]
    simplified.write_text("\n".join(lines), encoding="utf-8")
    cut = f"page_simplified.txt:{body + 1}"

    # The options reach the Config (the test above); here each Config field has its effect
    # (in this process: a subprocess per setting would cost a second each).
    def found(**settings: Any) -> set[tuple[str, ...]]:
        report = dedup.scan(seed_folder, dedup.Config(**settings), progress=False)
        return {tuple(sorted(f"{m.path}:{m.line}" for m in c.members)) for c in report.clusters}

    def matched(**settings: Any) -> bool:
        report = dedup.scan(seed_folder, dedup.Config(**settings), progress=False)
        inside = {f"{c.path}:{c.line}" for c in report.contained}  # found inside another
        return cut in inside or any(cut in cluster for cluster in found(**settings))

    low = {"lsh_threshold": 0.3}  # LSH proposes the pair whatever the seed
    assert matched(**low)  # by containment
    assert not matched(**low, containment=1.0)  # Jaccard 0.55 < 0.7
    assert matched(**low, containment=1.0, threshold=0.5)
    assert not matched(**low, min_chars=1000)  # too short for near matching
    # LSH at 0.95 does not propose the cut copy; the fragment anchors do (issue 12).
    assert matched(lsh_threshold=0.95)
    base = found(**low)
    assert found(**low, workers=2) == base
    exact = {c for c in base if cut not in c}  # the page's exact and script copies
    assert exact <= found(**low, shingle="word", ngram=2, seed=5, num_perm=32)
    # 50-character shingles: the changed character breaks 50 of the copy's 91.
    assert not matched(**low, ngram=50)


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run_dedup("scan", tmp_path / "nope")
    assert result.returncode == 2
    assert f"{tmp_path / 'nope'}: no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr and "Usage:" not in result.stderr


def test_clean_refuses_output_inside_input(seed_folder: Path) -> None:
    result = run_dedup("clean", seed_folder, "--out", seed_folder / "out")
    assert result.returncode == 2
    assert "inside the input folder" in result.stderr
    assert not (seed_folder / "out").exists()


def test_clean_writes_the_deduplicated_copy(seed_folder: Path, tmp_path: Path) -> None:
    result = run_dedup("clean", seed_folder, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "repeated paragraph(s) removed" in result.stdout
    assert "Did not write 1 file(s) that would be empty" in result.stdout
    assert "1 document(s) wholly repeat others" in result.stdout
    assert (tmp_path / "out" / "page_simplified.txt").exists()
    assert not (tmp_path / "out" / "page_traditional.txt").exists()


def test_bundled_sample_scans(tmp_path: Path) -> None:
    result = run_dedup(
        "scan", ROOT / "examples" / "sample", "--quiet", "--report", tmp_path / "r.json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["summary"]["clusters_both"] >= 5


REPEATED = "这一段在两个文件里都出现了，第二次出现的应该被删掉。"


def test_a_single_file_is_an_input(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"  # named on its own: read whatever its suffix
    path.write_text(f"{REPEATED}\n独有的一段。\n{REPEATED}\n", encoding="utf-8")
    (tmp_path / "other.txt").write_text(f"{REPEATED}\n", encoding="utf-8")  # not given
    data = _scan_report(path, tmp_path)
    assert data["files"] == [{"path": "notes.md", "encoding": "utf-8", "paragraphs": 3}]
    assert [[m["line"] for m in c["members"]] for c in data["clusters"]] == [[1, 3]]
    result = run_dedup("clean", path, "--out", tmp_path / "out", "--quiet")
    assert result.returncode == 0, result.stderr
    assert os.listdir(tmp_path / "out") == ["notes.md"]
    assert (tmp_path / "out" / "notes.md").read_text(
        encoding="utf-8"
    ) == f"{REPEATED}\n独有的一段。\n"


def test_several_paths_are_named_from_the_folder_that_holds_them(tmp_path: Path) -> None:
    for name in ("a/x.txt", "b/x.txt", "c.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(f"{REPEATED}\n", encoding="utf-8")
    data = _scan_report(tmp_path / "a", tmp_path, str(tmp_path / "b"), str(tmp_path / "c.txt"))
    assert [f["path"] for f in data["files"]] == ["a/x.txt", "b/x.txt", "c.txt"]
    assert data["summary"]["clusters_across"] == 1
    out = tmp_path.parent / f"{tmp_path.name}-out"
    result = run_dedup("clean", tmp_path / "a", tmp_path / "b", "--out", out, "--quiet")
    assert result.returncode == 0, result.stderr
    assert (out / "a" / "x.txt").read_text(encoding="utf-8") == f"{REPEATED}\n"
    assert not (out / "b" / "x.txt").exists()  # every line kept in a/x.txt: not written


def test_upper_case_suffixes_are_read_and_hidden_files_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    for name in ("A.TXT", "b.Txt", "c.txt", ".hidden.txt", ".git/x.txt", "sub/.venv/y.txt"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(f"{REPEATED}\n{name} 自己的一段话。\n", encoding="utf-8")
    names = [f["path"] for f in _scan_report(folder, tmp_path)["files"]]
    assert names == ["A.TXT", "b.Txt", "c.txt"]
    names = [f["path"] for f in _scan_report(folder, tmp_path, "--hidden")["files"]]
    assert names == [".git/x.txt", ".hidden.txt", "A.TXT", "b.Txt", "c.txt", "sub/.venv/y.txt"]


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    for name in ("a.txt", "b.md", "drafts/c.txt", "drafts/d.md", "e.TXT"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(f"{REPEATED}\n", encoding="utf-8")

    args = ["--include", "*.md", "--include", "*.txt", "--exclude", "drafts"]
    assert [f["path"] for f in _scan_report(folder, tmp_path, *args)["files"]] == [
        "a.txt", "b.md", "e.TXT"
    ]  # fmt: skip

    def names(include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> list[str]:
        report = dedup.scan(folder, select=dedup.Selection(include, exclude), progress=False)
        return [f.path for f in report.files]

    assert names() == ["a.txt", "drafts/c.txt", "e.TXT"]
    assert names(("*.md",)) == ["b.md", "drafts/d.md"]
    assert names(exclude=("drafts",)) == ["a.txt", "e.TXT"]  # a folder, and all below it
    assert names(exclude=("*.txt",)) == []  # globs ignore case, like the suffix
    assert names(("drafts/*",), ("*.md",)) == ["drafts/c.txt"]


def test_nothing_found_says_what_was_there(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.md", "b.md", "c.md", "d.docx", ".notes.txt"):
        (folder / name).write_text("{}", encoding="utf-8")
    for command in (["scan", "--quiet"], ["clean", "--out", tmp_path / "out"]):
        result = run_dedup(command[0], folder, *command[1:])
        assert result.returncode == 0, result.stderr
        assert (
            f"no .csv/.json/.jsonl/.parquet/.tsv/.txt files under {folder} (found 3 .md, "
            "1 .docx) (1 hidden file(s) or folder(s) skipped); use --include to choose files, "
            "--hidden to read hidden ones"
        ) in result.stderr
    assert not (tmp_path / "out").exists()


def test_exit_code_1_only_with_strict_when_a_file_was_skipped(
    seed_folder: Path, tmp_path: Path
) -> None:
    assert run_dedup("scan", seed_folder, "--quiet", "--strict").returncode == 0
    (seed_folder / "empty.txt").write_bytes(b"")
    result = run_dedup("scan", seed_folder)
    assert result.returncode == 0
    assert "empty.txt: empty file (0 bytes)" in result.stderr
    assert "cluster(s) of repeated paragraphs" in result.stdout
    # Quiet: no summary, but the error and the reason for exit code 1 still reach stderr.
    strict = run_dedup("scan", seed_folder, "--quiet", "--strict")
    assert strict.returncode == 1
    assert strict.stdout == ""
    assert "empty.txt: empty file (0 bytes)" in strict.stderr
    assert "--strict: 1 file(s) could not be used (listed above); exit code 1" in strict.stderr
    out = tmp_path / "out"
    strict = run_dedup("clean", seed_folder, "--out", out, "--quiet", "--strict")
    assert strict.returncode == 1
    assert "--strict: 1 file(s) could not be used" in strict.stderr
    assert sorted(p.name for p in out.iterdir()) == ["page_simplified.txt"]  # the other: empty


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
    assert "would be read as one" in result.stderr
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


def test_progress_bar_shows_on_a_terminal_only(seed_folder: Path, tmp_path: Path) -> None:
    shown = _on_terminal("scan", seed_folder, "--report", tmp_path / "r.json")
    assert "scanning" in shown and "file" in shown  # tqdm's bar, with its unit
    assert "writing report" in shown and "cluster" in shown  # and writing the report
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


def test_keep_longest_and_boilerplate_drop_from_the_command_line(tmp_path: Path) -> None:
    lines = [line for line in sighan_lines("msr_test.utf8") if 40 <= len(line) <= 90][:12]
    folder = tmp_path / "in"
    folder.mkdir()
    footer = "本网站所有内容均受版权保护，未经许可不得转载。"
    full = lines[0] + lines[1]
    (folder / "a.txt").write_text(f"{full[:-8]}\n{lines[2]}\n{footer}\n", encoding="utf-8")
    (folder / "b.txt").write_text(f"{full}\n{lines[3]}\n{footer}\n", encoding="utf-8")
    for i in range(4, 8):
        (folder / f"c{i}.txt").write_text(f"{lines[i]}\n{lines[i + 4]}\n{footer}\n", "utf-8")
    out = tmp_path / "out"
    result = run_dedup(
        "clean", folder, "--out", out, "--keep", "longest", "--boilerplate", "drop", "--quiet"
    )
    assert result.returncode == 0, result.stderr
    assert (out / "a.txt").read_text(encoding="utf-8") == f"{lines[2]}\n"  # its cut copy goes
    assert (out / "b.txt").read_text(encoding="utf-8") == f"{full}\n{lines[3]}\n"
    assert not any(footer in p.read_text(encoding="utf-8") for p in out.iterdir())
    assert run_dedup("scan", folder, "--keep", "newest").returncode == 2


# Outputs: only regular files, checked before any work.


def _device(path: Path) -> str:
    """A character device like /dev/null at ``path`` (we may be root), else a FIFO; its
    kind as the refusal names it."""
    null = os.stat("/dev/null")
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, null.st_rdev)
        return "a character device"
    except (PermissionError, OSError):
        os.mkfifo(path)
        return "a FIFO (named pipe)"


def test_report_to_a_device_is_refused_and_the_device_stays(
    seed_folder: Path, tmp_path: Path
) -> None:
    device = tmp_path / "null"
    kind = _device(device)
    link = tmp_path / "link-to-null"
    link.symlink_to(device)
    (seed_folder / "empty.txt").write_bytes(b"")  # would be reported if the scan ran
    for target in (device, link):
        result = run_dedup("scan", seed_folder, "--report", target)
        assert result.returncode == 2
        assert f"--report {target}: is {kind}, not a regular file" in result.stderr
        assert "Usage:" not in result.stderr and "Traceback" not in result.stderr
        assert "empty.txt" not in result.stderr and result.stdout == ""  # before the scan
    mode = os.lstat(device).st_mode
    assert stat.S_ISCHR(mode) if kind == "a character device" else stat.S_ISFIFO(mode)
    assert os.readlink(link) == str(device)
    result = run_dedup("clean", seed_folder, "--out", device)
    assert result.returncode == 2
    assert f"--out {device}: is {kind}; give a folder for --out" in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["corpus", "link-to-null", "null"]


def test_report_dash_writes_json_to_stdout_and_the_summary_to_stderr(
    seed_folder: Path, tmp_path: Path
) -> None:
    result = run_dedup("scan", seed_folder, "--report", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["summary"]["files"] == 2 and data["clusters"]
    assert "cluster(s) of repeated paragraphs" in result.stderr
    assert not (tmp_path / "-").exists()


def test_an_unwritable_output_fails_before_the_scan(seed_folder: Path, tmp_path: Path) -> None:
    (seed_folder / "empty.txt").write_bytes(b"")  # would be reported if the scan ran
    blocker = tmp_path / "a-file"
    blocker.write_text("a regular file, not a folder", encoding="utf-8")
    cases = [
        (["scan", seed_folder, "--report", blocker / "r.json"], f"--report {blocker / 'r.json'}"),
        (["clean", seed_folder, "--out", blocker / "out"], f"--out {blocker / 'out'}"),
        (
            ["clean", seed_folder, "--out", tmp_path / "o", "--report", blocker / "x" / "r.json"],
            f"--report {blocker / 'x' / 'r.json'}",
        ),
    ]
    for command, shown in cases:
        result = run_dedup(*command)
        assert result.returncode == 2, result.stderr
        assert f"{shown}: cannot be created, {blocker} is a file, not a folder" in result.stderr
        assert "empty.txt" not in result.stderr and result.stdout == ""  # no scan ran
        assert "Usage:" not in result.stderr and ".tmp" not in result.stderr
    assert not (tmp_path / "o").exists()


def test_a_read_only_folder_is_found_before_the_scan(seed_folder: Path, tmp_path: Path) -> None:
    # Root ignores permission bits; an immutable folder stops even root.
    locked = tmp_path / "locked"
    locked.mkdir()
    (seed_folder / "empty.txt").write_bytes(b"")  # would be reported if the scan ran
    if subprocess.run(["chattr", "+i", locked], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        for command, shown in (
            (["scan", seed_folder, "--report", locked / "r.json"], f"--report {locked}/r.json"),
            (["clean", seed_folder, "--out", locked / "out"], f"--out {locked}/out"),
            (["clean", seed_folder, "--out", locked], f"--out {locked}"),
        ):
            result = run_dedup(*command)
            assert result.returncode == 2, result.stderr
            assert f"{shown}: cannot be written (Operation not permitted in " in result.stderr
            assert "empty.txt" not in result.stderr and result.stdout == ""  # no scan ran
            assert "Usage:" not in result.stderr and ".tmp" not in result.stderr
        assert os.listdir(locked) == []
    finally:
        subprocess.run(["chattr", "-i", locked], check=True)


def test_a_write_that_fails_during_the_run_has_its_own_message_and_code(
    seed_folder: Path, tmp_path: Path
) -> None:
    # Standard output that is a full disk: the JSON cannot be written.
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "dedup", "scan", seed_folder, "--report", "-"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
    assert result.returncode == 3
    assert "--report -: standard output cannot be written (No space left on device)" in (
        result.stderr
    )
    assert "Usage:" not in result.stderr and "Traceback" not in result.stderr
    # A folder where clean must write a file: found only when it comes to that file.
    out = tmp_path / "out"
    (out / "page_simplified.txt").mkdir(parents=True)
    result = run_dedup("clean", seed_folder, "--out", out, "--force")
    assert result.returncode == 3
    assert f"{out / 'page_simplified.txt'}: is a folder, not a regular file" in result.stderr
    assert "Usage:" not in result.stderr and ".tmp" not in result.stderr


def test_report_members_caps_the_members_listed_but_not_the_counts(
    seed_folder: Path, tmp_path: Path
) -> None:
    full = _scan_report(seed_folder, tmp_path)
    capped = _scan_report(seed_folder, tmp_path, "--report-members", "2")
    assert capped["summary"] == {**full["summary"], "seconds": capped["summary"]["seconds"]}
    assert len(capped["clusters"]) == len(full["clusters"])
    for whole, cut in zip(full["clusters"], capped["clusters"]):
        assert cut["size"] == whole["size"] == len(whole["members"])
        assert cut["members"] == whole["members"][:2]
        assert cut.get("members_omitted", 0) == max(whole["size"] - 2, 0)
    assert max(c["size"] for c in capped["clusters"]) > 2


def test_errors_replace_reads_a_damaged_file_and_warns(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = f"{REPEATED}\n后面还有一段完整的文字，用来确认其余部分照常读取。\n"
    data = good.encode("utf-8")
    (folder / "damaged.txt").write_bytes(data[:9] + b"\xff\xfe" + data[9:])
    (folder / "good.txt").write_text(f"{REPEATED}\n", encoding="utf-8")
    strict = run_dedup("scan", folder, "--quiet")
    assert "damaged.txt: not valid UTF-8 at byte 9" in strict.stderr
    report = tmp_path / "r.json"
    result = run_dedup("scan", folder, "--quiet", "--errors", "replace", "--report", report)
    assert result.returncode == 0, result.stderr
    assert "1 file(s) read with warnings:" in result.stderr  # even with --quiet
    assert "damaged.txt: read as utf-8 with 2 undecodable byte sequence(s) replaced" in (
        result.stderr
    )
    data_out = json.loads(report.read_text(encoding="utf-8"))
    assert data_out["errors"] == []
    assert [w["path"] for w in data_out["warnings"]] == ["damaged.txt"]
    assert [f["path"] for f in data_out["files"]] == ["damaged.txt", "good.txt"]
    [cluster] = data_out["clusters"]  # the damaged line still matches its good copy
    assert "\ufffd\ufffd" in cluster["members"][0]["text"]
    out = tmp_path / "out"
    assert run_dedup("clean", folder, "--out", out, "--errors", "replace", "-q").returncode == 0
    # The damaged copy is kept first, but it does not hold the good line's sentence intact
    # (U+FFFD stands inside it), so the good copy stays too: its text survives whole.
    assert (out / "good.txt").read_text(encoding="utf-8") == f"{REPEATED}\n"
