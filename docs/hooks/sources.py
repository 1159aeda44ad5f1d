"""MkDocs hook: add the pages that come from outside ``docs/``.

Thin wrapper around ``annealing._docs``: the top-level ``notebooks/*.ipynb`` become pages
under ``notebooks/`` (read in place, rendered and executed by mkdocs-jupyter) and every
public name and module gets an API page.
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
    # A real file whose source directory is the repository root: mkdocs-jupyter reads it
    # from disk (it cannot render MkDocs' in-memory generated files).
    for notebook in notebooks.find(ROOT):
        files.append(
            File(
                notebooks.site_path(notebook),
                src_dir=str(ROOT),
                dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls,
            )
        )
    for src_uri, content in reference.api_pages().items():
        files.append(File.generated(config, src_uri, content=content))
    return files
