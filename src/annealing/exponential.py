"""Exponential decay, continuous or staircase, by rate or by end value."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from . import _validate as v
from ._periods import periods
from .schedule import Schedule


@dataclass(frozen=True, repr=False)
class Exponential(Schedule):
    r"""Exponential (geometric) decay, by a rate or towards an end value.

    By rate (`rate` given):

    .. math:: \eta_t = \eta_0 \, r^{t / k}

    with :math:`r` = `rate` and :math:`k` = `every` (:math:`\lfloor t/k \rfloor` if `staircase`).
    It never ends (``steps`` is None). An optional `end` bounds it: a floor when `rate` < 1, a
    ceiling when `rate` > 1 (optax ``exponential_decay(end_value=...)``). This is PyTorch
    ``ExponentialLR`` (`every` = 1), Keras ``ExponentialDecay`` and optax ``exponential_decay``.

    By end value (`end` and `steps` given, no `rate`): a geometric path from `start` to `end`
    over `steps`, then holding `end`:

    .. math:: \eta_t = \eta_0 \left(\frac{\eta_T}{\eta_0}\right)^{\min(t,T)/T}

    Parameters
    ----------
    start : float
        The value at step 0, > 0.
    end : float, optional
        The end value (with `steps`), or the bound (with `rate`), > 0.
    steps : int or float, optional
        The length of the decay when it is given by `end`, > 0.
    rate : float, optional
        The factor per `every` steps, > 0.
    every : int or float
        The number of steps over which the value is multiplied by `rate`, > 0. Default 1.
    staircase : bool
        Decay in whole jumps of `every` steps instead of continuously. Default False.

    Examples
    --------
    >>> from annealing import Exponential
    >>> Exponential(start=1.0, rate=0.5, every=10)(20)
    0.25
    >>> s = Exponential(start=1.0, end=0.01, steps=100)
    >>> [round(s(t), 12) for t in (0, 50, 100, 200)]
    [1.0, 0.1, 0.01, 0.01]
    """

    start: float
    end: float | None = None
    steps: float | None = None
    rate: float | None = None
    every: float = 1
    staircase: bool = False

    def __post_init__(self) -> None:
        v.positive("Exponential", "start", self.start)
        v.positive("Exponential", "every", self.every)
        if not isinstance(self.staircase, bool):
            raise TypeError(f"Exponential: staircase must be True or False, got {self.staircase!r}")
        if self.rate is None:
            if self.end is None or self.steps is None:
                raise ValueError(
                    "Exponential: give either rate (and optionally end as a bound) "
                    f"or end and steps, got rate=None, end={self.end!r}, steps={self.steps!r}"
                )
            v.positive("Exponential", "end", self.end)
            v.positive("Exponential", "steps", self.steps)
        else:
            v.positive("Exponential", "rate", self.rate)
            if self.steps is not None:
                raise ValueError(
                    "Exponential: steps must be None when rate is given (a rate never ends; "
                    f"use end as a bound), got {self.steps!r}"
                )
            if self.end is not None:
                v.positive("Exponential", "end", self.end)
            elif self.rate > 1:
                raise ValueError(
                    "Exponential: end must be given as a ceiling when rate > 1 "
                    f"(a growth without bound overflows), got rate={self.rate!r}, end=None"
                )

    def _value(self, t: Any, xp: Any) -> Any:
        if self.rate is None:
            assert self.end is not None and self.steps is not None
            x = xp.minimum(t, self.steps)
            if self.staircase:
                # min: x / every overflows for a tiny every, and inf · every is not x
                x = xp.minimum(periods(x, self.every, xp) * self.every, self.steps)
            return self.start * (self.end / self.start) ** (x / self.steps)
        n = t / self.every
        if self.staircase:
            n = periods(t, self.every, xp)
        if self.rate > 1:
            # past the ceiling the value is `end` anyway; without the cap rate ** n overflows
            # (Python's float ** raises OverflowError) on huge steps
            assert self.end is not None
            n = xp.minimum(n, math.log(self.end / self.start) / math.log(self.rate) + 1.0)
        # rate ** n, not exp(n log rate): pow is exact to within an ulp for exact inputs
        value = self.start * self.rate**n
        if self.end is not None:
            bound = xp.maximum if self.rate < 1 else xp.minimum
            value = bound(value, self.end)
        return value
