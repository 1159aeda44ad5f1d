"""The documentation site: a strict build, its content, and every page in a real Chromium.

The site is built once per module (``mkdocs build --strict`` into a temporary directory,
notebooks executed), then served on 127.0.0.1 on a free port. Checks without a browser:
every public name has its API entry, every schedule family its catalogue page with a
build-time plot, no image is committed under docs/. Checks in Chromium, on every page: no
console or page error and no failed load, no request outside 127.0.0.1, math rendered by
KaTeX with no raw ``$$`` left, internal links and anchors resolve; on a page of each kind,
no serious or critical axe-core violation; search finds "warm restart". Screenshots go to
``artifacts/``.

Set ``ANNEALING_SITE_DIR`` to a built site to test it instead of building (ignored in CI).
mkdocs, Chromium and Playwright are optional locally (the tests skip with the reason) and
required in CI.
"""

from __future__ import annotations

import inspect
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlparse

import pytest
from support import missing

import annealing as an

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
pytestmark = pytest.mark.xdist_group("docs-site")


# ----------------------------------------------------------------------------- build and serve


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    """The site built once for the whole session (tests/site/conftest.py), shared with the
    reader, phone and glossary tests."""
    return built_site


def pages(site: Path) -> list[str]:
    """Every HTML page of the site, as paths relative to its root (404.html excluded)."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if p.name != "404.html" and "assets" not in p.relative_to(site).parts
    )


# ----------------------------------------------------------------------------- without a browser


def schedule_families() -> list[str]:
    """Public schedule classes (not the abstract base) plus the SGDR constructor."""
    names = [
        name
        for name in an.__all__
        if inspect.isclass(getattr(an, name))
        and issubclass(getattr(an, name), an.Schedule)
        and getattr(an, name) is not an.Schedule
    ]
    return sorted({*names, "SGDR"})


def test_every_public_name_has_an_api_entry(site: Path) -> None:
    for name in an.__all__:
        page = site / "reference" / "api" / name / "index.html"
        assert page.exists(), f"no API page for {name}"
        assert f'id="annealing.{name}"' in page.read_text(encoding="utf-8"), name


def test_every_family_has_a_catalogue_page_with_a_build_time_plot(site: Path) -> None:
    for family in schedule_families():
        page = site / "reference" / "schedules" / family.lower() / "index.html"
        assert page.exists(), f"no catalogue page for {family}"
        html = page.read_text(encoding="utf-8")
        plots = re.findall(r'<img[^>]+src="([^"]*assets/plots/[0-9a-f]+\.svg)"', html)
        assert plots, f"no plot on the {family} page"
        for src in plots:
            assert (page.parent / src).resolve().exists(), src
        assert "<svg" in (page.parent / plots[0]).resolve().read_text(encoding="utf-8")


def test_no_image_is_committed_under_docs() -> None:
    listed = subprocess.run(
        ["git", "ls-files", "docs"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    images = [
        f
        for f in listed
        if f.endswith((".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"))
        and f != "docs/assets/favicon.svg"
    ]
    assert not images, images


def test_notebooks_are_pages_with_a_download(site: Path) -> None:
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        folder = site / "notebooks" / notebook.stem
        assert (folder / "index.html").exists(), notebook.name
        assert (folder / notebook.name).exists(), f"{notebook.name} is not downloadable"
        html = (folder / "index.html").read_text(encoding="utf-8")
        assert f'href="{notebook.name}" download' in html
        assert "Traceback" not in html, f"{notebook.name} shows an error"
        if "plt.show()" in notebook.read_text(encoding="utf-8"):
            assert "<img" in html, f"{notebook.name} draws figures but its page has none"


# ----------------------------------------------------------------------------- in Chromium


class Visit:
    """A browser page that records errors, failed loads and requests leaving 127.0.0.1."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.base_url = base_url
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page = self.context.new_page()
        self.page.on("request", self._request)
        self.page.on("response", self._response)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _request(self, request: Any) -> None:
        url = request.url
        if not url.startswith((self.base_url, "data:", "blob:", "about:")):
            self.foreign.append(f"{url} (from {self.page.url})")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url} (from {self.page.url})")

    def _console(self, message: Any) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"console: {message.text} ({self.page.url})")

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path, wait_until="load")

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def visit(browser: Any, base_url: str) -> Iterator[Visit]:
    v = Visit(browser, base_url)
    yield v
    v.close()


_RAW_MATH = """() => {
  const body = document.querySelector("article") || document.body;
  const copy = body.cloneNode(true);
  copy.querySelectorAll("pre, code, .katex, script, style, textarea").forEach(e => e.remove());
  const text = copy.textContent;
  return {
    katex: body.querySelectorAll(".katex").length,
    arithmatex: body.querySelectorAll(".arithmatex").length,
    raw: ["$$", "\\\\(", "\\\\[", "\\\\frac", "\\\\eta"].filter(s => text.includes(s)),
  };
}"""

