"""Step decay: multiply by a factor every so many steps, or at given milestones."""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from . import _validate as v
from ._namespace import SCALAR
from ._periods import periods
from .schedule import _EXACT_INT, _INF, Schedule, _compile

_floor = math.floor


@dataclass(frozen=True, repr=False)
class Step(Schedule):
    r"""Multiply by `factor` every `every` steps.

    .. math:: \eta_t = \eta_0\,\gamma^{\lfloor t/k \rfloor}

    As PyTorch ``StepLR(step_size=k, gamma=γ)`` and timm ``StepLRScheduler``. It never ends.

    Parameters
    ----------
    start : float
        The value at step 0, >= 0.
    every : int or float
        The number of steps :math:`k` between two decays, > 0.
    factor : float
        The factor :math:`\gamma` applied at each decay, in [0, 1]. Default 0.1.

    Examples
    --------
    >>> from annealing import Step
    >>> s = Step(start=1.0, every=30, factor=0.1)
    >>> [s(t) for t in (0, 29, 30, 60)]
    [1.0, 1.0, 0.1, 0.010000000000000002]
    """

    start: float
    every: float
    factor: float = 0.1

    def __post_init__(self) -> None:
        v.store(
            self,
            start=v.nonnegative("Step", "start", self.start),
            every=v.length("Step", "every", self.every),
            factor=v.real(
                "Step", "factor", self.factor, low=0.0, high=1.0, allowed="a number in [0, 1]"
            ),
        )
        _compile(self, Step, "step", (self.start, self.every, self.factor))

    def _peak(self) -> float:
        return self.start

    @property
    def steps(self) -> None:
        """None: a step decay never ends."""
        return None

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            # periods(t, every, SCALAR) written out: the same operations
            t = step  # an int step <= 2**53 computes as its float does
            every = self.every
            q = t / every
            k = float(_floor(q)) if q < _INF else q
            if (k + 1) * every <= t:
                k = k + 1
            if k * every > t:
                k = k - 1
            return self.start * self.factor**k
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        return self.start * self.factor ** periods(t, self.every, xp)


@dataclass(frozen=True, repr=False)
class MultiStep(Schedule):
    r"""Multiply by `factor` at each milestone: :math:`\eta_t = \eta_0\,\gamma^{\#\{m_i \le t\}}`.

    The new value starts *at* the milestone, as PyTorch ``MultiStepLR`` and optax
    ``piecewise_constant_schedule`` do. A milestone listed twice decays twice, as in PyTorch.

    Parameters
    ----------
    start : float
        The value before the first milestone, >= 0.
    milestones : sequence of numbers
        The steps at which the value is multiplied, >= 0, non-decreasing; stored as a tuple
        (integers as ``int``, other numbers as ``float``).
    factor : float
        The factor :math:`\gamma`, in [0, 1]. Default 0.1.

    Examples
    --------
    >>> from annealing import MultiStep
    >>> s = MultiStep(start=1.0, milestones=(30, 80), factor=0.5)
    >>> [s(t) for t in (0, 30, 79, 80)]
    [1.0, 0.5, 0.5, 0.25]
    """

    start: float
    milestones: tuple[float, ...]
    factor: float = 0.1
    # the milestones as floats and the value after each count of them (derived, not parameters)
    _marks: tuple[float, ...] = field(init=False, repr=False, compare=False)
    _levels: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        v.store(
            self,
            start=v.nonnegative("MultiStep", "start", self.start),
            milestones=v.positions("MultiStep", "milestones", self.milestones, strict=False),
            factor=v.real(
                "MultiStep", "factor", self.factor, low=0.0, high=1.0, allowed="a number in [0, 1]"
            ),
        )
        count = len(self.milestones) + 1
        object.__setattr__(self, "_marks", tuple(float(m) for m in self.milestones))
        object.__setattr__(
            self, "_levels", tuple(self.start * self.factor**n for n in range(count))
        )
        _compile(self, MultiStep, "multistep", (), tables=(self._marks, self._levels))

    def _peak(self) -> float:
        return self.start

    @property
    def steps(self) -> float | None:
        """The last milestone (the value holds after it), or None without milestones."""
        return max(self.milestones) if self.milestones else None

    def _value(self, t: Any, xp: Any) -> Any:
        # start·factor**n for each count n of milestones passed, by Python's pow (numpy's
        # differs from it by an ulp at times): the same numbers on every path
        values = [self.start * self.factor**n for n in range(len(self.milestones) + 1)]
        n = xp.searchsorted([float(m) for m in self.milestones], t)
        return values[n] if xp is SCALAR else xp.take(values, n)

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            # _value(t, SCALAR): the same levels and the same search, derived once
            return self._levels[bisect_right(self._marks, step)]
        return Schedule._call(self, step)

    _scalar = _call
