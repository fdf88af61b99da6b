"""The persistent index (`dedup.store`) on real text and a real SQLite file: an indexed scan
equals a fresh scan of old and new together, unchanged files are not signed again, other
settings are refused, and a process killed mid-add leaves the previous state."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from conftest import SIGHAN, run_dedup

from dedup import scan
from dedup.clean import clean
from dedup.config import Config
from dedup.errors import ConfigError, InputError
from dedup.report import Report
from dedup.store import EXPORT, INDEX_FILE, SCHEMA, add, export, generation, remove
from dedup.store import scan as scan_indexed

CONFIG = Config(workers=1)


def _lines(name: str) -> list[str]:
    text = (SIGHAN / name).read_text(encoding="utf-8")
    return [line.replace(" ", "") for line in text.splitlines() if len(line) > 30]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """Folders ``a``, ``b`` (indexed) and ``new`` of real SIGHAN lines that repeat across
    files, some cut short, some in traditional script."""
    msr, cityu = _lines("msr_test.utf8"), _lines("cityu_test.utf8")
    files = {
        # Hard negatives: lines that share one of their two sentences-worth of text, in
        # a/1 and b/4, are candidates that verification rejects.
        "a/1.txt": msr[0:40] + [msr[i] + msr[i + 1] for i in (120, 124, 128)],
        # Near copies inside what is indexed, in one add and across two: pairs of indexed
        # keys that only the stored edges (or a lookup of indexed band rows) can give.
        "a/2.txt": msr[30:70] + cityu[0:10] + [line[:-4] for line in msr[0:6]],
        "b/3.txt": msr[60:100] + msr[5:10] + [line[4:] for line in msr[40:46]],
        "b/4.txt": cityu[5:30] + [msr[i] + msr[i + 2] for i in (120, 124, 128)],
        "new/5.txt": msr[95:110] + [line[:-3] for line in msr[20:25]] + cityu[25:35],
    }
    root = tmp_path / "corpus"
    for name, lines in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _same(indexed: Report, fresh: Report) -> None:
    assert indexed.clusters == fresh.clusters
    assert indexed.contained == fresh.contained
    assert indexed.removed == fresh.removed
    assert indexed.files == fresh.files
    assert len(fresh.clusters) > 5
    assert any(c.scope != "within" for c in fresh.clusters)


def test_two_adds_then_scan_equal_one_scan(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = add([corpus / "a"], index, CONFIG)
    second = add([corpus / "b"], index, CONFIG)
    assert (first.files, first.signed, second.signed) == (2, 2, 2)
    # The second add verifies only pairs the first had not decided (with a key of b, or
    # made candidates by b's keys), not a's pairs again.
    at_once = add([corpus / "a", corpus / "b"], tmp_path / "at-once", CONFIG)
    assert 0 < second.verified < at_once.verified
    indexed = scan_indexed([corpus / "new"], index, CONFIG)
    fresh = scan([corpus / "a", corpus / "b", corpus / "new"], CONFIG)
    _same(indexed, fresh)
    assert any(m.path == "new/5.txt" for c in fresh.clusters for m in c.members)


def test_second_add_signs_nothing_and_a_changed_file_is_signed_again(
    corpus: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    assert add([corpus / "a", corpus / "b"], index, CONFIG).signed == 4
    again = add([corpus / "a", corpus / "b"], index, CONFIG)
    assert (again.signed, again.unchanged, again.verified) == (0, 4, 0)

    touched = corpus / "a" / "1.txt"  # new mtime, same content: not signed
    os.utime(touched, ns=(1, 1))
    assert add([corpus / "a"], index, CONFIG).signed == 0

    changed = corpus / "b" / "4.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8") + _lines("msr_test.utf8")[100] + "\n", "utf-8"
    )
    after = add([corpus / "a", corpus / "b"], index, CONFIG)
    assert (after.signed, after.unchanged) == (1, 3)
    _same(
        scan_indexed([corpus / "new"], index, CONFIG),
        scan([corpus / "a", corpus / "b", corpus / "new"], CONFIG),
    )


def test_generation_counts_the_adds_and_removes_that_change_the_index(
    corpus: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    add([corpus / "a"], index, CONFIG)
    assert generation(index) == 1
    add([corpus / "a"], index, CONFIG)  # nothing new: no change
    assert generation(index) == 1
    add([corpus / "b"], index, CONFIG)
    assert generation(index) == 2
    assert remove([corpus / "nowhere"], index) == 0
    assert generation(index) == 2
    assert remove([corpus / "b"], index) == 2
    assert generation(index) == 3
    export(index, tmp_path / "parquet")
    pq = pytest.importorskip("pyarrow.parquet")
    settings = pq.read_table(tmp_path / "parquet" / "settings.parquet").to_pydict()
    assert dict(zip(settings["name"], settings["value"]))["generation"] == "3"


def test_other_settings_are_refused(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    add([corpus / "a"], index, CONFIG)
    with pytest.raises(ConfigError, match=r"ngram=4 \(index: 3\)"):
        add([corpus / "b"], index, Config(ngram=4, workers=1))
    with pytest.raises(ConfigError, match="num_perm"):
        scan_indexed([corpus / "new"], index, Config(num_perm=64, workers=1))
    # A setting signing does not use (the verification threshold) may differ: the stored
    # edges were verified at another threshold, so every candidate pair is verified again.
    other = Config(threshold=0.8, workers=1)
    _same(
        scan_indexed([corpus / "new"], index, other),
        scan([corpus / "a", corpus / "new"], other),
    )
    with pytest.raises(InputError, match="no index"):
        scan_indexed([corpus / "new"], tmp_path / "missing", CONFIG)


def test_remove(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    add([corpus / "a", corpus / "b"], index, CONFIG)
    assert remove([corpus / "b" / "3.txt"], index) == 1
    indexed = scan_indexed([corpus / "new"], index, CONFIG)
    fresh = scan([corpus / "a", corpus / "b" / "4.txt", corpus / "new"], CONFIG)
    _same(indexed, fresh)

    # A file deleted from disk is dropped by the next add of its folder.
    (corpus / "b" / "4.txt").unlink()
    again = add([corpus / "a", corpus / "b"], index, CONFIG)
    assert (again.signed, again.dropped) == (1, 1)  # 3.txt back in, 4.txt gone
    _same(
        scan_indexed([corpus / "new"], index, CONFIG),
        scan([corpus / "a", corpus / "b", corpus / "new"], CONFIG),
    )


def test_kill_mid_add_leaves_the_previous_state(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    script = textwrap.dedent(
        f"""
        import os, signal
        from dedup.config import Config
        from dedup.store import add
        config = Config(workers=1)
        add([{str(corpus / "a")!r}], {str(index)!r}, config)
        def die(name):
            print("signed", name, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        add([{str(corpus / "b")!r}], {str(index)!r}, config, on_signed=die)
        """
    )
    killed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert killed.returncode == -9, killed.stderr
    assert "signed 3.txt" in killed.stdout  # killed with a file written, uncommitted
    assert (index / INDEX_FILE).is_file()

    # The index is as the first add left it, and usable.
    _same(
        scan_indexed([corpus / "new"], index, CONFIG),
        scan([corpus / "a", corpus / "new"], CONFIG),
    )
    assert add([corpus / "a"], index, CONFIG).signed == 0
    assert add([corpus / "b"], index, CONFIG).signed == 2
    _same(
        scan_indexed([corpus / "new"], index, CONFIG),
        scan([corpus / "a", corpus / "b", corpus / "new"], CONFIG),
    )


def test_cli(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = run_dedup("index", "add", corpus / "a", corpus / "b", "--index", index)
    assert first.returncode == 0, first.stderr
    assert "4 file(s): 4 signed, 0 unchanged" in first.stdout
    second = run_dedup("index", "add", corpus / "a", corpus / "b", "--index", index)
    assert "4 file(s): 0 signed, 4 unchanged" in second.stdout
    assert "0 candidate pair(s) verified" in second.stdout  # nothing new to decide
    indexed = run_dedup("scan", corpus / "new", "--index", index, "--report", tmp_path / "i.json")
    fresh = run_dedup("scan", corpus, "--report", tmp_path / "f.json")
    assert indexed.returncode == fresh.returncode == 0, indexed.stderr + fresh.stderr
    clusters = [
        json.loads((tmp_path / f"{n}.json").read_text("utf-8"))["clusters"] for n in ("i", "f")
    ]
    assert clusters[0] == clusters[1] and clusters[0]
    gone = run_dedup("index", "remove", corpus / "b", "--index", index)
    assert "2 file(s) removed" in gone.stdout
    other = run_dedup("index", "add", corpus / "b", "--index", index, "--ngram", "4")
    assert other.returncode == 2 and "other settings" in other.stderr


def test_an_index_built_by_another_release_is_refused_with_the_fix(
    corpus: Path, tmp_path: Path
) -> None:
    """Another release may key or sign differently: its index is refused, and the message
    says how to build a new one, rather than which settings to pass."""
    index = tmp_path / "index"
    add([corpus / "a"], index)
    with sqlite3.connect(index / INDEX_FILE) as connection:
        (stored,) = connection.execute(
            "SELECT value FROM settings WHERE name = 'signing'"
        ).fetchone()
        older = {**json.loads(stored), "signed_by": "dedup 0.0.1"}
        connection.execute(
            "UPDATE settings SET value = ? WHERE name = 'signing'", (json.dumps(older),)
        )
    refused = run_dedup("scan", corpus / "new", "--index", index)
    assert refused.returncode == 2
    assert "built by dedup 0.0.1" in refused.stderr
    assert "dedup index add CORPUS --index NEW_FOLDER" in refused.stderr
    with pytest.raises(ConfigError, match=r"built by dedup 0\.0\.1"):
        add([corpus / "b"], index)


def _contents(index: Path) -> dict[str, set[tuple[object, ...]]]:
    """The index's tables, as `export` writes them, with key ids replaced by key digests
    (ids depend on the order keys were added in; what they stand for must not)."""
    pq = pytest.importorskip("pyarrow.parquet")  # installed by the test extra
    out = index.parent / f"{index.name}-export"
    export(index, out)

    def rows(table: str) -> list[tuple[object, ...]]:
        read = pq.read_table(out / f"{table}.parquet")
        return list(zip(*(read.column(c).to_pylist() for c in read.column_names)))

    digest = {key: d for key, d, *_ in rows("keys")}
    paths = {file: path for file, path, *_ in rows("files")}
    return {
        "files": {
            (path, text, ends, lines, tuple(digest[k] for k in np.frombuffer(keys, "<i8")))
            for _, path, _, _, _, _, text, ends, lines, keys in rows("files")
        },
        "keys": {(d, signed, anchors) for _, d, signed, anchors, _, _ in rows("keys")},
        # Each key's first position, as the path and paragraph it names.
        "first": {(d, paths.get(file), para) for _, d, _, _, file, para in rows("keys")},
        "anchors": {(anchor, digest[key], n) for anchor, key, n in rows("anchors")},
        "bands": {(band, value, digest[key]) for band, value, key in rows("bands")},
        "buckets": set(rows("buckets")),
        **{
            table: {tuple(sorted((digest[a], digest[b]))) for a, b in rows(table)}
            for table in ("edges", "rejected")
        },
    }


def test_adds_in_parts_store_what_one_add_stores(corpus: Path, tmp_path: Path) -> None:
    """Band rows, the buckets that pair and the verified edges do not depend on how the
    files came in: two adds, or an add then a remove, store what one add of the result
    does."""
    whole, parts = tmp_path / "whole", tmp_path / "parts"
    add([corpus], whole, CONFIG)
    add([corpus / "b", corpus / "new"], parts, CONFIG)
    add([corpus / "a"], parts, CONFIG)
    expected = _contents(whole)
    assert _contents(parts) == expected
    assert len(expected["edges"]) > 10 and len(expected["buckets"]) > 10
    assert expected["rejected"]

    remove([corpus / "b" / "3.txt"], parts)
    (tmp_path / "rest").mkdir()
    rest = tmp_path / "rest"
    add([corpus / "a", corpus / "b" / "4.txt", corpus / "new"], rest, CONFIG)
    assert _contents(parts) == _contents(rest)


def test_clean_with_index_writes_what_a_clean_of_all_writes_for_new(
    corpus: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    add([corpus / "a", corpus / "b"], index, CONFIG)
    everything = clean([corpus / "a", corpus / "b", corpus / "new"], tmp_path / "all", CONFIG)
    result = clean([corpus / "new"], tmp_path / "new", CONFIG, index=index)
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["5.txt"]
    written = (tmp_path / "new" / "5.txt").read_text("utf-8")
    assert written == (tmp_path / "all" / "new" / "5.txt").read_text("utf-8")
    original = (corpus / "new" / "5.txt").read_text("utf-8")
    assert len(written.splitlines()) < len(original.splitlines())  # copies of indexed text
    assert result.files_written == 1
    assert result.report.clusters == everything.report.clusters

    cli = run_dedup("clean", corpus / "new", "--index", index, "--out", tmp_path / "cli")
    assert cli.returncode == 0, cli.stderr
    assert (tmp_path / "cli" / "5.txt").read_text("utf-8") == written


def test_export_writes_every_table_as_parquet(corpus: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")  # installed by the test extra
    index = tmp_path / "index"
    add([corpus / "a", corpus / "b"], index, CONFIG)
    done = run_dedup("index", "export", "--index", index, tmp_path / "parquet")
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(index / INDEX_FILE) as connection:
        read = {table: pq.read_table(tmp_path / "parquet" / f"{table}.parquet") for table in EXPORT}
        for table, columns in EXPORT.items():
            assert read[table].column_names == [name for name, _ in columns]
            assert read[table].num_rows > 0 or table == "warnings", table  # no file read badly
            if table in SCHEMA and SCHEMA[table][1] == columns:  # stored as exported
                names = ", ".join(read[table].column_names)
                rows = connection.execute(f"SELECT {names} FROM {table}").fetchall()
                assert sorted(zip(*read[table].to_pydict().values())) == sorted(rows)
        signed = dict(connection.execute("SELECT key, signed FROM keys"))
        n_anchors = dict(connection.execute("SELECT key, n_anchors FROM keys"))
    # The tables expanded from the segments: every band of every compared key, each anchor
    # as often as the key has it, and the buckets of two or more keys.
    bands = read["bands"].to_pydict()
    n_bands = len(set(bands["band"]))
    held = Counter(bands["key"])
    assert held == {key: n_bands for key, s in signed.items() if s}
    anchors = read["anchors"].to_pydict()
    counted = Counter()
    for key, n in zip(anchors["key"], anchors["n"]):
        counted[key] += n
    assert counted == {key: n for key, n in n_anchors.items() if n}
    keys = read["keys"].to_pydict()
    assert {k: len(a) // 8 for k, a in zip(keys["key"], keys["anchors"])} == n_anchors
    buckets = Counter(zip(bands["band"], bands["value"]))
    assert sorted(zip(*read["buckets"].to_pydict().values())) == sorted(
        b for b, n in buckets.items() if n >= 2
    )
    assert f"{len(EXPORT)} table(s) written" in done.stdout


def test_export_without_pyarrow_names_the_extra(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "index"
    add([corpus / "a"], index, CONFIG)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    with pytest.raises(ConfigError, match=r"dedup\[spark\]"):
        export(index, tmp_path / "parquet")


def test_row_files_and_unreadable_files_are_indexed_as_a_scan_reads_them(
    corpus: Path, tmp_path: Path
) -> None:
    """Files are signed in chunks of several files and cut apart again: rows of a JSONL
    file, a row without text, an undecodable file and a file read with replacement
    characters keep their names, outcomes and warnings."""
    msr = _lines("msr_test.utf8")
    rows = [{"text": "\n".join(msr[i : i + 3]), "id": i} for i in range(0, 30, 3)]
    rows.insert(4, {"id": "no text"})
    (corpus / "b" / "rows.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8"
    )
    (corpus / "a" / "gb.txt").write_bytes("\n".join(msr[50:60]).encode("gb18030") + b"\xff\xfe")
    (corpus / "a" / "bad.txt").write_bytes(b"\xff\xfe\x00\xd8" * 50)
    config = Config(workers=2)  # several files to a chunk, on the pool
    index = tmp_path / "index"
    add([corpus / "a", corpus / "b"], index, config, errors="replace", id_field="id")
    indexed = scan_indexed([corpus / "new"], index, config, errors="replace", id_field="id")
    fresh = scan(
        [corpus / "a", corpus / "b", corpus / "new"], config, errors="replace", id_field="id"
    )
    _same(indexed, fresh)
    assert indexed.errors == fresh.errors and indexed.warnings == fresh.warnings
    assert any(f.path.startswith("b/rows.jsonl#") and f.id for f in indexed.files)
    assert {e.path for e in indexed.errors} >= {"b/rows.jsonl#5"}
    assert {w.path for w in indexed.warnings} >= {"a/gb.txt"}


def _with_new_key(pairs: set[tuple[object, ...]], new: set[object]) -> set[tuple[object, ...]]:
    return {p for p in pairs if p[0] in new or p[1] in new}


def test_add_into_chained_buckets_decides_what_one_add_decides(tmp_path: Path) -> None:
    """Buckets of more than 64 keys propose a chain in key order: an add whose files come
    between indexed ones in that order (and repeat an indexed paragraph earlier than its
    first place) verifies and stores the pairs with a new key that one add of everything
    does, and a scan with the index still equals a fresh scan."""
    msr = _lines("msr_test.utf8")
    base = msr[0] + msr[1]
    # 240 near copies of one paragraph, each with its own two-character tail: their band
    # values and anchors are shared by far more than 64 keys.
    tails = [line[:2] for line in msr[200:] if not any(c.isdigit() for c in line[:2])]
    variants = [base + tail for tail in dict.fromkeys(tails)][:240]
    assert len(variants) == 240
    folder = tmp_path / "corpus"
    folder.mkdir()
    names = []
    for f in range(40):
        lines = variants[6 * f : 6 * f + 6] + msr[500 + 3 * f : 503 + 3 * f]
        if f == 3:  # an indexed paragraph of the last file, repeated in an early new file
            lines.append(msr[500 + 3 * 36])
        (folder / f"f{f:02}.txt").write_text("\n".join(lines) + "\n", "utf-8")
        names.append(folder / f"f{f:02}.txt")
    new = names[3::4]
    old = [n for n in names if n not in new]
    later = tmp_path / "later"
    later.mkdir()
    (later / "x.txt").write_text("\n".join([base + "後來", msr[510]]) + "\n", "utf-8")

    parts, whole = tmp_path / "parts", tmp_path / "whole"
    add(old, parts, CONFIG)
    second = add(new, parts, CONFIG)
    add(names, whole, CONFIG)
    assert second.verified > 0
    got, expected = _contents(parts), _contents(whole)
    assert max(Counter((band, value) for band, value, _ in got["bands"]).values()) > 64
    assert got["keys"] == expected["keys"] and got["bands"] == expected["bands"]
    assert got["first"] == expected["first"]
    assert got["anchors"] == expected["anchors"] and got["buckets"] == expected["buckets"]
    fresh_keys = _keys_only_in(whole, new)
    assert len(fresh_keys) > 30
    for table in ("edges", "rejected"):
        mine = _with_new_key(got[table], fresh_keys)
        assert mine == _with_new_key(expected[table], fresh_keys)
        assert mine
    _same_clusters(scan_indexed([later], parts, CONFIG), scan([folder, later], CONFIG))


def _keys_only_in(index: Path, files: list[Path]) -> set[object]:
    """The digests of the keys only ``files`` hold in ``index``."""
    wanted = {os.fsencode(os.path.abspath(f)) for f in files}
    with sqlite3.connect(index / INDEX_FILE) as connection:
        digest = dict(connection.execute("SELECT key, digest FROM keys"))
        inside: set[object] = set()
        outside: set[object] = set()
        for path, keys in connection.execute("SELECT path, keys FROM files"):
            held = {digest[k] for k in np.frombuffer(keys, "<i8").tolist()}
            (inside if path in wanted else outside).update(held)
    return inside - outside


def _same_clusters(indexed: Report, fresh: Report) -> None:
    assert indexed.clusters == fresh.clusters and indexed.removed == fresh.removed
    assert any(c.scope != "within" for c in fresh.clusters)


def _segments(index: Path) -> dict[int, tuple[str, int]]:
    """Each stored segment: its kind and how many rows it holds."""
    with sqlite3.connect(index / INDEX_FILE) as connection:
        rows = connection.execute("SELECT segment, kind, rows FROM segments")
        return {segment: (kind, n) for segment, kind, n in rows}


def _write_files(folder: Path, lines: list[str], per_file: int) -> list[Path]:
    folder.mkdir(parents=True)
    names = []
    for f in range(0, len(lines), per_file):
        name = folder / f"{f // per_file:03}.txt"
        name.write_text("\n".join(lines[f : f + per_file]) + "\n", "utf-8")
        names.append(name)
    return names


def test_an_add_writes_rows_that_follow_new_not_the_index(tmp_path: Path) -> None:
    """An add of the same small NEW into a small and a ten times larger index writes the
    same rows: one new segment of each kind, holding NEW's keys alone; no earlier segment
    is rewritten."""
    msr = _lines("msr_test.utf8")
    small = _write_files(tmp_path / "small", msr[0:200], 50)
    large = _write_files(tmp_path / "large", msr[0:2000], 50)
    # New lines, near copies of indexed ones (new keys, candidates with indexed ones) and
    # copies (their keys are indexed: no rows for them).
    cut = [line[:-3] for line in msr[10:20]]
    new = _write_files(tmp_path / "new", msr[2400:2430] + cut + msr[20:25], 45)
    written = []
    for name, files in (("small", small), ("large", large)):
        index = tmp_path / f"index-{name}"
        add(files, index, CONFIG)
        before = _segments(index)
        assert add(new, index, CONFIG).verified > 0
        after = _segments(index)
        assert {s: after[s] for s in before} == before  # nothing rewritten
        added = sorted(after[s] for s in set(after) - set(before))
        assert [kind for kind, _ in added] == ["anchors", "bands"]
        written.append(added)
        assert sum(n for _, n in before.values()) > 4 * sum(n for _, n in added)
    assert written[0] == written[1]
    n_bands = written[0][1][1] / 40
    assert n_bands == int(n_bands) > 1  # each of NEW's 40 new keys, every band
    large_bands = sum(
        n for kind, n in _segments(tmp_path / "index-large").values() if kind == "bands"
    )
    assert large_bands > 40 * written[0][1][1]


def test_many_small_adds_merge_segments_and_scan_as_a_fresh_scan(tmp_path: Path) -> None:
    """Twenty adds of one file each: the segments are merged as they come (their number
    stays logarithmic), they hold what one add of everything stores, and a scan with the
    index still equals a fresh scan."""
    msr, cityu = _lines("msr_test.utf8"), _lines("cityu_test.utf8")
    # Each file has lines of its own, copies of an earlier file's and cut-short ones.
    lines = []
    for f in range(20):
        own = msr[40 * f : 40 * f + 30]
        lines += own + msr[40 * f - 35 : 40 * f - 30] * (f > 0) + [x[:-3] for x in own[:5]]
    files = _write_files(tmp_path / "corpus", lines, 40)
    assert len(files) == 20
    later = _write_files(tmp_path / "later", msr[100:110] + cityu[:10], 20)
    index = tmp_path / "index"
    for f in files:
        add([f], index, CONFIG)
        counts = Counter(kind for kind, _ in _segments(index).values())
        assert max(counts.values()) <= 4  # log2(20 adds) + 1, for adds of a size
    assert min(counts.values()) >= 2  # not all merged into one either
    _same(scan_indexed(later, index, CONFIG), scan([tmp_path / "corpus", *later], CONFIG))
    # What the segments hold is what one add of every file stores.
    add([tmp_path / "corpus"], tmp_path / "whole", CONFIG)
    got, expected = _contents(index), _contents(tmp_path / "whole")
    for table in ("files", "keys", "first", "bands", "anchors", "buckets"):
        assert got[table] == expected[table], table
    assert len(expected["buckets"]) > 100


def test_an_index_of_the_previous_layout_is_refused(corpus: Path, tmp_path: Path) -> None:
    """An index whose band rows are SQL rows (the layout before segments) is refused with
    its folder and the fix named, and left as it was."""
    index = tmp_path / "old-index"
    index.mkdir()
    with sqlite3.connect(index / INDEX_FILE) as connection:
        connection.executescript(
            "CREATE TABLE keys (key INTEGER PRIMARY KEY, digest BLOB NOT NULL UNIQUE, "
            "signed INTEGER NOT NULL, anchors BLOB NOT NULL, file INTEGER NOT NULL, "
            "para INTEGER NOT NULL);"
            "CREATE TABLE bands (band INTEGER NOT NULL, value INTEGER NOT NULL, "
            "key INTEGER NOT NULL, PRIMARY KEY (band, value, key)) WITHOUT ROWID;"
        )
    for run in (
        lambda: add([corpus / "a"], index, CONFIG),
        lambda: scan_indexed([corpus / "new"], index, CONFIG),
    ):
        with pytest.raises(ConfigError, match="earlier release") as refused:
            run()
        assert str(index) in str(refused.value) and "dedup index add" in str(refused.value)
    with sqlite3.connect(index / INDEX_FILE) as connection:
        tables = {n for (n,) in connection.execute("SELECT name FROM sqlite_master")}
    assert "segments" not in tables and "bands" in tables
