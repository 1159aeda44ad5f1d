"""The explorer predicts the loss: its JavaScript loss law and bound are annealing.laws's.

``laws.js`` ports the Tissue et al. law (``Law.predict``) and the convex bound of Schaipp et
al. (``bound``); here both are run in Chromium on the rates of several schedules and compared
with Python to 1e-12 (relative), as are the curves the explorer draws. The law the site ships
(``loss-law.json``, fitted by docs/hooks/explorer.py) is checked to be a law of the library,
labelled with a model of the shipped logs. The redraw at 10^4 steps is measured and printed
(the test asserts what is drawn, not the time).

Chromium and Playwright are optional locally (skip with the reason) and required in CI.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from support import explorer_page, require

import annealing as an

RELATIVE = 1e-12
T = 10_000


@pytest.fixture(scope="module")
def shipped(built_site: Path) -> dict[str, Any]:
    path = built_site / "javascripts" / "annealing" / "loss-law.json"
    assert path.exists(), f"{path}: the site ships no loss law (docs/hooks/explorer.py)"
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def page(browser: Any, base_url: str) -> Iterator[Any]:
    with explorer_page(browser, base_url, "window.__explorer && window.__explorer.law") as p:
        yield p


def _schedules() -> list[an.Schedule]:
    return [
        an.WSD(1e-3, warmup=300, stable=7000, decay=2700, decay_shape="1-sqrt"),
        an.WSD(1e-3, warmup=300, stable=5000, decay=4700, start=1e-5, end=1e-5),
        an.Warmup(an.Cosine(1e-3, 1e-4, 9700), warmup=300, start=1e-5),
        an.Cosine(2e-3, 0.0, T),
        an.Constant(5e-4),
        an.SGDR(1e-3, 1000, 2, eta_min=1e-5),
        an.Linear(1e-3, 1e-6, T),
        an.Step(1e-3, 2500, 0.3),
    ]


def _law(shipped: dict[str, Any]) -> Any:
    laws = require("annealing.laws")
    return laws.Law.from_dict(shipped["law"])


def _close(have: list[float], want: np.ndarray, what: str) -> None:
    a = np.asarray(have, dtype=np.float64)
    error = np.max(np.abs(a - want) / np.abs(want))
    assert error <= RELATIVE, f"{what}: relative error {error:.3g}"


def test_the_shipped_law_is_a_law_of_the_library_with_its_label(shipped: dict[str, Any]) -> None:
    laws = require("annealing.laws")
    law = _law(shipped)
    assert law.law == "tissue" and shipped["decay"] == laws.law.TISSUE_DECAY
    models = {run.model.name: run.model for run in laws.logs()}
    model = models[shipped["model"]["name"]]
    assert shipped["model"]["dataset"] == model.dataset
    assert shipped["model"]["parameters"] == model.parameters
    assert [r["kind"] for r in shipped["runs"]] == ["wsd", "cosine"]


def test_javascript_law_and_bound_equal_python(page: Any, shipped: dict[str, Any]) -> None:
    laws = require("annealing.laws")
    mine = {"law": {"format": 2, "law": "tissue", "parameters": {}}, "decay": shipped["decay"]}
    mine["parameters"] = {"L0": 2.0, "A": 0.5, "alpha": 0.5, "C": 0.3}
    given = {**shipped, "parameters": shipped["law"]["parameters"]}
    steps = np.arange(1, T + 1)
    for schedule in _schedules():
        eta = np.asarray(schedule(np.arange(T + 1, dtype=np.float64)), dtype=np.float64)
        for data in (given, mine):
            law = laws.Law(
                "tissue", tuple(data["parameters"][k] for k in ("L0", "A", "alpha", "C"))
            )
            have = page.evaluate(
                "([law, eta]) => Array.from(window.annealing.laws.tissue(law, eta)).slice(1)",
                [data, eta.tolist()],
            )
            _close(have, law.predict(eta, steps), f"{schedule!r}, Tissue law")
        have_bound = page.evaluate(
            "([eta, T]) => window.annealing.laws.bound(eta, T)", [eta.tolist(), T]
        )
        if np.all(eta[:T] > 0):
            _close([have_bound], np.array([laws.bound(eta, T)]), f"{schedule!r}, bound")
        else:
            assert have_bound is None
            with pytest.raises(ValueError):
                laws.bound(eta, T)
    # a warmup from 0: a rate of 0 at step 0, which the theorem (and Python) refuses
    eta = an.Warmup(an.Cosine(1e-3, 0.0, 900), warmup=100)(np.arange(1001.0))
    assert page.evaluate("(eta) => window.annealing.laws.bound(eta, 1000)", eta.tolist()) is None
    with pytest.raises(ValueError, match="> 0"):
        laws.bound(eta, 1000)


def test_the_drawn_prediction_is_pythons_and_is_labelled(
    page: Any, shipped: dict[str, Any]
) -> None:
    laws = require("annealing.laws")
    law = _law(shipped)
    prefix = "#" + page.evaluate("() => window.__explorer.id")
    horizon = page.locator(f"{prefix}-n")
    horizon.fill(str(T))
    horizon.press("Enter")
    drawn = page.evaluate(
        "() => { const e = window.__explorer; e.drawLoss();"
        " return e.lossResults.map((r) => ({ index: r.index, bound: r.bound,"
        " loss: Array.from(r.loss).slice(1), values: e.values(r.index).values })); }"
    )
    assert len(drawn) >= 2
    for curve in drawn:
        eta = np.asarray(curve["values"], dtype=np.float64)
        assert eta.size == T + 1
        positive = np.flatnonzero(np.cumsum(eta[1:]) > 0) + 1
        have = np.asarray(curve["loss"], dtype=np.float64)[positive - 1]
        _close(list(have), law.predict(eta, positive), f"curve {curve['index'] + 1}")
        if np.all(eta[:T] > 0):
            _close([curve["bound"]], np.array([laws.bound(eta, T)]), "bound")
        else:
            assert curve["bound"] is None
    caption = page.locator(".ax-loss-caption").inner_text()
    model = shipped["model"]
    assert model["name"] in caption and model["dataset"] in caption, caption
    assert "Tissue et al." in caption, caption
    assert "it needs every rate > 0; the rate is 0 at step 0" in caption, caption
    assert page.locator(".ax-loss canvas").get_attribute("aria-label")


def test_loss_redraw_at_10000_steps_is_measured(page: Any) -> None:
    prefix = "#" + page.evaluate("() => window.__explorer.id")
    horizon = page.locator(f"{prefix}-n")
    horizon.fill(str(T))
    horizon.press("Enter")
    times = page.evaluate(
        "() => { const e = window.__explorer; e.redrawLoss();"
        " return Array.from({ length: 15 }, () => e.redrawLoss()); }"
    )
    both = page.evaluate(
        "() => { const e = window.__explorer;"
        " return Array.from({ length: 15 }, () => e.redraw() + e.redrawLoss()); }"
    )
    curves = page.evaluate("() => window.__explorer.lossResults.length")
    print(
        f"\nloss redraw at {T} steps, {curves} curves: median {statistics.median(times):.2f} ms"
        f" (max {max(times):.2f}); schedule + loss: median {statistics.median(both):.2f} ms"
    )
    assert curves >= 2 and all(t >= 0 for t in times)
