"""PyTorch's ``torch.optim.lr_scheduler`` schedulers as ``annealing`` schedules.

Each function has the name and the arguments of the PyTorch class, with the optimizer
replaced by ``lr`` (the parameter group's initial learning rate) where PyTorch reads it from
the optimizer. The value at step ``t`` is the learning rate PyTorch sets after ``t`` calls of
``scheduler.step()``, that is, the one used by optimizer step ``t`` (counting from 0). This
module is pure arithmetic: it does not import PyTorch.

Deliberate differences (each is documented on its function):

* PyTorch steps most schedulers by a recursion (each value is the previous one times a
  ratio). Here every value is the closed form, which the recursion approximates: they agree
  to about ``1e-15·T`` relative to the peak (6e-12 at 10⁶ steps).
* ``OneCycleLR`` raises past ``total_steps`` and extrapolates at ``total_steps`` (a negative
  rate for the linear strategy); here the value holds at the minimum from ``total_steps − 1``.
* ``CosineAnnealingWarmRestarts.step(epoch)`` misplaces some restarts (``math.log``): the
  restarts here are exact, as PyTorch's own incremental ``step()`` is.

>>> from annealing.compat import torch as pt
>>> s = pt.CosineAnnealingLR(lr=1.0, T_max=10, eta_min=0.1)
>>> [round(s(t), 12) for t in (0, 5, 9, 10, 15, 20)]
[1.0, 0.55, 0.122024567667, 0.1, 0.55, 1.0]
"""

from __future__ import annotations

import math
from collections.abc import Iterable
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
from ..warp import Offset
from . import _args as a
from ._forms import periodic_cosine

__all__ = [
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "LinearLR",
    "MultiStepLR",
    "OneCycleLR",
    "PolynomialLR",
    "SequentialLR",
    "StepLR",
]


def _gamma(owner: str, gamma: Any) -> float:
    """A decay factor per step: in [0, 1] (above 1 the rate grows without bound)."""
    return a.real(owner, "gamma", gamma, low=0.0, high=1.0)


@a.checked("StepLR")
def StepLR(lr: float, step_size: int, gamma: float = 0.1) -> Schedule:
    """``StepLR``: ``lr · gamma^⌊t / step_size⌋``.

    >>> StepLR(1.0, step_size=2, gamma=0.5)(5)
    0.25
    """
    lr = a.rate("StepLR", "lr", lr)
    step_size = a.whole("StepLR", "step_size", step_size, minimum=1)
    return Step(lr, float(step_size), _gamma("StepLR", gamma))


@a.checked("MultiStepLR")
def MultiStepLR(lr: float, milestones: Iterable[int], gamma: float = 0.1) -> Schedule:
    """``MultiStepLR``: ``lr · gamma^#{m ≤ t}``; a milestone listed twice decays twice.

    >>> MultiStepLR(1.0, milestones=[2, 2, 5], gamma=0.5)(2)
    0.25
    """
    lr = a.rate("MultiStepLR", "lr", lr)
    marks = [
        a.whole("MultiStepLR", f"milestones[{i}]", m, minimum=0)
        for i, m in enumerate(a.sequence("MultiStepLR", "milestones", milestones))
    ]
    return MultiStep(lr, tuple(float(m) for m in sorted(marks)), _gamma("MultiStepLR", gamma))


@a.checked("ConstantLR")
def ConstantLR(lr: float, factor: float = 1.0 / 3, total_iters: int = 5) -> Schedule:
    """``ConstantLR``: ``lr · factor`` before `total_iters`, then `lr`.

    With ``total_iters=0`` PyTorch's recursion never restores `lr` (it multiplies by
    `factor` at step 0 and only divides at ``t == total_iters``, which is also 0); that is
    reproduced: the value stays ``lr · factor`` (also for a negative `total_iters`).
    PyTorch takes `factor` in [0, 1] but divides by it: 0 is refused here.

    >>> [ConstantLR(1.0, factor=0.5, total_iters=2)(t) for t in (0, 1, 2)]
    [0.5, 0.5, 1.0]
    """
    owner = "ConstantLR"
    lr = a.rate(owner, "lr", lr)
    factor = a.real(owner, "factor", factor, low=0.0, low_open=True, high=1.0)
    total_iters = a.whole(owner, "total_iters", total_iters)
    if total_iters <= 0:
        return Constant(lr * factor)
    return Piecewise(((0.0, lr * factor), (float(total_iters), lr)))


