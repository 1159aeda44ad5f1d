"""Build-time schedule plots: ``<!-- plot: EXPR -->`` markers in Markdown become SVG images.

A marker holds a Python expression over the public names of :mod:`annealing`, for example
``<!-- plot: Warmup(Cosine(1.0, 0.0, 90), 10) -->``. A tuple plots several schedules on
one set of axes. Options follow ``|``: ``steps=N`` (how many steps to draw) and
``alt=text`` (the image's alternative text)::

    <!-- plot: Cosine(0.1, 0.0, 100), Linear(0.1, 0.0, 100) | steps=120 | alt=Cosine vs linear -->

>>> spec = find_plots("a <!-- plot: Cosine(1.0, 0.0, 10) | steps=12 --> b")[0]
>>> spec.expression, spec.steps
('Cosine(1.0, 0.0, 10)', 12)
>>> spec.path.startswith("assets/plots/") and spec.path.endswith(".svg")
True
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MARKER = re.compile(r"<!--\s*plot:\s*(?P<body>.+?)\s*-->", re.DOTALL)
PLOT_DIR = "assets/plots"


@dataclass(frozen=True)
class PlotSpec:
    """One plot marker: the expression to evaluate and its display options."""

    expression: str
    steps: int | None = None
    alt: str | None = None

    @property
    def path(self) -> str:
        """Where the SVG lives inside the site, named by a hash of the marker."""
        key = f"{self.expression}|{self.steps}".encode()
        return f"{PLOT_DIR}/{hashlib.sha1(key).hexdigest()[:12]}.svg"

    @property
    def alt_text(self) -> str:
        """The image's alternative text (the expression itself unless given)."""
        return self.alt or f"Plot of {self.expression}"


def parse_marker(body: str) -> PlotSpec:
    """Parse the text inside ``<!-- plot: ... -->``.

    >>> parse_marker("Cosine(1.0, 0.0, 10) | alt=A cosine")
    PlotSpec(expression='Cosine(1.0, 0.0, 10)', steps=None, alt='A cosine')
    """
    expression, *options = (part.strip() for part in body.split("|"))
    steps: int | None = None
    alt: str | None = None
    for option in options:
        key, sep, value = option.partition("=")
        key = key.strip()
        if not sep:
            raise ValueError(f"plot marker: option must be key=value, got {option!r}")
        if key == "steps":
            steps = int(value)
            if steps <= 0:
                raise ValueError(f"plot marker: steps must be a positive integer, got {value}")
        elif key == "alt":
            alt = value.strip()
        else:
            raise ValueError(f"plot marker: unknown option {key!r}; allowed: steps, alt")
    if not expression:
        raise ValueError("plot marker: the expression is empty")
    return PlotSpec(expression, steps, alt)


def find_plots(markdown: str) -> list[PlotSpec]:
    """All plot markers in a Markdown text, in order."""
    return [parse_marker(m.group("body")) for m in MARKER.finditer(markdown)]


def replace_plots(markdown: str, url: Callable[[PlotSpec], str]) -> str:
    """Replace each marker by a Markdown image whose address is ``url(spec)``."""

    def image(match: re.Match[str]) -> str:
        spec = parse_marker(match.group("body"))
        alt = spec.alt_text.replace("[", "(").replace("]", ")")
        return f'![{alt}]({url(spec)}){{ .schedule-plot loading="lazy" }}'

    return MARKER.sub(image, markdown)


def evaluate(expression: str) -> tuple[Any, ...]:
    """Read a marker's schedules with the schedule grammar (one, or several by commas); a tuple.

    >>> evaluate("Cosine(1.0, 0.0, 10), Linear(1.0, 0.0, 10)")[1]
    Linear(start=1.0, end=0.0, steps=10)
    """
    from ..grammar import parse_several

    try:
        return parse_several(expression)  # no eval, even of the project's own Markdown
    except ValueError as error:
        raise ValueError(f"plot marker: cannot read {expression!r}: {error}") from None


def render_svg(spec: PlotSpec) -> bytes:
    """Render a plot marker to a deterministic SVG document with :func:`annealing.plot`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import annealing

    schedules = evaluate(spec.expression)
    with plt.rc_context(
        {
            "svg.hashsalt": "annealing-docs",
            "svg.fonttype": "path",
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        height = 3.2 + (0.22 * len(schedules) if len(schedules) > 1 else 0.0)
        fig, ax = plt.subplots(figsize=(6.4, height), dpi=100)
        try:
            annealing.plot(*schedules, steps=spec.steps, ax=ax)
            ax.grid(True, alpha=0.3)
            legend = ax.get_legend()
            if legend is not None:
                legend.remove()
            if len(schedules) > 1:
                # below the axes, so the legend never hides a curve
                fig.legend(loc="lower center", frameon=False, fontsize=8, ncols=1)
                fig.tight_layout(rect=(0, 0.07 * len(schedules), 1, 1))
            else:
                fig.tight_layout()
            buffer = io.BytesIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None}, facecolor="white")
        finally:
            plt.close(fig)
    return buffer.getvalue()
