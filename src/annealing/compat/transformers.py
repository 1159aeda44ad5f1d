"""Transformers' schedules (``transformers.optimization``) as ``annealing`` schedules.

Transformers builds each schedule as a ``LambdaLR`` multiplier of the optimizer's learning
rate. Here each function takes ``lr`` (the parameter group's initial rate) first, then the
Transformers arguments, and returns the learning rates themselves. Where Transformers reads
``optimizer.defaults["lr"]`` (the polynomial decay, ``min_lr``) that is ``lr_init``, which
defaults to ``lr``. This module is pure arithmetic: it does not import Transformers.

Conventions reproduced: the warmup starts at 0 (the first step uses a learning rate of 0);
the cosine schedules do *not* stop at the end of training: they follow the cosine back up
(1.0·lr at twice the decay length after the warmup, for ``num_cycles=0.5``); the linear
schedule holds 0; the hard-restarts schedule is 0 after training; WSD's warmup starts at
``min_lr_ratio``.

>>> from annealing.compat import transformers as hf
>>> s = hf.get_cosine_schedule_with_warmup(1.0, num_warmup_steps=0, num_training_steps=10)
>>> [round(s(t), 12) for t in (0, 5, 10, 15, 20)]
[1.0, 0.5, 0.0, 0.5, 1.0]
"""

from __future__ import annotations

from ..constant import Constant
from ..cosine import Cosine
from ..inverse_sqrt import InverseSqrt
from ..linear import Linear, Polynomial
from ..restarts import Restarts
from ..scale import Scale
from ..schedule import Schedule
from ..sequence import Sequence
from ..warmup import Warmup
from ..wsd import WSD
from ._forms import periodic_cosine

__all__ = [
    "get_constant_schedule",
    "get_constant_schedule_with_warmup",
    "get_cosine_schedule_with_warmup",
    "get_cosine_with_hard_restarts_schedule_with_warmup",
    "get_cosine_with_min_lr_schedule_with_warmup",
    "get_inverse_sqrt_schedule",
    "get_linear_schedule_with_warmup",
    "get_polynomial_decay_schedule_with_warmup",
    "get_wsd_schedule",
]


def _warmup(schedule: Schedule, num_warmup_steps: float) -> Schedule:
    """Transformers' warmup: ``t / W`` of the schedule's first value, from 0."""
    return Warmup(schedule, num_warmup_steps) if num_warmup_steps > 0 else schedule


def get_constant_schedule(lr: float) -> Schedule:
    """``get_constant_schedule``.

    >>> get_constant_schedule(0.1)(10)
    0.1
    """
    return Constant(lr)


def get_constant_schedule_with_warmup(lr: float, num_warmup_steps: int) -> Schedule:
    """``get_constant_schedule_with_warmup``: from 0 to `lr` over the warmup, then `lr`.

    >>> get_constant_schedule_with_warmup(1.0, num_warmup_steps=4)(1)
    0.25
    """
    return _warmup(Constant(lr), num_warmup_steps)


def get_linear_schedule_with_warmup(
    lr: float, num_warmup_steps: int, num_training_steps: int
) -> Schedule:
    """``get_linear_schedule_with_warmup``: up to `lr`, then a line to 0 at
    `num_training_steps`, then 0.

    >>> s = get_linear_schedule_with_warmup(1.0, 2, 10)
    >>> [s(t) for t in (0, 1, 2, 6, 10, 20)]
    [0.0, 0.5, 1.0, 0.5, 0.0, 0.0]
    """
    span = num_training_steps - num_warmup_steps
    if span < 1:
        # Transformers divides by max(1, N - W): with no room left the decay is already over
        ramp = Linear(0.0, lr, num_warmup_steps)
        return Sequence((ramp, Constant(0.0))) if num_warmup_steps > 0 else Constant(0.0)
    return _warmup(Linear(lr, 0.0, span), num_warmup_steps)


def get_cosine_schedule_with_warmup(
    lr: float, num_warmup_steps: int, num_training_steps: int, num_cycles: float = 0.5
) -> Schedule:
    """``get_cosine_schedule_with_warmup``: past `num_training_steps` it rises again.

    >>> s = get_cosine_schedule_with_warmup(1.0, 0, 10)
    >>> s(10), s(20)
    (0.0, 1.0)
    """
    return get_cosine_with_min_lr_schedule_with_warmup(
        lr, num_warmup_steps, num_training_steps, num_cycles, min_lr_rate=0.0
    )


def get_cosine_with_hard_restarts_schedule_with_warmup(
    lr: float, num_warmup_steps: int, num_training_steps: int, num_cycles: float = 1
) -> Schedule:
    """``get_cosine_with_hard_restarts_schedule_with_warmup``: `num_cycles` equal cosines
    from `lr` to 0 after the warmup, then 0.

    >>> s = get_cosine_with_hard_restarts_schedule_with_warmup(1.0, 0, 20, num_cycles=2)
    >>> [s(t) for t in (0, 10, 20, 30)]
    [1.0, 1.0, 0.0, 0.0]
    """
    if not num_cycles > 0:
        raise ValueError(
            "get_cosine_with_hard_restarts_schedule_with_warmup: num_cycles must be > 0, "
            f"got {num_cycles!r}"
        )
    span = max(1, num_training_steps - num_warmup_steps)
    cycle = Cosine(lr, 0.0, span / num_cycles)
    cycles: Schedule
    if float(num_cycles).is_integer():
        cycles = Restarts(cycle, limit=int(num_cycles))
    else:
        cycles = Sequence((Restarts(cycle), Constant(0.0)), boundaries=(span,))
    return _warmup(cycles, num_warmup_steps)


