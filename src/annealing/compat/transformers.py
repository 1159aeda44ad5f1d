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

from typing import Any

from ..constant import Constant
from ..cosine import Cosine
from ..inverse_sqrt import InverseSqrt
from ..linear import Linear, Polynomial
from ..piecewise import Piecewise
from ..plateau import Plateau
from ..restarts import Restarts
from ..scale import Scale
from ..schedule import Schedule
from ..sequence import Sequence
from ..warmup import Warmup
from ..wsd import WSD
from . import _args as a
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
    "get_reduce_on_plateau_schedule",
    "get_scheduler",
    "get_wsd_schedule",
]


def _steps(owner: str, name: str, value: Any) -> float:
    """A number of steps: a finite number >= 0 (Transformers compares the step with it)."""
    return a.steps(owner, name, value)


def _warmup(schedule: Schedule, num_warmup_steps: float) -> Schedule:
    """Transformers' warmup: ``t / W`` of the schedule's first value, from 0."""
    return Warmup(schedule, num_warmup_steps) if num_warmup_steps > 0 else schedule


@a.checked("get_constant_schedule")
def get_constant_schedule(lr: float) -> Schedule:
    """``get_constant_schedule``.

    >>> get_constant_schedule(0.1)(10)
    0.1
    """
    return Constant(a.rate("get_constant_schedule", "lr", lr))


@a.checked("get_constant_schedule_with_warmup")
def get_constant_schedule_with_warmup(lr: float, num_warmup_steps: int) -> Schedule:
    """``get_constant_schedule_with_warmup``: from 0 to `lr` over the warmup, then `lr`.

    >>> get_constant_schedule_with_warmup(1.0, num_warmup_steps=4)(1)
    0.25
    """
    owner = "get_constant_schedule_with_warmup"
    lr = a.rate(owner, "lr", lr)
    return _warmup(Constant(lr), _steps(owner, "num_warmup_steps", num_warmup_steps))


@a.checked("get_linear_schedule_with_warmup")
def get_linear_schedule_with_warmup(
    lr: float, num_warmup_steps: int, num_training_steps: int
) -> Schedule:
    """``get_linear_schedule_with_warmup``: up to `lr`, then a line to 0 at
    `num_training_steps`, then 0.

    >>> s = get_linear_schedule_with_warmup(1.0, 2, 10)
    >>> [s(t) for t in (0, 1, 2, 6, 10, 20)]
    [0.0, 0.5, 1.0, 0.5, 0.0, 0.0]
    """
    owner = "get_linear_schedule_with_warmup"
    lr = a.rate(owner, "lr", lr)
    warmup = _steps(owner, "num_warmup_steps", num_warmup_steps)
    total = _steps(owner, "num_training_steps", num_training_steps)
    span = total - warmup
    if span < 1:
        # Transformers divides by max(1, N - W): with no room left the decay is already over
        if not warmup > 0:
            return Constant(0.0)
        return Sequence((Linear(0.0, lr, warmup), Constant(0.0)))
    return _warmup(Linear(lr, 0.0, span), warmup)


@a.checked("get_cosine_schedule_with_warmup")
def get_cosine_schedule_with_warmup(
    lr: float, num_warmup_steps: int, num_training_steps: int, num_cycles: float = 0.5
) -> Schedule:
    """``get_cosine_schedule_with_warmup``: past `num_training_steps` it rises again.

    >>> s = get_cosine_schedule_with_warmup(1.0, 0, 10)
    >>> s(10), s(20)
    (0.0, 1.0)
    """
    return _cosine_min_lr(
        "get_cosine_schedule_with_warmup",
        lr,
        num_warmup_steps,
        num_training_steps,
        num_cycles,
        None,
        0.0,
        None,
    )


def _cycles(owner: str, num_cycles: Any) -> float:
    """A number of cosine cycles >= 0 (0: the cosine never moves, as in Transformers)."""
    return a.real(owner, "num_cycles", num_cycles, low=0.0)


