"""Look and feel in each theme, light and dark: icons, folded boxes, focus, tools, contrast.

Each test measures the rendered page (computed styles, bounding boxes, pixels),
so a theme update that breaks the look fails here. Screenshots go to the
artefacts folder for a person to look at.
"""

from __future__ import annotations

import base64
import json

import pytest

from tests.browser.conftest import ARTIFACTS, AXE, THEME_SCHEMES, THEMES, need

#: The project's own markup: what axe findings are held against.
OURS = '[class*="refinery-"]:not(html), .sd-tab-set'


def open_page(page, sites, theme: str, scheme: str, name: str, query: str = "?view=instructor"):
    page.emulate_media(color_scheme=scheme)
    page.goto(sites(theme).url + name + ".html" + query)
    page.wait_for_load_state("load")


def shot(page, name: str, **kwargs) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), **kwargs)


@pytest.mark.parametrize(("theme", "scheme"), THEME_SCHEMES)
def test_each_kind_wears_its_own_icon(page, sites, theme, scheme):
    open_page(page, sites, theme, scheme, "naming")
    found = page.evaluate(
        """() => [...document.querySelectorAll('.refinery-box > .admonition-title')]
            .filter(t => t.offsetParent !== null).map(t => {
              const icon = t.querySelector(':scope > svg.refinery-icon');
              const r = icon ? icon.getBoundingClientRect() : null;
              return {
                kind: t.parentElement.dataset.kind || [...t.parentElement.classList].find(
                  c => !['admonition', 'refinery-box', 'dropdown'].includes(c) && !c.startsWith('admonition-')),
                icon: icon ? [...icon.classList].find(c => c.startsWith('sd-octicon-')) : null,
                size: r ? [r.width, r.height] : null,
                fill: icon ? getComputedStyle(icon).fill : null,
                colour: getComputedStyle(t).color,
                accent: (() => { const x = document.createElement('span'); x.style.color = 'var(--refinery-accent)';
                                 t.append(x); const c = getComputedStyle(x).color; x.remove(); return c; })(),
                before: getComputedStyle(t, '::before').content,
                after: getComputedStyle(t, '::after').content,
              };
            })"""
    )
    kinds = {f["kind"]: f["icon"] for f in found}
    assert {"exercise", "solution", "instructor-note", "keypoints", "objectives"} <= set(kinds), kinds
    assert len(set(kinds.values())) == len(kinds), kinds  # a different icon per kind
    for f in found:
        assert f["icon"] is not None, f
        assert 12 <= f["size"][0] <= 30 and 12 <= f["size"][1] <= 30, f
        assert f["fill"] == f["colour"] == f["accent"], f  # drawn in the kind's accent
        # The theme's generic icon is gone (rtd, furo: ::before; pydata, book: ::after).
        assert f["before"] in ("none", "normal") and f["after"] in ("none", "normal"), f


def geometry(page) -> dict:
    """Title, icon and marker boxes of an open exercise and the folded solution after it."""
    return page.evaluate(
        """() => {
          const r = e => { const b = e.getBoundingClientRect(); return {x: b.x, y: b.y, w: b.width, h: b.height,
                           right: b.right, bottom: b.bottom}; };
          const boxes = [...document.querySelectorAll('section > .refinery-box.exercise, section > details.solution')];
          const plain = boxes.find(b => b.tagName === 'DIV');
          const folded = boxes.find(b => b.tagName === 'DETAILS');
          const one = box => {
            const title = box.querySelector(':scope > .admonition-title');
            const s = getComputedStyle(title), bs = getComputedStyle(box);
            const marker = title.querySelector(':scope > .refinery-marker');
            const next = title.nextElementSibling;
            return {
              box: r(box), title: r(title), icon: r(title.querySelector(':scope > .refinery-icon')),
              marker: marker ? r(marker) : null, next: next && next.checkVisibility() ? r(next) : null,
              padding: [s.paddingTop, s.paddingRight, s.paddingBottom, s.paddingLeft].map(parseFloat),
              fontSize: parseFloat(s.fontSize), lineHeight: parseFloat(s.lineHeight),
              inner: box.clientWidth, border: [parseFloat(bs.borderLeftWidth), parseFloat(bs.borderBottomWidth)],
            };
          };
          return {plain: one(plain), folded: one(folded)};
        }"""
    )


