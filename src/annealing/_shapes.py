"""Transitions from one value to another over a horizon, without cancellation.

A transition is written as the lower of its two values plus a non-negative weight times the
gap, with the weight measured from the lower end. For a decay that is
``end + (start − end)·g`` with ``g`` computed from ``T − t``: the usual
``½(1 + cos(πt/T))`` loses relative precision near ``t = T``, because ``1 + cos x`` cancels
near ``x = π``; here the same factor is ``sin²(π(T − t)/(2T))``, and ``T − t`` is exact for
the usual integer steps. A rise (``start < end``) is measured from ``t`` instead.
"""

from __future__ import annotations

import math
from typing import Any

from ._namespace import NUMPY, SCALAR
from ._validate import MAX
from ._validate import TINY as MIN_NORMAL

HALF_PI = math.pi / 2
SHAPES = ("linear", "cosine", "exponential", "polynomial", "1-sqrt")
_TINY = 1e-300  # keeps log() finite where a branch is computed but not used


def transition(
    start: float, end: float, t: Any, steps: float, shape: str, xp: Any, power: float = 1.0
) -> Any:
    """The value `t` steps into a move from `start` to `end` over `steps`; holds `end` after.

    `t` >= 0. `shape` is one of :data:`SHAPES`; `power` is the exponent of ``cosine`` (optax's
    ``exponent``) and of ``polynomial``.
    """
    steps = float(steps)  # an int length beyond 2**53 is compared as it is computed: a float
    if xp is SCALAR:
        if t >= steps:
            return float(end)
        return _scalar(start, end, t, steps, shape, power)
    if xp is NUMPY and shape in ("linear", "cosine") and power == 1.0:
        return _numpy(start, end, t, steps, shape)
    if (
        shape in ("linear", "cosine")
        and power == 1.0
        and type(t).__module__.split(".")[0] == "torch"
        and str(t.dtype) == "torch.float64"
        and not t.requires_grad
    ):
        return _torch(start, end, t, steps, shape)
    t = xp.minimum(t, steps)
    falls = start >= end
    low, gap = (end, start - end) if falls else (start, end - start)
    if shape in ("linear", "cosine") and power == 1.0:
        x = (steps - t) if falls else t
        if shape == "linear":
            return low + gap * (x / steps)
        return low + gap * xp.sin(x * (HALF_PI / steps)) ** 2
    rest = steps - t
    if shape in ("cosine", "polynomial", "1-sqrt") and start < end:
        return xp.where(rest > 0, _rise(start, end, t, rest, steps, shape, xp, power), end)
    if shape == "cosine":
        return end + (start - end) * power_of(xp.sin(rest * (HALF_PI / steps)) ** 2, power, xp)
    if shape == "polynomial":
        return end + (start - end) * power_of(rest / steps, power, xp)
    if shape == "exponential":
        return geometric(start, end, t / steps, xp)
    # 1-sqrt: 1 - sqrt(x) = (1 - x) / (1 + sqrt(x)), free of cancellation near x = 1
    return end + (start - end) * ((rest / steps) / (1.0 + xp.sqrt(t / steps)))


def _scalar(start: float, end: float, t: float, steps: float, shape: str, power: float) -> float:
    if shape == "cosine" and power == 1.0:
        if start >= end:
            return end + (start - end) * math.sin((steps - t) * (HALF_PI / steps)) ** 2
        return start + (end - start) * math.sin(t * (HALF_PI / steps)) ** 2
    if shape == "linear":
        if start >= end:
            return end + (start - end) * ((steps - t) / steps)
        return start + (end - start) * (t / steps)
    rest = steps - t
    if start < end and shape in ("cosine", "polynomial", "1-sqrt"):
        return float(_rise(start, end, t, rest, steps, shape, SCALAR, power))
    if shape == "cosine":
        return end + (start - end) * float(
            power_of(math.sin(rest * (HALF_PI / steps)) ** 2, power, SCALAR)
        )
    if shape == "polynomial":
        return end + (start - end) * float(power_of(rest / steps, power, SCALAR))
    if shape == "exponential":
        return float(geometric(start, end, t / steps, SCALAR))
    return end + (start - end) * ((rest / steps) / (1.0 + math.sqrt(t / steps)))


