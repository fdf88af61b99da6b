"""Writing a deduplicated copy: every file, minus the later copies of repeated paragraphs.

The input is only ever read. Each output file is written atomically (`io.AtomicFiles`:
text files in batches flushed to disk together); Ctrl-C and SIGTERM stop the run between
two files, once the files written so far are in place, so an interrupted run leaves
complete files under their final names and no partial ones.
"""

from __future__ import annotations

import codecs
import os
import signal
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Config
from .errors import Interrupted, OutputError, UnreadableFile
from .formats import Fields, is_table, replace_texts, rewrite_rows, rows_of, split_row_name
from .io import (
    AtomicFiles,
    Document,
    Selection,
    SkippedFile,
    check_encoding,
    check_inputs,
    check_output_folder,
    display_name,
    input_root,
    list_inputs,
    read_document,
    relative_name,
)
from .pipeline import Engine, input_paths, progress_enabled, scan
from .progress import with_progress
from .report import FileInfo, Report
from .segment import lines_with_ends, paragraph_text, split_lines


@dataclass(frozen=True)
class CleanResult:
    """What `clean` wrote, with the scan report it acted on."""

    report: Report
    out_dir: Path
    files_written: int
    paragraphs_removed: int
    errors: tuple[SkippedFile, ...]
    """Files skipped by the scan, and any that could not be read again for writing."""
    notes: tuple[SkippedFile, ...] = ()
    """Files written, but not as asked: in UTF-8 although ``keep_encoding`` was given."""
    files_empty: int = 0
    """Files not written because every line of them was removed (see
    `Report.duplicate_documents`)."""

    def describe(self, problems: bool = True) -> str:
        """A short summary: the scan's, then what was written; unless not ``problems``,
        the files that could not be used or written."""
        lines = [self.report.describe(problems=problems)]
        if not self.report.files and not self.report.errors:
            lines.append("Nothing to write.")
            return "\n".join(lines)
        lines.append(
            f"Wrote {self.files_written} file(s) to {display_name(str(self.out_dir))}, "
            f"{self.paragraphs_removed} repeated paragraph(s) removed."
        )
        if self.files_empty:
            lines.append(
                f"Did not write {self.files_empty} file(s) that would be empty: "
                "every line of them is kept in another file."
            )
        late = self.errors[len(self.report.errors) :] if problems else ()
        lines.extend(f"  not written: {e.path}: {e.reason}" for e in late)
        lines.extend(f"  note: {n.path}: {n.reason}" for n in self.notes)
        return "\n".join(lines)


def _row_text(text: str, lines: set[int]) -> str:
    """A row's text without the given lines; a text that ended without a line end still does."""
    new = drop_lines(text, lines)
    if not text.endswith(("\n", "\r")):  # its last lines went: no line end left over
        new = new.rstrip("\r\n")
    return new


def _emptied(old: str, new: str) -> bool:
    """Whether a row's text became blank by removals (a row blank before is not)."""
    return not new.strip() and bool(old.strip())


def drop_lines(text: str, lines: set[int]) -> str:
    """``text`` without the given 1-based lines, every other line as it was, with its own
    line end (LF, CRLF or CR). A blank line that a removal leaves next to another blank
    line goes too, so removals leave no growing gaps; blank lines elsewhere stay."""
    rows = lines_with_ends(text)  # as the scan numbered them
    kept: list[tuple[str, str]] = []
    after_removal = False
    for number, (line, end) in enumerate(rows, start=1):
        if number in lines:
            after_removal = True
            if end and kept and not kept[-1][1]:  # the last cut of a long line: its end stays
                kept[-1] = (kept[-1][0], end)
            continue
        if after_removal and not line.strip() and kept and not kept[-1][0].strip():
            continue
        kept.append((line, end))
        after_removal = False
    return "".join(line + end for line, end in kept)


def check_output_dir(
    source: Path | Sequence[Path], out_dir: Path, force: bool, option: str = "--out"
) -> None:
    """Refuse an output folder that would overwrite, contain or sit inside an input, that
    is not a folder, or that cannot be written."""
    sources = input_paths(source)
    out = Path(out_dir).resolve()
    shown = display_name(str(out_dir))
    if out == input_root(sources).resolve():
        raise OutputError(f"{shown}: is the input folder; give another {option} folder")
    for each in (Path(s).resolve() for s in sources):
        if out == each:
            raise OutputError(f"{shown}: is an input; give another {option} folder")
        if each in out.parents:
            raise OutputError(
                f"{shown}: lies inside the input folder {each}; give a folder outside it"
            )
        if out in each.parents:
            raise OutputError(f"{shown}: contains the input folder; give a folder outside it")
    check_output_folder(Path(out_dir), option)
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputError(f"{shown}: is not empty; give an empty folder or pass --force")


