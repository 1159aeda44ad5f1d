"""Markdown pages for the glossary: one page per term and an A–Z index filterable by tag.

Every piece of glossary text is HTML-escaped and emitted inside raw HTML blocks, so
nothing in the data can inject markup or be misread as Markdown; a pair of backticks
becomes ``<code>``. Links to other pages stay Markdown links so that MkDocs checks and
rewrites them. A term with a library schedule gets a ``<!-- plot: ... -->`` marker,
which the site's plot hook renders to SVG at build time.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

from ._links import links
from ._model import SECTION_TITLES, SECTIONS, TAGS, Source, Term

#: Where the glossary lives inside the documentation site.
SITE_DIR = "reference/glossary"

_CODE = re.compile(r"`([^`\n]+)`")
# Only what could start Markdown markup inside a line; parentheses stay as they are,
# since "\(" opens inline math for arithmatex and KaTeX.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]])")


def inline(text: str) -> str:
    """Escape `text` for HTML; a pair of backticks marks inline code.

    >>> inline("<b>x</b> and `T_max`")
    '&lt;b&gt;x&lt;/b&gt; and <code>T_max</code>'
    """
    parts = _CODE.split(text)
    return "".join(
        f"<code>{html.escape(p, quote=False)}</code>" if i % 2 else html.escape(p, quote=False)
        for i, p in enumerate(parts)
    )


def paragraphs(text: str, css: str = "") -> str:
    """One ``<p>`` per blank-line-separated paragraph of `text`."""
    attr = f' class="{css}"' if css else ""
    return "\n".join(f"<p{attr}>{inline(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


def markdown_text(text: str) -> str:
    """Escape `text` for use inside a Markdown link's text.

    >>> markdown_text("T_0 [first]")
    'T\\\\_0 \\\\[first\\\\]'
    """
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def page_path(term_id: str) -> str:
    """The site path of a term's page (``reference/glossary/<id>.md``)."""
    return f"{SITE_DIR}/{term_id}.md"


def term_href(term_id: str, *, directory_urls: bool = True) -> str:
    """URL of a term page relative to the glossary index page."""
    return f"{term_id}/" if directory_urls else f"{term_id}.html"


def _cite(numbers: Mapping[Source, int], source: Source, where: str) -> str:
    n = numbers[source]
    label = f"[{n}{', ' + where if where else ''}]"
    return (
        f' <a class="glossary-cite" href="#ref-{n}" title="{html.escape(source.citation)}">'
        f"{html.escape(label, quote=False)}</a>"
    )


_WORDS = (("→", " to "), ("×", "times "), (" = ", " "), ("=", " "), (":", ","), ("%", " percent"))


def plot_alt(name: str, schedule: object, quantity: str = "learning rate") -> str:
    """The alternative text (and caption) of a term's plot: what the curve is, in words.

    The marker becomes a Markdown image, so the text is kept to plain words.

    >>> import annealing
    >>> plot_alt("cosine annealing", annealing.Cosine(0.05, 0.0, 200))
    'The learning rate of cosine annealing against the step, Cosine, 0.05 to 0 over 200 steps'
    """
    from annealing.plotting import label  # deferred: only the site draws plots

    text = f"The {quantity} of {name} against the step, {label(schedule)}"  # type: ignore[arg-type]
    for symbol, words in _WORDS:
        text = text.replace(symbol, words)
    return " ".join(re.sub(r"[^\w\s.,'-]", "", text).split())