def get_polynomial_decay_schedule_with_warmup(
    lr: float,
    num_warmup_steps: int,
    num_training_steps: int,
    lr_end: float = 1e-7,
    power: float = 1.0,
    lr_init: float | None = None,
) -> Schedule:
    """``get_polynomial_decay_schedule_with_warmup``: decays from `lr_init` to `lr_end`.

    Transformers takes ``lr_init`` from ``optimizer.defaults["lr"]`` and multiplies the
    result by each group's own rate `lr`; with ``lr_init=None`` both are `lr`.

    >>> get_polynomial_decay_schedule_with_warmup(1.0, 0, 10, lr_end=0.0)(5)
    0.5
    """
    init = lr if lr_init is None else lr_init
    if not init > lr_end:
        raise ValueError(
            "get_polynomial_decay_schedule_with_warmup: lr_end must be smaller than the "
            f"initial learning rate, got lr_end={lr_end!r}, lr_init={init!r}"
        )
    decay = Polynomial(init, lr_end, num_training_steps - num_warmup_steps, power)
    schedule = _warmup(decay, num_warmup_steps)
    return schedule if init == lr else Scale(schedule, lr / init)


def get_inverse_sqrt_schedule(
    lr: float, num_warmup_steps: int, timescale: float | None = None
) -> Schedule:
    """``get_inverse_sqrt_schedule``: ``lr / sqrt((t − W + τ)/τ)`` after the warmup, with
    ``τ`` = `timescale`, or `num_warmup_steps`, or 10 000.

    >>> get_inverse_sqrt_schedule(1.0, num_warmup_steps=100)(400)
    0.5
    """
    if timescale is None:
        timescale = num_warmup_steps or 10_000
    return _warmup(InverseSqrt(lr, timescale), num_warmup_steps)


def get_cosine_with_min_lr_schedule_with_warmup(
    lr: float,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    min_lr: float | None = None,
    min_lr_rate: float | None = None,
    lr_init: float | None = None,
) -> Schedule:
    """``get_cosine_with_min_lr_schedule_with_warmup``: the cosine between `lr` and
    ``lr · min_lr_rate`` (``min_lr_rate = min_lr / lr_init``); it rises again past the end.

    >>> s = get_cosine_with_min_lr_schedule_with_warmup(1.0, 0, 10, min_lr_rate=0.1)
    >>> [round(s(t), 12) for t in (0, 5, 9, 10, 15)]
    [1.0, 0.55, 0.122024567667, 0.1, 0.55]
    """
    owner = "get_cosine_with_min_lr_schedule_with_warmup"
    if min_lr is not None and min_lr_rate is not None:
        raise ValueError(f"{owner}: give only one of min_lr and min_lr_rate, got both")
    if min_lr is not None:
        min_lr_rate = min_lr / (lr if lr_init is None else lr_init)
    elif min_lr_rate is None:
        raise ValueError(f"{owner}: give min_lr or min_lr_rate, got neither")
    if not num_cycles > 0:
        raise ValueError(f"{owner}: num_cycles must be > 0, got {num_cycles!r}")
    span = max(1, num_training_steps - num_warmup_steps)
    cosine = periodic_cosine(lr, lr * min_lr_rate, span / (2 * num_cycles))
    return _warmup(cosine, num_warmup_steps)


def get_wsd_schedule(
    lr: float,
    num_warmup_steps: int,
    num_decay_steps: int,
    num_training_steps: int | None = None,
    num_stable_steps: int | None = None,
    warmup_type: str = "linear",
    decay_type: str = "cosine",
    min_lr_ratio: float = 0,
    num_cycles: float = 0.5,
) -> Schedule:
    """``get_wsd_schedule``: warmup from ``lr · min_lr_ratio``, stable at `lr`, decay back to
    ``lr · min_lr_ratio``, then held there.

    >>> s = get_wsd_schedule(1.0, 10, 10, num_stable_steps=80, decay_type="linear")
    >>> [s(t) for t in (0, 5, 50, 95, 100, 200)]
    [0.0, 0.5, 1.0, 0.5, 0.0, 0.0]
    """
    owner = "get_wsd_schedule"
    if num_stable_steps is None:
        if num_training_steps is None:
            raise ValueError(f"{owner}: give num_training_steps or num_stable_steps")
        num_stable_steps = num_training_steps - num_warmup_steps - num_decay_steps
    low = lr * min_lr_ratio
    if num_cycles == 0.5 or decay_type != "cosine":
        return WSD(
            lr,
            warmup=num_warmup_steps,
            stable=max(num_stable_steps, 0),
            decay=max(1, num_decay_steps),
            start=low,
            end=low,
            decay_shape=decay_type,
            warmup_shape=warmup_type,
        )
    # another number of cosine half-waves: the decay is a periodic cosine, cut off at its end
    held = num_warmup_steps + max(num_stable_steps, 0)
    wave = periodic_cosine(lr, low, max(1, num_decay_steps) / (2 * num_cycles))
    parts: list[Schedule] = [wave, Constant(low)]
    bounds: list[float] = [held + num_decay_steps]
    if held > 0:
        head = WSD(
            lr, num_warmup_steps, max(num_stable_steps, 0), 1, low, lr, "linear", warmup_type
        )
        parts.insert(0, head)
        bounds.insert(0, held)
    return Sequence(tuple(parts), boundaries=tuple(bounds))