def _refuse_link_into(sources: list[Path], target: Path) -> None:
    """Refuse to write ``target`` if a linked folder on its way leads into an input:
    ``check_output_dir`` vouches for the output folder, not for links found inside it."""
    real = target.parent.resolve()
    for source in (s.resolve() for s in sources):
        if real == source or source in real.parents:
            raise OutputError(
                f"{display_name(str(target))}: a linked folder in --out leads into the input "
                f"folder {display_name(str(source))}; remove the link or give another --out"
            )


class _StopRequest:
    """While files are written, Ctrl-C and SIGTERM only ask the loop to stop before the
    next file, so a signal can never cut one short (in the main thread, where handlers can
    be set; elsewhere they stay as they are)."""

    signals = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.signum: int | None = None
        self._previous: dict[int, Any] = {}

    def _note(self, signum: int, frame: object) -> None:
        self.signum = signum

    def __enter__(self) -> _StopRequest:
        if threading.current_thread() is threading.main_thread():
            self._previous = {sig: signal.signal(sig, self._note) for sig in self.signals}
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


def _changed_lines(text: str, expected: dict[int, str]) -> list[int]:
    """Lines to be dropped whose text is not the paragraph the scan saw there (the file
    changed between the scan and the write)."""
    lines = split_lines(text)
    changed = []
    for number, paragraph in expected.items():
        if number > len(lines) or paragraph_text(lines[number - 1]) != paragraph:
            changed.append(number)
    return changed


_BIG_ENDIAN_BOMS = {"utf-16": codecs.BOM_UTF16_BE, "utf-32": codecs.BOM_UTF32_BE}


def _big_endian_bom(path: Path, encoding: str) -> bool:
    """Whether ``path``, read as ``encoding`` by its byte-order mark, is big-endian: Python's
    ``utf-16``/``utf-32`` codecs read either order but write the machine's own."""
    bom = _BIG_ENDIAN_BOMS.get(encoding)
    if bom is None:
        return False
    with open(path, "rb") as source:
        return source.read(len(bom)) == bom


def _encoded(
    text: str, encoding: str, keep_encoding: bool, big_endian: bool = False
) -> tuple[bytes, str | None]:
    """The bytes to write (a UTF-16/32 file with a big-endian byte-order mark stays
    big-endian) and, if the source encoding was asked for but cannot hold every
    character, why UTF-8 was used instead."""
    if not keep_encoding or encoding in ("utf-8", "str"):
        return text.encode("utf-8"), None
    try:
        if big_endian and encoding in _BIG_ENDIAN_BOMS:
            return _BIG_ENDIAN_BOMS[encoding] + text.encode(f"{encoding}-be"), None
        return text.encode(encoding), None
    except UnicodeEncodeError as exc:
        char = exc.object[exc.start]
        return text.encode("utf-8"), (
            f"written in UTF-8, not {encoding}: {char!r} (U+{ord(char):04X}) has no {encoding} form"
        )


def _names_root(
    sources: list[Path], index: str | os.PathLike[str], engine: Engine, master: str | None
) -> Path:
    """The folder an indexed scan names files relative to."""
    if engine == "spark":
        from .executors.spark import names_root as names_root_on_spark

        return names_root_on_spark(sources, index, master)
    from .store import names_root

    return names_root(sources, index)