@a.checked("LinearLR")
def LinearLR(
    lr: float, start_factor: float = 1.0 / 3, end_factor: float = 1.0, total_iters: int = 5
) -> Schedule:
    """``LinearLR``: a line from ``lr·start_factor`` to ``lr·end_factor`` over `total_iters`.

    Both factors must be in [0, 1], as in PyTorch, except that PyTorch requires
    ``start_factor > 0`` (its recursion divides by it): a warmup from exactly 0 is allowed
    here. With ``total_iters <= 0`` the rate stays ``lr · start_factor``, as in PyTorch.

    >>> [LinearLR(1.0, start_factor=0.5, total_iters=2)(t) for t in (0, 1, 2, 3)]
    [0.5, 0.75, 1.0, 1.0]
    """
    owner = "LinearLR"
    lr = a.rate(owner, "lr", lr)
    start_factor = a.real(owner, "start_factor", start_factor, low=0.0, high=1.0)
    end_factor = a.real(owner, "end_factor", end_factor, low=0.0, high=1.0)
    total_iters = a.whole(owner, "total_iters", total_iters)
    if total_iters <= 0:
        return Constant(lr * start_factor)
    return Linear(lr * start_factor, lr * end_factor, float(total_iters))


@a.checked("ExponentialLR")
def ExponentialLR(lr: float, gamma: float) -> Schedule:
    """``ExponentialLR``: ``lr · gamma^t``.

    `gamma` must be in [0, 1] (above 1 the rate grows without bound) and, unless it is 0,
    not subnormal.

    >>> ExponentialLR(1.0, gamma=0.5)(3)
    0.125
    """
    lr = a.rate("ExponentialLR", "lr", lr)
    gamma = _gamma("ExponentialLR", gamma)
    if gamma == 0.0:
        return Step(lr, 1, 0.0)  # lr at step 0, then 0
    gamma = a.real("ExponentialLR", "gamma", gamma, low=0.0, low_open=True, high=1.0)
    if lr < 2.2250738585072014e-308:  # 0 or subnormal: a factor of the unit schedule
        return Scale(Exponential(1.0, rate=gamma), lr) if lr else Constant(0.0)
    return Exponential(lr, rate=gamma)


@a.checked("PolynomialLR")
def PolynomialLR(lr: float, total_iters: int = 5, power: float = 1.0) -> Schedule:
    """``PolynomialLR``: ``lr · (1 − min(t, T)/T)^power``, always ending at 0.

    As in PyTorch, ``total_iters <= 0`` or ``power = 0`` keep `lr`.

    >>> PolynomialLR(1.0, total_iters=4, power=2.0)(2)
    0.25
    """
    lr = a.rate("PolynomialLR", "lr", lr)
    total_iters = a.whole("PolynomialLR", "total_iters", total_iters)
    power = a.real("PolynomialLR", "power", power, low=0.0)
    if total_iters <= 0 or power == 0.0:
        return Constant(lr)
    power = a.real("PolynomialLR", "power", power, low=0.0, low_open=True)
    return Polynomial(lr, 0.0, float(total_iters), power)


@a.checked("CosineAnnealingLR")
def CosineAnnealingLR(lr: float, T_max: float, eta_min: float = 0.0) -> Schedule:
    """``CosineAnnealingLR``, including what it does past `T_max`: it rises again.

    PyTorch does not stop at `eta_min`: its values follow the cosine back up to `lr` at
    ``2·T_max``, and on (period ``2·T_max``). For a schedule that holds `eta_min`, use
    :class:`annealing.Cosine`.

    >>> s = CosineAnnealingLR(1.0, T_max=10)
    >>> s(10), s(20)
    (0.0, 1.0)
    """
    lr = a.rate("CosineAnnealingLR", "lr", lr)
    T_max = a.length("CosineAnnealingLR", "T_max", T_max)
    eta_min = a.rate("CosineAnnealingLR", "eta_min", eta_min)
    return periodic_cosine(lr, eta_min, T_max)


@a.checked("CosineAnnealingWarmRestarts")
def CosineAnnealingWarmRestarts(
    lr: float, T_0: int, T_mult: int = 1, eta_min: float = 0.0
) -> Schedule:
    """``CosineAnnealingWarmRestarts``: SGDR; cycle ``i`` lasts ``T_0 · T_mult^i`` steps.

    The last step of each cycle is one step short of `eta_min` (the cycle restarts at
    ``T_i``). The restarts are exact: PyTorch's ``step()`` counts exactly too, but its
    ``step(epoch)`` finds the cycle with ``math.log`` and puts some restarts (``T_0=1,
    T_mult=3``, epoch 121) at the end of the previous cycle instead.

    >>> s = CosineAnnealingWarmRestarts(1.0, T_0=1, T_mult=3)
    >>> s(121)
    1.0
    """
    owner = "CosineAnnealingWarmRestarts"
    lr = a.rate(owner, "lr", lr)
    T_0 = a.whole(owner, "T_0", T_0, minimum=1, floats=False)
    T_mult = a.whole(owner, "T_mult", T_mult, minimum=1, floats=False)
    eta_min = a.rate(owner, "eta_min", eta_min)
    return Restarts(Cosine(lr, eta_min, float(T_0)), mult=float(T_mult))


