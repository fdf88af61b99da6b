"""Finding the input files, reading them in whatever encoding they came in, and writing
outputs atomically, only where a regular file may be written.

Every problem with one file (unreadable, binary, undecodable, a dangling link...) becomes a
`SkippedFile` with a reason a person understands; the run goes on with the other files.
Outputs are checked before any work (`check_output_file`, `check_output_folder`).
"""

from __future__ import annotations

import codecs
import errno
import fnmatch
import os
import re
import secrets
import stat
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import charset_normalizer

from .errors import InputError, OutputError, UnreadableFile, WriteError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# File types that turn up named .txt, by their first bytes.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/Excel/EPUB file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word/Excel document"),
    (b"\x7fELF", "a program (ELF)"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

# Bytes that text never holds: C0 controls other than tab, line ends, form feed and escape.
_CONTROL = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_CONTROL_TEXT = re.compile(r"[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_BLANK = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]*")

# Detection looks at this many bytes; the chosen encoding then decodes the whole file.
SAMPLE_BYTES = 1 << 16

# Chinese legacy encodings, by family. Each is the superset of its family that Python has:
# GB18030 covers GB2312 and GBK; CP950 is Big5 as Windows and Taiwan use it; Big5-HKSCS adds
# the Hong Kong characters (and is used only when CP950 cannot decode the file).
_GB = ("gb18030",)
_BIG5 = ("cp950", "big5hkscs")

# Supersets to use for what charset-normalizer names.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950", "cp936": "gb18030"}


@dataclass(frozen=True)
class Document:
    """One input text: its name (a `/`-separated path relative to the input folder), or
    for a row of a JSONL/CSV/Parquet file that file's name and row (``FILE#ROW``)."""

    path: str
    text: str
    encoding: str = "utf-8"
    warning: str = ""
    """Set when the file was read, but not cleanly: with ``errors="replace"``, how many
    undecodable bytes became U+FFFD and why."""
    row: int | None = None
    """1-based row in its file, for a row document."""
    id: str | None = None
    """The row's id field, if one was asked for."""
    first_line: int = 1
    """The line of its file ``text`` starts at: a large file is read in parts
    (`segment.split_document`), each a Document of whole lines."""
    part: int = 0
    """Which part of its file this is (0 for a whole file, or its first part)."""


@dataclass(frozen=True)
class SkippedFile:
    """A file that could not be used, with a reason a person understands."""

    path: str
    reason: str


@dataclass(frozen=True)
class TextFile:
    """An input file found under the input paths.

    ``name`` is what reports show: `/`-separated, relative, and valid Unicode (bytes of a
    file name that are not UTF-8 appear as ``\\xNN``). ``relative`` is the real relative
    path on disk (such bytes kept as surrogate escapes), used to read it and to write its
    clean copy under the same name.
    """

    name: str
    relative: str


def display_name(relative: str) -> str:
    """The name reports show for an on-disk relative path: `/`-separated, and with bytes
    that are not UTF-8 written as ``\\xNN`` so that JSON and terminals can carry it. A
    backslash of the name itself is doubled, so that no two files show the same name."""
    rel = relative.replace(os.sep, "/").replace("\\", "\\\\")
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def relative_name(path: Path, root: Path) -> str:
    """The `/`-separated name of ``path`` relative to ``root``, as reports show it."""
    return display_name(os.path.relpath(path, root))


def check_folder(folder: Path) -> None:
    """Raise InputError unless ``folder`` is an existing folder that can be listed."""
    shown = display_name(str(folder))
    if not folder.exists():
        raise InputError(f"{shown}: no such folder; give the folder that holds the .txt files")
    if not folder.is_dir():
        raise InputError(f"{shown}: is a file, not a folder; give the folder that holds it")
    if not os.access(folder, os.R_OK | os.X_OK):
        raise InputError(f"{shown}: permission denied; give a folder you can read")


def _symlink_problem(path: str) -> str | None:
    """Why the symbolic link ``path`` (named .txt) cannot be read, or None if it leads to a
    regular file."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        target = os.readlink(path)
        return f"dangling symbolic link: it points to {display_name(target)}, which does not exist"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop: the link leads back to itself, so there is no file"
        return f"symbolic link cannot be followed ({exc.strerror or exc})"
    if stat.S_ISDIR(info.st_mode):
        return "symbolic link to a folder, not a file (linked folders are not followed)"
    if not stat.S_ISREG(info.st_mode):
        return "symbolic link to something that is not a regular file"
    return None


def check_inputs(paths: Sequence[Path]) -> None:
    """Raise InputError unless every path is an existing file or a folder that can be
    listed (there must be at least one)."""
    if not paths:
        raise InputError("no input given; give one or more files or folders")
    for path in paths:
        shown = display_name(str(path))
        if not os.path.lexists(path):
            raise InputError(f"{shown}: no such file or folder; check the path")
        if os.path.isdir(path):
            check_folder(Path(path))
        elif not os.path.exists(path):
            raise InputError(f"{shown}: {_symlink_problem(str(path))}")


ROW_SUFFIXES = (".jsonl", ".json", ".csv", ".tsv", ".parquet")
"""Files read as one document per row (by `formats`)."""

INPUT_SUFFIXES: frozenset[str] = frozenset({".txt", *ROW_SUFFIXES})
"""The name endings (lower case) of the files a folder is scanned for by default: the one
place that says which files are inputs. A reader for another format adds its suffix here."""


def is_input_name(name: str) -> bool:
    """Whether a file called ``name`` is an input by default: its suffix is one of
    INPUT_SUFFIXES, in any case (``A.TXT`` is read)."""
    return os.path.splitext(name)[1].lower() in INPUT_SUFFIXES


def _glob_matches(pattern: str, name: str) -> bool:
    """``pattern`` against a `/`-separated relative ``name``, ignoring case: a pattern
    without a `/` is matched against the last part of the name (``*.md``), one with a `/`
    against the whole name (``drafts/*``, where ``*`` also crosses folders)."""
    target = name if "/" in pattern else name.rsplit("/", 1)[-1]
    return fnmatch.fnmatchcase(target.casefold(), pattern.casefold())


@dataclass(frozen=True)
class Selection:
    """Which files under the input folders are read.

    By default every file whose suffix is in INPUT_SUFFIXES (any case); with ``include``,
    the files matching one of its globs instead. Files and folders matching an ``exclude``
    glob are left out, and so are hidden ones (a name starting with ``.``, such as
    ``.git`` or ``.venv``) unless ``hidden``. A file named on its own is always read.
    """

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    hidden: bool = False

    def takes(self, name: str) -> bool:
        """Whether the file of relative ``name`` is read."""
        if self.include:
            wanted = any(_glob_matches(p, name) for p in self.include)
        else:
            wanted = is_input_name(name)
        return wanted and not self.excludes(name)

    def excludes(self, name: str) -> bool:
        """Whether the file or folder of relative ``name`` is excluded by a glob."""
        return any(_glob_matches(p, name) for p in self.exclude)

    def describe(self) -> str:
        """What is looked for, in words: ``.txt files`` or ``files matching '*.md'``."""
        if self.include:
            return "files matching " + ", ".join(repr(p) for p in self.include)
        return "/".join(sorted(INPUT_SUFFIXES)) + " files"


@dataclass(frozen=True)
class Listing:
    """The inputs found under the given paths, before any is read."""

    root: Path
    """The folder the names are relative to: the folder given, the folder of a file
    given, or the deepest folder that holds all the paths given."""
    entries: tuple[TextFile | SkippedFile, ...]
    """The files to read and the problems found while listing, in name order."""
    passed_over: dict[str, int]
    """Files not selected, counted by suffix (``.jsonl``; ``no suffix``)."""
    hidden: int
    """Hidden files and folders skipped."""

    @property
    def files(self) -> list[TextFile]:
        return [e for e in self.entries if isinstance(e, TextFile)]

    def nothing_found(self, paths: Sequence[Path], selection: Selection) -> str:
        """The message for a listing with no entries: what was looked for, and what was
        there instead."""
        where = ", ".join(display_name(str(p)) for p in paths)
        found = sorted(self.passed_over.items(), key=lambda kv: (-kv[1], kv[0]))
        parts = [f"{count} {suffix}" for suffix, count in found[:5]]
        if len(found) > 5:
            parts.append(f"{sum(c for _, c in found[5:])} other")
        message = f"no {selection.describe()} under {where}"
        hints = []
        if parts:
            message += f" (found {', '.join(parts)})"
            hints.append("use --include to choose files")
        if self.hidden and not selection.hidden:
            message += f" ({self.hidden} hidden file(s) or folder(s) skipped)"
            hints.append("--hidden to read hidden ones")
        return message + ("; " + ", ".join(hints) if hints else "")


def input_root(paths: Sequence[Path]) -> Path:
    """The folder that report names are relative to (see `Listing.root`)."""
    absolute = [os.path.abspath(p) for p in paths]
    common = absolute[0] if len(absolute) == 1 else os.path.commonpath(absolute)
    return Path(common if os.path.isdir(common) else os.path.dirname(common))


def _suffix(name: str) -> str:
    return os.path.splitext(name)[1].lower() or "no suffix"


def list_inputs(paths: Sequence[Path], selection: Selection | None = None) -> Listing:
    """Every input below ``paths`` (files and folders), in name order, and what could not
    be looked at.

    The walk is iterative (any depth) and does not follow linked folders (no loops). A
    selected entry that is not a readable regular file is reported: a folder named x.txt,
    a dangling or looping link, a FIFO or device; so is a folder that cannot be listed.
    """
    selection = selection or Selection()
    paths = [Path(p) for p in paths]
    check_inputs(paths)
    root = input_root(paths)
    found: dict[str, TextFile | SkippedFile] = {}
    passed_over: dict[str, int] = {}
    hidden = 0
    pending = []
    for path in paths:
        rel = os.path.relpath(os.path.abspath(path), root)
        if os.path.isdir(path):
            pending.append("" if rel == os.curdir else rel)
        else:  # named on its own: read whatever its name
            found[display_name(rel)] = TextFile(display_name(rel), rel)
    while pending:
        rel_dir = pending.pop()
        try:
            with os.scandir(os.path.join(root, rel_dir) if rel_dir else root) as it:
                entries = list(it)
        except OSError as exc:
            reason = "permission denied" if isinstance(exc, PermissionError) else exc.strerror
            name = display_name(rel_dir) + "/"
            found[name] = SkippedFile(
                name, f"folder cannot be listed ({reason}); the files in it were not scanned"
            )
            continue
        for entry in entries:
            rel = os.path.join(rel_dir, entry.name) if rel_dir else entry.name
            name = display_name(rel)
            if entry.name.startswith(".") and not selection.hidden:
                hidden += 1
                continue
            try:
                is_link = entry.is_symlink()
                is_dir = not is_link and entry.is_dir(follow_symlinks=False)
                is_file = not is_link and entry.is_file(follow_symlinks=False)
            except OSError as exc:
                found[name] = SkippedFile(name, f"cannot be examined ({exc})")
                continue
            if is_dir and not selection.excludes(name):
                pending.append(rel)
            if not selection.takes(name):
                if not is_dir:
                    suffix = _suffix(entry.name)
                    passed_over[suffix] = passed_over.get(suffix, 0) + 1
                continue
            problem = None
            if is_link:
                problem = _symlink_problem(entry.path)
            elif is_dir:
                problem = "is a folder, not a file (the files inside it are scanned)"
            elif not is_file:
                problem = "not a regular file (a FIFO, socket or device); it is not read"
            found[name] = TextFile(name, rel) if problem is None else SkippedFile(name, problem)
    return Listing(root, tuple(found[name] for name in sorted(found)), passed_over, hidden)


DECODE_ERRORS = ("strict", "replace")
"""How invalid bytes in a text file are handled: the file is skipped, or read with U+FFFD."""


def check_decode_errors(errors: str) -> None:
    """Raise InputError unless ``errors`` is one of DECODE_ERRORS."""
    if errors not in DECODE_ERRORS:
        raise InputError(f"errors={errors!r}: give 'strict' (skip damaged files) or 'replace'")


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """The characters most Chinese text is made of: GB2312 level 1 (the 3,755 most used
    simplified characters, B0A1-D7F9) and Big5's frequently used characters (5,401
    traditional ones, A440-C67E), with CJK and full-width punctuation."""
    chars: set[str] = set()
    for codec, first, last in (("gb2312", 0xB0A1, 0xD7F9), ("cp950", 0xA440, 0xC67E)):
        for code in range(first, last + 1):
            if 0x40 <= code & 0xFF <= 0x7E or 0xA1 <= code & 0xFF <= 0xFE:
                try:
                    chars.add(code.to_bytes(2, "big").decode(codec))
                except UnicodeDecodeError:
                    continue
    chars.update(map(chr, range(0x3000, 0x3040)))  # CJK punctuation
    chars.update(map(chr, range(0xFF01, 0xFF5F)))  # full-width forms
    chars.update(map(chr, range(0x2010, 0x2028)))  # dashes, quotes, ellipsis, bullets
    return frozenset(chars)


def plausibility(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that are common Chinese characters or
    punctuation: near 1 for text decoded right, far lower for Big5 read as GBK or the
    other way round (their byte ranges overlap, so both often decode without error)."""
    common = _common_chars()
    wide = [c for c in text if c > "\x7f" and not c.isspace()]
    if not wide:
        return 1.0
    return sum(c in common for c in wide) / len(wide)


def _sample(data: bytes) -> bytes:
    """Up to SAMPLE_BYTES of ``data`` to detect its encoding on, starting at its first
    non-ASCII byte's line (so a long English header does not hide the Chinese), and
    ending at a line end when there is one."""
    first = _NON_ASCII.search(data)
    if first is None:
        return data[:SAMPLE_BYTES]
    # Everything before ``first`` is ASCII, so any line start before it is a character start.
    start = data.rfind(b"\n", 0, first.start()) + 1
    if first.start() - start > SAMPLE_BYTES // 2:
        start = first.start()
    chunk = data[start : start + SAMPLE_BYTES]
    if start + SAMPLE_BYTES < len(data):
        end = chunk.rfind(b"\n")
        if end > len(chunk) // 2:
            chunk = chunk[: end + 1]
    return chunk


def _try_sample(sample: bytes, codec: str, complete: bool) -> str | None:
    """``sample`` decoded strictly (a character cut at its end is allowed unless the
    sample is the whole file), or None."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    try:
        return decoder.decode(sample, final=complete)
    except UnicodeDecodeError:
        return None


def _looks_like_damaged_utf8(sample: bytes) -> bool:
    """Most non-ASCII bytes form valid UTF-8 sequences, yet the file is not valid UTF-8:
    a UTF-8 file cut short or corrupted, which no legacy encoding explains."""
    non_ascii = len(_NON_ASCII.findall(sample))
    if non_ascii < 8:
        return False
    valid = sum(len(c.encode("utf-8")) for c in sample.decode("utf-8", "ignore") if c > "\x7f")
    return valid >= 0.7 * non_ascii


def _chinese_candidates(sample: bytes, complete: bool) -> list[tuple[float, str]]:
    """(plausibility, codec) for the GB and the Big5 family, best first, for those whose
    encoding decodes the sample strictly. Within Big5, CP950 is preferred to Big5-HKSCS."""
    scored = []
    for order, family in enumerate((_GB, _BIG5)):
        for codec in family:
            text = _try_sample(sample, codec, complete)
            if text is not None:
                scored.append((plausibility(text), -order, codec))
                break
    scored.sort(reverse=True)
    return [(score, codec) for score, _, codec in scored]


def _decode_whole(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _detected_by_library(sample: bytes) -> str | None:
    """The encoding charset-normalizer finds for ``sample`` (mapped to its superset), if any."""
    best = charset_normalizer.from_bytes(sample).best()
    if best is None or not best.encoding:
        return None
    name = codecs.lookup(best.encoding).name
    return _SUPERSET.get(name, name)


def check_encoding(encoding: str) -> str:
    """The Python codec name of ``encoding``; InputError if there is no such text
    encoding (codecs such as base64 or rot13 are not)."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise InputError(
            f"--encoding {encoding}: unknown encoding; use a name such as utf-8, gb18030, "
            "cp950, big5hkscs or utf-16"
        )
    return info.name


class _Undecodable(UnreadableFile):
    """A text file with bytes that are invalid in its encoding, ``codec``: it can still be
    read with replacement characters, if the user asks."""

    def __init__(self, path: str, reason: str, codec: str) -> None:
        super().__init__(path, reason)
        self.codec = codec


def _least_damaged(sample: bytes, codecs_to_try: list[str]) -> str:
    """Of ``codecs_to_try``, the one that decodes ``sample`` with the fewest replacement
    characters (the first on a tie)."""
    return min(codecs_to_try, key=lambda c: sample.decode(c, "replace").count("\ufffd"))


def decode_replacing(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str, str]:
    """``decode``, except that a text file with invalid bytes is decoded anyway, each
    invalid sequence becoming U+FFFD: the text, the encoding, and a warning saying how many
    were replaced and why ("" when none were). Binary files are still refused."""
    try:
        return (*decode(data, name, encoding), "")
    except _Undecodable as exc:
        text = data.decode(exc.codec, "replace")
        if exc.codec.startswith("utf-8") and text.startswith("\ufeff"):
            text = text[1:]
        replaced = text.count("\ufffd")
        return (
            text,
            exc.codec,
            (
                f"read as {exc.codec} with {replaced} undecodable byte sequence(s) replaced by "
                f"U+FFFD ({exc.reason.split(';')[0]})"
            ),
        )


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to text and name the encoding used (a Python codec name).

    A forced ``encoding`` is used strictly. Otherwise: known binary formats and NUL or
    control bytes are refused; a byte-order mark decides (UTF-8, UTF-16, UTF-32); then
    strict UTF-8; then GB18030 or Big5 (CP950, else Big5-HKSCS), whichever decodes a sample
    strictly into more common Chinese characters; then charset-normalizer on the sample.
    The winner must decode the whole file strictly; nothing is ever decoded with
    replacement characters.
    """
    if encoding is not None:
        return _decode_forced(data, name, encoding)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise UnreadableFile(name, f"binary file ({kind}), not text")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise _Undecodable(
                    name,
                    f"starts with a {codec.upper()} byte-order mark but is not valid "
                    f"{codec.upper()} (at byte {exc.start}); the file is damaged",
                    codec,
                ) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise UnreadableFile(
            name,
            f"binary file (NUL byte at byte {nul}), not text; if it is UTF-16 without a "
            "byte-order mark, pass --encoding utf-16-le",
        )
    sample = _sample(data)
    if len(_CONTROL.findall(sample)) > max(2, len(sample) // 100):
        raise UnreadableFile(name, "binary file (many control bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    if _looks_like_damaged_utf8(sample):
        raise _Undecodable(
            name,
            f"not valid UTF-8 at byte {utf8_error} of {len(data)}, though the rest is UTF-8: "
            "the file is damaged or cut short; repair it, read it with --errors replace, or "
            "pass --encoding if it is really in another encoding",
            "utf-8",
        )
    complete = len(sample) == len(data)
    tried = []
    for score, codec in _chinese_candidates(sample, complete):
        if score < 0.6:
            continue
        tried.append(codec)
        text = _decode_whole(data, codec)
        if text is not None:
            return text, codec
        if codec == "cp950":  # the rest of the file may need the Hong Kong characters
            tried.append("big5hkscs")
            text = _decode_whole(data, "big5hkscs")
            if text is not None:
                return text, "big5hkscs"
    detected = _detected_by_library(sample)
    if detected is not None and detected not in tried:
        text = _decode_whole(data, detected)
        if text is not None and not _CONTROL_TEXT.search(text):
            return text, detected
    raise _Undecodable(
        name,
        "not text in any known encoding (tried UTF-8, GB18030, Big5/CP950, Big5-HKSCS and "
        "charset detection; some bytes are invalid in all of them); pass --encoding NAME "
        "if you know it, or --errors replace",
        _least_damaged(sample, [*tried, "utf-8", "gb18030", "cp950"]),
    )


def _decode_forced(data: bytes, name: str, encoding: str) -> tuple[str, str]:
    """``data`` decoded strictly in ``encoding``; a UTF-8 byte-order mark is dropped."""
    try:
        codec = check_encoding(encoding)
    except InputError:
        raise UnreadableFile(name, f"unknown encoding {encoding!r}") from None
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as exc:
        raise _Undecodable(
            name, f"not valid {encoding} at byte {exc.start}; try another --encoding", codec
        ) from None


def read_document(
    path: Path, root: Path, encoding: str | None = None, errors: str = "strict"
) -> Document:
    """Read and decode one file; raise UnreadableFile with the reason when it cannot be used.

    With ``errors="replace"`` a text file with invalid bytes is read with U+FFFD in their
    place, and the Document says so in ``warning``."""
    name = relative_name(path, root)
    try:
        # O_NONBLOCK: a FIFO put in the file's place must not hang the run.
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise UnreadableFile(name, "not a regular file; it is not read")
            data = handle.read()
    except FileNotFoundError:
        if os.path.islink(path):
            raise UnreadableFile(name, _symlink_problem(str(path)) or "vanished") from None
        raise UnreadableFile(name, "vanished before it could be read (deleted or moved)") from None
    except IsADirectoryError:
        raise UnreadableFile(name, "is a folder, not a file") from None
    except PermissionError:
        raise UnreadableFile(name, "permission denied; make it readable to include it") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnreadableFile(name, _symlink_problem(str(path)) or "link loop") from None
        raise UnreadableFile(name, f"cannot be read ({exc.strerror or exc})") from None
    if not data:
        raise UnreadableFile(name, "empty file (0 bytes)")
    if errors == "replace":
        text, used, warning = decode_replacing(data, name, encoding)
    else:
        text, used, warning = (*decode(data, name, encoding), "")
    if _BLANK.fullmatch(text):
        raise UnreadableFile(name, "holds only whitespace, no text")
    return Document(name, text, used, warning)


def read_or_skip(
    path: Path, root: Path, encoding: str | None = None, errors: str = "strict"
) -> Document | SkippedFile:
    """``read_document``, with a file that cannot be used returned as a SkippedFile."""
    try:
        return read_document(path, root, encoding, errors)
    except UnreadableFile as exc:
        return SkippedFile(exc.path, exc.reason)


def read_inputs(
    paths: Sequence[Path],
    selection: Selection | None = None,
    encoding: str | None = None,
    errors: str = "strict",
) -> Iterator[Document | SkippedFile]:
    """Each input below ``paths`` as a Document, or as a SkippedFile with the reason, in
    name order. Files are listed first, then read one at a time."""
    listing = list_inputs(paths, selection)
    for entry in listing.entries:
        if isinstance(entry, SkippedFile):
            yield entry
        else:
            yield read_or_skip(listing.root / entry.relative, listing.root, encoding, errors)


def read_folder(folder: Path, encoding: str | None = None) -> Iterator[Document | SkippedFile]:
    """``read_inputs`` of one folder."""
    return read_inputs([Path(folder)], encoding=encoding)


def make_folders(folder: Path) -> None:
    """``mkdir -p folder``, iteratively: `Path.mkdir(parents=True)` recurses once per
    level and fails on trees deeper than Python's recursion limit."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for each in reversed(missing):
        each.mkdir(exist_ok=True)


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _probe_writable(folder: str, shown: str) -> None:
    """Raise OutputError unless a file can be created in ``folder`` (an existing folder):
    one is created and removed at once, which finds read-only mounts and immutable folders
    that permission bits do not show."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".dedup-check-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(
            f"{shown}: cannot be written ({exc.strerror or exc} in {display_name(folder)}); "
            "give a location you can write to"
        ) from None


def _check_creatable(path: str, shown: str) -> None:
    """Raise OutputError unless ``path``, which does not exist, can be created: its
    nearest existing ancestor must be a folder one can write in."""
    ancestor = os.path.dirname(os.path.abspath(path))
    while not os.path.lexists(ancestor):
        ancestor = os.path.dirname(ancestor)
    if not os.path.isdir(ancestor):
        raise OutputError(
            f"{shown}: cannot be created, {display_name(ancestor)} is a file, not a folder"
        )
    _probe_writable(ancestor, shown)


def check_output_file(path: Path, option: str = "--report") -> None:
    """Raise OutputError unless ``path`` is a regular file that may be replaced, or a new
    file that can be created. Devices, FIFOs, sockets, folders and links to them are
    refused: the report is written to a temporary file renamed over ``path``, which would
    put a regular file in place of /dev/null."""
    shown = f"{option} {display_name(str(path))}"
    if not os.path.lexists(path):
        _check_creatable(str(path), shown)
        return
    try:
        info = os.stat(path)
    except OSError:
        raise OutputError(
            f"{shown}: {_symlink_problem(str(path))}; give a regular file name"
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{shown}: is a folder; give a file name such as report.json")
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(
            f"{shown}: is {_kind(info.st_mode)}, not a regular file; dedup writes only "
            "regular files (use --report - to write to standard output)"
        )
    _probe_writable(os.path.dirname(os.path.realpath(path)), shown)


def check_output_folder(folder: Path, option: str = "--out") -> None:
    """Raise OutputError unless ``folder`` is a folder one can write in, or a new folder
    that can be created (anything else, a file, a device, a dangling link, is refused)."""
    shown = f"{option} {display_name(str(folder))}"
    if not os.path.lexists(folder):
        _check_creatable(str(folder), shown)
        return
    try:
        info = os.stat(folder)
    except OSError:
        raise OutputError(f"{shown}: {_symlink_problem(str(folder))}; give a folder") from None
    if not stat.S_ISDIR(info.st_mode):
        what = "a file" if stat.S_ISREG(info.st_mode) else _kind(info.st_mode)
        raise OutputError(f"{shown}: is {what}; give a folder for {option}")
    _probe_writable(str(folder), shown)


def _fsync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, so that a rename into it survives a crash (where
    the platform can open folders)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the file itself is synced
    finally:
        os.close(fd)


def _cannot_write(shown: str, exc: OSError) -> WriteError:
    """The WriteError of an OSError met writing the file shown as ``shown``."""
    return WriteError(
        f"{shown}: cannot be written ({exc.strerror or exc}); check the output location"
    )


def _write_target(path: Path) -> tuple[Path, str]:
    """Where writing ``path`` writes (a link to a regular file is written through), and
    how to name it; WriteError if it is not a regular file. Its folders are made."""
    path = Path(path)
    shown = display_name(str(path))
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = stat.S_IFREG
    except OSError as exc:
        raise _cannot_write(shown, exc) from None
    if not stat.S_ISREG(mode):
        raise WriteError(f"{shown}: is {_kind(mode)}, not a regular file; not written")
    try:
        make_folders(path.parent)
    except OSError as exc:
        raise _cannot_write(shown, exc) from None
    return path, shown


def _temporary_beside(path: Path) -> tuple[Path, int]:
    """A new temporary file in ``path``'s folder (`.NAME.*.tmp`), open for writing."""
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask
        except FileExistsError:  # someone else's file: leave it alone
            continue


@contextmanager
def open_atomic(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through, so that ``path`` is either absent, the old
    file, or complete.

    The bytes go to a temporary file in the same folder (`.NAME.*.tmp`); when the block
    ends they are flushed to disk, renamed over ``path``, and the folder is flushed too. On
    any error or interrupt the temporary file is removed and ``path`` is untouched. A link
    to a regular file is written through (its target is replaced); a path that is not a
    regular file (a device, a FIFO) is refused. An OSError becomes a WriteError that names
    ``path``, never the temporary file.
    """
    path, shown = _write_target(path)
    tmp: Path | None = None
    try:
        tmp, fd = _temporary_beside(path)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        tmp = None
        _fsync_folder(path.parent)
    except OSError as exc:
        raise _cannot_write(shown, exc) from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


class AtomicFiles:
    """Many files written as `open_atomic` writes one (each path absent, its old file, or
    complete), committed in batches. Threads write each file's bytes to a temporary file
    beside it and flush it to disk, several at once (the file system commits their syncs
    together), while the caller prepares the next; a commit waits for its batch, renames
    the files into place in order, and flushes each folder once. One file created, written
    and synced after another made writing a cleaned folder of small files take longer than
    scanning it. On an error or interrupt inside the ``with`` block, files not yet
    committed are removed, never left partial."""

    def __init__(self, batch_files: int = 512, batch_bytes: int = 64 << 20) -> None:
        self.batch_files = batch_files
        self.batch_bytes = batch_bytes
        self.committed = 0
        """Files renamed into place so far."""
        self._writers = ThreadPoolExecutor(max_workers=8)
        self._pending: list[tuple[Future[Path], Path, str]] = []  # temporary, path, shown
        self._pending_bytes = 0

    def __enter__(self) -> AtomicFiles:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        try:
            if kind is None:
                self.commit()
            else:
                self._discard(self._take_pending())
        finally:
            self._writers.shutdown()

    def write(self, path: Path, data: bytes) -> None:
        """Write ``data`` to ``path``, in place once its batch is committed."""
        path, shown = _write_target(path)
        written = self._writers.submit(_write_temporary, path, shown, data)
        self._pending.append((written, path, shown))
        self._pending_bytes += len(data)
        if len(self._pending) >= self.batch_files or self._pending_bytes >= self.batch_bytes:
            self.commit()

    def commit(self) -> None:
        """Wait for the files written since the last commit and rename them into place."""
        pending = self._take_pending()
        try:
            for written, path, shown in pending:
                _rename(written.result(), path, shown)
                self.committed += 1
        except BaseException:
            self._discard(pending)  # those renamed already are no longer there
            raise
        for folder in dict.fromkeys(path.parent for _, path, _ in pending):
            _fsync_folder(folder)

    def _take_pending(self) -> list[tuple[Future[Path], Path, str]]:
        pending, self._pending, self._pending_bytes = self._pending, [], 0
        return pending

    @staticmethod
    def _discard(pending: list[tuple[Future[Path], Path, str]]) -> None:
        """Remove the temporary files of ``pending`` (waiting for those being written)."""
        for written, _, _ in pending:
            if written.exception() is None:
                written.result().unlink(missing_ok=True)


def _write_temporary(path: Path, shown: str, data: bytes) -> Path:
    """``data`` in a new temporary file beside ``path``, flushed to disk; its name."""
    tmp: Path | None = None
    try:
        tmp, fd = _temporary_beside(path)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return tmp
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise _cannot_write(shown, exc) from None


def _rename(tmp: Path, path: Path, shown: str) -> None:
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise _cannot_write(shown, exc) from None


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through `open_atomic`: complete or not at all."""
    with open_atomic(path) as handle:
        handle.write(data)
