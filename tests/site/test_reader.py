"""The reader's site: the questions people arrive with, at a phone's width and a desktop's.

In Chromium, at 390 and 1280 CSS px: the real search box ranks the answering page first for
each listed question; the navigation lists no page twice and the Reference sidebar shows the
schedules before the glossary and the API; the guide, how-to, explanation and reference pages
end with a "Next:" link that resolves; page titles carry no raw TeX; the guide's explorer links
open the explorer on the schedule they name. Without a browser: the search index holds no TeX,
no notebook prompt and no copy-button label.

The site is the session's ``built_site`` (``mkdocs build --strict``, tests/site/conftest.py).
Set ``ANNEALING_SITE_DIR`` to test a site built beforehand (ignored in CI).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlparse

import pytest

pytestmark = pytest.mark.xdist_group("docs-site")
WIDTHS = [390, 1280]

# question -> the page (and, for a section, its anchor) that must be the first result.
# "cosine annealing" expects the glossary term: the query is the term's own name and the
# term page is its definition; "T_max" and "eta_min" expect the how-to section that says
# what to set them to, which names each framework's parameter in its heading.
QUESTIONS = {
    "why does my learning rate go back up": "how-to/troubleshooting/",
    "my learning rate goes back up": "how-to/troubleshooting/",
    "the LR is 0 at step 0": "how-to/troubleshooting/",
    "warmup restarted after resume": "how-to/troubleshooting/",
    "the schedule ran N× too fast on N GPUs": "how-to/troubleshooting/",
    "schedule too fast with gradient accumulation": "how-to/troubleshooting/",
    "AMP warns that lr_scheduler.step() came before optimizer.step()": "how-to/troubleshooting/",
    "get_lr vs get_last_lr": "how-to/troubleshooting/",
    "Keras starts at the wrong step after load_weights": "how-to/troubleshooting/",
    "cosine annealing": "reference/glossary/cosine-annealing/",
    "warm restarts": "explanation/warm-restarts/",
    "T_max": "how-to/choose-parameters/",
    "eta_min": "how-to/choose-parameters/",
    "WSD": "reference/schedules/wsd/",
    "which schedule": "how-to/which-schedule/",
    "install": "getting-started/",
}
# Pages that must end with a next step (this pages; notebooks, glossary and API
# pages are generated elsewhere).
NEXT_PAGES = [
    "",
    "getting-started/",
    "explorer/",
    "reference/",
    "reference/api/",
    *(f"how-to/{p}/" for p in ("which-schedule", "troubleshooting", "pytorch", "transformers")),
    *(f"how-to/{p}/" for p in ("optax", "keras", "preview", "choose-parameters")),
    "how-to/move-between-frameworks/",
    "how-to/",
    *(f"explanation/{p}/" for p in ("why-decay", "why-cosine", "warm-restarts", "history")),
    *(f"explanation/{p}/" for p in ("metaphor", "numerical-accuracy", "myths")),
    "explanation/",
]


# ----------------------------------------------------------------------------- build and serve


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    """The site built once per session (tests/site/conftest.py), or ANNEALING_SITE_DIR."""
    return built_site


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda w: f"{w}px")
def page(request: pytest.FixtureRequest, browser: Any, base_url: str) -> Iterator[Any]:
    """One browser page per width, shared by the tests of this module."""
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


# ----------------------------------------------------------------------------- search

_WATCH = """() => {
  if (window.__results === undefined) {
    window.__results = 0;
    const list = document.querySelector('.md-search-result__list');
    new MutationObserver(() => window.__results++).observe(list, {childList: true});
  }
  return window.__results;
}"""


def _open_search(tab: Any, base_url: str) -> None:
    tab.goto(base_url)
    if tab.viewport_size["width"] < 960:  # on a phone the box is behind the header's search button
        tab.click('label.md-header__button[for="__search"]')
    tab.wait_for_selector("input.md-search__input", state="visible")


def search(tab: Any, query: str) -> list[str]:
    """Type `query` into the site's search box; the result links, best first.

    Material reads the box on focus and on keyup, so the query is filled and then a key is
    pressed; the list is read once it has changed and stopped changing.
    """
    before = tab.evaluate(_WATCH)
    tab.fill("input.md-search__input", query)
    tab.press("input.md-search__input", "End")
    deadline = time.monotonic() + 60
    while tab.evaluate("() => window.__results") == before:
        if time.monotonic() > deadline:
            return []
        time.sleep(0.2)
    seen = None
    while seen != tab.evaluate("() => window.__results"):
        seen = tab.evaluate("() => window.__results")
        time.sleep(0.6)
    hrefs: list[str] = tab.eval_on_selector_all(
        ".md-search-result__list > .md-search-result__item > a",
        "links => links.map(a => a.href)",
    )
    return hrefs


@pytest.fixture(scope="module")
def search_ready(page: Any, base_url: str) -> Any:
    """The page with its search worker answering (it builds the index after loading)."""
    _open_search(page, base_url)
    deadline = time.monotonic() + 120
    attempt = 0
    while not search(page, "cosine" + " " * attempt):
        attempt += 1
        if time.monotonic() > deadline:
            pytest.fail("the search box never returned results")
    return page


@pytest.mark.parametrize("question", list(QUESTIONS))
def test_search_ranks_the_answer_first(search_ready: Any, base_url: str, question: str) -> None:
    results = search(search_ready, question)
    assert results, f"no results for {question!r}"
    first = urlparse(results[0]).path
    expected = urlparse(urljoin(base_url, QUESTIONS[question])).path
    top = [
        urlparse(r).path + ("#" + urlparse(r).fragment if urlparse(r).fragment else "")
        for r in results[:3]
    ]
    assert first == expected, f"{question!r}: first results {top}, expected {expected}"


def test_stop_words_do_not_match_as_prefixes(search_ready: Any) -> None:
    # Material makes each query word a prefix: "my" used to find "Myths" and nothing else
    assert not any("/explanation/myths/" in r for r in search(search_ready, "my"))
    question = search(search_ready, "why does my learning rate go back up")
    content = search(search_ready, "learning rate go back up")
    assert [r.split("?")[0] for r in question] == [r.split("?")[0] for r in content]


# ----------------------------------------------------------------------------- navigation


def _nav_links(tab: Any) -> list[str]:
    links: list[str] = tab.eval_on_selector_all(
        "nav.md-nav--primary a.md-nav__link[href]",
        "links => links.filter(a => !a.hash).map(a => a.href)",  # not the page's own toc
    )
    return links


@pytest.mark.parametrize("path", ["", "explanation/", "reference/", "how-to/troubleshooting/"])
def test_nav_lists_no_page_twice(page: Any, base_url: str, path: str) -> None:
    page.goto(base_url + path)
    links = _nav_links(page)
    assert len(links) > 50, "the navigation did not render"
    repeated = sorted({link for link in links if links.count(link) > 1})
    assert not repeated, f"listed twice: {repeated}"


def test_reference_sidebar_shows_the_schedules_first(page: Any, base_url: str) -> None:
    if page.viewport_size["width"] < 1220:
        pytest.skip("the sidebar is a drawer below 1220 px; the structure is the same")
    page.goto(base_url + "reference/")
    sidebar = ".md-sidebar--primary"
    visible = page.locator(
        f"{sidebar} a.md-nav__link:visible, {sidebar} label.md-nav__link:visible"
    )
    texts = [t.strip() for t in visible.all_inner_texts()]
    assert len(texts) < 45, f"{len(texts)} entries in the Reference sidebar"
    for name in ("Cosine", "SGDR", "WSD", "Glossary", "API"):
        assert any(t == name or t.startswith(name) for t in texts), (name, texts)
    assert texts.index("Cosine") < texts.index("Glossary") < texts.index("API"), texts


@pytest.mark.parametrize("path", NEXT_PAGES, ids=lambda p: p or "home")
def test_page_ends_with_a_next_step(page: Any, base_url: str, site: Path, path: str) -> None:
    page.goto(base_url + path)
    last = page.locator("article.md-content__inner > p").last
    text = last.inner_text().strip()
    assert text.startswith("Next:"), f"{path or 'home'} ends with {text[:80]!r}"
    hrefs = last.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs, f"{path}: the next step has no link"
    for href in hrefs:
        target = urlparse(href).path.lstrip("/")
        assert (site / target / "index.html").exists() or (site / target).is_file(), href
        assert urlparse(href).path != urlparse(base_url + path).path, f"{path} links to itself"


def test_explorer_footer_leads_on(page: Any, base_url: str) -> None:
    page.goto(base_url + "explorer/")
    nexts = page.locator("article.md-content__inner > p").last.locator("a")
    assert nexts.count() >= 1
    assert "explorer" not in (nexts.first.get_attribute("href") or "")


# ----------------------------------------------------------------------------- titles


@pytest.mark.parametrize("path", ["how-to/choose-parameters/", "how-to/which-schedule/", ""])
def test_titles_have_no_tex(page: Any, base_url: str, path: str) -> None:
    page.goto(base_url + path)
    title = page.title()
    assert "\\" not in title and "$" not in title, title
    labels = " ".join(page.locator("nav.md-nav--primary").all_inner_texts())
    assert "\\(" not in labels and "\\eta" not in labels


def test_every_title_and_search_entry_is_plain_text(site: Path) -> None:
    for html in site.rglob("*.html"):
        match = re.search(r"<title>(.*?)</title>", html.read_text(encoding="utf-8"), re.S)
        assert match and "\\" not in match.group(1), (html, match and match.group(1))
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        assert not re.search(r"\\\(|\\\[|\$\$|\\eta", doc["title"] + doc["text"]), doc["location"]
        assert not re.search(r"\bIn\s*\[\s*\d*\s*\]:|Copied!", doc["text"]), doc["location"]


# ----------------------------------------------------------------------------- the guide


def test_guide_shows_every_schedule_with_a_working_explorer_link(page: Any, base_url: str) -> None:
    page.goto(base_url + "how-to/which-schedule/")
    images = page.locator(".schedule-thumbs img")
    assert images.count() >= 22
    for alt in images.evaluate_all("imgs => imgs.map(i => i.alt)"):
        assert alt and not alt.startswith("Plot of"), alt
    links = page.locator(".schedule-thumbs a", has_text="Open in the explorer")
    hrefs: list[str] = links.evaluate_all("links => links.map(a => a.href)")
    assert len(hrefs) >= 12
    for href in hrefs:
        wanted = parse_qs(urlparse(href).query)["c1"][0].split(",")
        page.goto(href)
        page.wait_for_selector(".annealing-explorer svg")
        deadline = time.monotonic() + 10
        while True:  # the explorer rewrites the address from its own state
            shown = parse_qs(urlparse(page.url).query).get("c1", [""])[0].split(",")
            if shown[0] == wanted[0] or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert shown[0] == wanted[0], (href, page.url)
        for pair in wanted[1:]:
            key, value = pair.split(":")
            got = dict(p.split(":", 1) for p in shown[1:] if ":" in p).get(key)
            assert got is not None, (pair, shown)
            if _num(value):
                assert float(got) == pytest.approx(float(value), rel=1e-9), (pair, shown)
            else:
                assert got == value, (pair, shown)


def _num(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_summaries_carry_no_raw_markup(site: Path) -> None:
    api = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    assert ":math:" not in api and "``" not in api
    catalogue = (site / "reference" / "schedules" / "index.html").read_text(encoding="utf-8")
    for row in re.findall(r"<tr>(.*?)</tr>", catalogue, re.S):
        assert row.count("(") == row.count(")"), row  # no row cut inside a citation