def _section(
    term: Term, name: str, by_id: Mapping[str, Term], numbers: Mapping[Source, int]
) -> str:
    if name == "definition":
        return paragraphs(term.definition)
    if name == "formula" and term.formula is not None:
        latex = html.escape(term.formula.latex, quote=False)
        text = html.escape(term.formula.text, quote=False)
        return (
            f'<div class="arithmatex glossary-formula">\\[ {latex} \\]</div>\n'
            f'<p class="glossary-formula-text">In plain text: <code>{text}</code></p>'
        )
    if name == "schedule":
        schedule = term.make_schedule()
        code = repr(schedule)
        steps = f" | steps={term.plot_steps}" if term.plot_steps else ""
        quantity = "temperature" if "simulated-annealing" in term.tags else "learning rate"
        alt = "alt=" + plot_alt(term.term, schedule, quantity)
        ylabel = f" | ylabel={quantity}" if quantity != "learning rate" else ""
        return (
            f"<!-- plot: {code}{steps}{ylabel} | {alt} -->\n\n"
            f'<p class="glossary-plot-code">Drawn at build time from '
            f"<code>annealing.{html.escape(code, quote=False)}</code>.</p>"
        )
    if name in ("explained_easy", "origin", "etymology", "usage_trends"):
        return paragraphs(str(getattr(term, name)))
    if name == "collocations":
        tags = ", ".join(html.escape(TAGS[t]) for t in term.tags)
        items = "\n".join(f"<li>“{inline(c)}”</li>" for c in term.collocations)
        return (
            f'<p class="glossary-tags"><strong>Tags:</strong> {tags}</p>\n'
            f"<p><strong>Typical collocations:</strong></p>\n"
            f'<ul class="glossary-collocations">\n{items}\n</ul>'
        )
    if name in ("examples", "did_you_know"):
        cited = term.examples if name == "examples" else term.did_you_know
        items = "\n".join(
            f"<li>{inline(c.text)}{_cite(numbers, c.source, c.where)}</li>" for c in cited
        )
        return f'<ul class="glossary-{name.replace("_", "-")}">\n{items}\n</ul>'
    if name == "faq":
        items = "\n".join(
            f"<dt>{inline(q.question)}</dt>\n"
            f"<dd>{inline(q.answer)}{_cite(numbers, q.source, q.where)}</dd>"
            for q in term.faq
        )
        return f'<dl class="glossary-faq">\n{items}\n</dl>'
    if name == "related":
        lines = []
        for other_id in term.related:
            other = by_id[other_id]
            lines.append(
                f"- [{markdown_text(other.term)}]({other.id}.md): {markdown_text(other.short)}"
            )
        return "\n".join(lines)
    if name == "references":
        items = "\n".join(
            f'<li id="ref-{numbers[s]}">{inline(s.citation)} '
            f'<a href="{html.escape(s.url)}">{html.escape(s.url, quote=False)}</a></li>'
            for s in numbers
        )
        return f'<ol class="glossary-references">\n{items}\n</ol>'
    raise ValueError(f"glossary page: unknown section {name!r}")


#: What a guide is, by where it lives.
_KINDS = (
    ("notebooks/", "Tutorial"),
    ("how-to/", "How-to"),
    ("getting-started", "How-to"),
    ("explanation/", "Explanation"),
    ("reference/", "Reference"),
)


def guide_kind(path: str) -> str:
    """ "Tutorial", "How-to", "Explanation" or "Reference", by the page's folder.

    >>> guide_kind("notebooks/01-first-cosine-schedule.ipynb"), guide_kind("how-to/keras.md")
    ('Tutorial', 'How-to')
    """
    return next((kind for prefix, kind in _KINDS if path.startswith(prefix)), "Page")


def _fallback_title(path: str) -> str:
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    words = re.sub(r"^\d+-", "", stem).replace("-", " ")
    return words[:1].upper() + words[1:]


def _site_link(path: str, text: str) -> str:
    """A Markdown link from a term page (``reference/glossary/<id>.md``) to `path`."""
    target, _, query = path.partition("?")
    return f"[{markdown_text(text)}](../../{target}{'?' + query if query else ''})"


def see_also(term: Term, by_id: Mapping[str, Term], titles: Mapping[str, str]) -> str:
    """The "See also" list of a term page: reference page, explorer, guides, related terms."""
    found = links(term)
    items = []
    if found.reference:
        title = titles.get(found.reference) or _fallback_title(found.reference)
        items.append(f"- **Reference:** {_site_link(found.reference, title)}")
    if found.explorer:
        explorer = _site_link("explorer.md?" + found.explorer, "open it in the explorer")
        items.append(f"- **Try it:** {explorer} (drag the sliders, copy the code)")
    for path in found.guides:
        title = titles.get(path) or _fallback_title(path)
        items.append(f"- **{guide_kind(path)}:** {_site_link(path, title)}")
    if term.related:
        names = ", ".join(f"[{markdown_text(by_id[i].term)}]({i}.md)" for i in term.related)
        items.append(f"- **Related terms:** {names}")
    return "\n".join(items)


