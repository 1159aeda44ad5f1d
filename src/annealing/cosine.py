"""Cosine annealing: SGDR's equation (5)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from . import _validate as v
from ._namespace import SCALAR as _SC
from ._shapes import HALF_PI, transition
from .schedule import Schedule


@dataclass(frozen=True)
class Cosine(Schedule):
    r"""Cosine annealing from `start` to `end` over `steps`, then holding `end`.

    .. math::

        \eta_t = \eta_{\min} + \tfrac12(\eta_{\max} - \eta_{\min})
                 \left(1 + \cos\frac{\pi t}{T}\right), \qquad 0 \le t \le T

    with :math:`\eta_{\max}` = `start`, :math:`\eta_{\min}` = `end` and :math:`T` = `steps`
    (Loshchilov & Hutter, *SGDR: Stochastic Gradient Descent with Warm Restarts*, ICLR 2017,
    eq. (5), arXiv:1608.03983). With `exponent` :math:`p \ne 1` the cosine factor is raised to
    the power :math:`p`, as optax's ``cosine_decay_schedule(exponent=p)``.

    Past `steps` the value stays at `end`, as optax, Keras and timm do. PyTorch's
    ``CosineAnnealingLR`` and Transformers' cosine schedule instead follow the cosine back up
    (period :math:`2T`); ``annealing.compat`` reproduces that where asked.

    The factor is computed as :math:`\cos^2(\pi t/2T)` in the first half and
    :math:`\sin^2(\pi(T-t)/2T)` in the second, so values near the floor keep full relative
    precision (the usual :math:`1+\cos` form cancels there).

    Parameters
    ----------
    start : float
        The value at step 0 (:math:`\eta_{\max}`), >= 0.
    end : float
        The value at `steps` and after (:math:`\eta_{\min}`), >= 0. It may exceed `start`.
    steps : int or float
        The length of the decay (:math:`T`), > 0.
    exponent : float
        Power applied to the cosine factor, > 0. Default 1.

    Examples
    --------
    >>> from annealing import Cosine
    >>> s = Cosine(start=1.0, end=0.1, steps=10)
    >>> [round(s(t), 12) for t in (0, 5, 9, 10, 15)]
    [1.0, 0.55, 0.122024567667, 0.1, 0.1]
    """

    start: float
    end: float
    steps: float
    exponent: float = 1.0

    def __post_init__(self) -> None:
        v.nonnegative("Cosine", "start", self.start)
        v.nonnegative("Cosine", "end", self.end)
        v.positive("Cosine", "steps", self.steps)
        v.positive("Cosine", "exponent", self.exponent)

    def _scalar(self, t: float) -> float:
        steps = self.steps
        if t >= steps:
            return float(self.end)
        if self.exponent != 1.0:
            return float(transition(self.start, self.end, t, steps, "cosine", _SC, self.exponent))
        if t + t <= steps:
            return self.start + (self.end - self.start) * math.sin(HALF_PI * (t / steps)) ** 2
        return self.end + (self.start - self.end) * math.sin(HALF_PI * ((steps - t) / steps)) ** 2

    def _value(self, t: Any, xp: Any) -> Any:
        return transition(self.start, self.end, t, self.steps, "cosine", xp, self.exponent)