@a.checked("get_cosine_with_hard_restarts_schedule_with_warmup")
def get_cosine_with_hard_restarts_schedule_with_warmup(
    lr: float, num_warmup_steps: int, num_training_steps: int, num_cycles: float = 1
) -> Schedule:
    """``get_cosine_with_hard_restarts_schedule_with_warmup``: `num_cycles` equal cosines
    from `lr` to 0 after the warmup, then 0.

    >>> s = get_cosine_with_hard_restarts_schedule_with_warmup(1.0, 0, 20, num_cycles=2)
    >>> [s(t) for t in (0, 10, 20, 30)]
    [1.0, 1.0, 0.0, 0.0]
    """
    owner = "get_cosine_with_hard_restarts_schedule_with_warmup"
    lr = a.rate(owner, "lr", lr)
    warmup = _steps(owner, "num_warmup_steps", num_warmup_steps)
    total = _steps(owner, "num_training_steps", num_training_steps)
    n = _cycles(owner, num_cycles)
    span = max(1.0, total - warmup)
    cycles: Schedule
    if n == 0.0:  # (n·p) mod 1 is 0: the cosine stays at lr until the end
        cycles = Sequence((Constant(lr, steps=span), Constant(0.0)))
        return _warmup(cycles, warmup)
    length = span / n
    a.length(owner, "(num_training_steps - num_warmup_steps) / num_cycles", length)
    cycle = Cosine(lr, 0.0, length)
    if n.is_integer() and n <= 100_000:
        cycles = Restarts(cycle, limit=int(n))
    elif n < 1.0:
        cycles = Sequence((cycle, Constant(0.0)), boundaries=(span,))
    else:
        cycles = Sequence((Restarts(cycle), Constant(0.0)), boundaries=(span,))
    return _warmup(cycles, warmup)


