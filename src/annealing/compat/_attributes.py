"""The attributes a PyTorch scheduler has, read back from the schedule compat.torch built.

Code written for PyTorch reads its scheduler's attributes (``scheduler.T_max``,
``scheduler.T_cur``, ``scheduler.max_lrs``, ...). :func:`attributes` recovers them from the
value :mod:`annealing.compat.torch` returned, by its structure, with PyTorch's names and in
the types PyTorch stores (ints for counts, floats for rates, a ``Counter`` of milestones).
Attributes that change as the scheduler steps (``T_cur``, ``T_i``, ``last_epoch``) are the
ones PyTorch has after `step` calls of ``scheduler.step()``.
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from collections.abc import Mapping
from typing import Any

from ..constant import Constant
from ..cosine import Cosine
from ..cyclic import Cyclic
from ..exponential import Exponential
from ..linear import Linear, Polynomial
from ..piecewise import Piecewise
from ..restarts import Restarts
from ..scale import Scale
from ..schedule import Schedule
from ..sequence import Sequence
from ..step import MultiStep, Step

__all__ = ["attributes", "merged"]

OWNER = "attributes"


def _count(x: float) -> int | float:
    """A step count as PyTorch keeps it: an int when whole."""
    return int(x) if float(x).is_integer() else x


def _step(step: Any) -> int:
    if isinstance(step, bool):
        raise TypeError(f"{OWNER}: step must be an integer >= 0 (last_epoch), got {step!r}")
    try:
        k = operator.index(step)
    except TypeError:
        raise TypeError(
            f"{OWNER}: step must be an integer >= 0 (last_epoch), got {step!r}"
        ) from None
    if k < 0:
        raise ValueError(f"{OWNER}: step must be an integer >= 0 (last_epoch), got {k!r}")
    return k


def _lr(lr: Any) -> float | None:
    if lr is None:
        return None
    if isinstance(lr, bool) or not isinstance(lr, (int, float)):
        raise TypeError(f"{OWNER}: lr must be a finite number >= 0 or None, got {lr!r}")
    try:
        x = float(lr)
    except OverflowError:
        x = math.inf
    if not (math.isfinite(x) and x >= 0):
        raise ValueError(f"{OWNER}: lr must be a finite number >= 0 or None, got {lr!r}")
    return x


def _warm_restarts(T_0: int, T_mult: int, k: int) -> tuple[int, int]:
    """``(T_cur, T_i)`` after `k` calls of PyTorch's incremental ``step()`` (exact ints)."""
    if T_mult == 1:
        return k % T_0, T_0
    T_cur, T_i = k, T_0
    while T_cur >= T_i:  # each restart: T_cur reaches T_i, becomes 0, T_i grows by T_mult
        T_cur -= T_i
        T_i *= T_mult
    return T_cur, T_i


def _unknown(schedule: Any, why: str = "") -> ValueError:
    shown = repr(schedule)
    if len(shown) > 200:
        shown = shown[:200] + "..."
    return ValueError(
        f"{OWNER}: cannot tell which PyTorch scheduler built {shown}{why}; it reads the "
        "schedules annealing.compat.torch returns (StepLR, MultiStepLR, ConstantLR, LinearLR, "
        "ExponentialLR, PolynomialLR, CosineAnnealingLR, CosineAnnealingWarmRestarts, CyclicLR, "
        "OneCycleLR, SWALR, LambdaLR, MultiplicativeLR)"
    )


def _factor(name: str, value: float, lr: float | None, schedule: Schedule) -> float:
    if lr is None or lr == 0.0:
        raise ValueError(
            f"{OWNER}: the {name} of {schedule!r} is a rate divided by the group's initial "
            f"rate, which the schedule does not hold: pass lr (a number > 0), got lr={lr!r}"
        )
    return value / lr


