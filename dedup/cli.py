"""The `dedup` command: a thin layer over `dedup.scan` and `dedup.clean`.

Exit codes: 0 done (files that could not be used are listed, the run goes on); 1 done, but
some files could not be used and --strict was given; 2 usage error (bad option, missing
input folder, unknown encoding, unsafe or unwritable output); 130 / 143 stopped by Ctrl-C /
SIGTERM (every file written so far is complete). No traceback reaches the user for any of
these.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import click

from . import __version__
from .clean import clean as clean_folder
from .config import Config
from .errors import DedupError, Interrupted, OutputError
from .html import write_html
from .io import SUFFIXES, check_encoding, check_folder, display_name
from .pipeline import scan as scan_folder
from .report import Report

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
}


def config_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add one option per Config field, named after it, defaulting to its default."""
    for f in reversed(fields(Config)):
        default = getattr(_DEFAULTS, f.name)
        kind: Any = click.Choice(["word", "char"]) if f.name == "shingle" else type(default)
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


def _run(action: Callable[[], int]) -> None:
    """Run ``action``; a dedup error becomes a one-line message and exit code 2, an
    interrupt a note of what was done and exit code 128 + the signal number."""
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = action()
    except Interrupted as exc:
        click.echo(f"{exc}. Run again with --force to finish.", err=True)
        code = 128 + exc.signum
    except KeyboardInterrupt:
        click.echo("interrupted before anything was written", err=True)
        code = 128 + _stopped_by[0]
    except DedupError as exc:
        raise click.UsageError(str(exc)) from None
    except OSError as exc:
        raise click.UsageError(f"{display_name(str(exc.filename or ''))}: {exc.strerror}") from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    raise SystemExit(code)


def _check_inputs(folder: Path, encoding: str | None, report_path: Path | None) -> None:
    """Usage errors found before any work: the folder, the encoding, the report path."""
    check_folder(folder)
    if encoding is not None:
        check_encoding(encoding)
    _check_output_file("--report", folder, report_path)


def _check_output_file(option: str, folder: Path, path: Path | None) -> None:
    """A report file must not be a folder nor a file the scan would read as input (a .txt,
    .json, .jsonl, .csv, .tsv or .parquet name inside the input, or the input file)."""
    if path is None:
        return
    shown = display_name(str(path))
    example = "report.html" if option == "--html" else "report.json"
    if path.is_dir():
        raise OutputError(f"{option} {shown}: is a folder; give a file name such as {example}")
    target = path.resolve()
    if target.name.endswith(SUFFIXES) and (
        target == folder.resolve() or folder.resolve() in target.parents
    ):
        raise OutputError(
            f"{option} {shown}: lies inside the input and would be read as input (or "
            "overwrite one); give a path outside it"
        )


def _no_files_note(folder: Path, report: Report) -> None:
    if not report.files and not report.errors:
        click.echo(
            f"no .txt, .jsonl, .json, .csv, .tsv or .parquet files found under "
            f"{display_name(str(folder))}",
            err=True,
        )


folder_argument = click.argument(
    "folder", type=click.Path(path_type=Path, file_okay=True, dir_okay=True)
)
common = [
    click.option("--encoding", default=None, help="Read every .txt file in this encoding."),
    click.option(
        "--text-field",
        default="text",
        show_default=True,
        help="JSONL/CSV/Parquet: the field whose lines are a row's paragraphs.",
    ),
    click.option("--id-field", default=None, help="JSONL/CSV/Parquet: a row id to report."),
    click.option("--quiet", "-q", is_flag=True, help="No progress bars and no summary."),
    click.option("--strict", is_flag=True, help="Exit 1 if any file could not be used."),
]


def with_common(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(common):
        command = option(command)
    return config_options(command)


@click.group()
@click.version_option(__version__, prog_name="dedup")
def main() -> None:
    """Find and remove repeated paragraphs in Chinese text (.txt files in a folder)."""


@main.command()
@folder_argument
@click.option("--report", "report_path", type=click.Path(path_type=Path), help="Write JSON here.")
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
@with_common
def scan(
    folder: Path,
    report_path: Path | None,
    html_path: Path | None,
    top: int,
    encoding: str | None,
    text_field: str,
    id_field: str | None,
    quiet: bool,
    strict: bool,
    **kw: Any,
) -> None:
    """Report repeated paragraphs in the files under FOLDER (or in one JSONL/CSV/Parquet file).

    .txt files: each line is a paragraph. .jsonl, .json, .csv, .tsv, .parquet: each row is a
    document, the lines of its --text-field its paragraphs.
    """

    def action() -> int:
        config = _config(kw)
        _check_inputs(folder, encoding, report_path)
        _check_output_file("--html", folder, html_path)
        report = scan_folder(
            folder,
            config,
            encoding=encoding,
            progress=False if quiet else None,
            text_field=text_field,
            id_field=id_field,
        )
        _no_files_note(folder, report)
        if report_path is not None:
            report.write_json(report_path)
        if html_path is not None:
            write_html(report, html_path, f"dedup report: {display_name(folder.name)}")
        if not quiet:
            click.echo(report.describe(top))
            if report_path is not None:
                click.echo(f"Report written to {report_path}")
            if html_path is not None:
                click.echo(f"HTML report written to {html_path}")
        return 1 if strict and report.errors else 0

    _run(action)


@main.command()
@folder_argument
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
@click.option("--report", "report_path", type=click.Path(path_type=Path), help="Write JSON here.")
@with_common
def clean(
    folder: Path,
    out_dir: Path,
    within: bool,
    force: bool,
    drop_empty_rows: bool,
    keep_encoding: bool,
    report_path: Path | None,
    encoding: str | None,
    text_field: str,
    id_field: str | None,
    quiet: bool,
    strict: bool,
    **kw: Any,
) -> None:
    """Write a copy of FOLDER without its repeated paragraphs to --out.

    The first occurrence of each repeated paragraph (in path, then line order) is kept.
    """

    def action() -> int:
        config = _config(kw)
        _check_inputs(folder, encoding, report_path)
        result = clean_folder(
            folder,
            out_dir,
            config,
            within=within,
            force=force,
            encoding=encoding,
            keep_encoding=keep_encoding,
            progress=False if quiet else None,
            text_field=text_field,
            id_field=id_field,
            drop_empty_rows=drop_empty_rows,
        )
        _no_files_note(folder, result.report)
        if report_path is not None:
            result.report.write_json(report_path)
        if not quiet:
            click.echo(result.describe())
        return 1 if strict and result.errors else 0

    _run(action)
