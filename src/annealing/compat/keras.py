"""Keras 3's learning-rate schedules (``keras.optimizers.schedules``) as ``annealing``
schedules.

Each function has the Keras class's name and arguments (``name`` is accepted and ignored).
This module is pure arithmetic: it does not import Keras. Differences:

* ``CosineDecayRestarts`` finds the cycle with a floating-point logarithm, which puts some
  restarts (``t_mul=3``, a first cycle of 1 step, step 121) at the end of the previous cycle;
  the restarts here are exact. Between restarts the values agree.
* Keras accepts settings that are not learning-rate schedules; here ``t_mul`` must be >= 1,
  ``decay_rate`` of ``ExponentialDecay`` at most 1, and the boundaries of
  ``PiecewiseConstantDecay`` > 0, finite and increasing.
* ``CosineDecayRestarts`` with ``m_mul > 1`` (each restart higher) is accepted; its restarts
  stop (the value holds the floor) after the cycle where ``m_mul^i`` would pass 1e300, since
  the next one would overflow. Keras's values are infinite long before (float32 overflows at
  3.4e38).

>>> from annealing.compat import keras as kx
>>> s = kx.CosineDecay(0.0, decay_steps=100, alpha=0.1, warmup_target=1.0, warmup_steps=10)
>>> [round(s(t), 12) for t in (10, 60, 110)]
[1.0, 0.55, 0.1]
"""

from __future__ import annotations

import math
from collections.abc import Sequence as Seq
from typing import Any

from ..constant import Constant
from ..cosine import Cosine
from ..exponential import Exponential
from ..inverse_time import InverseTime
from ..linear import Polynomial
from ..piecewise import Piecewise
from ..polynomial_cycles import PolynomialCycles
from ..restarts import Restarts
from ..scale import Scale
from ..schedule import Schedule
from ..sequence import Sequence
from ..step import Step
from ..warmup import Warmup
from ..warp import Offset
from . import _args as a

__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
]

_NORMAL = 2.2250738585072014e-308


def _rate(owner: str, value: Any) -> float:
    return a.rate(owner, "initial_learning_rate", value)


def _steps(owner: str, name: str, value: Any) -> float:
    """A horizon > 0 (Keras divides by it); infinite is allowed: t/inf is 0."""
    return a.length(owner, name, value, infinite=True)


@a.checked("CosineDecay")
def CosineDecay(
    initial_learning_rate: float,
    decay_steps: float,
    alpha: float = 0.0,
    name: str = "CosineDecay",
    warmup_target: float | None = None,
    warmup_steps: float = 0,
) -> Schedule:
    """``CosineDecay``: with a warmup, `decay_steps` counts *after* it (optax counts it in).

    Without `warmup_target`: from `initial_learning_rate` to ``alpha`` times it. With it: a
    line from `initial_learning_rate` to `warmup_target` over `warmup_steps`, then the cosine
    from `warmup_target` to ``alpha · warmup_target`` over `decay_steps`. As in Keras, a
    negative `warmup_steps` starts the cosine ``−warmup_steps`` steps in.

    >>> CosineDecay(1.0, decay_steps=10, alpha=0.1)(15)
    0.1
    """
    del name
    owner = "CosineDecay"
    init = _rate(owner, initial_learning_rate)
    steps = _steps(owner, "decay_steps", decay_steps)
    alpha = a.real(owner, "alpha", alpha)
    warmup = a.steps(owner, "warmup_steps", warmup_steps, low=None, infinite=True)
    if warmup_target is None:  # Keras has no warmup then, but warmup_steps is still a number
        return _cosine(owner, init, "initial_learning_rate", alpha, steps)
    target = a.rate(owner, "warmup_target", warmup_target)
    decay = _cosine(owner, target, "warmup_target", alpha, steps)
    if warmup == math.inf:
        return Constant(init)  # the warmup never ends: t/inf of the way, i.e. init
    if warmup == -math.inf:
        a.real(owner, "warmup_steps", warmup)  # the cosine would start at +inf
    if warmup <= 0:
        return Offset(decay, -warmup) if warmup < 0 else decay
    a.length(owner, "warmup_steps", warmup)
    if not warmup + steps <= 1e308:
        raise ValueError(
            f"{owner}: warmup_steps + decay_steps must be a finite number of steps, got "
            f"{warmup!r} + {steps!r}"
        )
    if isinstance(decay, Constant):
        return Sequence((Warmup(Constant(target), warmup, start=init), decay), boundaries=(warmup,))
    return Warmup(decay, warmup, start=init)


