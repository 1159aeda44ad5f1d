"""MkDocs hook: the glossary pages and the tooltips on every page.

Thin wrapper around ``annealing.glossary.site`` (plain Python):

- ``on_files`` adds the generated pages under ``reference/glossary/`` (the A–Z index and
  one page per term) as virtual files; the plot markers in them are rendered by
  ``docs/hooks/site.py``, which runs after this hook;
- ``on_page_content`` wraps mentions of glossary terms in every page: the first mention
  links to the term's page, later ones get a tooltip only.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from annealing.glossary import site


def on_files(files: Files, config: Any) -> Files:
    generated = site.generate(directory_urls=config.use_directory_urls)
    for path, content in generated.items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=content))
    return files


def on_page_content(html: str, page: Page, config: Any, files: Files) -> str:
    def href(term_id: str) -> str:
        target = files.get_file_from_path(site.page_path(term_id))
        assert target is not None, f"glossary page missing for {term_id!r}"
        return get_relative_url(target.url, page.url)

    return site.add_tooltips(html, href, current=site.term_of(page.file.src_uri))
