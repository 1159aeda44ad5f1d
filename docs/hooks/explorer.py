"""MkDocs hook: the schedule explorer's copy of the frameworks' comparison table.

Writes ``javascripts/annealing/rosetta.json`` into the site: family -> list of
``{"framework", "name", "code", "note", "equivalent", "conventions"}``, read from
``annealing/compat/rosetta.json`` (its ``families`` mapping; other shapes through
``annealing._docs.rosetta.load``). The table is empty when that file does not exist.
"""

from __future__ import annotations

import json
from typing import Any

from mkdocs.structure.files import File, Files

from annealing._docs import rosetta

ASSET = "javascripts/annealing/rosetta.json"
FIELDS = ("name", "code", "note", "equivalent")


def table() -> dict[str, list[dict[str, Any]]]:
    """The comparison table in the explorer's shape."""
    path = rosetta.table_path()
    data: Any = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    families = data.get("families") if isinstance(data, dict) else None
    if isinstance(families, dict) and all(isinstance(v, dict) for v in families.values()):
        out: dict[str, list[dict[str, Any]]] = {}
        for family, entries in families.items():
            rows = []
            for framework, entry in entries.items():
                if not isinstance(entry, dict) or not str(entry.get("code") or "").strip():
                    continue
                row: dict[str, Any] = {"framework": framework}
                row.update({key: str(entry.get(key) or "") for key in FIELDS})
                conventions = entry.get("conventions")
                row["conventions"] = {
                    k: str(v) for k, v in (conventions or {}).items() if v is not None
                }
                rows.append(row)
            if rows:
                out[family] = rows
        return out
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
