"""timm's schedulers (``timm.scheduler``) as ``annealing`` schedules.

Each function has the timm class's name and arguments, with the optimizer replaced by
``lr`` (the parameter group's initial rate); noise is not reproduced (leave
``noise_range_t=None``). The value at ``t`` is what timm's ``_get_lr(t)`` returns, i.e. what
``step(t)`` / ``step_update(t)`` set. This module is pure arithmetic: it does not import timm.

Conventions reproduced: without ``warmup_prefix`` the warmup *replaces* the first
``warmup_t`` steps of the schedule (the cosine clock starts at 0, so at ``t = warmup_t`` the
rate is already below ``lr``); ``cycle_decay`` multiplies the peak, not the floor
``lr_min``; after ``cycle_limit`` cycles the value holds ``lr_min``; ``MultiStepLRScheduler``
decays one step *before* each milestone. Difference: timm finds the cycle with a
floating-point logarithm when ``cycle_mul != 1`` and puts some restarts (``cycle_mul=3``,
``t_initial=1``, t = 121) at the end of the previous cycle; the restarts here are exact.

>>> from annealing.compat import timm as tm
>>> s = tm.CosineLRScheduler(1.0, t_initial=100, warmup_t=10)
>>> round(s(10), 6)
0.975528
"""

from __future__ import annotations

from collections.abc import Iterable

from ..constant import Constant
from ..cosine import Cosine
from ..linear import Linear, Polynomial
from ..restarts import Restarts
from ..schedule import Schedule
from ..sequence import Sequence
from ..step import MultiStep, Step
from ..tanh import Tanh
from ..warp import Offset, Warp

__all__ = [
    "CosineLRScheduler",
    "MultiStepLRScheduler",
    "PolyLRScheduler",
    "StepLRScheduler",
    "TanhLRScheduler",
]


def _warmup(
    schedule: Schedule,
    lr: float,
    warmup_t: float,
    warmup_lr_init: float,
    warmup_prefix: bool,
    target: float | None = None,
) -> Schedule:
    """timm's warmup: a line from `warmup_lr_init` to `target` (default `lr`); with
    `warmup_prefix` the schedule starts after it, else its own clock runs through it."""
    if warmup_t <= 0:
        return schedule
    after = schedule if warmup_prefix else Offset(schedule, warmup_t)
    ramp = Linear(warmup_lr_init, lr if target is None else target, warmup_t)
    return Sequence((ramp, after), boundaries=(warmup_t,))


def _cycles(
    cycle: Schedule,
    lr_min: float,
    cycle_mul: float,
    cycle_decay: float,
    cycle_limit: int,
    k_decay: float = 1.0,
) -> Schedule:
    if cycle_limit <= 0:
        return Constant(lr_min)
    if k_decay != 1.0:
        cycle = Warp(cycle, k_decay)
    return Restarts(cycle, mult=cycle_mul, peak_decay=cycle_decay, limit=cycle_limit)


def CosineLRScheduler(
    lr: float,
    t_initial: int,
    lr_min: float = 0.0,
    cycle_mul: float = 1.0,
    cycle_decay: float = 1.0,
    cycle_limit: int = 1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = False,
    k_decay: float = 1.0,
) -> Schedule:
    """``CosineLRScheduler``: cosine cycles from ``lr · cycle_decay^i`` to `lr_min`.

    >>> s = CosineLRScheduler(1.0, t_initial=10, lr_min=0.1, cycle_decay=0.5, cycle_limit=2)
    >>> s(10), s(20)
    (0.5, 0.1)
    """
    cycle = Cosine(lr, lr_min, t_initial)
    schedule = _cycles(cycle, lr_min, cycle_mul, cycle_decay, cycle_limit, k_decay)
    return _warmup(schedule, lr, warmup_t, warmup_lr_init, warmup_prefix)


def PolyLRScheduler(
    lr: float,
    t_initial: int,
    power: float = 0.5,
    lr_min: float = 0.0,
    cycle_mul: float = 1.0,
    cycle_decay: float = 1.0,
    cycle_limit: int = 1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = False,
    k_decay: float = 1.0,
) -> Schedule:
    """``PolyLRScheduler``: polynomial cycles (note the class default ``power=0.5``; timm's
    factory passes ``decay_rate``, 0.1 by default, as the power).

    >>> PolyLRScheduler(1.0, t_initial=4, power=2.0)(2)
    0.25
    """
    cycle = Polynomial(lr, lr_min, t_initial, power)
    schedule = _cycles(cycle, lr_min, cycle_mul, cycle_decay, cycle_limit, k_decay)
    return _warmup(schedule, lr, warmup_t, warmup_lr_init, warmup_prefix)


def TanhLRScheduler(
    lr: float,
    t_initial: int,
    lb: float = -7.0,
    ub: float = 3.0,
    lr_min: float = 0.0,
    cycle_mul: float = 1.0,
    cycle_decay: float = 1.0,
    cycle_limit: int = 1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = False,
) -> Schedule:
    """``TanhLRScheduler``: hyperbolic-tangent cycles between the levels `lr` and `lr_min`.

    Unlike timm's other schedulers, its warmup without ``warmup_prefix`` rises to the
    schedule's value at ``warmup_t`` (so it joins the curve), not to `lr`.

    >>> round(TanhLRScheduler(1.0, t_initial=10)(7), 12)
    0.5
    """
    cycle = Tanh(lr, lr_min, t_initial, lb, ub)
    schedule = _cycles(cycle, lr_min, cycle_mul, cycle_decay, cycle_limit)
    target = None if warmup_prefix or warmup_t <= 0 else schedule(warmup_t)
    return _warmup(schedule, lr, warmup_t, warmup_lr_init, warmup_prefix, target)


def StepLRScheduler(
    lr: float,
    decay_t: float,
    decay_rate: float = 1.0,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = True,
) -> Schedule:
    """``StepLRScheduler``: ``lr · decay_rate^⌊t / decay_t⌋`` (note ``warmup_prefix=True``).

    >>> StepLRScheduler(1.0, decay_t=10, decay_rate=0.5)(10)
    0.5
    """
    return _warmup(Step(lr, decay_t, decay_rate), lr, warmup_t, warmup_lr_init, warmup_prefix)


def MultiStepLRScheduler(
    lr: float,
    decay_t: Iterable[int],
    decay_rate: float = 1.0,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = True,
) -> Schedule:
    """``MultiStepLRScheduler``: decays at ``m − 1`` for each milestone ``m`` (timm counts
    ``bisect_right(decay_t, t + 1)``), one step earlier than PyTorch's ``MultiStepLR``.

    >>> s = MultiStepLRScheduler(1.0, decay_t=[10], decay_rate=0.5)
    >>> s(8), s(9)
    (1.0, 0.5)
    """
    milestones = tuple(max(m - 1, 0) for m in decay_t)
    schedule = MultiStep(lr, milestones, decay_rate)
    return _warmup(schedule, lr, warmup_t, warmup_lr_init, warmup_prefix)
