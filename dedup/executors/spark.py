"""The Spark executor: the same stages (`dedup.stages`) on an Apache Spark cluster.

Needs ``pip install "dedup[spark]"`` (pyspark, pyarrow) and Java 17 or 21.

- **sign**: the driver lists the inputs (as the local engine does) and ships chunks of file
  names (or of texts given by name) to the executors, which run ``stages.sign_chunk`` inside
  ``mapInArrow``. Each chunk comes back as Arrow columns: one row per distinct key of the
  chunk (its digest, first paragraph in the chunk, shingles and band keys as int64 lists)
  and one row with the chunk's paragraph columns (numpy arrays, pickled whole).
- **key identity**: keys are grouped by content digest (``stages.key_digests``); on Spark
  a key is named by the corpus-wide number of its first paragraph, which orders keys by
  first position as the local engine numbers them, with no global sort. The driver gets
  every occurrence's name and numbers them densely; rows (the signed keys in id order) keep
  the key's name on Spark and the driver finds their row numbers. Ids and every tie-break
  are therefore the same on both engines.
- **candidates**: band values exploded and grouped by ``groupBy(band, value)``; each
  bucket's pairs (all pairs, or a chain above ``index.MAX_BUCKET_PAIRS``) come from
  ``index.bucket_pairs`` inside ``mapInArrow``. Fragment anchors are collected and paired
  on the driver (``index.anchor_pairs``: its share rule needs each row's anchor count).
- **verify**: pairs joined with the shingles and keys of both rows and checked per
  partition by ``verify.verify`` (shingle overlaps, then the distinct-record check).
- **components**: above ``COMPONENT_EDGES`` near-copy pairs, the cluster stage's
  representatives step runs on the executors: connected components by large-star/
  small-star (`components`), then ``cluster.representatives`` on each partition's whole
  components. At or below it, on the driver, from the collected pairs.
- **cluster, report**: the rest on the driver, from the collected verified pairs, the
  shingles of their rows, and the paragraph columns and texts. Containments and sentence
  coverage (a sentence may be kept in another cluster's line) need the whole corpus, and
  the report the member texts, so the driver holds those: its memory grows with the
  paragraphs and verified pairs, not with the shingles of the corpus.
- **with a persistent index** (`scan_indexed`): only NEW is signed; the indexed files'
  paragraphs, keys, band rows and anchors come from the index's Parquet export
  (`dedup index export`), keys are numbered by ``store.key_order`` as a fresh scan of
  indexed and new files numbers them, and candidate pairs the index decided (``edges``,
  ``rejected``) keep their answer.
"""

from __future__ import annotations

import os
import pickle
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..cluster import representatives
from ..config import Config
from ..errors import ConfigError, InputError
from ..formats import is_row_file, read_rows
from ..index import anchor_pairs, bucket_pairs
from ..io import SkippedFile, display_name, input_root, list_inputs, relative_name
from ..normalise import normalise_batch
from ..report import FileInfo, Report
from ..shingle import shingle_batch, take_rows
from ..stages import (
    CHUNK_CHARS,
    Corpus,
    Grouping,
    Item,
    Paragraphs,
    Reading,
    Signed,
    Source,
    Stopwatch,
    Unread,
    build_report,
    chunks,
    cluster,
    held_chunks,
    items_chars,
    list_items,
    sign_chunk,
)
from ..store import (
    GENERATION,
    INDEX_FILE,
    export,
    generation,
    key_order,
    refuse_other_signing,
    renamed,
    signing_settings,
    verifying_settings,
)
from ..store import names_root as index_names_root
from ..verify import ShingleOverlaps, verify

try:
    import pandas as pd
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession, Window
    from pyspark.sql import functions as F
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ConfigError(
        f"engine='spark' needs pyspark and pyarrow ({error.name} is missing): "
        'pip install "dedup[spark]" (and Java 17 or 21)'
    ) from error

_KEYS = pa.schema(
    [
        ("chunk", pa.int64()),
        ("k", pa.int64()),  # the key's index in its chunk; -1 for the chunk's paragraph row
        ("d0", pa.int64()),
        ("d1", pa.int64()),
        ("para", pa.int64()),  # the key's first paragraph in the chunk
        ("signed", pa.bool_()),
        ("hashes", pa.list_(pa.int64())),
        ("bands", pa.list_(pa.int64())),
        ("anchors", pa.list_(pa.int64())),
        ("text", pa.string()),  # the key itself: verification checks distinct records
        ("paragraphs", pa.binary()),
    ]
)
_PAIRS = pa.schema([("a", pa.int64()), ("b", pa.int64())])
# The same two schemas as Spark reads them.
_KEYS_DDL = (
    "chunk long, k long, d0 long, d1 long, para long, signed boolean, "
    "hashes array<long>, bands array<long>, anchors array<long>, text string, paragraphs binary"
)
_PAIRS_DDL = "a long, b long"
_REPS = pa.schema([("key", pa.int64()), ("rep", pa.int64())])

COMPONENT_EDGES = 500_000
"""Near-copy pairs above which the representatives are found on the executors: connected
components by large-star/small-star, then the cluster model on each partition's whole
components. At or below it, on the driver from the collected pairs, in one call."""


def session(master: str | None = None, conf: Mapping[str, str] | None = None) -> SparkSession:
    """The active Spark session, or a new one on ``master``: by default the one
    ``spark-submit`` chose, else ``local[*]``. ``conf`` adds Spark settings to a new one
    (``spark.driver.extraJavaOptions`` after the log settings below).

    A session started here logs warnings and errors only, without Spark's start-up
    notices (`log4j2.properties` beside this module, given to the driver's JVM)."""
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    builder = SparkSession.builder.appName("dedup").config("spark.ui.showConsoleProgress", "false")
    if master is None and "PYSPARK_GATEWAY_PORT" in os.environ:
        return builder.getOrCreate()  # started by spark-submit, which set the master
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    master = master or "local[*]"
    settings = dict(conf or {})
    java = "spark.driver.extraJavaOptions"
    logs = f"-Dlog4j2.configurationFile={_LOG_SETTINGS.as_uri()}"
    settings[java] = f"{logs} {settings[java]}" if java in settings else logs
    if master.startswith("local"):
        # One machine: a few shuffle partitions, not the 200 sized for a cluster.
        settings.setdefault("spark.sql.shuffle.partitions", str(2 * (os.cpu_count() or 1)))
    builder = builder.master(master)
    for name, value in settings.items():
        builder = builder.config(name, value)
    return builder.getOrCreate()


