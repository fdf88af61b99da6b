"""Row formats: JSON Lines, JSON arrays, CSV/TSV, Parquet and in-memory tables, read as one
document per row and written back with only the text field changed.

A row's text field is a document: its lines are its paragraphs. A row document is named
``FILE#ROW`` (ROW is 1-based: the line number in a JSON Lines file, the element of a JSON
array, the record after the header of a CSV file, the row of a Parquet file), so that every
place a report names is a file, a row and a line; the id field, if given, is kept beside it.

Reading streams: rows are parsed one at a time (a JSON array, which has no row boundaries,
is the exception and is read whole) and nothing else of a row is kept. A row that cannot be
used (bad JSON, not an object, no text field, a text that is not a string) becomes a
`SkippedFile` naming the file and row; the rest of the file goes on. pyarrow, pandas and
datasets are imported only when a Parquet file, a DataFrame or a Dataset is given.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import os
import re
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .io import ROW_SUFFIXES, Document, SkippedFile, open_atomic

_DELIMITER = {".csv": ",", ".tsv": "\t"}
_BATCH_ROWS = 1024
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class Fields:
    """Which field of a row holds the text, and which (if any) its id."""

    text: str = "text"
    id: str | None = None


def is_row_file(name: str) -> bool:
    """Whether ``name`` is read as rows (by its suffix, in any case; ``io`` lists them)."""
    return name.lower().endswith(ROW_SUFFIXES)


def row_name(name: str, row: int) -> str:
    """The name of row ``row`` of the file named ``name``: ``data.jsonl#12``."""
    return f"{name}#{row}"


def split_row_name(name: str) -> tuple[str, int]:
    """The file name and row of a row document's name (see ``row_name``)."""
    file, _, row = name.rpartition("#")
    return file, int(row)


def _suffix(name: str) -> str:
    return os.path.splitext(name)[1].lower()


# --------------------------------------------------------------------------- reading


def _document(
    name: str, row: int, value: Any, ident: Any, fields: Fields
) -> Document | SkippedFile:
    """The row's document, or why it cannot be one."""
    where = row_name(name, row)
    if value is None:
        return SkippedFile(where, f"field {fields.text!r} is missing or null; this row is skipped")
    if not isinstance(value, str):
        return SkippedFile(
            where, f"field {fields.text!r} is a {type(value).__name__}, not a string; skipped"
        )
    return Document(where, value, "utf-8", row=row, id=None if ident is None else str(ident))


def _from_object(name: str, row: int, obj: Any, fields: Fields) -> Document | SkippedFile:
    if not isinstance(obj, dict):
        return SkippedFile(
            row_name(name, row), f"a JSON {type(obj).__name__}, not an object; this row is skipped"
        )
    if fields.text not in obj:
        shown = ", ".join(list(obj)[:8])
        return SkippedFile(
            row_name(name, row),
            f"no field {fields.text!r} (it has: {shown}); pass --text-field NAME; skipped",
        )
    return _document(name, row, obj[fields.text], obj.get(fields.id) if fields.id else None, fields)


def _json_lines(path: Path, name: str, fields: Fields) -> Iterator[Document | SkippedFile]:
    with open(path, "rb") as handle:
        for row, raw in enumerate(handle, start=1):
            if row == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                yield SkippedFile(row_name(name, row), f"not valid UTF-8 at byte {exc.start}")
                continue
            except json.JSONDecodeError as exc:
                yield SkippedFile(
                    row_name(name, row),
                    f"not valid JSON ({exc.msg} at column {exc.colno}); this row is skipped",
                )
                continue
            yield _from_object(name, row, obj, fields)


def _array_spans(text: str) -> list[tuple[int, int]]:
    """Start and end of each element of the JSON array ``text`` (ValueError if it is not
    one)."""
    i = _WS.match(text, 0).end()  # type: ignore[union-attr]
    if text[i : i + 1] != "[":
        raise ValueError("not a JSON array")
    i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
    spans: list[tuple[int, int]] = []
    if text[i : i + 1] == "]":
        return spans
    while True:
        _, end = _DECODER.raw_decode(text, i)
        spans.append((i, end))
        i = _WS.match(text, end).end()  # type: ignore[union-attr]
        if text[i : i + 1] == ",":
            i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
        elif text[i : i + 1] == "]" and not text[i + 1 :].strip():
            return spans
        else:
            raise json.JSONDecodeError("expected ',' or ']'", text, i)


