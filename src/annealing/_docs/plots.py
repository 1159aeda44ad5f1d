"""Build-time figures: ``<!-- plot: EXPR -->`` markers in Markdown become captioned SVG images.

A marker holds a Python expression over the public names of :mod:`annealing`, for example
``<!-- plot: Warmup(Cosine(1.0, 0.0, 90), 10) -->``. A tuple plots several schedules on
one set of axes. Options follow ``|``: ``steps=N`` (how many steps to draw),
``alt=text`` (the image's alternative text), ``caption=text`` (the caption under the figure;
the alt text when omitted), ``labels=a; b`` (or ``label=``: hand-written legend labels, one
per schedule; by default :func:`annealing.plotting.label` names each schedule and its
parameters in words), ``ylabel=text`` (default "learning rate") and ``size=thumb`` (a small
preview, :data:`THUMB_WIDTH` inches wide with :data:`THUMB_FONT_PT`-point text and no legend,
for a grid of cards; no caption unless ``caption=`` is given)::

    <!-- plot: Cosine(0.1, 0.0, 100), Linear(0.1, 0.0, 100) | steps=120 | alt=Cosine vs linear -->

``<!-- figure: NAME | alt=... -->`` draws one of the named figures of
:mod:`annealing._docs.figures` instead (figures that are not schedule curves, such as a tour
cooling under simulated annealing).

The figures are sized for a phone: :data:`WIDTH` inches wide with :data:`FONT_PT`-point
text, so that at the 358 CSS px of a 390 px screen's text column their tick labels are about
11 CSS px (the browser tests measure it).

>>> spec = find_plots("a <!-- plot: Cosine(1.0, 0.0, 10) | steps=12 --> b")[0]
>>> spec.expression, spec.steps
('Cosine(1.0, 0.0, 10)', 12)
>>> spec.path.startswith("assets/plots/") and spec.path.endswith(".svg")
True
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MARKER = re.compile(r"<!--\s*(?P<kind>plot|figure):\s*(?P<body>.+?)\s*-->", re.DOTALL)
PLOT_DIR = "assets/plots"
#: Figure width in inches and font size in points (the tests compute text size from them).
WIDTH = 4.8
FONT_PT = 11.0
THUMB_WIDTH = 3.2
THUMB_FONT_PT = 12.0
SIZES = ("normal", "thumb")
#: Bumped when the drawing changes, so that cached SVGs are redrawn.
STYLE = 2
#: Okabe & Ito's colour-blind-safe palette; plot() adds a line style per curve as well.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


@dataclass(frozen=True)
class PlotSpec:
    """One plot marker: the expression to evaluate and its display options."""

    expression: str
    steps: int | None = None
    alt: str | None = None
    caption: str | None = None
    labels: tuple[str, ...] | None = None
    ylabel: str | None = None
    kind: str = "plot"
    size: str = "normal"

    @property
    def path(self) -> str:
        """Where the SVG lives inside the site, named by a hash of the marker."""
        key = f"{self.kind}|{self.expression}|{self.steps}|{self.labels}|{self.ylabel}|{STYLE}"
        key += "" if self.size == "normal" else f"|{self.size}"
        return f"{PLOT_DIR}/{hashlib.sha1(key.encode()).hexdigest()[:12]}.svg"

    @property
    def alt_text(self) -> str:
        """The image's alternative text (the expression itself unless given)."""
        return self.alt or f"Plot of {self.expression}"

    @property
    def caption_text(self) -> str:
        """The caption under the figure: given, or the alternative text."""
        return self.caption or self.alt_text


def parse_marker(body: str, kind: str = "plot") -> PlotSpec:
    """Parse the text inside ``<!-- plot: ... -->`` (or ``<!-- figure: ... -->``).

    >>> spec = parse_marker("Cosine(1.0, 0.0, 10) | alt=A cosine | labels=one cosine")
    >>> spec.expression, spec.alt, spec.caption_text, spec.labels
    ('Cosine(1.0, 0.0, 10)', 'A cosine', 'A cosine', ('one cosine',))
    """
    expression, *options = (part.strip() for part in body.split("|"))
    steps: int | None = None
    alt: str | None = None
    caption: str | None = None
    labels: tuple[str, ...] | None = None
    ylabel: str | None = None
    size = "normal"
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
        elif key == "caption":
            caption = value.strip()
        elif key in ("labels", "label"):
            labels = tuple(label.strip() for label in value.split(";"))
        elif key == "ylabel":
            ylabel = value.strip()
        elif key == "size":
            size = value.strip()
            if size not in SIZES:
                raise ValueError(
                    f"plot marker: size must be one of {', '.join(SIZES)}, got {size!r}"
                )
        else:
            raise ValueError(
                f"plot marker: unknown option {key!r}; "
                "allowed: steps, alt, caption, labels, ylabel, size"
            )
    if not expression:
        raise ValueError("plot marker: the expression is empty")
    return PlotSpec(expression, steps, alt, caption, labels, ylabel, kind, size)