def clean(
    source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    config: Config | None = None,
    *,
    within: bool = False,
    force: bool = False,
    encoding: str | None = None,
    errors: str = "strict",
    select: Selection | None = None,
    keep_encoding: bool = False,
    progress: bool | None = None,
    engine: Engine = "local",
    master: str | None = None,
    text_field: str = "text",
    id_field: str | None = None,
    drop_empty_rows: bool = False,
    index: str | os.PathLike[str] | None = None,
) -> CleanResult:
    """Scan ``source`` (a file or folder, or several) and write each of its files to
    ``out_dir`` with repeats removed (``encoding``, ``errors`` and ``select`` as for `scan`;
    names are relative to the folder given, or to the folder that holds all the inputs).

    A line is removed only when every one of its sentences is kept in another line of the
    output (see `dedup.coverage`); the copy kept is the first in path, then line order, or
    the longest with ``Config.keep`` ``longest``. With ``within`` only repeats inside the
    same document are removed. A file that would be left empty is not written
    (`CleanResult.files_empty`). A JSONL, JSON, CSV/TSV or Parquet file is written in its
    own format with only the ``text_field`` of each row changed, every other field and the
    row order as they were; a row left empty stays, with an empty text, unless
    ``drop_empty_rows``. Files keep their
    relative paths (their real on-disk names, even if not UTF-8) and are written in UTF-8,
    or with ``keep_encoding`` in the encoding they were read in when it can hold every
    character; each is written atomically. The input is never touched. ``engine`` and
    ``master`` choose where the scan runs, as for `scan`. A file that
    changed or vanished since the scan is not written and is listed in ``errors``.

    With ``index`` (a persistent index, `dedup.store`, or on Spark its Parquet export),
    ``source`` is scanned together with the indexed files and only ``source``'s files are
    written: the copy of them a clean of indexed and new files together writes, so a line
    whose copy is kept in an indexed file goes, and the indexed files themselves are left
    as they are.

    Raises InputError or OutputError before anything is written when ``source`` or
    ``out_dir`` cannot be used, and `Interrupted` (a KeyboardInterrupt) with the count of
    files written when Ctrl-C or SIGTERM stops it while it writes (called from the main
    thread, it handles both signals during that phase).
    """
    sources, out = input_paths(source), Path(out_dir)
    check_inputs(sources)
    if encoding is not None:
        check_encoding(encoding)
    check_output_dir(sources, out, force)
    report = scan(
        sources,
        config,
        encoding=encoding,
        errors=errors,
        select=select,
        progress=progress,
        engine=engine,
        master=master,
        text_field=text_field,
        id_field=id_field,
        index=index,
    )
    fields = Fields(text_field, id_field)
    removals = report.removals(within)
    expected: dict[str, dict[int, str]] = {}
    for removal in report.removed:
        if removal.dropped_within if within else removal.dropped:
            expected.setdefault(removal.path, {})[removal.line] = removal.text
    listing = list_inputs(sources, select)
    root = listing.root
    on_disk = {f.name: f.relative for f in listing.files}
    files = _files_to_write(report)
    if index is not None:  # names relative to the indexed files' folder; write NEW only
        named = _names_root(sources, index, engine, master)
        on_disk = {relative_name(root / f.relative, named): f.relative for f in listing.files}
        files = [f for f in files if (f.name if isinstance(f, _RowFile) else f.path) in on_disk]
    rows_written = removed = empty = 0  # row files are written one by one, text files
    skipped = list(report.errors)  # in batches (`batch.committed` of them so far)
    notes: list[SkippedFile] = []
    total = len(files)
    with _StopRequest() as stop, AtomicFiles() as batch:
        for info in with_progress(files, "writing", "file", progress_enabled(progress)):
            if stop.signum is not None:
                batch.commit()
                raise Interrupted(rows_written + batch.committed, total, out, stop.signum)
            if isinstance(info, _RowFile):
                target = out / on_disk[info.name]
                _refuse_link_into(sources, target)
                try:
                    rows_removed = _write_rows(
                        root / on_disk[info.name],
                        target,
                        fields,
                        info,
                        removals,
                        expected,
                        drop_empty_rows,
                    )
                except _ChangedRow as exc:
                    skipped.append(SkippedFile(info.name, f"{exc}; not written; run clean again"))
                    continue
                rows_written += 1
                removed += rows_removed
                continue
            relative = on_disk.get(info.path)
            if relative is None:
                skipped.append(SkippedFile(info.path, "vanished after the scan; not written"))
                continue
            try:
                document = read_document(root / relative, root, info.encoding, errors)
            except UnreadableFile as exc:
                skipped.append(
                    SkippedFile(info.path, f"{exc.reason} (after the scan); not written")
                )
                continue
            changed = _changed_lines(document.text, expected.get(info.path, {}))
            if changed:
                skipped.append(
                    SkippedFile(
                        info.path,
                        f"changed after the scan (line {changed[0]} differs); not written; "
                        "run clean again",
                    )
                )
                continue
            lines = removals.get(info.path, set())
            text = drop_lines(document.text, lines)
            if lines and not text.strip():
                empty += 1
                removed += len(lines)
                continue
            big_endian = keep_encoding and _big_endian_bom(root / relative, info.encoding)
            data, note = _encoded(text, info.encoding, keep_encoding, big_endian)
            try:
                _refuse_link_into(sources, out / relative)
                batch.write(out / relative, data)
            except OutputError as exc:
                done = rows_written + batch.committed
                raise type(exc)(
                    f"{exc} ({done} of {total} file(s) were written before it)"
                ) from None
            removed += len(lines)
            if note:
                notes.append(SkippedFile(info.path, note))
    written = rows_written + batch.committed
    return CleanResult(report, out, written, removed, tuple(skipped), tuple(notes), empty)


