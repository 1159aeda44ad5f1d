"""Plot schedules with matplotlib (imported only when a plot is made), labelled in words."""

from __future__ import annotations

import dataclasses
from typing import Any

from .schedule import Schedule

#: Line styles cycled with the colours, so that curves differ by more than colour alone.
LINE_STYLES = ("-", "--", ":", "-.")


def default_steps(*schedules: Schedule) -> float:
    """A plotting horizon: the longest finite length plus 10%, or 100 if all are endless."""
    lengths = [float(s.steps) for s in schedules if s.steps is not None]
    return 1.1 * max(lengths) if lengths else 100.0


def _num(x: Any) -> str:
    """A number as a reader writes it: 0.1, 1, 1e-05, 100."""
    if isinstance(x, bool) or not isinstance(x, int | float):
        return str(x)
    return f"{x:g}"


def _given(s: Schedule) -> dict[str, Any]:
    """The public init fields of `s` that differ from their defaults."""
    out = {}
    for f in dataclasses.fields(s):  # type: ignore[arg-type]
        if not f.init or f.name.startswith("_"):
            continue
        value = getattr(s, f.name)
        if f.default is dataclasses.MISSING or value != f.default:
            out[f.name] = value
    return out


def _every(n: Any) -> str:
    return "every step" if n == 1 else f"every {_num(n)} steps"


def _lower(text: str) -> str:
    """'Cosine, ...' -> 'cosine, ...' inside a sentence; names like InverseSqrt stay."""
    word = text.split(",")[0].split(" ")[0]
    return text[0].lower() + text[1:] if word[1:] == word[1:].lower() else text


def _span(start: Any, end: Any, steps: Any) -> str:
    return f"{_num(start)} → {_num(end)} over {_num(steps)} steps"


