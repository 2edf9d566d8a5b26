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

  function button(text, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "refinery-tool";
    b.textContent = text;
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
  // a labelled landmark at the top of the content.
  function placeTools(bar) {
    const label = labels.toolbar || "Lesson tools";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", label);
    const inTheme = [
      ".content-icon-container", // furo
      ".article-header-buttons", // sphinx-book-theme
      ".wy-breadcrumbs-aside", // sphinx_rtd_theme
    ].map((s) => document.querySelector(s)).find((e) => e);
    if (inTheme) { inTheme.prepend(bar); return; }
    const articleHeader = document.querySelector(".bd-header-article .header-article-items"); // pydata
    if (articleHeader) {
      const end = document.createElement("div");
      end.className = "header-article-items__end";
      const item = document.createElement("div");
      item.className = "header-article-item";
      item.append(bar);
      end.append(item);
      articleHeader.append(end);
      return;
    }
    // A <section> with a name is a region landmark.
    const landmark = document.createElement("section");
    landmark.className = "refinery-toolbar refinery-landmark";
    landmark.setAttribute("aria-label", label);
    landmark.append(...bar.childNodes);
    const main = document.querySelector('[role="main"], main') || document.body;
    main.prepend(landmark);
  }

  function buildToolbar() {
    const bar = document.createElement("div");
    bar.className = "refinery-toolbar";
    if (config.views) {
      // A fixed label with a pressed state: "Instructor view, pressed".
      const toggle = button(labels.instructor || "Instructor view", () => {
        setView(view === "learner" ? "instructor" : "learner", true);
        show();
      });
      toggle.classList.add("refinery-view-toggle");
      const show = () => toggle.setAttribute("aria-pressed", String(view === "instructor"));
      show();
      bar.append(toggle);
    }
    const solutions = [...document.querySelectorAll("details.admonition.solution")];
    if (solutions.length) {
      // The label says what a press does, so it has no pressed state.
      const all = button("", () => {
        const open = solutions.some((s) => !s.open);
        solutions.forEach((s) => { s.open = open; });
        show();
      });
      all.classList.add("refinery-solutions-toggle");
      const show = () => {
        all.textContent = solutions.some((s) => !s.open) ? labels.expandSolutions : labels.collapseSolutions;
      };
      solutions.forEach((s) => s.addEventListener("toggle", show));
      show();
      bar.append(all);
    }
    const present = button(labels.presentShort || "Present", () => setPresenting(!root.classList.contains("refinery-present")));
    present.classList.add("refinery-present-toggle");
    present.title = labels.present || "Presentation mode";
    present.setAttribute("aria-keyshortcuts", "P");
    present.setAttribute("aria-pressed", String(root.classList.contains("refinery-present")));
    presentButton = present;
    bar.append(present);
    placeTools(bar);
  }
  buildToolbar();

  // Sphinx marks toctree captions role="heading" without a level, which screen
  // readers need (axe: aria-required-attr); they sit below the page title.
  document.querySelectorAll('[role="heading"]:not([aria-level])').forEach((h) => h.setAttribute("aria-level", "2"));

  // Printing opens every folded box, then restores them.
  let reopened = [];
  window.addEventListener("beforeprint", () => {
    reopened = [...document.querySelectorAll("details.admonition:not([open])")];
    reopened.forEach((box) => { box.open = true; });
  });
  window.addEventListener("afterprint", () => {
    reopened.forEach((box) => { box.open = false; });
    reopened = [];
  });
})();
