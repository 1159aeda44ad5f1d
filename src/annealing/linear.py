"""Linear and polynomial decay."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import _validate as v
from ._namespace import SCALAR as _SC
from ._shapes import _rise, power_of, transition
from .schedule import _EXACT_INT, _INF, Schedule, _compile


@dataclass(frozen=True, repr=False)
class Linear(Schedule):
    r"""A straight line from `start` to `end` over `steps`, then holding `end`.

    .. math:: \eta_t = \eta_0 + (\eta_T - \eta_0)\,\frac{\min(t, T)}{T}

    PyTorch ``LinearLR`` (as factors of the base rate), optax ``linear_schedule`` and the decay
    of Transformers' ``get_linear_schedule_with_warmup`` are this line.

    Parameters
    ----------
    start : float
        The value at step 0, >= 0.
    end : float
        The value at `steps` and after, >= 0.
    steps : int or float
        The length of the line, > 0.

    Examples
    --------
    >>> from annealing import Linear
    >>> s = Linear(start=1.0, end=0.0, steps=4)
    >>> [s(t) for t in (0, 1, 2, 3, 4, 5)]
    [1.0, 0.75, 0.5, 0.25, 0.0, 0.0]
    """

    start: float
    end: float
    steps: float
    # derived once for the scalar path (not parameters): steps as a float, whether the line
    # falls, and the gap between the ends
    _length: float = field(init=False, repr=False, compare=False)
    _falls: bool = field(init=False, repr=False, compare=False)
    _gap: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        v.store(
            self,
            start=v.nonnegative("Linear", "start", self.start),
            end=v.nonnegative("Linear", "end", self.end),
            steps=v.length("Linear", "steps", self.steps),
        )
        _derive(self)
        numbers = (self._length, self.end, self.start, self._gap, self._falls)
        _compile(self, Linear, "linear", numbers)

    def _peak(self) -> float:
        return max(self.start, self.end)

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            # transition(..., SCALAR) written out: the same operations
            steps = self._length
            if step >= steps:
                return self.end
            if self._falls:
                return self.end + self._gap * ((steps - step) / steps)
            return self.start + self._gap * (step / steps)
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        return transition(self.start, self.end, t, self.steps, "linear", xp)


@dataclass(frozen=True, repr=False)
class Polynomial(Schedule):
    r"""Polynomial decay from `start` to `end` over `steps`, then holding `end`.

    .. math:: \eta_t = \eta_T + (\eta_0 - \eta_T)\left(1 - \frac{\min(t, T)}{T}\right)^{p}

    As PyTorch ``PolynomialLR`` (which always ends at 0), optax ``polynomial_schedule`` and
    Keras ``PolynomialDecay`` (whose default end is 1e-4). ``power=1`` is :class:`Linear`.

    Parameters
    ----------
    start : float
        The value at step 0, >= 0.
    end : float
        The value at `steps` and after, >= 0.
    steps : int or float
        The length of the decay, > 0.
    power : float
        The exponent :math:`p`, > 0. Default 1.

    Examples
    --------
    >>> from annealing import Polynomial
    >>> s = Polynomial(start=1.0, end=0.0, steps=10, power=2.0)
    >>> [round(s(t), 12) for t in (0, 5, 10, 20)]
    [1.0, 0.25, 0.0, 0.0]
    """

    start: float
    end: float
    steps: float
    power: float = 1.0
    # derived once for the scalar path, as Linear's (not parameters)
    _length: float = field(init=False, repr=False, compare=False)
    _falls: bool = field(init=False, repr=False, compare=False)
    _gap: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        v.store(
            self,
            start=v.nonnegative("Polynomial", "start", self.start),
            end=v.nonnegative("Polynomial", "end", self.end),
            steps=v.length("Polynomial", "steps", self.steps),
            power=v.positive("Polynomial", "power", self.power),
        )
        _derive(self)
        if self._falls:
            numbers = (self._length, self.end, self._gap, self.power)
            _compile(self, Polynomial, "polynomial-fall", numbers)

    def _peak(self) -> float:
        return max(self.start, self.end)

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            # transition(..., SCALAR) written out: the same operations
            t = float(step)
            steps = self._length
            if t >= steps:
                return self.end
            if self._falls:
                return self.end + self._gap * power_of((steps - t) / steps, self.power, _SC)
            rise = _rise(self.start, self.end, t, steps - t, steps, "polynomial", _SC, self.power)
            return float(rise)
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        return transition(self.start, self.end, t, self.steps, "polynomial", xp, self.power)


def _derive(s: Linear | Polynomial) -> None:
    falls = s.start >= s.end
    object.__setattr__(s, "_length", float(s.steps))
    object.__setattr__(s, "_falls", falls)
    object.__setattr__(s, "_gap", s.start - s.end if falls else s.end - s.start)
