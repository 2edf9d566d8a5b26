#!/usr/bin/env python3
"""Screenshots of the example lesson's first episode in each supported theme, for the docs.

    python tools/docs_screenshots.py

Builds example-lesson/ once per theme, opens ``naming.html`` in the instructor view
with the system's chromium (``REFINERY_CHROMIUM``, else ``/usr/bin/chromium``),
light, and dark where the theme has a dark mode, and writes
``docs/_static/screenshots/THEME-SCHEME.png``. When ``pngquant`` is on the PATH the
images are quantised, which keeps each well under 100 kB.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "_static" / "screenshots"
THEMES = ["sphinx_rtd_theme", "furo", "pydata_sphinx_theme", "sphinx_book_theme", "alabaster"]
DARK = {"furo", "pydata_sphinx_theme", "sphinx_book_theme"}
VIEWPORT = {"width": 1100, "height": 1300}


def build(theme: str, out: Path) -> Path:
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-D", f"html_theme={theme}"]
    subprocess.run([*command, str(ROOT / "example-lesson"), str(out)], check=True)
    return out


def main() -> int:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("REFINERY_CHROMIUM", "/usr/bin/chromium")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for theme in THEMES:
            site = build(theme, Path(scratch) / theme)
            for scheme in ["light", "dark"] if theme in DARK else ["light"]:
                context = browser.new_context(viewport=VIEWPORT, color_scheme=scheme, reduced_motion="reduce")
                page = context.new_page()
                page.goto((site / "naming.html").as_uri() + "?view=instructor")
                page.locator("details.solution > summary").first.click()
                page.mouse.move(0, 0)
                page.evaluate("window.scrollTo(0, 0)")
                target = OUT / f"{theme}-{scheme}.png"
                page.screenshot(path=str(target))
                context.close()
                if shutil.which("pngquant"):
                    subprocess.run(
                        ["pngquant", "--force", "--skip-if-larger", "--quality", "60-85", "--output", str(target), str(target)],
                        check=False,
                    )
                print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} kB")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
