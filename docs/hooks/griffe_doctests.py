"""Griffe extension (loaded by mkdocstrings): bare doctest blocks render as code."""

from __future__ import annotations

from typing import Any

import griffe

from annealing._docs.doctests import fence_doctests


class FenceDoctests(griffe.Extension):
    """Wrap ``>>>`` blocks outside ``Examples`` sections in a ``pycon`` fence."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence_doctests(obj.docstring.value)
