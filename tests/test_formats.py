"""Row formats on real text: JSONL, JSON arrays, CSV/TSV, Parquet, DataFrames, Datasets."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import dedup
from dedup.clean import drop_lines
from dedup.formats import Fields, read_rows, rewrite_rows, rows_of
from tests.conftest import run_dedup, sighan_lines


@pytest.fixture(scope="module")
def rows() -> list[dict[str, object]]:
    """Eight documents of four real sentences each; row 3 repeats row 1's last two lines,
    row 6 is row 2 in full, so clean empties it; the other fields vary in type."""
    lines = sighan_lines("pku_test.utf8")[:40]
    texts = ["\n".join(lines[i * 4 : i * 4 + 4]) for i in range(8)]
    texts[2] = texts[2] + "\n" + "\n".join(texts[0].split("\n")[2:])
    texts[5] = texts[1]
    return [
        {"id": f"doc-{i}", "text": t, "score": i / 3, "tags": ["新闻", str(i)], "meta": None}
        for i, t in enumerate(texts)
    ]


def removed_rows(report: dedup.Report) -> dict[int, set[int]]:
    return {int(path.rpartition("#")[2]): lines for path, lines in report.removals().items()}


# Hand-formatted JSON Lines: odd spacing, key order, \u escapes, CRLF on some lines.
def jsonl_line(row: dict[str, object], i: int) -> tuple[str, str, str]:
    """The line as (before the text value, the text value, after it)."""
    escaped = i % 2 == 1
    tags = json.dumps(row["tags"], ensure_ascii=escaped)
    before = f'{{ "id":"{row["id"]}",  "tags": {tags}, "text" : '
    after = f', "score": {row["score"]!r}, "meta":null}}' + ("\r\n" if i % 3 == 0 else "\n")
    return before, json.dumps(row["text"], ensure_ascii=escaped), after


def test_jsonl_rows_are_documents_named_by_file_and_row(tmp_path: Path, rows: list) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text("".join("".join(jsonl_line(r, i)) for i, r in enumerate(rows)), "utf-8")
    report = dedup.scan(tmp_path, id_field="id", progress=False)
    assert [f.path for f in report.files] == [f"data.jsonl#{i}" for i in range(1, 9)]
    assert [f.id for f in report.files] == [f"doc-{i}" for i in range(8)]
    assert [f.paragraphs for f in report.files] == [4, 4, 6, 4, 4, 4, 4, 4]
    assert removed_rows(report) == {3: {5, 6}, 6: {1, 2, 3, 4}}
    first = next(c for c in report.clusters if c.first.path == "data.jsonl#1")
    assert [(m.path, m.line) for m in first.members] == [("data.jsonl#1", 3), ("data.jsonl#3", 5)]
    assert report.to_dict()["files"][0] == {
        "path": "data.jsonl#1",
        "encoding": "utf-8",
        "paragraphs": 4,
        "row": 1,
        "id": "doc-0",
    }


def test_jsonl_clean_changes_only_the_text_value(tmp_path: Path, rows: list) -> None:
    parts = [jsonl_line(r, i) for i, r in enumerate(rows)]
    (tmp_path / "in").mkdir()
    source = tmp_path / "in" / "data.jsonl"
    bad = b'{"id": "broken", "text": "\xe4\xb8\xad\n'  # bad JSON: copied as it is
    source.write_bytes(b"".join("".join(p).encode() for p in parts) + bad)
    result = dedup.clean(tmp_path / "in", tmp_path / "out", progress=False, drop_empty_rows=True)
    assert result.files_written == 1 and result.paragraphs_removed == 6
    assert [e.path for e in result.errors] == ["data.jsonl#9"]
    out = (tmp_path / "out" / "data.jsonl").read_bytes().splitlines(keepends=True)
    removals = {3: {5, 6}, 6: {1, 2, 3, 4}}
    expected = []
    for row, (before, value, after) in enumerate(parts, start=1):
        if row == 6:
            continue  # row 2 in full: emptied, and dropped
        if row in removals:
            text = drop_lines(json.loads(value), removals[row]).rstrip("\n")
            value = json.dumps(text, ensure_ascii=value.isascii())
        expected.append((before + value + after).encode())
    assert out == [*expected, bad]
    assert source.read_bytes().startswith("".join(parts[0]).encode())  # input untouched


def test_json_array_round_trip_keeps_other_elements_and_fields(tmp_path: Path, rows: list) -> None:
    (tmp_path / "in").mkdir()
    source = tmp_path / "in" / "data.json"
    source.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    report = dedup.scan(source, progress=False)
    assert removed_rows(report) == {3: {5, 6}, 6: {1, 2, 3, 4}}
    dedup.clean(source, tmp_path / "out", progress=False, drop_empty_rows=True)
    written = json.loads((tmp_path / "out" / "data.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in written] == [f"doc-{i}" for i in (0, 1, 2, 3, 4, 6, 7)]
    for new in written:
        old = next(r for r in rows if r["id"] == new["id"])
        assert {k: v for k, v in new.items() if k != "text"} == {
            k: v for k, v in old.items() if k != "text"
        }
    assert written[2]["text"] == "\n".join(str(rows[2]["text"]).split("\n")[:4])


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_csv_round_trip(tmp_path: Path, rows: list, suffix: str) -> None:
    (tmp_path / "in").mkdir()
    source = tmp_path / "in" / f"data{suffix}"
    delimiter = "," if suffix == ".csv" else "\t"
    with open(source, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(["id", "body", "score"])
        writer.writerows([r["id"], r["text"], r["score"]] for r in rows)
    report = dedup.scan(tmp_path / "in", progress=False, text_field="body", id_field="id")
    assert [f.id for f in report.files][:3] == ["doc-0", "doc-1", "doc-2"]
    assert removed_rows(report) == {3: {5, 6}, 6: {1, 2, 3, 4}}
    result = dedup.clean(tmp_path / "in", tmp_path / "out", text_field="body", progress=False)
    assert result.paragraphs_removed == 6
    with open(tmp_path / "out" / f"data{suffix}", encoding="utf-8", newline="") as handle:
        written = list(csv.reader(handle, delimiter=delimiter))
    assert written[0] == ["id", "body", "score"]
    assert [w[0] for w in written[1:]] == [r["id"] for r in rows]  # row 6 kept, empty
    assert [w[2] for w in written[1:]] == [str(r["score"]) for r in rows]
    assert written[6][1] == ""


def write_parquet(path: Path, rows: list) -> pa.Table:
    table = pa.table(
        {
            "id": [r["id"] for r in rows],
            "text": [r["text"] for r in rows],
            "score": pa.array([r["score"] for r in rows], pa.float32()),
            "tags": [r["tags"] for r in rows],
        }
    )
    pq.write_table(table, path, row_group_size=3)
    return table


def test_parquet_round_trip(tmp_path: Path, rows: list) -> None:
    (tmp_path / "in").mkdir()
    table = write_parquet(tmp_path / "in" / "data.parquet", rows)
    report = dedup.scan(tmp_path / "in", id_field="id", progress=False)
    assert [f.path for f in report.files][-1] == "data.parquet#8"
    assert removed_rows(report) == {3: {5, 6}, 6: {1, 2, 3, 4}}
    dedup.clean(tmp_path / "in", tmp_path / "out", progress=False, drop_empty_rows=True)
    written = pq.read_table(tmp_path / "out" / "data.parquet")
    assert written.schema == table.schema
    kept = [0, 1, 2, 3, 4, 6, 7]
    for column in ("id", "score", "tags"):
        assert written.column(column).to_pylist() == [
            table.column(column).to_pylist()[i] for i in kept
        ]
    assert written.column("text").to_pylist()[0] == rows[0]["text"]


def test_malformed_rows_are_reported_by_file_and_row(tmp_path: Path, rows: list) -> None:
    good = [json.dumps(r, ensure_ascii=False) for r in rows[:3]]
    lines = [
        good[0],
        '{"id": "a", "text": "unterminated',
        json.dumps({"id": "b", "body": "no text field"}),
        good[1],
        json.dumps({"id": "c", "text": 42}),
        json.dumps(["not", "an", "object"]),
        "",
        good[2],
    ]
    path = tmp_path / "data.jsonl"
    path.write_bytes("\n".join(lines).encode() + b"\n" + b'{"text": "\xff"}\n')
    read = list(read_rows(path, "data.jsonl", Fields()))
    documents = [d for d in read if isinstance(d, dedup.Document)]
    assert [d.row for d in documents] == [1, 4, 8]
    problems = {s.path: s.reason for s in read if isinstance(s, dedup.SkippedFile)}
    assert list(problems) == [f"data.jsonl#{n}" for n in (2, 3, 5, 6, 9)]
    assert "not valid JSON" in problems["data.jsonl#2"]
    assert (
        "no field 'text'" in problems["data.jsonl#3"] and "--text-field" in problems["data.jsonl#3"]
    )
    assert "int, not a string" in problems["data.jsonl#5"]
    assert "not an object" in problems["data.jsonl#6"]
    assert "UTF-8" in problems["data.jsonl#9"]
    result = run_dedup("scan", path)
    assert result.returncode == 0, result.stderr
    assert "data.jsonl#2: not valid JSON" in result.stderr  # problems go to stderr


def test_missing_column_names_the_file_and_the_fix(tmp_path: Path, rows: list) -> None:
    write_parquet(tmp_path / "data.parquet", rows)
    (tmp_path / "data.csv").write_text("id,body\n1,中文\n", encoding="utf-8")
    report = dedup.scan(tmp_path, text_field="content", progress=False)
    assert [e.path for e in report.errors] == ["data.csv", "data.parquet"]
    assert all("no column 'content'" in e.reason for e in report.errors)


def test_dataframe_and_pairs_and_dataset(rows: list) -> None:
    import pandas as pd

    frame = pd.DataFrame(rows)
    by_frame = dedup.scan(frame, id_field="id", progress=False)
    assert removed_rows(by_frame) == {3: {5, 6}, 6: {1, 2, 3, 4}}
    assert by_frame.files[2].id == "doc-2"
    pairs = ((r["id"], r["text"]) for r in rows)  # a generator: read once, as a stream
    by_pairs = dedup.scan(pairs, progress=False)
    assert [f.id for f in by_pairs.files] == [f.id for f in by_frame.files]
    assert by_pairs.removals() == by_frame.removals()

    datasets = pytest.importorskip("datasets")
    dataset = datasets.Dataset.from_list(rows)
    by_dataset = dedup.scan(dataset, id_field="id", progress=False)
    assert by_dataset.removals() == by_frame.removals()
    assert [f.id for f in by_dataset.files] == [f.id for f in by_frame.files]


def test_clean_rows_gives_back_what_clean_writes_as_a_table_of_the_same_kind(
    tmp_path: Path, rows: list
) -> None:
    import datasets
    import pandas as pd

    (tmp_path / "in").mkdir()
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    (tmp_path / "in" / "data.jsonl").write_text(lines, encoding="utf-8")
    dedup.clean(tmp_path / "in", tmp_path / "out", progress=False)
    written = (tmp_path / "out" / "data.jsonl").read_text(encoding="utf-8").splitlines()
    expected = [json.loads(line)["text"] for line in written]
    assert expected != [r["text"] for r in rows] and expected[5] == ""

    frame = pd.DataFrame(rows)
    cleaned = dedup.clean_rows(frame)
    assert list(cleaned["text"]) == expected
    assert cleaned.drop(columns="text").equals(frame.drop(columns="text"))
    assert list(frame["text"]) == [r["text"] for r in rows]  # the input is not changed
    assert list(dedup.clean_rows(frame, within=True)["text"]) == list(frame["text"])
    kept = dedup.clean_rows(frame, drop_empty_rows=True)
    assert list(kept["id"]) == [r["id"] for i, r in enumerate(rows) if i != 5]

    dataset = datasets.Dataset.from_list(rows)
    from_dataset = dedup.clean_rows(dataset)
    assert from_dataset.column_names == dataset.column_names
    assert from_dataset["text"] == expected and from_dataset["tags"] == dataset["tags"]
    assert dedup.clean_rows(dataset, drop_empty_rows=True)["id"] == list(kept["id"])

    pairs = dedup.clean_rows((r["id"], r["text"]) for r in rows)  # a stream: read once
    assert pairs == [(r["id"], text) for r, text in zip(rows, expected)]


def test_rows_of_imports_no_table_library_for_plain_pairs() -> None:
    code = (
        "import sys, dedup\n"
        "text = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰'\n"
        "r = dedup.scan([(1, text), (2, text)], progress=False)\n"
        "assert r.summary.clusters == 1, r.summary\n"
        "print(sorted(m for m in ('pandas', 'pyarrow', 'datasets') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_pairs_that_are_not_pairs_and_a_numeric_parquet_column(tmp_path: Path) -> None:
    read = list(rows_of([("a", "甲乙"), "just text", ("b", None)], Fields()))
    assert [type(r).__name__ for r in read] == ["Document", "SkippedFile", "SkippedFile"]
    assert read[1].path == "#2" and "pair" in read[1].reason
    pq.write_table(pa.table({"text": [1, 2]}), tmp_path / "n.parquet")
    [problem] = read_rows(tmp_path / "n.parquet", "n.parquet", Fields())
    assert problem == dedup.SkippedFile("n.parquet", "column 'text' holds int64, not strings")


def test_rows_of_a_dataframe_without_the_column() -> None:
    import pandas as pd

    with pytest.raises(KeyError, match="no column 'text'"):
        list(rows_of(pd.DataFrame({"body": ["x"]}), Fields()))


def test_big_file_is_chunked_and_workers_agree(tmp_path: Path, rows: list) -> None:
    lines = sighan_lines("msr_test.utf8")
    texts = ["\n".join(lines[i : i + 5]) for i in range(0, len(lines) - 5, 4)]
    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for i, text in enumerate(texts * 2):
            handle.write(json.dumps({"text": text, "n": i}, ensure_ascii=False) + "\n")
    assert path.stat().st_size > 3 << 18  # more than one chunk of characters
    one = dedup.scan(path, dedup.Config(workers=1), progress=False)
    two = dedup.scan(path, dedup.Config(workers=2), progress=False)
    assert one.summary.files == 2 * len(texts)
    assert one.removals() == two.removals()
    assert len(one.removals()) >= len(texts)


def test_cli_jsonl_single_file_and_clean(tmp_path: Path, rows: list) -> None:
    (tmp_path / "in").mkdir()
    source = tmp_path / "in" / "data.jsonl"
    source.write_text(
        "".join(json.dumps({"key": r["id"], "body": r["text"]}) + "\n" for r in rows), "utf-8"
    )
    scanned = run_dedup("scan", source, "--text-field", "body", "--id-field", "key")
    assert scanned.returncode == 0, scanned.stderr
    assert "data.jsonl#3:5" in scanned.stdout
    cleaned = run_dedup(
        "clean", source, "--out", tmp_path / "out", "--text-field", "body", "--drop-empty-rows"
    )
    assert cleaned.returncode == 0, cleaned.stderr
    written = (tmp_path / "out" / "data.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(written) == 7 and json.loads(written[5])["key"] == "doc-6"


@pytest.mark.parametrize("name", ["data.jsonl", "data.json", "data.csv", "data.parquet"])
def test_a_failed_rewrite_leaves_nothing_behind(tmp_path: Path, rows: list, name: str) -> None:
    source = tmp_path / name
    if name.endswith(".parquet"):
        write_parquet(source, rows)
    elif name.endswith(".csv"):
        with open(source, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([["text"], *([r["text"]] for r in rows)])
    elif name.endswith(".json"):
        source.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    else:
        source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    def change(row: int, text: str) -> str | None:
        if row == 5:
            raise RuntimeError("row 5 changed since the scan")
        return text[:10]

    (tmp_path / "out").mkdir()
    with pytest.raises(RuntimeError, match="row 5"):
        rewrite_rows(source, tmp_path / "out" / name, Fields(), change, {2, 5})
    assert list((tmp_path / "out").iterdir()) == []
    rewrite_rows(source, tmp_path / "out" / name, Fields(), change, {2})
    written = [d.text for d in read_rows(tmp_path / "out" / name, name, Fields())]
    assert written == [r["text"][:10] if i == 1 else r["text"] for i, r in enumerate(rows)]
