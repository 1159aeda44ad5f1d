"""The tutorial notebooks: paired, in sync, stripped, and shaped like a lesson.

Running them is nbmake's job (``pytest --nbmake notebooks``); these tests check what a run
cannot: that every ``notebooks/NN-name.py`` (jupytext ``py:percent``, the readable source)
has its ``.ipynb`` twin with the same cells, that no output is committed, that each opens
with what you will learn and ends with exercises, that plots label their axes, and that
glossary links point at terms that exist.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from support import ROOT, require

from annealing import glossary

NOTEBOOKS = ROOT / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.py"))
IPYNBS = sorted(NOTEBOOKS.glob("*.ipynb"))
GLOSSARY_LINK = re.compile(r"\]\((?:\.\./)+reference/glossary/([a-z0-9-]+)/\)")
FIGURE = re.compile(r"plt\.subplots\(|\ban\.plot\(|plt\.figure\(")


def cells(notebook: Path) -> list[dict[str, Any]]:
    return list(json.loads(notebook.read_text(encoding="utf-8"))["cells"])


def text(cell: dict[str, Any]) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def test_there_are_at_least_six_tutorials() -> None:
    assert len(SOURCES) >= 6, [p.name for p in SOURCES]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_each_source_has_its_notebook(source: Path) -> None:
    assert source.with_suffix(".ipynb").exists(), f"run: jupytext --to ipynb {source}"


@pytest.mark.parametrize("notebook", IPYNBS, ids=lambda p: p.name)
def test_each_notebook_has_its_source(notebook: Path) -> None:
    assert notebook.with_suffix(".py").exists(), f"run: jupytext --to py:percent {notebook}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_source_and_notebook_have_the_same_cells(source: Path) -> None:
    jupytext = require("jupytext")
    expected = [
        (cell.cell_type, cell.source.strip())
        for cell in jupytext.read(source, fmt="py:percent").cells
    ]
    actual = [
        (cell["cell_type"], text(cell).strip()) for cell in cells(source.with_suffix(".ipynb"))
    ]
    assert actual == expected, f"out of sync; run: jupytext --sync {source}"


@pytest.mark.parametrize("notebook", IPYNBS, ids=lambda p: p.name)
def test_outputs_are_stripped(notebook: Path) -> None:
    for i, cell in enumerate(cells(notebook)):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"cell {i} has outputs"
            assert cell.get("execution_count") is None, f"cell {i} has an execution count"


@pytest.mark.parametrize("notebook", IPYNBS, ids=lambda p: p.name)
def test_opens_with_a_title_and_what_you_will_learn(notebook: Path) -> None:
    first = cells(notebook)[0]
    assert first["cell_type"] == "markdown"
    assert text(first).startswith("# "), "the first cell starts with the title (# ...)"
    assert "**What you will learn**" in text(first)


@pytest.mark.parametrize("notebook", IPYNBS, ids=lambda p: p.name)
def test_ends_with_exercises(notebook: Path) -> None:
    last = cells(notebook)[-1]
    assert last["cell_type"] == "markdown"
    body = text(last)
    assert "## Exercises" in body
    exercises = re.findall(r"^\d+\. ", body.split("## Exercises", 1)[1], flags=re.MULTILINE)
    assert len(exercises) >= 3, "at least three numbered exercises"


@pytest.mark.parametrize("notebook", IPYNBS, ids=lambda p: p.name)
def test_every_figure_cell_labels_its_axes(notebook: Path) -> None:
    code = [text(c) for c in cells(notebook) if c["cell_type"] == "code"]
    # functions of the notebook that label both axes, such as a draw_tour(ax, ...) helper
    labellers = [
        match.group(1)
        for match in re.finditer(r"^def (\w+)\(.*?(?=^\S|\Z)", "\n".join(code), re.M | re.S)
        if "set_xlabel(" in match.group(0) and "set_ylabel(" in match.group(0)
    ]
    for i, cell in enumerate(code):
        if FIGURE.search(cell) and not any(f"{name}(" in cell for name in labellers):
            assert "set_xlabel(" in cell, f"code cell {i} draws without an x label"
            assert "set_ylabel(" in cell, f"code cell {i} draws without a y label"


@pytest.mark.parametrize("notebook", IPYNBS, ids=lambda p: p.name)
def test_glossary_links_point_at_existing_terms(notebook: Path) -> None:
    known = {term.id for term in glossary.terms()}
    markdown = "\n".join(text(c) for c in cells(notebook) if c["cell_type"] == "markdown")
    linked = GLOSSARY_LINK.findall(markdown)
    assert linked, "link at least one glossary term"
    assert set(linked) <= known, sorted(set(linked) - known)
    # the notebook is rendered at tutorials/<name>/, two levels below the site root
    assert "](../reference/glossary/" not in markdown
    assert "](reference/glossary/" not in markdown


@pytest.mark.parametrize("notebook", IPYNBS, ids=lambda p: p.name)
def test_no_downloads_and_python3_kernel(notebook: Path) -> None:
    data = json.loads(notebook.read_text(encoding="utf-8"))
    assert data["metadata"]["kernelspec"]["name"] == "python3"
    code = "\n".join(text(c) for c in data["cells"] if c["cell_type"] == "code")
    for word in ("fetch_", "urllib", "requests", "urlopen", "download("):
        assert word not in code, f"{notebook.name} must not download ({word})"