@a.checked("CyclicLR")
def CyclicLR(
    base_lr: float,
    max_lr: float,
    step_size_up: float = 2000,
    step_size_down: float | None = None,
    mode: str = "triangular",
    gamma: float = 1.0,
) -> Schedule:
    """``CyclicLR`` (the built-in modes; ``scale_fn`` callables are not supported).

    `max_lr` must be at least `base_lr`, and both step sizes > 0 (PyTorch also takes a
    negative or a zero ``step_size_down``). `gamma` is read only by ``"exp_range"``, as in
    PyTorch, and must then be in (0, 1].

    >>> CyclicLR(0.1, 1.0, step_size_up=10, mode="triangular2")(30)
    0.55
    """
    owner = "CyclicLR"
    base_lr = a.rate(owner, "base_lr", base_lr)
    max_lr = a.real(owner, "max_lr", max_lr, low=base_lr, allowed="a finite number >= base_lr")
    step_size_up = a.length(owner, "step_size_up", step_size_up)
    if step_size_down is not None:
        step_size_down = a.length(owner, "step_size_down", step_size_down)
        cycle = step_size_up + step_size_down
        if not (math.isfinite(cycle) and cycle > max(step_size_up, step_size_down)):
            raise ValueError(
                "CyclicLR: step_size_up + step_size_down must be a finite number greater than "
                f"each, got step_size_up={step_size_up!r}, step_size_down={step_size_down!r}"
            )
    elif not math.isfinite(2 * step_size_up):
        raise ValueError(f"CyclicLR: 2 · step_size_up must be finite, got {step_size_up!r}")
    mode = a.option(owner, "mode", mode, ("triangular", "triangular2", "exp_range"))
    if mode == "exp_range":
        gamma = a.real(owner, "gamma", gamma, low=0.0, low_open=True, high=1.0)
    else:  # unused here, as in PyTorch, but never anything other than a number
        a.real(owner, "gamma", gamma)
        gamma = 1.0
    return Cyclic(base_lr, max_lr, step_size_up, step_size_down, mode, gamma)


@a.checked("OneCycleLR")
def OneCycleLR(
    max_lr: float,
    total_steps: int | None = None,
    epochs: int | None = None,
    steps_per_epoch: int | None = None,
    pct_start: float = 0.3,
    anneal_strategy: str = "cos",
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
    three_phase: bool = False,
) -> Schedule:
    """``OneCycleLR``: the peak at step ``pct_start·T − 1``, the minimum at ``T − 1``.

    PyTorch's phases end at the (fractional) steps ``pct_start·T − 1``,
    ``2·pct_start·T − 2`` (three phases) and ``T − 1``, which is reproduced, including a
    phase that ends before step 0 (``pct_start·T < 1``: the first phase is skipped) or after
    ``T − 1``. Past ``T − 1`` this schedule holds its value at ``T − 1`` (normally the
    minimum, ``max_lr / (div_factor · final_div_factor)``). PyTorch instead raises for a
    step beyond `total_steps` and, at ``t = total_steps`` exactly, extrapolates the last
    phase: slightly above the minimum for ``"cos"`` and *below zero* for ``"linear"``
    (−1.43e-3 for ``max_lr=0.1``, T=100). A learning rate is never negative here, so that
    one step differs on purpose. Where PyTorch divides by zero (a phase of length 0 that is
    reached, ``final_div_factor=0``) this raises ValueError.

    >>> s = OneCycleLR(1.0, total_steps=100)
    >>> s(0), s(29), s(99)
    (0.04, 1.0, 4e-06)
    """
    owner = "OneCycleLR"
    max_lr = a.rate(owner, "max_lr", max_lr)
    if total_steps is None:
        if epochs is None or steps_per_epoch is None:
            raise ValueError(
                "OneCycleLR: give total_steps, or epochs and steps_per_epoch, "
                f"got total_steps=None, epochs={epochs!r}, steps_per_epoch={steps_per_epoch!r}"
            )
        epochs = a.whole(owner, "epochs", epochs, minimum=1, floats=False)
        steps_per_epoch = a.whole(
            owner, "steps_per_epoch", steps_per_epoch, minimum=1, floats=False
        )
        total_steps = epochs * steps_per_epoch
    else:  # PyTorch ignores them beside total_steps; they must still be counts
        for field, given in (("epochs", epochs), ("steps_per_epoch", steps_per_epoch)):
            if given is not None:
                a.whole(owner, field, given, minimum=1, floats=False)
    total = a.whole(owner, "total_steps", total_steps, minimum=1, floats=False)
    pct = a.real(owner, "pct_start", pct_start, low=0.0, high=1.0)
    shape = a.option(owner, "anneal_strategy", anneal_strategy, ("cos", "linear"))
    div = a.real(owner, "div_factor", div_factor, low=0.0, low_open=True, infinite=True)
    final = a.real(
        owner,
        "final_div_factor",
        final_div_factor,
        low=0.0,
        low_open=True,
        infinite=True,
        normal=False,
    )
    initial = a.finite(owner, "max_lr / div_factor", max_lr / div, "a finite rate")
    low = a.finite(
        owner, "max_lr / (div_factor · final_div_factor)", initial / final, "a finite rate"
    )
    peak_step = float(pct * total) - 1
    if a.flag(owner, "three_phase", three_phase):
        ends = [peak_step, float(2 * pct * total) - 2, total - 1.0]
        legs = [(initial, max_lr), (max_lr, initial), (initial, low)]
    else:
        ends = [peak_step, total - 1.0]
        legs = [(initial, max_lr), (max_lr, low)]
    interpolation = "cosine" if shape == "cos" else "linear"
    if ends[0] > 0 and all(ends[i] < ends[i + 1] for i in range(len(ends) - 1)):
        points = ((0.0, initial), *zip(ends, [leg[1] for leg in legs], strict=True))
        return Piecewise(points, interpolation=interpolation)
    return _phases(ends, legs, total, interpolation, (total_steps, pct_start, three_phase))


