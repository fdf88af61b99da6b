from __future__ import annotations

from pathlib import Path

import dedup


def test_describe_names_the_numbers_and_where_the_largest_clusters_are(seed_folder: Path) -> None:
    text = dedup.scan(seed_folder, progress=False).describe()
    assert text.startswith("Scanned 2 file(s), 42 paragraph(s)")
    assert "×6 (both) 來源:大眾日報" not in text  # the first copy in path order is shown
    assert (
        "×6 (both) 来源:大众日报\n      at page_simplified.txt:1,4,6 page_traditional.txt:1,4,6"
        in (text)
    )


def test_describe_cuts_long_lists_of_places() -> None:
    texts = {"a": "\n".join(["此外，"] * 9)}
    text = dedup.scan(texts, progress=False).describe()
    assert "at a:1,2,3,4,…(+5)" in text


def test_removable_keeps_the_first_copy_overall_or_in_each_document() -> None:
    texts = {"a": "来源:大众日报\n来源:大众日报", "b": "来源:大众日报"}
    [cluster] = dedup.scan(texts, progress=False).clusters
    # A short line goes within its document; in another document only as part of a
    # repeated block or boilerplate, which b's lone line is not.
    assert [(m.path, m.line) for m in cluster.removable()] == [("a", 2)]
    assert [(m.path, m.line) for m in cluster.removable(within=True)] == [("a", 2)]
    texts = {
        "a": "来源:大众日报\n本报记者在现场看到了这一幕的全过程。",
        "b": "本报记者在现场看到了这一幕的全过程。\n来源:大众日报",
    }
    [cluster, _] = dedup.scan(texts, progress=False).clusters
    assert [(m.path, m.line) for m in cluster.removable()] == [("b", 2)]  # a block
