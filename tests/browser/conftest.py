"""Real-browser fixtures: Debian's chromium driven by Playwright, on the example lesson.

Neither Playwright nor these tests download a browser: they use
``REFINERY_CHROMIUM`` or ``/usr/bin/chromium``. Without one (or without
axe-core from ``npm ci --prefix tests/browser``) the tests skip, except on CI,
where that is an error. Screenshots go to ``REFINERY_ARTIFACTS`` (default:
``test-artifacts/screenshots``, git-ignored) for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_LESSON, ON_CI, build_once

CHROMIUM = Path(os.environ.get("REFINERY_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(
    os.environ.get("REFINERY_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots")
)
THEMES = ["sphinx_rtd_theme", "furo", "pydata_sphinx_theme", "sphinx_book_theme", "alabaster"]
#: Themes with a dark mode; the others stay light whatever the system prefers.
DARK_THEMES = ["furo", "pydata_sphinx_theme", "sphinx_book_theme"]
#: (theme, colour scheme): light everywhere, dark where the theme has it.
THEME_SCHEMES = [(t, "light") for t in THEMES] + [(t, "dark") for t in DARK_THEMES]
#: Errors the themes log on a plain Sphinx project, without this extension.
THEMES_OWN_ERRORS = {"Got invalid theme mode: . Resetting to auto."}  # pydata, book
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def need(condition: bool, what: str) -> None:
    if condition:
        return
    if ON_CI:
        pytest.fail(f"{what} is missing on CI")
    pytest.skip(f"{what} is missing")


@pytest.fixture(scope="session")
def browser():
    need(CHROMIUM.exists(), f"chromium ({CHROMIUM})")
    need(importlib.util.find_spec("playwright") is not None, "playwright")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Site:
    """The example lesson built in one theme, served on 127.0.0.1."""

    def __init__(self, root: Path) -> None:
        handler = functools.partial(QuietHandler, directory=str(root))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def sites(tmp_path_factory):
    built: dict[str, Site] = {}

    def site(theme: str) -> Site:
        if theme not in built:
            if theme != "alabaster":
                need(importlib.util.find_spec(theme) is not None, f"the theme {theme}")
            src = tmp_path_factory.mktemp(theme) / "src"
            shutil.copytree(EXAMPLE_LESSON, src, ignore=shutil.ignore_patterns("_build"))
            result = build_once(src, None, "html", confoverrides={"html_theme": theme})
            assert result.warning_lines() == [], result.warnings
            built[theme] = Site(result.outdir)
        return built[theme]

    yield site
    for s in built.values():
        s.close()


@pytest.fixture
def page(browser):
    # Reduced motion: screenshots catch no marker half-turned.
    context = browser.new_context(viewport={"width": 1200, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    page.errors = []

    def on_console(message) -> None:
        # Failed loads are reported with their address by on_response instead.
        if message.type != "error" or message.text.startswith("Failed to load resource"):
            return
        if message.text in THEMES_OWN_ERRORS:
            return
        page.errors.append(message.text)

    def on_response(response) -> None:
        # Browsers ask every site for a favicon; the lesson has none.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            page.errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


