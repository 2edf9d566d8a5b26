"""Real-browser tests of the views, solutions, presentation mode and printing."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import ARTIFACTS, AXE, THEMES, need


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


SIZES_JS = """() => { const main = document.querySelector('[role="main"]');
    const size = sel => parseFloat(getComputedStyle(main.querySelector(sel)).fontSize);
    return {text: size('section p'), code: size('pre'), literal: size('code.literal')}; }"""


@pytest.mark.parametrize("theme", THEMES)
def test_presentation_mode(page, sites, theme):
    page.goto(sites(theme).url + "testing.html")
    sidebar = page.locator(SIDEBARS[theme]).first
    normal = page.evaluate(SIZES_JS)
    page.keyboard.press("p")
    assert "refinery-present" in page.evaluate("document.documentElement.className")
    assert not sidebar.is_visible()
    # Reading text and code grow, whether the theme sizes them in rem or in px.
    large = page.evaluate(SIZES_JS)
    assert all(large[k] >= 1.2 * normal[k] for k in normal), (normal, large)
    assert large["text"] >= 19 and large["code"] >= 16, large
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
    # Every section, the last one too, can be brought to the top.
    last = headings.count() - 1
    for _ in range(last + 2):
        page.keyboard.press("ArrowRight")
    assert abs(top(last)) <= 8, top(last)
    shot = ARTIFACTS / f"{theme}-present.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot))
    page.keyboard.press("Escape")
    assert "refinery-present" not in page.evaluate("document.documentElement.className")
    page.goto(sites(theme).url + "naming.html?present")
    assert "refinery-present" in page.evaluate("document.documentElement.className")
    assert page.errors == []


@pytest.mark.parametrize("theme", THEMES)
def test_print_opens_solutions(page, sites, theme):
    page.goto(sites(theme).url + "naming.html")
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


def test_a_chosen_tab_stays_chosen_on_the_next_visit(page, sites):
    """sphinx-design's script keeps a synchronised tab choice in local storage."""
    url = sites("furo").url + "sharing.html"
    page.goto(url)
    web = page.locator(".sd-tab-set > label", has_text="Web interface")
    web_text = page.get_by_text("pick a template from the list")
    assert not web_text.is_visible()
    web.click()
    assert web_text.is_visible()
    page.goto(sites("furo").url + "naming.html")
    page.goto(url)
    assert page.get_by_text("pick a template from the list").is_visible()
    assert not page.get_by_text("Copy the licence text").is_visible()
    assert page.errors == []
