"""Keras 3's learning-rate schedules (``keras.optimizers.schedules``) as ``annealing``
schedules.

Each function has the Keras class's name and arguments (``name`` is accepted and ignored).
This module is pure arithmetic: it does not import Keras. Differences:

* ``CosineDecayRestarts`` finds the cycle with a floating-point logarithm, which puts some
  restarts (``t_mul=3``, a first cycle of 1 step, step 121) at the end of the previous cycle;
  the restarts here are exact. Between restarts the values agree.
* Keras accepts settings that are not learning-rate schedules; here ``t_mul`` must be >= 1,
  ``decay_rate`` of ``ExponentialDecay`` at most 1, and the boundaries of
  ``PiecewiseConstantDecay`` > 0 and increasing.

>>> from annealing.compat import keras as kx
>>> s = kx.CosineDecay(0.0, decay_steps=100, alpha=0.1, warmup_target=1.0, warmup_steps=10)
>>> [round(s(t), 12) for t in (10, 60, 110)]
[1.0, 0.55, 0.1]
"""

from __future__ import annotations

from collections.abc import Sequence as Seq

from ..cosine import Cosine
from ..exponential import Exponential
from ..inverse_time import InverseTime
from ..linear import Polynomial
from ..piecewise import Piecewise
from ..polynomial_cycles import PolynomialCycles
from ..restarts import Restarts
from ..schedule import Schedule
from ..warmup import Warmup

__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
]


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
    from `warmup_target` to ``alpha · warmup_target`` over `decay_steps`.

    >>> CosineDecay(1.0, decay_steps=10, alpha=0.1)(15)
    0.1
    """
    del name
    if not decay_steps > 0:
        raise ValueError(f"CosineDecay: decay_steps must be > 0, got {decay_steps!r}")
    if warmup_target is None:
        return Cosine(initial_learning_rate, initial_learning_rate * alpha, decay_steps)
    decay = Cosine(warmup_target, warmup_target * alpha, decay_steps)
    if warmup_steps <= 0:
        return decay
    return Warmup(decay, warmup_steps, start=initial_learning_rate)


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
    multiplied by `m_mul` (timm's ``cycle_decay`` scales the peak instead).

    >>> s = CosineDecayRestarts(1.0, first_decay_steps=10, t_mul=2.0, m_mul=0.5, alpha=0.1)
    >>> round(s(10), 12)
    0.55
    """
    del name
    cycle = Cosine(initial_learning_rate, initial_learning_rate * alpha, first_decay_steps)
    return Restarts(cycle, mult=t_mul, peak_decay=m_mul, decay_mode="amplitude")


def ExponentialDecay(
    initial_learning_rate: float,
    decay_steps: float,
    decay_rate: float,
    staircase: bool = False,
    name: str = "ExponentialDecay",
) -> Schedule:
    """``ExponentialDecay``: ``initial · rate^(t/decay_steps)``, floored if `staircase`.

    >>> ExponentialDecay(1.0, decay_steps=10, decay_rate=0.5, staircase=True)(19)
    0.5
    """
    del name
    return Exponential(
        initial_learning_rate, rate=decay_rate, every=decay_steps, staircase=staircase
    )


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
    return InverseTime(initial_learning_rate, decay_rate, decay_steps, staircase)


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
    (:class:`annealing.PolynomialCycles`).

    >>> PolynomialDecay(1.0, decay_steps=10, end_learning_rate=0.0, cycle=True)(15)
    0.25
    """
    del name
    if cycle:
        return PolynomialCycles(initial_learning_rate, end_learning_rate, decay_steps, power)
    return Polynomial(initial_learning_rate, end_learning_rate, decay_steps, power)


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
    if len(boundaries) != len(values) - 1:
        raise ValueError(
            "PiecewiseConstantDecay: boundaries must hold one value less than values, "
            f"got boundaries={list(boundaries)!r}, values={list(values)!r}"
        )
    if boundaries and not boundaries[0] > 0:
        raise ValueError(
            f"PiecewiseConstantDecay: boundaries must be > 0, got {list(boundaries)!r}"
        )
    points = ((0, values[0]), *zip(boundaries, values[1:], strict=True))
    return Piecewise(points, side="right")
