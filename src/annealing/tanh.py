"""Hyperbolic-tangent decay."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from . import _validate as v
from .schedule import _EXACT_INT, _INF, Schedule, _compile

_exp = math.exp


@dataclass(frozen=True, repr=False)
class Tanh(Schedule):
    r"""A decay along a hyperbolic tangent, between the levels `start` and `end`.

    .. math::

        \begin{aligned}
        \eta_t &= \eta_{end} + \tfrac12(\eta_{start} - \eta_{end}) \\
               &\quad \cdot \bigl(1 - \tanh(l\,(1 - x) + u\,x)\bigr), \\
        x &= \min(t, T)/T
        \end{aligned}

    with :math:`l` = `lower` and :math:`u` = `upper` (Hsueh et al., *Stochastic Gradient
    Descent with Hyperbolic-Tangent Decay on Classification*, WACV 2019, arXiv:1806.01593; timm
    ``TanhLRScheduler``). `start` and `end` are the levels the curve tends to, not its values:
    with the default bounds it starts just below `start` (``tanh(-7)`` ≈ −0.9999983) and ends
    above `end` (``tanh(3)`` ≈ 0.995), and it holds its value at `steps` after. Inside
    :class:`Restarts` the decays scale the levels, as timm does.

    Parameters
    ----------
    start, end : float
        The upper and lower levels, >= 0.
    steps : int or float
        The length of the decay, > 0.
    lower, upper : float
        The arguments of tanh at step 0 and at `steps`, finite, ``lower < upper``.
        Default -7 and 3 (timm's ``lb`` and ``ub``).

    Examples
    --------
    >>> from annealing import Tanh
    >>> s = Tanh(start=1.0, end=0.0, steps=10)
    >>> [round(s(t), 6) for t in (0, 7, 10, 20)]
    [0.999999, 0.5, 0.002473, 0.002473]
    """

    start: float
    end: float
    steps: float
    lower: float = -7.0
    upper: float = 3.0
    # derived once for the scalar path (not parameters): the sign of z below, the lower level
    # and the gap between the levels
    _sign: float = field(init=False, repr=False, compare=False)
    _low: float = field(init=False, repr=False, compare=False)
    _gap: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        v.store(
            self,
            start=v.nonnegative("Tanh", "start", self.start),
            end=v.nonnegative("Tanh", "end", self.end),
            steps=v.length("Tanh", "steps", self.steps),
            lower=v.real("Tanh", "lower", self.lower),
        )
        v.store(
            self,
            upper=v.real(
                "Tanh",
                "upper",
                self.upper,
                low=self.lower,
                low_open=True,
                allowed=f"a finite number > lower ({self.lower!r})",
            ),
        )
        falls = self.start >= self.end
        low, high = (self.end, self.start) if falls else (self.start, self.end)
        object.__setattr__(self, "_sign", -2.0 if falls else 2.0)
        object.__setattr__(self, "_low", low)
        object.__setattr__(self, "_gap", high - low)
        numbers = (self.steps, self.lower, self.upper, self._sign, self._low, self._gap)
        _compile(self, Tanh, "tanh", numbers)

    def _peak(self) -> float:
        return max(self.start, self.end)

    def _anchors(self) -> tuple[float, float]:
        """The levels that restarts decay: `start` and `end`, not the values at 0 and steps."""
        return self.start, self.end

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            # _value(t, SCALAR) written out: the same operations
            t = step  # an int step <= 2**53 computes as its float does
            steps = self.steps
            x = (steps if steps < t else t) / steps  # min(t, steps), written out
            a = self.lower * (1.0 - x) + self.upper * x
            z = self._sign * a
            y = -z
            e = _exp(y if y < z else z)
            weight = 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)
            return self._low + self._gap * weight
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        x = xp.minimum(t, self.steps) / self.steps
        a = self.lower * (1.0 - x) + self.upper * x
        # ½(1 − tanh a) = 1/(1 + e^{2a}) and ½(1 + tanh a) = 1/(1 + e^{−2a}): logistic functions
        # of ∓2a, computed from e^{−|2a|} <= 1 (no overflow, no cancellation). 1 − tanh a
        # cancels where tanh a is near 1, and start + … near −1, which a rise must use.
        z = -2.0 * a if self.start >= self.end else 2.0 * a
        e = xp.exp(xp.minimum(z, -z))
        weight = xp.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        low, high = (self.end, self.start) if self.start >= self.end else (self.start, self.end)
        return low + (high - low) * weight
