"""Cyclical learning rates: triangular waves between two bounds."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from . import _validate as v
from ._periods import remainder
from .schedule import _EXACT_INT, _INF, Schedule, _compile

_fmod = math.fmod
_floor = math.floor

MODES = ("triangular", "triangular2", "exp_range")


@dataclass(frozen=True, repr=False)
class Cyclic(Schedule):
    r"""A triangular wave between `low` and `high` (Smith, *Cyclical Learning Rates for Training
    Neural Networks*, WACV 2017, arXiv:1506.01186), as PyTorch ``CyclicLR``.

    Each cycle rises for `up` steps and falls for `down` steps (default `up`). The amplitude is
    scaled by 1 (``"triangular"``), halved every cycle (``"triangular2"``), or multiplied by
    :math:`\gamma^t` (``"exp_range"``):

    .. math:: \eta_t = \eta_{low} + (\eta_{high} - \eta_{low})\,x_t\,s_t

    where :math:`x_t \in [0, 1]` is the triangle. It never ends.

    Parameters
    ----------
    low, high : float
        The bounds, 0 <= low <= high.
    up : int or float
        Steps from `low` to `high`, > 0.
    down : int or float, optional
        Steps from `high` back to `low`, > 0. Default: `up`. ``up + down`` must be finite and
        larger than each (a leg lost in rounding is refused).
    mode : {"triangular", "triangular2", "exp_range"}
        How the amplitude changes. Default "triangular".
    gamma : float
        The factor per step of ``"exp_range"``, in (0, 1]. Default 1.

    Examples
    --------
    >>> from annealing import Cyclic
    >>> s = Cyclic(low=0.1, high=1.0, up=10, mode="triangular2")
    >>> [round(s(t), 12) for t in (0, 5, 10, 20, 30)]
    [0.1, 0.55, 1.0, 0.1, 0.55]
    """

    low: float
    high: float
    up: float
    down: float | None = None
    mode: str = "triangular"
    gamma: float = 1.0
    # derived once for the scalar path (not parameters): the fall's length, the period, the
    # mode as 0, 1, 2 (in MODES' order) and high − low
    _down: float = field(init=False, repr=False, compare=False)
    _period: float = field(init=False, repr=False, compare=False)
    _kind: int = field(init=False, repr=False, compare=False)
    _gap: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        low = v.nonnegative("Cyclic", "low", self.low)
        v.store(
            self,
            low=low,
            high=v.real("Cyclic", "high", self.high, low=low, allowed=f"a number >= low ({low!r})"),
            up=v.length("Cyclic", "up", self.up),
            mode=v.choice("Cyclic", "mode", self.mode, MODES),
            gamma=v.real(
                "Cyclic",
                "gamma",
                self.gamma,
                low=0.0,
                low_open=True,
                high=1.0,
                allowed="a number in (0, 1]",
            ),
        )
        if self.down is not None:
            v.store(self, down=v.length("Cyclic", "down", self.down))
        down = self.up if self.down is None else self.down
        period = self.up + down
        if not period <= v.MAX or period == self.up or period == down:
            # an infinite period, or one leg lost in the rounding of up + down
            raise ValueError(
                f"Cyclic: up + down must be a finite number greater than each of them, "
                f"got up={v.show(self.up)}, down={v.show(down)}"
            )
        object.__setattr__(self, "_down", down)
        object.__setattr__(self, "_period", period)
        object.__setattr__(self, "_kind", MODES.index(self.mode))
        object.__setattr__(self, "_gap", self.high - self.low)
        numbers = (self.up, self._period, self._down, self.low, self._gap, self._kind, self.gamma)
        _compile(self, Cyclic, "cyclic", numbers)

    def _peak(self) -> float:
        return self.high

    @property
    def steps(self) -> None:
        """None: a cyclic schedule never ends."""
        return None

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            # _value(t, SCALAR) written out: the same operations
            t = step  # an int step <= 2**53 computes as its float does
            up, period = self.up, self._period
            p = _fmod(t, period)
            y = p / up if p <= up else (period - p) / self._down
            x = 1.0 if y > 1.0 else y  # min(y, 1.0), written out
            mode = self._kind
            if mode == 0:  # triangular: a scale of 1.0, and y * 1.0 is y
                return self.low + self._gap * x
            if mode == 1:
                q = (t - p) / period + 0.5
                scale = 0.5 ** (float(_floor(q)) if q < _INF else q)
            else:
                scale = self.gamma**t
            return self.low + self._gap * x * scale
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        up = self.up
        down = self.up if self.down is None else self.down
        period = up + down
        # fmod is exact: the position in the cycle has no rounding error at all, and the cycle
        # index (t − p)/period is an integer up to rounding (huge, not NaN, for a tiny period)
        p = remainder(t, period, xp)
        cycle = xp.floor((t - p) / period + 0.5)
        # min: up + down is rounded, so the fall may start a hair above 1 (in [0, 1] exactly)
        x = xp.minimum(xp.where(p <= up, p / up, (period - p) / down), 1.0)
        if self.mode == "triangular":
            scale: Any = 1.0
        elif self.mode == "triangular2":
            scale = 0.5**cycle
        else:
            scale = self.gamma**t
        return self.low + (self.high - self.low) * x * scale
