"""Expand glob patterns in an MkDocs ``nav`` so generated and optional pages slot in.

A nav entry whose path contains ``*`` is replaced by the matching pages, sorted by path
(``index.md`` first); an entry that matches nothing disappears, and so does a section
left empty. This lets the navigation name pages that other parts of the build generate
(API pages, notebooks, the glossary) or that may not exist yet. No page is listed twice:
a page named explicitly anywhere is left out of every glob, and a page an earlier glob
matched is left out of the later ones (``explanation/*.md`` after
``explanation/simulated-annealing*.md`` does not list that page again).

>>> expand(["index.md", {"API": ["reference/api/index.md", "reference/api/*.md"]}],
...        ["index.md", "reference/api/index.md", "reference/api/B.md", "reference/api/A.md"])
['index.md', {'API': ['reference/api/index.md', 'reference/api/A.md', 'reference/api/B.md']}]
>>> expand([{"Optional": "extra/*.md"}, "index.md"], ["index.md"])
['index.md']
>>> expand(["x/a*.md", "x/*.md"], ["x/a.md", "x/b.md"])
['x/a.md', 'x/b.md']
"""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import Any


def _sort_key(path: str) -> tuple[str, bool, str]:
    folder, _, name = path.rpartition("/")
    return (folder, name != "index.md", name)


def _expand_item(item: Any, paths: list[str], listed: set[str]) -> list[Any]:
    if isinstance(item, str):
        if "*" not in item:
            return [item]
        found = sorted(
            (p for p in paths if fnmatchcase(p, item) and p not in listed), key=_sort_key
        )
        listed.update(found)  # a later glob does not list these again
        return found
    if isinstance(item, dict):
        out: list[Any] = []
        for title, value in item.items():
            if isinstance(value, list):
                children = expand(value, paths, listed)
                if children:
                    out.append({title: children})
            elif isinstance(value, str) and "*" in value:
                matches = _expand_item(value, paths, listed)
                if len(matches) == 1:
                    out.append({title: matches[0]})
                elif matches:
                    out.append({title: matches})
            else:
                out.append({title: value})
        return out
    return [item]


def _explicit(nav: Iterable[Any]) -> set[str]:
    found: set[str] = set()
    for item in nav:
        if isinstance(item, str) and "*" not in item:
            found.add(item)
        elif isinstance(item, dict):
            for value in item.values():
                if isinstance(value, list):
                    found |= _explicit(value)
                elif isinstance(value, str) and "*" not in value:
                    found.add(value)
    return found


def expand(nav: list[Any], paths: Iterable[str], listed: set[str] | None = None) -> list[Any]:
    """Return ``nav`` with glob entries replaced by the matching ``paths``.

    Pages listed explicitly anywhere in the nav are not repeated by a glob, and a glob does
    not repeat the pages of an earlier one.
    """
    paths = list(paths)
    listed = set(_explicit(nav)) if listed is None else listed
    out: list[Any] = []
    for item in nav:
        out.extend(_expand_item(item, paths, listed))
    return out
