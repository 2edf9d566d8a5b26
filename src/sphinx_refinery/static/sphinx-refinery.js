// sphinx-refinery: open every collapsed box while printing, then restore.
(() => {
  "use strict";
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
