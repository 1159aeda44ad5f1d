"""The constant schedule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import _validate as v
from .schedule import _EXACT_INT, _INF, Schedule, _compile


@dataclass(frozen=True, repr=False)
class Constant(Schedule):
    r"""The same value at every step: :math:`\eta_t = \eta`.

    Parameters
    ----------
    value : float
        The value, >= 0.
    steps : int or float, optional
        A length, for joining it in a :class:`Sequence` or sizing a plot; None (the default)
        means endless. The value does not change after it.

    Examples
    --------
    >>> from annealing import Constant
    >>> Constant(0.1)(1000)
    0.1
    """

    value: float
    steps: float | None = None

    def __post_init__(self) -> None:
        v.store(self, value=v.nonnegative("Constant", "value", self.value))
        if self.steps is not None:
            v.store(self, steps=v.length("Constant", "steps", self.steps))
        _compile(self, Constant, "constant", (self.value,))

    def _peak(self) -> float:
        return self.value

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            return self.value
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        return xp.full(t, self.value)
