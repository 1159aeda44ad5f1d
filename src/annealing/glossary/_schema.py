"""The schema of the glossary data file, checked in plain Python.

`parse` turns the decoded JSON into `Term` values and reports every problem at once,
each naming the term, the field, the value and what is allowed.

The file ``terms.json`` holds ``{"format": 1, "sources": {...}, "terms": [...]}``.

``sources`` maps a key (``"sgdr"``) to ``{"citation": full citation, "url": link}``;
every source must be cited by some term. Each term is an object with

- required: ``id`` (lower-case words joined by ``-``; the page is ``<id>.md``),
  ``term``, ``short`` (one line, at most 160 characters: the tooltip), ``definition``,
  ``explained_easy`` (short sentences: Flesch–Kincaid grade is tested), ``tags`` (keys
  of `TAGS`), ``references`` (source keys, at least one);
- optional: ``aliases``, ``related`` (term ids), ``formula`` (``{"latex", "text"}``),
  ``origin``, ``etymology``, ``usage_trends``, ``collocations`` (strings),
  ``examples`` and ``did_you_know`` (``{"text", "source", "where"?}``), ``faq``
  (``{"question", "answer", "source", "where"?}``), ``schedule`` (a schedule's
  ``to_dict()``) and ``plot_steps`` (how many steps to plot an endless schedule).

Text is plain (HTML is escaped when rendered); a pair of backticks marks code, and a
blank line separates paragraphs in the long fields. Names and aliases must be unique
across terms, ignoring case, hyphens and underscores.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ._model import TAGS, Cited, Formula, Links, Question, Source, Term

FORMAT = 1
SHORT_MAX = 160
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL = re.compile(r"^https?://\S+$")
#: A documentation page: relative, no ``..``, a Markdown page or a notebook.
_SITE_PATH = re.compile(r"^(?!.*\.\.)[a-z0-9][a-z0-9_./-]*\.(?:md|ipynb)$")
#: The explorer's URL state: ``c1=<family>,<key>:<value>,...`` then ``&n=``, ``&log=`` ...
_EXPLORER = re.compile(
    r"^c1=[a-z_]+(?:,[A-Za-z0-9_]+:[A-Za-z0-9_.+-]+)*(?:&[a-z0-9]+=[A-Za-z0-9_.,:+-]+)*$"
)

_TEXT_FIELDS = ("origin", "etymology", "usage_trends")
_REQUIRED_TEXT = ("term", "short", "definition", "explained_easy")
_KNOWN = frozenset(
    {
        "id",
        *_REQUIRED_TEXT,
        *_TEXT_FIELDS,
        "aliases",
        "tags",
        "formula",
        "collocations",
        "examples",
        "faq",
        "related",
        "did_you_know",
        "references",
        "schedule",
        "plot_steps",
        "links",
        "lookup_only",
    }
)


class GlossaryDataError(ValueError):
    """The glossary data does not follow the schema; `problems` lists every violation."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"glossary data: {len(self.problems)} problem(s):\n{lines}")