_LOG_SETTINGS = Path(__file__).with_name("log4j2.properties")


def _as_int64(values: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(values).view(np.int64)


def _lists(values: np.ndarray, offsets: np.ndarray) -> pa.ListArray:
    return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), pa.array(values))


def _sign_rows(chunk: int, signed: Signed) -> pa.RecordBatch:
    """A signed chunk as Arrow rows: its paragraph columns (one row), then its keys."""
    n = len(signed.keys)
    first_para = np.full(n, len(signed.para_key), dtype=np.int64)
    np.minimum.at(first_para, signed.para_key, np.arange(len(signed.para_key)))
    is_signed = np.zeros(n, dtype=bool)
    is_signed[signed.signed] = True
    # Shingles and band keys of each key, empty for keys not signed.
    sizes = np.zeros(n, dtype=np.int64)
    sizes[signed.signed] = np.diff(signed.offsets)
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    n_bands = signed.bands.shape[1]
    band_sizes = np.where(is_signed, n_bands, 0)
    band_offsets = np.concatenate(([0], np.cumsum(band_sizes)))
    anchor_sizes = np.zeros(n, dtype=np.int64)
    anchor_sizes[signed.signed] = np.bincount(signed.anchor_rows, minlength=len(signed.signed))
    anchor_offsets = np.concatenate(([0], np.cumsum(anchor_sizes)))
    anchor_order = np.argsort(signed.anchor_rows, kind="stable")
    head = replace(
        signed,
        keys=[],
        digests=signed.digests[:0],
        hashes=signed.hashes[:0],
        offsets=signed.offsets[:1],
        bands=signed.bands[:0],
        anchor_rows=signed.anchor_rows[:0],
        anchors=signed.anchors[:0],
    )
    return pa.RecordBatch.from_arrays(
        [
            pa.array(np.full(n + 1, chunk, dtype=np.int64)),
            pa.array(np.arange(-1, n, dtype=np.int64)),
            pa.array(np.concatenate(([0], _as_int64(signed.digests[:, 0])))),
            pa.array(np.concatenate(([0], _as_int64(signed.digests[:, 1])))),
            pa.array(np.concatenate(([-1], first_para))),
            pa.array(np.concatenate(([False], is_signed))),
            _lists(_as_int64(signed.hashes), np.concatenate(([0], offsets))),
            _lists(_as_int64(signed.bands.ravel()), np.concatenate(([0], band_offsets))),
            _lists(_as_int64(signed.anchors[anchor_order]), np.concatenate(([0], anchor_offsets))),
            pa.array([None, *signed.keys], pa.string()),
            pa.array([pickle.dumps(head)] + [None] * n, pa.binary()),
        ],
        schema=_KEYS,
    )


