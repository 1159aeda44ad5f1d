"""The explorer's "annealing" code tab (what its Copy button copies) is read by annealing.parse.

The expression the explorer writes (docs/javascripts/annealing/explorer.js, ``pythonExpression``)
must be text of the schedule grammar, so that it can be pasted into ``annealing show`` as well as
into Python. Uses the page and browser fixtures of test_explorer.py (real Chromium).
"""

from __future__ import annotations

import random
import re
from typing import Any

from test_explorer import _explorer, page, sample_pairs, server  # noqa: F401 (fixtures)

import annealing as an
from annealing.cli import main


def _expression(code: str) -> str:
    """The schedule in the tab's code: ``lr = <expression>`` up to the ``print`` line."""
    found = re.search(r"^lr = (.*?)\nprint\(", code, re.S | re.M)
    assert found is not None, code
    return found.group(1)


def test_every_sampled_configuration_is_written_as_grammar_text(page: Any) -> None:  # noqa: F811
    configs = [case["config"] for case in sample_pairs(random.Random(11), configs=80)]
    texts = page.evaluate("cs => cs.map(window.annealing.pythonExpression)", configs)
    seen = set()
    for config, text in zip(configs, texts, strict=True):
        assert an.parse(text) == an.from_dict(config), text
        seen |= {t for t in re.findall(r"an\.(\w+)\(", text)}
    assert len(seen) >= 15, seen


def test_the_code_tab_of_every_family_parses_and_runs_in_the_cli(page: Any, capsys: Any) -> None:  # noqa: F811
    explorer = _explorer(page)
    family = explorer.get_by_label("Family")
    options = family.locator("option").evaluate_all("os => os.map(o => o.value)")
    assert len(options) >= 10
    for value in options:
        family.select_option(value)
        code = explorer.locator('[role="tabpanel"]:not([hidden]) code').first.inner_text()
        config = page.evaluate(
            "() => { const e = window.annealing.explorers[0];"
            " return window.annealing.curveConfig(e.state.curves[e.state.active]); }"
        )
        text = _expression(code)
        assert an.parse(text) == an.from_dict(config), (value, text)
        assert main(["show", text, "--spark"]) == 0, text  # pasted into the command line
    capsys.readouterr()
