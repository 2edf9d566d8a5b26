// sphinx-refinery: learner/instructor views, solutions, presentation mode, printing.
// Without this script every box shows; settings come from a JSON block.
(() => {
  "use strict";
  const root = document.documentElement;
  const configElement = document.getElementById("sphinx-refinery-config");
  const config = configElement ? JSON.parse(configElement.textContent) : { views: false, labels: {} };
  const labels = config.labels || {};
  const params = new URLSearchParams(window.location.search);
  const VIEWS = ["learner", "instructor"];
  const STORE_KEY = "sphinx-refinery-view";

  const store = {
    get(key) { try { return window.localStorage.getItem(key); } catch (e) { return null; } },
    set(key, value) { try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ } },
  };

  const SVG = "http://www.w3.org/2000/svg";
  function icon(paths) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "refinery-tool-icon");
    (paths || []).forEach((d) => {
      const path = document.createElementNS(SVG, "path");
      path.setAttribute("d", d);
      svg.append(path);
    });
    return svg;
  }

  // A button with an icon and a text label; on narrow screens only the icon shows,
  // and the label stays the button's accessible name.
  function button(kind, text, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `refinery-tool refinery-${kind}-toggle`;
    const label = document.createElement("span");
    label.className = "refinery-tool-label";
    b.append(icon((config.icons || {})[kind]), label);
    b.setLabel = (t) => { label.textContent = t; b.title = t; };
    b.setLabel(text);
    b.addEventListener("click", onClick);
    return b;
  }

  // Views: a class on <html>; the stylesheet hides instructor-only content for learners.
  let view = null;
  function setView(next, remember) {
    view = next;
    VIEWS.forEach((v) => root.classList.toggle(`refinery-view-${v}`, v === next));
    if (remember) store.set(STORE_KEY, next);
  }
  if (config.views) {
    const asked = params.get("view");
    if (VIEWS.includes(asked)) setView(asked, true);
    else setView(VIEWS.includes(store.get(STORE_KEY)) ? store.get(STORE_KEY) : config.defaultView, false);
  }

  // Presentation mode: larger text, no sidebars, arrow keys step through sections.
  function headings() {
    return [...document.querySelectorAll("section > h1, section > h2, section > h3")]
      .filter((h) => h.offsetParent !== null);
  }
  function step(direction) {
    const all = headings();
    if (!all.length) return;
    // Themes with a sticky header keep headings below it (scroll-padding-top).
    const offset = (parseFloat(getComputedStyle(root).scrollPaddingTop) || 0) + 8;
    const current = all.reduce((found, h, i) => (h.getBoundingClientRect().top <= offset ? i : found), -1);
    const target = all[Math.min(all.length - 1, Math.max(0, current + direction))];
    target.scrollIntoView({ block: "start", behavior: "instant" });
  }
  let presentButton = null;
  function setPresenting(on) {
    root.classList.toggle("refinery-present", on);
    if (presentButton) presentButton.setAttribute("aria-pressed", String(on));
  }
  if (params.has("present")) setPresenting(true);

  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
    if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
    const presenting = root.classList.contains("refinery-present");
    if (event.key === "p" || event.key === "P") { setPresenting(!presenting); event.preventDefault(); }
    else if (presenting && (event.key === "ArrowRight" || event.key === "PageDown")) { step(1); event.preventDefault(); }
    else if (presenting && (event.key === "ArrowLeft" || event.key === "PageUp")) { step(-1); event.preventDefault(); }
    else if (presenting && event.key === "Escape") setPresenting(false);
  });

  // The tools: only the controls this page needs, where the theme keeps its page
  // controls (so they come early in tab order and never cover content), or else
  // at the top of the content. Outside any landmark they form a labelled region.
  const LANDMARK = "main, nav, aside, [role=main], [role=navigation], [role=banner], [role=complementary], [role=region]";
  function placeTools(tools) {
    const places = [
      [".content-icon-container", "prepend"], // furo
      [".article-header-buttons", "prepend"], // sphinx-book-theme
      [".wy-breadcrumbs", "after"], // sphinx_rtd_theme (its aside hides on phones)
    ];
    let [target, how] = [null, null];
    for (const [selector, method] of places) {
      target = document.querySelector(selector);
      if (target) { how = method; break; }
    }
    const articleHeader = document.querySelector(".bd-header-article .header-article-items"); // pydata
    if (!target && articleHeader) {
      const end = document.createElement("div");
      end.className = "header-article-items__end";
      target = document.createElement("div");
      target.className = "header-article-item";
      end.append(target);
      articleHeader.append(end);
      how = "append";
    }
    const inContent = !target;
    if (inContent) {
      target = document.querySelector('[role="main"], main') || document.body;
      how = "prepend";
    }
    const landmark = (how === "after" ? target.parentElement : target).closest(LANDMARK);
    const bar = document.createElement(landmark ? "div" : "section");
    bar.className = "refinery-toolbar";
    if (landmark) bar.setAttribute("role", "group");
    if (inContent) bar.classList.add("refinery-in-content");
    bar.setAttribute("aria-label", labels.toolbar || "Lesson tools");
    bar.append(...tools);
    target[how](bar);
  }

  function buildToolbar() {
    const tools = [];
    if (config.views) {
      // A fixed label with a pressed state: "Instructor view, toggle button, pressed".
      const toggle = button("view", labels.instructor || "Instructor view", () => {
        setView(view === "learner" ? "instructor" : "learner", true);
        show();
      });
      const show = () => toggle.setAttribute("aria-pressed", String(view === "instructor"));
      show();
      tools.push(toggle);
    }
    const solutions = [...document.querySelectorAll("details.admonition.solution")];
    if (solutions.length) {
      // The label says what a press does, so it has no pressed state.
      const all = button("solutions", "", () => {
        const open = solutions.some((s) => !s.open);
        solutions.forEach((s) => { s.open = open; });
        show();
      });
      const show = () => all.setLabel(solutions.some((s) => !s.open) ? labels.expandSolutions : labels.collapseSolutions);
      solutions.forEach((s) => s.addEventListener("toggle", show));
      show();
      tools.push(all);
    }
    const present = button("present", labels.presentShort || "Present", () => setPresenting(!root.classList.contains("refinery-present")));
    present.title = labels.present || "Presentation mode";
    present.setAttribute("aria-keyshortcuts", "P");
    present.setAttribute("aria-pressed", String(root.classList.contains("refinery-present")));
    presentButton = present;
    tools.push(present);
    placeTools(tools);
  }
  buildToolbar();

  // Sphinx marks toctree captions role="heading" without a level, which screen
  // readers need (axe: aria-required-attr); they sit below the page title.
  document.querySelectorAll('[role="heading"]:not([aria-level])').forEach((h) => h.setAttribute("aria-level", "2"));

  // A theme's admonition with :class: dropdown keeps the theme's markup (its title is
  // the theme's <p class="admonition-title">, which a <summary> cannot be); the title
  // becomes the fold's button. Without this script, the body shows.
  const dropdowns = [...document.querySelectorAll("div.admonition.refinery-dropdown")].map((box) => {
    const title = box.querySelector(":scope > .admonition-title");
    if (!title) return null;
    const marker = icon(config.marker);
    marker.setAttribute("class", "refinery-marker");
    title.prepend(marker);
    title.setAttribute("role", "button");
    title.tabIndex = 0;
    const fold = {
      get open() { return !box.classList.contains("refinery-closed"); },
      set open(value) {
        box.classList.toggle("refinery-closed", !value);
        title.setAttribute("aria-expanded", String(value));
      },
    };
    fold.open = box.classList.contains("refinery-dropdown-open");
    title.addEventListener("click", (event) => {
      if (event.target.closest("a")) return;
      fold.open = !fold.open;
    });
    title.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      fold.open = !fold.open;
    });
    return fold;
  }).filter(Boolean);

  // Printing opens every folded box, then restores them.
  let reopened = [];
  window.addEventListener("beforeprint", () => {
    reopened = [...document.querySelectorAll("details.admonition:not([open])"), ...dropdowns.filter((d) => !d.open)];
    reopened.forEach((box) => { box.open = true; });
  });
  window.addEventListener("afterprint", () => {
    reopened.forEach((box) => { box.open = false; });
    reopened = [];
  });
})();
