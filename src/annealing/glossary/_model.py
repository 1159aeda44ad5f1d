"""The glossary's value types: a term, its cited pieces and its sources."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Sections of a term in the order every output (page, command line) shows them.
SECTIONS: tuple[str, ...] = (
    "definition",
    "formula",
    "schedule",
    "explained_easy",
    "origin",
    "etymology",
    "usage_trends",
    "collocations",
    "examples",
    "faq",
    "related",
    "did_you_know",
    "references",
)

#: Human-readable titles of the sections.
SECTION_TITLES: Mapping[str, str] = {
    "definition": "Definition",
    "formula": "Formula",
    "schedule": "Plot",
    "explained_easy": "Explained easy",
    "origin": "Origin",
    "etymology": "Etymology",
    "usage_trends": "Usage trends",
    "collocations": "Usage",
    "examples": "Examples in context",
    "faq": "FAQ",
    "related": "Related terms",
    "did_you_know": "Did you know?",
    "references": "References",
}

#: The tags a term may carry (the A–Z index filters by them).
TAGS: Mapping[str, str] = {
    "schedule": "Schedules",
    "hyperparameter": "Hyperparameters",
    "training": "Training practice",
    "optimizer": "Optimizers",
    "theory": "Theory",
    "simulated-annealing": "Simulated annealing",
    "history": "History and words",
}


@dataclass(frozen=True)
class Source:
    """A bibliographic source: a full citation and where to read it.

    Attributes
    ----------
    key : str
        Short identifier used inside the data file (``"sgdr"``).
    citation : str
        Full citation (authors, title, venue, year).
    url : str
        Link to the text (an arXiv abstract page, a DOI or the documentation page).
    """

    key: str
    citation: str
    url: str


@dataclass(frozen=True)
class Cited:
    """A sentence with the source it comes from (an example, a "did you know?" item).

    Attributes
    ----------
    text : str
        The sentence (plain text; `backticks` mark code).
    source : Source
        Where the fact or quotation comes from.
    where : str
        Location inside the source (``"§4.2"``), possibly empty.
    """

    text: str
    source: Source
    where: str = ""


@dataclass(frozen=True)
class Question:
    """One FAQ entry with the source of its answer."""

    question: str
    answer: str
    source: Source
    where: str = ""


@dataclass(frozen=True)
class Formula:
    """A formula as LaTeX (for the site) and as plain Unicode text (for the terminal)."""

    latex: str
    text: str


@dataclass(frozen=True)
class Links:
    """Where a term leads in the rest of the documentation site.

    Attributes
    ----------
    reference : str
        Site path of the term's reference page (``"reference/schedules/cosine.md"``),
        possibly empty.
    explorer : str
        Query string that preloads the schedule explorer (``"c1=cosine,start:0.1&n=100"``),
        possibly empty; a term with a schedule the explorer can draw gets one from its
        schedule when this is empty (see ``annealing.glossary._links``).
    guides : tuple of str
        Site paths of the tutorials, how-to guides and explanations that use the term.
    """

    reference: str = ""
    explorer: str = ""
    guides: tuple[str, ...] = ()


@dataclass(frozen=True)
class Term:
    """One glossary entry.

    Text fields are plain text: they are HTML-escaped wherever they are rendered, and a
    pair of backticks marks inline code. Empty strings and empty tuples mean "no such
    section" for this term.

    Examples
    --------
    >>> from annealing.glossary import define
    >>> term = define("Warm Restarts")
    >>> term.id, term.term
    ('warm-restart', 'warm restart')
    """

    id: str
    term: str
    short: str
    definition: str
    explained_easy: str
    tags: tuple[str, ...]
    references: tuple[Source, ...]
    related: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    formula: Formula | None = None
    origin: str = ""
    etymology: str = ""
    usage_trends: str = ""
    collocations: tuple[str, ...] = ()
    examples: tuple[Cited, ...] = ()
    faq: tuple[Question, ...] = ()
    did_you_know: tuple[Cited, ...] = ()
    schedule: Mapping[str, Any] | None = field(default=None, hash=False)
    plot_steps: int | None = None
    links: Links = Links()
    lookup_only: tuple[str, ...] = ()

    def sources(self) -> tuple[Source, ...]:
        """Every source the entry cites: its references, then those of its examples, FAQ
        answers and "did you know?" items, without repeats."""
        cited = [*self.references, *(c.source for c in self.examples)]
        cited += [q.source for q in self.faq] + [c.source for c in self.did_you_know]
        return tuple(dict.fromkeys(cited))

    @property
    def names(self) -> tuple[str, ...]:
        """The term followed by its aliases."""
        return (self.term, *self.aliases)

    def has(self, section: str) -> bool:
        """Whether the term has content for `section` (one of `SECTIONS`)."""
        if section not in SECTIONS:
            raise ValueError(f"Term.has: section must be one of {SECTIONS}, got {section!r}")
        return bool(getattr(self, section))

    def make_schedule(self) -> Any:
        """Build the library schedule this term describes (``None`` if it has none).

        Examples
        --------
        >>> from annealing.glossary import define
        >>> define("linear decay").make_schedule()
        Linear(start=1.0, end=0.0, steps=100)
        """
        if self.schedule is None:
            return None
        import annealing  # deferred: the glossary must stay cheap to import

        return annealing.from_dict(dict(self.schedule))
