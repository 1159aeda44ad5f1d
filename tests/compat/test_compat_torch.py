"""annealing.compat.torch against the real torch.optim.lr_scheduler (stepped, as in training).

PyTorch steps most schedulers by a recursion on the current rate, so its values drift from
the closed form. For most schedulers the drift stays below 1e-12 of the peak over the horizons
drawn here. ``CosineAnnealingLR`` (and a ``SequentialLR`` holding one) drifts further, because
past ``T_max`` its recursion multiplies small values back up: measured up to 1.3e-15 of the
peak per step. Those are compared within ``DRIFT`` = 4e-15 of the peak per step compared
(at least 1e-12); all others within 1e-12.
"""

# Each loop builds PyTorch schedulers from lambdas that run within the same iteration.
# ruff: noqa: B023

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from support import require

from annealing.compat import torch as pt

from ._check import CONFIGS, check, rng_for

pytestmark = pytest.mark.peer


def run(make: Callable[[Any], Any], lr: float, steps: int, groups: int = 1) -> np.ndarray:
    """The rate of optimizer step 0, 1, …, steps − 1 (one scheduler.step() between)."""
    torch = require("torch")
    params = [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for _ in range(groups)]
    optimizer = torch.optim.SGD(params, lr=lr, momentum=0.9)
    out = np.empty(steps)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scheduler = make(optimizer)
        out[0] = optimizer.param_groups[0]["lr"]
        for t in range(1, steps):
            scheduler.step()
            out[t] = optimizer.param_groups[0]["lr"]
    return out


def lr_of(rng: np.random.Generator) -> float:
    return float(10 ** rng.uniform(-4, 0))


def horizon(rng: np.random.Generator, low: int = 1, high: int = 300) -> int:
    return int(rng.integers(low, high + 1))


DRIFT = 4e-15  # of the peak, per step of PyTorch's recursion


def compare(
    name: str,
    ours: Any,
    make: Callable[[Any], Any],
    lr: float,
    steps: int,
    config: Any,
    drift: bool = False,
) -> None:
    theirs = run(make, lr, steps)
    tol = max(1e-12, DRIFT * steps) if drift else 1e-12
    check(name, ours(np.arange(steps)), theirs, config=config, tol=tol)
    # the scalar path gives the same values as the array path
    assert ours(steps - 1) == pytest.approx(float(ours(np.arange(steps))[-1]), rel=1e-15, abs=0)


def test_step_lr() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("StepLR")
    for _ in range(CONFIGS):
        lr, size, gamma = lr_of(rng), horizon(rng, 1, 50), float(rng.uniform(0.05, 1.0))
        T = 4 * size
        compare(
            "torch.StepLR",
            pt.StepLR(lr, size, gamma),
            lambda o: S.StepLR(o, size, gamma),
            lr,
            2 * T + 1,
            (lr, size, gamma),
        )


def test_multistep_lr() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("MultiStepLR")
    for _ in range(CONFIGS):
        lr, gamma = lr_of(rng), float(rng.uniform(0.05, 1.0))
        milestones = sorted(int(m) for m in rng.integers(1, 200, size=int(rng.integers(1, 5))))
        T = max(milestones)
        compare(
            "torch.MultiStepLR",
            pt.MultiStepLR(lr, milestones, gamma),
            lambda o: S.MultiStepLR(o, milestones, gamma),
            lr,
            2 * T + 1,
            (lr, milestones, gamma),
        )


def test_constant_lr() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("ConstantLR")
    for _ in range(CONFIGS):
        lr, factor, T = lr_of(rng), float(rng.uniform(0.01, 1.0)), horizon(rng, 0, 100)
        compare(
            "torch.ConstantLR",
            pt.ConstantLR(lr, factor, T),
            lambda o: S.ConstantLR(o, factor, T),
            lr,
            2 * max(T, 1) + 1,
            (lr, factor, T),
        )


