"""Transitions from one value to another over a horizon, without cancellation at either end.

Every transition is written twice: as a step away from `start` (accurate for the first half) and as
a remainder above `end` (accurate for the second half). The usual ``½(1 + cos(πt/T))`` loses
relative precision near ``t = T`` because ``1 + cos x`` cancels near ``x = π``; here the same factor
is ``sin²(π(T − t)/(2T))``, computed from ``T − t``, which is exact for the usual integer steps.
"""

from __future__ import annotations

import math
from typing import Any

from ._namespace import SCALAR

HALF_PI = math.pi / 2
SHAPES = ("linear", "cosine", "exponential", "polynomial", "1-sqrt")


def transition(
    start: float, end: float, t: Any, steps: float, shape: str, xp: Any, power: float = 1.0
) -> Any:
    """The value `t` steps into a move from `start` to `end` over `steps`; holds `end` after.

    `t` >= 0. `shape` is one of :data:`SHAPES`; `power` is the exponent of ``cosine`` (optax's
    ``exponent``) and of ``polynomial``.
    """
    if xp is SCALAR:
        if t >= steps:
            return end
        if shape == "linear":
            if 2 * t <= steps:
                return start + (end - start) * (t / steps)
            return end + (start - end) * ((steps - t) / steps)
        if shape == "cosine":
            if power == 1.0:
                if 2 * t <= steps:
                    return start + (end - start) * math.sin(HALF_PI * (t / steps)) ** 2
                return end + (start - end) * math.sin(HALF_PI * ((steps - t) / steps)) ** 2
            if 2 * t <= steps:
                factor = math.cos(HALF_PI * (t / steps)) ** 2
            else:
                factor = math.sin(HALF_PI * ((steps - t) / steps)) ** 2
            return end + (start - end) * factor**power
        if shape == "polynomial":
            return end + (start - end) * ((steps - t) / steps) ** power
        if shape == "exponential":
            return start * (end / start) ** (t / steps)
        # 1-sqrt: 1 - sqrt(x) = (1 - x) / (1 + sqrt(x)), free of cancellation near x = 1
        return end + (start - end) * (((steps - t) / steps) / (1.0 + math.sqrt(t / steps)))

    t = xp.minimum(t, steps)
    rest = steps - t
    if shape == "linear":
        first = start + (end - start) * (t / steps)
        second = end + (start - end) * (rest / steps)
        return xp.where(2 * t <= steps, first, second)
    if shape == "cosine":
        if power == 1.0:
            first = start + (end - start) * xp.sin(HALF_PI * (t / steps)) ** 2
            second = end + (start - end) * xp.sin(HALF_PI * (rest / steps)) ** 2
            return xp.where(2 * t <= steps, first, second)
        factor = xp.where(
            2 * t <= steps,
            xp.cos(HALF_PI * (t / steps)) ** 2,
            xp.sin(HALF_PI * (rest / steps)) ** 2,
        )
        return end + (start - end) * factor**power
    if shape == "polynomial":
        return end + (start - end) * (rest / steps) ** power
    if shape == "exponential":
        return start * (end / start) ** (t / steps)
    return end + (start - end) * ((rest / steps) / (1.0 + xp.sqrt(t / steps)))