@pytest.mark.parametrize(("theme", "scheme"), THEME_SCHEMES)
def test_folded_boxes_look_like_their_open_siblings(page, sites, theme, scheme):
    open_page(page, sites, theme, scheme, "naming")
    closed = geometry(page)
    plain, folded = closed["plain"], closed["folded"]
    # Same padding, type size and icon place as an open box.
    assert folded["padding"] == plain["padding"], closed
    assert folded["fontSize"] == plain["fontSize"]
    assert plain["padding"][0] >= 6 and plain["padding"][3] >= 10, plain
    for g in (plain, folded):
        # The title bar spans the box (inside its borders) ...
        assert abs(g["title"]["w"] - g["inner"]) <= 1, g
        # ... and the icon sits inside the title's padding, on its first line.
        assert abs(g["icon"]["x"] - g["title"]["x"] - g["padding"][3]) <= 1, g
    assert abs((folded["icon"]["x"] - folded["box"]["x"]) - (plain["icon"]["x"] - plain["box"]["x"])) <= 1
    # Closed: nothing under the title but the border.
    assert folded["box"]["bottom"] - folded["title"]["bottom"] <= folded["border"][1] + 0.5, folded
    assert folded["next"] is None

    def marker_on_title_line(g):
        icon_mid = g["icon"]["y"] + g["icon"]["h"] / 2
        marker_mid = g["marker"]["y"] + g["marker"]["h"] / 2
        assert abs(icon_mid - marker_mid) <= 3, g
        assert g["title"]["right"] - g["marker"]["right"] <= g["padding"][1] + 2, g

    marker_on_title_line(folded)
    page.locator("section > details.solution > summary").first.click()
    opened = geometry(page)["folded"]
    marker_on_title_line(opened)
    assert opened["title"] == folded["title"] or abs(opened["title"]["h"] - folded["title"]["h"]) <= 1
    # Open: the body keeps its distance from the title, as in an open box.
    assert opened["next"]["y"] - opened["title"]["bottom"] >= 8, opened
    assert plain["next"]["y"] - plain["title"]["bottom"] >= 8, plain
    # ... and starts where an open box's body starts (no theme indents one of them only).
    assert abs((opened["next"]["x"] - opened["box"]["x"]) - (plain["next"]["x"] - plain["box"]["x"])) <= 1, (opened, plain)
    shot(page, f"{theme}-{scheme}-solution-open", clip=box_clip(opened["box"]))


@pytest.mark.parametrize(("theme", "scheme"), THEME_SCHEMES)
def test_folded_boxes_in_a_row_stand_apart(page, sites, theme, scheme):
    """A hint folded just before a solution (as Carpentries lessons write them): two
    frames with a gap between them, as wide as the gap between two open boxes."""
    open_page(page, sites, theme, scheme, "testing")
    gaps = page.evaluate(
        """() => {
          const gap = (a, b) => b.getBoundingClientRect().top - a.getBoundingClientRect().bottom;
          const folded = [...document.querySelectorAll('details.refinery-box.hint')]
            .map(h => [h, h.nextElementSibling]).filter(([, n]) => n && n.matches('details.refinery-box'));
          const open = [...document.querySelectorAll('div.refinery-box')]
            .map(b => [b, b.nextElementSibling]).filter(([, n]) => n && n.matches('div.refinery-box'));
          return {folded: folded.map(p => gap(...p)), open: open.map(p => gap(...p))};
        }"""
    )
    assert gaps["folded"] and gaps["open"], gaps
    for gap in gaps["folded"]:
        assert gap >= min(8, *gaps["open"]) - 0.5, gaps


@pytest.mark.parametrize(("theme", "scheme"), THEME_SCHEMES)
def test_the_carpentries_kinds_wear_their_icons(page, sites, theme, scheme):
    """hint (folded) and caution (open), as imported Carpentries lessons use them."""
    open_page(page, sites, theme, scheme, "testing")
    found = page.evaluate(
        """() => Object.fromEntries(['hint', 'caution'].map(kind => {
              const box = document.querySelector(`.refinery-box.${kind}`);
              const icon = box && box.querySelector(':scope > .admonition-title > svg.refinery-icon');
              return [kind, box && {tag: box.tagName, icon: icon && [...icon.classList].find(c => c.startsWith('sd-octicon-')),
                                    fill: icon && getComputedStyle(icon).fill,
                                    border: getComputedStyle(box).borderLeftColor}];
            }))"""
    )
    assert found["hint"]["tag"] == "DETAILS" and found["caution"]["tag"] == "DIV", found
    assert found["hint"]["icon"] != found["caution"]["icon"], found
    for box in found.values():
        assert box["icon"] and box["fill"] == box["border"], found  # drawn in the kind's accent


