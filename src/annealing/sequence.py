"""Sequence: schedules one after another."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from . import _validate as v
from .schedule import _EXACT_INT, _INF, Schedule, _compile


@dataclass(frozen=True, repr=False)
class Sequence(Schedule):
    r"""Run `schedules` one after another; each starts at its own step 0.

    Schedule :math:`i` runs from boundary :math:`b_{i-1}` (0 for the first) on, evaluated at
    :math:`t - b_{i-1}`; the new schedule takes over *at* the boundary (optax
    ``join_schedules``, PyTorch ``SequentialLR``). Without `boundaries`, each schedule but the
    last runs for its own ``steps``.

    Parameters
    ----------
    schedules : sequence of Schedule
        At least one.
    boundaries : sequence of numbers, optional
        ``len(schedules) - 1`` strictly increasing steps > 0 where the next schedule takes over.
        Stored as a tuple (integers as ``int``, other numbers as ``float``). The total length
        must be finite (<= 1.8e308).

    Examples
    --------
    >>> from annealing import Constant, Linear, Sequence
    >>> s = Sequence((Linear(0.0, 1.0, steps=10), Constant(1.0, steps=10), Linear(1.0, 0.0, 10)))
    >>> [s(t) for t in (0, 5, 10, 20, 25, 30)]
    [0.0, 0.5, 1.0, 1.0, 0.5, 0.0]
    >>> s.steps
    30
    """

    schedules: tuple[Schedule, ...]
    boundaries: tuple[float, ...] | None = None
    _starts: tuple[float, ...] = field(init=False, repr=False, compare=False)
    _length: float | None = field(init=False, repr=False, compare=False)
    # two schedules: where the second starts (the scalar path compares instead of bisecting)
    _split: float | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.schedules, Schedule) or not hasattr(self.schedules, "__iter__"):
            raise TypeError(
                f"Sequence: schedules must be a sequence of Schedule, got {v.show(self.schedules)}"
            )
        schedules = tuple(self.schedules)
        if not schedules:
            raise ValueError("Sequence: schedules must hold at least one schedule, got ()")
        for i, s in enumerate(schedules):
            if not isinstance(s, Schedule):
                raise TypeError(f"Sequence: schedules[{i}] must be a Schedule, got {v.show(s)}")
        object.__setattr__(self, "schedules", schedules)
        if self.boundaries is None:
            starts = [0.0]
            for i, s in enumerate(schedules[:-1]):
                if s.steps is None:
                    raise ValueError(
                        f"Sequence: schedules[{i}] is endless (steps is None); "
                        f"give boundaries, got {v.show(s)}"
                    )
                starts.append(starts[-1] + s.steps)
        else:
            bounds = v.positions("Sequence", "boundaries", self.boundaries)
            v.store(self, boundaries=bounds)
            if len(bounds) != len(schedules) - 1:
                raise ValueError(
                    f"Sequence: boundaries must hold len(schedules) - 1 = {len(schedules) - 1} "
                    f"steps, got {v.show(self.boundaries)}"
                )
            if bounds and bounds[0] <= 0:
                raise ValueError(
                    f"Sequence: boundaries must be > 0 and strictly increasing, "
                    f"got {v.show(self.boundaries)}"
                )
            starts = [0.0, *bounds]
        last = schedules[-1].steps
        if not starts[-1] + (0 if last is None else last) <= v.MAX:
            raise ValueError(
                "Sequence: the schedules' total length must be a finite number (<= 1.8e308), "
                f"got {v.show(starts[-1] + (0 if last is None else last))}"
            )
        object.__setattr__(self, "_starts", tuple(float(x) for x in starts))
        total = None if last is None else self._starts[-1] + last
        length = total if total is None or not float(total).is_integer() else int(total)
        object.__setattr__(self, "_length", length)
        object.__setattr__(self, "_split", self._starts[1] if len(schedules) == 2 else None)
        split = -1.0 if self._split is None else self._split
        _compile(self, Sequence, "sequence", (split,), schedules, tables=(self._starts,))

    def _peak(self) -> float:
        return max(v.peak(s) for s in self.schedules)

    @property
    def steps(self) -> float | None:
        """The last boundary plus the last schedule's steps, or None when it is endless."""
        return self._length  # computed once in __post_init__

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            split = self._split
            if split is not None:  # bisect_right(starts, step) - 1 for starts (0.0, split)
                if step >= split:
                    return self.schedules[1]._scalar(step - split)
                return self.schedules[0]._scalar(step - 0.0)
            starts = self._starts
            i = bisect_right(starts, step) - 1  # >= 0: starts[0] is 0.0
            return self.schedules[i]._scalar(step - starts[i])
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        parts = [partial(_evaluate, s, xp) for s in self.schedules]
        return xp.segments(t, self._starts, parts)


def _evaluate(schedule: Schedule, xp: Any, t: Any) -> Any:
    return schedule._value(t, xp)
