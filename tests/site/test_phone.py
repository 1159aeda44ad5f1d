"""The site on a phone (390 px) and on a desktop (1280 px), in the light and the dark palette.

On every page of the built site, in a real Chromium:

- nothing is wider than the viewport (the page itself never scrolls sideways);
- every display formula stays inside the viewport, and one wider than its box scrolls inside
  it, with the scroll shadows that say so, and its end can be scrolled into view;
- code is never broken inside a word (between two letters or digits; in a table cell, not at
  all except at a space: the table scrolls instead), unless the word is longer than a line;
- every image has real alternative text (not empty, not nbconvert's placeholder);
- at 390 px, the tick labels of every figure are at least 10 CSS px: the build-time SVGs are
  drawn with ``plots.FONT_PT``-point text, the notebooks' PNGs with the font size and dpi of
  ``notebooks/matplotlibrc``; the rendered size is that, scaled by the image's rendered width
  over its natural width.

The site is built once per session (``built_site`` in conftest.py; ``ANNEALING_SITE_DIR``
reuses a built one outside CI).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from support import ROOT

from annealing._docs import plots
from annealing._docs.notebooks import GENERIC, PLACEHOLDER

pytestmark = pytest.mark.xdist_group("docs-phone")

WIDTHS = (390, 1280)
SCHEMES = ("light", "dark")
SMALLEST_TEXT_PX = 10.0


def _rc(name: str) -> float:
    text = (ROOT / "notebooks" / "matplotlibrc").read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(name)}:\s*([0-9.]+)", text, re.MULTILINE)
    assert match, f"notebooks/matplotlibrc sets no {name}"
    return float(match.group(1))


def site_pages(site: Path) -> list[str]:
    """Every page of the site, from its sitemap (the pages MkDocs built from the nav and docs)."""
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>[^<]*?//[^/]+/([^<]*)</loc>", sitemap)
    found = sorted({location.strip("/") for location in locations})
    return [f"{path}/" if path else "" for path in found]


# All the measurements of one page, in one call. Images and web fonts are loaded first.
_LOAD_IMAGES = """async () => {
  const images = Array.from(document.images);
  for (const img of images) img.loading = "eager";
  await Promise.all(images.map(img => img.complete ? null
    : new Promise(done => { img.onload = img.onerror = done; })));
  await document.fonts.ready;  // KaTeX's fonts: a formula in the fallback font is narrower
}"""

_MEASURE = """() => {
  const W = window.innerWidth;
  const out = {scrollWidth: document.scrollingElement.scrollWidth, width: W,
               math: [], broken: [], images: []};
  for (const display of document.querySelectorAll(".md-content .katex-display")) {
    const box = display.closest("div.arithmatex") || display;
    const r = box.getBoundingClientRect();
    const style = getComputedStyle(box);
    const overflows = box.scrollWidth > box.clientWidth + 1;
    let endVisible = true;
    if (overflows) {
      box.scrollLeft = box.scrollWidth;
      const last = Array.from(display.querySelectorAll(".katex-html .base")).pop();
      const edge = box.getBoundingClientRect().right + 2;
      if (last) endVisible = last.getBoundingClientRect().right <= edge;
      box.scrollLeft = 0;
    }
    out.math.push({text: (display.querySelector("annotation") || display).textContent.slice(0, 60),
                   left: r.left, right: r.right, overflows, endVisible,
                   scrolls: ["auto", "scroll"].includes(style.overflowX),
                   cue: style.backgroundImage.includes("radial-gradient")});
  }
  // code broken inside a word: a line break between two letters or digits, or any line break
  // in a table cell (a table scrolls instead); allowed only for a word longer than a line
  const alnum = /[A-Za-z0-9]/;
  for (const code of document.querySelectorAll(".md-content code")) {
    if (code.closest("pre") || code.getClientRects().length < 2) continue;
    const inTable = !!code.closest("td, th");
    const text = code.textContent;
    code.style.whiteSpace = "nowrap";
    const oneLine = code.getBoundingClientRect().width;
    code.style.whiteSpace = "";
    const block = code.closest("p, li, td, th, dd, dt, div, figcaption");
    if (!inTable && block && oneLine > block.clientWidth) continue;  // cannot fit a line
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let previous = null, top = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        range.setStart(node, i); range.setEnd(node, i + 1);
        const r = range.getBoundingClientRect();
        const ch = node.data[i];
        if (r.width === 0 && /\\s/.test(ch)) { previous = ch; continue; }
        if (top !== null && r.top > top + 2) {
          if (inTable ? !/\\s/.test(previous || " ") : alnum.test(previous) && alnum.test(ch)) {
            out.broken.push(text);
          }
        }
        top = r.top; previous = ch;
      }
    }
  }
  for (const img of document.querySelectorAll(".md-content img")) {
    const r = img.getBoundingClientRect();
    out.images.push({src: img.getAttribute("src").slice(0, 60), alt: img.getAttribute("alt"),
                     natural: img.naturalWidth, rendered: r.width,
                     kind: img.classList.contains("schedule-thumb") ? "thumb"
                         : img.classList.contains("schedule-plot") ? "svg"
                         : img.closest(".jp-RenderedImage") ? "notebook" : "other"});
  }
  return out;
}"""


def text_px(image: dict[str, Any]) -> float | None:
    """The rendered size of a figure's tick labels in CSS px, or None for other images."""
    if not image["natural"] or not image["rendered"]:
        return None
    scale = image["rendered"] / image["natural"]
    if image["kind"] == "svg":  # matplotlib writes SVG sizes in pt: 1 pt = 4/3 CSS px
        return plots.FONT_PT * 4 / 3 * scale
    if image["kind"] == "thumb":  # a preview (size=thumb): smaller figure, its own font size
        return plots.THUMB_FONT_PT * 4 / 3 * scale
    if image["kind"] == "notebook":  # PNG: font pt * dpi / 72 pixels in the image
        return _rc("font.size") * _rc("figure.dpi") / 72 * scale
    return None


