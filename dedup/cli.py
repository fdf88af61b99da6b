"""The `dedup` command: a thin layer over `dedup.scan` and `dedup.clean`.

Exit codes: 0 done; 1 done, but some files could not be used and --strict was given;
2 usage error (bad option, missing input folder, unsafe output folder).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import click

from . import __version__
from .clean import clean as clean_folder
from .config import Config
from .errors import DedupError
from .pipeline import scan as scan_folder

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
    "workers": "Worker processes for shingling and signatures.",
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
    return Config(**{f.name: options.pop(f.name) for f in fields(Config)})


def _run(action: Callable[[], int]) -> None:
    """Run ``action``; a dedup error becomes a one-line message and exit code 2."""
    try:
        code = action()
    except DedupError as exc:
        raise click.UsageError(str(exc)) from None
    raise SystemExit(code)


folder_argument = click.argument(
    "folder", type=click.Path(path_type=Path, file_okay=True, dir_okay=True)
)
common = [
    click.option("--encoding", default=None, help="Read every file in this encoding."),
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
@with_common
def scan(
    folder: Path,
    report_path: Path | None,
    encoding: str | None,
    quiet: bool,
    strict: bool,
    **kw: Any,
) -> None:
    """Report repeated paragraphs in the .txt files under FOLDER."""
    config = _config(kw)

    def action() -> int:
        report = scan_folder(folder, config, encoding=encoding, progress=False if quiet else None)
        if report_path is not None:
            report.write_json(report_path)
        if not quiet:
            click.echo(report.describe())
            if report_path is not None:
                click.echo(f"Report written to {report_path}")
        return 1 if strict and report.errors else 0

    _run(action)


@main.command()
@folder_argument
@click.option(
    "--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Output folder."
)
@click.option("--within", is_flag=True, help="Remove only repeats inside the same document.")
@click.option("--force", is_flag=True, help="Write into a non-empty output folder.")
@click.option("--report", "report_path", type=click.Path(path_type=Path), help="Write JSON here.")
@with_common
def clean(
    folder: Path,
    out_dir: Path,
    within: bool,
    force: bool,
    report_path: Path | None,
    encoding: str | None,
    quiet: bool,
    strict: bool,
    **kw: Any,
) -> None:
    """Write a copy of FOLDER's .txt files to --out with repeated paragraphs removed."""
    config = _config(kw)

    def action() -> int:
        result = clean_folder(
            folder,
            out_dir,
            config,
            within=within,
            force=force,
            encoding=encoding,
            progress=False if quiet else None,
        )
        if report_path is not None:
            result.report.write_json(report_path)
        if not quiet:
            click.echo(result.describe())
        return 1 if strict and result.errors else 0

    _run(action)
