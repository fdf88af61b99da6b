"""Progress bars are drawn only when shown, and tqdm is imported only then."""

from __future__ import annotations

import subprocess
import sys

from dedup.progress import progress_bar, with_progress


def test_hidden_bars_pass_items_through_and_count_nothing() -> None:
    items = ["甲", "乙", "丙"]
    assert list(with_progress(items, "reading", "line", show=False)) == items
    hidden = progress_bar(3, "reading", "line", show=False)
    assert hidden.update(2) is None
    hidden.close()


def test_shown_bars_are_tqdm_bars(capsys: object) -> None:
    shown = progress_bar(3, "reading", "line", show=True, leave=False)
    shown.update(3)
    assert getattr(shown, "n", None) == 3
    shown.close()
    assert list(with_progress([1, 2], "reading", "line", show=True, leave=False)) == [1, 2]


def test_a_scan_without_bars_never_imports_tqdm(tmp_path: object) -> None:
    """tqdm costs start-up time: a scan that shows no bar does without it."""
    code = (
        "import sys, dedup\n"
        "report = dedup.scan({'a': '今天天气很好，我们去公园散步吧。', "
        "'b': '今天天气很好，我们去公园散步吧。'}, progress=False)\n"
        "assert len(report.clusters) == 1\n"
        "print('tqdm' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
