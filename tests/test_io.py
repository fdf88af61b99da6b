"""Reading: encodings detected right on the real SIGHAN 2005 twins and on made-up samples."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import opencc
import pytest

import dedup
import dedup.io
from dedup.errors import InputError, OutputError, UnreadableFile
from dedup.io import (
    SAMPLE_BYTES,
    AtomicFiles,
    Selection,
    check_encoding,
    decode,
    decode_replacing,
    is_input_name,
    list_inputs,
    read_document,
    read_folder,
    write_atomic,
)
from tests.conftest import SEED_PAGE, SIGHAN

# Each legacy file, the encoding it must be read in, and its UTF-8 twin.
TWINS = {
    "as_test": "cp950",  # Big5 as Windows writes it
    "cityu_test": "big5hkscs",  # needs the Hong Kong characters
    "msr_test": "gb18030",  # GBK
    "pku_test": "gb18030",  # GBK
}


def twin_text(name: str) -> str:
    """The UTF-8 twin's text, BOM and CR aside."""
    return (SIGHAN / f"{name}.utf8").read_text(encoding="utf-8-sig").replace("\r", "")


@pytest.mark.parametrize("name", TWINS)
def test_legacy_file_decodes_to_its_utf8_twin(name: str) -> None:
    document = read_document(SIGHAN / f"{name}.txt", SIGHAN)
    assert document.encoding == TWINS[name]
    text, expected = document.text.replace("\r", ""), twin_text(name)
    assert len(text) == len(expected)
    differences = [(a, b) for a, b in zip(text, expected) if a != b]
    if name == "cityu_test":
        # Big5 A1 45 is U+2022 in Big5-HKSCS; the twin was made with U+2027.
        assert differences == [("\u2022", "\u2027")]
    else:
        assert differences == []
    assert text.splitlines() == expected.splitlines() or name == "cityu_test"


@pytest.fixture(scope="module")
def twin_report(tmp_path_factory: pytest.TempPathFactory) -> dedup.Report:
    folder = tmp_path_factory.mktemp("twins")
    (folder / "legacy").mkdir()
    (folder / "utf8").mkdir()
    for name in TWINS:
        (folder / "legacy" / f"{name}.txt").write_bytes((SIGHAN / f"{name}.txt").read_bytes())
        (folder / "utf8" / f"{name}.txt").write_bytes((SIGHAN / f"{name}.utf8").read_bytes())
    return dedup.scan(folder, progress=False)


def test_report_records_each_files_encoding(twin_report: dedup.Report) -> None:
    encodings = {f.path: f.encoding for f in twin_report.files}
    assert encodings == {
        **{f"legacy/{name}.txt": codec for name, codec in TWINS.items()},
        "utf8/as_test.txt": "utf-8",
        "utf8/cityu_test.txt": "utf-8-sig",  # the twin starts with a BOM
        "utf8/msr_test.txt": "utf-8",
        "utf8/pku_test.txt": "utf-8",
    }
    assert twin_report.errors == ()


@pytest.mark.parametrize("name", TWINS)
def test_every_legacy_line_clusters_with_its_twin(twin_report: dedup.Report, name: str) -> None:
    cluster_of = {(m.path, m.line): c.id for c in twin_report.clusters for m in c.members}
    lines = twin_text(name).split("\n")
    paragraphs = [n for n, line in enumerate(lines, start=1) if line.strip(" \u3000")]
    assert len(paragraphs) > 1000
    for line in paragraphs:
        legacy = cluster_of.get((f"legacy/{name}.txt", line))
        assert legacy is not None, f"{name} line {line} is in no cluster"
        assert legacy == cluster_of.get((f"utf8/{name}.txt", line)), f"{name} line {line}"


SEED = SEED_PAGE.read_text(encoding="utf-8")
SIMPLIFIED = opencc.OpenCC("t2s").convert(SEED)
HONG_KONG = "佢哋嘅𨋢壞咗，啲人要行樓梯。我哋喺度等緊。\n"

