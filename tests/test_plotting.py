"""plot() (plotting.py): matplotlib, imported lazily, returns the Axes."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from annealing import SGDR, Constant, Cosine, Linear, Warmup, plot
from annealing.plotting import default_steps

matplotlib = pytest.importorskip("matplotlib")  # a dev dependency: always there in CI
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures() -> object:
    yield
    plt.close("all")


def test_returns_axes_with_one_labelled_line_per_schedule() -> None:
    a, b = Cosine(1.0, 0.0, 100), Warmup(Linear(1.0, 0.0, 90), 10)
    ax = plot(a, b)
    lines = ax.get_lines()
    assert len(lines) == 2
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("Cosine(") and labels[1].startswith("Warmup(")
    assert ax.get_xlabel() == "step" and ax.get_ylabel() == "value"


def test_the_curves_are_the_schedule_values() -> None:
    s = Cosine(1.0, 0.1, 50)
    line = plot(s, steps=50).get_lines()[0]
    x, y = line.get_xdata(), line.get_ydata()
    np.testing.assert_array_equal(x, np.arange(51))
    np.testing.assert_array_equal(y, s(np.arange(51)))


def test_default_horizon_is_the_longest_length_plus_ten_percent() -> None:
    assert default_steps(Cosine(1.0, 0.0, 100), Linear(1.0, 0.0, 50)) == pytest.approx(110)
    assert default_steps(Constant(1.0), SGDR(1.0, 10)) == 100.0
    ax = plot(Cosine(1.0, 0.0, 100))
    assert ax.get_xlim() == pytest.approx((0, 110))


def test_long_horizons_are_sampled() -> None:
    line = plot(Cosine(1.0, 0.0, 10**6), points=500).get_lines()[0]
    assert len(line.get_xdata()) == 501


def test_draws_on_a_given_axes_with_given_labels() -> None:
    _, ax = plt.subplots()
    out = plot(Cosine(1.0, 0.0, 10), Constant(0.5), ax=ax, labels=["cos", "flat"], steps=20)
    assert out is ax
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["cos", "flat"]


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((), {}, ValueError, "plot: give at least one schedule"),
        ((1.0,), {}, TypeError, r"plot: schedules\[0\] must be a Schedule, got 1.0"),
        ((Constant(1.0),), {"labels": ["a", "b"]}, ValueError, "plot: labels must hold one"),
        ((Constant(1.0),), {"steps": 0}, ValueError, "plot: steps must be a number > 0, got 0"),
    ],
)
def test_bad_arguments(
    args: tuple[object, ...], kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match="^" + message):
        plot(*args, **kwargs)  # type: ignore[arg-type]


def test_import_annealing_does_not_import_matplotlib() -> None:
    code = "import sys, annealing; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
