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
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ..cluster import representatives
from ..config import Config
from ..errors import ConfigError
from ..index import anchor_pairs, bucket_pairs
from ..report import Report
from ..shingle import take_rows
from ..stages import (
    Corpus,
    Grouping,
    Item,
    Paragraphs,
    Reading,
    Signed,
    Source,
    Stopwatch,
    build_report,
    chunks,
    cluster,
    list_items,
    sign_chunk,
)
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
        paragraph_counts = np.array([len(keys_of) for keys_of in chunk_keys], dtype=np.int64)
        chunk_starts = spark.createDataFrame(
            pd.DataFrame(
                {
                    "first_chunk": np.arange(len(chunk_keys), dtype=np.int64),
                    "start": np.cumsum(paragraph_counts) - paragraph_counts,
                }
            ),
            "first_chunk long, start long",
        )
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