# (text, how it is stored, the encoding the report must name)
SAMPLES = [
    (SIMPLIFIED, "gb2312", "gb18030"),
    (SIMPLIFIED, "gbk", "gb18030"),
    (SIMPLIFIED, "gb18030", "gb18030"),
    (SEED, "gbk", "gb18030"),  # traditional characters stored as GBK
    ("臺灣的繁體中文，以標準 Big5 儲存。\n" * 20, "big5", "cp950"),
    (SEED, "cp950", "cp950"),
    (HONG_KONG, "big5hkscs", "big5hkscs"),
    (HONG_KONG, "gb18030", "gb18030"),
    ("這是一個測試。", "big5", "cp950"),  # a few characters are enough
    ("这是一个测试。", "gbk", "gb18030"),
    ("中", "big5", "cp950"),
    ("Hello, 中文 text 123", "big5", "cp950"),
    ("😀 emoji and 𠀀 (Ext. B) need GB18030's four-byte forms", "gb18030", "gb18030"),
    (SEED, "utf-8", "utf-8"),
    (SEED, "utf-8-sig", "utf-8-sig"),
    (SEED, "utf-16", "utf-16"),
    (SIMPLIFIED, "utf-16", "utf-16"),
    (SEED, "utf-32", "utf-32"),
    (SIMPLIFIED.replace("\n", "\r\n"), "gbk", "gb18030"),
    (SEED.replace("\n", "\r"), "cp950", "cp950"),
]


@pytest.mark.parametrize(("text", "stored", "reported"), SAMPLES)
def test_made_up_samples_decode_exactly(text: str, stored: str, reported: str) -> None:
    assert decode(text.encode(stored), "x.txt") == (text, reported)


def test_utf16_big_endian_with_bom() -> None:
    data = codecs.BOM_UTF16_BE + SEED.encode("utf-16-be")
    assert decode(data, "x.txt") == (SEED, "utf-16")


