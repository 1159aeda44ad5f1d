// Accessibility: name the search dialog (Material leaves its role="dialog" unnamed).
document$.subscribe(() => {
  const dialog = document.querySelector(".md-search");
  if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
});
