"""Bad input, in real folders: each problem file is listed in `errors` by path with a reason,
the other files are processed, nothing is written over or deleted, no traceback."""

from __future__ import annotations

import hashlib
import json
import os
import random
import stat
import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

import dedup
from dedup import segment
from dedup.io import read_folder
from tests.conftest import run_dedup

GOOD = "这是一段正常的中文文字，用来确认其他文件照常处理。\n第二段也是正常的内容，长度足够。\n"


def tree_state(folder: Path) -> dict[bytes, tuple[object, ...]]:
    """Every entry under ``folder`` (bytes names, links not followed): its type and mode,
    and the SHA-256 of a file's bytes or a link's target."""
    state: dict[bytes, tuple[object, ...]] = {}
    root = os.fsencode(folder)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                state[path] = ("link", os.readlink(path))
            elif not stat.S_ISREG(info.st_mode):
                state[path] = ("other", info.st_mode)
            else:
                try:
                    digest = hashlib.sha256(Path(os.fsdecode(path)).read_bytes()).hexdigest()
                except PermissionError:
                    digest = "unreadable"
                state[path] = ("file", info.st_mode, info.st_size, digest)
    return state


def png_bytes() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _write(name: str, data: bytes) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        (folder / name).write_bytes(data)
        return name

    return make


def _folder_named_txt(folder: Path) -> str:
    (folder / "x.txt").mkdir()
    (folder / "x.txt" / "inner.txt").write_text(GOOD, encoding="utf-8")
    return "x.txt"


def _self_loop(folder: Path) -> str:
    os.symlink("loop.txt", folder / "loop.txt")
    return "loop.txt"


def _two_link_loop(folder: Path) -> str:
    os.symlink("b.txt", folder / "a.txt")
    os.symlink("a.txt", folder / "b.txt")
    return "a.txt"


def _dangling(folder: Path) -> str:
    os.symlink("gone.txt", folder / "dangling.txt")
    return "dangling.txt"


def _unreadable(folder: Path) -> str:
    if os.geteuid() == 0:
        pytest.skip("running as root: a mode-000 file is still readable")
    path = folder / "secret.txt"
    path.write_text(GOOD, encoding="utf-8")
    path.chmod(0)
    return "secret.txt"


def _fifo(folder: Path) -> str:
    os.mkfifo(folder / "pipe.txt")
    return "pipe.txt"


_random = random.Random(1)
NO_ENCODING = bytes(_random.randrange(0x80, 0x100) for _ in range(3000))
DAMAGED_UTF8 = GOOD.encode("utf-8")[:40] + b"\xff\xfe\xfd" + GOOD.encode("utf-8")[40:]

