"""Exponential decay, continuous or staircase, by rate or by end value."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from . import _validate as v
from ._namespace import SCALAR
from ._periods import periods
from ._shapes import geometric
from .schedule import _EXACT_INT, _INF, Schedule, _compile

_GROWTH = 1e300  # the largest end / start of a growth (rate > 1)


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
        The factor per `every` steps, > 0. A rate > 1 (a growth) needs `end`, its ceiling,
        with ``end / start <= 1e300``.
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
    # derived once (not a parameter): whether the scalar path is the common one, a decay by
    # rate that is not a staircase
    _smooth: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_smooth", False)
        v.store(
            self,
            start=v.positive("Exponential", "start", self.start),
            every=v.length("Exponential", "every", self.every),
            staircase=v.flag("Exponential", "staircase", self.staircase),
        )
        if self.rate is None:
            if self.end is None or self.steps is None:
                raise ValueError(
                    "Exponential: give either rate (and optionally end as a bound) "
                    f"or end and steps, got rate=None, end={v.show(self.end)}, "
                    f"steps={v.show(self.steps)}"
                )
            v.store(
                self,
                end=v.positive("Exponential", "end", self.end),
                steps=v.length("Exponential", "steps", self.steps),
            )
            return
        rate = v.positive("Exponential", "rate", self.rate)
        v.store(self, rate=rate)
        if self.steps is not None:
            raise ValueError(
                "Exponential: steps must be None when rate is given (a rate never ends; "
                f"use end as a bound), got {v.show(self.steps)}"
            )
        if self.end is not None:
            v.store(self, end=v.positive("Exponential", "end", self.end))
        elif rate > 1:
            raise ValueError(
                "Exponential: end must be given as a ceiling when rate > 1 "
                f"(a growth without bound overflows), got rate={v.show(self.rate)}, end=None"
            )
        if rate > 1 and self.end is not None and self.end / self.start > _GROWTH:
            raise ValueError(
                f"Exponential: end / start must be at most {_GROWTH:g} when rate > 1 "
                f"(rate**n would overflow on the way), got start={v.show(self.start)}, "
                f"end={v.show(self.end)}"
            )
        object.__setattr__(self, "_smooth", rate <= 1 and not self.staircase)
        if self._smooth:
            numbers = (self.start, rate, self.every, self.end or 0.0)  # no end: as end 0
            _compile(self, Exponential, "exponential", numbers)

    def _peak(self) -> float:
        return max(self.start, self.end or 0.0)

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            if self._smooth:  # the common case of _value(t, SCALAR), written out
                value = self.start * self.rate ** (step / self.every)
                end = self.end
                return value if end is None or value >= end else end
            return float(self._value(float(step), SCALAR))
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        if self.rate is None:
            assert self.end is not None and self.steps is not None
            x = xp.minimum(t, self.steps)
            if self.staircase:
                # min: x / every overflows for a tiny every, and inf · every is not x
                x = xp.minimum(periods(x, self.every, xp) * self.every, self.steps)
            return geometric(self.start, self.end, x / self.steps, xp)
        n = t / self.every
        if self.staircase:
            n = periods(t, self.every, xp)
        if self.rate > 1:
            # past the ceiling the value is `end`; without the cap rate ** n overflows (Python's
            # float ** raises OverflowError) on huge steps. rate ** cap is end / start up to a
            # few ulps (<= 1e300 by construction), so it cannot overflow; min() takes the rest.
            assert self.end is not None
            cap = max((math.log(self.end) - math.log(self.start)) / math.log(self.rate), 0.0)
            value = xp.minimum(self.start * self.rate ** xp.minimum(n, cap), self.end)
            return xp.where(n >= cap, self.end, value)
        # rate ** n, not exp(n log rate): pow is exact to within an ulp for exact inputs
        value = self.start * self.rate**n
        if self.end is not None:
            value = xp.maximum(value, self.end)  # a floor (rate <= 1)
        return value
