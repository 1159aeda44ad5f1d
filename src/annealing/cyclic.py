"""Cyclical learning rates: triangular waves between two bounds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import _validate as v
from .schedule import Schedule

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
        Steps from `high` back to `low`, > 0. Default: `up`.
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

    def __post_init__(self) -> None:
        v.nonnegative("Cyclic", "low", self.low)
        v.real(
            "Cyclic",
            "high",
            self.high,
            low=float(self.low),
            allowed=f"a number >= low ({self.low!r})",
        )
        v.positive("Cyclic", "up", self.up)
        if self.down is not None:
            v.positive("Cyclic", "down", self.down)
        v.choice("Cyclic", "mode", self.mode, MODES)
        v.real(
            "Cyclic",
            "gamma",
            self.gamma,
            low=0.0,
            low_open=True,
            high=1.0,
            allowed="a number in (0, 1]",
        )

    @property
    def steps(self) -> None:
        """None: a cyclic schedule never ends."""
        return None

    def _value(self, t: Any, xp: Any) -> Any:
        up = self.up
        down = self.up if self.down is None else self.down
        period = up + down
        # fmod is exact: the position in the cycle has no rounding error at all, and the cycle
        # index (t − p)/period is an integer up to rounding (huge, not NaN, for a tiny period)
        p = xp.fmod(t, period)
        cycle = xp.floor((t - p) / period + 0.5)
        x = xp.where(p <= up, p / up, (period - p) / down)
        if self.mode == "triangular":
            scale: Any = 1.0
        elif self.mode == "triangular2":
            scale = 0.5**cycle
        else:
            scale = self.gamma**t
        return self.low + (self.high - self.low) * x * scale
