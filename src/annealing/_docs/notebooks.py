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
from pathlib import Path

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


def add_missing_alt(html: str) -> str:
    """Give output images that have no alternative text a generic one.

    >>> add_missing_alt('<img src="a.png"><img alt="x" src="b.png">')
    '<img alt="Output of the code cell above" src="a.png"><img alt="x" src="b.png">'
    """
    return IMG_WITHOUT_ALT.sub('<img alt="Output of the code cell above"', html)


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
