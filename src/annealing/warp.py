"""Time transforms: a schedule with its clock bent (Warp) or moved on (Offset)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from . import _validate as v
from ._namespace import NUMPY, SCALAR
from ._shapes import largest, power_of
from .schedule import _EXACT_INT, _INF, Schedule, _compile


@dataclass(frozen=True, repr=False)
class Warp(Schedule):
    r"""Run `schedule` on a bent clock: :math:`\eta_t = s\bigl(T\,(t/T)^k\bigr)` for
    :math:`t \le T`, where :math:`T` = ``schedule.steps`` and :math:`k` = `power`.

    With :math:`k > 1` the schedule lingers near its start and hurries at the end; with
    :math:`k < 1` the opposite. Its length is unchanged and it holds ``schedule(T)`` after.
    timm's ``k_decay`` is this inside each cycle: ``Warp(Cosine(lr, lr_min, T), k)`` has
    :math:`\cos(\pi t^k / T^k)` (Zhang et al., *k-decay*, 2020, arXiv:2004.05909).

    The bent clock is computed with the same ``pow`` for Python numbers and numpy arrays (the C
    library's, element by element: numpy's vectorised pow differs from it by an ulp in about 5%
    of cases, so it is not used), and an array call costs about 6 times one with
    `power` 0.5 or 2 (computed as a square root and a product, exact on every path): where
    `schedule` is steep in relative terms (near a value of 0, at a jump) an ulp of the warped
    step would show. So do PyTorch tensors (on the host) and
    concrete JAX arrays; traced JAX arrays (under ``jit``) use JAX's own ``pow``.

    Parameters
    ----------
    schedule : Schedule
        A schedule with finite ``steps``.
    power : float
        :math:`k`, > 0. Default 1 (no warp).

    Examples
    --------
    >>> from annealing import Linear, Warp
    >>> s = Warp(Linear(start=1.0, end=0.0, steps=10), power=2.0)
    >>> [s(t) for t in (0, 5, 10, 20)]
    [1.0, 0.75, 0.0, 0.0]
    """

    schedule: Schedule
    power: float = 1.0
    # derived once for the scalar path (not parameters): the length, and whether the warp is
    # the identity
    _length: float = field(init=False, repr=False, compare=False)
    _same: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.schedule, Schedule):
            raise TypeError(f"Warp: schedule must be a Schedule, got {v.show(self.schedule)}")
        if self.schedule.steps is None:
            raise ValueError(
                f"Warp: schedule must have a finite length, got {v.show(self.schedule)}"
            )
        v.store(self, power=v.positive("Warp", "power", self.power))
        object.__setattr__(self, "_length", self.schedule.steps)
        object.__setattr__(self, "_same", self.power == 1.0 or self._length == 0)
        numbers = (self._same, self._length, self.power)
        _compile(self, Warp, "warp", numbers, (self.schedule,))

    def _peak(self) -> float:
        return v.peak(self.schedule)

    @property
    def steps(self) -> float:
        """The length of `schedule`."""
        assert self.schedule.steps is not None
        return self.schedule.steps

    def _anchors(self) -> tuple[float, float]:
        inner = getattr(self.schedule, "_anchors", None)
        if inner is not None:
            return inner()  # type: ignore[no-any-return]
        return self.schedule._scalar(0.0), self.schedule._scalar(float(self.steps))

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            # _value(t, SCALAR) written out, with the schedule's own scalar path
            if self._same:
                return self.schedule._scalar(step)
            steps = self._length
            t = float(step)
            x = (steps if steps < t else t) / steps  # min(t, steps), written out
            return self.schedule._scalar(steps * power_of(x, self.power, SCALAR))
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        if self.power == 1.0 or self.steps == 0:  # a schedule of length 0 only holds
            return self.schedule._value(t, xp)
        steps = self.steps
        x = xp.minimum(t, steps) / steps
        on_torch = type(x).__module__.split(".")[0] == "torch"
        if (xp is NUMPY or on_torch) and self.power not in (0.5, 2.0):
            # the C library's pow, as Python numbers use: numpy's and torch's differ by an ulp
            # at times, and the warped step feeds a schedule that can be steep (slower, but the
            # same numbers). JAX's concrete arrays come here as numpy; traced ones cannot.
            import numpy as np

            host = x.detach().cpu().numpy() if on_torch else x
            flat = host.ravel().tolist()  # Python floats: map runs math.pow with no boxing
            bent = np.fromiter(map(math.pow, flat, repeat(self.power)), np.float64, len(flat))
            bent = bent.reshape(np.shape(host))
            if on_torch:
                bent = xp.torch.from_numpy(bent).to(device=x.device, dtype=x.dtype)
            return self.schedule._value(steps * bent, xp)
        return self.schedule._value(steps * power_of(x, self.power, xp), xp)


@dataclass(frozen=True, repr=False)
class Offset(Schedule):
    r"""`schedule` already `offset` steps in: :math:`\eta_t = s(t + \Delta)`.

    In a :class:`Sequence`, this lets a schedule keep its own clock across a boundary: timm's
    warmup without ``warmup_prefix`` replaces the first steps of the schedule instead of
    delaying it, which is ``Sequence((Linear(init, lr, W), Offset(s, W)), boundaries=(W,))``.

    Parameters
    ----------
    schedule : Schedule
        The schedule.
    offset : int or float
        :math:`\Delta`, >= 0. Stored as an ``int`` if given an integer (``np.uint8(200)`` is
        200: no wrapping). Steps beyond ``1.8e308 − offset`` are evaluated at the largest float.

    Examples
    --------
    >>> from annealing import Linear, Offset
    >>> s = Offset(Linear(start=1.0, end=0.0, steps=10), offset=4)
    >>> [s(t) for t in (0, 6)], s.steps
    ([0.6, 0.0], 6)
    """

    schedule: Schedule
    offset: float
    # the largest step whose t + offset is finite (derived, not a parameter)
    _room: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.schedule, Schedule):
            raise TypeError(f"Offset: schedule must be a Schedule, got {v.show(self.schedule)}")
        v.store(self, offset=v.length("Offset", "offset", self.offset, zero=True))
        object.__setattr__(self, "_room", v.MAX - self.offset)
        _compile(self, Offset, "offset", (self._room, self.offset), (self.schedule,))

    def _peak(self) -> float:
        return v.peak(self.schedule)

    @property
    def steps(self) -> float | None:
        """What is left of `schedule` (0 if nothing), or None when it is endless."""
        inner = self.schedule.steps
        return None if inner is None else max(inner - self.offset, 0)

    # A step whose t + offset exceeds the largest float is evaluated at the largest float (the
    # sum is inf otherwise, which no schedule takes): a schedule of finite length holds its
    # value there anyway.
    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            room = self._room
            return self.schedule._scalar((room if room < step else step) + self.offset)
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        room = largest(t) - self.offset
        if room <= 0:  # a float32 array: every step is beyond the offset's float32 range
            return self.schedule._value(xp.full(t, largest(t)), xp)
        return self.schedule._value(xp.minimum(t, room) + self.offset, xp)
