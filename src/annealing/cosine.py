"""Cosine annealing: SGDR's equation (5)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from . import _validate as v
from ._namespace import SCALAR as _SC
from ._shapes import HALF_PI, transition
from .schedule import _EXACT_INT, _INF, Schedule, _compile

_sin = math.sin


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
    # derived once for the scalar path (not parameters): 0 a fall, 1 a rise (exponent 1),
    # 2 any other exponent; the gap between the ends; pi/2 over steps
    _mode: int = field(init=False, repr=False, compare=False)
    _gap: float = field(init=False, repr=False, compare=False)
    _w: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        v.store(
            self,
            start=v.nonnegative("Cosine", "start", self.start),
            end=v.nonnegative("Cosine", "end", self.end),
            steps=v.length("Cosine", "steps", self.steps),
            exponent=v.positive("Cosine", "exponent", self.exponent),
        )
        falls = self.start >= self.end
        mode = 2 if self.exponent != 1.0 else 0 if falls else 1
        object.__setattr__(self, "_mode", mode)
        gap = self.start - self.end if falls else self.end - self.start
        object.__setattr__(self, "_gap", gap)
        object.__setattr__(self, "_w", HALF_PI / self.steps)
        if mode == 0:
            _compile(self, Cosine, "cosine-fall", (self.steps, self.end, gap, self._w))
        elif mode == 1:
            _compile(self, Cosine, "cosine-rise", (self.steps, self.end, self.start, gap, self._w))

    def _peak(self) -> float:
        return max(self.start, self.end)

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            # transition(..., SCALAR) written out for exponent 1: the same operations
            if step >= self.steps:
                return self.end
            mode = self._mode
            if mode == 0:
                return self.end + self._gap * _sin((self.steps - step) * self._w) ** 2
            if mode == 1:
                return self.start + self._gap * _sin(step * self._w) ** 2
            return float(
                transition(self.start, self.end, step, self.steps, "cosine", _SC, self.exponent)
            )
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        return transition(self.start, self.end, t, self.steps, "cosine", xp, self.exponent)
