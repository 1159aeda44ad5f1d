"""MkDocs hook: the schedule explorer's copy of the frameworks' comparison table.

Writes ``javascripts/annealing/rosetta.json`` into the site: family -> list of
``{"framework", "code", "note"}``, read by ``annealing._docs.rosetta.load`` from
``annealing/compat/rosetta.json`` (an empty table when that file does not exist yet).
"""

from __future__ import annotations

import json
from typing import Any

from mkdocs.structure.files import File, Files

from annealing._docs import rosetta

ASSET = "javascripts/annealing/rosetta.json"


def table() -> dict[str, list[dict[str, str]]]:
    """The comparison table in the explorer's shape."""
    return {
        family: [{"framework": fw, "code": code, "note": note} for fw, code, note in rows]
        for family, rows in rosetta.load().items()
    }


def on_files(files: Files, config: Any) -> Files:
    content = json.dumps(table(), indent=1, sort_keys=True)
    existing = files.get_file_from_path(ASSET)
    if existing is not None:
        files.remove(existing)
    files.append(File.generated(config, ASSET, content=content))
    return files
