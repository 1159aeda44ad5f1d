"""Inverse-time decay."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import _validate as v
from ._namespace import SCALAR
from ._periods import periods
from .schedule import _EXACT_INT, _INF, Schedule, _compile


@dataclass(frozen=True, repr=False)
class InverseTime(Schedule):
    r"""Inverse-time decay: :math:`\eta_t = \eta_0 / (1 + r\,t/k)`.

    With `staircase`, :math:`t/k` is rounded down to a whole number of periods. This is Keras
    ``InverseTimeDecay(initial_learning_rate, decay_steps=k, decay_rate=r)``. It never ends.
    :class:`InverseSqrt` is the square root of the same curve.

    Parameters
    ----------
    start : float
        The value at step 0, >= 0.
    rate : float
        :math:`r`, how much the denominator grows per `every` steps, >= 0.
    every : int or float
        :math:`k`, > 0. Default 1.
    staircase : bool
        Decay in whole periods of `every` steps. Default False.

    Examples
    --------
    >>> from annealing import InverseTime
    >>> s = InverseTime(start=1.0, rate=0.5, every=10)
    >>> [s(t) for t in (0, 20, 60)]
    [1.0, 0.5, 0.25]
    """

    start: float
    rate: float
    every: float = 1
    staircase: bool = False
    # derived once (not a parameter): the scalar path is the common one (rate > 0, smooth)
    _smooth: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        v.store(
            self,
            start=v.nonnegative("InverseTime", "start", self.start),
            rate=v.nonnegative("InverseTime", "rate", self.rate),
            every=v.length("InverseTime", "every", self.every),
            staircase=v.flag("InverseTime", "staircase", self.staircase),
        )
        object.__setattr__(self, "_smooth", self.rate != 0 and not self.staircase)
        if self._smooth:
            _compile(self, InverseTime, "inverse-time", (self.start, self.rate, self.every))

    def _peak(self) -> float:
        return self.start

    @property
    def steps(self) -> None:
        """None: inverse-time decay never ends."""
        return None

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            if self._smooth:  # _value(t, SCALAR) written out: the same operations
                return self.start / (1.0 + self.rate * (step / self.every))
            return float(self._value(float(step), SCALAR))
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        if self.rate == 0:  # t / every may overflow, and 0 · inf is NaN
            return xp.full(t, self.start)
        p = periods(t, self.every, xp) if self.staircase else t / self.every
        return self.start / (1.0 + self.rate * p)
