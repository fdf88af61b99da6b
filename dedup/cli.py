"""The `dedup` command: a thin layer over `dedup.scan` and `dedup.clean`.

Exit codes: 0 done (files that could not be used are listed, the run goes on); 1 done, but
some files could not be used and --strict was given; 2 the command cannot run as given,
found before any work (bad option, missing input, unknown encoding, unsafe or unwritable
output); 3 an output could not be written during the run; 130 / 143 stopped by Ctrl-C /
SIGTERM (every file written so far is complete). No traceback reaches the user for any of
these. Errors and warnings go to stderr, even with --quiet.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import click

from . import __version__
from .clean import clean as clean_folder
from .config import Config
from .errors import ConfigError, DedupError, Interrupted, OutputError, WriteError
from .io import (
    Selection,
    SkippedFile,
    check_encoding,
    check_inputs,
    check_output_file,
    display_name,
    list_inputs,
)
from .pipeline import scan as scan_inputs
from .report import Report

EXIT_STRICT = 1
"""Done, but some files could not be used and --strict was given."""
EXIT_USAGE = 2
"""The command cannot run as given; found before any work."""
EXIT_WRITE = 3
"""An output could not be written during the run."""

_DEFAULTS = Config()
_CONFIG_HELP = {
    "threshold": "Jaccard similarity of shingle sets that makes a duplicate.",
    "containment": "Share of the smaller shingle set found in the larger that makes a duplicate.",
    "lsh_threshold": "Similarity at which LSH proposes a pair for verification.",
    "shingle": "Shingle by jieba words or by characters.",
    "ngram": "Words (or characters) per shingle.",
    "num_perm": "MinHash permutations.",
    "min_chars": "Shorter paragraphs (normalised characters) are matched only exactly.",
    "seed": "Seed of the MinHash permutations.",
    "workers": "Worker processes that read, normalise, shingle and sign (same results); "
    "default: the CPUs this process may use.",
    "keep": "Copy to keep: the first in path order, or the longest (most complete).",
    "boilerplate": "Keep one copy of boilerplate (headers, footers), or drop every copy.",
    "boilerplate_docs": "Documents a repeated edge line must occur in to be boilerplate.",
}
_CHOICES = {
    "shingle": ["word", "char"],
    "keep": ["first", "longest"],
    "boilerplate": ["keep", "drop"],
}


def config_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add one option per Config field, named after it, defaulting to its default."""
    for f in reversed(fields(Config)):
        default = getattr(_DEFAULTS, f.name)
        kind: Any = click.Choice(_CHOICES[f.name]) if f.name in _CHOICES else type(default)
        command = click.option(
            f"--{f.name.replace('_', '-')}",
            f.name,
            type=kind,
            default=default,
            show_default=True,
            help=_CONFIG_HELP[f.name],
        )(command)
    return command


def _config(options: dict[str, Any]) -> Config:
    """The Config of the options; a value out of range raises ConfigError (exit code 2)."""
    return Config(**{f.name: options.pop(f.name) for f in fields(Config)})


_stopped_by: list[int] = [signal.SIGINT]


def _stop(signum: int, frame: object) -> None:
    """SIGINT and SIGTERM both stop the run as KeyboardInterrupt; remember which came."""
    _stopped_by[0] = signum
    raise KeyboardInterrupt


def _error(message: str) -> None:
    click.echo(f"Error: {message}", err=True)


def _run(action: Callable[[], int]) -> None:
    """Run ``action``; a dedup error becomes a one-line message and exit code 2 (3 when
    an output failed during the run), an interrupt a note of what was done and exit code
    128 + the signal number."""
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = action()
    except Interrupted as exc:
        click.echo(f"{exc}. Run again with --force to finish.", err=True)
        code = 128 + exc.signum
    except KeyboardInterrupt:
        click.echo("interrupted before anything was written", err=True)
        code = 128 + _stopped_by[0]
    except WriteError as exc:
        _error(str(exc))
        code = EXIT_WRITE
    except DedupError as exc:
        _error(str(exc))
        code = EXIT_USAGE
    except BrokenPipeError:
        # The reader of standard output went away (``dedup scan --report - | head``).
        # Point stdout at /dev/null so that Python's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_WRITE
    except OSError as exc:
        where = display_name(str(exc.filename)) + ": " if exc.filename else ""
        _error(f"{where}{exc.strerror or exc}")
        code = EXIT_WRITE
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    raise SystemExit(code)


