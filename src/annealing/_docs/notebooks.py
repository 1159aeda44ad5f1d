"""Tutorial notebooks: the top-level ``notebooks/*.ipynb`` rendered as pages.

The notebooks are not copied into ``docs/``: the site hook adds each one as a file whose
source directory is the repository root, so it appears at ``notebooks/<name>/`` in the
site, and mkdocs-jupyter renders and executes it.
A ``<!-- notebooks -->`` marker on a page becomes a list of the tutorials with their
titles and download links; with no notebooks it becomes a short note.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import Any

MARKER = re.compile(r"<!--\s*notebooks\s*-->")
SITE_DIR = "notebooks"


def find(root: Path) -> list[Path]:
    """The notebooks in ``root/notebooks``, sorted by file name."""
    return sorted((root / "notebooks").glob("*.ipynb"))


def site_path(notebook: Path) -> str:
    """The notebook's path inside the docs tree."""
    return f"{SITE_DIR}/{notebook.name}"


def title(notebook: Path) -> str:
    """The first Markdown heading of a notebook, or its file name."""
    data = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in data.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = "".join(cell.get("source", []))
            for line in source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return notebook.stem.replace("_", " ").replace("-", " ")


def listing(notebooks: list[Path]) -> str:
    """Markdown list of the tutorials, for a page one folder deep (``tutorials/index.md``)."""
    if not notebooks:
        return "*No tutorial notebooks yet.*\n"
    lines = []
    for i, notebook in enumerate(notebooks, 1):
        lines.append(
            f"{i}. [{title(notebook)}](/{site_path(notebook)}) — "
            f"{download_link(notebook, f'../{SITE_DIR}/{notebook.stem}/')}"
        )
    return "\n".join(lines) + "\n"


def download_link(notebook: Path, prefix: str = "") -> str:
    """HTML link to the notebook file that mkdocs-jupyter copies beside its page.

    Raw HTML on purpose: a Markdown link to an ``.ipynb`` would be rewritten to the page.
    """
    return (
        f'<a class="notebook-download" href="{prefix}{notebook.name}" download>'
        f"download <code>{notebook.name}</code></a>"
    )


IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)")
IMG = re.compile(r"<img\b[^>]*>")
ALT = re.compile(r'\s*\balt="[^"]*"')
CELL_ID = re.compile(r'id="cell-id=([^"]+)"')
#: What nbconvert writes on an output image that has no alternative text.
PLACEHOLDER = "No description has been provided for this image"
GENERIC = "Output of the code cell above"


def figure_alts(notebooks: list[Path]) -> dict[str, list[str]]:
    """The ``alt`` of each code cell's metadata (a text, or a list: one per image), by cell id.

    A figure cell of a notebook source says what its figure shows in its header, which
    jupytext keeps as cell metadata: ``# %% alt="A cosine falling from 0.1 to 0"``.
    """
    alts: dict[str, list[str]] = {}
    for notebook in notebooks:
        for cell in json.loads(notebook.read_text(encoding="utf-8")).get("cells", []):
            alt = cell.get("metadata", {}).get("alt")
            if cell.get("id") and alt:
                alts[cell["id"]] = [alt] if isinstance(alt, str) else [str(a) for a in alt]
    return alts


def _describer(texts: list[str]) -> Any:
    """A re.sub callback that gives the k-th image of a cell the k-th text (or the last)."""
    seen = [0]

    def described(match: re.Match[str]) -> str:
        alt = escape(texts[min(seen[0], len(texts) - 1)], quote=True)
        seen[0] += 1
        return ALT.sub("", match.group(0)).replace("<img", f'<img alt="{alt}"', 1)

    return described


def add_missing_alt(html: str, notebook: Path | None = None) -> str:
    """Give each output image the alternative text of its cell's metadata (see
    :func:`figure_alts`), and any other image without one (or with nbconvert's placeholder) a
    generic text. The cells are found by the ids nbconvert writes (``id="cell-id=..."``); with
    no `notebook` given, the alt texts of every notebook in ``./notebooks`` are used.

    >>> add_missing_alt('<img src="a.png"><img alt="x" src="b.png">', Path("/nonexistent"))
    '<img alt="Output of the code cell above" src="a.png"><img alt="x" src="b.png">'
    """
    if notebook is not None:
        sources = [notebook] if notebook.is_file() else []
    else:
        sources = find(Path.cwd())
    alts = figure_alts(sources)
    pieces = CELL_ID.split(html)  # text, id, text, id, text, ...
    for i in range(2, len(pieces), 2):
        texts = alts.get(pieces[i - 1])
        if texts:
            pieces[i] = IMG.sub(_describer(texts), pieces[i])
    html = "".join(
        piece if k % 2 == 0 else f'id="cell-id={piece}"' for k, piece in enumerate(pieces)
    )
    html = html.replace(f'alt="{PLACEHOLDER}"', f'alt="{GENERIC}"')
    return IMG_WITHOUT_ALT.sub(f'<img alt="{GENERIC}"', html)


SCROLLABLE_CODE = re.compile(r'<div class="highlight-ipynb')


def focusable_code(html: str) -> str:
    """Let keyboard users scroll wide notebook code cells (they become focusable).

    >>> focusable_code('<div class="highlight-ipynb hl-python">')
    '<div tabindex="0" class="highlight-ipynb hl-python">'
    """
    return SCROLLABLE_CODE.sub('<div tabindex="0" class="highlight-ipynb', html)


def replace_marker(markdown: str, notebooks: list[Path]) -> str:
    """Replace the ``<!-- notebooks -->`` marker by the listing."""
    return MARKER.sub(lambda _: listing(notebooks), markdown)
