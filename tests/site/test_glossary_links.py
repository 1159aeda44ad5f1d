"""The glossary in the built site: its links lead into the site, its auto-links are few and
tappable (issue 15, item 7).

Without a browser, on the built HTML: every link of a term page resolves to a built page,
and no page links a term more than once (the first mention only) or carries hover-only
tooltips. In Chromium: on a touch screen (390 px, ``has_touch``) a tap on an auto-link opens
the term's page with its definition on the first screen; every term's explorer link opens
the explorer on the term's schedule (the explorer writes its state back into the address).

The site is built once per session (``built_site`` in conftest.py; ``ANNEALING_SITE_DIR``
reuses a built one outside CI).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urljoin, urlparse

import pytest

from annealing.glossary import site as glossary
from annealing.glossary import terms

pytestmark = pytest.mark.xdist_group("docs-glossary")


def _article(html: str) -> str:
    start = html.find('<article class="md-content__inner')
    return html[start : html.find("</article>", start)]


def _term_page(built: Path, term_id: str) -> Path:
    return built / "reference" / "glossary" / term_id / "index.html"


def test_every_link_of_a_term_page_resolves(built_site: Path) -> None:
    for term in terms():
        page = _term_page(built_site, term.id)
        article = _article(page.read_text(encoding="utf-8"))
        hrefs = re.findall(r'<a [^>]*href="([^"#]+)', article)
        outside = [h for h in hrefs if not h.startswith(("http", "mailto"))]
        assert any("/glossary/" not in urljoin("/reference/glossary/x/", h) for h in outside)
        for href in outside:
            target = urlparse(urljoin(f"/reference/glossary/{term.id}/", unquote(href))).path
            built = built_site / target.lstrip("/")
            if target.endswith("/"):
                built = built / "index.html"
            assert built.is_file(), (term.id, href)


def test_each_term_is_linked_once_per_page_and_nothing_is_hover_only(built_site: Path) -> None:
    pages = sorted(built_site.rglob("index.html"))
    assert len(pages) > 80
    for page in pages:
        article = _article(page.read_text(encoding="utf-8"))
        links = Counter(re.findall(r'class="glossary-link" href="([^"]+)"', article))
        assert not links or max(links.values()) == 1, (page, links.most_common(2))
        assert 'class="glossary-term"' not in article, page
        for ref in re.findall(r'aria-describedby="(glossary-def-[\w-]+)"', article):
            assert f'id="{ref}"' in article, (page, ref)


# ----------------------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    yield context.new_page()
    context.close()


def test_a_tap_on_an_auto_link_opens_the_definition(phone: Any, base_url: str) -> None:
    phone.goto(base_url + "explanation/why-cosine/")
    link = phone.locator("article a.glossary-link").first
    href = link.get_attribute("href") or ""
    assert "glossary/" in href
    link.scroll_into_view_if_needed()
    link.tap()
    phone.wait_for_url(re.compile(r"/reference/glossary/[\w-]+/"))
    short = phone.locator(".glossary-short")
    box = short.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box
    see_also = phone.locator(".glossary-see-also").bounding_box()
    assert see_also is not None and see_also["y"] < 2 * 844, see_also


def test_every_explorer_link_opens_the_terms_schedule(phone: Any, base_url: str) -> None:
    queries = glossary.explorer_queries()
    for term_id, query in queries.items():
        phone.goto(f"{base_url}reference/glossary/{term_id}/")
        link = phone.locator(".glossary-see-also a", has_text="open it in the explorer")
        href = link.get_attribute("href") or ""
        assert href.endswith("?" + query) or query in unquote(href), (term_id, href)
        phone.goto(urljoin(phone.url, href))
        phone.wait_for_selector(".annealing-explorer svg")
        wanted = parse_qs(query)["c1"][0].split(",")
        deadline = time.monotonic() + 10
        while True:  # the explorer rewrites the address from its own state
            shown = parse_qs(urlparse(phone.url).query).get("c1", [""])[0].split(",")
            if shown[0] == wanted[0] or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert shown[0] == wanted[0], (term_id, phone.url)
        state = dict(p.split(":", 1) for p in shown[1:] if ":" in p)
        for pair in wanted[1:]:
            key, value = pair.split(":")
            assert key in state, (term_id, pair, shown)
            try:
                assert float(state[key]) == pytest.approx(float(value), rel=1e-9), (term_id, pair)
            except ValueError:
                assert state[key] == value, (term_id, pair, shown)