def _check_run(
    paths: list[Path], encoding: str | None, report_path: Path | None, select: Selection
) -> None:
    """What must hold before any work: the inputs, the encoding, the report's path."""
    check_inputs(paths)
    if encoding is not None:
        check_encoding(encoding)
    if report_path is not None and str(report_path) != "-":
        _check_output_path("--report", report_path, paths, select)


def _check_output_path(option: str, path: Path, paths: list[Path], select: Selection) -> None:
    """An output file must be writable, and neither an input nor a file the run would read
    as one (any input suffix inside an input folder)."""
    check_output_file(path, option)
    target = path.resolve()
    shown = display_name(str(path))
    for given in paths:
        folder = given.resolve()
        if target == folder or (
            folder.is_dir()
            and folder in target.parents
            and select.takes(target.relative_to(folder).as_posix())
        ):
            raise OutputError(
                f"{option} {shown}: is an input file, or would be read as one (or overwrite "
                "one); give a path outside the input folders"
            )


def _problems(
    paths: list[Path], select: Selection, report: Report, late: tuple[SkippedFile, ...] = ()
) -> None:
    """Say on stderr, quiet or not, when nothing was found (and what was there), which
    files could not be used and which were read with warnings."""
    if not report.files and not report.errors:
        click.echo(list_inputs(paths, select).nothing_found(paths, select), err=True)
    for line in report.problems():
        click.echo(line, err=True)
    for skipped in late:
        click.echo(f"  not written: {skipped.path}: {skipped.reason}", err=True)


def _exit_code(strict: bool, errors: tuple[SkippedFile, ...]) -> int:
    if strict and errors:
        click.echo(
            f"--strict: {len(errors)} file(s) could not be used (listed above); exit code 1",
            err=True,
        )
        return EXIT_STRICT
    return 0


def _write_report(
    report: Report, report_path: Path | None, members: int | None, show: bool
) -> None:
    if report_path is None:
        return
    if str(report_path) == "-":
        try:
            report.write_json(sys.stdout.buffer, members=members, progress=show)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise WriteError(
                f"--report -: standard output cannot be written ({exc.strerror or exc})"
            ) from None
    else:
        report.write_json(report_path, members=members, progress=show)


paths_argument = click.argument(
    "paths", nargs=-1, required=True, metavar="PATH...", type=click.Path(path_type=Path)
)
common = [
    click.option(
        "--include",
        multiple=True,
        metavar="GLOB",
        help="Read the files matching GLOB (repeatable) instead of the usual suffixes.",
    ),
    click.option(
        "--exclude", multiple=True, metavar="GLOB", help="Leave out matching files/folders."
    ),
    click.option("--hidden", is_flag=True, help="Also read hidden files and folders (.name)."),
    click.option("--encoding", default=None, help="Read every text file in this encoding."),
    click.option(
        "--text-field",
        default="text",
        show_default=True,
        help="JSONL/JSON/CSV/Parquet: the field whose lines are a row's paragraphs.",
    ),
    click.option("--id-field", default=None, help="JSONL/JSON/CSV/Parquet: a row id to report."),
    click.option(
        "--errors",
        "decode_errors",
        type=click.Choice(["strict", "replace"]),
        default="strict",
        show_default=True,
        help="replace: read files with invalid bytes, as U+FFFD, and list them as warnings.",
    ),
    click.option(
        "--report",
        "report_path",
        type=click.Path(path_type=Path, allow_dash=True),
        help="Write the JSON report here (- for standard output).",
    ),
    click.option(
        "--report-members",
        type=click.IntRange(min=0),
        default=None,
        metavar="N",
        help="List at most N members per cluster in the report (sizes stay exact).",
    ),
    click.option("--quiet", "-q", is_flag=True, help="No progress bars and no summary."),
    click.option("--strict", is_flag=True, help="Exit 1 if any file could not be used."),
]


