"""MkDocs hook: the glossary pages and the tooltips on every page.

Thin wrapper around ``annealing.glossary.site`` (plain Python):

- ``on_files`` adds the generated pages under ``reference/glossary/`` (the A–Z index and
  one page per term) as virtual files; the plot markers in them are rendered by
  ``docs/hooks/site.py``, which runs after this hook;
- ``on_nav`` orders the glossary's pages in the navigation by display name (the index
  first, then A–Z, Greek, the rest), not by file name;
- ``on_page_content`` links the first mention of each glossary term on every page to the
  term's page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from annealing.glossary import site


def on_files(files: Files, config: Any) -> Files:
    roots = {"": Path(config.docs_dir), "notebooks/": Path(config.docs_dir).parent / "notebooks"}
    titles = site.page_titles(roots, site.link_targets())
    generated = site.generate(directory_urls=config.use_directory_urls, titles=titles)
    for path, content in generated.items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=content))
    return files


def _sort_glossary(items: list[Any]) -> None:
    for item in items:
        if isinstance(item, Section):
            _sort_glossary(item.children)
    pages = [i for i in items if isinstance(i, Page) and site.term_of(i.file.src_uri)]
    if len(pages) > 1:
        index = {id(p): n for n, p in enumerate(items)}
        slots = sorted(index[id(p)] for p in pages)
        ordered = sorted(pages, key=lambda p: site.nav_key(p.file.src_uri))
        for slot, page in zip(slots, ordered, strict=True):
            items[slot] = page


def on_nav(nav: Navigation, config: Any, files: Files) -> Navigation:
    _sort_glossary(nav.items)
    # previous/next links follow the new order
    ordered = [p for p in _walk(nav.items)]
    for i, page in enumerate(ordered):
        page.previous_page = ordered[i - 1] if i else None
        page.next_page = ordered[i + 1] if i + 1 < len(ordered) else None
    nav.pages = ordered
    return nav


def _walk(items: list[Any]) -> list[Page]:
    out: list[Page] = []
    for item in items:
        if isinstance(item, Section):
            out += _walk(item.children)
        elif isinstance(item, Page):
            out.append(item)
    return out


def on_page_content(html: str, page: Page, config: Any, files: Files) -> str:
    def href(term_id: str) -> str:
        target = files.get_file_from_path(site.page_path(term_id))
        assert target is not None, f"glossary page missing for {term_id!r}"
        return get_relative_url(target.url, page.url)

    return site.add_tooltips(html, href, current=site.term_of(page.file.src_uri))