def test_linear_lr() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("LinearLR")
    for _ in range(CONFIGS):
        lr, T = lr_of(rng), horizon(rng)
        a, b = float(rng.uniform(0.01, 1.0)), float(rng.uniform(0.0, 1.0))
        compare(
            "torch.LinearLR",
            pt.LinearLR(lr, a, b, T),
            lambda o: S.LinearLR(o, a, b, T),
            lr,
            2 * T + 1,
            (lr, a, b, T),
        )


def test_exponential_lr() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("ExponentialLR")
    for _ in range(CONFIGS):
        lr, gamma, T = lr_of(rng), float(rng.uniform(0.9, 1.0)), horizon(rng)
        compare(
            "torch.ExponentialLR",
            pt.ExponentialLR(lr, gamma),
            lambda o: S.ExponentialLR(o, gamma),
            lr,
            2 * T + 1,
            (lr, gamma),
        )


def test_polynomial_lr() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("PolynomialLR")
    for _ in range(CONFIGS):
        lr, T, power = lr_of(rng), horizon(rng), float(rng.uniform(0.2, 4.0))
        compare(
            "torch.PolynomialLR",
            pt.PolynomialLR(lr, T, power),
            lambda o: S.PolynomialLR(o, T, power),
            lr,
            2 * T + 1,
            (lr, T, power),
        )


def test_cosine_annealing_lr() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("CosineAnnealingLR")
    for _ in range(CONFIGS):
        lr, T = lr_of(rng), horizon(rng)
        eta_min = lr * float(rng.choice([0.0, rng.uniform(0, 0.5)]))
        # past T_max PyTorch rises again; compare two full periods (4 T_max)
        compare(
            "torch.CosineAnnealingLR",
            pt.CosineAnnealingLR(lr, T, eta_min),
            lambda o: S.CosineAnnealingLR(o, T, eta_min),
            lr,
            4 * T + 1,
            (lr, T, eta_min),
            drift=True,
        )


def test_cosine_annealing_warm_restarts() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("CosineAnnealingWarmRestarts")
    for _ in range(CONFIGS):
        lr, T0, mult = lr_of(rng), horizon(rng, 1, 40), int(rng.integers(1, 4))
        eta_min = lr * float(rng.choice([0.0, rng.uniform(0, 0.5)]))
        T = T0 * (1 + mult + mult**2)  # three cycles
        compare(
            "torch.CosineAnnealingWarmRestarts",
            pt.CosineAnnealingWarmRestarts(lr, T0, mult, eta_min),
            lambda o: S.CosineAnnealingWarmRestarts(o, T0, mult, eta_min),
            lr,
            2 * T + 1,
            (lr, T0, mult, eta_min),
        )


@pytest.mark.parametrize("mode", ["triangular", "triangular2", "exp_range"])
def test_cyclic_lr(mode: str) -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for(f"CyclicLR-{mode}")
    for _ in range(CONFIGS):
        base = lr_of(rng)
        high = base * float(rng.uniform(1.0, 20.0))
        up = horizon(rng, 1, 60)
        down = None if rng.random() < 0.3 else horizon(rng, 1, 60)
        gamma = float(rng.uniform(0.98, 1.0)) if mode == "exp_range" else 1.0
        T = 3 * (up + (up if down is None else down))
        compare(
            f"torch.CyclicLR({mode})",
            pt.CyclicLR(base, high, up, down, mode, gamma),
            lambda o: S.CyclicLR(o, base, high, up, down, mode, gamma),
            base,
            2 * T + 1,
            (base, high, up, down, gamma),
        )


