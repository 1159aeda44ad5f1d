"""MkDocs hook: build-time plots, navigation patterns and page markers.

Thin wrapper around ``annealing._docs``:

- ``<!-- plot: EXPR -->`` markers in any Markdown page (hand-written or generated) are
  rendered from the library to SVG files under ``assets/plots/``;
- ``*`` patterns in ``nav`` are expanded against all files, generated ones included;
- ``<!-- frameworks: Family -->`` and ``<!-- notebooks -->`` markers are replaced;
- notebook pages get a download link;
- page titles (browser tab, navigation, search) are plain text, without raw TeX, and the
  search index is cleaned of TeX and notebook clutter after the search plugin wrote it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from annealing._docs import nav, notebooks, plots, rosetta, search

ROOT = Path(__file__).resolve().parents[2]
_svg_cache: dict[str, bytes] = {}
_nav_template: list[Any] | None = None


@event_priority(-100)  # after every other generator (notebooks, API pages, glossary)
def on_files(files: Files, config: Any) -> Files:
    global _nav_template
    for file in list(files):
        if not file.src_uri.endswith(".md"):
            continue
        for spec in plots.find_plots(file.content_string):
            if spec.path not in _svg_cache:
                _svg_cache[spec.path] = plots.render_svg(spec)
            if files.get_file_from_path(spec.path) is None:
                files.append(File.generated(config, spec.path, content=_svg_cache[spec.path]))
    if _nav_template is None:
        _nav_template = config.nav
    if _nav_template is not None:
        config.nav = nav.expand(_nav_template, [f.src_uri for f in files])
    return files


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    markdown = plots.replace_plots(markdown, lambda spec: "/" + spec.path)
    table = rosetta.load()
    markdown = rosetta.replace_table_marker(rosetta.replace_markers(markdown, table), table)
    return notebooks.replace_marker(markdown, notebooks.find(ROOT))


def on_page_content(html: str, page: Page, config: Any, files: Files) -> str:
    if page.title:
        page.title = search.plain_tex(page.title)  # a heading with math gives a TeX title
    uri = page.file.src_uri
    if uri.startswith(notebooks.SITE_DIR + "/") and uri.endswith(".ipynb"):
        link = notebooks.download_link(Path(uri))
        html = notebooks.focusable_code(notebooks.add_missing_alt(html, ROOT / uri))
        return f'<p class="notebook-download-bar">Run it yourself: {link}</p>\n{html}'
    return html


@event_priority(-100)  # after the search plugin has written the index
def on_post_build(config: Any) -> None:
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if path.exists():
        index = search.clean_index(json.loads(path.read_text(encoding="utf-8")))
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), "utf-8")