def _cosine(owner: str, peak: float, peak_name: str, alpha: float, steps: float) -> Schedule:
    end = a.finite(owner, f"{peak_name} · alpha", peak * alpha, "a finite rate >= 0")
    if math.isinf(steps):
        return Constant(peak)
    return Cosine(peak, end, steps)


@a.checked("CosineDecayRestarts")
def CosineDecayRestarts(
    initial_learning_rate: float,
    first_decay_steps: float,
    t_mul: float = 2.0,
    m_mul: float = 1.0,
    alpha: float = 0.0,
    name: str = "SGDRDecay",
) -> Schedule:
    """``CosineDecayRestarts``: `m_mul` scales the height above the floor, not the floor.

    The floor ``alpha · initial_learning_rate`` stays; each restart's height above it is
    multiplied by `m_mul` (timm's ``cycle_decay`` scales the peak instead). ``m_mul = 0``
    gives one cycle, then the floor; ``m_mul > 1`` restarts higher each time, until
    ``m_mul^i`` would pass 1e300 (then the floor holds).

    >>> s = CosineDecayRestarts(1.0, first_decay_steps=10, t_mul=2.0, m_mul=0.5, alpha=0.1)
    >>> round(s(10), 12)
    0.55
    """
    del name
    owner = "CosineDecayRestarts"
    init = _rate(owner, initial_learning_rate)
    steps = _steps(owner, "first_decay_steps", first_decay_steps)
    t_mul = a.real(owner, "t_mul", t_mul, low=1.0)
    m_mul = a.real(owner, "m_mul", m_mul, low=0.0)
    alpha = a.real(owner, "alpha", alpha)
    floor = a.finite(owner, "initial_learning_rate · alpha", init * alpha, "a finite rate >= 0")
    if math.isinf(steps):
        return Constant(init)
    cycle = Cosine(init, floor, steps)
    if m_mul == 0.0:
        return Restarts(cycle, mult=t_mul, limit=1)
    m_mul = a.real(owner, "m_mul", m_mul, low=0.0, low_open=True)
    limit = None
    if m_mul > 1.0:
        top = max(init, floor, _NORMAL)
        limit = 1 + int(min(690.0, math.log(1e300 / top)) / math.log(m_mul))
        # and the last cycle must end within float range (beyond it no step is finite)
        if t_mul > 1.0:
            room = math.log(1e300) - math.log(steps) + math.log(t_mul - 1.0)
            within = int(max(room, 0.0) / math.log(t_mul))
        else:
            within = int(min(1e300 / steps, 1e9))
        limit = max(1, min(limit, within, 100_000))
    return Restarts(cycle, mult=t_mul, peak_decay=m_mul, decay_mode="amplitude", limit=limit)


def _staircase(owner: str, value: Any) -> bool:
    return a.flag(owner, "staircase", value)


@a.checked("ExponentialDecay")
def ExponentialDecay(
    initial_learning_rate: float,
    decay_steps: float,
    decay_rate: float,
    staircase: bool = False,
    name: str = "ExponentialDecay",
) -> Schedule:
    """``ExponentialDecay``: ``initial · rate^(t/decay_steps)``, floored if `staircase`.

    `decay_rate` must be in [0, 1] (above 1 the rate grows without bound); 0 only with
    `staircase` (without it Keras gives `initial` at step 0 and 0 from any t > 0 on).

    >>> ExponentialDecay(1.0, decay_steps=10, decay_rate=0.5, staircase=True)(19)
    0.5
    """
    del name
    owner = "ExponentialDecay"
    init = _rate(owner, initial_learning_rate)
    steps = _steps(owner, "decay_steps", decay_steps)
    rate = a.real(owner, "decay_rate", decay_rate, low=0.0, high=1.0)
    stairs = _staircase(owner, staircase)
    if math.isinf(steps) or rate == 1.0 or init == 0.0:
        return Constant(init)
    if rate == 0.0 and stairs:
        return Step(init, steps, 0.0)
    rate = a.real(owner, "decay_rate", rate, low=0.0, low_open=True, high=1.0)
    if init < _NORMAL:  # subnormal: a factor of the unit schedule
        return Scale(Exponential(1.0, rate=rate, every=steps, staircase=stairs), init)
    return Exponential(init, rate=rate, every=steps, staircase=stairs)