@pytest.mark.parametrize("strategy", ["cos", "linear"])
@pytest.mark.parametrize("three_phase", [False, True])
def test_one_cycle_lr(strategy: str, three_phase: bool) -> None:
    S = require("torch.optim.lr_scheduler")
    name = f"OneCycleLR({strategy}, three_phase={three_phase})"
    rng = rng_for(name)
    for _ in range(CONFIGS):
        peak, T = lr_of(rng), horizon(rng, 10, 400)
        pct = float(rng.uniform(0.1, 0.45 if three_phase else 0.9))
        div, final = float(rng.uniform(2, 50)), float(rng.uniform(10, 1e5))

        def make(o: Any) -> Any:
            return S.OneCycleLR(
                o,
                peak,
                total_steps=T,
                pct_start=pct,
                anneal_strategy=strategy,
                div_factor=div,
                final_div_factor=final,
                three_phase=three_phase,
            )

        ours = pt.OneCycleLR(
            peak,
            T,
            pct_start=pct,
            anneal_strategy=strategy,
            div_factor=div,
            final_div_factor=final,
            three_phase=three_phase,
        )
        # PyTorch raises beyond total_steps: steps 0 .. T - 1 are every step it can run
        compare(f"torch.{name}", ours, make, peak, T, (peak, T, pct, div, final))
        # from T - 1 on, the minimum holds (PyTorch extrapolates at T, then raises)
        low = peak / div / final
        assert ours(np.arange(T - 1, 2 * T + 1)) == pytest.approx(low, rel=1e-12)


def test_sequential_lr() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("SequentialLR")
    kinds = ["linear", "constant", "cosine", "exponential", "step", "poly", "multistep"]

    def pick(lr: float) -> tuple[Any, Any, int]:
        kind = str(rng.choice(kinds))
        T = horizon(rng, 2, 80)
        if kind == "linear":
            a, b = float(rng.uniform(0.05, 1)), float(rng.uniform(0, 1))
            return pt.LinearLR(lr, a, b, T), lambda o: S.LinearLR(o, a, b, T), T
        if kind == "constant":
            f = float(rng.uniform(0.05, 1))
            return pt.ConstantLR(lr, f, T), lambda o: S.ConstantLR(o, f, T), T
        if kind == "cosine":
            m = lr * float(rng.uniform(0, 0.5))
            return pt.CosineAnnealingLR(lr, T, m), lambda o: S.CosineAnnealingLR(o, T, m), T
        if kind == "exponential":
            g = float(rng.uniform(0.9, 1))
            return pt.ExponentialLR(lr, g), lambda o: S.ExponentialLR(o, g), T
        if kind == "step":
            k, g = horizon(rng, 1, 20), float(rng.uniform(0.1, 1))
            return pt.StepLR(lr, k, g), lambda o: S.StepLR(o, k, g), T
        if kind == "poly":
            p = float(rng.uniform(0.5, 3))
            return pt.PolynomialLR(lr, T, p), lambda o: S.PolynomialLR(o, T, p), T
        ms = sorted(int(m) for m in rng.integers(1, T + 1, size=2))
        g = float(rng.uniform(0.1, 1))
        return pt.MultiStepLR(lr, ms, g), lambda o: S.MultiStepLR(o, ms, g), T

    for _ in range(CONFIGS):
        lr = lr_of(rng)
        parts = [pick(lr) for _ in range(int(rng.integers(2, 4)))]
        milestones = list(np.cumsum([p[2] for p in parts[:-1]]).astype(int))
        milestones = [int(m) for m in milestones]
        ours = pt.SequentialLR([p[0] for p in parts], milestones)

        def make(o: Any, parts: Any = parts, milestones: Any = milestones) -> Any:
            return S.SequentialLR(o, [p[1](o) for p in parts], milestones)

        T = milestones[-1] + parts[-1][2]
        compare("torch.SequentialLR", ours, make, lr, 2 * T + 1, (lr, milestones), drift=True)


# -- the pinned conventions of peer-schedulers.md (b) ---------------------------------------


def test_pinned_cosine_annealing_lr_rises_past_t_max() -> None:
    S = require("torch.optim.lr_scheduler")
    theirs = run(lambda o: S.CosineAnnealingLR(o, 10, 0.1), 1.0, 21)
    ours = pt.CosineAnnealingLR(1.0, 10, 0.1)
    for t, value in ((0, 1.0), (5, 0.55), (9, 0.122024567667), (10, 0.1), (15, 0.55), (20, 1.0)):
        assert round(theirs[t], 12) == value and round(ours(t), 12) == value


