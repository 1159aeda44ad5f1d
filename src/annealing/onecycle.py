"""The one-cycle policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import _validate as v
from .piecewise import Piecewise, points_derived, scalar_call
from .schedule import Schedule, _compile


@dataclass(frozen=True, repr=False)
class OneCycle(Schedule):
    r"""One cycle: up from ``peak/div`` to `peak`, then down to ``peak/(div·final_div)``.

    The rise lasts ``pct_start·steps``; the fall ends at `steps`, after which the value holds.
    With `three_phase`, the fall first returns to ``peak/div`` at ``2·pct_start·steps`` and then
    goes down to the minimum (PyTorch ``OneCycleLR(three_phase=True)``). Each leg is a half
    cosine or a line (`shape`). Smith & Topin, *Super-Convergence*, 2017, arXiv:1708.07120.

    This is the continuous form: PyTorch puts the peak at step ``pct_start·steps − 1`` and the
    end at ``steps − 1``, optax at ``int(pct_start·steps)`` and ``steps``; ``annealing.compat``
    reproduces each exactly.

    Parameters
    ----------
    peak : float
        The highest value, >= 0.
    steps : int or float
        The length of the cycle, > 0, long enough that each leg (``pct_start·steps`` …) is
        at least 2.2e-308.
    pct_start : float
        The fraction of `steps` spent rising, in (0, 1) (in (0, 0.5) with `three_phase`).
    div : float
        ``peak / div`` is the starting value, >= 1. Default 25.
    final_div : float
        ``peak / (div · final_div)`` is the final value, >= 1. Default 1e4.
    shape : {"cosine", "linear"}
        The shape of each leg. Default "cosine".
    three_phase : bool
        Fall back to the start value before the final descent. Default False.

    Examples
    --------
    >>> from annealing import OneCycle
    >>> s = OneCycle(peak=1.0, steps=100, pct_start=0.3)
    >>> [round(s(t), 12) for t in (0, 30, 100)]
    [0.04, 1.0, 4e-06]
    """

    peak: float
    steps: float
    pct_start: float = 0.3
    div: float = 25.0
    final_div: float = 1e4
    shape: str = "cosine"
    three_phase: bool = False
    _path: Piecewise = field(init=False, repr=False, compare=False)
    # the path's points as its scalar path reads them (derived, not parameters)
    _xs: tuple[float, ...] = field(init=False, repr=False, compare=False)
    _ys: tuple[float, ...] = field(init=False, repr=False, compare=False)
    _negated: tuple[float, ...] = field(init=False, repr=False, compare=False)
    _count: int = field(init=False, repr=False, compare=False)
    _mode: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        three = v.flag("OneCycle", "three_phase", self.three_phase)
        high = 0.5 if three else 1.0
        pct = v.real("OneCycle", "pct_start", self.pct_start, allowed=f"a number in (0, {high})")
        if not 0.0 < pct < high:
            raise ValueError(
                f"OneCycle: pct_start must be a number in (0, {high}), got {v.show(self.pct_start)}"
            )
        v.store(
            self,
            peak=v.nonnegative("OneCycle", "peak", self.peak),
            steps=v.length("OneCycle", "steps", self.steps),
            pct_start=pct,
            div=v.real("OneCycle", "div", self.div, low=1.0, allowed="a number >= 1"),
            final_div=v.real(
                "OneCycle", "final_div", self.final_div, low=1.0, allowed="a number >= 1"
            ),
            shape=v.choice("OneCycle", "shape", self.shape, ("cosine", "linear")),
            three_phase=three,
        )
        initial = self.peak / self.div
        low = initial / self.final_div
        rise = self.pct_start * self.steps
        turn = 2 * rise if self.three_phase else rise
        # each leg at least a normal length: a subnormal one rounds two points together, or
        # makes 1/length overflow
        legs = (rise, turn - rise, self.steps - turn) if three else (rise, self.steps - turn)
        if not min(legs) >= v.TINY:
            raise ValueError(
                f"OneCycle: steps must be large enough to split at pct_start "
                f"({v.show(self.pct_start)}), got {v.show(self.steps)}"
            )
        points: tuple[tuple[float, float], ...]
        if self.three_phase:
            points = ((0, initial), (rise, self.peak), (2 * rise, initial), (self.steps, low))
        else:
            points = ((0, initial), (rise, self.peak), (self.steps, low))
        path = Piecewise(points, interpolation=self.shape)
        object.__setattr__(self, "_path", path)
        points_derived(self, path._xs, path._ys, path.interpolation, path.side)
        tables = (self._xs, self._ys, self._negated)
        _compile(self, OneCycle, "piecewise", (self._mode,), tables=tables)

    def _peak(self) -> float:
        return self.peak

    # the path's own scalar path, on the points copied above: one Python call per step
    _call = scalar_call
    _scalar = scalar_call

    def _value(self, t: Any, xp: Any) -> Any:
        return self._path._value(t, xp)
