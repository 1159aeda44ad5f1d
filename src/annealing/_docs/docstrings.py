"""Docstring text made ready for Markdown: bare doctests as code, reST math as TeX.

The docstrings follow NumPy style, written for Sphinx as much as for mkdocstrings. Two
reStructuredText habits would otherwise reach the page as raw text:

- ``:math:`x``` roles and ``.. math::`` directives become ``$x$`` and ``$$ ... $$``, which
  the site's math extension (arithmatex) and KaTeX render;
- cross-reference roles such as ``:class:`Tanh``` become inline code;
- bare doctest blocks (below) become code.

NumPy-style docstrings show doctests as code only inside an ``Examples`` section; a bare
``>>>`` block elsewhere (a module docstring, a short function docstring) would be read as
Markdown, and its output lines (``[1.0, 0.5]``) as broken cross-references. This wraps such
blocks in a ``pycon`` fence, leaving ``Examples`` sections and existing fences alone.

>>> fence_doctests("Text.\\n\\n>>> f(1)\\n[1.0, 0.5]\\n\\nMore.").splitlines()
['Text.', '', '```pycon', '>>> f(1)', '[1.0, 0.5]', '```', '', 'More.']
"""

from __future__ import annotations

import re

_ROLE = re.compile(r":math:`([^`]+)`")
_XREF = re.compile(r":(?:py:)?(?:class|func|meth|mod|attr|obj|exc|data|const):`~?([^`]+)`")
_DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\.\. math::[ \t]*(?P<rest>.*)$")


def prepare(text: str) -> str:
    """All conversions, in the order the page needs them.

    >>> prepare("See :class:`Tanh` and :func:`~annealing.plot`.")
    'See `Tanh` and `annealing.plot`.'
    """
    return fence_doctests(rst_math(_XREF.sub(lambda m: f"`{m.group(1)}`", text)))


def rst_math(text: str) -> str:
    r"""Turn reST math roles and directives into ``$...$`` and ``$$...$$``.

    >>> rst_math(r"The rate :math:`\eta_t` is")
    'The rate $\\eta_t$ is'
    >>> rst_math(".. math:: a + b\n\nText").splitlines()
    ['$$', 'a + b', '$$', '', 'Text']
    >>> rst_math(".. math::\n\n    a = b\n    + c\n\nText").splitlines()
    ['$$', 'a = b', '+ c', '$$', '', 'Text']
    """
    lines = _ROLE.sub(lambda m: f"${m.group(1)}$", text).splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = _DIRECTIVE.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        indent = match.group("indent")
        body = [match.group("rest")] if match.group("rest").strip() else []
        i += 1
        block: list[str] = []
        while i < len(lines) and (
            not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > len(indent)
        ):
            block.append(lines[i])
            i += 1
        while block and not block[-1].strip():
            block.pop()
            i -= 1
        content = [line.strip() for line in body + block if line.strip()]
        out += [f"{indent}$$", *(f"{indent}{line}" for line in content), f"{indent}$$"]
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def fence_doctests(text: str) -> str:
    """Wrap each ``>>>`` block outside an ``Examples`` section and outside fences."""
    lines = text.splitlines()
    out: list[str] = []
    in_fence = False
    in_examples = False
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        elif i + 1 < len(lines) and re.fullmatch(r"-{3,}", lines[i + 1].strip()) and stripped:
            in_examples = stripped == "Examples"
        if not in_fence and not in_examples and stripped.startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            block: list[str] = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i])
                i += 1
            out += [f"{indent}```pycon", *block, f"{indent}```"]
            continue
        out.append(line)
        i += 1
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")
