"""The scan: the stages of `dedup.stages`, run by the executor chosen (`dedup.executors`)."""

from __future__ import annotations

import os
import sys
from typing import Literal

from .config import Config
from .errors import ConfigError
from .formats import Fields
from .io import Selection, check_decode_errors
from .report import Report
from .stages import Reading, Source, input_paths, no_gc

Engine = Literal["local", "spark"]

__all__ = ["Engine", "Source", "input_paths", "progress_enabled", "scan"]


def progress_enabled(progress: bool | None) -> bool:
    """Whether to show progress bars: as asked, or when stderr is a terminal."""
    return sys.stderr.isatty() if progress is None else progress


def scan(
    source: Source,
    config: Config | None = None,
    *,
    encoding: str | None = None,
    errors: str = "strict",
    select: Selection | None = None,
    progress: bool | None = None,
    text_field: str = "text",
    id_field: str | None = None,
    engine: Engine = "local",
    master: str | None = None,
    index: str | os.PathLike[str] | None = None,
) -> Report:
    """Find repeated paragraphs in files, folders, texts given by name, or rows.

    ``source`` is a file or folder, a list of them, a mapping of names to texts, or rows
    (see ``Source``). ``select`` chooses the files read under folders (by default `.txt`,
    `.jsonl`, `.json`, `.csv`, `.tsv` and `.parquet` in any case, hidden ones left out; see
    `Selection`). A row's ``text_field`` is a document, named ``FILE#ROW`` (``#ROW`` for
    in-memory rows), its lines the paragraphs; ``id_field`` is kept as ``FileInfo.id``.
    ``encoding`` forces one encoding for every text file (detected per file otherwise);
    ``errors="replace"`` reads a text file with invalid bytes with U+FFFD in their place
    and lists it in ``Report.warnings``;
    ``progress`` shows progress bars (by default only when stderr is a terminal).
    ``engine="spark"`` runs the stages on Apache Spark (``pip install "dedup[spark]"``;
    ``master`` is the Spark master URL, by default the active session's or ``local[*]``);
    the clusters are the same as the local engine's.
    ``index`` scans ``source`` (files and folders) together with the files of a persistent
    index (`dedup.store`): an index folder, or on Spark also its Parquet export (`dedup
    index export`); the clusters are those of one scan of indexed and new files.
    ``Report.timings`` gives the seconds of each stage. Segmenting (part of ``read``),
    ``normalise``, ``shingle``, ``signatures`` and the band keys of ``candidates`` run in
    worker processes, overlapping with reading and each other; they share the wall time of
    that phase in proportion to the work each did.
    """
    check_decode_errors(errors)
    config = config or Config()
    reading = (encoding, select, errors, Fields(text_field, id_field))
    if engine not in ("local", "spark"):
        raise ConfigError(f"engine must be 'local' or 'spark', got {engine!r}")
    if index is not None:
        return _scan_indexed(source, index, config, reading, engine, master, progress)
    if engine == "spark":
        from .executors.spark import run as run_on_spark

        return run_on_spark(source, config, reading, master)
    from .executors.local import run as run_locally

    with no_gc():
        return run_locally(source, config, reading, progress_enabled(progress))


def _scan_indexed(
    source: Source,
    index: str | os.PathLike[str],
    config: Config,
    reading: Reading,
    engine: Engine,
    master: str | None,
    progress: bool | None,
) -> Report:
    """`scan` with an index: `store.scan` on the local engine, `spark.scan_indexed` on
    Spark."""
    if not isinstance(source, (str, os.PathLike, list, tuple)):
        raise ConfigError("index: give files and folders to scan with an index, not texts or rows")
    paths = input_paths(source)
    if engine == "spark":
        from .executors.spark import scan_indexed as scan_on_spark

        return scan_on_spark(paths, index, config, reading, master)
    from .store import scan as scan_locally

    encoding, select, errors, fields = reading
    return scan_locally(
        paths,
        index,
        config,
        encoding=encoding,
        errors=errors,
        select=select,
        text_field=fields.text,
        id_field=fields.id,
        progress=progress_enabled(progress),
    )
