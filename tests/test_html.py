"""The HTML report: its differences, that it is self-contained, and how it behaves in a real
headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import opencc
import pytest

import dedup
from dedup.html import differences, render, write_html
from examples.screenshot import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import run_dedup, sighan_lines


def test_differences_tell_script_width_and_punctuation_from_edits(t2s: opencc.OpenCC) -> None:
    line = next(s for s in sighan_lines("cityu_test.utf8") if t2s.convert(s) != s and "，" in s)
    simplified = t2s.convert(line)
    assert {d[4] for d in differences(line, simplified)} == {"script"}
    halfwidth = line.replace("，", ",")
    assert {d[4] for d in differences(line, halfwidth)} == {"width"}
    assert {d[4] for d in differences(line, line.replace("，", "、", 1))} == {"punct"}
    edited = line[:3] + ("九" if line[3] != "九" else "八") + line[4:]
    assert differences(line, edited) == [[3, 4, 3, 4, "edit"]]
    assert differences(line, line) == []


@pytest.fixture()
def report_folder(tmp_path: Path, seed_text: str, t2s: opencc.OpenCC) -> Path:
    """The real page, a simplified reprint of it with a few words added to its longest
    paragraph, and a page that repeats one of its paragraphs twice within itself."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "page.txt").write_text(seed_text, encoding="utf-8")
    lines = t2s.convert(seed_text).split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    lines[longest] = "据悉" + lines[longest].strip()  # an edit: words the first copy lacks
    reprint = "\n".join(lines)
    (folder / "reprint.txt").write_text(reprint, encoding="utf-8")
    lines = sighan_lines("pku_test.utf8")[:6]
    (folder / "other.txt").write_text("\n".join([*lines, lines[2]]), encoding="utf-8")
    return folder


def test_page_is_self_contained_and_escapes_text(tmp_path: Path) -> None:
    text = "</script><script>alert(1)</script>一二三四五六七八九十甲乙丙丁"
    report = dedup.scan({"a.txt": text, "b.txt": text}, progress=False)
    page = render(report)
    assert page.count("<script") == 2  # the data and the renderer, nothing injected
    assert not re.search(r"(src|href)=|https?://|@import|url\(", page)
    assert "alert(1)" in page  # the text is there, as JSON


def test_rows_show_their_ids(tmp_path: Path) -> None:
    text = "一二三四五六七八九十甲乙丙丁戊己庚辛"
    report = dedup.scan([("id-a", text), ("id-b", text + "。")], progress=False)
    page = render(report)
    assert '"i":"id-a","p":"#1"' in page and '"i":"id-b","p":"#2"' in page


def test_cli_writes_html_and_top(report_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run_dedup("scan", report_folder, "--html", out, "--top", "1")
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert result.stdout.count("      at ") == 1  # one cluster in the summary
    for name in ("x.txt", "report.json"):  # both would be read as input next time
        inside = run_dedup("scan", report_folder, "--html", report_folder / name)
        assert inside.returncode == 2 and "would be read as one" in inside.stderr


def _browser_or_skip() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")


def test_report_in_headless_chromium(report_folder: Path, tmp_path: Path) -> None:
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    report = dedup.scan(report_folder, progress=False)
    within = sum(c.scope == "within" for c in report.clusters)
    assert 0 < within < len(report.clusters) <= 50
    page_file = tmp_path / "report.html"
    write_html(report, page_file)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            page.wait_for_selector(".cluster")
            assert page.locator(".cluster").count() == len(report.clusters)
            assert page.locator("#count").inner_text() == (
                f"{len(report.clusters)} of {len(report.clusters)} clusters"
            )
            # The added words are an edit; the script differences are marked apart.
            edits = page.locator("mark.edit").all_inner_texts()
            assert any("据悉" in e for e in edits), edits
            assert page.locator("mark.script").count() > 0
            page.screenshot(path=str(tmp_path / "report.png"), full_page=False)

            page.select_option("#scope", "within")
            assert page.locator(".cluster").count() == within
            assert page.locator(".badge.within").count() == within
            page.select_option("#scope", "")
            page.fill("#search", "other.txt")
            assert page.locator(".cluster").count() == within
            page.fill("#search", "沒有這樣的字串")
            assert page.locator(".cluster").count() == 0
            assert page.locator("#count").inner_text().startswith("0 of ")
            page.screenshot(path=str(tmp_path / "filtered.png"))
        finally:
            browser.close()
    assert requests == [page_file.as_uri()]  # nothing else was fetched
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_boilerplate_clusters_are_marked() -> None:
    lines = sighan_lines("msr_test.utf8")[:12]
    footer = "本网站所有内容均受版权保护，未经许可不得转载。"
    texts = {f"p{i}.txt": f"{lines[2 * i]}\n{lines[2 * i + 1]}\n{footer}\n" for i in range(6)}
    report = dedup.scan(texts, progress=False)
    assert any(c.kind == "boilerplate" for c in report.clusters)
    page = render(report)
    assert page.count('"boilerplate":true') == sum(c.kind == "boilerplate" for c in report.clusters)
