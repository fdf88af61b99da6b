"""Writing a deduplicated copy: every file, minus the later copies of repeated paragraphs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from .config import Config
from .errors import OutputError, UnreadableFile
from .io import SkippedFile, read_document, write_atomic
from .pipeline import _progress_enabled, scan
from .report import Report
from .segment import split_lines


@dataclass(frozen=True)
class CleanResult:
    """What `clean` wrote, with the scan report it acted on."""

    report: Report
    out_dir: Path
    files_written: int
    paragraphs_removed: int
    errors: tuple[SkippedFile, ...]
    """Files skipped by the scan, and any that could not be read again for writing."""

    def describe(self) -> str:
        lines = [
            self.report.describe(),
            f"Wrote {self.files_written} file(s) to {self.out_dir}, "
            f"{self.paragraphs_removed} repeated paragraph(s) removed.",
        ]
        late = self.errors[len(self.report.errors) :]
        lines.extend(f"  not written: {e.path}: {e.reason}" for e in late)
        return "\n".join(lines)


def drop_lines(text: str, lines: set[int]) -> str:
    """``text`` without the given 1-based lines; runs of blank lines left behind collapse
    to one. The line ending style (LF or CRLF) of the input is kept."""
    newline = "\r\n" if "\r\n" in text else "\n"
    kept: list[str] = []
    for number, line in enumerate(split_lines(text), start=1):
        if number in lines:
            continue
        if not line.strip() and kept and not kept[-1].strip():
            continue
        kept.append(line)
    return newline.join(kept)


def check_output_dir(source: Path, out_dir: Path, force: bool) -> None:
    """Refuse an output folder that would overwrite or sit inside the input."""
    source, out = Path(source).resolve(), Path(out_dir).resolve()
    if out == source:
        raise OutputError(f"{out_dir}: is the input folder; give another --out folder")
    if source in out.parents:
        raise OutputError(
            f"{out_dir}: lies inside the input folder {source}; give a folder outside it"
        )
    if out in source.parents:
        raise OutputError(f"{out_dir}: contains the input folder; give a folder outside it")
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out_dir}: is a file; give a folder for --out")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputError(f"{out_dir}: is not empty; give an empty folder or pass --force")


def clean(
    source: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    config: Config | None = None,
    *,
    within: bool = False,
    force: bool = False,
    encoding: str | None = None,
    progress: bool | None = None,
) -> CleanResult:
    """Scan ``source`` and write each of its files to ``out_dir`` with repeats removed.

    The first occurrence of each cluster (in path, then line order) is kept; with
    ``within`` only repeats inside the same document are removed. Files keep their
    relative paths and are written in UTF-8, each atomically. The input is never touched.
    """
    source, out = Path(source), Path(out_dir)
    check_output_dir(source, out, force)
    report = scan(source, config, encoding=encoding, progress=progress)
    removals = report.removals(within)
    written = removed = 0
    errors = list(report.errors)
    for info in tqdm(
        report.files, desc="writing", unit="file", disable=not _progress_enabled(progress)
    ):
        try:
            document = read_document(source / info.path, source, info.encoding)
        except UnreadableFile as exc:
            errors.append(SkippedFile(exc.path, f"{exc.reason} (while writing the clean copy)"))
            continue
        lines = removals.get(info.path, set())
        write_atomic(out / info.path, drop_lines(document.text, lines).encode("utf-8"))
        written += 1
        removed += len(lines)
    return CleanResult(report, out, written, removed, tuple(errors))


def clean_texts(
    texts: Mapping[str, str], config: Config | None = None, *, within: bool = False
) -> dict[str, str]:
    """The texts with repeated paragraphs removed, by name, as `clean` would write them."""
    report = scan(texts, config, progress=False)
    removals = report.removals(within)
    return {name: drop_lines(text, removals.get(name, set())) for name, text in texts.items()}
