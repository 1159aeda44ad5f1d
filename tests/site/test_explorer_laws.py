"""The explorer predicts the loss: its JavaScript loss law and bound are annealing.laws's.

``laws.js`` ports the Tissue et al. law (``Law.predict``) and the convex bound of Schaipp et
al. (``bound``); here both are run in Chromium on the rates of several schedules and compared
with Python to 1e-12 (relative), as are the curves the explorer draws: by default the shape of
each curve at the fit's peak rate (its rates times that peak / its own peak, scaled here in
numpy), the rates as set when asked and every peak lies within the fit's. The law the site
ships (``loss-law.json``, fitted by docs/hooks/explorer.py) is checked to be a law of the
library, labelled with a model of the shipped logs. The full redraw at 10^4 steps (schedule,
loss and bound) is measured and printed (the test asserts what is drawn, not the time; the
timings are benchmarks/bench_explorer.py's).

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
    # the peak rate the explorer predicts a schedule's shape at: the fit's highest
    assert shipped["peak"] == max(r["peak"] for r in shipped["runs"]) > 0


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


def test_the_shape_at_the_fitted_peak_is_numpys(page: Any, shipped: dict[str, Any]) -> None:
    for schedule in _schedules():
        eta = np.asarray(schedule(np.arange(T + 1, dtype=np.float64)), dtype=np.float64)
        have = page.evaluate(
            "([eta, peak]) => Array.from(window.annealing.laws.atPeak(eta, peak))",
            [eta.tolist(), shipped["peak"]],
        )
        assert have == (eta * (shipped["peak"] / eta.max())).tolist(), schedule
    assert page.evaluate("() => window.annealing.laws.atPeak([0, 0, 0], 1e-3)") is None


def _horizon(page: Any, n: int) -> str:
    prefix = "#" + page.evaluate("() => window.__explorer.id")
    horizon = page.locator(f"{prefix}-n")
    horizon.fill(str(n))
    horizon.press("Enter")
    return prefix


_DRAWN = """() => { const e = window.__explorer;
  return { mode: e.lossMode, curves: e.lossResults.map((r) => ({ index: r.index, bound: r.bound,
    loss: Array.from(r.loss).slice(1), values: e.values(r.index).values })) }; }"""


def _check_drawn(page: Any, shipped: dict[str, Any], absolute: bool) -> list[np.ndarray]:
    laws = require("annealing.laws")
    law = _law(shipped)
    drawn = page.evaluate(_DRAWN)
    assert drawn["mode"] == ("absolute" if absolute else "shape")
    assert len(drawn["curves"]) >= 2
    peaks = []
    for curve in drawn["curves"]:
        eta = np.asarray(curve["values"], dtype=np.float64)
        assert eta.size == T + 1
        peaks.append(eta.max())
        rates = eta if absolute else eta * (shipped["peak"] / eta.max())
        positive = np.flatnonzero(np.cumsum(rates[1:]) > 0) + 1
        have = np.asarray(curve["loss"], dtype=np.float64)[positive - 1]
        _close(list(have), law.predict(rates, positive), f"curve {curve['index'] + 1}")
        # the bound: on the rates as set
        if np.all(eta[:T] > 0):
            _close([curve["bound"]], np.array([laws.bound(eta, T)]), "bound")
        else:
            assert curve["bound"] is None
    return peaks


def test_the_drawn_prediction_is_pythons_and_is_labelled(
    page: Any, shipped: dict[str, Any]
) -> None:
    _horizon(page, T)
    peaks = _check_drawn(page, shipped, absolute=False)
    assert max(peaks) > 10 * shipped["peak"]  # the explorer's default peak, 0.1: far outside
    caption = page.locator(".ax-loss-caption").inner_text()
    model = shipped["model"]
    assert model["name"] in caption and model["dataset"] in caption, caption
    assert "Tissue et al." in caption, caption
    assert "The shape of each curve at the fitted model's peak rate 10⁻³" in caption, caption
    assert "it needs every rate > 0; the rate is 0 at step 0" in caption, caption
    assert page.locator(".ax-loss canvas").get_attribute("aria-label")
    # asked for the rates as set, with peaks outside the fit's: still the shape, and why
    box = page.get_by_label("Predict at the rates as set", exact=False)
    box.check()
    _check_drawn(page, shipped, absolute=False)
    caption = page.locator(".ax-loss-caption").inner_text()
    assert "The rates as set are not used: curve 1's is 0.1" in caption, caption
    assert "abs=1" in page.evaluate("() => location.search")
    box.uncheck()


def test_the_rates_as_set_within_the_fitted_peaks(page: Any, shipped: dict[str, Any]) -> None:
    prefix = _horizon(page, T)
    low = min(r["peak"] for r in shipped["runs"])
    peak = shipped["peak"]
    # curve 1 (a cosine) at the fit's lowest peak, curve 2 (SGDR) between it and the highest
    chips = page.locator(".ax-chip:not(.ax-add)")
    chips.nth(0).click()
    page.locator(f"{prefix}-start").fill(repr(low))
    chips.nth(1).click()
    page.locator(f"{prefix}-eta_max").fill(repr((low + peak) / 2))
    box = page.get_by_label("Predict at the rates as set", exact=False)
    box.check()
    peaks = _check_drawn(page, shipped, absolute=True)
    assert peaks == [low, (low + peak) / 2]
    caption = page.locator(".ax-loss-caption").inner_text()
    assert "At the rates as set: every curve's peak is within the fit's peaks" in caption
    # the link to this view keeps the choice
    search = page.evaluate("() => location.search")
    other = page.context.new_page()
    other.goto(page.url.split("?")[0] + search)
    other.wait_for_function("window.__explorer && window.__explorer.lossResults.length > 0")
    assert other.evaluate("() => window.__explorer.lossMode") == "absolute"
    assert other.get_by_label("Predict at the rates as set", exact=False).is_checked()
    other.close()
    box.uncheck()
    _check_drawn(page, shipped, absolute=False)


def test_full_redraw_at_10000_steps_is_measured(page: Any, shipped: dict[str, Any]) -> None:
    _horizon(page, T)
    measure = """async () => {
      const e = window.__explorer;
      for (let i = 0; i < 5; i++) e.redraw();  // warm up the JIT
      const times = [];
      for (let i = 0; i < 60; i++) {
        await new Promise((r) => requestAnimationFrame(r));
        times.push(e.redraw());
      }
      return { times, curves: e.lossResults.length, points: e.xs.length };
    }"""
    result = page.evaluate(measure)
    times = sorted(result["times"])
    median = statistics.median(times)
    print(
        f"\nfull redraw (schedule, loss and bound) at {T} steps, {result['curves']} curves:"
        f" median {median:.2f} ms, p95 {times[int(0.95 * len(times))]:.2f} ms"
        f" over {len(times)} redraws (benchmarks/bench_explorer.py: the slider's frames)"
    )
    assert result["curves"] >= 2 and result["points"] == T + 1
    # The goal is 16 ms; on a loaded 2-core machine the median was 5-8 ms. This bound is
    # 3x the goal: it catches work per redraw growing past O(T) (a bound curve of O(T^2), the
    # schedule evaluated per plot and step), not a slow machine.
    assert median <= 50, f"median full redraw {median:.1f} ms at {T} steps"
    # what a redraw drew: the plotted values are the schedule's, the loss is the law's at them
    drawn = page.evaluate(
        "() => { const e = window.__explorer; const r = e.lossResults[0];"
        " return { ys: Array.from(e.series[0].ys), rates: Array.from(r.rates) }; }"
    )
    config = page.evaluate("() => window.annealing.curveConfig(window.__explorer.state.curves[0])")
    want = np.asarray(an.from_dict(config)(np.arange(T + 1, dtype=np.float64)))
    ys = np.asarray(drawn["ys"])
    assert np.max(np.abs(ys - want)) <= 1e-12 * np.max(want)
    assert np.array_equal(np.asarray(drawn["rates"]), ys * (shipped["peak"] / ys.max()))


def test_the_drawn_path_is_decimated_and_keeps_every_columns_extremes(page: Any) -> None:
    """The 10^4 points of a curve are drawn as about one vertex per 2 pixels of width, through
    points only, and through the lowest and the highest point of each such column."""
    _horizon(page, T)
    traced = page.evaluate(
        """() => {
      const e = window.__explorer;
      const g = e.canvas.getContext("2d");
      const paths = [];
      let path = null;
      const { moveTo, lineTo, stroke } = g;
      g.moveTo = function (x, y) { path = [[x, y]]; return moveTo.call(this, x, y); };
      g.lineTo = function (x, y) { if (path) path.push([x, y]); return lineTo.call(this, x, y); };
      g.stroke = function () { if (path && path.length > 10) paths.push(path); path = null;
        return stroke.call(this); };
      try { e.draw(); } finally { delete g.moveTo; delete g.lineTo; delete g.stroke; }
      const curves = e.series.map((s) => Array.from(s.ys, (y, i) => [e.sx(e.xs[i]), e.sy(y)]));
      return { paths, curves, width: e.L.width, dpr: window.devicePixelRatio || 1 };
    }"""
    )
    assert len(traced["paths"]) == len(traced["curves"]) >= 2
    for path, points in zip(traced["paths"], traced["curves"], strict=True):
        assert len(path) <= 4 * (traced["width"] / 2 + 2) < len(points) / 4, len(path)
        vertices = {(x, y) for x, y in path}
        assert vertices <= {(x, y) for x, y in points}  # through points only
        columns: dict[int, list[tuple[float, float]]] = {}
        for x, y in points:
            columns.setdefault(int(x // 2), []).append((x, y))
        for column in columns.values():
            ys = [y for _, y in column]
            if (max(ys) - min(ys)) * traced["dpr"] >= 0.5:
                assert min(column, key=lambda p: p[1]) in vertices
                assert max(column, key=lambda p: p[1]) in vertices


def test_a_dragged_slider_redraws_at_once_and_settles_the_address_and_code(page: Any) -> None:
    """While a slider moves, each step redraws the charts from the new value at once; the
    address and the code tabs follow when the slider rests or is let go, with nothing lost."""
    prefix = _horizon(page, 2000)
    page.locator(".ax-chip:not(.ax-add)").nth(0).click()
    slider = page.locator(f"{prefix}-start ~ input[type=range]")
    state = page.evaluate(
        """(slider) => {
      const e = window.__explorer;
      const before = { search: location.search, code: e.tabs[0].code };
      slider.value = "0.0421";
      slider.dispatchEvent(new Event("input"));
      const during = { search: location.search, code: e.tabs[0].code, ys: e.series[0].ys[1000],
        config: window.annealing.curveConfig(e.state.curves[0]), pending: e.settleTimer !== null };
      slider.dispatchEvent(new Event("change"));
      const after = { search: location.search, code: e.tabs[0].code,
        pending: e.settleTimer !== null };
      return { before, during, after };
    }""",
        slider.element_handle(),
    )
    during, after = state["during"], state["after"]
    want = float(an.from_dict(during["config"])(1000))
    assert during["ys"] == pytest.approx(want, rel=1e-12)
    assert "0.0421" in str(during["config"])
    assert during["pending"] and during["search"] == state["before"]["search"]
    assert not after["pending"] and "0.0421" in after["search"] and "0.0421" in after["code"]
    # resting, without a release: the same within the pause
    page.evaluate(
        """(slider) => { slider.value = "0.0422"; slider.dispatchEvent(new Event("input")); }""",
        slider.element_handle(),
    )
    page.wait_for_function("() => location.search.includes('0.0422')", timeout=5000)
    assert "0.0422" in page.evaluate("() => window.__explorer.tabs[0].code")
