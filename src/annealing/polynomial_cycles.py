"""Polynomial decay whose horizon grows to the next multiple of its length."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import _validate as v
from ._periods import periods
from .schedule import Schedule


@dataclass(frozen=True, repr=False)
class PolynomialCycles(Schedule):
    r"""Polynomial decay to `end`, with the horizon moved on to the next multiple of `every`.

    .. math::

        \eta_t = \eta_{end} + (\eta_0 - \eta_{end})\left(1 - \frac{t}{T_t}\right)^{p},
        \qquad T_t = k\,\max(1, \lceil t/k \rceil)

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
        v.nonnegative("PolynomialCycles", "start", self.start)
        v.nonnegative("PolynomialCycles", "end", self.end)
        v.positive("PolynomialCycles", "every", self.every)
        v.positive("PolynomialCycles", "power", self.power)

    @property
    def steps(self) -> None:
        """None: the cycles never end."""
        return None

    def _value(self, t: Any, xp: Any) -> Any:
        # ceil(t / every): whole periods, plus one unless t is a multiple
        whole = periods(t, self.every, xp)
        cycles = xp.maximum(xp.where(whole * self.every < t, whole + 1, whole), 1.0)
        horizon = self.every * cycles
        return self.end + (self.start - self.end) * ((horizon - t) / horizon) ** self.power
