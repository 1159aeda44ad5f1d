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

import math
from collections.abc import Iterable
from typing import Any

from ..constant import Constant
from ..cosine import Cosine
from ..linear import Linear, Polynomial
from ..plateau import Plateau
from ..restarts import Restarts
from ..schedule import Schedule
from ..sequence import Sequence
from ..step import MultiStep, Step
from ..tanh import Tanh
from ..warp import Offset, Warp
from . import _args as a

__all__ = [
    "CosineLRScheduler",
    "MultiStepLRScheduler",
    "PlateauLRScheduler",
    "PolyLRScheduler",
    "StepLRScheduler",
    "TanhLRScheduler",
]

_MAX_CYCLES = 100_000


def _warmup(
    owner: str,
    schedule: Schedule,
    lr: float,
    warmup_t: Any,
    warmup_lr_init: Any,
    warmup_prefix: Any,
    target: float | None = None,
) -> Schedule:
    """timm's warmup: a line from `warmup_lr_init` to `target` (default `lr`); with
    `warmup_prefix` the schedule starts after it, else its own clock runs through it."""
    start = a.rate(owner, "warmup_lr_init", warmup_lr_init)
    prefix = a.flag(owner, "warmup_prefix", warmup_prefix)
    warmup = a.steps(owner, "warmup_t", warmup_t, infinite=True)
    if warmup <= 0:
        return schedule
    if math.isinf(warmup):
        return Constant(start)  # t < inf always: warmup_lr_init + t · (lr − init)/inf
    after = schedule if prefix else Offset(schedule, warmup)
    if not warmup + float(after.steps or 0.0) <= 1e308:
        raise ValueError(
            f"{owner}: warmup_t and the cycles after it must end within float range, got "
            f"warmup_t={warmup!r} and {after.steps!r} steps of cycles"
        )
    ramp = Linear(start, lr if target is None else target, warmup)
    return Sequence((ramp, after), boundaries=(warmup,))


def _limit(owner: str, cycle_limit: Any, steps: float, mult: float) -> int | None:
    """timm's ``i < cycle_limit`` as a number of cycles (None: no limit)."""
    if isinstance(cycle_limit, float) and math.isinf(cycle_limit) and cycle_limit > 0:
        return None
    if (
        isinstance(cycle_limit, int)
        and not isinstance(cycle_limit, bool)
        and abs(cycle_limit) <= 2**53
    ):
        n = cycle_limit
    else:
        x = a.real(owner, "cycle_limit", cycle_limit, infinite=True)
        n = 0 if x <= 0 else math.ceil(x)
    if n <= _MAX_CYCLES:
        return n
    if mult > 1 and math.log(1e300 / steps) / math.log(mult) < _MAX_CYCLES:
        return None  # the last cycle would end beyond float range: no finite step sees it
    raise ValueError(
        f"{owner}: cycle_limit must be at most {_MAX_CYCLES} cycles (or infinite), "
        f"got {a._show(cycle_limit)}"
    )


def _cycles(
    owner: str,
    cycle: Schedule,
    steps: float,
    lr_min: float,
    cycle_mul: Any,
    cycle_decay: Any,
    cycle_limit: Any,
    k_decay: Any = 1.0,
) -> Schedule:
    mult = a.real(owner, "cycle_mul", cycle_mul, low=1.0)
    decay = a.real(owner, "cycle_decay", cycle_decay, low=0.0, low_open=True)
    k = a.real(owner, "k_decay", k_decay, low=0.0)
    limit = _limit(owner, cycle_limit, steps, mult)
    if limit is not None and limit <= 0:
        return Constant(lr_min)
    if k == 0.0:
        return Constant(lr_min)  # t**0 / T**0 == 1: every cycle is at its end
    k = a.real(owner, "k_decay", k, low=0.0, low_open=True)
    if decay > 1 and limit is None:
        raise ValueError(
            f"{owner}: cycle_decay > 1 needs a finite cycle_limit (each cycle higher without "
            f"end overflows), got cycle_decay={decay!r}, cycle_limit={a._show(cycle_limit)}"
        )
    if limit is not None and limit > 1:
        try:
            span = steps * (limit if mult == 1 else (mult**limit - 1) / (mult - 1))
        except OverflowError:
            span = math.inf
        if not span < 1e300:
            raise ValueError(
                f"{owner}: t_initial, cycle_mul and cycle_limit must give cycles that end "
                f"below 1e300 steps, got t_initial={steps!r}, cycle_mul={mult!r}, "
                f"cycle_limit={a._show(cycle_limit)}"
            )
        top = max(cycle(0.0), lr_min, 1e-300)
        if decay > 1 and (limit - 1) * math.log(decay) > min(690.0, math.log(1e300 / top)):
            raise ValueError(
                f"{owner}: cycle_decay ** (cycle_limit - 1) must stay below 1e300, got "
                f"cycle_decay={decay!r}, cycle_limit={a._show(cycle_limit)}"
            )
    if k != 1.0:
        cycle = Warp(cycle, k)
    return Restarts(cycle, mult=mult, peak_decay=decay, limit=limit)


def _common(owner: str, lr: Any, t_initial: Any, lr_min: Any) -> tuple[float, float, float]:
    return (
        a.rate(owner, "lr", lr),
        a.length(owner, "t_initial", t_initial),
        a.rate(owner, "lr_min", lr_min),
    )


@a.checked("CosineLRScheduler")
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
    owner = "CosineLRScheduler"
    lr, steps, lr_min = _common(owner, lr, t_initial, lr_min)
    cycle = Cosine(lr, lr_min, steps)
    schedule = _cycles(owner, cycle, steps, lr_min, cycle_mul, cycle_decay, cycle_limit, k_decay)
    return _warmup(owner, schedule, lr, warmup_t, warmup_lr_init, warmup_prefix)