def _starts_array(path: Path) -> bool:
    """Whether the JSON file ``path`` holds an array (else it is read as JSON Lines)."""
    with open(path, "rb") as handle:
        head = handle.read(4096).lstrip(codecs.BOM_UTF8).lstrip()
    return head.startswith(b"[")


def _json_array(path: Path, name: str, fields: Fields) -> Iterator[Document | SkippedFile]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
        spans = _array_spans(text)
    except UnicodeDecodeError as exc:
        yield SkippedFile(name, f"not valid UTF-8 at byte {exc.start}; the file is skipped")
        return
    except json.JSONDecodeError as exc:
        yield SkippedFile(
            name, f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        )
        return
    for row, (start, end) in enumerate(spans, start=1):
        yield _from_object(name, row, json.loads(text[start:end]), fields)


def _csv_rows(path: Path, name: str, fields: Fields) -> Iterator[Document | SkippedFile]:
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=_DELIMITER[_suffix(name)])
        row = 0
        try:
            header = next(reader, None)
            if header is None:
                yield SkippedFile(name, "empty file, no header row")
                return
            missing = [f for f in (fields.text, fields.id) if f is not None and f not in header]
            if missing:
                yield SkippedFile(
                    name,
                    f"no column {missing[0]!r} in the header ({', '.join(header[:8])}); pass "
                    "--text-field / --id-field NAME",
                )
                return
            text_at = header.index(fields.text)
            id_at = header.index(fields.id) if fields.id is not None else None
            for row, values in enumerate(reader, start=1):
                if not values:
                    continue
                if len(values) <= max(text_at, id_at or 0):
                    yield SkippedFile(
                        row_name(name, row),
                        f"has {len(values)} field(s), the header {len(header)}; skipped",
                    )
                    continue
                ident = values[id_at] if id_at is not None else None
                yield _document(name, row, values[text_at], ident, fields)
        except UnicodeDecodeError as exc:
            yield SkippedFile(
                row_name(name, row + 1), f"not valid UTF-8 ({exc.reason}); the rest is skipped"
            )
        except csv.Error as exc:
            yield SkippedFile(
                row_name(name, row + 1), f"not valid CSV ({exc}); the rest of the file is skipped"
            )


def _parquet_rows(path: Path, name: str, fields: Fields) -> Iterator[Document | SkippedFile]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        yield SkippedFile(name, f"not a readable Parquet file ({exc})")
        return
    names = parquet.schema_arrow.names
    wanted = [f for f in (fields.text, fields.id) if f is not None]
    missing = [f for f in wanted if f not in names]
    if missing:
        yield SkippedFile(
            name,
            f"no column {missing[0]!r} (it has: {', '.join(names[:8])}); pass "
            "--text-field / --id-field NAME",
        )
        return
    kind = parquet.schema_arrow.field(fields.text).type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        yield SkippedFile(name, f"column {fields.text!r} holds {kind}, not strings")
        return
    row = 0
    for batch in parquet.iter_batches(batch_size=_BATCH_ROWS, columns=wanted):
        texts = batch.column(fields.text).to_pylist()
        ids = batch.column(fields.id).to_pylist() if fields.id else [None] * len(texts)
        for value, ident in zip(texts, ids):
            row += 1
            yield _document(name, row, value, ident, fields)


def read_rows(path: Path, name: str, fields: Fields) -> Iterator[Document | SkippedFile]:
    """The rows of the file ``path`` (named ``name`` in reports) as documents, one at a time,
    with every row or file that cannot be used as a SkippedFile in its place."""
    suffix = _suffix(name)
    try:
        if suffix == ".parquet":
            yield from _parquet_rows(path, name, fields)
        elif suffix in _DELIMITER:
            yield from _csv_rows(path, name, fields)
        elif suffix == ".json" and _starts_array(path):
            yield from _json_array(path, name, fields)
        else:
            yield from _json_lines(path, name, fields)
    except OSError as exc:
        yield SkippedFile(name, f"cannot be read ({exc.strerror or exc})")


def _is_instance_of(obj: object, module: str, names: tuple[str, ...]) -> bool:
    """Whether ``obj`` is one of the classes ``names`` of ``module``, without importing it."""
    return any(
        cls.__module__.split(".")[0] == module and cls.__name__ in names
        for cls in type(obj).__mro__
    )


