"""Glossary pages and tooltips for a documentation site, in plain Python.

A site generator calls three functions; ``docs/hooks/glossary.py`` is the MkDocs
wrapper. Nothing here imports MkDocs, so any other generator can use the same calls.

>>> from annealing.glossary import site
>>> files = site.generate()
>>> "reference/glossary/index.md" in files and "reference/glossary/sgdr.md" in files
True
>>> site.term_of("reference/glossary/sgdr.md"), site.term_of("index.md")
('sgdr', None)
>>> "glossary-link" in site.add_tooltips("<p>Use a warmup.</p>", lambda i: i + "/")
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from . import _packaged, terms
from ._links import links
from ._pages import SITE_DIR, page_path, pages, sort_key
from ._tooltips import Linker, tooltip_names

__all__ = [
    "SITE_DIR",
    "add_tooltips",
    "generate",
    "link_targets",
    "nav_key",
    "page_path",
    "page_titles",
    "term_of",
    "tooltip_names",
]


def link_targets() -> tuple[str, ...]:
    """Every site path a term page links to outside the glossary (reference pages, guides)."""
    found: dict[str, None] = {}
    for term in _packaged():
        for path in (term.links.reference, *term.links.guides):
            if path:
                found[path] = None
    return tuple(found)


def _title(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        cells = json.loads(text).get("cells", [])
        lines = [
            line
            for cell in cells
            if cell.get("cell_type") == "markdown"
            for line in "".join(cell.get("source", [])).splitlines()
        ]
    else:
        front = re.match(r"^---\n(.*?)\n---\n", text, re.DOTALL)
        title = front and re.search(r"^title:\s*(.+)$", front.group(1), re.MULTILINE)
        if title:
            return title.group(1).strip().strip("\"'")
        lines = text.splitlines()
    heading = next((line[2:] for line in lines if line.startswith("# ")), path.stem)
    return heading.replace("`", "").strip()


def page_titles(roots: Mapping[str, Path], paths: Iterable[str]) -> dict[str, str]:
    """The titles of the pages at site `paths` (front-matter ``title`` or first heading).

    `roots` maps a path prefix to the folder holding it: ``{"": docs_dir, "notebooks/":
    repository / "notebooks"}``; the longest matching prefix wins. A page that is not
    found is left out (its link text falls back to its file name).
    """
    out = {}
    for path in paths:
        prefix = max((p for p in roots if path.startswith(p)), key=len, default=None)
        if prefix is None:
            continue
        file = roots[prefix] / path[len(prefix) :]
        if file.is_file():
            out[path] = _title(file)
    return out


def nav_key(path: str) -> tuple[int, str, str]:
    """Sort key of a glossary page in the nav: the index first, then terms by display name."""
    ident = term_of(path)
    term = next((t for t in _packaged() if t.id == ident), None)
    if term is None:
        return (-1, path, "")
    return sort_key(term)


def explorer_queries() -> dict[str, str]:
    """The explorer query of every term page that links the explorer, by term id."""
    return {t.id: q for t in _packaged() if (q := links(t).explorer)}


def generate(
    *, directory_urls: bool = True, titles: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Every glossary page as Markdown, keyed by its path in the site.

    Parameters
    ----------
    directory_urls : bool
        Whether the site serves ``x.md`` at ``x/`` (MkDocs ``use_directory_urls``);
        it decides the links of the A–Z index, which is raw HTML.
    titles : mapping of str to str, optional
        Titles of the pages the terms link to, by site path (see `page_titles`).

    Returns
    -------
    dict of str to str
        ``reference/glossary/index.md`` (the A–Z index) and one
        ``reference/glossary/<id>.md`` per term. Terms with a library schedule carry a
        ``<!-- plot: ... -->`` marker for the site's plot hook.
    """
    generated = pages(terms(), directory_urls=directory_urls, titles=titles)
    return {f"{SITE_DIR}/{name}": text for name, text in generated.items()}


def term_of(path: str) -> str | None:
    """The id of the term whose page is at site path `path`, else None."""
    folder, _, name = path.rpartition("/")
    if folder != SITE_DIR or not name.endswith(".md"):
        return None
    ident = name[: -len(".md")]
    return ident if any(t.id == ident for t in _packaged()) else None


@lru_cache(maxsize=1)
def _linker() -> Linker:
    return Linker(_packaged())


def add_tooltips(html: str, href: Callable[[str], str], *, current: str | None = None) -> str:
    """Wrap mentions of glossary terms in `html` (see `Linker.link`).

    Parameters
    ----------
    html : str
        The rendered HTML of a page.
    href : callable
        Maps a term id to the URL of its page relative to the page being processed.
    current : str, optional
        The id of the term whose own page this is (its mentions are left alone).
    """
    return _linker().link(html, href, current=current)
