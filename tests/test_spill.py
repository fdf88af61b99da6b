"""The spill file: what is written comes back, by range and by index."""

from __future__ import annotations

import numpy as np

from dedup.spill import Spill, SpilledArrays, SpilledStrings, take


def test_arrays_and_strings_share_one_file_and_come_back() -> None:
    spill = Spill()
    arrays = SpilledArrays(spill, np.uint64)
    strings = SpilledStrings(spill)
    first = np.arange(10, dtype=np.uint64) * 3
    arrays.append(first)
    strings.extend(["甲乙丙", "", "\ud800 lone surrogate", "abc"])
    arrays.append(np.array([7, 8], dtype=np.uint64))
    strings.extend([])
    strings.extend(["最后"])
    assert len(arrays) == 2 and len(strings) == 5
    assert arrays.span(0, 2, 5).tolist() == [6, 9, 12]
    assert [a.tolist() for a in arrays] == [first.tolist(), [7, 8]]
    assert strings[0] == "甲乙丙" and strings[1] == "" and strings[-1] == "最后"
    assert strings[2] == "\ud800 lone surrogate"
    assert strings.take(np.array([4, 0, 4])) == ["最后", "甲乙丙", "最后"]
    assert strings[1:4:2] == ["", "abc"]
    assert list(strings) == ["甲乙丙", "", "\ud800 lone surrogate", "abc", "最后"]
    spill.close()


def test_an_index_past_the_end_is_an_index_error() -> None:
    strings = SpilledStrings(Spill())
    strings.extend(["一"])
    try:
        strings[1]
    except IndexError:
        pass
    else:
        raise AssertionError("no IndexError")


def test_take_in_bulk_equals_one_by_one() -> None:
    spill = Spill()
    strings = SpilledStrings(spill)
    words = [f"第{i}个键" * (i % 5) for i in range(1000)]
    for start in range(0, 1000, 137):
        strings.extend(words[start : start + 137])
    rows = np.array([999, 0, 136, 137, 500, 500, 3, 998], dtype=np.int64)
    assert take(strings, rows) == [words[i] for i in rows.tolist()]
    assert take(words, rows) == [words[i] for i in rows.tolist()]
    assert take(strings, np.zeros(0, dtype=np.int64)) == []
