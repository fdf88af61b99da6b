"""Reading text files in whatever encoding they came in, and writing outputs atomically."""

from __future__ import annotations

import codecs
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from .errors import InputError, UnreadableFile

SUFFIX = ".txt"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Encodings in which Chinese text is most often found, tried in this order when charset
# detection is unsure; a strict decode that succeeds is the answer.
_CHINESE_FALLBACKS = ("gb18030", "big5hkscs")


@dataclass(frozen=True)
class Document:
    """One input text: its name (a `/`-separated path relative to the input folder)."""

    path: str
    text: str
    encoding: str = "utf-8"


@dataclass(frozen=True)
class SkippedFile:
    """A file that could not be used, with a reason a person understands."""

    path: str
    reason: str


def list_text_files(folder: Path) -> list[Path]:
    """Every `.txt` file below ``folder``, recursively, in sorted path order."""
    folder = Path(folder)
    if not folder.exists():
        raise InputError(f"{folder}: no such folder; give the folder that holds the .txt files")
    if not folder.is_dir():
        raise InputError(f"{folder}: is a file, not a folder; give the folder that holds it")
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        for name in filenames:
            if name.endswith(SUFFIX):
                found.append(Path(dirpath) / name)
        # A directory named x.txt is reported rather than silently passed over.
        found.extend(Path(dirpath) / d for d in dirnames if d.endswith(SUFFIX))
    return sorted(found, key=lambda p: relative_name(p, folder))


def relative_name(path: Path, root: Path) -> str:
    """The `/`-separated name of ``path`` relative to ``root``, as reports show it."""
    rel = os.path.relpath(path, root)
    return rel.replace(os.sep, "/").encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to text and name the encoding used.

    A forced ``encoding`` is used strictly. Otherwise a BOM decides; then strict UTF-8;
    then charset detection; then the common Chinese legacy encodings.
    """
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise UnreadableFile(name, f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise UnreadableFile(
                name, f"not valid {encoding} at byte {exc.start}; try another --encoding"
            ) from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                raise UnreadableFile(
                    name, f"starts with a {codec} BOM but is not valid {codec}"
                ) from None
    if b"\x00" in data:
        raise UnreadableFile(name, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    for codec in _CHINESE_FALLBACKS:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(name, "not text in any known encoding; give one with --encoding")


def read_document(path: Path, root: Path, encoding: str | None = None) -> Document:
    """Read and decode one file; raise UnreadableFile with the reason when it cannot be used."""
    name = relative_name(path, root)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise UnreadableFile(name, "vanished before it could be read") from None
    except IsADirectoryError:
        raise UnreadableFile(name, "is a directory, not a file") from None
    except PermissionError:
        raise UnreadableFile(name, "permission denied") from None
    except OSError as exc:
        raise UnreadableFile(name, f"cannot be read ({exc.strerror or exc})") from None
    if not data:
        raise UnreadableFile(name, "empty file")
    text, used = decode(data, name, encoding)
    if not text.strip():
        raise UnreadableFile(name, "holds only whitespace")
    return Document(name, text, used)


def read_folder(folder: Path, encoding: str | None = None) -> Iterator[Document | SkippedFile]:
    """Each `.txt` file below ``folder`` as a Document, or as a SkippedFile with the reason."""
    folder = Path(folder)
    for path in list_text_files(folder):
        try:
            yield read_document(path, folder, encoding)
        except UnreadableFile as exc:
            yield SkippedFile(exc.path, exc.reason)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that ``path`` is either absent, the old file, or complete.

    The bytes go to a temporary file in the same folder, are flushed to disk, and only then
    renamed over ``path``; an interrupted run leaves at most a stray `.tmp` file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