def _signer(config: Config) -> Any:
    def sign(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for chunk, payload in zip(
                batch.column("chunk").to_pylist(), batch.column("items").to_pylist()
            ):
                items: list[Item] = pickle.loads(payload)
                yield _sign_rows(chunk, sign_chunk(items, config))

    return sign


def _bucket_pairs(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The candidate pairs of buckets (one row each, members ascending), by the candidate
    stage's own rule (`index.bucket_pairs`): every bucket is one value of a one-band table."""
    for batch in batches:
        members = batch.column("members")
        flat = members.flatten().to_numpy()
        sizes = np.diff(members.offsets.to_numpy())
        bucket = np.repeat(np.arange(len(sizes), dtype=np.uint64), sizes)
        local = bucket_pairs(bucket[:, None])
        pairs = flat[local]
        yield pa.RecordBatch.from_arrays(
            [pa.array(pairs[:, 0]), pa.array(pairs[:, 1])], schema=_PAIRS
        )


def _verifier(config: Config) -> Any:
    def check(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            a, b = batch.column("a").to_numpy(), batch.column("b").to_numpy()
            ha, hb = batch.column("ha"), batch.column("hb")
            # Rows 2k and 2k + 1 are the two sides of pair k.
            sizes = np.empty(2 * len(a), dtype=np.int64)
            sizes[0::2] = np.diff(ha.offsets.to_numpy())
            sizes[1::2] = np.diff(hb.offsets.to_numpy())
            side = np.repeat(np.arange(2 * len(a)) % 2, sizes)
            hashes = np.empty(len(side), dtype=np.int64)
            hashes[side == 0] = ha.flatten().to_numpy()
            hashes[side == 1] = hb.flatten().to_numpy()
            offsets = np.concatenate(([0], np.cumsum(sizes)))
            overlaps = ShingleOverlaps(np.arange(2 * len(a)), hashes.view(np.uint64), offsets)
            keys = [""] * (2 * len(a))
            keys[0::2] = batch.column("ka").to_pylist()
            keys[1::2] = batch.column("kb").to_pylist()
            sides = np.arange(2 * len(a)).reshape(-1, 2)
            kept = verify(sides, overlaps, config.threshold, config.containment, keys).pairs[:, 0]
            yield pa.RecordBatch.from_arrays(
                [pa.array(a[kept // 2]), pa.array(b[kept // 2])], schema=_PAIRS
            )

    return check


def components(edges: DataFrame) -> DataFrame:
    """The connected components of the graph of ``edges`` (columns ``a``, ``b``): rows
    ``(node, component)`` for every node but the smallest of its component, which names it.

    Alternating large-star and small-star rounds (Kiveris et al. 2014, "Connected
    Components in MapReduce and Beyond", as text-dedup's Spark MinHash runs them) until a
    small-star round changes nothing: then every edge joins a node to its component's
    smallest node. Edges are kept as ``(u, v)`` with ``u > v``; each round's result is
    checkpointed (on the executors) so that the plan does not grow with the rounds."""
    current = (
        edges.select(F.greatest("a", "b").alias("u"), F.least("a", "b").alias("v"))
        .filter("u != v")
        .distinct()
    )
    while True:
        # Large star: every node's larger neighbours are linked to the smallest node of
        # its neighbourhood (itself included).
        both = current.select(F.col("u").alias("x"), F.col("v").alias("n")).union(
            current.select(F.col("v").alias("x"), F.col("u").alias("n"))
        )
        lowest = F.least(F.min("n").over(Window.partitionBy("x")), F.col("x"))
        large = (
            both.withColumn("m", lowest)
            .filter("n > x")
            .select(F.col("n").alias("u"), F.col("m").alias("v"))
            .distinct()
            .cache()
        )
        # Small star: every node and its smaller neighbours are linked to the smallest.
        smallest = large.withColumn("m", F.min("v").over(Window.partitionBy("u")))
        small = (
            smallest.select(
                F.explode(
                    F.array(
                        F.struct(F.col("u").alias("u"), F.col("m").alias("v")),
                        F.struct(F.col("v").alias("u"), F.col("m").alias("v")),
                    )
                ).alias("edge")
            )
            .select("edge.u", "edge.v")
            .filter("u != v")
            .distinct()
            .localCheckpoint()
        )
        # Two jobs a round: the checkpoint computes both stars, then they are compared.
        changed = small.subtract(large).union(large.subtract(small)).count()
        large.unpersist()
        if not changed:
            return small.select(F.col("u").alias("node"), F.col("v").alias("component"))
        current = small


def _partition_representatives(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """`cluster.representatives` over the near-copy pairs of one partition, which holds
    whole components: as no representative takes a key of another component, one call
    over several components gives what one call per component (or over all) gives.
    Yields each key whose representative is another key."""
    held = list(batches)
    if not held:
        return
    table = pa.Table.from_batches(held)
    a, b = table.column("a").to_numpy(), table.column("b").to_numpy()
    nodes, inverse = np.unique(np.concatenate((a, b)), return_inverse=True)
    rank = np.empty(len(nodes), dtype=np.int64)
    rank[inverse] = np.concatenate((table.column("ra").to_numpy(), table.column("rb").to_numpy()))
    rep = representatives(rank, inverse[: len(a)], inverse[len(a) :])
    moved = np.flatnonzero(rep != np.arange(len(nodes)))
    yield pa.RecordBatch.from_arrays(
        [pa.array(nodes[moved]), pa.array(nodes[rep[moved]])], schema=_REPS
    )


def _cluster_and_report(
    spark: SparkSession,
    accepted: np.ndarray,
    keys: tuple[np.ndarray, np.ndarray, int],
    compared: np.ndarray,
    corpus: Corpus,
    paragraphs: Paragraphs,
    config: Config,
    clock: Stopwatch,
    started: float,
) -> Report:
    """The cluster stage (representatives grouped on Spark by `_grouping`) and the report,
    on the driver, from the accepted pairs; ``keys``: each paragraph's key, each key's row
    and the number of keys; ``compared``: the rows whose shingle sets the stage scores."""
    para_key, row_key, n_keys = keys
    with clock.stage("cluster"):
        overlaps = ShingleOverlaps(compared, *corpus.shingles(compared))
        found = cluster(
            accepted,
            para_key,
            row_key,
            n_keys,
            overlaps,
            corpus,
            paragraphs,
            config,
            _grouping(spark),
        )
    with clock.stage("report"):
        return build_report(found, corpus, paragraphs, config, clock.seconds, started)


def _grouping(spark: SparkSession) -> Grouping:
    """The cluster stage's representatives step: on the driver for up to
    ``COMPONENT_EDGES`` near-copy pairs, else component by component on the executors."""

    def group(rank: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if len(a) <= COMPONENT_EDGES:
            return representatives(rank, a, b)
        pairs = spark.createDataFrame(
            pd.DataFrame({"a": a, "b": b, "ra": rank[a], "rb": rank[b]}),
            "a long, b long, ra long, rb long",
        )
        labelled = pairs.join(components(pairs).withColumnRenamed("node", "a"), "a", "left")
        moved = _arrow(
            labelled.withColumn("component", F.coalesce("component", "a"))
            .repartition("component")
            .select("a", "b", "ra", "rb")
            .mapInArrow(_partition_representatives, "key long, rep long")
        )
        rep = np.arange(len(rank), dtype=np.int64)
        rep[moved.column("key").to_numpy()] = moved.column("rep").to_numpy()
        return rep

    return group


def _arrow(frame: DataFrame) -> pa.Table:
    return frame.toArrow()


def run(
    source: Source,
    config: Config,
    reading: Reading,
    master: str | None = None,
) -> Report:
    """The scan on Spark; the report equals the local engine's but for the timings."""
    clock = Stopwatch()
    started = time.perf_counter()
    with clock.stage("spark_start"):
        spark = session(master)
    with clock.stage("read"):
        items, _ = list_items(source, *reading)  # listed here, read by the executors
        chunked = [pickle.dumps(chunk) for chunk in chunks(items)]
    with clock.stage("sign"):
        # A few tasks per core: each signs its chunks one after another.
        tasks = min(len(chunked), 4 * spark.sparkContext.defaultParallelism)
        payloads = spark.createDataFrame(
            list(enumerate(chunked)), "chunk long, items binary"
        ).repartition(max(tasks, 1))
        signed = payloads.mapInArrow(_signer(config), _KEYS_DDL).cache()
        heads = _arrow(signed.filter("k < 0").select("chunk", "paragraphs").orderBy("chunk"))
    corpus = Corpus()
    chunk_keys = []  # each chunk's own key number of each of its paragraphs
    for payload in heads.column("paragraphs").to_pylist():
        head: Signed = pickle.loads(payload)
        corpus.add_paragraphs(head)
        chunk_keys.append(head.para_key)

    with clock.stage("keys"):
        keys = signed.filter("k >= 0").drop("paragraphs")
        first = keys.groupBy("d0", "d1").agg(F.min(F.struct("chunk", "para")).alias("first"))
        # On Spark a key is named by the corpus-wide number of its first paragraph (the
        # chunk's first paragraph number plus its place in the chunk): ordered as the
        # local engine's ids, found without a global sort. The driver, which receives every
        # key occurrence's name, numbers them densely.
        chunk_starts = _chunk_starts(spark, chunk_keys)
        ids = (
            first.select(
                "d0",
                "d1",
                F.col("first.chunk").alias("first_chunk"),
                F.col("first.para").alias("first_para"),
            )
            .join(F.broadcast(chunk_starts), "first_chunk")
            .withColumn("key", F.col("start") + F.col("first_para"))
            .cache()
        )
        # A key's row (its shingles, band keys, anchors) is its first occurrence, when
        # signed; rows are the signed keys in id order, named by the key's name on Spark.
        keyed = keys.join(ids, ["d0", "d1"]).withColumn(
            "is_row",
            F.col("signed")
            & (F.col("chunk") == F.col("first_chunk"))
            & (F.col("para") == F.col("first_para")),
        )
        local_ids = _arrow(keyed.select("chunk", "k", "key", "is_row"))
        rows = (
            keyed.filter("is_row")
            .select(F.col("key").alias("row"), "hashes", "bands", "anchors", "text")
            .cache()
        )
    names = local_ids.column("key").to_numpy()
    key_names, dense = np.unique(names, return_inverse=True)
    n_keys = len(key_names)
    para_key = _para_keys(
        chunk_keys, local_ids.column("chunk").to_numpy(), local_ids.column("k").to_numpy(), dense
    )
    # Each row's key name, ascending (row order); the driver finds rows by a search in it.
    row_name = np.sort(names[local_ids.column("is_row").to_numpy(zero_copy_only=False)])
    row_key = np.searchsorted(key_names, row_name)

    with clock.stage("candidates"):
        buckets = (
            rows.select("row", F.posexplode("bands").alias("band", "value"))
            .groupBy("band", "value")
            .agg(F.array_sort(F.collect_list("row")).alias("members"))
            .filter(F.size("members") >= 2)
            .select("members")
        )
        # Fragment anchors: collected, and paired on the driver by `index.anchor_pairs`
        # (its share rule counts the anchors of each row over the whole corpus).
        anchor_table = _arrow(rows.select("row", "anchors"))
        lists = anchor_table.column("anchors").combine_chunks()
        anchor_rows = np.repeat(
            np.searchsorted(row_name, anchor_table.column("row").to_numpy()),
            np.diff(lists.offsets.to_numpy()),
        )
        anchors = lists.flatten().to_numpy().view(np.uint64)
        fragments = row_name[anchor_pairs(anchor_rows, anchors, len(row_name))]
        fragment_frame = spark.createDataFrame(
            pd.DataFrame({"a": fragments[:, 0], "b": fragments[:, 1]}), _PAIRS_DDL
        )
        candidates = buckets.mapInArrow(_bucket_pairs, _PAIRS_DDL).union(fragment_frame).distinct()

    with clock.stage("verify"):
        side_a = rows.select(
            F.col("row").alias("a"), F.col("hashes").alias("ha"), F.col("text").alias("ka")
        )
        side_b = rows.select(
            F.col("row").alias("b"), F.col("hashes").alias("hb"), F.col("text").alias("kb")
        )
        accepted_frame = (
            candidates.join(side_a, "a").join(side_b, "b").mapInArrow(_verifier(config), _PAIRS_DDL)
        ).cache()
        accepted_table = _arrow(accepted_frame)
        a = np.searchsorted(row_name, accepted_table.column("a").to_numpy())
        b = np.searchsorted(row_name, accepted_table.column("b").to_numpy())
        order = np.lexsort((b, a))  # the local engine's order: ascending pairs
        accepted = np.stack((a[order], b[order]), axis=1).astype(np.int64)
        compared = np.unique(accepted.ravel())
        held = rows.join(
            accepted_frame.select(F.col("a").alias("row"))
            .union(accepted_frame.select(F.col("b").alias("row")))
            .distinct(),
            "row",
        )
        shingle_table = _arrow(held.select("row", "hashes", "text"))
    _shingles_of(corpus, shingle_table, row_name)
    for frame in (signed, ids, rows, accepted_frame):
        frame.unpersist()
    paragraphs = Paragraphs(corpus)

    return _cluster_and_report(
        spark,
        accepted,
        (para_key, row_key, n_keys),
        compared,
        corpus,
        paragraphs,
        config,
        clock,
        started,
    )


def _para_keys(
    chunk_keys: list[np.ndarray], chunk: np.ndarray, k: np.ndarray, key: np.ndarray
) -> np.ndarray:
    """The key id of every paragraph, from each chunk's own key numbers and the id of key
    ``k[i]`` of chunk ``chunk[i]``, ``key[i]``."""
    keys_per_chunk = np.bincount(chunk, minlength=len(chunk_keys))
    start = np.concatenate(([0], np.cumsum(keys_per_chunk)[:-1]))
    global_ids = np.zeros(len(key), dtype=np.int64)
    global_ids[start[chunk] + k] = key
    parts = [global_ids[start[c] + local] for c, local in enumerate(chunk_keys)]
    return np.concatenate([np.zeros(0, np.int64), *parts])


def _shingles_of(corpus: Corpus, table: pa.Table, row_name: np.ndarray) -> None:
    """Give ``corpus`` the shingles and keys of the rows in ``table`` (named by their keys'
    names, ``row_name`` in row order; others have none): the cluster stage compares only
    rows of accepted pairs."""
    n_rows = len(row_name)
    rows = np.searchsorted(row_name, table.column("row").to_numpy())
    corpus.row_keys = [""] * n_rows
    for row, key in zip(rows.tolist(), table.column("text").to_pylist()):
        corpus.row_keys[row] = key
    lists = table.column("hashes").combine_chunks()
    offsets = lists.offsets.to_numpy().astype(np.int64)
    sizes = np.zeros(n_rows, dtype=np.int64)
    sizes[rows] = np.diff(offsets)
    values = lists.flatten().to_numpy().view(np.uint64)
    hashes, _ = take_rows(values, offsets - offsets[0], np.argsort(rows))
    corpus.parts["hashes"] = [hashes]
    corpus.parts["sizes"] = [sizes]


# --------------------------------------------------------------------------- with an index

EXPORT_TABLES = (
    "settings",
    "sources",
    "files",
    "documents",
    "warnings",
    "keys",
    "bands",
    "buckets",
)
"""The tables of `dedup index export` (``TABLE.parquet``) an indexed scan reads; ``edges``
and ``rejected`` too when they are there."""


@dataclass(frozen=True)
class _FileParagraphs:
    """One file of an indexed scan, indexed or new: what became of its documents, and its
    paragraphs (texts joined, where each ends, its line) with each one's key: a
    ``keys.key`` of the index (positive), or minus one minus the name of a key new to it."""

    outcomes: tuple[FileInfo | SkippedFile, ...]
    warnings: tuple[SkippedFile, ...]
    text: str
    ends: np.ndarray
    lines: np.ndarray
    keys: np.ndarray


def _export_folder(index: str | os.PathLike[str]) -> str | None:
    """``index`` as a Parquet export Spark reads (absolute), or None if it is an index
    folder (``index.sqlite``); InputError naming it if it is neither. A URL (``hdfs://``,
    ``s3a://``) is taken to be an export."""
    text = os.fspath(index)
    if "://" in text:
        return text.rstrip("/")
    folder = Path(text)
    if (folder / INDEX_FILE).is_file():
        return None
    missing = [t for t in EXPORT_TABLES if not (folder / f"{t}.parquet").is_file()]
    if missing:
        shown = display_name(text)
        found = "no such folder" if not folder.is_dir() else f"no {missing[0]}.parquet"
        raise InputError(
            f"--index {shown}: neither an index ({INDEX_FILE}) nor an index export "
            f"({found}); give the folder of `dedup index add --index DIR`, or one written by "
            f"`dedup index export --index DIR {shown}`"
        )
    return str(folder.resolve())


EXPORT_CACHE = "spark-export"
"""The folder in an index folder where a Spark scan keeps the index's Parquet export."""


@contextmanager
def _exported(index: str | os.PathLike[str], folder: str | None) -> Iterator[str]:
    """The Parquet export to read for ``index``: ``folder`` if it is one (`_export_folder`),
    else the index folder's own export (`_kept_export`), or where the index folder cannot
    hold one, the index exported to a temporary folder (on this machine: a cluster's
    executors need an export on storage they all read, `dedup index export`)."""
    if folder is not None:
        yield folder
        return
    kept = _kept_export(Path(index))
    if kept is not None:
        yield str(kept)
        return
    with tempfile.TemporaryDirectory(prefix="dedup-export-") as temporary:
        export(index, temporary)
        yield temporary


def _kept_export(index: Path) -> Path | None:
    """``INDEX/spark-export``: the index's Parquet export, made again only when an add or
    remove has changed the index since (its ``generation``), so that scans against an
    unchanged index do not export it each time. Replaced whole (a new export is renamed
    into place), never left half written. None if the index folder cannot hold it."""
    kept = index / EXPORT_CACHE
    if _export_generation(kept) == generation(index):
        return kept
    try:
        fresh = Path(tempfile.mkdtemp(prefix=f".{EXPORT_CACHE}-", dir=index))
    except OSError:
        return None
    try:
        export(index, fresh)
        old = None
        if kept.exists():
            old = fresh.with_name(fresh.name + "-old")
            os.replace(kept, old)
        os.replace(fresh, kept)
    except OSError:
        shutil.rmtree(fresh, ignore_errors=True)
        return None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return kept


def _export_generation(folder: Path) -> int | None:
    """The generation of the index an export was made at (0 before generations were
    counted), or None if ``folder`` holds no complete export."""
    if not all((folder / f"{table}.parquet").is_file() for table in EXPORT_TABLES):
        return None
    import pyarrow.parquet as pq

    settings = pq.read_table(folder / "settings.parquet").to_pydict()
    found = dict(zip(settings["name"], settings["value"]))
    return int(found.get(GENERATION, 0))


def _table(spark: SparkSession, folder: str, name: str) -> DataFrame:
    return spark.read.parquet(f"{folder}/{name}.parquet")


def _sources(spark: SparkSession, folder: str) -> list[Path]:
    paths = _arrow(_table(spark, folder, "sources")).column("path").to_pylist()
    return [Path(os.fsdecode(p)) for p in paths]


def names_root(
    paths: Sequence[str | os.PathLike[str]],
    index: str | os.PathLike[str],
    master: str | None = None,
) -> Path:
    """The folder `scan_indexed` names files relative to: the one holding the indexed
    sources and ``paths`` (an index folder's, or its export's)."""
    folder = _export_folder(index)
    if folder is None:
        return index_names_root(paths, index)
    return input_root(_sources(session(master), folder) + [Path(p) for p in paths])


def scan_indexed(
    paths: Sequence[str | os.PathLike[str]],
    index: str | os.PathLike[str],
    config: Config,
    reading: Reading,
    master: str | None = None,
    on_signed: Callable[[list[str]], None] | None = None,
) -> Report:
    """`store.scan` on Spark: the scan of the indexed files together with the files under
    ``paths``, equal to one scan of all of them, where ``index`` is an index folder
    (exported to a temporary folder first) or its Parquet export (`dedup index export`).
    Only NEW is signed (``on_signed`` gets the names of the documents signed); the indexed
    files' keys, band rows and anchors come from the export's tables, their paragraphs
    from ``files``, and candidate pairs the index decided keep their answer."""
    started = time.perf_counter()
    clock = Stopwatch()
    given = _export_folder(index)  # refused before Spark starts if it is neither
    with clock.stage("spark_start"):
        spark = session(master)
    with ExitStack() as temporary:
        with clock.stage("export"):  # an index folder's tables written as Parquet
            folder = temporary.enter_context(_exported(index, given))
        return _scan_export(
            spark,
            folder,
            [Path(p) for p in paths],
            index,
            config,
            reading,
            clock,
            started,
            on_signed,
        )


def _new_files(paths: list[Path], root: Path, reading: Reading) -> dict[str, list[Item]]:
    """The documents of each file under ``paths`` by its name relative to ``root``, as
    ``store.scan`` lists them: a text file to be read by an executor, a row file's rows,
    or why the file could not be listed."""
    encoding, select, errors, fields = reading
    listing = list_inputs(paths, select)
    found: dict[str, list[Item]] = {}
    for entry in listing.entries:
        if isinstance(entry, SkippedFile):
            name = relative_name(listing.root / entry.path, root)
            found[name] = [SkippedFile(name, entry.reason)]
            continue
        path = Path(os.path.abspath(listing.root / entry.relative))
        name = relative_name(path, root)
        if is_row_file(name):
            found[name] = list(read_rows(path, name, fields))
        else:
            found[name] = [Unread(path, root, encoding, errors)]
    return found


def _whole_files(new: dict[str, list[Item]]) -> list[list[str]]:
    """The names of ``new`` in chunks of whole files of about ``CHUNK_CHARS`` characters:
    a chunk's paragraphs are cut back into files after signing."""
    groups: list[list[str]] = []
    group: list[str] = []
    chars = 0
    for name, items in new.items():
        group.append(name)
        chars += items_chars(items)
        if chars >= CHUNK_CHARS:
            groups.append(group)
            group, chars = [], 0
    return [*groups, group] if group else groups


def _digest_halves(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``keys.key`` with its 16-byte digest as the two int64 the signing stage gives."""
    for batch in batches:
        values, _ = _binary_values(pa.chunked_array([batch.column("digest")]), "<i8")
        halves = values.reshape(-1, 2)
        yield pa.RecordBatch.from_arrays(
            [batch.column("key"), pa.array(halves[:, 0]), pa.array(halves[:, 1])],
            names=["key", "d0", "d1"],
        )


def _key_shingler(config: Config) -> Any:
    """The rows of indexed keys, from a paragraph of each (``row``, ``paragraph``),
    normalised again into its key and shingled: the index does not store shingles."""

    def shingle(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            keys = normalise_batch(batch.column("paragraph").to_pylist())
            hashes, offsets = shingle_batch(keys, config.shingle, config.ngram)
            yield pa.RecordBatch.from_arrays(
                [batch.column("row"), _lists(_as_int64(hashes), offsets), pa.array(keys)],
                names=["row", "hashes", "text"],
            )

    return shingle


def _binary_values(column: pa.ChunkedArray, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """A binary column of little-endian numbers as CSR (values, offsets)."""
    array = column.combine_chunks()
    width = 8 if pa.types.is_large_binary(array.type) else 4
    bounds = np.frombuffer(array.buffers()[1], f"<i{width}")[array.offset :]
    bounds = bounds[: len(array) + 1].astype(np.int64)
    data = array.buffers()[2]
    raw = np.frombuffer(data, np.uint8)[bounds[0] : bounds[-1]] if data is not None else b""
    size = np.dtype(dtype).itemsize
    values = np.frombuffer(bytes(raw), dtype)
    return values, (bounds - bounds[0]) // size


def _indexed_files(spark: SparkSession, folder: str, root: Path) -> dict[str, _FileParagraphs]:
    """The indexed files by their name relative to ``root``, from ``files``,
    ``documents`` and ``warnings``."""
    documents = _arrow(_table(spark, folder, "documents")).sort_by(
        [("file", "ascending"), ("seq", "ascending")]
    )
    outcomes: dict[int, list[FileInfo | SkippedFile]] = {}
    for d in documents.to_pylist():
        outcome: FileInfo | SkippedFile = (
            SkippedFile(d["path"], d["error"])
            if d["error"] is not None
            else FileInfo(d["path"], d["encoding"], d["paragraphs"], d["row"], d["id"])
        )
        outcomes.setdefault(d["file"], []).append(outcome)
    warned = _arrow(_table(spark, folder, "warnings")).sort_by(
        [("file", "ascending"), ("seq", "ascending")]
    )
    warnings: dict[int, list[SkippedFile]] = {}
    for w in warned.to_pylist():
        warnings.setdefault(w["file"], []).append(SkippedFile(w["path"], w["reason"]))
    files = {}
    table = _arrow(
        _table(spark, folder, "files").select(
            "file", "path", "name", "text", "ends", "lines", "keys"
        )
    )
    for f in table.to_pylist():
        old = f["name"]
        new = relative_name(Path(os.fsdecode(f["path"])), root)
        files[new] = _FileParagraphs(
            tuple(replace(o, path=renamed(o.path, old, new)) for o in outcomes.get(f["file"], [])),
            tuple(replace(w, path=renamed(w.path, old, new)) for w in warnings.get(f["file"], [])),
            f["text"],
            np.frombuffer(f["ends"], "<i4").astype(np.int64),
            np.frombuffer(f["lines"], "<i4").astype(np.int32),
            np.frombuffer(f["keys"], "<i8").astype(np.int64),
        )
    return files


def _signed_files(
    groups: list[list[str]], new: dict[str, list[Item]], heads: list[Signed], keys: np.ndarray
) -> dict[str, _FileParagraphs]:
    """NEW's files cut out of their signed chunks (``keys``: the key of every paragraph of
    the chunks, in order)."""
    files = {}
    first = 0
    for group, head in zip(groups, heads):
        at = para = 0
        for name in group:
            outcomes = tuple(head.outcomes[at : at + len(new[name])])
            at += len(new[name])
            n = sum(o.paragraphs for o in outcomes if isinstance(o, FileInfo))
            names = {o.path for o in outcomes}
            offset = int(head.ends[para - 1]) if para else 0
            ends = head.ends[para : para + n].astype(np.int64) - offset
            files[name] = _FileParagraphs(
                outcomes,
                tuple(w for w in head.warnings if w.path in names),
                head.text[offset : offset + int(ends[-1])] if n else "",
                ends,
                head.lines[para : para + n],
                keys[first + para : first + para + n],
            )
            para += n
        first += len(head.lines)
    return files


def _chunk_starts(spark: SparkSession, chunk_keys: list[np.ndarray]) -> DataFrame:
    """The corpus-wide number of each chunk's first paragraph (``first_chunk``, ``start``),
    from each chunk's paragraph keys."""
    counts = np.array([len(keys_of) for keys_of in chunk_keys], dtype=np.int64)
    return spark.createDataFrame(
        pd.DataFrame(
            {
                "first_chunk": np.arange(len(counts), dtype=np.int64),
                "start": np.cumsum(counts) - counts,
            }
        ),
        "first_chunk long, start long",
    )


def _scan_export(
    spark: SparkSession,
    folder: str,
    paths: list[Path],
    index: str | os.PathLike[str],
    config: Config,
    reading: Reading,
    clock: Stopwatch,
    started: float,
    on_signed: Callable[[list[str]], None] | None,
) -> Report:
    """`scan_indexed` over the export in ``folder``."""
    encoding, _, errors, fields = reading
    with clock.stage("read"):
        settings = dict(
            (r["name"], r["value"]) for r in _arrow(_table(spark, folder, "settings")).to_pylist()
        )
        shown = display_name(os.fspath(index))
        if "signing" not in settings:
            raise InputError(f"--index {shown}: an empty index; add files with `dedup index add`")
        refuse_other_signing(
            settings["signing"], signing_settings(config, encoding, errors, fields), shown
        )
        root = input_root(_sources(spark, folder) + paths)
        new = _new_files(paths, root, reading)
        groups = _whole_files(new)
        payloads = [pickle.dumps([item for name in g for item in new[name]]) for g in groups]
    with clock.stage("sign"):
        tasks = min(len(payloads), 4 * spark.sparkContext.defaultParallelism)
        signed = (
            spark.createDataFrame(list(enumerate(payloads)), "chunk long, items binary")
            .repartition(max(tasks, 1))
            .mapInArrow(_signer(config), _KEYS_DDL)
            .cache()
        )
        heads_table = _arrow(signed.filter("k < 0").select("chunk", "paragraphs").orderBy("chunk"))
        heads: list[Signed] = [
            pickle.loads(p) for p in heads_table.column("paragraphs").to_pylist()
        ]
    if on_signed is not None:
        on_signed([o.path for head in heads for o in head.outcomes])

    with clock.stage("keys"):
        # NEW's keys named as on a fresh Spark scan of NEW alone, then looked up by digest
        # in the index: an indexed key is named by its ``keys.key``, a new one by minus one
        # minus its name. Rows of indexed keys come from the export, of new ones from NEW.
        indexed_digests = (
            _table(spark, folder, "keys")
            .select("key", "digest")
            .mapInArrow(_digest_halves, "key long, d0 long, d1 long")
        )
        chunk_keys = [head.para_key for head in heads]
        chunk_starts = _chunk_starts(spark, chunk_keys)
        occurrences = signed.filter("k >= 0").drop("paragraphs")
        ids = (
            occurrences.groupBy("d0", "d1")
            .agg(F.min(F.struct("chunk", "para")).alias("first"))
            .select(
                "d0",
                "d1",
                F.col("first.chunk").alias("first_chunk"),
                F.col("first.para").alias("first_para"),
            )
            .join(F.broadcast(chunk_starts), "first_chunk")
            .join(indexed_digests, ["d0", "d1"], "left")
            .select(
                "d0",
                "d1",
                "first_chunk",
                "first_para",
                F.col("key").isNull().alias("unindexed"),
                F.coalesce(F.col("key"), -1 - F.col("start") - F.col("first_para")).alias("handle"),
            )
        )
        keyed = (
            occurrences.join(ids, ["d0", "d1"])
            .withColumn(
                "is_row",
                F.col("signed")
                & F.col("unindexed")
                & (F.col("chunk") == F.col("first_chunk"))
                & (F.col("para") == F.col("first_para")),
            )
            .cache()
        )
        found = _arrow(keyed.select("chunk", "k", "handle", "signed"))
        new_rows = (
            keyed.filter("is_row").select("handle", "hashes", "bands", "anchors", "text").cache()
        )
        new_anchors = _arrow(new_rows.select("handle", "anchors"))
        indexed_keys = _arrow(
            _table(spark, folder, "keys").select("key", "signed", "anchors")
        ).sort_by("key")

    # Files in a fresh scan's order (a new file replaces the indexed one of its name), keys
    # numbered by first position: `store.key_order`, as `store.scan` numbers them.
    handle = found.column("handle").to_numpy()
    para_handles = _para_keys(
        chunk_keys, found.column("chunk").to_numpy(), found.column("k").to_numpy(), handle
    )
    with clock.stage("read"):  # the indexed files' paragraphs, from files.parquet
        files = _indexed_files(spark, folder, root)
        files.update(_signed_files(groups, new, heads, para_handles))
        order = [files[name] for name in sorted(files)]
        corpus = Corpus()
        for chunk in held_chunks(order):
            corpus.add_paragraphs(chunk)
        paragraphs = Paragraphs(corpus)
    rows = _Rows.of(order, found, indexed_keys)
    key_handle, key_para, para_key = rows.key_handle, rows.key_para, rows.para_key
    row_key, row_handle = rows.row_key, rows.row_handle
    n_rows = len(row_handle)
    row_of = spark.createDataFrame(
        pd.DataFrame({"handle": row_handle, "row": np.arange(n_rows, dtype=np.int64)}),
        "handle long, row long",
    ).cache()

    with clock.stage("candidates"):
        fragments = _fragment_pairs(rows, indexed_keys, new_anchors)
        fragment_frame = spark.createDataFrame(
            pd.DataFrame({"a": fragments[:, 0], "b": fragments[:, 1]}), _PAIRS_DDL
        )
        new_band_rows = (
            new_rows.join(row_of, "handle")
            .select("row", F.posexplode("bands").alias("band", "value"))
            .select("row", F.col("band").cast("long"), "value")
        )
        # An indexed band row makes a pair only in a bucket two indexed keys share
        # (``buckets``) or one that NEW's keys hit: the others are left where they are
        # read (NEW's values and the shared buckets are sent to every task).
        hit = _table(spark, folder, "buckets").union(new_band_rows.select("band", "value"))
        band_rows = (
            _table(spark, folder, "bands")
            .join(F.broadcast(hit), ["band", "value"], "left_semi")
            .join(row_of.withColumnRenamed("handle", "key"), "key")
            .select("row", "band", "value")
            .union(new_band_rows)
        )
        buckets = (
            band_rows.groupBy("band", "value")
            .agg(F.array_sort(F.collect_list("row")).alias("members"))
            .filter(F.size("members") >= 2)
            .select("members")
        )
        found_pairs = _arrow(
            buckets.mapInArrow(_bucket_pairs, _PAIRS_DDL).union(fragment_frame).distinct()
        )
        candidates = np.stack(
            (found_pairs.column("a").to_numpy(), found_pairs.column("b").to_numpy()), axis=1
        ).reshape(-1, 2)
        same = settings.get("verifying") == verifying_settings(config)
        kept, decided = _decided(spark, folder, candidates, rows, same)
        todo = candidates[~decided]
        needed_rows = np.unique(np.concatenate((todo.ravel(), candidates[kept].ravel())))
        todo_frame = spark.createDataFrame(
            pd.DataFrame({"a": todo[:, 0], "b": todo[:, 1]}), _PAIRS_DDL
        )
        needed = spark.createDataFrame(pd.DataFrame({"row": needed_rows}), "row long")

    with clock.stage("verify"):
        # An indexed key's row is made again from its first paragraph (the driver holds
        # every paragraph) on the executors; a new key's comes from NEW's signing.
        indexed_needed = needed_rows[row_handle[needed_rows] > 0]
        paragraph_frame = spark.createDataFrame(
            pd.DataFrame(
                {
                    "row": indexed_needed,
                    "paragraph": paragraphs.text_of(key_para[row_key[indexed_needed]]),
                }
            ),
            "row long, paragraph string",
        )
        shingled = (
            new_rows.join(row_of, "handle")
            .select("row", "hashes", "text")
            .join(needed, "row", "left_semi")
            .union(
                paragraph_frame.mapInArrow(
                    _key_shingler(config), "row long, hashes array<long>, text string"
                )
            )
            .cache()
        )
        shingle_table = _arrow(shingled)
        side_a = shingled.select(
            F.col("row").alias("a"), F.col("hashes").alias("ha"), F.col("text").alias("ka")
        )
        side_b = shingled.select(
            F.col("row").alias("b"), F.col("hashes").alias("hb"), F.col("text").alias("kb")
        )
        verified = _arrow(
            todo_frame.join(side_a, "a").join(side_b, "b").mapInArrow(_verifier(config), _PAIRS_DDL)
        )
        a = np.concatenate((verified.column("a").to_numpy(), candidates[kept, 0]))
        b = np.concatenate((verified.column("b").to_numpy(), candidates[kept, 1]))
        by_pair = np.lexsort((b, a))
        accepted = np.stack((a[by_pair], b[by_pair]), axis=1).astype(np.int64).reshape(-1, 2)
        compared = np.unique(accepted.ravel())
        # The rows of pairs to verify or kept, on the driver already: those of accepted
        # pairs are what the cluster stage compares.
        shingle_table = shingle_table.filter(
            pa.array(np.isin(shingle_table.column("row").to_numpy(), compared))
        )
    for frame in (signed, keyed, new_rows, row_of, shingled):
        frame.unpersist()

    _shingles_of(corpus, shingle_table, np.arange(n_rows, dtype=np.int64))
    return _cluster_and_report(
        spark,
        accepted,
        (para_key, row_key, len(key_handle)),
        compared,
        corpus,
        paragraphs,
        config,
        clock,
        started,
    )


@dataclass(frozen=True)
class _Rows:
    """Keys numbered as a fresh scan of indexed and new files numbers them, and the rows
    (compared keys in key id order). A key is named by its ``keys.key`` if indexed, else
    by minus one minus its name in NEW."""

    key_handle: np.ndarray
    """The name of each key id."""
    key_para: np.ndarray
    """Each key id's first paragraph."""
    para_key: np.ndarray
    """Each paragraph's key id."""
    row_key: np.ndarray
    """Each row's key id."""
    row_handle: np.ndarray
    """Each row's key name."""
    by_handle: np.ndarray
    """The rows in order of their key names."""

    @classmethod
    def of(cls, files: list[_FileParagraphs], found: pa.Table, indexed_keys: pa.Table) -> _Rows:
        """From ``files`` in scan order, NEW's key occurrences (``found``: ``handle`` and
        ``signed``) and the export's ``keys`` (``key`` ascending, ``signed``)."""
        key_handle, key_para, para_key = key_order(
            np.concatenate([np.zeros(0, np.int64), *(f.keys for f in files)])
        )
        indexed_ids = indexed_keys.column("key").to_numpy()
        is_signed = np.zeros(len(key_handle), bool)
        old = key_handle > 0
        at = np.searchsorted(indexed_ids, key_handle[old])
        is_signed[old] = indexed_keys.column("signed").to_numpy()[at] != 0
        new_handles, first = np.unique(found.column("handle").to_numpy(), return_index=True)
        new_signed = found.column("signed").to_numpy(zero_copy_only=False)[first]
        is_signed[~old] = new_signed[np.searchsorted(new_handles, key_handle[~old])]
        row_key = np.flatnonzero(is_signed).astype(np.int64)
        row_handle = key_handle[row_key]
        return cls(key_handle, key_para, para_key, row_key, row_handle, np.argsort(row_handle))

    def rows_of(self, handles: np.ndarray) -> np.ndarray:
        """The rows of the keys named ``handles`` (each a row's)."""
        return self.by_handle[np.searchsorted(self.row_handle[self.by_handle], handles)]


def _fragment_pairs(rows: _Rows, indexed_keys: pa.Table, new_anchors: pa.Table) -> np.ndarray:
    """The fragment candidate pairs of the rows (`index.anchor_pairs`, whose share rule
    counts each row's anchors), from the export's ``keys.anchors`` and NEW's."""
    indexed_rows = np.flatnonzero(rows.row_handle > 0)
    values, offsets = _binary_values(indexed_keys.column("anchors"), "<u8")
    at = np.searchsorted(indexed_keys.column("key").to_numpy(), rows.row_handle[indexed_rows])
    taken, taken_offsets = take_rows(values.astype(np.uint64), offsets, at)
    lists = new_anchors.column("anchors").combine_chunks()
    new_at = rows.rows_of(new_anchors.column("handle").to_numpy())
    anchor_rows = np.concatenate(
        (
            np.repeat(indexed_rows, np.diff(taken_offsets)),
            np.repeat(new_at, np.diff(lists.offsets.to_numpy())),
        )
    )
    anchors = np.concatenate((taken, lists.flatten().to_numpy().view(np.uint64)))
    return anchor_pairs(anchor_rows.astype(np.int64), anchors, len(rows.row_handle))


def _decided(
    spark: SparkSession, folder: str, candidates: np.ndarray, rows: _Rows, same: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Which candidate pairs the index accepted, and which it decided either way, the
    same way round (verification is a function of the two keys in order); none when its
    verification settings are not the run's (``same``)."""
    kept = np.zeros(len(candidates), bool)
    decided = np.zeros(len(candidates), bool)
    if not same:
        return kept, decided
    n_rows = len(rows.row_handle)
    codes = candidates[:, 0] * n_rows + candidates[:, 1]
    for table in ("edges", "rejected"):
        stored = _stored_pairs(spark, folder, table, rows.row_handle, rows.by_handle)
        found = np.isin(codes, stored[:, 0] * n_rows + stored[:, 1])
        decided |= found
        if table == "edges":
            kept = found
    return kept, decided


def _stored_pairs(
    spark: SparkSession, folder: str, table: str, row_handle: np.ndarray, by_handle: np.ndarray
) -> np.ndarray:
    """The export's ``edges`` or ``rejected`` as pairs of rows (``row_handle``: each row's
    key, ``by_handle`` the rows in key order), in the order they were verified in; none if
    the export has no such table. A pair with a key the scan does not hold is left out."""
    if "://" not in folder and not Path(folder, f"{table}.parquet").is_file():
        return np.zeros((0, 2), np.int64)
    pairs = _arrow(_table(spark, folder, table))
    keys = np.stack((pairs.column("a").to_numpy(), pairs.column("b").to_numpy()), axis=1)
    sorted_keys = row_handle[by_handle]
    at = np.minimum(np.searchsorted(sorted_keys, keys), max(len(sorted_keys) - 1, 0))
    if not len(sorted_keys):
        return np.zeros((0, 2), np.int64)
    held = (sorted_keys[at] == keys).all(axis=1)
    return by_handle[at[held]].reshape(-1, 2)
