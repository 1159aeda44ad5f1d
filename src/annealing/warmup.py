"""Warmup: a rise before any schedule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import _validate as v
from ._namespace import SCALAR
from ._shapes import transition
from .schedule import _EXACT_INT, _INF, Schedule, _compile

SHAPES = ("linear", "cosine", "exponential")


@dataclass(frozen=True, repr=False)
class Warmup(Schedule):
    r"""Rise from `start` to ``schedule(0)`` over `warmup` steps, then run `schedule`.

    .. math::

        \eta_t = \begin{cases}
          \eta_{start} + (s(0) - \eta_{start})\,w(t/W), \\ \qquad t < W, \\
          s(t - W), \quad t \ge W
        \end{cases}

    where :math:`w` is the warmup shape: linear :math:`w(x) = x`, cosine
    :math:`w(x) = \sin^2(\pi x/2)`, or exponential (geometric, from a `start` > 0).
    The schedule starts *after* the warmup, so the whole is ``warmup + schedule.steps`` long
    (Keras counts warmup this way; optax's ``warmup_cosine_decay_schedule`` counts the warmup
    inside ``decay_steps``, which is ``Warmup(Cosine(..., steps=decay_steps - W), W)`` here).
    Goyal et al., *Accurate, Large Minibatch SGD*, 2017, arXiv:1706.02677.

    The value at step 0 is `start` (0 by default), as in Transformers: the first update uses
    ``start``. Use a small `start`, or begin counting at 1, if that step should move.

    Parameters
    ----------
    schedule : Schedule
        The schedule that follows the warmup.
    warmup : int or float
        The number of warmup steps :math:`W`, > 0; ``warmup + schedule.steps`` must be finite.
    start : float
        The value at step 0, >= 0 (> 0 for the exponential shape). Default 0.
    shape : {"linear", "cosine", "exponential"}
        The shape of the rise. Default "linear".

    Examples
    --------
    >>> from annealing import Cosine, Warmup
    >>> s = Warmup(Cosine(start=1.0, end=0.0, steps=90), warmup=10)
    >>> [round(s(t), 12) for t in (0, 5, 10, 55, 100)]
    [0.0, 0.5, 1.0, 0.5, 0.0]
    >>> s.steps
    100
    """

    schedule: Schedule
    warmup: float
    start: float = 0.0
    shape: str = "linear"
    # derived once for the scalar path (not parameters): the value the warmup reaches
    # (schedule(0)), the warmup as a float, whether it is a falling line, and the line's gap;
    # _line is False where the generic path is taken (another shape)
    _target: float = field(init=False, repr=False, compare=False)
    _length: float = field(init=False, repr=False, compare=False)
    _line: bool = field(init=False, repr=False, compare=False)
    _falls: bool = field(init=False, repr=False, compare=False)
    _gap: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.schedule, Schedule):
            raise TypeError(f"Warmup: schedule must be a Schedule, got {v.show(self.schedule)}")
        v.store(
            self,
            warmup=v.length("Warmup", "warmup", self.warmup),
            shape=v.choice("Warmup", "shape", self.shape, SHAPES),
        )
        if self.shape == "exponential":
            v.store(self, start=v.positive("Warmup", "start", self.start))
            if not self.schedule(0) > 0:
                raise ValueError(
                    f"Warmup: an exponential warmup needs schedule(0) > 0, got {self.schedule(0)!r}"
                )
        else:
            v.store(self, start=v.nonnegative("Warmup", "start", self.start))
        inner = self.schedule.steps
        if inner is not None and not self.warmup + inner <= v.MAX:
            raise ValueError(
                "Warmup: warmup + schedule.steps must be a finite number (<= 1.8e308), got "
                f"warmup={v.show(self.warmup)}, schedule.steps={v.show(inner)}"
            )
        target = self.schedule._scalar(0.0)
        falls = self.start >= target
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_length", float(self.warmup))
        object.__setattr__(self, "_line", self.shape == "linear")
        object.__setattr__(self, "_falls", falls)
        object.__setattr__(self, "_gap", self.start - target if falls else target - self.start)
        if self.shape in ("linear", "cosine"):  # compiled: the others are left to Python
            numbers = (
                *(self._length, self._line, self._falls, target, self._gap, self.start),
                self.shape == "cosine",
            )
            _compile(self, Warmup, "warmup", numbers, kids=(self.schedule,))

    def _peak(self) -> float:
        return max(self.start, v.peak(self.schedule))

    @property
    def steps(self) -> float | None:
        """warmup + schedule.steps, or None when the schedule is endless."""
        inner = self.schedule.steps
        return None if inner is None else self.warmup + inner

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            if step >= self.warmup:
                return self.schedule._scalar(step - self.warmup)
            if self._line:  # transition(..., SCALAR) written out: the same operations
                length = self._length
                if self._falls:
                    return float(self._target + self._gap * ((length - step) / length))
                return float(self.start + self._gap * (step / length))
            return float(
                transition(self.start, self._target, step, self.warmup, self.shape, SCALAR)
            )
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        target = self.schedule._scalar(0.0)

        def rise(u: Any) -> Any:
            return transition(self.start, target, u, self.warmup, self.shape, xp)

        def after(u: Any) -> Any:
            return self.schedule._value(u, xp)

        return xp.segments(t, (0.0, self.warmup), (rise, after))
