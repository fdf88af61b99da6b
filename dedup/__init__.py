"""dedup: find and remove repeated paragraphs in Chinese text.

>>> import dedup
>>> report = dedup.scan("corpus/")                 # a folder of .txt files
>>> report = dedup.scan(["a.txt", "more/"])         # files and folders
>>> report = dedup.scan({"a": text_a, "b": text_b}) # or texts by name
>>> print(report.describe())
>>> dedup.clean("corpus/", "corpus-clean/")         # write a deduplicated copy
"""

from .clean import CleanResult, clean, clean_rows, clean_texts
from .config import Config
from .errors import (
    ConfigError,
    DedupError,
    InputError,
    Interrupted,
    OutputError,
    UnreadableFile,
    WriteError,
)
from .io import Document, Selection, SkippedFile
from .normalise import normalise
from .pipeline import scan
from .report import (
    Containment,
    DuplicateCluster,
    DuplicateDocument,
    FileInfo,
    Member,
    Place,
    Removal,
    Report,
    Summary,
)
from .segment import Paragraph

__version__ = "0.4.0"

__all__ = [
    "CleanResult",
    "Config",
    "ConfigError",
    "Containment",
    "DedupError",
    "Document",
    "DuplicateCluster",
    "DuplicateDocument",
    "FileInfo",
    "InputError",
    "Interrupted",
    "Member",
    "OutputError",
    "Paragraph",
    "Place",
    "Removal",
    "Report",
    "Selection",
    "SkippedFile",
    "Summary",
    "UnreadableFile",
    "WriteError",
    "clean",
    "clean_rows",
    "clean_texts",
    "normalise",
    "scan",
]