def rows_of(data: Iterable[Any], fields: Fields) -> Iterator[Document | SkippedFile]:
    """The rows of a Hugging Face ``datasets.Dataset``, a pandas ``DataFrame`` or any
    iterable of ``(id, text)`` pairs as documents named ``#ROW`` (1-based)."""
    if _is_instance_of(data, "datasets", ("Dataset",)):
        missing = [f for f in (fields.text, fields.id) if f and f not in data.column_names]  # type: ignore[attr-defined]
        if missing:
            raise KeyError(f"the Dataset has no column {missing[0]!r}; pass text_field=NAME")
        columns = [f for f in (fields.text, fields.id) if f]
        batches = data.select_columns(columns).iter(batch_size=_BATCH_ROWS)  # type: ignore[attr-defined]
        pairs: Iterable[tuple[Any, Any]] = (
            pair
            for batch in batches
            for pair in zip(
                batch[fields.id] if fields.id else [None] * len(batch[fields.text]),
                batch[fields.text],
            )
        )
    elif _is_instance_of(data, "pandas", ("DataFrame",)):
        frame: Any = data
        missing = [f for f in (fields.text, fields.id) if f and f not in frame.columns]
        if missing:
            raise KeyError(f"the DataFrame has no column {missing[0]!r}; pass text_field=NAME")
        ids = frame[fields.id] if fields.id else frame.index
        pairs = zip(ids, frame[fields.text])
    else:
        pairs = data
    for row, pair in enumerate(pairs, start=1):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            yield SkippedFile(row_name("", row), "not an (id, text) pair; skipped")
            continue
        yield _document("", row, pair[1], pair[0], fields)


def is_table(data: object) -> bool:
    """Whether ``data`` is a Hugging Face ``Dataset`` or a pandas ``DataFrame`` (which can be
    read twice), rather than an iterable of ``(id, text)`` pairs."""
    return _is_instance_of(data, "datasets", ("Dataset",)) or _is_instance_of(
        data, "pandas", ("DataFrame",)
    )


def replace_texts(
    data: Any, fields: Fields, texts: Mapping[int, str], drop: Collection[int] = ()
) -> Any:
    """``data`` (a ``Dataset``, a ``DataFrame`` or a list of ``(id, text)`` pairs) with the
    text of each row in ``texts`` (1-based, as `rows_of` numbers them) replaced and the
    rows in ``drop`` left out: every other column and the row order as they were. A
    ``Dataset`` or ``DataFrame`` comes back as a new one of its kind, pairs as a list."""
    if _is_instance_of(data, "datasets", ("Dataset",)):

        def new_texts(batch: dict[str, list[Any]], indices: list[int]) -> dict[str, list[Any]]:
            column = batch[fields.text]
            return {fields.text: [texts.get(i + 1, t) for i, t in zip(indices, column)]}

        # The function closes over the new texts, which datasets would hash to name its
        # cache; a digest of them names the result instead, and nothing is cached.
        digest = hashlib.blake2b(digest_size=16)
        for row in sorted(texts):
            digest.update(f"{row}\0{texts[row]}\0".encode())
        out = data.map(
            new_texts,
            with_indices=True,
            batched=True,
            batch_size=_BATCH_ROWS,
            load_from_cache_file=False,
            new_fingerprint=digest.hexdigest(),
        )
        if drop:
            out = out.select([i for i in range(len(out)) if i + 1 not in drop])
        return out
    if _is_instance_of(data, "pandas", ("DataFrame",)):
        out = data.copy()
        column = list(data[fields.text])
        for row, text in texts.items():
            column[row - 1] = text
        out[fields.text] = column
        if drop:
            out = out.iloc[[i for i in range(len(out)) if i + 1 not in drop]]
        return out
    pairs = [
        (pair[0], texts.get(row, pair[1])) if row in texts else pair
        for row, pair in enumerate(data, start=1)
        if row not in drop
    ]
    return pairs


# --------------------------------------------------------------------------- writing


Change = Callable[[int, str], "str | None"]
"""Given a row and its text: the new text, or None to drop the row."""


def _object_span(text: str, field: str) -> tuple[int, int] | None:
    """Start and end of the value of the top-level key ``field`` (the last one, as
    ``json.loads`` keeps) in the JSON object ``text``, which is valid JSON."""
    i = _WS.match(text, 0).end()  # type: ignore[union-attr]
    i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
    span = None
    while text[i] == '"':
        key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
        i = _WS.match(text, i).end()  # type: ignore[union-attr]
        i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]  # past ':'
        _, end = _DECODER.raw_decode(text, i)
        if key == field:
            span = (i, end)
        i = _WS.match(text, end).end()  # type: ignore[union-attr]
        if text[i] != ",":
            break
        i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
    return span


