"""MkDocs hook: add the pages that come from outside ``docs/``.

Thin wrapper around ``annealing._docs``: the top-level ``notebooks/*.ipynb`` become
``tutorials/*.ipynb`` (virtual files backed by the notebooks themselves, rendered and
executed by mkdocs-jupyter) and every public name and module gets an API page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from annealing._docs import notebooks, reference

ROOT = Path(__file__).resolve().parents[2]


@event_priority(100)  # before mkdocs-jupyter turns .ipynb files into pages
def on_files(files: Files, config: Any) -> Files:
    for notebook in notebooks.find(ROOT):
        files.append(
            File.generated(config, notebooks.site_path(notebook), abs_src_path=str(notebook))
        )
    for src_uri, content in reference.api_pages().items():
        files.append(File.generated(config, src_uri, content=content))
    return files