#: Sections not repeated under "Details" (the related terms are in "See also").
_TOP = frozenset({"related"})


def term_page(
    term: Term, by_id: Mapping[str, Term], titles: Mapping[str, str] | None = None
) -> str:
    """The Markdown page of one term: one screen first, then the details.

    First, on one phone screen, the name, aliases and tags, the one-line definition and
    "See also" (the reference page, the explorer preloaded with the term's schedule, the
    tutorials and guides that use the term, the related terms); then, under "Details",
    the sections in the fixed order of `SECTIONS`, the full definition first.

    Parameters
    ----------
    term : Term
        The entry to render.
    by_id : mapping of str to Term
        Every term by id (to title the related-term links).
    titles : mapping of str to str, optional
        Page titles by site path (the text of the links to the rest of the site).
    """
    titles = titles or {}
    numbers = {source: i for i, source in enumerate(term.sources(), start=1)}
    out = [f"# {markdown_text(term.term)}", ""]
    meta = []
    if term.aliases:
        meta.append("Also: " + ", ".join(f"<em>{inline(a)}</em>" for a in term.aliases))
    meta.append("Tags: " + ", ".join(html.escape(TAGS[t]) for t in term.tags))
    out += [f'<p class="glossary-meta">{" · ".join(meta)}</p>', ""]
    out += [f'<p class="glossary-short"><strong>{inline(term.short)}</strong></p>', ""]
    also = see_also(term, by_id, titles)
    if also:
        out += [
            '<div class="glossary-see-also" markdown>',
            "",
            "**See also**",
            "",
            also,
            "",
            "</div>",
            "",
        ]
    out += ["## Details", ""]
    for name in SECTIONS:
        if name in _TOP or not term.has(name):
            continue
        out += [f"### {SECTION_TITLES[name]}", "", _section(term, name, by_id, numbers), ""]
    out += ["[Back to the glossary index](index.md)", ""]
    return "\n".join(out)


#: Index groups after A–Z, in order: (key, anchor, heading, label in the A–Z bar).
GREEK = ("Greek", "glossary-greek", "Greek letters", "α–ω")
OTHER = ("#", "glossary-other", "Numbers and symbols", "#")


def _group(term: Term) -> str:
    first = term.term.lstrip("“\"'(").upper()[:1]
    if "A" <= first <= "Z":
        return first
    if "\u0391" <= first <= "\u03a9" or "\u03b1" <= first.lower() <= "\u03c9":
        return GREEK[0]
    return OTHER[0]


def sort_key(term: Term) -> tuple[int, str, str]:
    """How the index and the nav order terms: by display name, A–Z, then Greek, then the rest.

    >>> from annealing.glossary import define
    >>> sorted(["warmup", "eta_max", "T_0", "adam"], key=lambda n: sort_key(define(n)))[::3]
    ['adam', 'eta_max']
    """
    group = _group(term)
    rank = 0 if len(group) == 1 and group != "#" else (1 if group == GREEK[0] else 2)
    return (rank, term.term.lstrip("“\"'(").casefold(), term.id)


