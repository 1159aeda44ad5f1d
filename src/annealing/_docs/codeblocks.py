"""Find the ```python code blocks of a Markdown page, so the test suite can execute them.

Blocks may be indented (inside content tabs or admonitions); the fence's indentation is
removed. A block is opted out of execution by an HTML comment on the line just before its
fence, which must give a reason::

    <!-- docs-test: skip needs a GPU -->
    ```python
    ...
    ```

>>> page = "Text\\n\\n```python\\nx = 1\\n```\\n\\n=== \\"Tab\\"\\n\\n"
>>> page += "    ```python\\n    y = x + 1\\n    ```\\n"
>>> [(b.line, b.code) for b in python_blocks(page)]
[(3, 'x = 1\\n'), (9, 'y = x + 1\\n')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^\n`]*)$")
SKIP = re.compile(r"<!--\s*docs-test:\s*skip\s+(?P<reason>.+?)\s*-->")
PYTHON_INFOS = {"python", "py", "python3"}


@dataclass(frozen=True)
class CodeBlock:
    """A fenced code block: 1-based line of its opening fence, source, and opt-out reason."""

    line: int
    code: str
    skip: str | None = None


def python_blocks(markdown: str) -> list[CodeBlock]:
    """The Python code blocks of a Markdown text, in order."""
    lines = markdown.splitlines()
    blocks: list[CodeBlock] = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence = match.group("indent"), match.group("fence")
        info = match.group("info").strip()
        language = info.lstrip("{").lstrip(".").split()[0].rstrip("}") if info else ""
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not (
            lines[j].strip().startswith(fence[0] * len(fence))
            and lines[j].strip().strip(fence[0]) == ""
        ):
            line = lines[j]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            j += 1
        if language in PYTHON_INFOS:
            previous = lines[i - 1].strip() if i > 0 else ""
            skip = SKIP.search(previous)
            code = "\n".join(body) + "\n"
            blocks.append(CodeBlock(i + 1, code, skip.group("reason") if skip else None))
        i = j + 1
    return blocks
