"""Plot schedules with matplotlib (imported only when a plot is made)."""

from __future__ import annotations

from typing import Any

from .schedule import Schedule


def default_steps(*schedules: Schedule) -> float:
    """A plotting horizon: the longest finite length plus 10%, or 100 if all are endless."""
    lengths = [float(s.steps) for s in schedules if s.steps is not None]
    return 1.1 * max(lengths) if lengths else 100.0


def plot(
    *schedules: Schedule,
    steps: float | None = None,
    ax: Any = None,
    labels: list[str] | None = None,
    points: int = 1000,
) -> Any:
    """Plot one or more schedules against the step and return the matplotlib Axes.

    Parameters
    ----------
    *schedules : Schedule
        The schedules to draw.
    steps : float, optional
        The last step shown. Default: the longest finite length plus 10%, or 100.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when omitted.
    labels : list of str, optional
        Legend labels; by default each schedule's ``repr`` (shortened).
    points : int
        How many points each curve is sampled at (integer steps are used when fewer). Default 1000.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from annealing import Cosine, Warmup, plot
    >>> ax = plot(Warmup(Cosine(start=1.0, end=0.0, steps=90), warmup=10))
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('step', 'value')
    """
    if not schedules:
        raise ValueError("plot: give at least one schedule")
    for i, s in enumerate(schedules):
        if not isinstance(s, Schedule):
            raise TypeError(f"plot: schedules[{i}] must be a Schedule, got {s!r}")
    if labels is not None and len(labels) != len(schedules):
        raise ValueError(
            f"plot: labels must hold one label per schedule ({len(schedules)}), got {labels!r}"
        )
    last = default_steps(*schedules) if steps is None else float(steps)
    if not last > 0:
        raise ValueError(f"plot: steps must be a number > 0, got {steps!r}")
    import matplotlib.pyplot as plt
    import numpy as np

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
    grid = np.arange(0, int(last) + 1) if last <= points else np.linspace(0, last, points + 1)
    for i, s in enumerate(schedules):
        label = labels[i] if labels is not None else s._label()
        ax.plot(grid, s(grid), label=label)
    ax.set_xlabel("step")
    ax.set_ylabel("value")
    ax.set_xlim(0, last)
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize="small", frameon=False)
    return ax
