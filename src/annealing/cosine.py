"""Cosine annealing: SGDR's equation (5)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from . import _validate as v
from ._namespace import SCALAR as _SC
from ._shapes import HALF_PI, transition
from .schedule import Schedule


@dataclass(frozen=True, repr=False)
class Cosine(Schedule):
    r"""Cosine annealing from `start` to `end` over `steps`, then holding `end`.

    .. math::

        \begin{aligned}
        \eta_t &= \eta_{\min} + \tfrac12(\eta_{\max} - \eta_{\min})
                  \left(1 + \cos\frac{\pi t}{T}\right), \\
               &\qquad 0 \le t \le T
        \end{aligned}

    with :math:`\eta_{\max}` = `start`, :math:`\eta_{\min}` = `end` and :math:`T` = `steps`
    (Loshchilov & Hutter, *SGDR: Stochastic Gradient Descent with Warm Restarts*, ICLR 2017,
    eq. (5), arXiv:1608.03983). With `exponent` :math:`p \ne 1` the cosine factor is raised to
    the power :math:`p`, as optax's ``cosine_decay_schedule(exponent=p)``.

    Past `steps` the value stays at `end`, as optax, Keras and timm do. PyTorch's
    ``CosineAnnealingLR`` and Transformers' cosine schedule instead follow the cosine back up
    (period :math:`2T`); ``annealing.compat`` reproduces that where asked.

    The factor :math:`\tfrac12(1+\cos(\pi t/T))` is computed as
    :math:`\sin^2(\pi(T-t)/2T)`, so values near the floor keep full relative precision (the
    usual :math:`1+\cos` form cancels there).

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
        v.store(
            self,
            start=v.nonnegative("Cosine", "start", self.start),
            end=v.nonnegative("Cosine", "end", self.end),
            steps=v.length("Cosine", "steps", self.steps),
            exponent=v.positive("Cosine", "exponent", self.exponent),
        )

    def _peak(self) -> float:
        return max(self.start, self.end)

    def _scalar(self, t: float) -> float:
        steps, start, end = self.steps, self.start, self.end
        if t >= steps:
            return end
        if self.exponent == 1.0:  # the common cases, inlined for speed (transition's own)
            if start >= end:
                return end + (start - end) * math.sin((steps - t) * (HALF_PI / steps)) ** 2
            steps = float(steps)
            if t >= steps:
                return float(end)
            return start + (end - start) * math.sin(t * (HALF_PI / steps)) ** 2
        return float(transition(start, end, t, steps, "cosine", _SC, self.exponent))

    def _value(self, t: Any, xp: Any) -> Any:
        return transition(self.start, self.end, t, self.steps, "cosine", xp, self.exponent)