def find_plots(markdown: str) -> list[PlotSpec]:
    """All plot markers in a Markdown text, in order."""
    return [parse_marker(m.group("body"), m.group("kind")) for m in MARKER.finditer(markdown)]


ALONE = re.compile(r"^(?P<indent>[ \t]*)" + MARKER.pattern + r"[ \t]*$", re.DOTALL | re.MULTILINE)


def replace_plots(markdown: str, url: Callable[[PlotSpec], str]) -> str:
    """Replace each marker by its image, with a caption under it when the marker has a line
    of its own (a ``<figure>`` that ``md_in_html`` renders; the image stays a Markdown image,
    so MkDocs checks and rewrites its address).

    >>> marker = "<!-- plot: Constant(1.0) | alt=A line | caption=Flat -->"
    >>> print(replace_plots(marker, lambda spec: "/p.svg"))
    <figure class="schedule-figure" markdown="span">
    ![A line](/p.svg){ .schedule-plot loading="lazy" }
    <figcaption>Flat</figcaption>
    </figure>
    <BLANKLINE>
    """

    def image(spec: PlotSpec) -> str:
        alt = spec.alt_text.replace("[", "(").replace("]", ")")
        thumb = " .schedule-thumb" if spec.size == "thumb" else ""
        return f'![{alt}]({url(spec)}){{ .schedule-plot{thumb} loading="lazy" }}'

    def figure(match: re.Match[str]) -> str:
        spec = parse_marker(match.group("body"), match.group("kind"))
        pad = match.group("indent")
        if spec.size == "thumb" and spec.caption is None:  # a preview in a card: its text says it
            return pad + image(spec) + "\n"
        caption = html.escape(spec.caption_text, quote=False)
        return (
            f'{pad}<figure class="schedule-figure" markdown="span">\n{pad}{image(spec)}\n'
            f"{pad}<figcaption>{caption}</figcaption>\n{pad}</figure>\n"
        )

    markdown = ALONE.sub(figure, markdown)
    return MARKER.sub(lambda m: image(parse_marker(m.group("body"), m.group("kind"))), markdown)


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


def style() -> Any:
    """The matplotlib settings of every build-time figure."""
    from cycler import cycler

    return {
        "svg.hashsalt": "annealing-docs",
        "svg.fonttype": "path",
        "font.size": FONT_PT,
        "legend.fontsize": FONT_PT,
        "axes.titlesize": FONT_PT,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=COLOURS),
    }


def render_svg(spec: PlotSpec) -> bytes:
    """Render a marker to a deterministic SVG document (schedules with :func:`annealing.plot`)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import annealing

    thumb = spec.size == "thumb"
    rc = style() | ({"font.size": THUMB_FONT_PT} if thumb else {})
    with plt.rc_context(rc):
        if spec.kind == "figure":
            from . import figures

            fig = figures.draw(spec.expression, WIDTH)
        else:
            schedules = evaluate(spec.expression)
            if spec.labels is not None and len(spec.labels) != len(schedules):
                raise ValueError(
                    f"plot marker: labels= gives {len(spec.labels)} labels for "
                    f"{len(schedules)} schedules in {spec.expression!r}"
                )
            names = list(spec.labels or [annealing.plotting.label(s) for s in schedules])
            names = [textwrap.fill(name, 42) for name in names]
            rows = sum(name.count("\n") + 1 for name in names) if len(schedules) > 1 else 0
            if thumb:
                rows = 0
            size = (THUMB_WIDTH, 2.1) if thumb else (WIDTH, 3.0 + 0.24 * rows)
            fig, ax = plt.subplots(figsize=size, dpi=100)
            annealing.plot(
                *schedules,
                steps=spec.steps,
                ax=ax,
                labels=names,
                ylabel=spec.ylabel or "learning rate",
            )
            legend = ax.get_legend()
            if legend is not None:
                legend.remove()
            if thumb:
                from matplotlib.ticker import MaxNLocator

                ax.xaxis.set_major_locator(MaxNLocator(4))
                ax.yaxis.set_major_locator(MaxNLocator(3))
                fig.tight_layout()
            elif len(schedules) > 1:
                # below the axes, so the legend never hides a curve
                fig.legend(loc="lower center", frameon=False, ncols=1, handlelength=2.6)
                height = fig.get_figheight()
                fig.tight_layout(rect=(0, (0.21 * rows + 0.12) / height, 1, 1))
            else:
                fig.tight_layout()
        try:
            buffer = io.BytesIO()
            fig.savefig(
                buffer,
                format="svg",
                metadata={"Date": None},
                facecolor="white",
                bbox_inches="tight",
                pad_inches=0.05,
            )
        finally:
            plt.close(fig)
    return buffer.getvalue()