@a.checked("PolyLRScheduler")
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
    owner = "PolyLRScheduler"
    lr, steps, lr_min = _common(owner, lr, t_initial, lr_min)
    power = a.real(owner, "power", power, low=0.0, low_open=True)
    cycle = Polynomial(lr, lr_min, steps, power)
    schedule = _cycles(owner, cycle, steps, lr_min, cycle_mul, cycle_decay, cycle_limit, k_decay)
    return _warmup(owner, schedule, lr, warmup_t, warmup_lr_init, warmup_prefix)


@a.checked("TanhLRScheduler")
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
    schedule's value at ``warmup_t`` (so it joins the curve), not to `lr`. As in timm,
    ``lb < ub``, ``cycle_limit >= 0`` and ``warmup_t >= 0``.

    >>> round(TanhLRScheduler(1.0, t_initial=10)(7), 12)
    0.5
    """
    owner = "TanhLRScheduler"
    lr, steps, lr_min = _common(owner, lr, t_initial, lr_min)
    lb = a.steps(owner, "lb", lb, low=None)
    ub = a.steps(owner, "ub", ub, low=None)
    if not lb < ub:
        raise ValueError(f"TanhLRScheduler: lb must be below ub, got lb={lb!r}, ub={ub!r}")
    a.real(owner, "cycle_limit", cycle_limit, low=0.0, infinite=True)
    cycle = Tanh(lr, lr_min, steps, lb, ub)
    schedule = _cycles(owner, cycle, steps, lr_min, cycle_mul, cycle_decay, cycle_limit)
    warmup = a.steps(owner, "warmup_t", warmup_t, infinite=True)
    prefix = a.flag(owner, "warmup_prefix", warmup_prefix)
    target = None if prefix or not 0 < warmup < math.inf else schedule(warmup)
    return _warmup(owner, schedule, lr, warmup, warmup_lr_init, prefix, target)


def _decay_rate(owner: str, decay_rate: Any) -> float:
    """A factor per decay in [0, 1] (above 1 the rate grows without bound)."""
    return a.real(owner, "decay_rate", decay_rate, low=0.0, high=1.0)


@a.checked("StepLRScheduler")
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
    owner = "StepLRScheduler"
    lr = a.rate(owner, "lr", lr)
    every = a.length(owner, "decay_t", decay_t, infinite=True)
    rate = _decay_rate(owner, decay_rate)
    schedule = Constant(lr) if math.isinf(every) else Step(lr, every, rate)
    return _warmup(owner, schedule, lr, warmup_t, warmup_lr_init, warmup_prefix)


@a.checked("MultiStepLRScheduler")
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
    The milestones must be finite and in order (timm bisects the list as given).

    >>> s = MultiStepLRScheduler(1.0, decay_t=[10], decay_rate=0.5)
    >>> s(8), s(9)
    (1.0, 0.5)
    """
    owner = "MultiStepLRScheduler"
    lr = a.rate(owner, "lr", lr)
    marks = [
        a.real(owner, f"decay_t[{i}]", m)
        for i, m in enumerate(a.sequence(owner, "decay_t", decay_t))
    ]
    if any(marks[i + 1] < marks[i] for i in range(len(marks) - 1)):
        raise ValueError(f"{owner}: decay_t must be in increasing order, got {decay_t!r}")
    milestones = tuple(max(m - 1.0, 0.0) for m in marks)
    schedule = MultiStep(lr, milestones, _decay_rate(owner, decay_rate))
    return _warmup(owner, schedule, lr, warmup_t, warmup_lr_init, warmup_prefix)


def PlateauLRScheduler(
    lr: float,
    decay_rate: float = 0.1,
    patience_t: int = 10,
    threshold: float = 1e-4,
    cooldown_t: int = 0,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    lr_min: float = 0.0,
    mode: str = "max",
) -> Plateau:
    """timm ``PlateauLRScheduler`` (deprecated in timm): an :class:`annealing.plateau.Plateau`.

    timm wraps PyTorch's ``ReduceLROnPlateau`` (`decay_rate` is its factor, `patience_t`
    its patience, `cooldown_t` its cooldown, `lr_min` its floor; note ``mode="max"`` by
    default) after a linear warmup of `warmup_t` epochs from `warmup_lr_init`, whose metrics
    are ignored. Call ``.step(metric)`` where timm's loop calls ``step(epoch + 1, metric)``.
    Noise is not reproduced.

    >>> p = PlateauLRScheduler(0.1, patience_t=0, warmup_t=2, warmup_lr_init=0.0, mode="min")
    >>> p.lr, p.step(1.0), p.step(1.0), p.step(1.0), p.step(1.0)
    (0.0, 0.05, 0.1, 0.1, 0.010000000000000002)
    """
    try:
        return Plateau(
            lr, mode=mode, factor=decay_rate, patience=patience_t, threshold=threshold,
            cooldown=cooldown_t, min_lr=lr_min, warmup_t=warmup_t, warmup_lr_init=warmup_lr_init,
        )  # fmt: skip
    except (TypeError, ValueError) as error:
        text = str(error).removeprefix("Plateau: ")
        for ours, theirs in (("factor", "decay_rate"), ("patience", "patience_t"),
                             ("cooldown", "cooldown_t"), ("min_lr", "lr_min")):  # fmt: skip
            if text.startswith(ours + " "):
                text = theirs + text[len(ours) :]
        raise type(error)(f"PlateauLRScheduler: {text}") from None