def test_pinned_cawr_never_reaches_eta_min_and_restarts_at_t0() -> None:
    S = require("torch.optim.lr_scheduler")
    theirs = run(lambda o: S.CosineAnnealingWarmRestarts(o, 10, eta_min=0.1), 1.0, 11)
    ours = pt.CosineAnnealingWarmRestarts(1.0, 10, eta_min=0.1)
    assert round(theirs[9], 12) == round(ours(9), 12) == 0.122024567667
    assert theirs[10] == ours(10) == 1.0


@pytest.mark.parametrize(("T_mult", "epoch"), [(3, 121), (10, 111)])
def test_pinned_cawr_step_epoch_misplaces_a_restart(T_mult: int, epoch: int) -> None:
    # the deprecated step(epoch) path uses math.log: the exact restart lands in the last cycle
    S = require("torch.optim.lr_scheduler")

    def make(o: Any) -> Any:
        s = S.CosineAnnealingWarmRestarts(o, 1, T_mult, eta_min=0.0)
        s.step(epoch)
        return s

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = run(make, 1.0, 1)[0]
    assert theirs == 0.0  # PyTorch: the trough
    assert pt.CosineAnnealingWarmRestarts(1.0, 1, T_mult)(epoch) == 1.0  # here: the restart
    # its incremental step() is exact, as here
    assert run(lambda o: S.CosineAnnealingWarmRestarts(o, 1, T_mult), 1.0, epoch + 1)[-1] == 1.0


@pytest.mark.parametrize(("strategy", "at_t"), [("cos", 5.07e-5), ("linear", -1.43e-3)])
def test_pinned_one_cycle_extrapolates_at_total_steps_then_raises(
    strategy: str, at_t: float
) -> None:
    S = require("torch.optim.lr_scheduler")
    torch = require("torch")
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scheduler = S.OneCycleLR(optimizer, 0.1, total_steps=100, anneal_strategy=strategy)
        for _ in range(100):
            scheduler.step()
        assert optimizer.param_groups[0]["lr"] == pytest.approx(at_t, rel=1e-2)
        with pytest.raises(ValueError, match="Tried to step"):
            scheduler.step()
    ours = pt.OneCycleLR(0.1, 100, anneal_strategy=strategy)
    assert ours(29) == pytest.approx(0.1, rel=1e-15)  # the peak at pct_start·T − 1
    assert ours(100) == ours(99) == pytest.approx(0.1 / 25 / 1e4, rel=1e-12)  # held, >= 0


def test_pinned_multistep_boundary_and_duplicate_milestones() -> None:
    S = require("torch.optim.lr_scheduler")
    theirs = run(lambda o: S.MultiStepLR(o, [5, 5, 8], 0.5), 1.0, 10)
    ours = pt.MultiStepLR(1.0, [5, 5, 8], 0.5)
    assert theirs[4] == ours(4) == 1.0
    assert theirs[5] == ours(5) == 0.25  # at the milestone the new value; listed twice: γ²
    assert theirs[8] == ours(8) == 0.125


def test_pinned_polynomial_ends_at_zero_and_sequential_restarts_closed_form() -> None:
    S = require("torch.optim.lr_scheduler")
    assert run(lambda o: S.PolynomialLR(o, 5, 2.0), 1.0, 8)[5:].tolist() == [0.0] * 3
    assert pt.PolynomialLR(1.0, 5, 2.0)(7) == 0.0

    def make(o: Any) -> Any:
        return S.SequentialLR(o, [S.ConstantLR(o, 0.5, 3), S.CosineAnnealingLR(o, 10)], [4])

    theirs = run(make, 1.0, 6)
    ours = pt.SequentialLR([pt.ConstantLR(1.0, 0.5, 3), pt.CosineAnnealingLR(1.0, 10)], [4])
    assert theirs[4] == ours(4) == 1.0  # the cosine's closed form at its own step 0
    assert math.isclose(theirs[5], ours(5), rel_tol=1e-14)


def test_pinned_linear_lr_rejects_a_start_at_zero_which_is_allowed_here() -> None:
    S = require("torch.optim.lr_scheduler")
    torch = require("torch")
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    with pytest.raises(ValueError):
        S.LinearLR(optimizer, start_factor=0.0)
    assert pt.LinearLR(1.0, start_factor=0.0, total_iters=4)(1) == 0.25