@a.checked("get_polynomial_decay_schedule_with_warmup")
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
    result by each group's own rate `lr`; with ``lr_init=None`` both are `lr`. As in
    Transformers, ``power = 0`` holds `lr_init` until `num_training_steps`, and with
    `num_training_steps` below `num_warmup_steps` the warmup ends at `lr_end`.

    >>> get_polynomial_decay_schedule_with_warmup(1.0, 0, 10, lr_end=0.0)(5)
    0.5
    """
    owner = "get_polynomial_decay_schedule_with_warmup"
    lr = a.rate(owner, "lr", lr)
    init = lr if lr_init is None else a.rate(owner, "lr_init", lr_init)
    end = a.rate(owner, "lr_end", lr_end)
    if not init > end:
        raise ValueError(
            "get_polynomial_decay_schedule_with_warmup: lr_end must be smaller than the "
            f"initial learning rate, got lr_end={lr_end!r}, lr_init={init!r}"
        )
    warmup = _steps(owner, "num_warmup_steps", num_warmup_steps)
    total = _steps(owner, "num_training_steps", num_training_steps)
    power = a.real(owner, "power", power, low=0.0)
    span = total - warmup
    decay: Schedule
    schedule: Schedule
    if span < 0:  # every step after the warmup is past num_training_steps
        ramp = Linear(0.0, init, warmup)
        schedule = Sequence((ramp, Constant(end)), boundaries=(warmup,))
        return schedule if init == lr else Scale(schedule, _ratio(owner, lr, init))
    if span == 0:
        raise ValueError(
            f"{owner}: num_training_steps must differ from num_warmup_steps (Transformers "
            f"divides by their difference), got {num_training_steps!r} and {num_warmup_steps!r}"
        )
    if power == 0.0:
        decay = Piecewise(((0.0, init), (span, end)), side="right")
    else:
        power = a.real(owner, "power", power, low=0.0, low_open=True)
        decay = Polynomial(init, end, span, power)
    schedule = _warmup(decay, warmup)
    return schedule if init == lr else Scale(schedule, _ratio(owner, lr, init))


def _ratio(owner: str, lr: float, init: float) -> float:
    return a.finite(owner, "lr / lr_init", lr / init, "a finite factor")


@a.checked("get_inverse_sqrt_schedule")
def get_inverse_sqrt_schedule(
    lr: float, num_warmup_steps: int, timescale: float | None = None
) -> Schedule:
    """``get_inverse_sqrt_schedule``: ``lr / sqrt((t − W + τ)/τ)`` after the warmup, with
    ``τ`` = `timescale`, or `num_warmup_steps`, or 10 000.

    >>> get_inverse_sqrt_schedule(1.0, num_warmup_steps=100)(400)
    0.5
    """
    owner = "get_inverse_sqrt_schedule"
    lr = a.rate(owner, "lr", lr)
    warmup = _steps(owner, "num_warmup_steps", num_warmup_steps)
    given = timescale is not None
    tau = a.length(owner, "timescale", timescale) if given else (warmup or 10_000.0)
    return _warmup(InverseSqrt(lr, tau), warmup)


@a.checked("get_cosine_with_min_lr_schedule_with_warmup")
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
    return _cosine_min_lr(
        "get_cosine_with_min_lr_schedule_with_warmup",
        lr,
        num_warmup_steps,
        num_training_steps,
        num_cycles,
        min_lr,
        min_lr_rate,
        lr_init,
    )


def _cosine_min_lr(
    owner: str,
    lr: Any,
    num_warmup_steps: Any,
    num_training_steps: Any,
    num_cycles: Any,
    min_lr: Any,
    min_lr_rate: Any,
    lr_init: Any,
) -> Schedule:
    lr = a.rate(owner, "lr", lr)
    warmup = _steps(owner, "num_warmup_steps", num_warmup_steps)
    total = _steps(owner, "num_training_steps", num_training_steps)
    num_cycles = _cycles(owner, num_cycles)
    if min_lr is not None and min_lr_rate is not None:
        raise ValueError(f"{owner}: give only one of min_lr and min_lr_rate, got both")
    init = lr if lr_init is None else a.rate(owner, "lr_init", lr_init)  # read with min_lr only
    if min_lr is not None:
        rate = (
            a.finite(
                owner,
                "min_lr / lr_init",
                a.rate(owner, "min_lr", min_lr) / init,
                "a finite ratio >= 0",
            )
            if init
            else 0.0
        )
    elif min_lr_rate is None:
        raise ValueError(f"{owner}: give min_lr or min_lr_rate, got neither")
    else:
        rate = a.rate(owner, "min_lr_rate", min_lr_rate)
    low = a.finite(owner, "lr · min_lr_rate", lr * rate, "a finite rate >= 0")
    span = max(1.0, total - warmup)
    if num_cycles == 0.0:
        return _warmup(Constant(lr), warmup)
    half = span / (2 * num_cycles)
    a.length(owner, "(num_training_steps - num_warmup_steps) / num_cycles", half)
    return _warmup(periodic_cosine(lr, low, half), warmup)


@a.checked("get_wsd_schedule")
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

    The stable phase (given, or ``num_training_steps − num_warmup_steps − num_decay_steps``)
    must be >= 0: Transformers would start the decay inside the warmup.

    >>> s = get_wsd_schedule(1.0, 10, 10, num_stable_steps=80, decay_type="linear")
    >>> [s(t) for t in (0, 5, 50, 95, 100, 200)]
    [0.0, 0.5, 1.0, 0.5, 0.0, 0.0]
    """
    owner = "get_wsd_schedule"
    shapes = ("linear", "cosine", "1-sqrt")
    warmup_type = a.option(owner, "warmup_type", warmup_type, shapes)
    decay_type = a.option(owner, "decay_type", decay_type, shapes)
    lr = a.rate(owner, "lr", lr)
    warmup = _steps(owner, "num_warmup_steps", num_warmup_steps)
    decay = _steps(owner, "num_decay_steps", num_decay_steps)
    if num_stable_steps is not None and num_training_steps is not None:
        _steps(owner, "num_training_steps", num_training_steps)  # unused, but a count
    if num_stable_steps is None:
        if num_training_steps is None:
            raise ValueError(f"{owner}: give num_training_steps or num_stable_steps")
        total = _steps(owner, "num_training_steps", num_training_steps)
        stable = total - warmup - decay
        if stable < 0:
            raise ValueError(
                f"{owner}: num_training_steps must be >= num_warmup_steps + num_decay_steps, "
                f"got {num_training_steps!r} < {num_warmup_steps!r} + {num_decay_steps!r}"
            )
    else:
        stable = _steps(owner, "num_stable_steps", num_stable_steps)
    ratio = a.rate(owner, "min_lr_ratio", min_lr_ratio)
    num_cycles = _cycles(owner, num_cycles)
    low = a.finite(owner, "lr · min_lr_ratio", lr * ratio, "a finite rate >= 0")
    held = warmup + stable
    length = max(1.0, decay)  # Transformers' progress divides by max(1, num_decay_steps)
    if not held + length <= 1e308:
        raise ValueError(
            f"{owner}: num_warmup_steps + the stable steps + num_decay_steps must be a finite "
            f"number of steps, got {warmup!r} + {stable!r} + {decay!r}"
        )
    if num_cycles == 0.5 or decay_type != "cosine":
        schedule: Schedule = WSD(
            lr,
            warmup=warmup,
            stable=stable,
            decay=length,
            start=low,
            end=low,
            decay_shape=decay_type,
            warmup_shape=warmup_type,
        )
    else:
        # another number of cosine half-waves: a periodic cosine, cut off at its end
        wave: Schedule = Constant(lr)
        if num_cycles:
            half = length / (2 * num_cycles)
            a.real(owner, "num_decay_steps / (2 · num_cycles)", half, low=1e-300)
            wave = periodic_cosine(lr, low, half)
        parts: list[Schedule] = [wave]
        bounds: list[float] = []
        if held > 0:
            head = WSD(lr, warmup, stable, 1, low, lr, "linear", warmup_type)
            parts.insert(0, head)
            bounds.insert(0, held)
        schedule = parts[0] if len(parts) == 1 else Sequence(tuple(parts), boundaries=tuple(bounds))
    end = held + decay
    if decay < length or not isinstance(schedule, WSD):
        # the decay stops at held + num_decay_steps (it may be shorter than one step)
        if end <= 0:
            return Constant(low)
        return Sequence((schedule, Constant(low)), boundaries=(end,))
    return schedule


