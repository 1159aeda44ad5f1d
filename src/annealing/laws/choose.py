r"""The schedule of a family that a fitted law predicts best: the cooldown of a WSD run, the
end value of a cosine or a linear decay.

The question practitioners ask of a loss law (Tissue et al. 2024, arXiv:2408.11029, §5;
Luo et al. 2025, arXiv:2503.12811, §5) is "for my budget, how long a cooldown?". For a family
and a budget of `steps`, :func:`optimize` searches the family's one free parameter for the
lowest predicted loss at the last step: a grid of 101 values, then a bounded refinement
(``scipy.optimize.minimize_scalar``) around the best of them.

======================  ==========================================================  =============
family                  schedule (``W`` = `warmup`, ``T`` = `steps`)                parameter
======================  ==========================================================  =============
``"wsd"``               :class:`~annealing.WSD` to 0 with a linear cooldown of      cooldown
                        ``round(f·T)`` steps                                         fraction f
``"wsd-1-sqrt"``        the same with Hägele et al.'s ``1-sqrt`` cooldown            cooldown
                                                                                     fraction f
``"cosine"``            :class:`~annealing.Cosine` from `peak` to ``r·peak`` over    end ratio r
                        ``T - W`` steps, after a linear warmup of ``W`` steps
``"linear"``            :class:`~annealing.Linear` likewise                          end ratio r
======================  ==========================================================  =============

The answer is only as good as the law: ``benchmarks/bench_laws.py`` prints the regret of the
choices the laws make on the shipped logs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..schedule import Schedule
from ._inputs import horizon, name_of, positive_number
from .law import Law

__all__ = ["FAMILIES", "Optimum", "optimize"]

FAMILIES = ("wsd", "wsd-1-sqrt", "cosine", "linear")
GRID = 101
MAX_STEPS = 10**6


@dataclass(frozen=True)
class Optimum:
    """What :func:`optimize` found: the family, its best parameter and the schedule it makes.

    Attributes
    ----------
    family : str
        One of :data:`FAMILIES`.
    parameter : str
        ``"cooldown"`` (the fraction of `steps` spent cooling down) or ``"end"`` (the final
        rate as a fraction of the peak).
    value : float
        The best value of `parameter`, in [0, 1].
    schedule : Schedule
        The schedule with that value.
    loss : float
        The law's predicted loss at the last step.
    curve : tuple of (float, float)
        ``(value, predicted final loss)`` at each point of the grid, for a plot.
    """

    family: str
    parameter: str
    value: float
    schedule: Schedule
    loss: float
    curve: tuple[tuple[float, float], ...]


def _schedule(family: str, x: float, peak: float, warmup: int, steps: int) -> Schedule:
    from .. import WSD, Constant, Cosine, Linear, Warmup

    if family.startswith("wsd"):
        decay = min(max(round(x * steps), 0), steps - warmup)
        shape = "1-sqrt" if family == "wsd-1-sqrt" else "linear"
        if decay == 0:
            body: Schedule = Constant(peak)
            return Warmup(body, warmup=warmup, start=0.0) if warmup else body
        return WSD(
            peak=peak,
            warmup=warmup,
            stable=steps - warmup - decay,
            decay=decay,
            start=0.0,
            end=0.0,
            decay_shape=shape,
        )
    cls = Cosine if family == "cosine" else Linear
    body = cls(start=peak, end=x * peak, steps=steps - warmup)
    return Warmup(body, warmup=warmup, start=0.0) if warmup else body


def optimize(
    law: Law, steps: Any, family: str = "wsd", peak: Any = 1e-3, warmup: Any = 0
) -> Optimum:
    """The member of `family` that `law` predicts reaches the lowest loss at step `steps`.

    Parameters
    ----------
    law : Law
        A fitted law (:func:`annealing.laws.fit`).
    steps : int
        The budget: the run's last step, from 2 to 10**6.
    family : {"wsd", "wsd-1-sqrt", "cosine", "linear"}
        The family searched (see the module docstring). Default "wsd".
    peak : float
        The peak learning rate, > 0. Default 1e-3. The law was fitted at some peak; far from
        it, its predictions are extrapolations.
    warmup : int
        Steps of linear warmup from 0, ``0 <= warmup < steps``. Default 0.

    Returns
    -------
    Optimum

    Examples
    --------
    >>> from annealing.laws import Law, optimize
    >>> law = Law("tissue", (2.5, 0.6, 0.4, 0.3))
    >>> best = optimize(law, 10_000, "wsd", peak=1e-3, warmup=100)
    >>> best.parameter, 0.0 < best.value <= 1.0
    ('cooldown', True)
    >>> float(law.predict(best.schedule, [10_000])[0]) == best.loss
    True
    """
    if not isinstance(law, Law):
        raise TypeError(f"optimize: law must be an annealing.laws.Law, got {law!r}"[:200])
    if not name_of(family, FAMILIES):
        raise ValueError(f"optimize: family must be one of {FAMILIES}, got {family!r}"[:200])
    T = horizon("optimize", "steps", steps, capped=False)  # its own cap, below
    if not 2 <= T <= MAX_STEPS:
        raise ValueError(f"optimize: steps must be in 2..{MAX_STEPS}, got {T}")
    rate = positive_number("optimize", "peak", peak)
    if isinstance(warmup, bool) or not isinstance(warmup, (int, np.integer)):
        raise TypeError(f"optimize: warmup must be a whole number of steps, got {warmup!r}"[:200])
    W = int(warmup)
    if not 0 <= W < T:
        raise ValueError(f"optimize: warmup must be in 0..{T - 1} (steps - 1), got {W}")
    parameter = "cooldown" if family.startswith("wsd") else "end"

    def loss(x: float) -> float:
        value = float(law.predict(_schedule(family, x, rate, W, T), [T])[0])
        return value if math.isfinite(value) else math.inf

    grid = np.linspace(0.0, 1.0, GRID)
    losses = [loss(float(x)) for x in grid]
    i = int(np.argmin(losses))
    best_x, best_loss = float(grid[i]), losses[i]
    from scipy.optimize import minimize_scalar  # scipy only where a law is evaluated

    lo, hi = float(grid[max(i - 1, 0)]), float(grid[min(i + 1, GRID - 1)])
    found = minimize_scalar(loss, bounds=(lo, hi), method="bounded", options={"xatol": 1e-6})
    if found.success and float(found.fun) < best_loss:
        best_x, best_loss = float(found.x), float(found.fun)
    schedule = _schedule(family, best_x, rate, W, T)
    best_loss = float(law.predict(schedule, [T])[0])
    curve = tuple((float(x), float(y)) for x, y in zip(grid, losses, strict=True))
    return Optimum(family, parameter, best_x, schedule, best_loss, curve)
