"""Hyperbolic-tangent decay."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import _validate as v
from .schedule import Schedule


@dataclass(frozen=True, repr=False)
class Tanh(Schedule):
    r"""A decay along a hyperbolic tangent, between the levels `start` and `end`.

    .. math::

        \eta_t = \eta_{end} + \tfrac12(\eta_{start} - \eta_{end})
                 \bigl(1 - \tanh(l\,(1 - x) + u\,x)\bigr), \qquad x = \min(t, T)/T

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

    def __post_init__(self) -> None:
        v.nonnegative("Tanh", "start", self.start)
        v.nonnegative("Tanh", "end", self.end)
        v.positive("Tanh", "steps", self.steps)
        v.real("Tanh", "lower", self.lower)
        v.real(
            "Tanh",
            "upper",
            self.upper,
            low=float(self.lower),
            low_open=True,
            allowed=f"a finite number > lower ({self.lower!r})",
        )

    def _anchors(self) -> tuple[float, float]:
        """The levels that restarts decay: `start` and `end`, not the values at 0 and steps."""
        return float(self.start), float(self.end)

    def _value(self, t: Any, xp: Any) -> Any:
        x = xp.minimum(t, self.steps) / self.steps
        g = 1.0 - xp.tanh(self.lower * (1.0 - x) + self.upper * x)
        return self.end + 0.5 * (self.start - self.end) * g