def get_reduce_on_plateau_schedule(lr: float, **kwargs: Any) -> Plateau:
    """``get_reduce_on_plateau_schedule``: PyTorch's ``ReduceLROnPlateau`` with `kwargs`.

    An :class:`annealing.plateau.Plateau` (not a schedule: it follows a metric), built by
    :func:`annealing.compat.torch.ReduceLROnPlateau` with the same keyword arguments.

    >>> p = get_reduce_on_plateau_schedule(0.1, patience=0, mode="max")
    >>> p.step(1.0), p.step(0.5), p.cuts
    (0.1, 0.010000000000000002, (2,))
    """
    from .torch import ReduceLROnPlateau

    try:
        return ReduceLROnPlateau(lr, **kwargs)
    except (TypeError, ValueError) as error:
        text = str(error).removeprefix("ReduceLROnPlateau: ")
        raise type(error)(f"get_reduce_on_plateau_schedule: {text}") from None


#: Transformers' SchedulerType names that compat cannot express, and why
_NOT_EXPRESSED = {
    "cosine_warmup_with_min_lr": (
        "get_cosine_with_min_lr_schedule_with_warmup_lr_rate (a warmup from warmup_lr_rate) "
        "is not reproduced by annealing.compat.transformers yet; use 'cosine_with_min_lr'"
    ),
    "greedy": (
        "GreedyLR adapts the rate to the training loss at every step (it is not a function of "
        "the step, nor a plateau cut that annealing.plateau reproduces)"
    ),
}
_BY_NAME: dict[str, Any] = {
    "linear": get_linear_schedule_with_warmup,
    "cosine": get_cosine_schedule_with_warmup,
    "cosine_with_restarts": get_cosine_with_hard_restarts_schedule_with_warmup,
    "polynomial": get_polynomial_decay_schedule_with_warmup,
    "constant": get_constant_schedule,
    "constant_with_warmup": get_constant_schedule_with_warmup,
    "inverse_sqrt": get_inverse_sqrt_schedule,
    "reduce_lr_on_plateau": get_reduce_on_plateau_schedule,
    "cosine_with_min_lr": get_cosine_with_min_lr_schedule_with_warmup,
    "warmup_stable_decay": get_wsd_schedule,
}
SCHEDULER_TYPES = (*_BY_NAME, *_NOT_EXPRESSED)


