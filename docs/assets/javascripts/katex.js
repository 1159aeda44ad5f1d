// Render math with the vendored KaTeX (no network): arithmatex output in Markdown pages
// (\( \) and \[ \]) and raw $...$ / $$...$$ left by nbconvert in notebook pages.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "$", right: "$", display: false },
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    ignoredClasses: ["highlight"],  // code is in <pre>/<code>, which KaTeX skips
    throwOnError: false,
  });
});
