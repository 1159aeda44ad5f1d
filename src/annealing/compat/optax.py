"""optax's schedules (``optax.schedules``) as ``annealing`` schedules.

Each function has optax's name and arguments and returns a schedule with the same value at
every step. This module is pure arithmetic: it does not import JAX or optax. Differences:

* optax accepts some degenerate settings and logs instead of raising (a non-positive
  ``transition_steps`` gives a constant, a negative ``transition_begin`` counts as 0): the
  same here. A decay rate above 1 without an ``end_value`` would grow without bound, which
  is refused here.
* Negative values are not learning rates; every value must be >= 0 here, and the values
  derived from the arguments (a product of scales, ``end_value / peak_value``) finite.
* Every schedule here takes JAX's default 32-bit counts (``jnp.int32``) as optax does: the
  step counts given as Python ints are stored as floats, so no int32 overflow can occur.

>>> from annealing.compat import optax as ox
>>> s = ox.warmup_cosine_decay_schedule(0.0, 1.0, warmup_steps=10, decay_steps=100,
...                                     end_value=0.1)
>>> [round(s(t), 12) for t in (10, 55, 100)]
[1.0, 0.55, 0.1]
"""

from __future__ import annotations

import math
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
from ..warp import Offset
from . import _args as a

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

_NORMAL = 2.2250738585072014e-308


def _count(owner: str, name: str, value: Any) -> float:
    """A step count as optax takes it: any real number, or ±inf (a float, never an int, so a
    count in JAX's default int32 never meets a Python int beyond int32)."""
    return a.steps(owner, name, value, low=None, infinite=True)


def _after(owner: str, begin: float, hold: float, schedule: Schedule) -> Schedule:
    """`schedule` starting at `begin`, with `hold` before it (optax's ``transition_begin``)."""
    begin = max(begin, 0.0)
    if begin == 0:
        return schedule
    if math.isinf(begin):
        return Constant(hold)
    if not begin + float(schedule.steps or 0.0) <= 1e308:
        raise ValueError(
            f"{owner}: transition_begin + transition_steps must be a finite number of steps, got "
            f"{begin!r} + {schedule.steps!r}"
        )
    return Sequence((Constant(hold, steps=begin), schedule))


@a.checked("constant_schedule")
def constant_schedule(value: float) -> Schedule:
    """``constant_schedule``.

    >>> constant_schedule(0.1)(10**6)
    0.1
    """
    return Constant(a.rate("constant_schedule", "value", value))


def _polynomial(
    owner: str,
    init_value: Any,
    end_value: Any,
    power: Any,
    transition_steps: Any,
    transition_begin: Any,
    names: tuple[str, str, str] = ("init_value", "end_value", "transition_steps"),
) -> Schedule:
    init = a.rate(owner, names[0], init_value)
    end = a.rate(owner, names[1], end_value)
    power = a.real(owner, "power", power, low=0.0)
    steps = _count(owner, names[2], transition_steps)
    begin = _count(owner, "transition_begin", transition_begin)
    if steps <= 0 or math.isinf(steps) or power == 0.0:
        return Constant(init)  # optax: a constant (frac**0 == 1 and count/inf == 0 too)
    a.length(owner, names[2], steps)
    power = a.real(owner, "power", power, low=0.0, low_open=True)
    decay = Linear(init, end, steps) if power == 1.0 else Polynomial(init, end, steps, power)
    return _after(owner, begin, init, decay)


@a.checked("polynomial_schedule")
def polynomial_schedule(
    init_value: float,
    end_value: float,
    power: float,
    transition_steps: int,
    transition_begin: int = 0,
) -> Schedule:
    """``polynomial_schedule``: held at `init_value` until `transition_begin`, then decaying.

    As in optax, a `transition_steps` <= 0 (or infinite) or ``power = 0`` gives a constant.

    >>> polynomial_schedule(1.0, 0.0, power=2, transition_steps=10, transition_begin=5)(10)
    0.25
    """
    return _polynomial(
        "polynomial_schedule", init_value, end_value, power, transition_steps, transition_begin
    )