def _replace_value(text: str, field: str, value: str) -> str:
    """The JSON object ``text`` with the string value of ``field`` replaced by ``value``,
    every other byte as it was; escaped as the old value was (``\\uXXXX`` or not)."""
    start, end = _object_span(text, field)  # type: ignore[misc]
    old = text[start:end]
    ascii_only = old.isascii() and "\\u" in old
    return text[:start] + json.dumps(value, ensure_ascii=ascii_only) + text[end:]


def _rewrite_json_lines(
    path: Path, out: IO[bytes], fields: Fields, change: Change, rows: Container[int]
) -> None:
    with open(path, "rb") as handle:
        for row, raw in enumerate(handle, start=1):
            if row not in rows:
                out.write(raw)
                continue
            bom = codecs.BOM_UTF8 if row == 1 and raw.startswith(codecs.BOM_UTF8) else b""
            body = raw[len(bom) :]
            line = body.rstrip(b"\r\n")
            text = line.decode("utf-8")
            new = change(row, json.loads(text)[fields.text])
            if new is not None:
                edited = _replace_value(text, fields.text, new).encode("utf-8")
                out.write(bom + edited + body[len(line) :])


def _rewrite_json_array(
    path: Path, out: IO[bytes], fields: Fields, change: Change, rows: Container[int]
) -> None:
    data = path.read_bytes()
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    text = data[len(bom) :].decode("utf-8")
    spans = _array_spans(text)
    pieces = [text[: spans[0][0]] if spans else text]
    kept = 0
    for row, (start, end) in enumerate(spans, start=1):
        element = text[start:end]
        if row in rows:
            new = change(row, json.loads(element)[fields.text])
            if new is None:
                continue
            element = _replace_value(element, fields.text, new)
        if kept:
            pieces.append(text[spans[row - 2][1] : start])  # the separator before it
        pieces.append(element)
        kept += 1
    if spans:
        pieces.append(text[spans[-1][1] :])
    out.write(bom + "".join(pieces).encode("utf-8"))


def _line_end(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    return "\r\n" if b"\r\n" in head else "\n"


def _rewrite_csv(
    path: Path, out: IO[bytes], fields: Fields, change: Change, rows: Container[int]
) -> None:
    csv.field_size_limit(1 << 30)
    delimiter = _DELIMITER[_suffix(path.name)]
    with open(path, "rb") as raw:
        if raw.read(3) == codecs.BOM_UTF8:
            out.write(codecs.BOM_UTF8)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        writer_stream = codecs.getwriter("utf-8")(out)
        writer = csv.writer(writer_stream, delimiter=delimiter, lineterminator=_line_end(path))
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader)
        writer.writerow(header)
        text_at = header.index(fields.text)
        for row, values in enumerate(reader, start=1):
            if row in rows:
                new = change(row, values[text_at])
                if new is None:
                    continue
                values[text_at] = new
            writer.writerow(values)


def _rewrite_parquet(
    path: Path, out: IO[bytes], fields: Fields, change: Change, rows: Container[int]
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
    schema = parquet.schema_arrow
    at = schema.get_field_index(fields.text)
    row = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in parquet.iter_batches(batch_size=_BATCH_ROWS):
            texts = batch.column(at).to_pylist()
            keep = [True] * len(texts)
            changed = False
            for i, value in enumerate(texts):
                row += 1
                if row in rows:
                    new = change(row, value)
                    keep[i] = new is not None
                    texts[i], changed = new, True
            if changed:
                batch = batch.set_column(
                    at, schema.field(at), pa.array(texts, schema.field(at).type)
                )
            if not all(keep):
                batch = batch.filter(pa.array(keep))
            writer.write_batch(batch)


def rewrite_rows(
    path: Path, target: Path, fields: Fields, change: Change, rows: Container[int]
) -> None:
    """Write ``path``'s rows to ``target`` (atomically) in the same format, each row in
    ``rows`` with its text replaced by ``change(row, text)`` or dropped when that is None;
    every other row and field as it was (byte for byte in JSON files, value for value in
    CSV and Parquet). An exception from ``change`` leaves ``target`` untouched."""
    suffix = _suffix(path.name)
    with open_atomic(target) as out:
        if suffix == ".parquet":
            _rewrite_parquet(path, out, fields, change, rows)
        elif suffix in _DELIMITER:
            _rewrite_csv(path, out, fields, change, rows)
        elif suffix == ".json" and _starts_array(path):
            _rewrite_json_array(path, out, fields, change, rows)
        else:
            _rewrite_json_lines(path, out, fields, change, rows)