_LINKS = """() => Array.from(document.querySelectorAll("a[href]"), a => a.href)"""


def test_every_page_in_chromium(site: Path, base_url: str, visit: Visit) -> None:
    """No errors, no foreign requests, math rendered, internal links and anchors resolve."""
    all_pages = pages(site)
    assert len(all_pages) > 40, all_pages
    links: dict[str, set[str]] = {}
    math_problems: list[str] = []
    for path in all_pages:
        visit.goto(path)
        visit.page.wait_for_load_state("load")
        math = visit.page.evaluate(_RAW_MATH)
        if math["arithmatex"] and not math["katex"]:
            math_problems.append(f"{path}: math not rendered")
        if math["raw"]:
            math_problems.append(f"{path}: raw TeX left: {math['raw']}")
        for href in visit.page.evaluate(_LINKS):
            links.setdefault(href, set()).add(path)
    assert not visit.errors, visit.errors
    assert not visit.foreign, sorted(set(visit.foreign))
    assert not math_problems, math_problems
    assert _broken(site, base_url, links) == []


def _ids(file: Path, cache: dict[Path, set[str]]) -> set[str]:
    if file not in cache:
        text = file.read_text(encoding="utf-8", errors="replace")
        cache[file] = set(re.findall(r'\sid="([^"]+)"', text)) | set(
            re.findall(r'\sname="([^"]+)"', text)
        )
    return cache[file]


def _broken(site: Path, base_url: str, links: dict[str, set[str]]) -> list[str]:
    broken: list[str] = []
    cache: dict[Path, set[str]] = {}
    for href, sources in sorted(links.items()):
        if not href.startswith(base_url):
            continue
        url, fragment = urldefrag(href)
        target = site / unquote(urlparse(url).path.lstrip("/"))
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            broken.append(f"{href} (from {sorted(sources)[0]}): not found")
            continue
        if fragment and target.suffix == ".html" and unquote(fragment) not in _ids(target, cache):
            broken.append(f"{href} (from {sorted(sources)[0]}): no anchor #{fragment}")
    return broken


def test_search_finds_warm_restart(base_url: str, visit: Visit) -> None:
    visit.errors.clear()
    visit.goto("")
    # The search worker builds its index after the page loads (seconds on a busy machine):
    # type the query again until results appear.
    results = visit.page.locator(".md-search-result__item")
    deadline = time.monotonic() + 90
    reload_at = time.monotonic() + 30
    while True:
        if time.monotonic() > reload_at:  # a worker that never answered: start again once
            visit.goto("")
            reload_at = deadline
        visit.page.fill("input.md-search__input", "")
        visit.page.fill("input.md-search__input", "warm restart")  # in the desktop header
        try:
            results.first.wait_for(state="visible", timeout=5_000)
            break
        except Exception:
            if time.monotonic() > deadline:
                visit.page.screenshot(path=str(ARTIFACTS / "site-search-failed.png"))
                raise
    text = visit.page.locator(".md-search-result").inner_text().lower()
    assert "restart" in text
    assert not visit.errors, visit.errors


def axe_pages(site: Path) -> list[str]:
    """Every page of the built site, for the accessibility audit.

    axe-core takes a second or two per page; auditing one page of each kind was tried and missed
    violations that only some pages of a kind have (a wide table, a long formula, a link in a
    definition list), so every page is audited.
    """
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))


def test_accessibility(site: Path, base_url: str, visit: Visit) -> None:
    """axe-core: no serious or critical violation on any page."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError as error:
        missing(f"axe-playwright-python is not importable ({error}); it is in the dev extra")
    axe = Axe()
    problems: list[str] = []
    for path in axe_pages(site):
        visit.goto(path)
        results = axe.run(visit.page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
    assert not problems, "\n".join(problems)


def test_screenshots(site: Path, base_url: str, visit: Visit) -> None:
    """Home, a catalogue page and a notebook page, saved to artifacts/ to be looked at."""
    visit.errors.clear()
    ARTIFACTS.mkdir(exist_ok=True)
    shots = {"site-home.png": "", "site-catalogue-cosine.png": "reference/schedules/cosine/"}
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if notebooks:
        shots["site-notebook.png"] = f"notebooks/{notebooks[0].stem}/"
    for name, path in shots.items():
        visit.goto(path)
        visit.page.wait_for_timeout(300)
        visit.page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        assert (ARTIFACTS / name).stat().st_size > 10_000
    visit.goto("")
    visit.page.click("form[data-md-component='palette'] label:visible")
    visit.page.wait_for_timeout(300)
    visit.page.screenshot(path=str(ARTIFACTS / "site-home-dark.png"))
    assert not visit.errors, visit.errors
