"""Framework tabs for the schedule catalogue, read from the frameworks' comparison table.

A catalogue page says ``<!-- frameworks: Cosine -->``; the marker becomes one content tab
per framework with the equivalent native code, taken from ``annealing/compat/rosetta.json``
when that file exists. Without the file, or without an entry for the family, the marker is
removed and the page simply has no tabs.

Accepted shapes of the JSON file (the family is the schedule's class name)::

    {"Cosine": {"PyTorch": "code", "optax": "code"}}
    {"families": {"Cosine": {"PyTorch": "code"}}}
    {"Cosine": [{"framework": "PyTorch", "code": "code", "note": "optional"}]}
    [{"family": "Cosine", "framework": "PyTorch", "code": "code"}]

>>> print(tabs({"PyTorch": "x = 1"}))
=== "PyTorch"
<BLANKLINE>
    ```python
    x = 1
    ```
<BLANKLINE>
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

MARKER = re.compile(r"<!--\s*frameworks:\s*(?P<family>[\w.]+)\s*-->")
TABLE_MARKER = re.compile(r"<!--\s*rosetta\s*-->")


def table_path() -> Path:
    """Where the frameworks' comparison table lives inside the package."""
    from annealing._docs.reference import package_dir

    return package_dir() / "compat" / "rosetta.json"


def _entry(framework: str, value: Any) -> tuple[str, str, str]:
    if isinstance(value, str):
        return framework, value, ""
    if isinstance(value, dict):
        code = value.get("code") or value.get("snippet") or ""
        return framework, str(code), str(value.get("note", "") or "")
    return framework, "", ""


def load(path: Path | None = None) -> dict[str, list[tuple[str, str, str]]]:
    """Family -> [(framework, code, note)], or an empty mapping when there is no table."""
    path = table_path() if path is None else path
    if not path.exists():
        return {}
    data: Any = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and isinstance(data.get("families"), dict):
        data = data["families"]
    table: dict[str, list[tuple[str, str, str]]] = {}
    if isinstance(data, list):
        for row in data:
            if isinstance(row, dict) and "family" in row and "framework" in row:
                entry = _entry(str(row["framework"]), row)
                table.setdefault(str(row["family"]), []).append(entry)
    elif isinstance(data, dict):
        for family, value in data.items():
            if isinstance(value, dict):
                rows = [_entry(str(k), v) for k, v in value.items()]
            elif isinstance(value, list):
                rows = [
                    _entry(str(v.get("framework", "")), v)
                    for v in value
                    if isinstance(v, dict) and v.get("framework")
                ]
            else:
                continue
            table[str(family)] = [r for r in rows if r[1].strip()]
    return {family: rows for family, rows in table.items() if rows}


def tabs(code_by_framework: dict[str, str], notes: dict[str, str] | None = None) -> str:
    """Material content tabs, one per framework, each holding a Python code block."""
    out: list[str] = []
    for framework, code in code_by_framework.items():
        out.append(f'=== "{framework}"\n')
        note = (notes or {}).get(framework)
        if note:
            out.append(f"    {note}\n")
        body = "\n".join(f"    {line}" if line else "" for line in code.strip().splitlines())
        out.append(f"    ```python\n{body}\n    ```\n")
    return "\n".join(out)


def replace_markers(markdown: str, table: dict[str, list[tuple[str, str, str]]]) -> str:
    """Replace each ``<!-- frameworks: Family -->`` marker by tabs, or by nothing."""

    def render(match: re.Match[str]) -> str:
        rows = table.get(match.group("family"))
        if not rows:
            return ""
        code = {framework: snippet for framework, snippet, _ in rows}
        notes = {framework: note for framework, _, note in rows if note}
        return "## In other frameworks\n\n" + tabs(code, notes)

    return MARKER.sub(render, markdown)


def replace_table_marker(markdown: str, table: dict[str, list[tuple[str, str, str]]]) -> str:
    """Replace ``<!-- rosetta -->`` by every family's tabs (or by nothing, without a table).

    Links point at the catalogue pages, for a page in ``reference/``.
    """

    def render(_: re.Match[str]) -> str:
        parts = []
        for family in sorted(table):
            rows = table[family]
            code = {framework: snippet for framework, snippet, _ in rows}
            notes = {framework: note for framework, _, note in rows if note}
            parts.append(
                f"### {family}\n\n[Catalogue page](schedules/{family.lower()}.md)\n\n"
                + tabs(code, notes)
            )
        return "\n".join(parts)

    return TABLE_MARKER.sub(render, markdown)
