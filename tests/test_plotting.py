"""plot() and label() (plotting.py): matplotlib, imported lazily, returns the Axes; legends
name each schedule and its parameters in words; curves differ by line style as well as colour."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import annealing as an
from annealing import SGDR, Constant, Cosine, Linear, Warmup, plot
from annealing.plotting import default_steps, label

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
    assert labels == [
        "Cosine, 1 → 0 over 100 steps",
        "10-step warmup, then linear, 1 → 0 over 90 steps",
    ]
    assert ax.get_xlabel() == "step" and ax.get_ylabel() == "learning rate"


def test_curves_differ_by_line_style_not_colour_alone() -> None:
    ax = plot(*(Cosine(1.0, 0.0, n) for n in (10, 20, 30, 40)))
    styles = [line.get_linestyle() for line in ax.get_lines()]
    assert len(set(styles)) == 4, styles


def test_the_y_axis_names_the_quantity() -> None:
    assert plot(Cosine(1.0, 0.0, 10), ylabel="temperature").get_ylabel() == "temperature"


@pytest.mark.parametrize(
    ("schedule", "text"),
    [
        (SGDR(eta_max=0.05, T_0=10, T_mult=2), "SGDR, T_0 = 10, T_mult = 2"),
        (SGDR(eta_max=1.0, T_0=25, eta_min=0.1), "SGDR, T_0 = 25, T_mult = 1, η_min = 0.1"),
        (an.MultiStep(1.0, (30, 60, 90), factor=0.3), "MultiStep at 30, 60, 90, factor 0.3"),
        (Cosine(1.0, 0.1, 100, exponent=2.0), "Cosine, 1 → 0.1 over 100 steps, exponent 2"),
        (an.Exponential(1.0, end=0.01, steps=100), "Exponential, 1 → 0.01 over 100 steps"),
        (an.Exponential(1.0, rate=0.5, every=20), "Exponential, ×0.5 every 20 steps"),
        (an.Step(1.0, every=30, factor=0.5), "Step, ×0.5 every 30 steps"),
        (Constant(0.5, steps=100), "Constant 0.5 for 100 steps"),
        (Warmup(an.InverseSqrt(1.0, 10), 10), "10-step warmup, then InverseSqrt, timescale 10"),
        (
            an.WSD(1.0, 10, 70, 20, decay_shape="1-sqrt"),
            "WSD, warmup 10, stable 70, decay 20 (1-sqrt)",
        ),
        (
            an.Restarts(Cosine(1.0, 0.0, 20), mult=2, peak_decay=0.7),
            "Restarts of Cosine, 1 → 0 over 20 steps, cycles ×2, peak ×0.7 each restart",
        ),
        (an.OneCycle(1.0, 100), "OneCycle, peak at 30% of 100 steps"),
        (an.Offset(Cosine(1.0, 0.0, 100), 30), "Cosine, 1 → 0 over 100 steps, 30 steps ahead"),
    ],
)
def test_label_says_name_and_parameters_in_words(schedule: an.Schedule, text: str) -> None:
    assert label(schedule) == text


def test_every_public_schedule_has_a_label_without_a_repr() -> None:
    from catalogue import EXAMPLES  # one example of each public schedule

    for schedule in EXAMPLES.values():
        text = label(schedule)
        assert text and "(" not in text.split(",")[0], text


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


# ----------------------------------------------------------------------------- build-time figures


def test_markers_take_a_caption_labels_and_a_y_label() -> None:
    from annealing._docs import plots

    spec = plots.parse_marker(
        "Cosine(1.0, 0.0, 10), Linear(1.0, 0.0, 10) | alt=Two | caption=Cosine and line"
        " | labels=the cosine; the line | ylabel=temperature"
    )
    assert spec.caption_text == "Cosine and line"
    assert spec.labels == ("the cosine", "the line")
    assert spec.ylabel == "temperature"
    assert plots.parse_marker("Constant(1.0) | alt=A line").caption_text == "A line"
    with pytest.raises(ValueError, match="unknown option 'colour'"):
        plots.parse_marker("Constant(1.0) | colour=red")


def test_a_marker_on_its_own_line_becomes_a_captioned_figure() -> None:
    from annealing._docs import plots

    text = "before\n\n  <!-- plot: Constant(1.0) | alt=A line | caption=Flat & low -->\n\nafter"
    out = plots.replace_plots(text, lambda spec: "/" + spec.path)
    assert '  <figure class="schedule-figure" markdown="span">' in out
    assert "  <figcaption>Flat &amp; low</figcaption>" in out
    inline = plots.replace_plots("see <!-- plot: Constant(1.0) | alt=A line --> here", str)
    assert "<figure" not in inline and "![A line](" in inline


def test_build_time_svgs_are_sized_for_a_phone() -> None:
    from annealing._docs import plots

    svg = plots.render_svg(plots.parse_marker("Cosine(1.0, 0.0, 100) | alt=x")).decode()
    width_pt = float(svg.split('width="', 1)[1].split("pt", 1)[0])
    # drawn at most WIDTH inches wide, so FONT_PT text stays >= 10 CSS px in a 358 px column
    assert width_pt <= plots.WIDTH * 72
    assert plots.FONT_PT * 4 / 3 * min(1.0, 358 / (width_pt * 4 / 3)) >= 10


def test_marker_labels_must_match_the_schedules() -> None:
    from annealing._docs import plots

    with pytest.raises(ValueError, match="labels= gives 2 labels for 1 schedules"):
        plots.render_svg(plots.parse_marker("Cosine(1.0, 0.0, 10) | labels=a; b"))


def test_named_figures_are_drawn_from_the_library() -> None:
    from annealing._docs import figures, plots

    assert set(figures.FIGURES) == {
        "sa-tour-cooling",
        "sa-acceptance",
        "sa-large-tour",
        "laws-bound",
    }
    for name in figures.FIGURES:
        svg = plots.render_svg(plots.parse_marker(f"{name} | alt=x", "figure"))
        assert svg.startswith(b"<?xml")
        assert len(svg) < 1_000_000, (name, len(svg))  # 100,000 cities: a raster inside
    with pytest.raises(ValueError, match="unknown figure 'nope'"):
        plots.render_svg(plots.parse_marker("nope", "figure"))


def test_notebook_images_get_the_alt_text_of_their_cell(tmp_path: Path) -> None:
    import json

    from annealing._docs import notebooks

    notebook = tmp_path / "n.ipynb"
    cells = [{"cell_type": "code", "id": "abc", "metadata": {"alt": "A cosine & a line"}}]
    notebook.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    html = (
        '<div id="cell-id=abc"><img alt="No description has been provided for this image" '
        'src="x.png"></div><div id="cell-id=zzz"><img src="y.png"></div>'
    )
    out = notebooks.add_missing_alt(html, notebook)
    assert '<img alt="A cosine &amp; a line" src="x.png">' in out
    assert '<img alt="Output of the code cell above" src="y.png">' in out
    assert notebooks.PLACEHOLDER not in out


def test_thumbnails_are_small_figures_with_large_text_and_no_caption() -> None:
    from annealing._docs import plots

    marker = "    <!-- plot: SGDR(eta_max=0.1, T_0=100, T_mult=2) | alt=x | size=thumb -->"
    (spec,) = plots.find_plots(marker)
    assert spec.size == "thumb" and spec.path != plots.parse_marker("SGDR(0.1, 100, 2)").path
    out = plots.replace_plots(marker, lambda spec: "/p.svg")
    assert out == '    ![x](/p.svg){ .schedule-plot .schedule-thumb loading="lazy" }\n'
    svg = plots.render_svg(spec).decode()
    width_pt = float(svg.split('width="', 1)[1].split("pt", 1)[0])
    assert width_pt <= plots.THUMB_WIDTH * 72
    # at 240 CSS px wide, the tick labels are still >= 10 px
    assert plots.THUMB_FONT_PT * 4 / 3 * 240 / (width_pt * 4 / 3) >= 10
    with pytest.raises(ValueError, match="size must be one of normal, thumb, got 'huge'"):
        plots.parse_marker("Constant(1.0) | size=huge")
