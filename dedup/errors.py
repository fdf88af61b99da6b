"""Exceptions raised by dedup; each message names the thing at fault and how to fix it."""

from __future__ import annotations


class DedupError(Exception):
    """Base class of every error dedup raises on purpose."""


class ConfigError(DedupError, ValueError):
    """A Config value is out of range."""


class InputError(DedupError):
    """The input as a whole cannot be used: a missing folder, a file given as a folder."""


class OutputError(DedupError):
    """The output location is unsafe or unusable: inside the input, not empty, not writable."""


class WriteError(OutputError):
    """An output could not be written while the run went on (disk full, folder removed,
    read-only mount...): the checks before the run passed, the write itself failed."""


class UnreadableFile(DedupError):
    """One file cannot be read as text; the run skips it and records the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped `clean` while it was writing.

    Every file it wrote is complete under its final name; no partial file is left. It is
    a KeyboardInterrupt, so code that does not know it still stops as on Ctrl-C.
    """

    def __init__(self, written: int, total: int, out_dir: object, signum: int) -> None:
        super().__init__(
            f"interrupted: {written} of {total} file(s) written to {out_dir}, each complete; "
            "no partial files"
        )
        self.written = written
        self.total = total
        self.out_dir = out_dir
        self.signum = signum
        """The signal that stopped it (2 for SIGINT, 15 for SIGTERM)."""
