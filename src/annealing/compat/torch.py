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

import contextlib
import itertools
import math
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..constant import Constant
from ..cosine import Cosine
from ..cyclic import Cyclic
from ..exponential import Exponential
from ..linear import Linear, Polynomial
from ..piecewise import Piecewise
from ..plateau import Plateau
from ..restarts import Restarts
from ..scale import Scale
from ..schedule import Schedule
from ..sequence import Sequence
from ..step import MultiStep, Step
from ..warp import Offset
from . import _args as a
from ._attributes import attributes
from ._forms import periodic_cosine

__all__ = [
    "SWALR",
    "ChainedScheduler",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "CyclicMomentum",
    "ExponentialLR",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "MultiplicativeLR",
    "OneCycleLR",
    "PolynomialLR",
    "ReduceLROnPlateau",
    "SequentialLR",
    "StepLR",
    "attributes",
    "chain",
    "cyclic",
    "one_cycle",
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
    plan = _OneCyclePlan.of(
        max_lr,
        total_steps,
        epochs,
        steps_per_epoch,
        pct_start,
        anneal_strategy,
        div_factor,
        final_div_factor,
        three_phase,
    )
    return plan.curve(plan.lr_values())


@dataclass(frozen=True)
class _OneCyclePlan:
    """OneCycleLR's arguments, checked: the learning rate and the momentum follow its phases."""

    max_lr: float
    initial: float
    low: float
    total: int
    pct: float
    three: bool
    shape: str
    given: tuple[Any, ...]

    @staticmethod
    def of(
        max_lr: Any,
        total_steps: Any,
        epochs: Any,
        steps_per_epoch: Any,
        pct_start: Any,
        anneal_strategy: Any,
        div_factor: Any,
        final_div_factor: Any,
        three_phase: Any,
    ) -> _OneCyclePlan:
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
        three = a.flag(owner, "three_phase", three_phase)
        given = (total_steps, pct_start, three_phase)
        return _OneCyclePlan(max_lr, initial, low, total, pct, three, shape, given)

    def lr_values(self) -> list[float]:
        """The rate at step 0 and at the end of each phase."""
        if self.three:
            return [self.initial, self.max_lr, self.initial, self.low]
        return [self.initial, self.max_lr, self.low]

    def curve(self, values: list[float]) -> Schedule:
        return _one_cycle_curve(values, self.total, self.pct, self.three, self.shape, self.given)


def _one_cycle_curve(
    values: list[float], total: int, pct: float, three: bool, shape: str, given: tuple[Any, ...]
) -> Schedule:
    """OneCycleLR's phase walk through `values` (the value at the start and at each phase's
    end), as PyTorch places the phases: the learning rate, or the cycled momentum."""
    peak_step = float(pct * total) - 1
    if three:
        ends = [peak_step, float(2 * pct * total) - 2, total - 1.0]
    else:
        ends = [peak_step, total - 1.0]
    legs = list(itertools.pairwise(values))
    interpolation = "cosine" if shape == "cos" else "linear"
    if ends[0] > 0 and all(ends[i] < ends[i + 1] for i in range(len(ends) - 1)):
        points = ((0.0, values[0]), *zip(ends, values[1:], strict=True))
        return Piecewise(points, interpolation=interpolation)
    return _phases(ends, legs, total, interpolation, given)


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


# ------------------------------------------------------------------ the momentum PyTorch cycles


@contextlib.contextmanager
def _as(inner: str, outer: str) -> Iterator[None]:
    """Errors of `inner` (a function this one calls) under this function's name `outer`."""
    try:
        yield
    except (TypeError, ValueError) as error:
        text = str(error)
        if text.startswith(f"{inner}: "):
            raise type(error)(f"{outer}: {text.removeprefix(inner + ': ')}") from None
        raise


def _momenta(owner: str, base_momentum: Any, max_momentum: Any) -> tuple[float, float]:
    base = a.real(owner, "base_momentum", base_momentum, low=0.0)
    top = a.real(
        owner, "max_momentum", max_momentum, low=base, allowed="a finite number >= base_momentum"
    )
    return base, top


@a.checked("one_cycle")
def one_cycle(
    max_lr: float,
    total_steps: int | None = None,
    epochs: int | None = None,
    steps_per_epoch: int | None = None,
    pct_start: float = 0.3,
    anneal_strategy: str = "cos",
    cycle_momentum: bool = True,
    base_momentum: float = 0.85,
    max_momentum: float = 0.95,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
    three_phase: bool = False,
) -> dict[str, Schedule]:
    """``OneCycleLR`` with its momentum: ``{"lr": ..., "momentum": ...}``, PyTorch's defaults.

    The arguments are PyTorch's, in its order. ``"lr"`` is :func:`OneCycleLR`; with
    ``cycle_momentum`` (the default, as in PyTorch) ``"momentum"`` runs the other way through
    the same phases: from `max_momentum` down to `base_momentum` at the peak of the rate, and
    back up to `max_momentum` (three phases: down, up, then held). Give the mapping to
    :class:`annealing.torch.Scheduler`, which sets SGD's ``momentum``, or Adam's ``betas[0]``,
    as PyTorch does. `max_momentum` must be at least `base_momentum`.

    >>> h = one_cycle(1.0, total_steps=100)
    >>> h["lr"](29), h["momentum"](0), h["momentum"](29), h["momentum"](99)
    (1.0, 0.95, 0.85, 0.95)
    """
    with _as("OneCycleLR", "one_cycle"):
        plan = _OneCyclePlan.of(
            max_lr, total_steps, epochs, steps_per_epoch, pct_start, anneal_strategy,
            div_factor, final_div_factor, three_phase,
        )  # fmt: skip
        out = {"lr": plan.curve(plan.lr_values())}
    if a.flag("one_cycle", "cycle_momentum", cycle_momentum):
        base, top = _momenta("one_cycle", base_momentum, max_momentum)
        out["momentum"] = plan.curve([top, base, top, top] if plan.three else [top, base, top])
    else:  # unused, as in PyTorch, but never anything other than numbers
        a.real("one_cycle", "base_momentum", base_momentum)
        a.real("one_cycle", "max_momentum", max_momentum)
    return out


@dataclass(frozen=True, repr=False)
class CyclicMomentum(Cyclic):
    r"""``CyclicLR``'s momentum: :math:`high − (high − low)\,x_t\,s_t`, the mirror of
    :class:`annealing.Cyclic` (the same triangle :math:`x_t` and amplitude scale :math:`s_t`).

    It starts at `high` and falls to `low` where the rate peaks; with ``"triangular2"`` and
    ``"exp_range"`` the swing shrinks towards `high`, as PyTorch's momentum does.

    >>> m = CyclicMomentum(low=0.8, high=0.9, up=10)
    >>> m(0), m(10), round(m(15), 12)
    (0.9, 0.8, 0.85)
    """

    _unit: Cyclic = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        with _as("Cyclic", "CyclicMomentum"):
            super().__post_init__()
        object.__setattr__(
            self, "_unit", Cyclic(0.0, 1.0, self.up, self.down, self.mode, self.gamma)
        )

    def _peak(self) -> float:
        return self.high

    def _scalar(self, t: float) -> float:
        return float(self.high - (self.high - self.low) * self._unit._scalar(t))

    def _value(self, t: Any, xp: Any) -> Any:
        return self.high - (self.high - self.low) * self._unit._value(t, xp)


@a.checked("cyclic")
def cyclic(
    base_lr: float,
    max_lr: float,
    step_size_up: float = 2000,
    step_size_down: float | None = None,
    mode: str = "triangular",
    gamma: float = 1.0,
    cycle_momentum: bool = True,
    base_momentum: float = 0.8,
    max_momentum: float = 0.9,
) -> dict[str, Schedule]:
    """``CyclicLR`` with its momentum: ``{"lr": ..., "momentum": ...}``, PyTorch's defaults.

    ``"lr"`` is :func:`CyclicLR`; with ``cycle_momentum`` (the default, as in PyTorch)
    ``"momentum"`` is a :class:`CyclicMomentum`: `max_momentum` where the rate is at
    `base_lr`, `base_momentum` where it peaks. Give the mapping to
    :class:`annealing.torch.Scheduler` (SGD's ``momentum`` or Adam's ``betas[0]``).

    >>> h = cyclic(0.1, 1.0, step_size_up=10)
    >>> h["lr"](10), h["momentum"](0), h["momentum"](10)
    (1.0, 0.9, 0.8)
    """
    with _as("CyclicLR", "cyclic"):
        out: dict[str, Schedule] = {
            "lr": CyclicLR(base_lr, max_lr, step_size_up, step_size_down, mode, gamma)
        }
    if a.flag("cyclic", "cycle_momentum", cycle_momentum):
        lr = out["lr"]
        assert isinstance(lr, Cyclic)
        base, top = _momenta("cyclic", base_momentum, max_momentum)
        out["momentum"] = CyclicMomentum(base, top, lr.up, lr.down, lr.mode, lr.gamma)
    else:
        a.real("cyclic", "base_momentum", base_momentum)
        a.real("cyclic", "max_momentum", max_momentum)
    return out


# ------------------------------------------------------------ schedulers built from callables

#: the last step of a MultiplicativeLR: its product is kept for every step before (8 bytes each)
MAX_PRODUCT = 10**7


def _host(t: Any) -> Any:
    import numpy as np

    if hasattr(t, "detach"):  # a torch tensor
        t = t.detach().cpu()
    return np.asarray(t, dtype=np.float64)


def _elementwise(t: Any, xp: Any, f: Callable[[float], float]) -> Any:
    """`f` at every element of the array `t`, as an array of `t`'s library."""
    import numpy as np

    host = _host(t)
    out = np.array([f(float(x)) for x in host.ravel()], dtype=np.float64).reshape(host.shape)
    if hasattr(xp, "torch"):
        dtype = t.dtype if t.is_floating_point() else xp.torch.float64
        return xp.torch.as_tensor(out, dtype=dtype, device=t.device)
    if hasattr(xp, "jnp"):
        return xp.jnp.asarray(out, dtype=t.dtype)
    return out


def _epoch(t: float) -> int | float:
    """The step as PyTorch passes it to a lambda: an int (a fractional step stays a float)."""
    return int(t) if float(t).is_integer() else t


def _factor(owner: str, lr_lambda: Callable[[Any], Any], epoch: int | float) -> float:
    value = lr_lambda(epoch)
    # float() also reads "0.5" and True: a function returning them has a bug, not a factor
    if isinstance(value, (str, bytes, bool)) or type(value).__name__ in ("bool_", "bool"):
        raise TypeError(f"{owner}: lr_lambda({epoch!r}) must return a number, got {value!r}")
    try:
        x = float(value)
    except OverflowError:  # an int of 400 digits
        raise ValueError(
            f"{owner}: lr_lambda({epoch!r}) must return a finite number >= 0, got {a._show(value)}"
        ) from None
    except (TypeError, ValueError):
        raise TypeError(
            f"{owner}: lr_lambda({epoch!r}) must return a number, got {value!r}"
        ) from None
    if not (math.isfinite(x) and x >= 0):
        raise ValueError(
            f"{owner}: lr_lambda({epoch!r}) must return a finite number >= 0, got {value!r}"
        )
    return x


def _callable(owner: str, lr_lambda: Any) -> Callable[[Any], Any]:
    if isinstance(lr_lambda, (list, tuple)):
        raise TypeError(
            f"{owner}: lr_lambda must be one callable (one parameter group per schedule), "
            f"got a {type(lr_lambda).__name__}"
        )
    if not callable(lr_lambda) or isinstance(lr_lambda, (type, Schedule)):
        raise TypeError(
            f"{owner}: lr_lambda must be a function of the step, got {a._show(lr_lambda)}"
        )
    result: Callable[[Any], Any] = lr_lambda
    return result


class _Callable(Schedule):
    """A schedule that calls user code: it has no data form (to_dict and fingerprint refuse)."""

    _owner: str = ""

    def to_dict(self) -> dict[str, Any]:
        raise TypeError(
            f"{self._owner}: a schedule that calls a Python function (lr_lambda) cannot be "
            "written as data (to_dict, fingerprint, checkpoints): the function is code, and "
            "annealing never pickles. Write it with annealing's families (e.g. "
            "Scale(Cosine(...), lr)) to save or compare it"
        )

    def fingerprint(self) -> str:
        return self.to_dict()  # type: ignore[return-value]  # raises

    @property
    def steps(self) -> None:
        return None


@dataclass(frozen=True, repr=False)
class _Lambda(_Callable):
    lr: float
    lr_lambda: Callable[[Any], Any]
    _owner = "LambdaLR"

    def __repr__(self) -> str:
        return f"LambdaLR(lr={self.lr!r}, lr_lambda={self.lr_lambda!r})"

    def _scalar(self, t: float) -> float:
        value = self.lr * _factor("LambdaLR", self.lr_lambda, _epoch(t))
        return a.finite("LambdaLR", "lr · lr_lambda(step)", value, "a finite rate")

    def _value(self, t: Any, xp: Any) -> Any:
        return _elementwise(t, xp, self._scalar)


@dataclass(frozen=True, repr=False)
class _Multiplicative(_Callable):
    lr: float
    lr_lambda: Callable[[Any], Any]
    _owner = "MultiplicativeLR"
    _memo: array[float] = field(
        default_factory=lambda: array("d"), init=False, repr=False, compare=False
    )

    def __repr__(self) -> str:
        return f"MultiplicativeLR(lr={self.lr!r}, lr_lambda={self.lr_lambda!r})"

    def _scalar(self, t: float) -> float:
        n = math.floor(t)
        if n > MAX_PRODUCT:
            raise ValueError(
                f"MultiplicativeLR: step must be at most {MAX_PRODUCT:,} (the product calls "
                f"lr_lambda once for every step before it), got {t!r}"
            )
        memo = self._memo
        if not memo:
            memo.append(self.lr)
        while len(memo) <= n:  # PyTorch's recursion, in its order: lr · λ(1) · λ(2) · …
            k = len(memo)
            value = memo[-1] * _factor("MultiplicativeLR", self.lr_lambda, k)
            memo.append(a.finite("MultiplicativeLR", "lr · Π lr_lambda(k)", value, "a finite rate"))
        return memo[n]

    def _value(self, t: Any, xp: Any) -> Any:
        return _elementwise(t, xp, self._scalar)


@a.checked("LambdaLR")
def LambdaLR(lr: float, lr_lambda: Callable[[int], float]) -> Schedule:
    """``LambdaLR``: ``lr · lr_lambda(t)``, calling your function at each step.

    The function gets the step as an ``int`` (as PyTorch passes ``last_epoch``; a fractional
    step is passed as a float) and must return a finite number >= 0, else the call raises
    naming the step. Such a schedule is code, not data: :meth:`~annealing.Schedule.to_dict`
    and ``fingerprint`` raise TypeError (nothing is pickled), so it cannot go into a
    checkpoint of :class:`annealing.torch.Scheduler`; write it with annealing's families for
    that. One function per schedule (PyTorch's list of lambdas is one schedule per group).

    >>> s = LambdaLR(0.1, lambda epoch: 0.95**epoch)
    >>> s(0), round(s(2), 12)
    (0.1, 0.09025)
    """
    lr = a.rate("LambdaLR", "lr", lr)
    return _Lambda(lr, _callable("LambdaLR", lr_lambda))


@a.checked("MultiplicativeLR")
def MultiplicativeLR(lr: float, lr_lambda: Callable[[int], float]) -> Schedule:
    """``MultiplicativeLR``: ``lr · lr_lambda(1) · … · lr_lambda(t)``.

    The product is PyTorch's recursion, multiplied in its order (the values are the same
    floats); products already computed are kept, so each step costs one call. A fractional
    step takes the product up to its integer part; steps beyond :data:`MAX_PRODUCT` (10**7)
    are refused (ValueError). Like :func:`LambdaLR` it calls your
    function, so it has no data form: ``to_dict`` and ``fingerprint`` raise TypeError.

    >>> s = MultiplicativeLR(1.0, lambda epoch: 0.5)
    >>> s(0), s(3)
    (1.0, 0.125)
    """
    lr = a.rate("MultiplicativeLR", "lr", lr)
    return _Multiplicative(lr, _callable("MultiplicativeLR", lr_lambda))


# ---------------------------------------------------- several schedulers on one optimizer


@a.checked("ChainedScheduler")
def ChainedScheduler(schedulers: Iterable[Schedule], lr: float) -> Schedule:
    """``ChainedScheduler``: the product of the schedulers' factors, ``lr · Π sᵢ(t)/lr``.

    PyTorch's chainable schedulers (``StepLR``, ``MultiStepLR``, ``ConstantLR``,
    ``LinearLR``, ``ExponentialLR``, ``PolynomialLR``, ``MultiplicativeLR`` and
    ``CosineAnnealingLR`` with ``eta_min=0`` up to ``T_max``) each multiply the optimizer's
    current rate by their own ratio at every step, so several of them on one optimizer (in a
    ``ChainedScheduler`` or simply stepped one after the other) give the product of their
    factors. `lr` is the optimizer's initial rate, which every one of `schedulers` was built
    with. Schedulers that *write* the rate (``LambdaLR``, ``OneCycleLR``, ``CyclicLR``,
    ``CosineAnnealingWarmRestarts``) do not compose that way: ``LambdaLR`` is refused, the
    others cannot be told apart from their shape and give the product too (not PyTorch's
    value). ``CosineAnnealingLR`` with ``eta_min > 0`` adds `eta_min` inside PyTorch's
    recursion: the product differs from it by up to about `eta_min`.

    >>> s = ChainedScheduler([ConstantLR(1.0, 0.5, 2), ExponentialLR(1.0, 0.5)], lr=1.0)
    >>> [s(t) for t in (0, 1, 2, 3)]
    [0.5, 0.25, 0.25, 0.125]
    """
    return _product("ChainedScheduler", schedulers, lr)


@a.checked("chain")
def chain(schedulers: Iterable[Schedule], lr: float) -> Schedule:
    """Several PyTorch schedulers stepped together on one optimizer: their product.

    ``s1 = StepLR(opt, …); s2 = ExponentialLR(opt, …)`` with ``s1.step(); s2.step()`` each
    epoch is the same as a :func:`ChainedScheduler` of them (see there for which schedulers
    compose this way): ``lr · Π sᵢ(t)/lr``.

    >>> s = chain([StepLR(0.05, 3, 0.1), MultiStepLR(0.05, [2, 5, 9], 0.1)], lr=0.05)
    >>> [round(s(t), 12) for t in (0, 2, 3, 5)]
    [0.05, 0.005, 0.0005, 5e-05]
    """
    return _product("chain", schedulers, lr)


def _product(owner: str, schedulers: Any, lr: Any) -> Schedule:
    schedules: tuple[Schedule, ...] = tuple(a.sequence(owner, "schedulers", schedulers))
    if not schedules:
        raise ValueError(f"{owner}: schedulers must hold at least one schedule, got []")
    for i, schedule in enumerate(schedules):
        if isinstance(schedule, _Lambda):
            raise ValueError(
                f"{owner}: schedulers[{i}] is a LambdaLR, which writes the rate instead of "
                "multiplying it: PyTorch's result depends on the order, not a product"
            )
        if not isinstance(schedule, Schedule):
            raise TypeError(f"{owner}: schedulers[{i}] must be a schedule, got {a._show(schedule)}")
    lr = a.rate(owner, "lr", lr)
    if lr == 0.0:
        return Constant(0.0)
    if lr < 2.2250738585072014e-308:
        raise ValueError(f"{owner}: lr must be 0 or a number that is not subnormal, got {lr!r}")
    out = schedules[0]
    for schedule in schedules[1:]:
        out = Scale(out, Scale(schedule, 1.0 / lr))
    return out


# ------------------------------------------------------------------------------------ SWALR


@a.checked("SWALR")
def SWALR(
    lr: float, swa_lr: float, anneal_epochs: int = 10, anneal_strategy: str = "cos"
) -> Schedule:
    """``torch.optim.swa_utils.SWALR``: from `lr` to `swa_lr` over `anneal_epochs`, then held.

    PyTorch inverts its previous step at every step (``(lr − α·swa_lr)/(1 − α)``) to find
    the rate it started from; the closed form here is the value that recursion computes,
    ``swa_lr·α(t) + lr·(1 − α(t))`` with ``α = (1 − cos(π·t/anneal_epochs))/2`` (``"cos"``)
    or ``t/anneal_epochs`` (``"linear"``). ``anneal_epochs=0`` is `swa_lr` from step 0. `lr`
    is the optimizer's rate when SWALR is built; SWA starts it part-way through training:
    put it in a :func:`SequentialLR`.

    >>> s = SWALR(0.1, swa_lr=0.05, anneal_epochs=4, anneal_strategy="linear")
    >>> [round(s(t), 12) for t in range(6)]
    [0.1, 0.0875, 0.075, 0.0625, 0.05, 0.05]
    """
    lr = a.rate("SWALR", "lr", lr)
    swa_lr = a.rate("SWALR", "swa_lr", swa_lr)
    epochs = a.whole("SWALR", "anneal_epochs", anneal_epochs, minimum=0, floats=False)
    shape = a.option("SWALR", "anneal_strategy", anneal_strategy, ("cos", "linear"))
    if epochs == 0:
        return Constant(swa_lr)
    interpolation = "cosine" if shape == "cos" else "linear"
    return Piecewise(((0, lr), (epochs, swa_lr)), interpolation=interpolation)


# ------------------------------------------------------------------------ ReduceLROnPlateau


def _plateau(owner: str, lr: Any, **kwargs: Any) -> Plateau:
    """A :class:`annealing.plateau.Plateau`, its errors under the framework's name."""
    try:
        return Plateau(lr, **kwargs)
    except (TypeError, ValueError) as error:
        text = str(error).removeprefix("Plateau: ")
        raise type(error)(f"{owner}: {text}") from None


def ReduceLROnPlateau(
    lr: float,
    mode: str = "min",
    factor: float = 0.1,
    patience: int = 10,
    threshold: float = 1e-4,
    threshold_mode: str = "rel",
    cooldown: int = 0,
    min_lr: float = 0.0,
    eps: float = 1e-8,
) -> Plateau:
    """``ReduceLROnPlateau`` for one parameter group: a :class:`annealing.plateau.Plateau`.

    It is not a schedule (the rate depends on the metric): call ``.step(metric)`` once per
    epoch, read ``.lr``, and ``.schedule()`` gives the run so far as a ``Piecewise``. The
    decisions are PyTorch's, exactly; for several groups use one per group (the decisions do
    not depend on the rate, so they agree). `factor` must be in [0, 1).

    >>> p = ReduceLROnPlateau(0.5, patience=0)
    >>> p.step(1.0), p.step(1.0), p.cuts
    (0.5, 0.05, (2,))
    """
    return _plateau(
        "ReduceLROnPlateau", lr, mode=mode, factor=factor, patience=patience,
        threshold=threshold, threshold_mode=threshold_mode, cooldown=cooldown, min_lr=min_lr,
        eps=eps,
    )  # fmt: skip