def with_common(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(common):
        command = option(command)
    return config_options(command)


def _reading(
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    hidden: bool,
    decode_errors: str,
    text_field: str,
    id_field: str | None,
) -> dict[str, Any]:
    return {
        "select": Selection(include, exclude, hidden),
        "errors": decode_errors,
        "text_field": text_field,
        "id_field": id_field,
    }


@click.group()
@click.version_option(__version__, prog_name="dedup")
def main() -> None:
    """Find and remove repeated paragraphs in Chinese text (.txt files, or files you name)."""


def engine_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--engine and --master: where the stages run (the results are the same)."""
    command = click.option(
        "--master", help="Spark master URL for --engine spark (default: local[*])."
    )(command)
    return click.option(
        "--engine",
        type=click.Choice(["local", "spark"]),
        default="local",
        show_default=True,
        help='Run on this machine, or on Apache Spark (pip install "dedup[spark]"; same result).',
    )(command)


def _engine(engine: str, master: str | None) -> dict[str, Any]:
    """The engine arguments of `dedup.scan`; --master only goes with --engine spark."""
    if master is not None and engine != "spark":
        raise ConfigError("--master needs --engine spark")
    return {"engine": engine, "master": master}


@main.command(short_help="Report repeated paragraphs.")
@paths_argument
@click.option(
    "--html",
    "html_path",
    type=click.Path(path_type=Path),
    help="Write a self-contained HTML report here (side-by-side differences, charts).",
)
@click.option(
    "--top",
    default=3,
    show_default=True,
    type=click.IntRange(min=0),
    help="Clusters in the summary.",
)
@click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path),
    help="Scan these files together with those of a persistent index (dedup index add).",
)
@engine_options
@with_common
def scan(
    paths: tuple[Path, ...],
    html_path: Path | None,
    top: int,
    index_dir: Path | None,
    engine: str,
    master: str | None,
    report_path: Path | None,
    report_members: int | None,
    encoding: str | None,
    quiet: bool,
    strict: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    hidden: bool,
    decode_errors: str,
    text_field: str,
    id_field: str | None,
    **kw: Any,
) -> None:
    """Report repeated paragraphs in the files and folders given.

    In folders: .txt files, each line a paragraph; .jsonl, .json, .csv, .tsv and .parquet
    files, each row a document whose --text-field lines are its paragraphs.
    """

    def action() -> int:
        config = _config(kw)
        reading = _reading(include, exclude, hidden, decode_errors, text_field, id_field)
        _check_run(list(paths), encoding, report_path, reading["select"])
        if html_path is not None:
            _check_output_path("--html", html_path, list(paths), reading["select"])
        show = not quiet and sys.stderr.isatty()  # progress bars on a terminal only
        how = _engine(engine, master)
        report = scan_inputs(
            list(paths),
            config,
            encoding=encoding,
            progress=show,
            index=index_dir,
            **how,
            **reading,
        )
        _problems(list(paths), reading["select"], report)
        _write_report(report, report_path, report_members, show)
        if html_path is not None:
            from .html import write_html  # imported by the commands that use it: start-up

            names = ", ".join(display_name(p.name) for p in paths)
            write_html(report, html_path, f"dedup report: {names}")
        if not quiet:
            to_stdout = str(report_path) == "-"  # the summary must not mix with the JSON
            click.echo(report.describe(top, problems=False), err=to_stdout)
            if report_path is not None and not to_stdout:
                click.echo(f"Report written to {display_name(str(report_path))}")
            if html_path is not None:
                click.echo(f"HTML report written to {display_name(str(html_path))}", err=to_stdout)
        return _exit_code(strict, report.errors)

    _run(action)


@main.command(short_help="Write a copy without the repeated paragraphs.")
@paths_argument
@click.option(
    "--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Output folder."
)
@click.option("--within", is_flag=True, help="Remove only repeats inside the same document.")
@click.option("--force", is_flag=True, help="Write into a non-empty output folder.")
@click.option(
    "--drop-empty-rows", is_flag=True, help="JSONL/CSV/Parquet: leave out rows left with no text."
)
@click.option(
    "--keep-encoding",
    is_flag=True,
    help="Write each file in the encoding it was read in (else UTF-8), when every character fits.",
)
@click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path),
    help="Clean these files against a persistent index (dedup index add): a line whose copy "
    "is kept in an indexed file goes too; only these files are written.",
)
@engine_options
@with_common
def clean(
    paths: tuple[Path, ...],
    index_dir: Path | None,
    engine: str,
    master: str | None,
    out_dir: Path,
    within: bool,
    force: bool,
    drop_empty_rows: bool,
    keep_encoding: bool,
    report_path: Path | None,
    report_members: int | None,
    encoding: str | None,
    quiet: bool,
    strict: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    hidden: bool,
    decode_errors: str,
    text_field: str,
    id_field: str | None,
    **kw: Any,
) -> None:
    """Write a copy of the files given, without their repeated paragraphs, to --out.

    The first occurrence of each repeated paragraph (in path, then line order) is kept.
    """

    def action() -> int:
        config = _config(kw)
        reading = _reading(include, exclude, hidden, decode_errors, text_field, id_field)
        _check_run(list(paths), encoding, report_path, reading["select"])
        how = _engine(engine, master)
        result = clean_folder(
            list(paths),
            out_dir,
            config,
            within=within,
            force=force,
            encoding=encoding,
            keep_encoding=keep_encoding,
            drop_empty_rows=drop_empty_rows,
            progress=False if quiet else None,
            index=index_dir,
            **how,
            **reading,
        )
        late = result.errors[len(result.report.errors) :]
        _problems(list(paths), reading["select"], result.report, late)
        _write_report(result.report, report_path, report_members, not quiet and sys.stderr.isatty())
        if not quiet:
            click.echo(result.describe(problems=False), err=str(report_path) == "-")
        return _exit_code(strict, result.errors)

    _run(action)


@main.group(short_help="Keep signed files in a persistent index.")
def index() -> None:
    """A persistent index: `dedup index add` signs only new or changed files, and
    `dedup scan NEW --index DIR` finds NEW's copies among everything indexed."""


index_option = click.option(
    "--index",
    "index_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder of the index (created by the first add).",
)


def index_add_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options of a scan that say what to read and how to sign it (no report)."""
    for option in reversed(common):
        if _option_name(option) not in ("report_path", "report_members"):
            command = option(command)
    return config_options(command)


def _option_name(option: Callable[..., Any]) -> str | None:
    """The parameter name an option decorator adds."""

    def probe() -> None: ...

    params = getattr(option(probe), "__click_params__", [])
    return str(params[0].name) if params else None


@index.command("add", short_help="Sign new or changed files into the index.")
@paths_argument
@index_option
@index_add_options
def index_add(
    paths: tuple[Path, ...],
    index_dir: Path,
    encoding: str | None,
    quiet: bool,
    strict: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    hidden: bool,
    decode_errors: str,
    text_field: str,
    id_field: str | None,
    **kw: Any,
) -> None:
    """Sign the files given into the index, in one transaction: files whose size and
    mtime (or content) are unchanged are not signed again; indexed files under the folders
    given that no longer exist are dropped."""

    def action() -> int:
        config = _config(kw)
        reading = _reading(include, exclude, hidden, decode_errors, text_field, id_field)
        _check_run(list(paths), encoding, None, reading["select"])
        from .store import add as add_to_index

        added = add_to_index(list(paths), index_dir, config, encoding=encoding, **reading)
        for skipped in added.errors:
            click.echo(f"  skipped: {skipped.path}: {skipped.reason}", err=True)
        if not quiet:
            click.echo(
                f"{added.files} file(s): {added.signed} signed, {added.unchanged} unchanged, "
                f"{added.dropped} gone from disk dropped, {added.verified} candidate pair(s) "
                f"verified; index {display_name(str(index_dir))}"
            )
        return _exit_code(strict, added.errors)

    _run(action)


@index.command("remove", short_help="Remove files from the index.")
@paths_argument
@index_option
def index_remove(paths: tuple[Path, ...], index_dir: Path) -> None:
    """Remove the indexed files at or under the paths given."""

    def action() -> int:
        from .store import remove as remove_from_index

        removed = remove_from_index(list(paths), index_dir)
        click.echo(f"{removed} file(s) removed from index {display_name(str(index_dir))}")
        return 0

    _run(action)


@index.command("export", short_help="Write the index's tables as Parquet files.")
@index_option
@click.argument("out_dir", type=click.Path(path_type=Path))
def index_export(index_dir: Path, out_dir: Path) -> None:
    """Write each table of the index as OUT_DIR/TABLE.parquet (needs pyarrow:
    pip install "dedup[spark]"), for Spark or any Parquet reader."""

    def action() -> int:
        from .store import export as export_index

        counts = export_index(index_dir, out_dir)
        rows = ", ".join(f"{table} {n}" for table, n in counts.items())
        click.echo(f"{len(counts)} table(s) written to {display_name(str(out_dir))}: {rows}")
        return 0

    _run(action)