@pytest.mark.parametrize(("theme", "scheme"), THEME_SCHEMES)
def test_a_folded_theme_admonition_wears_the_themes_title(page, sites, theme, scheme):
    """A ``note`` with ``:class: dropdown`` beside an open one: the same frame and title
    as the theme draws them; closed, nothing under the title; the title folds it by
    mouse and keyboard and says whether it is open."""
    open_page(page, sites, theme, scheme, "sharing")
    look_js = """() => [...document.querySelectorAll('div.admonition.note')].map(box => {
          const title = box.querySelector(':scope > .admonition-title'), t = getComputedStyle(title);
          const b = getComputedStyle(box), body = title.nextElementSibling;
          return {folded: box.classList.contains('refinery-dropdown'),
                  look: [t.backgroundColor, t.color, t.fontSize, t.fontWeight, t.paddingLeft,
                         getComputedStyle(title, '::before').content, b.borderLeftColor, b.backgroundColor],
                  below: box.getBoundingClientRect().bottom - title.getBoundingClientRect().bottom,
                  pad: parseFloat(b.paddingBottom) + parseFloat(b.borderBottomWidth),
                  body: body.checkVisibility(), expanded: title.getAttribute('aria-expanded')};
        })"""
    plain, folded = sorted(page.evaluate(look_js), key=lambda n: n["folded"])
    assert not plain["folded"] and folded["folded"], (plain, folded)
    assert folded["look"] == plain["look"], (folded, plain)
    assert not folded["body"] and folded["expanded"] == "false", folded
    assert folded["below"] <= folded["pad"] + 1, folded
    title = page.locator("div.note.refinery-dropdown > .admonition-title")
    assert title.get_attribute("role") == "button"
    title.click()
    opened = sorted(page.evaluate(look_js), key=lambda n: n["folded"])[1]
    assert opened["body"] and opened["expanded"] == "true", opened
    title.focus()
    page.keyboard.press("Enter")
    assert sorted(page.evaluate(look_js), key=lambda n: n["folded"])[1]["body"] is False
    page.keyboard.press(" ")
    assert sorted(page.evaluate(look_js), key=lambda n: n["folded"])[1]["body"] is True
    rect = page.locator("div.note.refinery-dropdown").bounding_box()
    shot(page, f"{theme}-{scheme}-theme-dropdown", clip=box_clip({**rect, "w": rect["width"], "h": rect["height"]}))


def box_clip(rect: dict, margin: float = 6) -> dict:
    return {"x": rect["x"] - margin, "y": rect["y"] - margin, "width": rect["w"] + 2 * margin, "height": rect["h"] + 2 * margin}


def changed_edges(page, before: bytes, after: bytes, margin: int) -> dict:
    """Differing pixels of two same-size screenshots, counted along each edge of the
    element they frame (``margin`` px inside the shot): [top, right, bottom, left]."""
    return page.evaluate(
        """async ([a, b, m]) => {
          const load = src => new Promise((ok, no) => { const i = new Image(); i.onload = () => ok(i); i.onerror = no; i.src = src; });
          const [ia, ib] = await Promise.all([load(a), load(b)]);
          const w = ia.width, h = ia.height;
          const pixels = img => { const c = new OffscreenCanvas(w, h); const x = c.getContext('2d');
                                  x.drawImage(img, 0, 0); return x.getImageData(0, 0, w, h).data; };
          const pa = pixels(ia), pb = pixels(ib);
          const band = 8;  // a ring drawn within 8 px of the element's edge
          const edges = [0, 0, 0, 0];
          let total = 0;
          for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
            const i = 4 * (y * w + x);
            if (Math.abs(pa[i] - pb[i]) + Math.abs(pa[i + 1] - pb[i + 1]) + Math.abs(pa[i + 2] - pb[i + 2]) < 60) continue;
            total++;
            if (y >= m && y < m + band) edges[0]++;
            if (x < w - m && x >= w - m - band) edges[1]++;
            if (y < h - m && y >= h - m - band) edges[2]++;
            if (x >= m && x < m + band) edges[3]++;
          }
          return {w, h, total, edges};
        }""",
        [
            "data:image/png;base64," + base64.b64encode(before).decode(),
            "data:image/png;base64," + base64.b64encode(after).decode(),
            margin,
        ],
    )


