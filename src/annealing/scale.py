"""Scale: a schedule multiplied by a constant or by another schedule."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from . import _validate as v
from .schedule import _EXACT_INT, _INF, Schedule, _compile


@dataclass(frozen=True, repr=False)
class Scale(Schedule):
    r"""`schedule` times `factor`: :math:`\eta_t = c \cdot s(t)` or :math:`s(t)\,f(t)`.

    Use it to turn a multiplier schedule (values in [0, 1], as PyTorch ``LambdaLR`` and
    Transformers use) into learning rates, or to modulate one schedule by another.

    Parameters
    ----------
    schedule : Schedule
        The schedule to scale.
    factor : float or Schedule
        A constant >= 0, or a schedule evaluated at the same step. The product of the
        largest values of the two must be at most 1.8e308 (``Scale(Constant(1e308), 10.0)``
        is refused: its values cannot be represented).

    Examples
    --------
    >>> from annealing import Cosine, Linear, Scale
    >>> Scale(Cosine(start=1.0, end=0.0, steps=10), 0.1)(10), Scale(Linear(1.0, 0.0, 10), 0.5)(5)
    (0.0, 0.25)
    """

    schedule: Schedule
    factor: float | Schedule
    # derived once (not a parameter): whether the factor is a schedule
    _varies: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.schedule, Schedule):
            raise TypeError(f"Scale: schedule must be a Schedule, got {v.show(self.schedule)}")
        object.__setattr__(self, "_varies", isinstance(self.factor, Schedule))
        if not self._varies:
            v.store(self, factor=v.nonnegative("Scale", "factor", self.factor))
        high = v.peak(self.schedule)
        other = v.peak(self.factor) if isinstance(self.factor, Schedule) else self.factor
        # a peak is inf (unknown) only for a schedule from outside the library: let it be
        if high < math.inf and other < math.inf and high * other > v.MAX:
            raise ValueError(
                "Scale: schedule times factor must stay within float range (<= 1.8e308), got "
                f"a schedule of values up to {high!r} and a factor up to {other!r}"
            )
        factor = self.factor
        if isinstance(factor, Schedule):
            _compile(self, Scale, "scale", (), (self.schedule, factor))
        else:
            _compile(self, Scale, "scale", (factor,), (self.schedule,))

    def _peak(self) -> float:
        other = v.peak(self.factor) if isinstance(self.factor, Schedule) else self.factor
        return v.peak(self.schedule) * other

    @property
    def steps(self) -> float | None:
        """The longer of the two lengths (None if either is endless)."""
        own = self.schedule.steps
        if not isinstance(self.factor, Schedule):
            return own
        other = self.factor.steps
        return None if own is None or other is None else max(own, other)

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            factor: Any = self.factor  # a number, or a schedule where _varies
            if self._varies:
                return self.schedule._scalar(step) * factor._scalar(step)
            return self.schedule._scalar(step) * factor
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        if isinstance(self.factor, Schedule):
            return self.schedule._value(t, xp) * self.factor._value(t, xp)
        return self.schedule._value(t, xp) * float(self.factor)
