from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass, replace
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


def test_json_is_written_as_it_is_made_one_cluster_a_line(seed_folder: Path) -> None:
    report = dedup.scan(seed_folder, progress=False)
    chunks = list(report.json_chunks())
    text = "".join(chunks)
    data = json.loads(text)
    assert len(chunks) > len(report.clusters)  # streamed, not one string made at the end
    assert len(data["clusters"]) == len(report.clusters)
    lines = text.splitlines()
    for cluster in report.clusters:  # each cluster on a line of its own
        assert sum(line.startswith(f'{{"id":{cluster.id},') for line in lines) == 1
    assert data["timings"]["write_report"] == round(report.timings["write_report"], 4)
    assert set(data) == {
        "summary",
        "config",
        "clusters",
        "contained",
        "removed",
        "duplicate_documents",
        "files",
        "errors",
        "warnings",
        "timings",
    }
    again = report.to_dict()  # the same report, but for the time it took to write
    assert {**again, "timings": data["timings"]} == data


@dataclass(frozen=True)
class TaggedMember(dedup.Member):
    """A member with one more field, as a later version may add."""

    sentence_coverage: float = 0.5


def test_fields_added_to_members_and_clusters_reach_the_json() -> None:
    report = dedup.scan({"a": "来源:大众日报\n来源:大众日报"}, progress=False)
    [cluster] = report.clusters
    members = tuple(TaggedMember(**vars(m)) for m in cluster.members)
    tagged = replace(report, clusters=(replace(cluster, members=members),))
    [data] = json.loads(tagged.to_json())["clusters"]
    assert [m["sentence_coverage"] for m in data["members"]] == [0.5, 0.5]
    assert data["members"][0] == {**asdict(cluster.members[0]), "sentence_coverage": 0.5}


def test_write_json_streams_to_an_open_file(seed_folder: Path, tmp_path: Path) -> None:
    report = dedup.scan(seed_folder, progress=False)
    buffer = io.BytesIO()
    report.write_json(buffer, members=1)
    data = json.loads(buffer.getvalue())
    assert all(len(c["members"]) == 1 for c in data["clusters"])
    assert [c["size"] for c in data["clusters"]] == [len(c.members) for c in report.clusters]
    report.write_json(tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_bytes())["clusters"][0]["members"]