@a.checked("InverseTimeDecay")
def InverseTimeDecay(
    initial_learning_rate: float,
    decay_steps: float,
    decay_rate: float,
    staircase: bool = False,
    name: str = "InverseTimeDecay",
) -> Schedule:
    """``InverseTimeDecay``: ``initial / (1 + rate · t/decay_steps)``.

    >>> InverseTimeDecay(1.0, decay_steps=10, decay_rate=1.0)(10)
    0.5
    """
    del name
    owner = "InverseTimeDecay"
    init = _rate(owner, initial_learning_rate)
    steps = _steps(owner, "decay_steps", decay_steps)
    rate = a.real(owner, "decay_rate", decay_rate, low=0.0)
    stairs = _staircase(owner, staircase)
    if math.isinf(steps):
        return Constant(init)
    return InverseTime(init, rate, steps, stairs)


@a.checked("PolynomialDecay")
def PolynomialDecay(
    initial_learning_rate: float,
    decay_steps: float,
    end_learning_rate: float = 0.0001,
    power: float = 1.0,
    cycle: bool = False,
    name: str = "PolynomialDecay",
) -> Schedule:
    """``PolynomialDecay``: note the default end, 1e-4 (not 0).

    With `cycle`, the horizon moves on to the next multiple of `decay_steps`
    (:class:`annealing.PolynomialCycles`). As in Keras, ``power = 0`` keeps the initial rate.

    >>> PolynomialDecay(1.0, decay_steps=10, end_learning_rate=0.0, cycle=True)(15)
    0.25
    """
    del name
    owner = "PolynomialDecay"
    init = _rate(owner, initial_learning_rate)
    cycles = a.flag(owner, "cycle", cycle)
    if cycles:
        steps = a.length(owner, "decay_steps", decay_steps)
    else:
        steps = _steps(owner, "decay_steps", decay_steps)
    end = a.rate(owner, "end_learning_rate", end_learning_rate)
    power = a.real(owner, "power", power, low=0.0)
    if math.isinf(steps) or power == 0.0:
        return Constant(init)
    power = a.real(owner, "power", power, low=0.0, low_open=True)
    if cycles:
        return PolynomialCycles(init, end, steps, power)
    return Polynomial(init, end, steps, power)


@a.checked("PiecewiseConstantDecay")
def PiecewiseConstantDecay(
    boundaries: Seq[float], values: Seq[float], name: str = "PiecewiseConstant"
) -> Schedule:
    """``PiecewiseConstantDecay``: right-closed: ``values[i+1]`` starts just *after*
    ``boundaries[i]`` (optax and PyTorch switch *at* the boundary).

    >>> s = PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    >>> [s(t) for t in (10, 11, 20, 21)]
    [1.0, 0.5, 0.5, 0.1]
    """
    del name
    owner = "PiecewiseConstantDecay"
    marks = a.sequence(owner, "boundaries", boundaries)
    levels = a.sequence(owner, "values", values)
    if len(marks) != len(levels) - 1:
        raise ValueError(
            "PiecewiseConstantDecay: boundaries must hold one value less than values, "
            f"got {len(marks)} boundaries and {len(levels)} values"
        )
    steps = [
        a.real(owner, f"boundaries[{i}]", b, low=0.0, low_open=True) for i, b in enumerate(marks)
    ]
    if any(steps[i + 1] <= steps[i] for i in range(len(steps) - 1)):
        raise ValueError(f"PiecewiseConstantDecay: boundaries must increase, got {marks!r}")
    rates = [a.rate(owner, f"values[{i}]", x) for i, x in enumerate(levels)]
    points = ((0.0, rates[0]), *zip(steps, rates[1:], strict=True))
    return Piecewise(points, side="right")
