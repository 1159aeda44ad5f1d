"""API reference pages: one page per public name and per public extension module.

Every name in ``annealing.__all__`` gets ``reference/api/<name>.md``. A public module that
``annealing/__init__.py`` does not import (the framework adapters, compat shims, the
glossary, simulated annealing, the command line) gets ``reference/api/<dotted.name>.md``:
those are imported on demand and their names are not re-exported, so nothing is
documented twice. Modules are discovered from the source tree without importing them, so
an adapter whose framework is missing still gets its page (mkdocstrings reads source).
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from annealing._docs import docstrings

API_DIR = "reference/api"


def package_dir() -> Path:
    """The directory of the installed :mod:`annealing` package."""
    import annealing

    return Path(annealing.__file__).parent


def _imported_by_init(root: Path) -> set[str]:
    """Dotted names of the submodules that ``annealing/__init__.py`` imports."""
    tree = ast.parse((root / "__init__.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(f"annealing.{node.module}")
            elif node.level == 1:
                found.update(f"annealing.{alias.name}" for alias in node.names)
            elif node.module and node.module.startswith("annealing."):
                found.add(node.module)
    return found


def extension_modules(root: Path | None = None) -> list[str]:
    """Public modules not imported by ``annealing/__init__.py``, sorted by dotted name."""
    root = package_dir() if root is None else root
    core = _imported_by_init(root)
    modules: list[str] = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not parts or any(part.startswith("_") for part in parts):
            continue
        packages = [root.joinpath(*parts[:i]) for i in range(1, len(parts))]
        if any(not (p / "__init__.py").exists() for p in packages):
            continue  # not importable as a regular package (yet)
        dotted = ".".join(("annealing", *parts))
        if dotted in core or any(dotted.startswith(c + ".") for c in core):
            continue
        modules.append(dotted)
    return modules


def module_summary(dotted: str, root: Path | None = None) -> str:
    """First line of a module's docstring, read from source without importing it."""
    root = package_dir() if root is None else root
    relative = Path(*dotted.split(".")[1:])
    path = root / relative / "__init__.py"
    if not path.exists():
        path = (root / relative).with_suffix(".py")
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return summary_cell(doc)


def name_summary(name: str) -> str:
    """First line of the docstring of ``annealing.<name>``."""
    import annealing

    doc = inspect.getdoc(getattr(annealing, name)) or ""
    return summary_cell(doc)


def summary_cell(doc: str) -> str:
    r"""A docstring's summary as one Markdown table cell: its first paragraph, reST made Markdown.

    The summary may run over several lines and hold reST math, which would otherwise reach
    the page cut after the first line or as raw ``:math:`` text.

    >>> summary_cell("Inverse square-root decay: :math:`\\eta_t = \\eta_0`.\n\nMore.")
    'Inverse square-root decay: $\\eta_t = \\eta_0$.'
    >>> summary_cell("A or B: :math:`|x|`\nover two lines.")
    'A or B: $\\|x\\|$ over two lines.'
    """
    paragraph = doc.strip().split("\n\n", 1)[0]
    text = " ".join(line.strip() for line in paragraph.splitlines())
    return docstrings.prepare(text).strip().replace("|", "\\|")


def _page(identifier: str, title: str) -> str:
    return (
        f"---\ntitle: {title}\n---\n\n"
        f"::: {identifier}\n"
        "    options:\n"
        "      show_root_heading: true\n"
        "      heading_level: 1\n"
    )


def api_pages() -> dict[str, str]:
    """Map each generated page's path (relative to ``docs/``) to its Markdown."""
    import annealing

    pages: dict[str, str] = {}
    rows = ["| Name | Summary |", "|---|---|"]
    for name in annealing.__all__:
        pages[f"{API_DIR}/{name}.md"] = _page(f"annealing.{name}", name)
        rows.append(f"| [`{name}`]({name}.md) | {name_summary(name)} |")
    module_rows = ["| Module | Summary |", "|---|---|"]
    modules = extension_modules()
    for dotted in modules:
        pages[f"{API_DIR}/{dotted}.md"] = _page(dotted, dotted)
        module_rows.append(f"| [`{dotted}`]({dotted}.md) | {module_summary(dotted)} |")
    index = [
        "# API reference",
        "",
        "Every public name of the package, generated from the docstrings by mkdocstrings.",
        "`import annealing` gives you the names in the first table; it never imports a",
        "deep-learning framework or matplotlib.",
        "",
        "## `annealing`",
        "",
        *rows,
    ]
    if modules:
        index += [
            "",
            "## Modules imported on demand",
            "",
            "These modules are not imported by `import annealing`: import them by name.",
            "",
            *module_rows,
        ]
    index += ["", "Next: the [schedule catalogue](../schedules/index.md), each family with a plot."]
    pages[f"{API_DIR}/index.md"] = "\n".join(index) + "\n"
    return pages
