"""Glossary tooltips: wrap mentions of glossary terms in a page's HTML.

The first mention of a term on a page becomes a link to the term's page with the short
definition as its ``title``; later mentions become ``<abbr title=...>``. Text inside
code, preformatted blocks, headings, links, existing abbreviations, math, scripts and
styles is left alone. The HTML is scanned with a small tokenizer and only text between
tags is rewritten, so the rest of the document is returned byte for byte.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

from ._model import Term
from ._schema import normalize

#: Elements whose text never gets a tooltip.
SKIP_TAGS = frozenset(
    {
        "a",
        "abbr",
        "button",
        "code",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "kbd",
        "label",
        "math",
        "option",
        "pre",
        "samp",
        "script",
        "select",
        "style",
        "svg",
        "textarea",
        "title",
        "var",
    }
)
#: Elements with one of these classes are skipped too (math, the glossary's own lists).
SKIP_CLASSES = frozenset(
    {
        "arithmatex",
        "katex",
        "MathJax",
        "highlight",
        "headerlink",
        "glossary-skip",
        "glossary-index",
        "glossary-references",
        # notebook pages (mkdocs-jupyter): code, outputs and the copy-to-clipboard text
        "clipboard-copy-txt",
        "highlight-ipynb",
        "jp-InputArea",
        "jp-OutputArea",
        "mermaid",
    }
)
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
_RAW_TEXT = frozenset({"script", "style", "textarea", "title"})
_TOKEN = re.compile(
    r"<!--.*?-->|<![^>]*>|<\?[^>]*>"
    r"|<(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9:-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.DOTALL,
)
_CLASS = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_ACRONYM = re.compile(r"^[A-Z0-9]*[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*$")


def tooltip_names(term: Term) -> tuple[str, ...]:
    """The phrases that trigger a tooltip for `term`.

    The term itself always does. Of the aliases, only those unlikely to be ordinary
    words do: phrases of several words, acronyms (``SGDR``, ``WSD``) and symbols with an
    underscore or a non-ASCII letter (``T_max``, ``η_min``). Single words such as
    "restart" or class names such as "Linear" stay lookup-only.

    >>> from annealing.glossary import define
    >>> tooltip_names(define("warm restart"))
    ('warm restart', 'learning-rate restart')
    """
    out = [term.term]
    for alias in term.aliases:
        if len(alias) < 2:
            continue
        several = bool(re.search(r"[\s-]", alias))
        symbol = "_" in alias or (not alias.isascii() and len(alias) > 2)
        if several or symbol or _ACRONYM.match(alias):
            out.append(alias)
    return tuple(dict.fromkeys(out))


def _phrase_pattern(name: str) -> str:
    words = [re.escape(w) for w in re.split(r"[\s-]+", name) if w]
    body = r"[\s-]+".join(words)
    return body if _ACRONYM.match(name) else f"(?i:{body})"


class Linker:
    """Adds glossary tooltips to HTML pages; build it once per site build.

    Parameters
    ----------
    terms : iterable of Term
        The glossary entries whose mentions are wrapped.

    Examples
    --------
    >>> from annealing.glossary import terms
    >>> linker = Linker(terms())
    >>> out = linker.link("<p>SGDR uses warm restarts. SGDR!</p>", lambda i: f"/g/{i}/")
    >>> '<a class="glossary-link" href="/g/sgdr/"' in out
    True
    >>> out.count('<abbr class="glossary-term"')
    1
    """

    def __init__(self, terms: Iterable[Term]) -> None:
        self._by_name: dict[str, Term] = {}
        for term in terms:
            for name in tooltip_names(term):
                self._by_name.setdefault(normalize(name), term)
        names = sorted({n for t in self._by_name.values() for n in tooltip_names(t)}, key=len)
        alternatives = "|".join(_phrase_pattern(n) for n in reversed(names))
        # An optional plural ending: "epochs", "warm restarts".
        self._pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?:e?s)?(?![\w-])")

    def link(self, page: str, href: Callable[[str], str], *, current: str | None = None) -> str:
        """Return `page` with glossary mentions wrapped.

        Parameters
        ----------
        page : str
            HTML (a page body or a whole document).
        href : callable
            Maps a term id to the URL of its page, relative to this page.
        current : str, optional
            Id of the term whose own page this is; its mentions are not wrapped.
        """
        seen: set[str] = set()
        out: list[str] = []
        stack: list[tuple[str, bool]] = []
        pos = 0

        def text(chunk: str) -> str:
            skipping = stack[-1][1] if stack else False
            if skipping or not chunk.strip():
                return chunk
            return self._pattern.sub(lambda m: self._wrap(m.group(0), href, current, seen), chunk)

        while pos < len(page):
            match = _TOKEN.search(page, pos)
            if match is None:
                out.append(text(page[pos:]))
                break
            out.append(text(page[pos : match.start()]))
            out.append(match.group(0))
            pos = match.end()
            name = (match.group("name") or "").lower()
            if not name:
                continue  # comment, doctype or processing instruction
            if match.group("close"):
                for depth in range(len(stack) - 1, -1, -1):
                    if stack[depth][0] == name:
                        del stack[depth:]
                        break
                continue
            attrs = match.group("attrs") or ""
            if name in _RAW_TEXT:
                end = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(page, pos)
                stop = end.start() if end else len(page)
                out.append(page[pos:stop])
                pos = stop
                stack.append((name, True))
                continue
            if name in _VOID or attrs.rstrip().endswith("/"):
                continue
            found = _CLASS.search(attrs)
            classes = set("".join(found.groups("")).split()) if found else set()
            parent = stack[-1][1] if stack else False
            stack.append((name, parent or name in SKIP_TAGS or bool(classes & SKIP_CLASSES)))
        return "".join(out)

    def _wrap(
        self, text: str, href: Callable[[str], str], current: str | None, seen: set[str]
    ) -> str:
        key = normalize(text)
        term = self._by_name.get(key) or self._by_name.get(key[:-1]) or self._by_name.get(key[:-2])
        if term is None or term.id == current:
            return text
        title = html.escape(term.short, quote=True)
        if term.id in seen:
            return f'<abbr class="glossary-term" title="{title}">{text}</abbr>'
        seen.add(term.id)
        url = html.escape(href(term.id), quote=True)
        return f'<a class="glossary-link" href="{url}" title="{title}">{text}</a>'
