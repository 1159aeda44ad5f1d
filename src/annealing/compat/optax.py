"""optax's schedules (``optax.schedules``) as ``annealing`` schedules.

Each function has optax's name and arguments and returns a schedule with the same value at
every step. This module is pure arithmetic: it does not import JAX or optax. Differences:

* optax accepts some degenerate settings and logs instead of raising (a non-positive
  ``transition_steps`` gives a constant, as here); a decay rate above 1 without an
  ``end_value`` would grow without bound, which :class:`annealing.Exponential` refuses.
* Negative values are not learning rates; every value must be >= 0 here.

>>> from annealing.compat import optax as ox
>>> s = ox.warmup_cosine_decay_schedule(0.0, 1.0, warmup_steps=10, decay_steps=100,
...                                     end_value=0.1)
>>> [round(s(t), 12) for t in (10, 55, 100)]
[1.0, 0.55, 0.1]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..constant import Constant
from ..cosine import Cosine
from ..exponential import Exponential
from ..linear import Linear, Polynomial
from ..piecewise import Piecewise
from ..schedule import Schedule
from ..sequence import Sequence
from ..warmup import Warmup

__all__ = [
    "constant_schedule",
    "cosine_decay_schedule",
    "cosine_onecycle_schedule",
    "exponential_decay",
    "join_schedules",
    "linear_onecycle_schedule",
    "linear_schedule",
    "piecewise_constant_schedule",
    "piecewise_interpolate_schedule",
    "polynomial_schedule",
    "sgdr_schedule",
    "warmup_constant_schedule",
    "warmup_cosine_decay_schedule",
    "warmup_exponential_decay_schedule",
]


def _after(begin: float, hold: float, schedule: Schedule) -> Schedule:
    """`schedule` starting at `begin`, with `hold` before it (optax's ``transition_begin``)."""
    begin = max(begin, 0)
    if begin == 0:
        return schedule
    return Sequence((Constant(hold, steps=begin), schedule))


def constant_schedule(value: float) -> Schedule:
    """``constant_schedule``.

    >>> constant_schedule(0.1)(10**6)
    0.1
    """
    return Constant(value)


def polynomial_schedule(
    init_value: float,
    end_value: float,
    power: float,
    transition_steps: int,
    transition_begin: int = 0,
) -> Schedule:
    """``polynomial_schedule``: held at `init_value` until `transition_begin`, then decaying.

    >>> polynomial_schedule(1.0, 0.0, power=2, transition_steps=10, transition_begin=5)(10)
    0.25
    """
    if transition_steps <= 0:
        return Constant(init_value)
    return _after(
        transition_begin, init_value, Polynomial(init_value, end_value, transition_steps, power)
    )


def linear_schedule(
    init_value: float, end_value: float, transition_steps: int, transition_begin: int = 0
) -> Schedule:
    """``linear_schedule``.

    >>> linear_schedule(1.0, 0.0, transition_steps=10)(5)
    0.5
    """
    if transition_steps <= 0:
        return Constant(init_value)
    return _after(transition_begin, init_value, Linear(init_value, end_value, transition_steps))


def exponential_decay(
    init_value: float,
    transition_steps: int,
    decay_rate: float,
    transition_begin: int = 0,
    staircase: bool = False,
    end_value: float | None = None,
) -> Schedule:
    """``exponential_decay``: ``init · rate^((t − begin)/transition_steps)``, bounded by
    `end_value` (a floor when the rate is below 1, a ceiling above).

    >>> exponential_decay(1.0, transition_steps=10, decay_rate=0.5, end_value=0.3)(20)
    0.3
    """
    if transition_steps <= 0 or decay_rate == 0:
        return Constant(init_value)
    hold = init_value
    if end_value is not None:
        hold = max(init_value, end_value) if decay_rate < 1 else min(init_value, end_value)
    decay = Exponential(
        init_value, end=end_value, rate=decay_rate, every=transition_steps, staircase=staircase
    )
    return _after(transition_begin, hold, decay)


def cosine_decay_schedule(
    init_value: float, decay_steps: int, alpha: float = 0.0, exponent: float = 1.0
) -> Schedule:
    """``cosine_decay_schedule``: from `init_value` to ``alpha · init_value``, then held.

    >>> round(cosine_decay_schedule(1.0, decay_steps=10, alpha=0.1)(5), 12)
    0.55
    """
    if not decay_steps > 0:
        raise ValueError(
            f"cosine_decay_schedule: decay_steps must be a positive number, got {decay_steps!r}"
        )
    return Cosine(init_value, init_value * alpha, decay_steps, exponent)


def warmup_constant_schedule(init_value: float, peak_value: float, warmup_steps: int) -> Schedule:
    """``warmup_constant_schedule``: a line to `peak_value`, then held.

    >>> warmup_constant_schedule(0.0, 1.0, warmup_steps=4)(2)
    0.5
    """
    return linear_schedule(init_value, peak_value, warmup_steps)


def warmup_cosine_decay_schedule(
    init_value: float,
    peak_value: float,
    warmup_steps: int,
    decay_steps: int,
    end_value: float = 0.0,
    exponent: float = 1.0,
) -> Schedule:
    """``warmup_cosine_decay_schedule``: `decay_steps` counts the warmup.

    The cosine lasts ``decay_steps − warmup_steps``; Keras's ``CosineDecay`` counts its
    ``decay_steps`` after the warmup instead.

    >>> warmup_cosine_decay_schedule(0.0, 1.0, 10, 100).steps
    100
    """
    alpha = 0.0 if peak_value == 0.0 else end_value / peak_value
    decay = cosine_decay_schedule(peak_value, decay_steps - warmup_steps, alpha, exponent)
    if warmup_steps < 0:
        raise ValueError(
            f"warmup_cosine_decay_schedule: warmup_steps must be >= 0, got {warmup_steps!r}"
        )
    if warmup_steps == 0:
        return decay
    return Warmup(decay, warmup_steps, start=init_value)


def warmup_exponential_decay_schedule(
    init_value: float,
    peak_value: float,
    warmup_steps: int,
    transition_steps: int,
    decay_rate: float,
    transition_begin: int = 0,
    staircase: bool = False,
    end_value: float | None = None,
) -> Schedule:
    """``warmup_exponential_decay_schedule``: a line to `peak_value`, then
    :func:`exponential_decay` from it (its `transition_begin` counts from the warmup's end).

    >>> warmup_exponential_decay_schedule(0.0, 1.0, 10, 10, 0.5)(20)
    0.5
    """
    decay = exponential_decay(
        peak_value, transition_steps, decay_rate, transition_begin, staircase, end_value
    )
    if warmup_steps <= 0:
        return decay
    return Sequence((Linear(init_value, peak_value, warmup_steps), decay))


def sgdr_schedule(cosine_kwargs: Iterable[Mapping[str, Any]]) -> Schedule:
    """``sgdr_schedule``: :func:`warmup_cosine_decay_schedule` cycles one after another.

    >>> s = sgdr_schedule([dict(init_value=0.0, peak_value=1.0, warmup_steps=2,
    ...                         decay_steps=10)] * 3)
    >>> s(10), s(12), s.steps
    (0.0, 1.0, 30)
    """
    schedules, boundaries, step = [], [], 0
    for kwargs in cosine_kwargs:
        schedules.append(warmup_cosine_decay_schedule(**kwargs))
        step += kwargs["decay_steps"]
        boundaries.append(step)
    if not schedules:
        raise ValueError("sgdr_schedule: cosine_kwargs must hold at least one cycle, got none")
    return join_schedules(schedules, boundaries[:-1])


def _points(
    init_value: float, boundaries_and_scales: Mapping[int, float] | None, owner: str
) -> list[tuple[float, float]]:
    """(0, init), then (boundary, cumulative product) for each boundary, as optax does."""
    points: list[tuple[float, float]] = [(0, init_value)]
    value = init_value
    for boundary, scale in sorted((boundaries_and_scales or {}).items()):
        if scale < 0:
            raise ValueError(f"{owner}: scales must be >= 0, got {scale!r} at {boundary!r}")
        value = value * scale
        if boundary <= 0:
            points[0] = (0, value)
        else:
            points.append((boundary, value))
    return points


def piecewise_constant_schedule(
    init_value: float, boundaries_and_scales: Mapping[int, float] | None = None
) -> Schedule:
    """``piecewise_constant_schedule``: at each boundary (and after), the value is multiplied
    by its scale; the new value starts *at* the boundary.

    >>> s = piecewise_constant_schedule(1.0, {10: 0.5, 20: 0.5})
    >>> [s(t) for t in (9, 10, 20)]
    [1.0, 0.5, 0.25]
    """
    points = _points(init_value, boundaries_and_scales, "piecewise_constant_schedule")
    return Piecewise(tuple(points)) if len(points) > 1 else Constant(points[0][1])


def piecewise_interpolate_schedule(
    interpolate_type: str,
    init_value: float,
    boundaries_and_scales: Mapping[int, float] | None = None,
) -> Schedule:
    """``piecewise_interpolate_schedule``: linear or cosine legs between the cumulative
    products of the scales, held after the last boundary.

    >>> s = piecewise_interpolate_schedule("linear", 1.0, {10: 0.5})
    >>> [s(t) for t in (0, 5, 10, 20)]
    [1.0, 0.75, 0.5, 0.5]
    """
    if interpolate_type not in ("linear", "cosine"):
        raise ValueError(
            "piecewise_interpolate_schedule: interpolate_type must be 'linear' or 'cosine', "
            f"got {interpolate_type!r}"
        )
    points = _points(init_value, boundaries_and_scales, "piecewise_interpolate_schedule")
    if len(points) == 1:
        return Constant(points[0][1])
    return Piecewise(tuple(points), interpolation=interpolate_type)


def cosine_onecycle_schedule(
    transition_steps: int,
    peak_value: float,
    pct_start: float = 0.3,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
) -> Schedule:
    """``cosine_onecycle_schedule``: the peak at step ``int(pct_start·T)``, the minimum
    ``peak/(div·final_div)`` at ``T`` (PyTorch's ``OneCycleLR`` is one step earlier).

    >>> s = cosine_onecycle_schedule(100, 1.0)
    >>> s(30), s(100)
    (1.0, 4e-06)
    """
    if transition_steps <= 0:
        raise ValueError(
            "cosine_onecycle_schedule: transition_steps must be a positive number, "
            f"got {transition_steps!r}"
        )
    return piecewise_interpolate_schedule(
        "cosine",
        peak_value / div_factor,
        {
            int(pct_start * transition_steps): div_factor,
            int(transition_steps): 1.0 / (div_factor * final_div_factor),
        },
    )


def linear_onecycle_schedule(
    transition_steps: int,
    peak_value: float,
    pct_start: float = 0.3,
    pct_final: float = 0.85,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
) -> Schedule:
    """``linear_onecycle_schedule``: up to the peak at ``int(pct_start·T)``, back to the start
    at ``int(pct_final·T)``, then down to ``start/final_div`` at ``T``.

    >>> s = linear_onecycle_schedule(100, 1.0)
    >>> s(30), s(85), round(s(100), 12)
    (1.0, 0.04, 4e-06)
    """
    if transition_steps <= 0:
        raise ValueError(
            "linear_onecycle_schedule: transition_steps must be a positive number, "
            f"got {transition_steps!r}"
        )
    return piecewise_interpolate_schedule(
        "linear",
        peak_value / div_factor,
        {
            int(pct_start * transition_steps): div_factor,
            int(pct_final * transition_steps): 1.0 / div_factor,
            transition_steps: 1.0 / final_div_factor,
        },
    )


def join_schedules(schedules: Iterable[Schedule], boundaries: Iterable[float]) -> Schedule:
    """``join_schedules``: schedule ``i`` runs from boundary ``i − 1`` on, at ``t − boundary``.

    >>> s = join_schedules([constant_schedule(1.0), linear_schedule(1.0, 0.0, 10)], [5])
    >>> s(4), s(10)
    (1.0, 0.5)
    """
    schedules = tuple(schedules)
    bounds = tuple(boundaries)
    if len(schedules) == 1 and not bounds:
        return schedules[0]
    return Sequence(schedules, boundaries=bounds)