def test_english_header_longer_than_the_sample_does_not_hide_big5() -> None:
    text = "Plain ASCII header line.\n" * (SAMPLE_BYTES // 10) + SEED
    assert decode(text.encode("cp950"), "x.txt") == (text, "cp950")


def test_hong_kong_characters_after_the_sample_switch_to_big5_hkscs() -> None:
    text = SEED * 40 + HONG_KONG
    data = text.encode("big5hkscs")
    assert len(data) > 2 * SAMPLE_BYTES
    with pytest.raises(UnicodeDecodeError):
        data.decode("cp950")
    assert decode(data, "x.txt") == (text, "big5hkscs")


def test_crlf_and_cr_line_ends_give_the_same_paragraphs(tmp_path: Path) -> None:
    body = ["第一段很长的文字内容在这里。", "", "第二段", "第三段也在这里"]
    for name, newline in (("lf.txt", "\n"), ("crlf.txt", "\r\n"), ("cr.txt", "\r")):
        (tmp_path / name).write_bytes(newline.join(body).encode("gb18030"))
    report = dedup.scan(tmp_path, progress=False)
    assert {f.path: f.paragraphs for f in report.files} == {"cr.txt": 3, "crlf.txt": 3, "lf.txt": 3}
    assert {(m.path, m.line) for m in report.clusters[0].members} == {
        ("cr.txt", 1),
        ("crlf.txt", 1),
        ("lf.txt", 1),
    }


def test_forced_encoding_is_used_strictly(tmp_path: Path) -> None:
    data = "這是一個測試。".encode("big5")
    assert decode(data, "x.txt", "big5") == ("這是一個測試。", "big5")
    # Forced as GB18030, the same bytes decode (to other characters): the user asked.
    assert decode(data, "x.txt", "gb18030")[1] == "gb18030"
    with pytest.raises(UnreadableFile, match="not valid utf-8 at byte 0; try another --encoding"):
        decode(data, "x.txt", "utf-8")
    assert decode(codecs.BOM_UTF8 + b"abc", "x.txt", "utf-8") == ("abc", "utf-8-sig")
    with pytest.raises(InputError, match="unknown encoding"):
        check_encoding("no-such-codec")


def test_detection_looks_at_a_sample_even_of_a_long_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A page saved without line breaks: detection must not score (or hand to
    # charset-normalizer) the whole file, only a sample of it.
    line = "這是一段很長的文字，沒有換行，用來測試讀取。" * 25_000
    path = tmp_path / "long.txt"
    path.write_bytes(line.encode("cp950"))
    assert path.stat().st_size > 8 * SAMPLE_BYTES
    scored: list[int] = []

    def plausibility(text: str) -> float:
        scored.append(len(text))
        return real_plausibility(text)

    real_plausibility = dedup.io.plausibility
    monkeypatch.setattr(dedup.io, "plausibility", plausibility)
    document = read_document(path, tmp_path)
    assert document.encoding == "cp950"
    assert document.text == line
    assert scored and max(scored) <= SAMPLE_BYTES


def test_listing_is_done_before_reading_and_files_come_in_name_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "sub/c.txt", "a b.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(f"{name} 的内容", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not read", encoding="utf-8")
    names = [d.path for d in read_folder(tmp_path)]
    assert names == ["a b.txt", "a.txt", "b.txt", "sub/c.txt"]


def test_write_atomic_replaces_by_rename_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "out.txt"
    write_atomic(target, b"old")
    before = target.stat().st_ino
    write_atomic(target, "新的内容".encode())
    assert target.read_bytes() == "新的内容".encode()
    assert target.stat().st_ino != before  # a new file renamed in, not rewritten in place
    umask = os.umask(0o022)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # like any new file, not 0600
    assert sorted(os.listdir(target.parent)) == ["out.txt"]


def test_write_atomic_failure_names_the_path_and_keeps_what_was_there(tmp_path: Path) -> None:
    target = tmp_path / "taken.txt"
    target.mkdir()
    (target / "inside").write_text("kept", encoding="utf-8")
    with pytest.raises(OutputError, match=r"taken\.txt: is a folder, not a regular file"):
        write_atomic(target, b"data")
    assert (target / "inside").read_text(encoding="utf-8") == "kept"
    assert sorted(os.listdir(tmp_path)) == ["taken.txt"]  # no temporary file left


@pytest.fixture()
def synced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What ``os.fsync`` is called on from now on, in order: "file" or "folder" (the real
    ``fsync`` still runs)."""
    calls: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return calls


def test_write_atomic_flushes_the_file_and_then_its_folder(
    tmp_path: Path, synced: list[str]
) -> None:
    write_atomic(tmp_path / "out.txt", b"data")
    assert synced == ["file", "folder"]  # the rename is on disk too


def test_write_atomic_writes_through_a_link_and_never_over_a_device(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_atomic(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match=r"pipe: is a FIFO \(named pipe\), not a regular file"):
        write_atomic(fifo, b"data")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_atomic_files_are_in_place_only_once_their_batch_is_committed(tmp_path: Path) -> None:
    with AtomicFiles(batch_files=3) as batch:
        for i in range(7):
            batch.write(tmp_path / f"d{i % 2}" / f"{i}.txt", f"第{i}份".encode())
        assert batch.committed == 6  # two full batches; the seventh file waits
        assert not (tmp_path / "d0" / "6.txt").exists()
    assert batch.committed == 7
    for i in range(7):
        assert (tmp_path / f"d{i % 2}" / f"{i}.txt").read_bytes() == f"第{i}份".encode()
    assert not [n for d in ("d0", "d1") for n in os.listdir(tmp_path / d) if n.endswith(".tmp")]


def test_atomic_files_not_committed_are_removed_on_an_error(tmp_path: Path) -> None:
    (tmp_path / "2.txt").write_bytes(b"old")
    with pytest.raises(RuntimeError), AtomicFiles(batch_files=2) as batch:
        for i in range(3):
            batch.write(tmp_path / f"{i}.txt", b"new")
        raise RuntimeError("stopped")
    assert sorted(os.listdir(tmp_path)) == ["0.txt", "1.txt", "2.txt"]  # no temporary left
    assert (tmp_path / "1.txt").read_bytes() == b"new"  # committed: complete
    assert (tmp_path / "2.txt").read_bytes() == b"old"  # not committed: as it was


def test_atomic_files_sync_every_file_then_each_folder_once(
    tmp_path: Path, synced: list[str]
) -> None:
    with AtomicFiles() as batch:
        for name in ("a/1.txt", "a/2.txt", "b/3.txt", "b/4.txt"):
            batch.write(tmp_path / name, b"data")
    assert synced == ["file"] * 4 + ["folder"] * 2  # the files, then their two folders


def test_atomic_files_refuse_a_device_and_write_through_a_link(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    target = tmp_path / "real.txt"
    target.write_bytes(b"old")
    (tmp_path / "link.txt").symlink_to(target)
    with AtomicFiles() as batch:
        with pytest.raises(OutputError, match=r"pipe: is a FIFO \(named pipe\), not a regular"):
            batch.write(fifo, b"data")
        batch.write(tmp_path / "link.txt", b"new")
    assert target.read_bytes() == b"new" and (tmp_path / "link.txt").is_symlink()


def test_selection_and_listing(tmp_path: Path) -> None:
    for name in ("A.TXT", "b.md", ".h.txt", "sub/c.Txt", "sub/.venv/d.txt", "skip/e.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("中文内容", encoding="utf-8")
    assert is_input_name("X.TxT") and not is_input_name("x.txt.bak")
    listing = list_inputs([tmp_path], Selection(exclude=("skip",)))
    assert [f.name for f in listing.files] == ["A.TXT", "sub/c.Txt"]
    assert listing.passed_over == {".md": 1} and listing.hidden == 2
    listing = list_inputs([tmp_path / "sub", tmp_path / "b.md"], Selection(hidden=True))
    assert listing.root == tmp_path
    assert [f.name for f in listing.files] == ["b.md", "sub/.venv/d.txt", "sub/c.Txt"]
    empty = list_inputs([tmp_path], Selection(include=("*.csv",)))
    assert empty.entries == ()
    assert empty.nothing_found([tmp_path], Selection(include=("*.csv",))).startswith(
        f"no files matching '*.csv' under {tmp_path} (found 3 .txt, 1 .md) (2 hidden"
    )


def test_errors_replace_reads_damaged_text_but_never_binary(tmp_path: Path) -> None:
    good = SEED.encode("utf-8")
    damaged = good[:30] + b"\xff" + good[30:]
    with pytest.raises(UnreadableFile, match="not valid UTF-8 at byte 30"):
        decode(damaged, "x.txt")
    text, codec, warning = decode_replacing(damaged, "x.txt")
    assert (codec, text.count("\ufffd")) == ("utf-8", 1)
    assert text.replace("\ufffd", "") == SEED
    assert warning.startswith("read as utf-8 with 1 undecodable byte sequence(s) replaced")
    big5 = SEED.encode("cp950")
    assert decode_replacing(big5 + b"\xa4", "x.txt", "cp950")[0] == SEED + "\ufffd"
    assert decode_replacing(good, "x.txt") == (SEED, "utf-8", "")
    with pytest.raises(UnreadableFile, match="NUL byte"):
        decode_replacing(b"abc\x00def", "x.txt")
    (tmp_path / "d.txt").write_bytes(damaged)
    assert read_document(tmp_path / "d.txt", tmp_path, errors="replace").warning == warning


def test_an_unknown_errors_mode_is_refused_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="errors='ignore': give 'strict'"):
        dedup.scan(tmp_path, errors="ignore")
