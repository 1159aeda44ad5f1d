"""The ``annealing define`` subcommand: look up glossary terms from the shell.

Plugged into ``annealing.cli`` through `register`. Importing this module is cheap: the
glossary data is read only when the command runs.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import textwrap
from typing import Any

from ..cli import can_show, say

EXAMPLES = """\
examples:
  annealing define "cosine annealing"
  annealing define warm restarts        (words are joined; case and plurals do not matter)
  annealing define SGDR --json
  annealing define --list
  annealing define --list --tag schedule
"""


def register(subparsers: Any) -> None:
    """Add the ``define`` subcommand to the ``annealing`` command's sub-parsers."""
    parser = subparsers.add_parser(
        "define",
        help="look up a term in the glossary",
        description="Print a glossary entry: definition, formula, plain-language "
        "explanation, origin, etymology, FAQ, related terms and references.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("term", nargs="*", help="the term, an alias or its id (any case)")
    parser.add_argument("--list", action="store_true", help="list every term, A–Z")
    parser.add_argument("--tag", help="with --list: only terms with this tag")
    parser.add_argument("--json", action="store_true", help="print the entry as JSON")
    parser.add_argument(
        "--width",
        type=_width,
        default=None,
        help=f"wrap text at this many columns, {WIDTHS[0]} to {WIDTHS[1]} (default: terminal)",
    )
    parser.set_defaults(func=run)


WIDTHS = (20, 1000)


def _width(text: str) -> int:
    """--width: a whole number of columns in WIDTHS (argparse names the option on error)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not WIDTHS[0] <= value <= WIDTHS[1]:
        raise argparse.ArgumentTypeError(
            f"must be an integer between {WIDTHS[0]} and {WIDTHS[1]}, got {text[:40]}"
        )
    return value


def _code(text: str) -> str:
    return re.sub(r"`([^`\n]+)`", r"\1", text)


def _wrap(text: str, width: int, indent: str = "  ") -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        lines += textwrap.wrap(
            _code(paragraph),
            width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,  # keep URLs whole
            break_on_hyphens=False,
        ) or [indent]
    return lines


def format_term(term: Any, width: int = 79) -> str:
    """The terminal rendering of a term: every section it has, in the fixed order.

    >>> from annealing.glossary import define
    >>> print(format_term(define("T_mult"), width=60).splitlines()[0])
    T_mult
    """
    from . import SECTION_TITLES, SECTIONS, TAGS

    by_id = {t.id: t for t in _all_terms()}
    sources = {s: n for n, s in enumerate(term.sources(), start=1)}
    out = [term.term, "=" * len(term.term)]
    if term.aliases:
        out += textwrap.wrap("Also: " + ", ".join(term.aliases), width)
    out.append("Tags: " + ", ".join(TAGS[t] for t in term.tags))
    out += ["", *_wrap(term.short, width, "")]

    def cite(source: Any, where: str) -> str:
        return f" [{sources[source]}{', ' + where if where else ''}]"

    for name in SECTIONS:
        if not term.has(name):
            continue
        body: list[str] = []
        if name == "formula":
            body = _wrap(term.formula.text, width)
        elif name == "schedule":
            body = _wrap(f"annealing.{term.make_schedule()!r}", width)
        elif name == "collocations":
            body = [f"  - {_code(c)}" for c in term.collocations]
        elif name in ("examples", "did_you_know"):
            for c in getattr(term, name):
                body += _wrap(f"- {c.text}{cite(c.source, c.where)}", width)
        elif name == "faq":
            for q in term.faq:
                body += [*_wrap(f"Q: {q.question}", width)]
                body += [*_wrap(f"A: {q.answer}{cite(q.source, q.where)}", width), ""]
            body = body[:-1]
        elif name == "related":
            body = [f"  - {by_id[i].term} ({i})" for i in term.related]
        elif name == "references":
            for source, n in sources.items():
                body += _wrap(f"[{n}] {source.citation} {source.url}", width)
        else:
            body = _wrap(str(getattr(term, name)), width)
        title = "Schedule in the library" if name == "schedule" else SECTION_TITLES[name]
        out += ["", title, "-" * len(title), *body]
    return "\n".join(out) + "\n"


def _all_terms() -> tuple[Any, ...]:
    from . import terms

    return terms()


def _as_json(term: Any) -> dict[str, Any]:
    from dataclasses import asdict

    data = asdict(term)
    data["schedule"] = dict(term.schedule) if term.schedule is not None else None
    return data


def run(args: argparse.Namespace) -> int:
    """Run ``annealing define``; returns the exit code (0 found, 1 unknown term, 2 misuse)."""
    from . import TAGS, UnknownTermError, define, terms

    terminal = shutil.get_terminal_size((80, 24)).columns - 1
    width = args.width or min(max(terminal, WIDTHS[0]), 100)
    if args.list:
        if args.term:
            print("annealing define: give a term or --list, not both", file=sys.stderr)
            return 2
        if args.tag is not None and args.tag not in TAGS:
            print(
                f"annealing define: --tag must be one of {', '.join(TAGS)}, got {args.tag!r}",
                file=sys.stderr,
            )
            return 2
        found = terms(args.tag)
        if args.json:
            _json([{"id": t.id, "term": t.term, "short": t.short} for t in found])
            return 0
        name_width = max((len(t.term) for t in found), default=0)
        for t in found:
            say(f"{t.term:<{name_width}}  {t.short}")
        return 0
    if not args.term:
        print(
            'annealing define: give a term, e.g. annealing define "warm restart", or --list',
            file=sys.stderr,
        )
        return 2
    name = " ".join(args.term)
    try:
        term = define(name)
    except UnknownTermError as error:
        print(f"annealing {error}", file=sys.stderr)
        return 1
    if args.json:
        _json(_as_json(term))
    else:
        say(format_term(term, width).rstrip("\n"))
    return 0


def _json(data: Any) -> None:
    """Print JSON: readable Unicode where the terminal has it, ``\\u`` escapes where not."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    say(text if can_show(text) else json.dumps(data, indent=1))