def _recognise(s: Any, k: int, lr: float | None) -> dict[str, Any]:
    from . import torch as pt  # the private classes of LambdaLR and MultiplicativeLR

    kind = type(s)
    if kind is Step:
        return {"step_size": _count(s.every), "gamma": s.factor, "base_lrs": [s.start]}
    if kind is MultiStep:
        return {
            "milestones": Counter(_count(m) for m in s.milestones),
            "gamma": s.factor,
            "base_lrs": [s.start],
        }
    if kind is Piecewise and len(s.points) == 2 and s.points[0][0] == 0:
        (_, first), (end, last) = s.points
        if s.interpolation == "constant" and s.side == "left":  # ConstantLR
            base = last if last != 0.0 else lr  # the rate it returns to, else the one given
            return {
                "factor": _factor("factor", first, base, s),
                "total_iters": _count(end),
                "base_lrs": [last],
            }
        if s.interpolation in ("cosine", "linear"):  # SWALR
            return {"anneal_epochs": _count(end), "base_lrs": [first]}
    if kind is Linear:
        return {
            "start_factor": _factor("start_factor", s.start, lr, s),
            "end_factor": _factor("end_factor", s.end, lr, s),
            "total_iters": _count(s.steps),
            "base_lrs": [lr],
        }
    if (
        kind is Exponential
        and s.end is None
        and s.steps is None
        and s.rate is not None
        and s.every == 1
        and not s.staircase
    ):
        return {"gamma": s.rate, "base_lrs": [s.start]}
    if (
        kind is Scale
        and type(s.schedule) is Exponential
        and s.schedule.start == 1.0
        and isinstance(s.factor, float)
    ):
        inner = _recognise(s.schedule, k, None)
        return {**inner, "base_lrs": [s.factor]}
    if kind is Polynomial and s.end == 0.0:
        return {"total_iters": _count(s.steps), "power": s.power, "base_lrs": [s.start]}
    if kind is Restarts and (s.peak_decay, s.floor_decay, s.limit, s.warmup) == (1.0, 1.0, None, 0):
        cycle = s.cycle
        if (
            type(cycle) is Cosine
            and cycle.exponent == 1.0
            and float(cycle.steps).is_integer()
            and float(s.mult).is_integer()
        ):  # CosineAnnealingWarmRestarts: PyTorch takes whole T_0 and T_mult only
            T_0, T_mult = int(cycle.steps), int(s.mult)
            T_cur, T_i = _warm_restarts(T_0, T_mult, k)
            return {
                "T_0": T_0,
                "T_i": T_i,
                "T_mult": T_mult,
                "T_cur": T_cur,
                "eta_min": cycle.end,
                "base_lrs": [cycle.start],
            }
        if (
            type(cycle) is Sequence
            and s.mult == 1
            and cycle.boundaries is None
            and len(cycle.schedules) == 2
            and all(type(c) is Cosine and c.exponent == 1.0 for c in cycle.schedules)
        ):
            fall, rise = cycle.schedules
            assert isinstance(fall, Cosine) and isinstance(rise, Cosine)
            if (fall.start, fall.end, fall.steps) == (rise.end, rise.start, rise.steps):
                return _cosine(fall)
    if kind is Cosine and s.steps > 1e300 and s.exponent == 1.0:  # CosineAnnealingLR, huge T_max
        return _cosine(s)
    if kind is Cyclic:
        down = s.up if s.down is None else s.down
        total = s.up + down
        return {
            "max_lrs": [s.high],
            "base_lrs": [s.low],
            "total_size": total,
            "step_ratio": s.up / total,
            "mode": s.mode,
            "gamma": s.gamma,
            "scale_mode": "iterations" if s.mode == "exp_range" else "cycle",
        }
    if (
        kind is Piecewise
        and len(s.points) in (3, 4)
        and s.points[0][0] == 0
        and s.interpolation in ("cosine", "linear")
    ):  # OneCycleLR (its phases all reached, in order)
        return {"total_steps": int(s.points[-1][0]) + 1, "base_lrs": [s.points[0][1]]}
    if kind in (pt._Lambda, pt._Multiplicative):
        return {"lr_lambdas": [s.lr_lambda], "base_lrs": [s.lr]}
    if kind is Constant:
        raise _unknown(
            s,
            " (a constant is what ConstantLR and LinearLR with total_iters <= 0, "
            "PolynomialLR with power 0 and SWALR with anneal_epochs=0 reduce to: their "
            "arguments are not in it)",
        )
    if kind is Sequence:
        raise _unknown(s, " (a SequentialLR, or a OneCycleLR with a skipped phase)")
    raise _unknown(s)


def _cosine(fall: Cosine) -> dict[str, Any]:
    return {"T_max": _count(fall.steps), "eta_min": fall.end, "base_lrs": [fall.start]}


