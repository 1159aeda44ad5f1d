"""Piecewise schedules: constant between points, or interpolated between them."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from typing import Any

from . import _validate as v
from ._namespace import SCALAR
from ._shapes import HALF_PI, transition
from .schedule import _EXACT_INT, _INF, Schedule, _compile

_sin = math.sin

INTERPOLATIONS = ("constant", "linear", "cosine")


def points_derived(
    s: Any, xs: tuple[float, ...], ys: tuple[float, ...], interpolation: str, side: str
) -> None:
    """Store on `s` what :func:`scalar_call` reads: the points' steps and values as floats,
    the steps negated (for side "right"), their count, and the kind of path (0 constant
    left, 1 constant right, 2 linear, 3 cosine)."""
    mode = (
        (0 if side == "left" else 1)
        if interpolation == "constant"
        else INTERPOLATIONS.index(interpolation) + 1
    )
    object.__setattr__(s, "_xs", xs)
    object.__setattr__(s, "_ys", ys)
    object.__setattr__(s, "_negated", tuple(-x for x in reversed(xs)))
    object.__setattr__(s, "_count", len(xs))
    object.__setattr__(s, "_mode", mode)


def scalar_call(self: Any, step: Any) -> Any:
    """Piecewise's ``_call``: ``_value(t, SCALAR)`` written out, the same operations on the
    floats :func:`points_derived` stored (transition's, for the linear and cosine legs)."""
    kind = type(step)  # Schedule._call's hot path, inlined (see there)
    if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
        t = step
        steps, values, mode = self._xs, self._ys, self._mode
        if mode == 0:
            index = bisect_right(steps, t) - 1
            return values[0 if index < 0 else index]  # max(index, 0), written out
        if mode == 1:
            index = self._count - bisect_right(self._negated, -t) - 1
            return values[0 if index < 0 else index]
        j = bisect_right(steps, t)  # leg j runs from point j - 1 to point j
        if j == 0:
            return values[0]
        if j == self._count:
            return values[-1]
        x = steps[j - 1]
        length = steps[j] - x
        u = t - x
        if u >= length:
            return values[j]
        a, b = values[j - 1], values[j]
        if mode == 3:
            if a >= b:
                return b + (a - b) * _sin((length - u) * (HALF_PI / length)) ** 2
            return a + (b - a) * _sin(u * (HALF_PI / length)) ** 2
        if a >= b:
            return b + (a - b) * ((length - u) / length)
        return a + (b - a) * (u / length)
    return Schedule._call(self, step)


@dataclass(frozen=True, repr=False)
class Piecewise(Schedule):
    r"""A schedule given by points ``(step, value)``.

    With ``interpolation="constant"`` the value is that of the last point at or before the step
    (``side="left"``: the new value starts *at* a point, as optax
    ``piecewise_constant_schedule`` and PyTorch ``MultiStepLR``), or, with ``side="right"``, of
    the first point at or after it (the new value starts just *after* a point, as Keras
    ``PiecewiseConstantDecay``). With ``"linear"`` or ``"cosine"`` it moves between consecutive
    points along a line or a half cosine (optax ``piecewise_interpolate_schedule``). Before the
    first point it is the first value; after the last, the last value.

    Parameters
    ----------
    points : sequence of (step, value) pairs
        Steps >= 0 and strictly increasing (with interpolation, at least 2.2e-308 apart);
        values >= 0. Stored as a tuple of pairs: steps given as integers stay ``int``, values
        are ``float``.
    interpolation : {"constant", "linear", "cosine"}
        How to go from one point to the next. Default "constant".
    side : {"left", "right"}
        For "constant": whether a point's value applies from its step on ("left") or only after
        it ("right"). Default "left".

    Examples
    --------
    >>> from annealing import Piecewise
    >>> s = Piecewise(((0, 1.0), (10, 0.5), (20, 0.1)))
    >>> [s(t) for t in (0, 9, 10, 25)]
    [1.0, 1.0, 0.5, 0.1]
    >>> Piecewise(((0, 1.0), (10, 0.0)), interpolation="linear")(2.5)
    0.75
    """

    points: tuple[tuple[float, float], ...]
    interpolation: str = "constant"
    side: str = "left"
    # the points' steps and values as floats, for the scalar fast path (derived, not parameters)
    _xs: tuple[float, ...] = field(init=False, repr=False, compare=False)
    _ys: tuple[float, ...] = field(init=False, repr=False, compare=False)
    _negated: tuple[float, ...] = field(init=False, repr=False, compare=False)
    _count: int = field(init=False, repr=False, compare=False)
    _mode: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pairs = "a sequence of (step, value) pairs"
        if isinstance(self.points, (str, bytes, Mapping, Set)):
            raise TypeError(f"Piecewise: points must be {pairs}, got {v.show(self.points)}")
        try:
            raw = tuple(self.points)
            if any(isinstance(p, (str, bytes, Mapping, Set)) or len(p) != 2 for p in raw):
                raise TypeError
            raw = tuple((p[0], p[1]) for p in raw)
        except (TypeError, ValueError, IndexError, KeyError):
            raise TypeError(
                f"Piecewise: points must be {pairs}, got {v.show(self.points)}"
            ) from None
        if not raw:
            raise ValueError("Piecewise: points must hold at least one (step, value), got ()")
        steps = v.positions("Piecewise", "points' steps", [p[0] for p in raw])
        values = [v.nonnegative("Piecewise", f"points[{i}] value", p[1]) for i, p in enumerate(raw)]
        v.store(
            self,
            points=tuple(zip(steps, values, strict=True)),
            interpolation=v.choice(
                "Piecewise", "interpolation", self.interpolation, INTERPOLATIONS
            ),
            side=v.choice("Piecewise", "side", self.side, ("left", "right")),
        )
        if self.interpolation != "constant":
            for i in range(1, len(steps)):
                if steps[i] - steps[i - 1] < v.TINY:  # a leg of subnormal length: 1/length is inf
                    raise ValueError(
                        f"Piecewise: points' steps must be at least {v.TINY!r} apart to "
                        f"interpolate, got {v.show(steps[i - 1])} and {v.show(steps[i])}"
                    )
        xs = tuple(float(p[0]) for p in self.points)
        ys = tuple(float(p[1]) for p in self.points)
        points_derived(self, xs, ys, self.interpolation, self.side)
        tables = (self._xs, self._ys, self._negated)
        _compile(self, Piecewise, "piecewise", (self._mode,), tables=tables)

    def _peak(self) -> float:
        return max(p[1] for p in self.points)

    _call = scalar_call  # (OneCycle's too)
    _scalar = scalar_call

    @property
    def steps(self) -> float:
        """The step of the last point."""
        return self.points[-1][0]

    def _value(self, t: Any, xp: Any) -> Any:
        points = self.points
        # as floats: an int step beyond 2**53 is compared as numpy compares it
        steps = [float(p[0]) for p in points]
        values = [float(p[1]) for p in points]
        if self.interpolation == "constant":
            if self.side == "left":
                index = xp.maximum(xp.searchsorted(steps, t) - 1, 0)
            else:
                # the last point strictly before t: len - #(steps >= t) - 1
                index = len(steps) - xp.searchsorted([-s for s in reversed(steps)], -t) - 1
                index = xp.maximum(index, 0)
            return xp.take(values, index) if xp is not SCALAR else values[int(index)]

        def leg(i: int) -> Any:
            if i == 0 or i == len(steps):  # before the first point, after the last
                value = values[0] if i == 0 else values[-1]
                return lambda u: xp.full(u, value)
            length = steps[i] - steps[i - 1]
            return lambda u: transition(values[i - 1], values[i], u, length, self.interpolation, xp)

        starts = [0.0, *steps] if steps[0] > 0 else list(steps)
        parts = [leg(i) for i in range(len(steps) + 1)]
        return xp.segments(t, starts, parts if steps[0] > 0 else parts[1:])
