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

from collections.abc import Iterable

from ..constant import Constant
from ..cosine import Cosine
from ..cyclic import Cyclic
from ..exponential import Exponential
from ..linear import Linear, Polynomial
from ..piecewise import Piecewise
from ..restarts import Restarts
from ..schedule import Schedule
from ..sequence import Sequence
from ..step import MultiStep, Step
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


def StepLR(lr: float, step_size: float, gamma: float = 0.1) -> Schedule:
    """``StepLR``: ``lr · gamma^⌊t / step_size⌋``.

    >>> StepLR(1.0, step_size=2, gamma=0.5)(5)
    0.25
    """
    return Step(lr, step_size, gamma)


def MultiStepLR(lr: float, milestones: Iterable[float], gamma: float = 0.1) -> Schedule:
    """``MultiStepLR``: ``lr · gamma^#{m ≤ t}``; a milestone listed twice decays twice.

    >>> MultiStepLR(1.0, milestones=[2, 2, 5], gamma=0.5)(2)
    0.25
    """
    return MultiStep(lr, tuple(sorted(milestones)), gamma)


def ConstantLR(lr: float, factor: float = 1.0 / 3, total_iters: int = 5) -> Schedule:
    """``ConstantLR``: ``lr · factor`` before `total_iters`, then `lr`.

    With ``total_iters=0`` PyTorch's recursion never restores `lr` (it multiplies by
    `factor` at step 0 and only divides at ``t == total_iters``, which is also 0); that is
    reproduced: the value stays ``lr · factor``.

    >>> [ConstantLR(1.0, factor=0.5, total_iters=2)(t) for t in (0, 1, 2)]
    [0.5, 0.5, 1.0]
    """
    if total_iters <= 0:
        return Constant(lr * factor)
    return Piecewise(((0, lr * factor), (total_iters, lr)))


def LinearLR(
    lr: float, start_factor: float = 1.0 / 3, end_factor: float = 1.0, total_iters: int = 5
) -> Schedule:
    """``LinearLR``: a line from ``lr·start_factor`` to ``lr·end_factor`` over `total_iters`.

    PyTorch requires ``start_factor > 0``; a warmup from exactly 0 is allowed here.

    >>> [LinearLR(1.0, start_factor=0.5, total_iters=2)(t) for t in (0, 1, 2, 3)]
    [0.5, 0.75, 1.0, 1.0]
    """
    return Linear(lr * start_factor, lr * end_factor, total_iters)


def ExponentialLR(lr: float, gamma: float) -> Schedule:
    """``ExponentialLR``: ``lr · gamma^t``.

    >>> ExponentialLR(1.0, gamma=0.5)(3)
    0.125
    """
    return Exponential(lr, rate=gamma)


def PolynomialLR(lr: float, total_iters: int = 5, power: float = 1.0) -> Schedule:
    """``PolynomialLR``: ``lr · (1 − min(t, T)/T)^power``, always ending at 0.

    >>> PolynomialLR(1.0, total_iters=4, power=2.0)(2)
    0.25
    """
    return Polynomial(lr, 0.0, total_iters, power)


def CosineAnnealingLR(lr: float, T_max: float, eta_min: float = 0.0) -> Schedule:
    """``CosineAnnealingLR``, including what it does past `T_max`: it rises again.

    PyTorch does not stop at `eta_min`: its values follow the cosine back up to `lr` at
    ``2·T_max``, and on (period ``2·T_max``). For a schedule that holds `eta_min`, use
    :class:`annealing.Cosine`.

    >>> s = CosineAnnealingLR(1.0, T_max=10)
    >>> s(10), s(20)
    (0.0, 1.0)
    """
    return periodic_cosine(lr, eta_min, T_max)


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
    return Restarts(Cosine(lr, eta_min, T_0), mult=T_mult)


def CyclicLR(
    base_lr: float,
    max_lr: float,
    step_size_up: float = 2000,
    step_size_down: float | None = None,
    mode: str = "triangular",
    gamma: float = 1.0,
) -> Schedule:
    """``CyclicLR`` (the built-in modes; ``scale_fn`` callables are not supported).

    >>> CyclicLR(0.1, 1.0, step_size_up=10, mode="triangular2")(30)
    0.55
    """
    return Cyclic(base_lr, max_lr, step_size_up, step_size_down, mode, gamma)


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
    ``2·pct_start·T − 2`` (three phases) and ``T − 1``, which is reproduced. Past ``T − 1``
    this schedule holds the minimum, ``max_lr / (div_factor · final_div_factor)``. PyTorch
    instead raises for a step beyond `total_steps` and, at ``t = total_steps`` exactly,
    extrapolates the last phase: slightly above the minimum for ``"cos"`` and *below zero*
    for ``"linear"`` (−1.43e-3 for ``max_lr=0.1``, T=100). A learning rate is never negative
    here, so that one step differs on purpose.

    >>> s = OneCycleLR(1.0, total_steps=100)
    >>> s(0), s(29), s(99)
    (0.04, 1.0, 4e-06)
    """
    if total_steps is None:
        if epochs is None or steps_per_epoch is None:
            raise ValueError(
                "OneCycleLR: give total_steps, or epochs and steps_per_epoch, "
                f"got total_steps=None, epochs={epochs!r}, steps_per_epoch={steps_per_epoch!r}"
            )
        total_steps = epochs * steps_per_epoch
    if anneal_strategy not in ("cos", "linear"):
        raise ValueError(
            f"OneCycleLR: anneal_strategy must be 'cos' or 'linear', got {anneal_strategy!r}"
        )
    initial = max_lr / div_factor
    low = initial / final_div_factor
    peak_step = float(pct_start * total_steps) - 1
    if three_phase:
        ends = [peak_step, float(2 * pct_start * total_steps) - 2, total_steps - 1]
        values = [max_lr, initial, low]
    else:
        ends = [peak_step, total_steps - 1]
        values = [max_lr, low]
    steps = [0.0, *ends]
    if any(steps[i + 1] <= steps[i] for i in range(len(steps) - 1)):
        raise ValueError(
            "OneCycleLR: the phases must have positive lengths (pct_start·total_steps > 1 and "
            f"the last phase after the others), got total_steps={total_steps!r}, "
            f"pct_start={pct_start!r}, three_phase={three_phase!r}"
        )
    points = ((0, initial), *zip(ends, values, strict=True))
    shape = "cosine" if anneal_strategy == "cos" else "linear"
    return Piecewise(points, interpolation=shape)


def SequentialLR(schedulers: Iterable[Schedule], milestones: Iterable[float]) -> Schedule:
    """``SequentialLR``: scheduler ``i`` takes over at milestone ``i − 1``, from its own step 0.

    >>> s = SequentialLR([LinearLR(1.0, 0.5, total_iters=2), ExponentialLR(1.0, 0.5)], [2])
    >>> [s(t) for t in (0, 1, 2, 3)]
    [0.5, 0.75, 1.0, 0.5]
    """
    schedules = tuple(schedulers)
    bounds = tuple(milestones)
    if len(schedules) == 1 and not bounds:
        return schedules[0]
    return Sequence(schedules, boundaries=bounds)