@pytest.fixture(scope="module")
def measured(
    browser: Any, base_url: str, built_site: Path
) -> dict[tuple[int, str], dict[str, Any]]:
    """Every page measured at each width in each palette: {(width, scheme): {page: result}}."""
    pages = site_pages(built_site)
    assert len(pages) > 40, pages
    results: dict[tuple[int, str], dict[str, Any]] = {}
    for width in WIDTHS:
        for scheme in SCHEMES:
            context = browser.new_context(
                viewport={"width": width, "height": 844 if width < 500 else 900},
                color_scheme=scheme,
            )
            page = context.new_page()
            per_page = {}
            for path in pages:
                page.goto(base_url + path, wait_until="load")
                page.evaluate(_LOAD_IMAGES)
                per_page[path] = page.evaluate(_MEASURE)
                if path == "":  # the palette really is the one asked for
                    current = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
                    assert current == ("slate" if scheme == "dark" else "default"), current
            results[width, scheme] = per_page
            context.close()
    return results


CASES = [(w, s) for w in WIDTHS for s in SCHEMES]
IDS = [f"{w}px-{s}" for w, s in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_no_page_is_wider_than_the_viewport(
    measured: dict[tuple[int, str], dict[str, Any]], case: tuple[int, str]
) -> None:
    wide = {
        path: r["scrollWidth"]
        for path, r in measured[case].items()
        if r["scrollWidth"] > r["width"]
    }
    assert not wide, f"pages scrolling sideways at {case}: {wide}"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_formulas_fit_or_scroll_in_their_box_with_a_cue(
    measured: dict[tuple[int, str], dict[str, Any]], case: tuple[int, str]
) -> None:
    problems = []
    count = 0
    for path, r in measured[case].items():
        for m in r["math"]:
            count += 1
            where = f"{path}: {m['text']!r}"
            if m["left"] < -1 or m["right"] > r["width"] + 1:
                problems.append(f"{where} leaves the viewport ({m['left']:.0f}..{m['right']:.0f})")
            if m["overflows"] and not (m["scrolls"] and m["cue"]):
                problems.append(f"{where} is cut off with no scrolling or no cue")
            if m["overflows"] and not m["endVisible"]:
                problems.append(f"{where}: its end cannot be scrolled into view")
    assert count > 20, "expected display formulas on the site"
    assert not problems, "\n".join(problems)


# Pages whose display formulas are split over lines (``aligned``, one case per line) to fit
# a 390 px phone: every formula on them must fit its box, with no sideways scrolling. The
# rest of the site's formulas may scroll, with the cue (test above).
FIT_ON_A_PHONE = (
    "reference/schedules/cosine/",
    "reference/schedules/sgdr/",
    "reference/schedules/restarts/",
    "reference/schedules/tanh/",
    "reference/schedules/wsd/",
    "reference/schedules/polynomialcycles/",
    "reference/schedules/exponential/",
    "reference/schedules/warmup/",
    "reference/api/Cosine/",
    "reference/api/SGDR/",
    "reference/api/Restarts/",
    "reference/api/Tanh/",
    "reference/api/WSD/",
    "reference/api/Warmup/",
    "reference/api/PolynomialCycles/",
    "reference/glossary/annealing/",
    "reference/glossary/cosine-annealing/",
    "reference/glossary/sgdr/",
    "reference/glossary/tanh-decay/",
    "reference/glossary/simulated-annealing/",
    "reference/glossary/learning-rate-schedule/",
    "reference/glossary/sgd/",
    "reference/glossary/warm-restart/",
    "reference/glossary/warmup/",
    "notebooks/04-your-frameworks-scheduler/",
    "explanation/loss-laws/",
    "",
    "explanation/warm-restarts/",
    "notebooks/01-first-cosine-schedule/",
    "reference/api/annealing.laws.bound/",
    "reference/api/annealing.laws.law/",
    "reference/api/annealing.compat.timm/",
    "reference/api/annealing.simulated.tsp/",
    "reference/api/annealing.simulated/",
)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_split_formulas_fit_on_a_phone(
    measured: dict[tuple[int, str], dict[str, Any]], scheme: str
) -> None:
    """The Cosine page's `η_t = η_min (t > T)` (where the library differs from PyTorch), SGDR's
    `T_i = T_0·T_mult^i` and the other split formulas are seen whole on a phone."""
    pages = measured[390, scheme]
    absent = [path for path in FIT_ON_A_PHONE if path not in pages or not pages[path]["math"]]
    assert not absent, f"pages without display formulas (renamed?): {absent}"
    wide = [
        f"{path}: {m['text']!r}"
        for path in FIT_ON_A_PHONE
        for m in pages[path]["math"]
        if m["overflows"]
    ]
    assert not wide, "formulas that scroll sideways at 390 px:\n" + "\n".join(wide)


def test_a_formula_too_wide_for_a_phone_scrolls_with_a_cue(browser: Any, base_url: str) -> None:
    """The fallback for a formula that is not split: a display formula wider than the phone
    scrolls inside its box, with the scroll shadows, and stays inside the viewport."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base_url + "reference/schedules/cosine/", wait_until="load")
    result = page.evaluate(
        r"""() => {
      const host = document.querySelector(".md-content .md-typeset");
      const box = document.createElement("div");
      box.className = "arithmatex";
      host.appendChild(box);
      katex.render("\\eta_t = " + "\\eta_{\\min} + ".repeat(20) + "1", box, {displayMode: true});
      const r = box.getBoundingClientRect();
      const style = getComputedStyle(box);
      return {overflows: box.scrollWidth > box.clientWidth + 1, left: r.left, right: r.right,
              scrolls: ["auto", "scroll"].includes(style.overflowX),
              cue: style.backgroundImage.includes("radial-gradient")};
    }"""
    )
    context.close()
    assert result["overflows"], result
    assert result["scrolls"] and result["cue"], result
    assert result["left"] >= -1 and result["right"] <= 391, result


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_code_never_breaks_inside_a_word(
    measured: dict[tuple[int, str], dict[str, Any]], case: tuple[int, str]
) -> None:
    broken = {path: r["broken"] for path, r in measured[case].items() if r["broken"]}
    assert not broken, f"identifiers broken over lines at {case}: {broken}"


def test_every_image_has_real_alt_text(
    measured: dict[tuple[int, str], dict[str, Any]],
) -> None:
    bad = []
    images = 0
    for path, r in measured[1280, "light"].items():
        for image in r["images"]:
            images += 1
            alt = (image["alt"] or "").strip()
            # not empty, not nbconvert's placeholder or the generic fallback, not a repr
            if not alt or alt in (PLACEHOLDER, GENERIC) or re.search(r"\b[A-Z]\w*\(", alt):
                bad.append(f"{path}: {image['src']} alt={alt!r}")
    assert images > 40
    assert not bad, "\n".join(bad)


def test_notebook_figures_have_their_own_alt_text(
    measured: dict[tuple[int, str], dict[str, Any]],
) -> None:
    figures = [
        (path, image)
        for path, r in measured[1280, "light"].items()
        if path.startswith("notebooks/")
        for image in r["images"]
        if image["kind"] == "notebook"
    ]
    assert len(figures) >= 21, len(figures)
    assert all(image["alt"] != GENERIC for _, image in figures), [
        path for path, image in figures if image["alt"] == GENERIC
    ]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_figure_text_is_legible_on_a_phone(
    measured: dict[tuple[int, str], dict[str, Any]], scheme: str
) -> None:
    small = []
    sizes = []
    for path, r in measured[390, scheme].items():
        for image in r["images"]:
            px = text_px(image)
            if px is None:
                continue
            sizes.append(px)
            if px < SMALLEST_TEXT_PX:
                small.append(f"{path}: {image['kind']} {image['src']} text {px:.1f} px")
    assert len(sizes) > 40, "expected figures on the site"
    assert not small, "\n".join(small)


def test_figures_have_captions(built_site: Path) -> None:
    """Every build-time figure is a <figure> with a caption under it (a preview in a card,
    ``size=thumb``, has the card's text instead)."""
    missing = []
    for page in built_site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        for match in re.finditer(r"<img[^>]*class=\"schedule-plot\"", html):  # not thumbs
            after = html[match.end() : match.end() + 2000]
            if "<figcaption>" not in after.split("</figure>")[0]:
                missing.append(str(page.relative_to(built_site)))
    assert not missing, sorted(set(missing))
