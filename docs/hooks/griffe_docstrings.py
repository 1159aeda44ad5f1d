"""Griffe extension (loaded by mkdocstrings): docstrings ready for Markdown.

reST math (``:math:`` roles, ``.. math::`` directives) becomes TeX for KaTeX, and bare
doctest blocks render as code (see ``annealing._docs.docstrings``). A private base class
(``Schedule``'s ``_Base``, the compiled call's type) is not listed among a class's bases.
"""

from __future__ import annotations

from typing import Any

import griffe

from annealing._docs.docstrings import prepare


class MarkdownDocstrings(griffe.Extension):
    """Rewrite each docstring with :func:`annealing._docs.docstrings.prepare`."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = prepare(obj.docstring.value)
        if isinstance(obj, griffe.Class):
            obj.bases = [b for b in obj.bases if not str(b).rsplit(".", 1)[-1].startswith("_")]