def _phases(
    ends: list[float],
    legs: list[tuple[float, float]],
    total: int,
    interpolation: str,
    given: tuple[Any, ...],
) -> Schedule:
    """PyTorch's phase walk when phases are skipped or overrun: at step t, the first phase
    whose end is >= t (or the last), interpolated from the previous phase's end."""
    pieces: list[Schedule] = []
    bounds: list[float] = []
    reached = -math.inf  # the largest end so far: phase i runs for reached < t <= ends[i]
    for i, (end, (first, last)) in enumerate(zip(ends, legs, strict=True)):
        begin = 0.0 if i == 0 else ends[i - 1]
        top = total - 1.0 if i == len(ends) - 1 else min(end, total - 1.0)
        lo = 0 if reached < 0 else math.floor(reached) + 1
        reached = max(reached, end)
        if lo > top:
            continue  # never reached
        if end == begin:
            raise ValueError(
                "OneCycleLR: total_steps, pct_start and three_phase give a phase of length 0 "
                f"that is reached at step {lo} (PyTorch divides by zero there), got "
                f"total_steps={given[0]!r}, pct_start={given[1]!r}, three_phase={given[2]!r}"
            )
        leg = Piecewise(((0.0, first), (end - begin, last)), interpolation=interpolation)
        pieces.append(Offset(leg, float(lo - begin)) if lo != begin else leg)
        if pieces[1:]:
            bounds.append(float(lo))
        if end > total - 1:  # PyTorch stops at total_steps - 1: hold that value
            pieces.append(Constant(leg(total - 1 - begin)))
            bounds.append(float(total))
            break
    return pieces[0] if len(pieces) == 1 else Sequence(tuple(pieces), boundaries=tuple(bounds))


@a.checked("SequentialLR")
def SequentialLR(schedulers: Iterable[Schedule], milestones: Iterable[int]) -> Schedule:
    """``SequentialLR``: scheduler ``i`` takes over at milestone ``i − 1``, from its own step 0.

    >>> s = SequentialLR([LinearLR(1.0, 0.5, total_iters=2), ExponentialLR(1.0, 0.5)], [2])
    >>> [s(t) for t in (0, 1, 2, 3)]
    [0.5, 0.75, 1.0, 0.5]
    """
    schedules: tuple[Schedule, ...] = tuple(a.sequence("SequentialLR", "schedulers", schedulers))
    for i, schedule in enumerate(schedules):
        if not isinstance(schedule, Schedule):
            raise TypeError(f"SequentialLR: schedulers[{i}] must be a schedule, got {schedule!r}")
    bounds = tuple(
        a.whole("SequentialLR", f"milestones[{i}]", m, minimum=0)
        for i, m in enumerate(a.sequence("SequentialLR", "milestones", milestones))
    )
    if len(bounds) != len(schedules) - 1:
        raise ValueError(
            "SequentialLR: milestones must hold one entry less than schedulers, "
            f"got {len(bounds)} milestones for {len(schedules)} schedulers"
        )
    if len(schedules) == 1 and not bounds:
        return schedules[0]
    return Sequence(schedules, boundaries=bounds)