@pytest.mark.parametrize(("theme", "scheme"), THEME_SCHEMES)
def test_focus_on_a_folded_title_shows_all_round(page, sites, theme, scheme):
    """Screenshots of a solution's title, unfocused and focused: the ring shows on all
    four sides (a ring outside a box that hides overflow would be cut off)."""
    open_page(page, sites, theme, scheme, "naming")
    summary = page.locator("section > details.solution > summary").first
    summary.scroll_into_view_if_needed()
    rect = summary.bounding_box()
    margin = 6
    clip = {"x": rect["x"] - margin, "y": rect["y"] - margin, "width": rect["width"] + 2 * margin, "height": rect["height"] + 2 * margin}
    page.mouse.move(0, 0)
    before = page.screenshot(clip=clip)
    summary.focus()
    assert summary.evaluate("s => s.matches(':focus-visible')")
    after = page.screenshot(clip=clip)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{theme}-{scheme}-focus.png").write_bytes(after)
    diff = changed_edges(page, before, after, margin)
    width, height = rect["width"], rect["height"]
    top, right, bottom, left = diff["edges"]
    assert top >= width * 0.8 and bottom >= width * 0.8, diff
    assert left >= height * 0.8 and right >= height * 0.8, diff


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("width", [1200, 390])
def test_tools_cover_nothing(page, sites, theme, width):
    """Hit-testing every link and text block at the top and the bottom of a page:
    nothing lies under the lesson tools, and the tools fit the window."""
    page.set_viewport_size({"width": width, "height": 800})
    open_page(page, sites, theme, "light", "naming")
    tools = page.locator(".refinery-toolbar .refinery-tool")
    assert tools.count() == 3
    covered_js = """() => {
      const bar = document.querySelector('.refinery-toolbar');
      const found = [];
      for (const el of document.querySelectorAll('a, p, li, h1, h2, h3, pre, summary, label, footer *')) {
        if (bar.contains(el) || el.contains(bar)) continue;
        for (const r of el.getClientRects()) {
          if (r.width < 4 || r.height < 4 || r.bottom < 0 || r.top > innerHeight) continue;
          const points = [[r.left + r.width / 2, r.top + r.height / 2], [r.left + 2, r.top + 2], [r.right - 2, r.top + 2],
                          [r.left + 2, r.bottom - 2], [r.right - 2, r.bottom - 2]];
          for (const [x, y] of points) {
            const hits = document.elementsFromPoint(x, y);
            if (!hits.length || !bar.contains(hits[0])) continue;
            // Under a theme's sticky header the header itself covers the point: not ours.
            const under = hits.find(h => !bar.contains(h));
            if (under && under.contains(bar) && under !== document.body && under !== document.documentElement) continue;
            found.push(el.tagName + ' ' + (el.textContent || '').trim().slice(0, 30));
          }
        }
      }
      return [...new Set(found)];
    }"""
    assert page.evaluate(covered_js) == []
    boxes = [tools.nth(i).bounding_box() for i in range(3)]
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= width + 0.5 for b in boxes), boxes
    assert all(tools.nth(i).is_visible() for i in range(3))
    shot(page, f"{theme}-light-{width}px-top")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert page.evaluate(covered_js) == []


@pytest.mark.parametrize("theme", THEMES)
def test_tools_come_before_the_content_in_tab_order(page, sites, theme):
    open_page(page, sites, theme, "light", "testing")
    first, presses = None, 0
    while presses < 60:
        page.keyboard.press("Tab")
        presses += 1
        where = page.evaluate(
            """() => { const a = document.activeElement;
                 if (a.closest('.refinery-toolbar')) return 'tools';
                 if (a.closest('[role="main"] section')) return 'content';
                 return null; }"""
        )
        if where:
            first = where
            break
    assert first == "tools", (first, presses)
    # In a landmark: the theme's header or navigation, or a labelled region of ours.
    landmark = page.evaluate(
        """() => { const bar = document.querySelector('.refinery-toolbar');
             const l = bar.closest('header, nav, main, aside, [role=banner], [role=navigation], [role=main],'
                                   + ' section[aria-label], [role=region][aria-label]');
             return l ? l.tagName + (l.getAttribute('role') ? '/' + l.getAttribute('role') : '') : null; }"""
    )
    assert landmark is not None


