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

from collections.abc import Callable
from functools import lru_cache

from . import _packaged, terms
from ._pages import SITE_DIR, page_path, pages
from ._tooltips import Linker, tooltip_names

__all__ = ["SITE_DIR", "add_tooltips", "generate", "page_path", "term_of", "tooltip_names"]


def generate(*, directory_urls: bool = True) -> dict[str, str]:
    """Every glossary page as Markdown, keyed by its path in the site.

    Parameters
    ----------
    directory_urls : bool
        Whether the site serves ``x.md`` at ``x/`` (MkDocs ``use_directory_urls``);
        it decides the links of the A–Z index, which is raw HTML.

    Returns
    -------
    dict of str to str
        ``reference/glossary/index.md`` (the A–Z index) and one
        ``reference/glossary/<id>.md`` per term. Terms with a library schedule carry a
        ``<!-- plot: ... -->`` marker for the site's plot hook.
    """
    generated = pages(terms(), directory_urls=directory_urls)
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