# name: (make the bad entry, the reason that must be given)
CASES: dict[str, tuple[Callable[[Path], str], str]] = {
    "empty": (_write("empty.txt", b""), "empty file (0 bytes)"),
    "whitespace": (_write("blank.txt", " \n\t\u3000\r\n\n".encode()), "only whitespace"),
    "png": (_write("image.txt", png_bytes()), "binary file (a PNG image), not text"),
    "nul": (_write("nul.txt", "中文\x00文字".encode()), "binary file (NUL byte at byte 6)"),
    "controls": (_write("ctl.txt", b"ab\x01\x02\x03\x04\x05\x06" * 50), "many control bytes"),
    "no encoding": (_write("noise.txt", NO_ENCODING), "not text in any known encoding"),
    "damaged utf-8": (_write("damaged.txt", DAMAGED_UTF8), "not valid UTF-8 at byte 39"),
    "bad bom": (_write("bom.txt", b"\xff\xfe" + "中文".encode("utf-16-le") + b"\x00"), "damaged"),
    "folder named x.txt": (_folder_named_txt, "is a folder, not a file"),
    "self symlink": (_self_loop, "symbolic link loop"),
    "symlink loop": (_two_link_loop, "symbolic link loop"),
    "dangling symlink": (_dangling, "dangling symbolic link: it points to gone.txt"),
    "unreadable": (_unreadable, "permission denied"),
    "fifo": (_fifo, "not a regular file"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_file_is_reported_and_the_run_goes_on(case: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "zz_good.txt").write_text(GOOD, encoding="utf-8")
    make, reason = CASES[case]
    name = make(folder)
    before = tree_state(folder)

    report = dedup.scan(folder, progress=False)
    errors = {e.path: e.reason for e in report.errors}
    assert name in errors, errors
    assert reason in errors[name]
    assert {"good.txt", "zz_good.txt"} <= {f.path for f in report.files}
    assert report.summary.files_with_errors == len(report.errors)
    assert report.clusters  # the two good files were compared

    result = dedup.clean(folder, tmp_path / "out", progress=False)
    assert (tmp_path / "out" / "good.txt").read_text(encoding="utf-8") == GOOD
    assert not (tmp_path / "out" / "zz_good.txt").exists()  # wholly a repeat: not written
    assert not (tmp_path / "out" / name).is_file()
    assert name in {e.path for e in result.errors}
    assert tree_state(folder) == before


def test_folder_named_txt_is_reported_and_its_files_still_read(tmp_path: Path) -> None:
    _folder_named_txt(tmp_path)
    assert [f.path for f in dedup.scan(tmp_path, progress=False).files] == ["x.txt/inner.txt"]


def test_symlink_to_a_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text(GOOD, encoding="utf-8")
    os.symlink("real.txt", tmp_path / "link.txt")
    os.symlink(tmp_path, tmp_path / "back")  # a linked folder (a loop) is not followed
    report = dedup.scan(tmp_path, progress=False)
    assert [f.path for f in report.files] == ["link.txt", "real.txt"]
    assert report.errors == ()


def test_unlistable_folder_is_reported(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: a mode-000 folder is still listable")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(GOOD, encoding="utf-8")
    locked.chmod(0)
    try:
        report = dedup.scan(tmp_path, progress=False)
    finally:
        locked.chmod(0o755)
    assert [(e.path, "permission denied" in e.reason) for e in report.errors] == [("locked/", True)]


def test_file_deleted_between_listing_and_reading(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(GOOD, encoding="utf-8")
    items = read_folder(tmp_path)
    first = next(items)  # the folder is listed, then a.txt is read
    (tmp_path / "b.txt").unlink()
    rest = list(items)
    assert first.path == "a.txt"
    assert [(type(i).__name__, i.path) for i in rest] == [
        ("SkippedFile", "b.txt"),
        ("Document", "c.txt"),
    ]
    assert "vanished before it could be read" in rest[0].reason  # type: ignore[union-attr]


def test_a_single_very_long_line(tmp_path: Path) -> None:
    # A page saved without line breaks, in GB18030, next to a short copy of its start. One
    # line longer than a chunk of work (stages.CHUNK_CHARS, 262,144 characters), than the
    # encoding sample and than a block of MinHash work: the paths a 20 MB line takes. A line
    # of more than segment.LONG_LINE characters is cut at the first sentence end past that
    # length into lines of its own, in the scan and in clean alike.
    sentence = "这是一段没有换行的很长的网页正文，保存的时候丢掉了所有换行符。"
    line = sentence * 10_000
    (tmp_path / "long.txt").write_bytes(line.encode("gb18030"))
    assert len(line) > 300_000
    (tmp_path / "short.txt").write_text(line[:3000] + "\n" + sentence + "\n", encoding="utf-8")
    config = dedup.Config(workers=1)
    report = dedup.scan(tmp_path, config, progress=False)
    assert report.errors == ()
    # Each cut is whole sentences: 2,115 of them (65,565 characters, the first sentence end
    # past 65,536), the last one the rest. The line repeats one sentence, so every cut's
    # shingle set is that sentence's: all are one cluster, found through MinHash.
    piece = sentence * (segment.LONG_LINE // len(sentence) + 1)
    [cluster] = report.clusters
    assert [(m.path, m.line, m.text) for m in cluster.members] == [
        *(("long.txt", n, piece) for n in range(1, 5)),
        ("long.txt", 5, line[4 * len(piece) :]),
        ("short.txt", 1, line[:3000]),
        ("short.txt", 2, sentence),
    ]
    assert {f.path: (f.encoding, f.paragraphs) for f in report.files} == {
        "long.txt": ("gb18030", 5),
        "short.txt": ("utf-8", 2),
    }
    # clean keeps the first cut and removes the others from the line (each repeats it).
    result = dedup.clean(tmp_path, tmp_path.parent / "out", config, progress=False)
    assert (result.files_written, result.files_empty) == (1, 1)  # short.txt: all in long.txt
    assert (tmp_path.parent / "out" / "long.txt").read_text(encoding="utf-8") == piece


def test_a_very_deep_tree(tmp_path: Path) -> None:
    # Deeper than Python's recursion limit: recursive walkers (os.walk in Python 3.11,
    # Path.mkdir(parents=True)) fail here.
    depth = sys.getrecursionlimit() + 100
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "top.txt").write_text(GOOD, encoding="utf-8")
    fd = os.open(folder, os.O_RDONLY)
    for _ in range(depth):
        os.mkdir("d", dir_fd=fd)
        fd, old = os.open("d", os.O_RDONLY, dir_fd=fd), fd
        os.close(old)
    with open(os.open("bottom.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as f:
        f.write(GOOD)
    os.close(fd)
    bottom = "d/" * depth + "bottom.txt"
    out = tmp_path / "out"
    try:
        report = dedup.scan(folder, progress=False)
        assert [f.path for f in report.files] == [bottom, "top.txt"]
        assert report.clusters[0].members[1].path == "top.txt"
        dedup.clean(folder, out, progress=False)
        assert (out / bottom).read_text(encoding="utf-8") == GOOD
        assert not (out / "top.txt").exists()
    finally:
        remove_chain(folder)  # pytest's clean-up (shutil.rmtree) recurses too
        remove_chain(out)


def remove_chain(folder: Path) -> None:
    """Delete the nested ``d`` folders under ``folder``, deepest first, without recursion."""
    chain = [folder / "d"]
    while (chain[-1] / "d").is_dir():
        chain.append(chain[-1] / "d")
    for path in reversed(chain):
        if path.is_dir():
            for child in path.iterdir():
                if not child.is_dir():
                    child.unlink()
            path.rmdir()


NAMES = {
    "with space.txt": "with space.txt",
    "中文 名字.txt": "中文 名字.txt",
    b"caf\xe9.txt": "caf\\xe9.txt",  # Latin-1, not UTF-8
    b"\xb2\xe2\xca\xd4.txt": "\\xb2\\xe2\\xca\\xd4.txt",  # 测试 in GBK
}


def test_file_names_with_spaces_cjk_and_non_utf8_bytes(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for i, name in enumerate(NAMES):
        path = os.path.join(os.fsencode(folder), os.fsencode(name))
        with open(path, "wb") as f:
            f.write(f"{GOOD}每个文件自己的一段话，编号 {i}，不会重复。\n".encode())
    before = tree_state(folder)
    result = dedup.clean(folder, out, progress=False)
    report = result.report
    assert report.errors == ()
    assert sorted(f.path for f in report.files) == sorted(NAMES.values())
    json.loads(report.to_json())  # the names are valid Unicode
    written = {os.fsencode(name) for name in NAMES}
    assert set(os.listdir(os.fsencode(out))) == written  # the same bytes, in OUT
    first = report.clusters[0].first.path
    for name, shown in NAMES.items():
        text = Path(os.fsdecode(os.path.join(os.fsencode(out), os.fsencode(name)))).read_text()
        assert ("第二段也是正常的内容" in text) == (shown == first)
        assert "每个文件自己的一段话" in text
    assert tree_state(folder) == before


def test_cli_on_a_folder_of_every_bad_case(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "zz_good.txt").write_text(GOOD, encoding="utf-8")
    (folder / b"caf\xe9.txt".decode(errors="surrogateescape")).write_text(GOOD, encoding="utf-8")
    expected = {}
    for case, (make, reason) in CASES.items():
        if case == "unreadable" and os.geteuid() == 0:
            continue  # covered above, where it is skipped with a reason
        sub = folder / case.replace(" ", "_")
        sub.mkdir()
        expected[f"{sub.name}/{make(sub)}"] = reason
    before = tree_state(folder)

    report_path = tmp_path / "report.json"
    scan = run_dedup("scan", folder, "--report", report_path)
    assert scan.returncode == 0, scan.stderr
    data = json.loads(report_path.read_text(encoding="utf-8"))
    errors = {e["path"]: e["reason"] for e in data["errors"]}
    for path, reason in expected.items():
        assert reason in errors.get(path, ""), (path, errors)
        assert f"{path}: " in scan.stderr  # listed on stderr too
    assert {"good.txt", "zz_good.txt", "caf\\xe9.txt"} <= {f["path"] for f in data["files"]}

    assert run_dedup("scan", folder, "--quiet", "--strict").returncode == 1
    clean = run_dedup("clean", folder, "--out", tmp_path / "out", "--quiet")
    assert clean.returncode == 0, clean.stderr
    cafe = tmp_path / "out" / b"caf\xe9.txt".decode(errors="surrogateescape")
    assert cafe.read_text(encoding="utf-8") == GOOD  # first in name order, so kept
    assert not (tmp_path / "out" / "good.txt").exists()
    for result in (scan, clean):
        assert "Traceback" not in result.stderr + result.stdout
    assert tree_state(folder) == before


def test_a_name_with_a_backslash_never_shows_as_another_files_name(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shared = "共同的重复段落内容出现在两个文件里。"
    raw = os.path.join(os.fsencode(folder), b"a\xff.txt")
    with open(raw, "wb") as handle:
        handle.write(f"第一个文件的内容是这些文字，不重复。\n{shared}\n".encode())
    (folder / "a\\xff.txt").write_text(f"{shared}\n第二个文件独有的内容在这里写着。\n", "utf-8")
    report = dedup.scan(folder, progress=False)
    assert sorted(f.path for f in report.files) == ["a\\\\xff.txt", "a\\xff.txt"]
    result = dedup.clean(folder, tmp_path / "out", progress=False)
    assert result.files_written == 2
    first = Path(
        os.fsdecode(os.path.join(os.fsencode(tmp_path / "out"), b"a\xff.txt"))
    ).read_bytes()
    assert "第一个文件的内容是这些文字" in first.decode()
    second = (tmp_path / "out" / "a\\xff.txt").read_text(encoding="utf-8")
    assert "第二个文件独有的内容在这里写着" in second
