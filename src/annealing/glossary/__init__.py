"""The glossary of learning-rate annealing: one data file, looked up from Python.

The entries live in ``terms.json`` next to this module; they are checked against the
schema when first loaded. Every entry has a definition, a plain-language explanation,
related terms, at least one full reference and links into the rest of the documentation
(its reference page, the tutorials and guides that use it: ``Term.links``).

Examples
--------
>>> from annealing import glossary
>>> glossary.define("SGDR").term
'SGDR'
>>> glossary.define("cosine decay").id
'cosine-annealing'
>>> len(glossary.terms()) >= 40
True
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from importlib import resources
from typing import Any

from ._model import SECTION_TITLES, SECTIONS, TAGS, Cited, Formula, Links, Question, Source, Term
from ._schema import GlossaryDataError, normalize, parse

__all__ = [
    "SECTIONS",
    "SECTION_TITLES",
    "TAGS",
    "Cited",
    "Formula",
    "GlossaryDataError",
    "Links",
    "Question",
    "Source",
    "Term",
    "UnknownTermError",
    "define",
    "load",
    "terms",
]

DATA_FILE = "terms.json"


class UnknownTermError(LookupError):
    """No glossary entry has this name; `matches` holds the closest names."""

    def __init__(self, name: str, matches: list[str]) -> None:
        self.name = name
        self.matches = matches
        hint = (
            "closest matches: " + ", ".join(repr(m) for m in matches)
            if matches
            else "no close match; `annealing define --list` shows every term"
        )
        super().__init__(f"define: no glossary term {name!r}; {hint}")

    def __str__(self) -> str:
        return str(self.args[0])


def load(raw: Any = None) -> tuple[Term, ...]:
    """Check glossary data against the schema and return its terms in file order.

    Parameters
    ----------
    raw : object, optional
        Decoded JSON data; by default the package's own ``terms.json``.

    Raises
    ------
    GlossaryDataError
        If the data breaks the schema (every problem is listed).
    """
    if raw is None:
        return _packaged()
    return parse(raw)


@lru_cache(maxsize=1)
def _packaged() -> tuple[Term, ...]:
    text = resources.files(__name__).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse(json.loads(text))


@lru_cache(maxsize=1)
def _index() -> dict[str, Term]:
    index: dict[str, Term] = {}
    for term in _packaged():
        for name in (term.id, *term.names):
            index[normalize(name)] = term
    return index


def terms(tag: str | None = None) -> tuple[Term, ...]:
    """All terms, sorted A–Z by name; only those with `tag` if given.

    Parameters
    ----------
    tag : str, optional
        One of `TAGS` (``"schedule"``, ``"simulated-annealing"``, ...).

    Examples
    --------
    >>> from annealing.glossary import terms
    >>> "cosine annealing" in [t.term for t in terms("schedule")]
    True
    """
    if tag is not None and tag not in TAGS:
        raise ValueError(f"terms: tag must be one of {sorted(TAGS)}, got {tag!r}")
    found = [t for t in _packaged() if tag is None or tag in t.tags]
    return tuple(sorted(found, key=lambda t: (t.term.casefold(), t.id)))


def define(name: str) -> Term:
    """Look up a term by its name, an alias or its id, in any case.

    Hyphens, underscores and spaces count as the same, and a trailing plural "s" is
    forgiven ("warm restarts").

    Raises
    ------
    UnknownTermError
        If nothing matches; the message lists the closest names.

    Examples
    --------
    >>> from annealing.glossary import define
    >>> define("Warm-Restart").term
    'warm restart'
    >>> define("cosine anealing")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    annealing.glossary.UnknownTermError: define: no glossary term 'cosine anealing'; ...
    """
    if not isinstance(name, str):
        raise TypeError(f"define: name must be a string, got {type(name).__name__}")
    index = _index()
    key = normalize(name)
    candidates = [key]
    if key.endswith("s"):
        candidates += [key[:-1], key[:-2]] if key.endswith("es") else [key[:-1]]
    for candidate in candidates:
        if candidate in index:
            return index[candidate]
    names = {normalize(n): n for t in _packaged() for n in t.names}
    close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.6)
    if not close:
        close = [k for k in names if key and (key in k or k in key)][:5]
    raise UnknownTermError(name, [names[c] for c in close])
