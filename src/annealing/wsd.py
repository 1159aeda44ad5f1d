"""Warmup–stable–decay (the trapezoidal schedule)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from . import _validate as v
from ._namespace import SCALAR
from ._shapes import transition
from .schedule import _EXACT_INT, _INF, Schedule, _compile

DECAY_SHAPES = ("linear", "cosine", "1-sqrt")


@dataclass(frozen=True, repr=False)
class WSD(Schedule):
    r"""Warmup, stable, decay: rise to `peak`, hold it, then decay to `end`.

    .. math::

        \eta_t = \begin{cases}
          \text{warmup from } \eta_{start} \text{ to } \eta_{peak}, \\ \qquad t < W, \\
          \eta_{peak}, \\ \qquad W \le t < W + S, \\
          \text{decay from } \eta_{peak} \text{ to } \eta_{end}, \\ \qquad W + S \le t \le W + S + D
        \end{cases}

    The decay is linear, a half cosine, or ``1-sqrt`` (:math:`1-\sqrt{x}` of the fraction
    :math:`x` of the decay done; Hägele et al., *Scaling Laws and Compute-Optimal Training
    Beyond Fixed Training Durations*, 2024, arXiv:2405.18392). Hu et al. (MiniCPM, 2024,
    arXiv:2404.06395) named the schedule. After the decay the value holds at `end`.
    Transformers' ``get_wsd_schedule`` is this with factors of the base rate.

    Parameters
    ----------
    peak : float
        The value of the stable phase, >= 0.
    warmup, stable, decay : int or float
        The lengths of the three phases, >= 0 (warmup and stable) and > 0 (decay); a warmup
        > 0 and the decay at least 2.2e-308 (normal), and their sum finite (<= 1.8e308).
    start : float
        The value at step 0, >= 0. Default 0.
    end : float
        The value at the end of the decay and after, >= 0. Default 0.
    decay_shape : {"linear", "cosine", "1-sqrt"}
        The shape of the decay. Default "linear".
    warmup_shape : {"linear", "cosine", "1-sqrt"}
        The shape of the warmup. Default "linear".

    Examples
    --------
    >>> from annealing import WSD
    >>> s = WSD(peak=1.0, warmup=10, stable=80, decay=10)
    >>> [s(t) for t in (0, 5, 10, 50, 90, 95, 100)]
    [0.0, 0.5, 1.0, 1.0, 1.0, 0.5, 0.0]
    """

    peak: float
    warmup: float
    stable: float
    decay: float
    start: float = 0.0
    end: float = 0.0
    decay_shape: str = "linear"
    warmup_shape: str = "linear"
    # derived once for the scalar path (not parameters): where the phases of positive length
    # start, and which they are (0 warmup, 1 stable, 2 decay)
    _starts: tuple[float, ...] = field(init=False, repr=False, compare=False)
    _phases: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _fall: float = field(init=False, repr=False, compare=False)  # decay, as a float

    def __post_init__(self) -> None:
        v.store(
            self,
            peak=v.nonnegative("WSD", "peak", self.peak),
            warmup=v.length("WSD", "warmup", self.warmup, zero=True),
            stable=v.length("WSD", "stable", self.stable, zero=True),
            decay=v.length("WSD", "decay", self.decay),
            start=v.nonnegative("WSD", "start", self.start),
            end=v.nonnegative("WSD", "end", self.end),
            decay_shape=v.choice("WSD", "decay_shape", self.decay_shape, DECAY_SHAPES),
            warmup_shape=v.choice("WSD", "warmup_shape", self.warmup_shape, DECAY_SHAPES),
        )
        if 0 < self.warmup < v.TINY:  # a subnormal warmup: 1/warmup overflows
            raise ValueError(
                f"WSD: warmup must be 0 or a normal number (>= {v.TINY!r}), got "
                f"{v.show(self.warmup)}"
            )
        if not self.warmup + self.stable + self.decay <= v.MAX:
            raise ValueError(
                "WSD: warmup + stable + decay must be a finite number (<= 1.8e308), got "
                f"warmup={v.show(self.warmup)}, stable={v.show(self.stable)}, "
                f"decay={v.show(self.decay)}"
            )
        starts, phases = [], []
        for phase, (start, length) in enumerate(((0.0, self.warmup), (self.warmup, self.stable))):
            if length > 0:
                starts.append(start)
                phases.append(phase)
        object.__setattr__(self, "_starts", (*starts, self.warmup + self.stable))
        object.__setattr__(self, "_phases", (*phases, 2))
        object.__setattr__(self, "_fall", float(self.decay))
        shapes = ("linear", "cosine")  # compiled: the others are left to Python
        if self.decay_shape in shapes and self.warmup_shape in shapes:
            numbers = (
                *(self.start, self.peak, self.end, self.warmup),
                *(shapes.index(self.warmup_shape), shapes.index(self.decay_shape), self._fall),
            )
            _compile(self, WSD, "wsd", numbers, tables=(self._starts, self._phases))

    def _peak(self) -> float:
        return max(self.peak, self.start, self.end)

    @property
    def steps(self) -> float:
        """warmup + stable + decay."""
        return self.warmup + self.stable + self.decay

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            # _value(t, SCALAR) written out: the same segments and the same operations
            t = float(step)
            starts = self._starts
            i = bisect_right(starts, t) - 1  # >= 0: starts[0] is 0.0
            u = t - starts[i]
            phase = self._phases[i]
            if phase == 2:
                if self.decay_shape == "linear":  # transition(..., SCALAR) written out
                    steps = self._fall
                    if u >= steps:
                        return self.end
                    peak, end = self.peak, self.end
                    if peak >= end:
                        return end + (peak - end) * ((steps - u) / steps)
                    return peak + (end - peak) * (u / steps)
                value = transition(self.peak, self.end, u, self.decay, self.decay_shape, SCALAR)
            elif phase == 1:
                value = float(self.peak)
            elif self.warmup_shape != "1-sqrt":
                value = transition(self.start, self.peak, u, self.warmup, self.warmup_shape, SCALAR)
            else:
                back = max(self.warmup - u, 0.0)
                value = transition(self.peak, self.start, back, self.warmup, "1-sqrt", SCALAR)
            return float(value)
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        def rise(u: Any) -> Any:
            # from `start` towards `peak`: the decay's transition, run backwards in time. Linear
            # and cosine are their own mirror images, so they run forwards from the exact `u`
            # (warmup − u would round, and lose the precision of values near a `start` of 0).
            if self.warmup_shape != "1-sqrt":
                return transition(self.start, self.peak, u, self.warmup, self.warmup_shape, xp)
            back = xp.maximum(self.warmup - u, 0.0)
            return transition(self.peak, self.start, back, self.warmup, self.warmup_shape, xp)

        def hold(u: Any) -> Any:
            return xp.full(u, float(self.peak))

        def fall(u: Any) -> Any:
            return transition(self.peak, self.end, u, self.decay, self.decay_shape, xp)

        starts, parts = [], []
        for start, length, part in ((0.0, self.warmup, rise), (self.warmup, self.stable, hold)):
            if length > 0:
                starts.append(start)
                parts.append(part)
        starts.append(self.warmup + self.stable)
        parts.append(fall)
        return xp.segments(t, starts, parts)