@a.checked("linear_schedule")
def linear_schedule(
    init_value: float, end_value: float, transition_steps: int, transition_begin: int = 0
) -> Schedule:
    """``linear_schedule``.

    >>> linear_schedule(1.0, 0.0, transition_steps=10)(5)
    0.5
    """
    return _polynomial(
        "linear_schedule", init_value, end_value, 1.0, transition_steps, transition_begin
    )


def _exponential(
    owner: str,
    init_value: Any,
    transition_steps: Any,
    decay_rate: Any,
    transition_begin: Any,
    staircase: Any,
    end_value: Any,
    init_name: str = "init_value",
) -> Schedule:
    init = a.rate(owner, init_name, init_value)
    steps = _count(owner, "transition_steps", transition_steps)
    rate = a.real(owner, "decay_rate", decay_rate, low=0.0)
    begin = max(_count(owner, "transition_begin", transition_begin), 0.0)
    stairs = a.flag(owner, "staircase", staircase)
    end = None if end_value is None else a.real(owner, "end_value", end_value, infinite=True)
    if steps <= 0 or rate == 0:
        return Constant(init)  # optax: constant, not even clipped by end_value
    decreasing = rate < 1.0
    if end is not None and end <= 0 and decreasing:
        end = None  # a floor at or below 0 never acts on values >= 0
    elif end == math.inf and not decreasing:
        end = None  # nor does a ceiling at infinity
    hold = init
    if end is not None:
        end = a.rate(owner, "end_value", end)  # a ceiling below 0 or a floor at infinity
        hold = max(init, end) if decreasing else min(init, end)
    if math.isinf(steps) or math.isinf(begin) or rate == 1.0 or init == 0.0:
        return Constant(hold)
    if end is None and not decreasing:
        a.real(owner, "decay_rate", rate, high=1.0, allowed="a number <= 1 without end_value")
    if end is not None and not decreasing and not end <= init * 1e300:
        raise ValueError(
            f"{owner}: end_value / {init_name} must be at most 1e300 when decay_rate > 1 "
            f"(the growth would overflow on the way), got {end!r} / {init!r}"
        )
    a.real(owner, "decay_rate", rate, low=0.0, low_open=True)
    for name, x in ((init_name, init), ("end_value", end)):
        if x is not None and x < _NORMAL:
            a.real(owner, name, x, low=_NORMAL, allowed="0 or a normal number (not subnormal)")
    decay = Exponential(init, end=end, rate=rate, every=steps, staircase=stairs)
    return _after(owner, begin, hold, decay)


@a.checked("exponential_decay")
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
    return _exponential(
        "exponential_decay",
        init_value,
        transition_steps,
        decay_rate,
        transition_begin,
        staircase,
        end_value,
    )


def _cosine(owner: str, init: float, steps: float, alpha: Any, exponent: Any) -> Schedule:
    """optax's cosine decay (its arguments already checked but `alpha` and `exponent`)."""
    alpha = a.real(owner, "alpha", alpha)
    exponent = a.real(owner, "exponent", exponent, low=0.0)
    end = a.finite(owner, "init_value · alpha", init * alpha, "a finite rate >= 0")
    if math.isinf(steps) or exponent == 0.0:
        return Constant(init)  # count/inf == 0, and c**0 == 1
    exponent = a.real(owner, "exponent", exponent, low=0.0, low_open=True)
    return Cosine(init, end, steps, exponent)


@a.checked("cosine_decay_schedule")
def cosine_decay_schedule(
    init_value: float, decay_steps: int, alpha: float = 0.0, exponent: float = 1.0
) -> Schedule:
    """``cosine_decay_schedule``: from `init_value` to ``alpha · init_value``, then held.

    >>> round(cosine_decay_schedule(1.0, decay_steps=10, alpha=0.1)(5), 12)
    0.55
    """
    owner = "cosine_decay_schedule"
    init = a.rate(owner, "init_value", init_value)
    steps = a.length(owner, "decay_steps", decay_steps, infinite=True)
    return _cosine(owner, init, steps, alpha, exponent)


