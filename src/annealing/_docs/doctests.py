"""Render bare doctest blocks in docstrings as code.

NumPy-style docstrings show doctests as code only inside an ``Examples`` section; a bare
``>>>`` block elsewhere (a module docstring, a short function docstring) would be read as
Markdown, and its output lines (``[1.0, 0.5]``) as broken cross-references. This wraps such
blocks in a ``pycon`` fence, leaving ``Examples`` sections and existing fences alone.

>>> fence_doctests("Text.\\n\\n>>> f(1)\\n[1.0, 0.5]\\n\\nMore.").splitlines()
['Text.', '', '```pycon', '>>> f(1)', '[1.0, 0.5]', '```', '', 'More.']
"""

from __future__ import annotations

import re

_SECTION = re.compile(r"^([A-Z][A-Za-z ]+)\n-{3,}\s*$", re.MULTILINE)


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