def normalize(name: str) -> str:
    """The lookup key of a name: case-folded, with hyphens, underscores and runs of
    spaces treated as one space.

    >>> normalize("  Learning-Rate   schedule ")
    'learning rate schedule'
    """
    return " ".join(re.sub(r"[-_\s]+", " ", name).casefold().split())


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def text(self, where: str, value: Any, *, required: bool, one_line: bool = False) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            self.fail(where, f"must be a string, got {type(value).__name__} {value!r}")
            return ""
        if required and not value.strip():
            self.fail(where, "must be a non-empty string, got an empty one")
        if value != value.strip():
            self.fail(where, f"must not start or end with white space, got {value!r}")
        if one_line and "\n" in value:
            self.fail(where, f"must be a single line, got {value!r}")
        return value

    def strings(self, where: str, value: Any, *, required: bool = False) -> tuple[str, ...]:
        if value is None:
            value = []
        if not isinstance(value, list):
            self.fail(where, f"must be a list of strings, got {type(value).__name__}")
            return ()
        if required and not value:
            self.fail(where, "must be a non-empty list, got []")
        items = tuple(
            self.text(f"{where}[{i}]", v, required=True, one_line=True) for i, v in enumerate(value)
        )
        if len(set(items)) != len(items):
            self.fail(where, f"must not repeat an entry, got {list(items)}")
        return items

    def record(
        self, where: str, value: Any, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> Mapping[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(where, f"must be an object with keys {list(required)}, got {value!r}")
            return None
        missing = [k for k in required if k not in value]
        unknown = sorted(set(value) - set(required) - set(optional))
        if missing:
            self.fail(where, f"is missing {missing}")
        if unknown:
            self.fail(where, f"has unknown keys {unknown}; allowed: {[*required, *optional]}")
        return value if not missing else None

    def cited_list(
        self,
        where: str,
        value: Any,
        sources: Mapping[str, Source],
        build: Callable[[Mapping[str, Any], Source, str], Any],
        required: tuple[str, ...],
    ) -> tuple[Any, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(where, f"must be a list, got {type(value).__name__}")
            return ()
        out = []
        for i, item in enumerate(value):
            here = f"{where}[{i}]"
            rec = self.record(here, item, (*required, "source"), ("where",))
            if rec is None:
                continue
            for key in required:
                self.text(f"{here}.{key}", rec[key], required=True, one_line=True)
            where_in = self.text(f"{here}.where", rec.get("where"), required=False, one_line=True)
            source = sources.get(rec["source"]) if isinstance(rec["source"], str) else None
            if source is None:
                self.fail(
                    f"{here}.source",
                    f"must be a key of 'sources', got {rec['source']!r}",
                )
                continue
            out.append(build(rec, source, where_in))
        return tuple(out)


def _sources(check: _Checker, raw: Any) -> dict[str, Source]:
    if not isinstance(raw, dict) or not raw:
        check.fail("sources", "must be a non-empty object mapping keys to sources")
        return {}
    out: dict[str, Source] = {}
    for key, value in raw.items():
        where = f"sources.{key}"
        if not _ID.match(key):
            check.fail(where, f"key must be lower-case words joined by '-', got {key!r}")
        rec = check.record(where, value, ("citation", "url"))
        if rec is None:
            continue
        citation = check.text(f"{where}.citation", rec["citation"], required=True, one_line=True)
        url = check.text(f"{where}.url", rec["url"], required=True, one_line=True)
        if url and not _URL.match(url):
            check.fail(f"{where}.url", f"must be an http(s) URL, got {url!r}")
        out[key] = Source(key=key, citation=citation, url=url)
    return out


def _term(check: _Checker, i: int, raw: Any, sources: Mapping[str, Source]) -> Term | None:
    ident = raw.get("id") if isinstance(raw, dict) else None
    where = f"terms[{i}]" + (f" ({ident})" if isinstance(ident, str) else "")
    if not isinstance(raw, dict):
        check.fail(where, f"must be an object, got {raw!r}")
        return None
    unknown = sorted(set(raw) - _KNOWN)
    if unknown:
        check.fail(where, f"has unknown keys {unknown}; allowed: {sorted(_KNOWN)}")
    missing = [k for k in ("id", *_REQUIRED_TEXT, "tags", "references") if k not in raw]
    if missing:
        check.fail(where, f"is missing required keys {missing}")
        return None
    if not isinstance(ident, str) or not _ID.match(ident):
        check.fail(f"{where}.id", f"must be lower-case words joined by '-', got {ident!r}")
        return None
    text = {k: check.text(f"{where}.{k}", raw[k], required=True) for k in _REQUIRED_TEXT}
    for k in ("term", "short"):
        check.text(f"{where}.{k}", raw[k], required=True, one_line=True)
    if len(text["short"]) > SHORT_MAX:
        check.fail(
            f"{where}.short",
            f"must be at most {SHORT_MAX} characters (a tooltip), got {len(text['short'])}",
        )
    extra = {k: check.text(f"{where}.{k}", raw.get(k), required=False) for k in _TEXT_FIELDS}
    tags = check.strings(f"{where}.tags", raw["tags"], required=True)
    for tag in tags:
        if tag not in TAGS:
            check.fail(f"{where}.tags", f"must be among {sorted(TAGS)}, got {tag!r}")
    references: list[Source] = []
    for key in check.strings(f"{where}.references", raw["references"], required=True):
        if key in sources:
            references.append(sources[key])
        else:
            check.fail(f"{where}.references", f"must be keys of 'sources', got {key!r}")
    formula = None
    if raw.get("formula") is not None:
        rec = check.record(f"{where}.formula", raw["formula"], ("latex", "text"))
        if rec is not None:
            formula = Formula(
                latex=check.text(f"{where}.formula.latex", rec["latex"], required=True),
                text=check.text(f"{where}.formula.text", rec["text"], required=True),
            )
    schedule = raw.get("schedule")
    if schedule is not None and not (
        isinstance(schedule, dict)
        and isinstance(schedule.get("type"), str)
        and "format" in schedule
    ):
        check.fail(
            f"{where}.schedule",
            f"must be a schedule's to_dict() (with 'format' and 'type'), got {schedule!r}",
        )
        schedule = None
    plot_steps = raw.get("plot_steps")
    if plot_steps is not None and (
        isinstance(plot_steps, bool) or not isinstance(plot_steps, int) or plot_steps <= 0
    ):
        check.fail(f"{where}.plot_steps", f"must be a positive integer, got {plot_steps!r}")
        plot_steps = None
    links = _links(check, f"{where}.links", raw.get("links"))
    aliases = raw.get("aliases")
    names = (text["term"], *(aliases if isinstance(aliases, list) else ()))
    lookup_only = check.strings(f"{where}.lookup_only", raw.get("lookup_only"))
    for name in lookup_only:
        if name not in names:
            check.fail(f"{where}.lookup_only", f"must be the term or its aliases, got {name!r}")
    return Term(
        id=ident,
        term=text["term"],
        short=text["short"],
        definition=text["definition"],
        explained_easy=text["explained_easy"],
        tags=tags,
        references=tuple(references),
        related=check.strings(f"{where}.related", raw.get("related")),
        aliases=check.strings(f"{where}.aliases", raw.get("aliases")),
        formula=formula,
        origin=extra["origin"],
        etymology=extra["etymology"],
        usage_trends=extra["usage_trends"],
        collocations=check.strings(f"{where}.collocations", raw.get("collocations")),
        examples=check.cited_list(
            f"{where}.examples",
            raw.get("examples"),
            sources,
            lambda r, s, w: Cited(r["text"], s, w),
            ("text",),
        ),
        faq=check.cited_list(
            f"{where}.faq",
            raw.get("faq"),
            sources,
            lambda r, s, w: Question(r["question"], r["answer"], s, w),
            ("question", "answer"),
        ),
        did_you_know=check.cited_list(
            f"{where}.did_you_know",
            raw.get("did_you_know"),
            sources,
            lambda r, s, w: Cited(r["text"], s, w),
            ("text",),
        ),
        schedule=schedule,
        plot_steps=plot_steps,
        links=links,
        lookup_only=lookup_only,
    )


def _links(check: _Checker, where: str, raw: Any) -> Links:
    if raw is None:
        return Links()
    rec = check.record(where, raw, (), ("reference", "explorer", "guides"))
    if rec is None:
        return Links()
    reference = check.text(
        f"{where}.reference", rec.get("reference"), required=False, one_line=True
    )
    explorer = check.text(f"{where}.explorer", rec.get("explorer"), required=False, one_line=True)
    guides = check.strings(f"{where}.guides", rec.get("guides"))
    for key, path in [
        ("reference", reference),
        *((f"guides[{i}]", g) for i, g in enumerate(guides)),
    ]:
        if path and not _SITE_PATH.match(path):
            check.fail(
                f"{where}.{key}",
                "must be a page path relative to the docs root ending in .md or .ipynb, "
                f"without '..', got {path!r}",
            )
    if explorer and not _EXPLORER.match(explorer):
        check.fail(
            f"{where}.explorer",
            f"must be an explorer query such as 'c1=cosine,start:0.1&n=100', got {explorer!r}",
        )
    return Links(reference=reference, explorer=explorer, guides=guides)


def parse(raw: Any) -> tuple[Term, ...]:
    """Check the decoded data file and build its terms.

    Raises
    ------
    GlossaryDataError
        Listing every problem found (unknown keys, empty required fields, tooltips
        longer than 160 characters, unknown tags, references or related ids,
        duplicate ids or names).
    """
    check = _Checker()
    rec = check.record("glossary", raw, ("format", "sources", "terms"))
    if rec is None:
        raise GlossaryDataError(check.problems)
    if rec["format"] != FORMAT:
        check.fail("format", f"must be {FORMAT}, got {rec['format']!r}")
    sources = _sources(check, rec["sources"])
    if not isinstance(rec["terms"], list) or not rec["terms"]:
        check.fail("terms", "must be a non-empty list")
        raise GlossaryDataError(check.problems)
    terms = [t for i, r in enumerate(rec["terms"]) if (t := _term(check, i, r, sources))]
    ids = [t.id for t in terms]
    owner: dict[str, str] = {}
    for t in terms:
        if ids.count(t.id) > 1:
            check.fail(f"terms ({t.id})", "id is used by more than one term")
        for name in (t.id, *t.names):
            key = normalize(name)
            if owner.setdefault(key, t.id) != t.id:
                check.fail(
                    f"terms ({t.id})",
                    f"name {name!r} is already a name of {owner[key]!r}",
                )
        for other in t.related:
            if other not in ids:
                check.fail(f"terms ({t.id}).related", f"must be ids of terms, got {other!r}")
            if other == t.id:
                check.fail(f"terms ({t.id}).related", "must not list the term itself")
    used = {s.key for t in terms for s in t.sources()}
    for key in sorted(set(sources) - used):
        check.fail(f"sources.{key}", "is never used by a term")
    if check.problems:
        raise GlossaryDataError(check.problems)
    return tuple(terms)