def get_scheduler(
    name: str,
    lr: float,
    num_warmup_steps: int | None = None,
    num_training_steps: int | None = None,
    scheduler_specific_kwargs: dict[str, Any] | None = None,
) -> Schedule | Plateau:
    """``get_scheduler``: the schedule of a ``SchedulerType`` name, as Transformers builds it.

    The name (a string, or Transformers' ``SchedulerType`` member) chooses the function;
    the other arguments reach it as Transformers passes them: ``"constant"`` takes none,
    ``"reduce_lr_on_plateau"`` only `scheduler_specific_kwargs` (and gives a
    :class:`annealing.plateau.Plateau`), every other name needs `num_warmup_steps`, and all
    but ``"constant_with_warmup"``, ``"inverse_sqrt"`` and ``"warmup_stable_decay"`` need
    `num_training_steps`. ``"cosine_warmup_with_min_lr"`` and ``"greedy"`` raise ValueError
    saying why compat cannot express them.

    >>> s = get_scheduler("cosine", 1.0, num_warmup_steps=10, num_training_steps=110)
    >>> s == get_cosine_schedule_with_warmup(1.0, 10, 110)
    True
    """
    key = getattr(name, "value", name)  # a SchedulerType member is a str enum
    if not isinstance(key, str) or key not in SCHEDULER_TYPES:
        allowed = ", ".join(repr(n) for n in SCHEDULER_TYPES)
        exc = ValueError if isinstance(key, str) else TypeError
        raise exc(f"get_scheduler: name must be one of {allowed}, got {a._show(name)}")
    if key in _NOT_EXPRESSED:
        raise ValueError(f"get_scheduler: name {key!r} cannot be expressed: {_NOT_EXPRESSED[key]}")
    try:
        return _call(key, lr, num_warmup_steps, num_training_steps, scheduler_specific_kwargs)
    except (TypeError, ValueError) as error:
        text = str(error)
        if text.startswith("get_scheduler: "):
            raise
        raise type(error)(f"get_scheduler: {text}") from None


def _call(
    key: str,
    lr: Any,
    num_warmup_steps: Any,
    num_training_steps: Any,
    scheduler_specific_kwargs: Any,
) -> Schedule | Plateau:
    function = _BY_NAME[key]
    if key == "constant":
        return function(lr)  # type: ignore[no-any-return]
    extra = {} if scheduler_specific_kwargs is None else scheduler_specific_kwargs
    extra = dict(a.mapping("get_scheduler", "scheduler_specific_kwargs", extra))
    if key == "reduce_lr_on_plateau":
        return function(lr, **extra)  # type: ignore[no-any-return]
    if num_warmup_steps is None:
        raise ValueError(f"get_scheduler: {key!r} requires num_warmup_steps, got None")
    if key == "constant_with_warmup":
        return function(lr, num_warmup_steps=num_warmup_steps)  # type: ignore[no-any-return]
    if key == "inverse_sqrt":
        return function(lr, num_warmup_steps=num_warmup_steps, **extra)  # type: ignore[no-any-return]
    if key == "warmup_stable_decay":
        return function(  # type: ignore[no-any-return]
            lr, num_warmup_steps=num_warmup_steps, num_training_steps=num_training_steps, **extra
        )
    if num_training_steps is None:
        raise ValueError(f"get_scheduler: {key!r} requires num_training_steps, got None")
    return function(  # type: ignore[no-any-return]
        lr, num_warmup_steps=num_warmup_steps, num_training_steps=num_training_steps, **extra
    )
