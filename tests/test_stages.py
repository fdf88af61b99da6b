"""The corpus of merged chunks gives back, from its spill file, what the workers signed."""

from __future__ import annotations

import numpy as np

from dedup import stages
from dedup.config import Config
from dedup.io import Document
from dedup.normalise import normalise_batch
from dedup.shingle import shingle_batch
from tests.conftest import sighan_lines


def test_texts_keys_and_shingles_come_back_from_the_spill() -> None:
    lines = [line for line in sighan_lines("msr_test.utf8") if len(line) >= 20][:300]
    docs = [Document(f"d{i}.txt", "\n".join(lines[i * 30 : i * 30 + 30])) for i in range(10)]
    docs.append(Document("copy.txt", "\n".join(lines[:40]) + "\n\n" + "……"))  # repeats
    config = Config()
    corpus = stages.Corpus()
    for chunk in (docs[:4], docs[4:7], docs[7:]):
        corpus.merge(stages.sign_chunk(list(chunk), config))
    row_key = corpus.column("row_key", np.zeros(0, np.int64))
    paragraphs = stages.Paragraphs(corpus)
    texts = [line for doc in docs for line in doc.text.split("\n") if line]
    assert len(paragraphs) == len(texts) == 341
    rows = np.array([340, 0, 5, 5, 299, 150, 300, 31], dtype=np.int64)
    assert paragraphs.text_of(rows) == [texts[r] for r in rows.tolist()]
    assert paragraphs.text_of(np.zeros(0, np.int64)) == []
    # Equal texts come back as one string; texts read before are reused, not read again.
    same = paragraphs.text_of(np.array([0, 300], dtype=np.int64))  # copy.txt repeats d0
    assert same[0] == texts[0] and same[0] is same[1]
    known = (np.array([31, 5], dtype=np.int64), ["thirty-one", "five"])
    again = paragraphs.text_of(rows, known)
    assert again == [{31: "thirty-one", 5: "five"}.get(r, texts[r]) for r in rows.tolist()]
    joined = "".join(chr(c) for points, _ in paragraphs.code_points() for c in points.tolist())
    assert joined == "".join(texts)
    # The copies add no rows: 300 distinct signed keys; each row's key and shingles.
    assert len(row_key) == len(corpus.row_keys) == 300
    keys = normalise_batch(lines)  # the keys of the distinct lines, in order
    assert list(corpus.row_keys) == keys
    wanted = np.array([0, 7, 150, 299], dtype=np.int64)
    hashes, offsets = corpus.shingles(wanted)
    expected, expected_offsets = shingle_batch([keys[r] for r in wanted.tolist()], "char", 3)
    assert offsets.tolist() == expected_offsets.tolist()
    assert hashes.tolist() == expected.tolist()
