// Accessibility: name the search dialog (Material leaves its role="dialog" unnamed).
document$.subscribe(() => {
  const dialog = document.querySelector(".md-search");
  if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
});

// Accessibility: a region that scrolls sideways (a wide table, a long formula) must be reachable
// with the keyboard, or its hidden part cannot be read without a mouse.
// Checked again once the web fonts have loaded and on resize: a formula measured in the
// fallback font can fit, and overflow once KaTeX's own fonts arrive.
function markScrollingRegions() {
  const wide = [
    ".md-typeset__scrollwrap",
    ".md-typeset .arithmatex",
    ".md-typeset .jupyter-wrapper .katex-display",
    ".md-typeset :is(p, li) > span > .katex-display", // raw $$ that site.css boxes too
  ].join(", ");
  for (const el of document.querySelectorAll(wide)) {
    if (el.scrollWidth > el.clientWidth && !el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", el.matches(".arithmatex, .katex-display") ? "Formula" : "Table");
    }
  }
}
document$.subscribe(() => {
  markScrollingRegions();
  if (document.fonts) document.fonts.ready.then(markScrollingRegions);
});
window.addEventListener("resize", markScrollingRegions);
