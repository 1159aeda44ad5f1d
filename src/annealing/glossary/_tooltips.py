"""Glossary auto-links: link the first mention of each glossary term in a page's HTML.

The rules (issue 15, item 7):

- **First mention only.** The first mention of a term on a page becomes a link to the
  term's page; later mentions stay plain text, and so do all mentions on a page that
  already links the term's page itself (a term page's "See also"). A link is a real
  link, so a tap on a touch screen opens the term's page, whose first screen is the
  definition; its ``title`` (the one-line definition, shown on hover) is also its
  accessible description
  (``aria-describedby`` points at a hidden copy appended to the page).
- **Never inside** code, preformatted blocks, headings, links, abbreviations, math,
  scripts, styles, form controls, quotations (``blockquote``, ``q``, ``cite``, and text
  between quotation marks “…” or "…", which is someone's words, not ours), or a term's
  own page.
- **Whole terms only.** A match must not touch a letter, digit, hyphen or a dot followed
  by a letter (``annealing.Cosine``); the longest name wins (``cosine annealing`` before
  ``cosine``). Names that are also ordinary words never auto-link: single words that
  are aliases, and the names a term lists in ``lookup_only`` ("one cycle", and the
  library's own name "annealing").
- **Casing.** Acronyms and names with a capital letter inside (``SGDR``, ``T_max``,
  ``AdamW``, ``Boltzmann distribution``) match exactly as written; in lower-case names
  only the first letter of a word may be a capital ("Warm restarts", not "WARM RESTARTS"),
  except that a capitalised word that is the name of one of the library's classes
  ("Cosine", "Warmup") is the class, not the term (unless the term is written so:
  "SGDR"). An ``s`` or ``es`` plural ending is allowed.

The HTML is scanned with a small tokenizer and only text between tags is rewritten, so
the rest of the document is returned byte for byte.
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
        "blockquote",
        "button",
        "cite",
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
        "q",
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
        # a term page's one-line definition and aliases: its "See also" has the links
        "glossary-short",
        "glossary-meta",
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
#: Block elements: a quotation mark left open does not run past one.
_BLOCKS = frozenset(
    {
        "p",
        "li",
        "dd",
        "dt",
        "td",
        "th",
        "div",
        "section",
        "article",
        "table",
        "tr",
        "ul",
        "ol",
        "dl",
        "figure",
        "figcaption",
        "details",
        "summary",
        "main",
        "body",
    }
)
#: Quotation marks, literal or as entities: (opening, closing, toggling).
_QUOTE = re.compile(r"“|”|&ldquo;|&rdquo;|&#8220;|&#8221;|\"|&quot;|&#34;")
_OPENING = frozenset({"“", "&ldquo;", "&#8220;"})
_CLOSING = frozenset({"”", "&rdquo;", "&#8221;"})


def tooltip_names(term: Term) -> tuple[str, ...]:
    """The phrases that trigger a tooltip for `term`.

    The term itself does, unless it is in ``lookup_only``. Of the other aliases, only
    those unlikely to be ordinary words do: phrases of several words, acronyms
    (``SGDR``, ``WSD``) and symbols with an underscore or a non-ASCII letter
    (``T_max``, ``η_min``). Single words such as "restart" or class names such as
    "Linear" stay lookup-only.

    >>> from annealing.glossary import define
    >>> tooltip_names(define("warm restart"))
    ('warm restart', 'learning-rate restart')
    >>> tooltip_names(define("one-cycle policy"))
    ('one-cycle policy', 'one-cycle schedule')
    """
    out = [] if term.term in term.lookup_only else [term.term]
    for alias in term.aliases:
        if alias in term.lookup_only:
            continue
        if len(alias) < 2:
            continue
        several = bool(re.search(r"[\s-]", alias))
        symbol = "_" in alias or (not alias.isascii() and len(alias) > 2)
        if several or symbol or _ACRONYM.match(alias):
            out.append(alias)
    return tuple(dict.fromkeys(out))


def _word_pattern(word: str) -> str:
    if word[:1].islower() and word[1:] == word[1:].lower():
        return f"[{re.escape(word[0])}{re.escape(word[0].upper())}]{re.escape(word[1:])}"
    return re.escape(word)  # a capital inside, or a symbol: exactly as written


def _phrase_pattern(name: str) -> str:
    """The regular expression of one name (casing rules in the module docstring).

    >>> bool(re.fullmatch(_phrase_pattern("warm restart"), "Warm  restart"))
    True
    >>> bool(re.fullmatch(_phrase_pattern("warm restart"), "WARM RESTART"))
    False
    """
    words = [_word_pattern(w) for w in re.split(r"[\s-]+", name) if w]
    return r"[\s-]+".join(words)


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
    >>> out.count("glossary-link"), out.count("SGDR!")
    (2, 1)
    """

    def __init__(self, terms: Iterable[Term], class_names: Iterable[str] | None = None) -> None:
        if class_names is None:
            import annealing  # deferred: the glossary must stay cheap to import

            class_names = (n for n in annealing.__all__ if n[:1].isupper())
        self._classes = frozenset(class_names)
        self._by_name: dict[str, Term] = {}
        for term in terms:
            for name in tooltip_names(term):
                self._by_name.setdefault(normalize(name), term)
        names = sorted({n for t in self._by_name.values() for n in tooltip_names(t)}, key=len)
        alternatives = "|".join(_phrase_pattern(n) for n in reversed(names))
        # An optional plural ending: "epochs", "warm restarts".
        self._pattern = re.compile(
            rf"(?<![\w.-])(?<!\w\.)(?:{alternatives})(?:e?s)?(?![\w-])(?!\.\w)"
        )

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
        seen: dict[str, Term] = {}
        linked = set(re.findall(r"""<a\s[^>]*?href\s*=\s*["']([^"'#]+)""", page))
        out: list[str] = []
        stack: list[tuple[str, bool]] = []
        pos = 0
        quoted = False

        def plain(part: str) -> str:
            return self._pattern.sub(
                lambda m: self._wrap(m.group(0), href, current, seen, linked), part
            )

        def text(chunk: str) -> str:
            nonlocal quoted
            skipping = stack[-1][1] if stack else False
            if skipping or not chunk.strip():
                return chunk
            pieces: list[str] = []
            start = 0
            for mark in _QUOTE.finditer(chunk):
                piece = chunk[start : mark.start()]
                pieces.append(piece if quoted else plain(piece))
                pieces.append(mark.group(0))
                token = mark.group(0)
                quoted = True if token in _OPENING else False if token in _CLOSING else not quoted
                start = mark.end()
            rest = chunk[start:]
            pieces.append(rest if quoted else plain(rest))
            return "".join(pieces)

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
            if name in _BLOCKS:
                quoted = False
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
        if seen:
            spans = "".join(
                f'<span id="glossary-def-{t.id}">{html.escape(t.short, quote=False)}</span>'
                for t in seen.values()
            )
            out.append(f'\n<div class="glossary-definitions" hidden>{spans}</div>\n')
        return "".join(out)

    def _wrap(
        self,
        text: str,
        href: Callable[[str], str],
        current: str | None,
        seen: dict[str, Term],
        linked: set[str],
    ) -> str:
        key = normalize(text)
        term = self._by_name.get(key) or self._by_name.get(key[:-1]) or self._by_name.get(key[:-2])
        if term is None or term.id == current or term.id in seen:
            return text
        if text in self._classes and text not in tooltip_names(term):  # "Cosine", not "SGDR"
            return text
        target = href(term.id)
        if target in linked or html.escape(target, quote=True) in linked:
            return text
        seen[term.id] = term
        title = html.escape(term.short, quote=True)
        url = html.escape(target, quote=True)
        return (
            f'<a class="glossary-link" href="{url}" title="{title}" '
            f'aria-describedby="glossary-def-{term.id}">{text}</a>'
        )