def label(schedule: Schedule) -> str:
    """A legend label in words: the schedule's name and its parameters.

    >>> from annealing import SGDR, Cosine, MultiStep, Warmup
    >>> label(SGDR(eta_max=0.05, T_0=10, T_mult=2))
    'SGDR, T_0 = 10, T_mult = 2'
    >>> label(MultiStep(1.0, (30, 60, 90), factor=0.3))
    'MultiStep at 30, 60, 90, factor 0.3'
    >>> label(Warmup(Cosine(1.0, 0.0, 90), warmup=10))
    '10-step warmup, then cosine, 1 → 0 over 90 steps'

    Schedules without a rule of their own fall back to their compact repr.
    """
    from . import (
        WSD,
        Constant,
        Cosine,
        Cyclic,
        Exponential,
        InverseSqrt,
        InverseTime,
        Linear,
        MultiStep,
        Offset,
        OneCycle,
        Piecewise,
        Polynomial,
        PolynomialCycles,
        Restarts,
        Scale,
        Sequence,
        Step,
        Tanh,
        Warmup,
        Warp,
    )

    s, given = schedule, _given(schedule)
    name = type(s).__name__
    if isinstance(s, Cosine):
        text = f"Cosine, {_span(s.start, s.end, s.steps)}"
        return text + (f", exponent {_num(s.exponent)}" if "exponent" in given else "")
    if isinstance(s, Linear | Tanh):
        return f"{name}, {_span(s.start, s.end, s.steps)}"
    if isinstance(s, Polynomial):
        return f"Polynomial, power {_num(s.power)}, {_span(s.start, s.end, s.steps)}"
    if isinstance(s, Constant):
        return f"Constant {_num(s.value)}" + (f" for {_num(s.steps)} steps" if s.steps else "")
    if isinstance(s, MultiStep):
        if not s.milestones:
            return f"MultiStep without milestones, constant {_num(s.start)}"
        at = ", ".join(_num(m) for m in s.milestones)
        return f"MultiStep at {at}, factor {_num(s.factor)}"
    if isinstance(s, Step):
        return f"Step, ×{_num(s.factor)} {_every(s.every)}"
    if isinstance(s, Exponential):
        if s.end is not None and s.steps is not None:
            text = f"Exponential, {_span(s.start, s.end, s.steps)}"
        else:
            text = f"Exponential, ×{_num(s.rate)} {_every(s.every)}"
            text += f", until {_num(s.end)}" if s.end is not None else ""
        return text + (", staircase" if s.staircase else "")
    if isinstance(s, InverseTime):
        return f"InverseTime, rate {_num(s.rate)} {_every(s.every)}"
    if isinstance(s, InverseSqrt):
        return f"InverseSqrt, timescale {_num(s.timescale)}"
    if isinstance(s, PolynomialCycles):
        return f"PolynomialCycles, power {_num(s.power)}, {_every(s.every)}"
    if isinstance(s, Warmup):
        inner = label(s.schedule)
        shape = "" if s.shape == "linear" else f" {s.shape}"
        return f"{_num(s.warmup)}-step{shape} warmup, then {_lower(inner)}"
    if isinstance(s, Restarts):
        plain = given.keys() <= {"cycle", "mult"}
        if isinstance(s.cycle, Cosine) and plain and s.cycle.exponent == 1:
            text = f"SGDR, T_0 = {_num(s.cycle.steps)}, T_mult = {_num(s.mult)}"
            return text + (f", η_min = {_num(s.cycle.end)}" if s.cycle.end else "")
        parts = [f"Restarts of {label(s.cycle)}"]
        if "mult" in given:
            parts.append(f"cycles ×{_num(s.mult)}")
        if "peak_decay" in given:
            parts.append(f"peak ×{_num(s.peak_decay)} each restart")
        if "limit" in given:
            parts.append(f"{_num(s.limit)} cycles")
        if "warmup" in given:
            parts.append(f"{_num(s.warmup)}-step warmup each")
        return ", ".join(parts)
    if isinstance(s, WSD):
        shape = "" if s.decay_shape == "linear" else f" ({s.decay_shape})"
        return (
            f"WSD, warmup {_num(s.warmup)}, stable {_num(s.stable)}, decay {_num(s.decay)}{shape}"
        )
    if isinstance(s, OneCycle):
        text = f"OneCycle, peak at {_num(100 * s.pct_start)}% of {_num(s.steps)} steps"
        if s.shape != "cosine":
            text += f", {s.shape}"
        return text + (", three-phase" if s.three_phase else "")
    if isinstance(s, Cyclic):
        return f"Cyclic {s.mode}, {_num(s.low)} to {_num(s.high)}, {_num(s.up)} steps up"
    if isinstance(s, Piecewise):
        return f"Piecewise {s.interpolation} through {len(s.points)} points"
    if isinstance(s, Sequence):
        return "Sequence: " + ", then ".join(type(p).__name__ for p in s.schedules)
    if isinstance(s, Offset):
        return f"{label(s.schedule)}, {_num(s.offset)} steps ahead"
    if isinstance(s, Scale):
        if isinstance(s.factor, Schedule):
            return f"{label(s.schedule)}, × ({_lower(label(s.factor))})"
        return f"{label(s.schedule)}, × {_num(s.factor)}"
    if isinstance(s, Warp):
        return f"{label(s.schedule)}, warped by power {_num(s.power)}"
    return s._label()


def plot(
    *schedules: Schedule,
    steps: float | None = None,
    ax: Any = None,
    labels: list[str] | None = None,
    points: int = 1000,
    ylabel: str = "learning rate",
) -> Any:
    """Plot one or more schedules against the step and return the matplotlib Axes.

    Each curve has its own colour and line style; the legend names each schedule and its
    parameters in words (see :func:`label`).

    Parameters
    ----------
    *schedules : Schedule
        The schedules to draw.
    steps : float, optional
        The last step shown. Default: the longest finite length plus 10%, or 100.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when omitted.
    labels : list of str, optional
        Legend labels; by default each schedule's :func:`label`.
    points : int
        How many points each curve is sampled at (integer steps are used when fewer). Default 1000.
    ylabel : str
        The quantity on the y axis. Default "learning rate" (a temperature schedule: "temperature").

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from annealing import Cosine, Warmup, plot
    >>> ax = plot(Warmup(Cosine(start=1.0, end=0.0, steps=90), warmup=10))
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('step', 'learning rate')
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
        _, ax = plt.subplots(layout="constrained")  # the size of your matplotlib settings
    grid = np.arange(0, int(last) + 1) if last <= points else np.linspace(0, last, points + 1)
    for i, s in enumerate(schedules):
        name = labels[i] if labels is not None else label(s)
        ax.plot(grid, s(grid), LINE_STYLES[i % len(LINE_STYLES)], label=name, lw=1.8)
    ax.set_xlabel("step")
    ax.set_ylabel(ylabel)
    ax.set_xlim(0, last)
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), frameon=False)
    return ax