@a.checked("warmup_constant_schedule")
def warmup_constant_schedule(init_value: float, peak_value: float, warmup_steps: int) -> Schedule:
    """``warmup_constant_schedule``: a line to `peak_value`, then held.

    >>> warmup_constant_schedule(0.0, 1.0, warmup_steps=4)(2)
    0.5
    """
    names = ("init_value", "peak_value", "warmup_steps")
    return _polynomial(
        "warmup_constant_schedule", init_value, peak_value, 1.0, warmup_steps, 0, names
    )


def _join(first: Schedule, boundary: float, then: Schedule) -> Schedule:
    """optax's ``join_schedules([first, then], [boundary])`` (a boundary <= 0: `then` from
    ``t − boundary``)."""
    if boundary <= 0:
        return Offset(then, -boundary) if boundary < 0 else then
    return Sequence((first, then), boundaries=(boundary,))


@a.checked("warmup_cosine_decay_schedule")
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
    100.0
    """
    return _warmup_cosine(init_value, peak_value, warmup_steps, decay_steps, end_value, exponent)


def _warmup_cosine(
    init_value: Any,
    peak_value: Any,
    warmup_steps: Any,
    decay_steps: Any,
    end_value: Any = 0.0,
    exponent: Any = 1.0,
) -> Schedule:
    owner = "warmup_cosine_decay_schedule"
    init = a.rate(owner, "init_value", init_value)
    peak = a.rate(owner, "peak_value", peak_value)
    warmup = a.steps(owner, "warmup_steps", warmup_steps, low=None)
    total = a.real(owner, "decay_steps", decay_steps, infinite=True)
    end = a.rate(owner, "end_value", end_value)
    alpha = (
        0.0
        if peak == 0.0
        else a.finite(owner, "end_value / peak_value", end / peak, "a finite ratio")
    )
    length = total - warmup
    if not length > 0:
        raise ValueError(
            f"{owner}: decay_steps - warmup_steps must be > 0, got decay_steps={decay_steps!r}, "
            f"warmup_steps={warmup_steps!r}"
        )
    a.length(owner, "decay_steps - warmup_steps", length, infinite=True)
    decay = _cosine(owner, peak, length, alpha, exponent)
    if warmup <= 0:
        return _join(Constant(init), warmup, decay)
    if not isinstance(decay, Constant):
        return Warmup(decay, warmup, start=init)
    return Sequence((Linear(init, peak, warmup), decay), boundaries=(warmup,))


@a.checked("warmup_exponential_decay_schedule")
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
    owner = "warmup_exponential_decay_schedule"
    init = a.rate(owner, "init_value", init_value)
    warmup = a.steps(owner, "warmup_steps", warmup_steps, low=None)
    decay = _exponential(
        owner,
        peak_value,
        transition_steps,
        decay_rate,
        transition_begin,
        staircase,
        end_value,
        "peak_value",
    )
    if warmup <= 0:
        return _join(Constant(init), warmup, decay)
    names = ("init_value", "peak_value", "warmup_steps")
    ramp = _polynomial(owner, init, peak_value, 1.0, warmup, 0, names)
    return Sequence((ramp, decay), boundaries=(warmup,))


@a.checked("sgdr_schedule")
def sgdr_schedule(cosine_kwargs: Iterable[Mapping[str, Any]]) -> Schedule:
    """``sgdr_schedule``: :func:`warmup_cosine_decay_schedule` cycles one after another.

    >>> s = sgdr_schedule([dict(init_value=0.0, peak_value=1.0, warmup_steps=2,
    ...                         decay_steps=10)] * 3)
    >>> s(10), s(12), s.steps
    (0.0, 1.0, 30)
    """
    owner = "sgdr_schedule"
    schedules, boundaries, step = [], [], 0.0
    for i, kwargs in enumerate(a.sequence(owner, "cosine_kwargs", cosine_kwargs)):
        where = f"cosine_kwargs[{i}]"
        a.mapping(owner, where, kwargs, "a dict of warmup_cosine_decay_schedule arguments")
        try:
            schedules.append(_warmup_cosine(**kwargs))
        except (TypeError, ValueError) as error:
            raise type(error)(f"{owner}: {where}: {error}") from None
        step += float(kwargs["decay_steps"])
        boundaries.append(step)
    if not schedules:
        raise ValueError("sgdr_schedule: cosine_kwargs must hold at least one cycle, got none")
    return join_schedules(schedules, boundaries[:-1])


def _scales(owner: str, init: float, boundaries_and_scales: Any) -> list[tuple[float, float]]:
    """(boundary, cumulative value) for each boundary in order, as optax multiplies them."""
    if boundaries_and_scales is None:
        return []
    table = a.mapping(
        owner, "boundaries_and_scales", boundaries_and_scales, "a dict of {step: scale}"
    )
    rows = []
    for boundary, scale in table.items():
        b = a.real(owner, f"boundaries_and_scales key {boundary!r}", boundary)
        x = a.real(owner, f"boundaries_and_scales[{boundary!r}]", scale, low=0.0, infinite=True)
        rows.append((b, x))
    out, value = [], init
    for b, x in sorted(rows):
        value = value * x
        a.finite(
            owner, f"init_value times boundaries_and_scales up to {b!r}", value, "a finite rate"
        )
        out.append((b, value))
    return out


@a.checked("piecewise_constant_schedule")
def piecewise_constant_schedule(
    init_value: float, boundaries_and_scales: Mapping[int, float] | None = None
) -> Schedule:
    """``piecewise_constant_schedule``: at each boundary (and after), the value is multiplied
    by its scale; the new value starts *at* the boundary.

    >>> s = piecewise_constant_schedule(1.0, {10: 0.5, 20: 0.5})
    >>> [s(t) for t in (9, 10, 20)]
    [1.0, 0.5, 0.25]
    """
    owner = "piecewise_constant_schedule"
    init = a.rate(owner, "init_value", init_value)
    points = [(0.0, init)]
    for boundary, value in _scales(owner, init, boundaries_and_scales):
        if boundary <= 0:
            points[0] = (0.0, value)  # applied from the first step
        else:
            points.append((boundary, value))
    return Piecewise(tuple(points)) if len(points) > 1 else Constant(points[0][1])


@a.checked("piecewise_interpolate_schedule")
def piecewise_interpolate_schedule(
    interpolate_type: str,
    init_value: float,
    boundaries_and_scales: Mapping[int, float] | None = None,
) -> Schedule:
    """``piecewise_interpolate_schedule``: linear or cosine legs between the cumulative
    products of the scales, held after the last boundary. As in optax, a leg that begins
    before step 0 (a negative boundary) is already under way at step 0.

    >>> s = piecewise_interpolate_schedule("linear", 1.0, {10: 0.5})
    >>> [s(t) for t in (0, 5, 10, 20)]
    [1.0, 0.75, 0.5, 0.5]
    """
    owner = "piecewise_interpolate_schedule"
    kind = a.option(owner, "interpolate_type", interpolate_type, ("linear", "cosine"))
    init = a.rate(owner, "init_value", init_value)
    return _interpolate(owner, kind, init, boundaries_and_scales)


def _interpolate(owner: str, kind: str, init: float, boundaries_and_scales: Any) -> Schedule:
    rows = _scales(owner, init, boundaries_and_scales)
    early = [i for i, (b, _) in enumerate(rows) if b <= 0]
    # optax's legs run from (0, init) through the boundaries; one that ends at or before
    # step 0 is never used, so the curve starts from the last boundary <= 0
    points = rows[early[-1] :] if early else [(0.0, init), *rows]
    if len(points) == 1:
        return Constant(points[0][1])
    shift = -points[0][0]
    curve = Piecewise(tuple((b + shift, x) for b, x in points), interpolation=kind)
    return Offset(curve, shift) if shift else curve


def _onecycle_bounds(owner: str, steps: float, pct: float, name: str) -> float:
    b = pct * steps
    if not abs(b) < 2.0**63:  # optax's boundaries are int64 in JAX
        raise ValueError(
            f"{owner}: {name} · transition_steps must be below 2**63 in magnitude, got "
            f"{name}={pct!r}, transition_steps={steps!r}"
        )
    return float(int(b))


def _divisors(
    owner: str, peak: float, div_factor: Any, final_div_factor: Any, scales: str
) -> tuple[float, float]:
    """`div_factor` and `final_div_factor`, checked so that every scale optax builds from
    them (``div``, ``1/div`` and ``1/(div·final)`` or ``1/final``) is finite and >= 0."""
    div = a.real(owner, "div_factor", div_factor, low=0.0, low_open=True, normal=False)
    a.finite(owner, "peak_value / div_factor", peak / div, "a finite rate")
    a.finite(owner, "1 / div_factor", 1.0 / div, "a finite scale")
    final = a.real(owner, "final_div_factor", final_div_factor, infinite=True)
    last = div * final if scales == "cosine" else final
    what = "1 / (div_factor · final_div_factor)" if scales == "cosine" else "1 / final_div_factor"
    if last == 0.0 or not (abs(1.0 / last) < math.inf and 1.0 / last >= 0):
        raise ValueError(f"{owner}: {what} must be a finite scale >= 0, got 1 / {last!r}")
    return div, final


def _onecycle(
    owner: str, shape: str, peak: float, div: float, final: float, table: dict[float, float]
) -> Schedule:
    try:
        return _interpolate(owner, shape, peak / div, table)
    except ValueError:  # a rate beyond float range between the phases: name the user's words
        raise ValueError(
            f"{owner}: peak_value, div_factor and final_div_factor must give a finite rate in "
            f"every phase, got {peak!r}, {div!r}, {final!r}"
        ) from None


@a.checked("cosine_onecycle_schedule")
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
    owner = "cosine_onecycle_schedule"
    steps = a.length(owner, "transition_steps", transition_steps)
    peak = a.rate(owner, "peak_value", peak_value)
    pct = a.real(owner, "pct_start", pct_start)
    div, final = _divisors(owner, peak, div_factor, final_div_factor, "cosine")
    table = {
        _onecycle_bounds(owner, steps, pct, "pct_start"): div,
        float(int(steps)): 1.0 / (div * final),
    }
    return _onecycle(owner, "cosine", peak, div, final, table)


@a.checked("linear_onecycle_schedule")
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
    owner = "linear_onecycle_schedule"
    steps = a.length(owner, "transition_steps", transition_steps)
    peak = a.rate(owner, "peak_value", peak_value)
    pct = a.real(owner, "pct_start", pct_start)
    pct_end = a.real(owner, "pct_final", pct_final)
    div, final = _divisors(owner, peak, div_factor, final_div_factor, "linear")
    table = {
        _onecycle_bounds(owner, steps, pct, "pct_start"): div,
        _onecycle_bounds(owner, steps, pct_end, "pct_final"): 1.0 / div,
        steps: 1.0 / final,
    }
    return _onecycle(owner, "linear", peak, div, final, table)


@a.checked("join_schedules")
def join_schedules(schedules: Iterable[Schedule], boundaries: Iterable[float]) -> Schedule:
    """``join_schedules``: schedule ``i`` runs from boundary ``i − 1`` on, at ``t − boundary``.

    >>> s = join_schedules([constant_schedule(1.0), linear_schedule(1.0, 0.0, 10)], [5])
    >>> s(4), s(10)
    (1.0, 0.5)
    """
    parts: tuple[Schedule, ...] = tuple(a.sequence("join_schedules", "schedules", schedules))
    for i, schedule in enumerate(parts):
        if not isinstance(schedule, Schedule):
            raise TypeError(f"join_schedules: schedules[{i}] must be a schedule, got {schedule!r}")
    bounds = tuple(
        a.real("join_schedules", f"boundaries[{i}]", b, low=0.0)
        for i, b in enumerate(a.sequence("join_schedules", "boundaries", boundaries))
    )
    if len(parts) == 1 and not bounds:
        return parts[0]
    return Sequence(parts, boundaries=bounds)
