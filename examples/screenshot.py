"""Make the README's picture of the HTML report: scan the bundled sample, write the report,
open it in headless Chromium and save a screenshot.

    python examples/screenshot.py                  # writes docs/html-report.png
    python examples/screenshot.py --out shot.png --html report.html

Needs Debian's ``chromium`` (``apt-get install chromium``) and Playwright for Python (in the
``test`` extra); Playwright's own browser download is never used.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import dedup  # noqa: E402
from dedup.html import write_html  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def screenshot(page_file: Path, out: Path, width: int = 1280, height: int = 1400) -> None:
    """Open ``page_file`` in headless Chromium and save a screenshot of its top to ``out``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(page_file.resolve().as_uri())
            page.wait_for_selector(".cluster")
            page.screenshot(path=str(out))
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "html-report.png")
    parser.add_argument("--html", type=Path, help="keep the HTML report here")
    parser.add_argument("--folder", type=Path, default=ROOT / "examples" / "sample")
    args = parser.parse_args()
    report = dedup.scan(args.folder, progress=False)
    with tempfile.TemporaryDirectory() as tmp:
        page_file = args.html or Path(tmp) / "report.html"
        write_html(report, page_file, f"dedup report: {args.folder.name}")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        screenshot(page_file, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
