"""Exceptions raised by dedup; each message names the thing at fault and how to fix it."""

from __future__ import annotations


class DedupError(Exception):
    """Base class of every error dedup raises on purpose."""


class ConfigError(DedupError, ValueError):
    """A Config value is out of range."""


class InputError(DedupError):
    """The input as a whole cannot be used: a missing folder, a file given as a folder."""


class OutputError(DedupError):
    """The output location is unsafe or unusable: inside the input, or not empty."""


class UnreadableFile(DedupError):
    """One file cannot be read as text; the run skips it and records the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