@pytest.mark.parametrize("theme", THEMES)
def test_toggles_keep_their_labels_and_say_pressed(page, sites, theme):
    open_page(page, sites, theme, "light", "naming", "?view=learner")
    view = page.locator(".refinery-view-toggle")
    present = page.locator(".refinery-present-toggle")
    solutions = page.locator(".refinery-solutions-toggle")
    label = view.text_content()
    assert view.get_attribute("aria-pressed") == "false" and present.get_attribute("aria-pressed") == "false"
    view.click()
    assert view.text_content() == label and view.get_attribute("aria-pressed") == "true"
    present.click()
    assert present.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Escape")
    assert present.get_attribute("aria-pressed") == "false"
    page.keyboard.press("p")
    assert present.get_attribute("aria-pressed") == "true"
    # Its label says what a press does, so it has no pressed state.
    assert solutions.get_attribute("aria-pressed") is None


def axe(page, options: dict, context: str | None = None) -> dict[str, list[dict]]:
    """axe-core's findings on the page (or ``context``), kept to the nodes of our markup
    (for "region": also the nodes that hold some of it)."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async ([options, ours, context]) => {
          const r = await axe.run(context ? {include: [[context]]} : document, options);
          const mine = (id, sel) => { const e = document.querySelector(sel);
            return !!e && (!!e.closest(ours) || (id === 'region' && !!e.querySelector(ours))); };
          const pick = list => list.map(v => ({id: v.id, impact: v.impact,
              nodes: v.nodes.map(n => n.target.join(' ')).filter(t => mine(v.id, t))})).filter(v => v.nodes.length);
          return {violations: pick(r.violations), passes: pick(r.passes || [])};
        }""",
        [options, OURS, context],
    )


@pytest.mark.parametrize(("theme", "scheme"), THEME_SCHEMES)
def test_axe_finds_nothing_serious_in_our_markup(page, sites, theme, scheme):
    need(AXE.exists(), f"axe-core ({AXE}; run npm ci --prefix tests/browser)")
    for name in ("naming", "sharing"):
        open_page(page, sites, theme, scheme, name)
        page.evaluate("document.querySelectorAll('details.admonition').forEach(d => { d.open = true; })")
        assert page.locator(OURS).count() > 0, name
        result = axe(page, {})
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], (name, json.dumps(serious, indent=1))
        # The findings were kept to our markup, not emptied by a selector that matches
        # nothing: axe's passes on our nodes include its checks of text and names.
        passed = {v["id"] for v in result["passes"]}
        assert {"color-contrast", "aria-allowed-attr"} <= passed, (name, sorted(passed))
        # The tools sit in a landmark (axe's "region").
        assert [v for v in result["violations"] if v["id"] == "region"] == []


@pytest.mark.parametrize(("theme", "scheme"), THEME_SCHEMES)
def test_tab_labels_hold_aa_contrast(page, sites, theme, scheme):
    need(AXE.exists(), f"axe-core ({AXE}; run npm ci --prefix tests/browser)")
    open_page(page, sites, theme, scheme, "sharing")
    labels = page.locator(".sd-tab-set > label")
    assert labels.count() == 2
    result = axe(page, {"runOnly": ["color-contrast"]}, ".sd-tab-set")
    assert result["violations"] == [], result["violations"]
    checked = [n for v in result["passes"] for n in v["nodes"] if "label" in n]
    assert len(checked) == 2, result["passes"]  # both labels were measured, not skipped
    if theme in ("sphinx_rtd_theme", "alabaster"):  # the themes whose tab colours are ours
        labels.nth(1).hover()
        result = axe(page, {"runOnly": ["color-contrast"]}, ".sd-tab-set")
        assert result["violations"] == [], ("hovered", result["violations"])