def attributes(
    schedule: Schedule | Mapping[str, Schedule], step: int, lr: float | None = None
) -> dict[str, Any]:
    """The attributes of PyTorch's scheduler after `step` calls of ``scheduler.step()``.

    `schedule` is what a function of :mod:`annealing.compat.torch` returned (or the mapping
    of :func:`~annealing.compat.torch.one_cycle` / :func:`~annealing.compat.torch.cyclic`);
    the scheduler is recognised by the schedule's structure. The keys are PyTorch's
    attribute names: ``T_max``, ``eta_min`` (``CosineAnnealingLR``); ``T_0``, ``T_i``,
    ``T_mult``, ``T_cur``, ``eta_min`` (``CosineAnnealingWarmRestarts``, ``T_cur`` and
    ``T_i`` counted as PyTorch's ``step()`` counts them); ``total_steps`` (``OneCycleLR``);
    ``max_lrs``, ``total_size``, ``step_ratio``, ``mode``, ``gamma``, ``scale_mode``
    (``CyclicLR``; with the mapping also ``cycle_momentum``, ``base_momentums``,
    ``max_momentums``); ``step_size``, ``gamma`` (``StepLR``); ``milestones`` (a
    ``Counter``), ``gamma`` (``MultiStepLR``); ``gamma`` (``ExponentialLR``);
    ``start_factor``, ``end_factor``, ``total_iters`` (``LinearLR``); ``factor``,
    ``total_iters`` (``ConstantLR``); ``total_iters``, ``power`` (``PolynomialLR``);
    ``anneal_epochs`` (``SWALR``); ``lr_lambdas`` (``LambdaLR``, ``MultiplicativeLR``);
    and for all ``base_lrs`` and ``last_epoch`` (= `step`). Per-group attributes are lists
    of one element (this group's).

    `lr` is the group's initial rate. ``LinearLR``'s factors need it (a line holds the rates
    ``lr·start_factor`` and ``lr·end_factor``, not `lr`); the other schedulers hold their
    rate. Factors found by a division (``LinearLR``, ``ConstantLR``) are within a rounding
    of the ones PyTorch was given. Differences: ``CyclicLR``'s `gamma` is the one it uses
    (1.0 unless ``"exp_range"``, where PyTorch keeps the unused one it was given);
    ``ExponentialLR(gamma=0)`` reads as ``StepLR(step_size=1, gamma=0)``, the same values.
    A schedule that several schedulers reduce to without their arguments (a constant) or
    that no PyTorch scheduler builds raises ValueError naming it.

    >>> from annealing.compat import torch as pt
    >>> a = attributes(pt.CosineAnnealingWarmRestarts(0.1, T_0=10, T_mult=2), step=25)
    >>> a["T_cur"], a["T_i"], a["eta_min"]
    (15, 20, 0.0)
    >>> attributes(pt.CosineAnnealingLR(0.1, T_max=100), 0)["T_max"]
    100
    """
    k = _step(step)
    base = _lr(lr)
    if isinstance(schedule, Mapping):
        if "lr" not in schedule:
            raise ValueError(
                f"{OWNER}: a mapping of schedules must have an 'lr' schedule, "
                f"got the keys {sorted(map(str, schedule))}"
            )
        out = attributes(schedule["lr"], k, base)
        momentum = schedule.get("momentum")
        if "max_lrs" in out or "total_steps" in out:
            out["cycle_momentum"] = momentum is not None
        if "max_lrs" in out and isinstance(momentum, Cyclic):  # compat CyclicMomentum
            out["base_momentums"] = [momentum.low]
            out["max_momentums"] = [momentum.high]
        return out
    if not isinstance(schedule, Schedule):
        raise TypeError(
            f"{OWNER}: schedule must be a Schedule built by annealing.compat.torch (or the "
            f"mapping of one_cycle/cyclic), got {type(schedule).__name__} {schedule!r:.100}"
        )
    out = _recognise(schedule, k, base)
    out["last_epoch"] = k
    return out


def merged(
    schedules: list[Schedule | Mapping[str, Schedule]], step: int, lrs: list[float] | None = None
) -> dict[str, Any]:
    """:func:`attributes` of several parameter groups, as one PyTorch scheduler has them.

    Per-group attributes (lists: ``base_lrs``, ``max_lrs``, ...) hold one element per group,
    in order; the others are group 0's (PyTorch keeps one value for all groups). `lrs` are
    the groups' initial rates (for ``LinearLR``). Each group's schedule must be recognised.
    """
    if not schedules:
        raise ValueError(f"{OWNER}: schedules must hold one schedule per group, got none")
    rates: list[Any] = list(lrs) if lrs is not None else [None] * len(schedules)
    if len(rates) != len(schedules):
        raise ValueError(
            f"{OWNER}: lrs must hold one rate per schedule ({len(schedules)}), got {len(rates)}"
        )
    found = [attributes(s, step, r) for s, r in zip(schedules, rates, strict=True)]
    out = dict(found[0])
    for key, value in out.items():
        if isinstance(value, list):
            out[key] = [x for group in found for x in group.get(key, [None])]
    return out
