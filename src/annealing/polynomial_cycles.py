"""Polynomial decay whose horizon grows to the next multiple of its length."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from . import _validate as v
from ._namespace import SCALAR
from ._periods import periods
from ._shapes import _rise, largest, power_of
from .schedule import _EXACT_INT, _INF, Schedule, _compile

_floor = math.floor
_MAX = v.MAX


@dataclass(frozen=True, repr=False)
class PolynomialCycles(Schedule):
    r"""Polynomial decay to `end`, with the horizon moved on to the next multiple of `every`.

    .. math::

        \begin{aligned}
        \eta_t &= \eta_{end} + (\eta_0 - \eta_{end})\left(1 - \frac{t}{T_t}\right)^{p}, \\
        T_t &= k\,\max(1, \lceil t/k \rceil)
        \end{aligned}

    with :math:`k` = `every`. At each multiple of `every` the value reaches `end`; just after
    it, the horizon doubles, triples, …, so the value jumps back up, though never to `start`
    again: cycle :math:`n` (from 1) starts near :math:`\eta_{end} + (\eta_0 - \eta_{end})
    n^{-p}`. A multiple of `every` belongs to the cycle it ends. This is Keras and TensorFlow's
    ``PolynomialDecay(cycle=True)``. It never ends.

    Parameters
    ----------
    start : float
        The value at step 0, >= 0.
    end : float
        The value at every multiple of `every`, >= 0.
    every : int or float
        :math:`k`, the length of the first cycle, > 0.
    power : float
        The exponent :math:`p`, > 0. Default 1.

    Examples
    --------
    >>> from annealing import PolynomialCycles
    >>> s = PolynomialCycles(start=1.0, end=0.0, every=10)
    >>> [s(t) for t in (0, 5, 10, 15, 20)]
    [1.0, 0.5, 0.0, 0.25, 0.0]
    """

    start: float
    end: float
    every: float
    power: float = 1.0

    def __post_init__(self) -> None:
        v.store(
            self,
            start=v.nonnegative("PolynomialCycles", "start", self.start),
            end=v.nonnegative("PolynomialCycles", "end", self.end),
            every=v.length("PolynomialCycles", "every", self.every),
            power=v.positive("PolynomialCycles", "power", self.power),
        )
        if self.start >= self.end:
            numbers = (self.every, self.start, self.end, self.power)
            _compile(self, PolynomialCycles, "polynomial-cycles-fall", numbers)

    def _peak(self) -> float:
        return max(self.start, self.end)

    @property
    def steps(self) -> None:
        """None: the cycles never end."""
        return None

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            # _value(t, SCALAR) written out: the same operations (max(a, b) is b if b > a
            # else a, min(a, b) b if b < a else a, as Python's own)
            t = float(step)
            every = self.every
            q = t / every
            whole = float(_floor(q)) if q < _INF else q  # periods(t, every, SCALAR)
            if (whole + 1) * every <= t:
                whole = whole + 1
            if whole * every > t:
                whole = whole - 1
            cycles = whole + 1 if whole * every < t else whole
            if cycles < 1.0:
                cycles = 1.0
            half = (0.5 * every) * (_MAX if cycles > _MAX else cycles)
            rest = half - 0.5 * t
            if rest < 0.0:
                rest = 0.0
            fraction = rest / half if cycles <= _MAX else 0.0
            if self.start < self.end:
                if not fraction > 0:
                    return float(self.end)
                return float(
                    _rise(
                        self.start, self.end, 0.5 * t, rest, half, "polynomial", SCALAR, self.power
                    )
                )
            return float(
                self.end + (self.start - self.end) * power_of(fraction, self.power, SCALAR)
            )
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        # ceil(t / every): whole periods, plus one unless t is a multiple
        whole = periods(t, self.every, xp)
        cycles = xp.maximum(xp.where(whole * self.every < t, whole + 1, whole), 1.0)
        # The fraction left, (T_t − t)/T_t, is in [0, 1) by definition; in floats T_t = k·n is
        # rounded and may fall a hair below t (every = 1e-20, t = 7.7), so it is clamped at 0.
        # Where k·n overflows (t near the largest float) it is taken in halves, exactly; where
        # n itself is inf (t / k overflows) the fraction is below 1/n: 0.
        # (Halving is exact for normal numbers; 0.5·k·n >= 0.5·k > 0.)
        most = largest(t)
        half = (0.5 * self.every) * xp.minimum(cycles, most)
        rest = xp.maximum(half - 0.5 * t, 0.0)
        fraction = xp.where(cycles <= most, rest / half, 0.0)
        if self.start < self.end:
            # a rise, measured from `start` (end − gap·f**p cancels where f**p is near 1)
            rise = _rise(self.start, self.end, 0.5 * t, rest, half, "polynomial", xp, self.power)
            return xp.where(fraction > 0, rise, self.end)
        return self.end + (self.start - self.end) * power_of(fraction, self.power, xp)