def largest(t: Any) -> float:
    """The largest finite value of `t`'s floating type (float64 for Python numbers).

    A bound written as the float64 maximum becomes inf (with a warning) in a float32 array.
    """
    dtype = getattr(t, "dtype", None)
    size = getattr(dtype, "itemsize", 8)
    if size == 4 or (size == 2 and "bfloat16" in str(dtype)):
        return 3.4028234663852886e38
    return 65504.0 if size == 2 else MAX


def power_of(x: Any, p: float, xp: Any) -> Any:
    """``x**p``, as ``sqrt(x)`` and ``x·x`` for p = 0.5 and 2.

    numpy's ``pow`` and the C library's (used for Python floats) differ by an ulp in about 5%
    of cases; ``sqrt`` and a product are correctly rounded on every path, so for these common
    powers the scalar and array values are the same.
    """
    if p == 1.0:
        return x
    if p == 2.0:
        return x * x
    if p == 0.5:
        return xp.sqrt(x)
    return x**p


def geometric(start: float, end: float, f: Any, xp: Any) -> Any:
    """``start·(end/start)**f`` for `start`, `end` > 0 and ``0 <= f <= 1``: the geometric path.

    Where ``end/start`` is outside the normal float range (``Exponential(1e-300, end=1e300,
    …)``) the ratio would overflow to inf or underflow to 0; the path is then taken in log
    space, which never leaves the range between `start` and `end`.
    """
    ratio = end / start
    low, high = min(start, end), max(start, end)
    if MIN_NORMAL <= ratio <= MAX:
        # the clamps only undo a rounding past an end (which is inf for an end near 1.8e308)
        return xp.minimum(xp.maximum(start * ratio**f, low), high)
    a, b = math.log(start), math.log(end)
    value = xp.minimum(xp.maximum(xp.exp(xp.minimum(a + (b - a) * f, max(a, b))), low), high)
    return xp.where(f >= 1, end, xp.where(f > 0, value, start))  # the ends exactly


def _rise(
    start: float, end: float, t: Any, rest: Any, steps: float, shape: str, xp: Any, power: float
) -> Any:
    """A rise (``start < end``) measured from `start`, so values near `start` keep full precision.

    ``end − (end − start)·f**p`` cancels near ``t = 0``, where ``f**p`` is close to 1; here
    ``1 − f**p = −expm1(p·log f)``, with ``log f`` from ``log1p`` in the first half. `t` < `steps`
    where the result is used; the clamps only keep the unused branch finite.
    """
    gap = end - start
    if shape == "1-sqrt":  # 1 − (1 − √x) = √x
        return start + gap * xp.sqrt(t / steps)
    if shape == "cosine":  # f = cos²(πt/2T) = 1 − sin²(πt/2T) = sin²(π(T − t)/2T)
        near = xp.log1p(-xp.minimum(xp.sin(t * (HALF_PI / steps)) ** 2, 0.5))
        far = 2.0 * xp.log(xp.maximum(xp.sin(rest * (HALF_PI / steps)), _TINY))
    else:  # f = 1 − t/T = (T − t)/T
        near = xp.log1p(-xp.minimum(t / steps, 0.5))
        far = xp.log(xp.maximum(rest / steps, _TINY))
    log_f = xp.where(2 * t <= steps, near, far)
    return start + gap * -xp.expm1(power * log_f)


def _numpy(start: float, end: float, t: Any, steps: float, shape: str) -> Any:
    # The same arithmetic as _scalar, in place: one temporary array instead of one per operation.
    import numpy as np

    falls = start >= end
    x = np.minimum(t, steps)
    if falls:
        np.subtract(steps, x, out=x)
    low, gap = (end, start - end) if falls else (start, end - start)
    if shape == "linear":
        np.divide(x, steps, out=x)
    else:
        np.multiply(x, HALF_PI / steps, out=x)
        np.sin(x, out=x)
        np.square(x, out=x)
    np.multiply(x, gap, out=x)
    np.add(x, low, out=x)
    return x


def _torch(start: float, end: float, t: Any, steps: float, shape: str) -> Any:
    # The same arithmetic as the generic path, in place on one new float64 tensor: clamp(max=)
    # is minimum() here (steps > 0 and t >= 0, so the two never meet at a signed zero), and
    # -x + steps is steps - x exactly
    falls = start >= end
    x = t.clamp(max=steps)
    if falls:
        x.neg_().add_(steps)
    low, gap = (end, start - end) if falls else (start, end - start)
    if shape == "linear":
        x.div_(steps)
    else:
        x.mul_(HALF_PI / steps).sin_().square_()
    return x.mul_(gap).add_(low)