def index_page(terms: Iterable[Term], *, directory_urls: bool = True) -> str:
    """The A–Z index: every term with its one-line definition, filterable by tag.

    The filter is plain HTML radio buttons and CSS (no script), so it works offline,
    with instant navigation and without JavaScript.
    """
    ordered = sorted(terms, key=sort_key)
    used = [tag for tag in TAGS if any(tag in t.tags for t in ordered)]
    letters: dict[str, list[Term]] = {}
    for term in ordered:
        letters.setdefault(_group(term), []).append(term)
    rules = []
    for tag in used:
        sel = f"#glossary-tag-{tag}:checked ~ .glossary-body"
        rules.append(f'{sel} li:not([data-tags~="{tag}"]) {{ display: none; }}')
        rules.append(f'{sel} section:not(:has(li[data-tags~="{tag}"])) {{ display: none; }}')
    style = "\n".join(
        [
            "<style>",
            ".glossary-index > input { position: absolute; opacity: 0; }",
            ".glossary-index > label { display: inline-block; margin: 0 .3em .4em 0;"
            " padding: .1em .7em; border: 1px solid currentColor; border-radius: 1em;"
            " cursor: pointer; font-size: .8em; }",
            ".glossary-index > input:checked + label { background: var(--md-primary-fg-color,"
            " #4051b5); color: var(--md-primary-bg-color, #fff); border-color: transparent; }",
            ".glossary-index > input:focus-visible + label { outline: 2px solid"
            " var(--md-accent-fg-color, #ff6e42); outline-offset: 2px; }",
            ".glossary-body ul { list-style: none; margin-left: 0; padding-left: 0; }",
            *rules,
            "</style>",
        ]
    )
    controls = ['<input type="radio" name="glossary-tag" id="glossary-tag-all" checked>']
    controls.append(f'<label for="glossary-tag-all">All ({len(ordered)})</label>')
    for tag in used:
        count = sum(tag in t.tags for t in ordered)
        controls.append(f'<input type="radio" name="glossary-tag" id="glossary-tag-{tag}">')
        controls.append(
            f'<label for="glossary-tag-{tag}">{html.escape(TAGS[tag])} ({count})</label>'
        )
    special = {GREEK[0]: GREEK, OTHER[0]: OTHER}

    def anchor_of(key: str) -> str:
        return special[key][1] if key in special else f"glossary-{key.lower()}"

    jump = " ".join(
        f'<a href="#{anchor_of(k)}"'
        + (f' title="{special[k][2]}">{special[k][3]}' if k in special else f">{k}")
        + "</a>"
        for k in letters
    )
    sections = []
    for key, group in letters.items():
        anchor = anchor_of(key)
        heading = special[key][2] if key in special else key
        items = []
        for t in group:
            href = html.escape(term_href(t.id, directory_urls=directory_urls))
            items.append(
                f'<li data-tags="{" ".join(t.tags)}"><a href="{href}" '
                f'title="{html.escape(t.short)}"><strong>{inline(t.term)}</strong></a>'
                f" — {inline(t.short)}</li>"
            )
        sections.append(
            f'<section id="{anchor}">\n<h2>{heading}</h2>\n<ul>\n'
            + "\n".join(items)
            + "\n</ul>\n</section>"
        )
    body = "\n".join(
        [
            '<div class="glossary-index">',
            style,
            "\n".join(controls),
            f'<nav class="glossary-letters" aria-label="Jump to a letter">{jump}</nav>',
            '<div class="glossary-body">',
            *sections,
            "</div>",
            "</div>",
        ]
    )
    intro = (
        "The words of learning-rate annealing, from *anneal* to *warmup-stable-decay*: each "
        "entry has a definition, a plain-language explanation and full references, and the "
        "schedules come with a plot drawn from the library. Pick a tag to filter the list. "
        "The first mention of a term on any page of this site links to its entry (click or "
        "tap it; hovering shows the one-line definition). "
        'From Python: `annealing.glossary.define("warm restart")`; from the '
        'shell: `annealing define "warm restart"`.'
    )
    return f"# Glossary\n\n{intro}\n\n{body}\n"


def pages(
    terms: Iterable[Term],
    *,
    directory_urls: bool = True,
    titles: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Every glossary page, keyed by its path under `SITE_DIR` (``index.md``, ``<id>.md``).

    `titles` maps the site paths the terms link to (``how-to/keras.md``) to their titles.
    """
    all_terms = tuple(terms)
    by_id = {t.id: t for t in all_terms}
    out = {"index.md": index_page(all_terms, directory_urls=directory_urls)}
    for term in all_terms:
        out[f"{term.id}.md"] = term_page(term, by_id, titles)
    return out