@dataclass(frozen=True)
class _RowFile:
    """A JSONL/CSV/Parquet file to write: its name and the name of each row read from it."""

    name: str
    rows: dict[int, str]


class _ChangedRow(Exception):
    """A row to change is not what the scan read (the file changed since)."""


def _files_to_write(report: Report) -> list[FileInfo | _RowFile]:
    """The text files read, and the row files with rows read, in the report's order."""
    files: list[FileInfo | _RowFile] = []
    row_files: dict[str, _RowFile] = {}
    for info in report.files:
        if info.row is None:
            files.append(info)
            continue
        name = split_row_name(info.path)[0]
        if name not in row_files:
            row_files[name] = _RowFile(name, {})
            files.append(row_files[name])
        row_files[name].rows[info.row] = info.path
    return files


def _write_rows(
    path: Path,
    target: Path,
    fields: Fields,
    file: _RowFile,
    removals: dict[str, set[int]],
    expected: dict[str, dict[int, str]],
    drop_empty: bool,
) -> int:
    """Write the row file ``path`` to ``target`` without its rows' removed lines; the number
    of lines removed. Raises _ChangedRow (and writes nothing) if a row changed since the scan."""
    edits = {row: name for row, name in file.rows.items() if name in removals}

    def change(row: int, text: object) -> str | None:
        name = edits[row]
        if not isinstance(text, str) or _changed_lines(text, expected.get(name, {})):
            raise _ChangedRow(f"changed after the scan (row {row} differs)")
        new = _row_text(text, removals[name])
        return None if drop_empty and _emptied(text, new) else new

    try:
        rewrite_rows(path, target, fields, change, edits)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise _ChangedRow(f"changed after the scan ({exc})") from None
    return sum(len(removals[name]) for name in edits.values())


def clean_texts(
    texts: Mapping[str, str], config: Config | None = None, *, within: bool = False
) -> dict[str, str]:
    """The texts with repeated paragraphs removed, by name, as `clean` would write them
    (a text every line of which is removed comes back empty)."""
    report = scan(texts, config, progress=False)
    removals = report.removals(within)
    return {name: drop_lines(text, removals.get(name, set())) for name, text in texts.items()}


def clean_rows(
    rows: Any,
    config: Config | None = None,
    *,
    text_field: str = "text",
    id_field: str | None = None,
    within: bool = False,
    drop_empty_rows: bool = False,
) -> Any:
    """A Hugging Face ``Dataset``, a pandas ``DataFrame`` or ``(id, text)`` pairs with
    repeated paragraphs removed from each row's ``text_field``, as `clean` writes a row
    file: every other column and the row order as they were, a row left blank kept with its
    blank text unless ``drop_empty_rows``. Comes back as a new ``Dataset`` or ``DataFrame``,
    or pairs as a list; the input is not changed."""
    fields = Fields(text_field, id_field)
    data = rows if is_table(rows) else list(rows)  # read twice: by the scan, then here
    report = scan(data, config, text_field=text_field, id_field=id_field, progress=False)
    removals = report.removals(within)
    texts: dict[int, str] = {}
    drop: set[int] = set()
    for document in rows_of(data, fields):
        if isinstance(document, Document) and document.row and document.path in removals:
            new = _row_text(document.text, removals[document.path])
            texts[document.row] = new
            if drop_empty_rows and _emptied(document.text, new):
                drop.add(document.row)
    return replace_texts(data, fields, texts, drop)
