"""Real-browser tests: Debian's chromium driven by Playwright, on the example lesson.

Neither Playwright nor these tests download a browser: they use
``REFINERY_CHROMIUM`` or ``/usr/bin/chromium``. Without one (or without
axe-core from ``npm ci --prefix tests/browser``) the tests skip, except on CI,
where that is an error.
"""

from __future__ import annotations

import functools
import importlib.util
import http.server
import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_LESSON, ON_CI, build_once

CHROMIUM = Path(os.environ.get("REFINERY_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
THEMES = ["sphinx_rtd_theme", "furo", "pydata_sphinx_theme", "sphinx_book_theme", "alabaster"]
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
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
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
    context = browser.new_context(viewport={"width": 1200, "height": 900})
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


def test_solution_titles_hold_no_links(page, sites):
    """A link inside <summary> is unreachable for assistive technology."""
    page.goto(sites("furo").url + "testing.html")
    assert page.locator("details.admonition > summary a").count() == 0
    # The solution placed after another exercise links to it from its body.
    solution = page.locator("details.admonition.solution").nth(1)
    assert solution.locator("summary").text_content().strip() == "Solution to Exercise 2.1"
    assert solution.locator(".refinery-see-also a").count() == 0  # same page: the title says it


def test_solutions_open_and_close(page, sites):
    page.goto(sites("sphinx_rtd_theme").url + "naming.html")
    solution = page.locator("details.admonition.solution").nth(1)
    body = solution.get_by_text("There is no single answer")
    assert solution.get_attribute("open") is None and not body.is_visible()
    solution.locator("summary").click()
    assert solution.get_attribute("open") is not None and body.is_visible()
    solution.locator("summary").press("Enter")  # keyboard works too
    assert solution.get_attribute("open") is None
    toggle = page.locator(".refinery-solutions-toggle")
    assert toggle.text_content() == "Expand all solutions"
    toggle.click()
    assert page.locator("details.admonition.solution:not([open])").count() == 0
    assert toggle.text_content() == "Collapse all solutions"
    toggle.click()
    assert page.locator("details.admonition.solution[open]").count() == 0
    assert page.errors == []


def test_view_persists_across_pages(page, sites):
    url = sites("furo").url
    page.goto(url + "naming.html")
    note = page.locator(".admonition.instructor-note")
    assert not note.is_visible()  # the default view is the learner's
    toggle = page.locator(".refinery-view-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    assert note.is_visible() and toggle.get_attribute("aria-pressed") == "true"
    page.goto(url + "testing.html")
    assert page.locator(".admonition.instructor-note").is_visible()
    page.goto(url + "sharing.html?view=learner")
    assert not page.locator(".admonition.instructor-note").is_visible()
    page.goto(url + "naming.html")
    assert not page.locator(".admonition.instructor-note").is_visible()
    assert page.errors == []


def test_without_javascript_everything_shows(browser, sites):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(sites("furo").url + "naming.html")
    assert page.locator(".admonition.instructor-note").is_visible()
    assert page.locator(".refinery-toolbar").count() == 0
    context.close()


def test_instructor_guide_shows_notes_in_either_view(page, sites):
    page.goto(sites("furo").url + "instructor-guide.html?view=learner")
    notes = page.locator(".admonition.instructor-note")
    assert notes.count() == 3
    assert all(notes.nth(i).is_visible() for i in range(3))


SIDEBARS = {
    "sphinx_rtd_theme": ".wy-nav-side",
    "furo": ".sidebar-drawer",
    "pydata_sphinx_theme": ".bd-sidebar-primary",
    "sphinx_book_theme": ".bd-sidebar-primary",
    "alabaster": ".sphinxsidebar",
}


@pytest.mark.parametrize("theme", THEMES)
def test_presentation_mode(page, sites, theme):
    page.goto(sites(theme).url + "testing.html")
    sidebar = page.locator(SIDEBARS[theme]).first
    size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    page.keyboard.press("p")
    assert "refinery-present" in page.evaluate("document.documentElement.className")
    assert not sidebar.is_visible()
    assert float(page.evaluate("getComputedStyle(document.documentElement).fontSize")[:-2]) > float(size[:-2])
    headings = page.locator("section > h1, section > h2")
    # A sticky header keeps headings below it: the theme's scroll-padding-top.
    header = page.evaluate("parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0")

    def top(n: int) -> float:
        return headings.nth(n).evaluate("h => h.getBoundingClientRect().top") - header

    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert abs(top(1)) <= 8, top(1)
    page.keyboard.press("ArrowRight")
    assert abs(top(2)) <= 8, top(2)
    page.keyboard.press("ArrowLeft")
    assert abs(top(1)) <= 8, top(1)
    page.keyboard.press("Escape")
    assert "refinery-present" not in page.evaluate("document.documentElement.className")
    page.goto(sites(theme).url + "naming.html?present")
    assert "refinery-present" in page.evaluate("document.documentElement.className")
    assert page.errors == []


def test_print_opens_solutions(page, sites):
    page.goto(sites("sphinx_rtd_theme").url + "naming.html")
    body = page.get_by_text("There is no single answer")
    assert not body.is_visible()
    page.emulate_media(media="print")
    assert body.is_visible()
    assert not page.locator(".refinery-toolbar").is_visible()


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_console_errors_and_screenshots(page, sites, theme, scheme):
    page.emulate_media(color_scheme=scheme)
    url = sites(theme).url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name in ("index", "naming", "testing", "sharing", "exercises", "instructor-guide"):
        page.goto(url + name + ".html?view=instructor")
        page.wait_for_load_state("load")
        assert page.errors == [], (name, page.errors)
        if name == "naming":
            page.screenshot(path=str(ARTIFACTS / f"{theme}-{scheme}-{name}.png"), full_page=True)
    assert (ARTIFACTS / f"{theme}-{scheme}-naming.png").stat().st_size > 10_000


@pytest.mark.parametrize("theme", ["sphinx_rtd_theme", "furo"])
@pytest.mark.parametrize("name", ["naming", "testing", "sharing", "exercises"])
def test_accessibility(page, sites, theme, name):
    need(AXE.exists(), f"axe-core ({AXE}; run npm ci --prefix tests/browser)")
    page.goto(sites(theme).url + name + ".html?view=instructor")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))})); }"
    )
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, indent=1)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_boxes_are_readable(page, sites, theme, scheme):
    """WCAG AA text contrast inside every lesson box, in each theme, light and dark."""
    need(AXE.exists(), f"axe-core ({AXE}; run npm ci --prefix tests/browser)")
    page.emulate_media(color_scheme=scheme)
    for name in ("naming", "testing", "sharing"):
        page.goto(sites(theme).url + name + ".html?view=instructor")
        page.evaluate("document.querySelectorAll('details.admonition').forEach(d => { d.open = true; })")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async () => (await axe.run({include: [['.refinery-box']]},"
            " {runOnly: ['color-contrast'], resultTypes: ['violations']})).violations"
            ".flatMap(v => v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary))"
        )
        assert result == [], (name, result)
