"""annealing.compat.torch.attributes against the attributes of the real PyTorch schedulers.

Each test draws random configurations, steps the real scheduler k times (k random, up to
three horizons) and compares every attribute ``attributes`` gives with the scheduler's own
(``vars()``): the same names, equal values, the same types for counts. Factors that
``attributes`` finds by a division (LinearLR, ConstantLR) agree within a rounding.
"""

# Each loop builds PyTorch schedulers from lambdas that run within the same iteration.
# ruff: noqa: B023

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from support import require

import annealing as an
from annealing.compat import torch as pt
from annealing.compat._attributes import merged

from ._check import rng_for

pytestmark = pytest.mark.peer

CONFIGS = 40
DIVIDED = {"factor", "start_factor", "end_factor"}  # found by a division: within a rounding


def stepped(make: Callable[[Any], Any], lrs: list[float], k: int, **sgd: Any) -> dict[str, Any]:
    """vars() of the real scheduler after k calls of step(), on SGD with one group per lr."""
    torch = require("torch")
    params = [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in lrs]
    optimizer = torch.optim.SGD(params, lr=lrs[0], **sgd)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scheduler = make(optimizer)
        for _ in range(k):
            scheduler.step()
    return vars(scheduler)


# public attributes of PyTorch's schedulers that are not values of the schedule: the
# optimizer, whether it has betas (the adapter decides that per group), SWALR's bound method
NOT_OURS = {"optimizer", "use_beta1", "anneal_func"}


def same(ours: dict[str, Any], theirs: dict[str, Any], config: Any, complete: bool = True) -> None:
    """Every attribute of ours is PyTorch's, equal; with `complete`, every public one."""
    if complete:
        public = {k for k in theirs if not k.startswith("_")} - NOT_OURS
        assert public <= set(ours), (public - set(ours), config)
    for key, mine in ours.items():
        assert key in theirs, (key, config)
        real = theirs[key]
        if key in DIVIDED:
            assert mine == pytest.approx(real, rel=4e-16, abs=0), (key, config)
            continue
        assert mine == real, (key, mine, real, config)
        assert type(mine) is type(real), (key, type(mine), type(real), config)
        if isinstance(real, list):
            assert [type(x) for x in mine] == [type(x) for x in real], (key, config)


def lr_of(rng: np.random.Generator) -> float:
    return float(10 ** rng.uniform(-4, 0))


def steps(rng: np.random.Generator, horizon: int) -> int:
    return int(rng.integers(0, 3 * horizon + 1))


def test_step_lr() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("attributes StepLR")
    for _ in range(CONFIGS):
        lr, size, gamma = lr_of(rng), int(rng.integers(1, 30)), float(rng.uniform(0.05, 1.0))
        k = steps(rng, 4 * size)
        theirs = stepped(lambda o: S.StepLR(o, step_size=size, gamma=gamma), [lr], k)
        ours = pt.attributes(pt.StepLR(lr, size, gamma), k)
        assert {"step_size", "gamma", "base_lrs", "last_epoch"} <= set(ours)
        same(ours, theirs, (lr, size, gamma, k))


def test_multistep_lr() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("attributes MultiStepLR")
    for _ in range(CONFIGS):
        lr, gamma = lr_of(rng), float(rng.uniform(0.05, 1.0))
        marks = [int(m) for m in rng.integers(0, 60, size=int(rng.integers(1, 6)))]
        k = steps(rng, 60)
        theirs = stepped(lambda o: S.MultiStepLR(o, milestones=marks, gamma=gamma), [lr], k)
        ours = pt.attributes(pt.MultiStepLR(lr, marks, gamma), k)
        assert isinstance(ours["milestones"], Counter)
        same(ours, theirs, (lr, marks, gamma, k))


def test_constant_linear_exponential_polynomial() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("attributes ConstantLR LinearLR ExponentialLR PolynomialLR")
    for _ in range(CONFIGS):
        lr, total = lr_of(rng), int(rng.integers(1, 100))
        factor, start, end = (float(x) for x in rng.uniform(0.01, 1.0, size=3))
        gamma, power = float(rng.uniform(0.5, 1.0)), float(rng.uniform(0.1, 3.0))
        k = steps(rng, total)
        config = (lr, total, factor, start, end, gamma, power, k)
        cases = [
            (
                lambda o: S.ConstantLR(o, factor=factor, total_iters=total),
                pt.ConstantLR(lr, factor, total),
                {"factor", "total_iters"},
            ),
            (
                lambda o: S.LinearLR(o, start_factor=start, end_factor=end, total_iters=total),
                pt.LinearLR(lr, start, end, total),
                {"start_factor", "end_factor", "total_iters"},
            ),
            (lambda o: S.ExponentialLR(o, gamma=gamma), pt.ExponentialLR(lr, gamma), {"gamma"}),
            (
                lambda o: S.PolynomialLR(o, total_iters=total, power=power),
                pt.PolynomialLR(lr, total, power),
                {"total_iters", "power"},
            ),
        ]
        for make, schedule, names in cases:
            ours = pt.attributes(schedule, k, lr=lr)
            assert names <= set(ours), (names, ours)
            same(ours, stepped(make, [lr], k), config)


def test_cosine_annealing_lr() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("attributes CosineAnnealingLR")
    for _ in range(CONFIGS):
        lr, T = lr_of(rng), int(rng.integers(1, 200))
        eta = float(lr * rng.uniform(0, 0.5)) if rng.uniform() < 0.7 else 0.0
        k = steps(rng, T)
        theirs = stepped(lambda o: S.CosineAnnealingLR(o, T_max=T, eta_min=eta), [lr], k)
        ours = pt.attributes(pt.CosineAnnealingLR(lr, T, eta), k)
        assert {"T_max", "eta_min"} <= set(ours)
        same(ours, theirs, (lr, T, eta, k))


def test_cosine_annealing_warm_restarts_counts_as_step_does() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("attributes CosineAnnealingWarmRestarts")
    for i in range(CONFIGS):
        lr, T_0, T_mult = lr_of(rng), int(rng.integers(1, 20)), int(rng.integers(1, 4))
        eta = float(lr * rng.uniform(0, 0.5))
        k = steps(rng, T_0 * T_mult**3) if i else T_0 * (1 + T_mult)  # one at a restart
        theirs = stepped(
            lambda o: S.CosineAnnealingWarmRestarts(o, T_0=T_0, T_mult=T_mult, eta_min=eta),
            [lr],
            k,
        )
        ours = pt.attributes(pt.CosineAnnealingWarmRestarts(lr, T_0, T_mult, eta), k)
        assert {"T_0", "T_i", "T_mult", "T_cur", "eta_min"} <= set(ours)
        same(ours, theirs, (lr, T_0, T_mult, eta, k))


def test_cyclic_lr_and_its_momentum() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("attributes CyclicLR")
    for _ in range(CONFIGS):
        base = lr_of(rng)
        top = base * float(rng.uniform(1, 10))
        up = int(rng.integers(1, 50))
        down = int(rng.integers(1, 50)) if rng.uniform() < 0.5 else None
        mode = str(rng.choice(["triangular", "triangular2", "exp_range"]))
        gamma = float(rng.uniform(0.9, 1.0)) if mode == "exp_range" else 1.0
        k = steps(rng, 2 * up)
        config = (base, top, up, down, mode, gamma, k)
        args = (base, top, up, down, mode, gamma)
        theirs = stepped(
            lambda o: S.CyclicLR(o, base, top, up, down, mode, gamma), [base], k, momentum=0.9
        )
        ours = pt.attributes(pt.cyclic(*args), k)
        assert {"max_lrs", "base_lrs", "total_size", "step_ratio", "mode", "gamma"} <= set(ours)
        assert {"cycle_momentum", "base_momentums", "max_momentums"} <= set(ours)
        same(ours, theirs, config)
        bare = pt.attributes(pt.CyclicLR(*args), k)
        assert "cycle_momentum" not in bare
        same(bare, theirs, config, complete=False)


def test_one_cycle_lr() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("attributes OneCycleLR")
    for _ in range(CONFIGS):
        top, total = lr_of(rng), int(rng.integers(20, 300))
        three = bool(rng.uniform() < 0.5)
        pct = float(rng.uniform(0.1, 0.45 if three else 0.9))
        shape = str(rng.choice(["cos", "linear"]))
        k = steps(rng, total // 3)
        kw = {"total_steps": total, "pct_start": pct, "anneal_strategy": shape}
        theirs = stepped(
            lambda o: S.OneCycleLR(o, top, three_phase=three, **kw), [top], k, momentum=0.9
        )
        ours = pt.attributes(pt.one_cycle(top, three_phase=three, **kw), k)
        assert {"total_steps", "cycle_momentum"} <= set(ours)
        same(ours, theirs, (top, kw, three, k))
        bare = pt.attributes(pt.OneCycleLR(top, three_phase=three, **kw), k)
        same(bare, theirs, kw, complete=False)


def test_swalr_lambda_multiplicative() -> None:
    S = require("torch.optim.lr_scheduler")
    swa = require("torch.optim.swa_utils")
    rng = rng_for("attributes SWALR LambdaLR")
    for _ in range(CONFIGS // 4):
        lr, epochs = lr_of(rng), int(rng.integers(1, 30))
        swa_lr, shape = lr * float(rng.uniform(0, 1)), str(rng.choice(["cos", "linear"]))
        k = steps(rng, epochs)
        theirs = stepped(lambda o: swa.SWALR(o, swa_lr, epochs, shape), [lr], k)
        ours = pt.attributes(pt.SWALR(lr, swa_lr, epochs, shape), k)
        assert "anneal_epochs" in ours
        same(ours, theirs, (lr, swa_lr, epochs, shape, k))

        def f(epoch: int) -> float:
            return 0.97**epoch

        for ours_, make in (
            (pt.LambdaLR(lr, f), lambda o: S.LambdaLR(o, f)),
            (pt.MultiplicativeLR(lr, f), lambda o: S.MultiplicativeLR(o, f)),
        ):
            attrs = pt.attributes(ours_, k)
            assert attrs["lr_lambdas"] == [f]
            same(attrs, stepped(make, [lr], k), (lr, k))


def test_several_groups() -> None:
    """merged: per-group lists in group order, as one PyTorch scheduler over the groups."""
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("attributes groups")
    for _ in range(CONFIGS // 4):
        bases = [lr_of(rng) for _ in range(3)]
        tops = [b * float(rng.uniform(1, 10)) for b in bases]
        up, k = int(rng.integers(1, 30)), int(rng.integers(0, 100))
        theirs = stepped(lambda o: S.CyclicLR(o, bases, tops, up), bases, k, momentum=0.9)
        same(merged([pt.cyclic(b, t, up) for b, t in zip(bases, tops, strict=True)], k), theirs, k)
        start = float(rng.uniform(0.1, 1))
        linear = [pt.LinearLR(b, start, 1.0, up) for b in bases]
        theirs = stepped(lambda o: S.LinearLR(o, start, 1.0, up), bases, k)
        same(merged(linear, k, bases), theirs, (bases, start, up, k))


# ------------------------------------------------------------------------- refusals


def test_what_it_cannot_read_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"attributes: cannot tell .* Cosine\(start=1.0"):
        pt.attributes(an.Cosine(1.0, 0.0, 10), 0)  # holds its end: not CosineAnnealingLR
    with pytest.raises(ValueError, match=r"cannot tell .* Restarts\(cycle=Cosine"):
        pt.attributes(an.Restarts(an.Cosine(1.0, 0.0, 10), mult=1.5), 0)  # T_mult is whole
    with pytest.raises(ValueError, match="a constant is what ConstantLR"):
        pt.attributes(pt.ConstantLR(0.1, 0.5, total_iters=0), 3)
    with pytest.raises(ValueError, match="a SequentialLR"):
        pt.attributes(pt.SequentialLR([pt.StepLR(0.1, 2), pt.ExponentialLR(0.1, 0.5)], [3]), 0)
    with pytest.raises(ValueError, match=r"start_factor of Linear.*pass lr"):
        pt.attributes(pt.LinearLR(0.1, 0.5, 1.0, 10), 0)  # a line does not hold lr
    with pytest.raises(TypeError, match=r"schedule must be a Schedule built by .*got str"):
        pt.attributes("CosineAnnealingLR", 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must have an 'lr' schedule, got the keys \\['m'\\]"):
        pt.attributes({"m": pt.StepLR(0.1, 2)}, 0)
    for bad in (-1, 1.5, True, "3", None):
        with pytest.raises((TypeError, ValueError), match="step must be an integer >= 0"):
            pt.attributes(pt.StepLR(0.1, 2), bad)  # type: ignore[arg-type]
    for bad_lr in (-1.0, float("nan"), "0.1", 10**400):
        with pytest.raises((TypeError, ValueError), match="lr must be a finite number >= 0"):
            pt.attributes(pt.StepLR(0.1, 2), 0, lr=bad_lr)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lrs must hold one rate per schedule \\(2\\), got 1"):
        merged([pt.StepLR(0.1, 2)] * 2, 0, [0.1])
    with pytest.raises(ValueError, match="schedules must hold one schedule per group"):
        merged([], 0)


def test_warm_restarts_at_a_huge_step_is_exact() -> None:
    # T_0=1, T_mult=3: PyTorch's step(121) misplaces this restart (math.log); step() does not
    ours = pt.attributes(pt.CosineAnnealingWarmRestarts(1.0, T_0=1, T_mult=3), 121)
    assert (ours["T_cur"], ours["T_i"]) == (0, 243)
    big = pt.attributes(pt.CosineAnnealingWarmRestarts(1.0, T_0=7, T_mult=1), 10**30 + 3)
    assert (big["T_cur"], big["T_i"]) == ((10**30 + 3) % 7, 7)


# ------------------------------------------------- through annealing.torch.Scheduler


def test_the_adapter_reads_them_like_pytorchs_scheduler() -> None:
    torch = require("torch")
    S = require("torch.optim.lr_scheduler")
    from annealing.torch import Scheduler  # its __getattr__ reads them

    for k in (0, 1, 9, 10, 31, 70):
        lr = 0.1
        theirs = stepped(lambda o: S.CosineAnnealingWarmRestarts(o, 10, 2, 1e-3), [lr], k)
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
        ours = Scheduler(opt, pt.CosineAnnealingWarmRestarts(lr, 10, 2, 1e-3))
        for _ in range(k):
            opt.step()
            ours.step()
        for name in ("T_0", "T_i", "T_mult", "T_cur", "eta_min", "last_epoch", "base_lrs"):
            assert getattr(ours, name) == theirs[name], (name, k)
        assert not hasattr(ours, "T_max") and not hasattr(ours, "_private")
    opt = torch.optim.SGD([{"params": [torch.zeros(1, requires_grad=True)]}] * 1, lr=0.1)
    linear = Scheduler(opt, pt.LinearLR(0.1, 0.25, 1.0, 10))  # factors need base_lrs
    assert linear.start_factor == pytest.approx(0.25, rel=4e-16) and linear.total_iters == 10
    plain = Scheduler(opt, an.Cosine(0.1, 0.0, 10))  # not a PyTorch scheduler's schedule
    with pytest.raises(AttributeError, match=r"no attribute 'T_max' .*cannot tell"):
        _ = plain.T_max
    import copy

    assert copy.deepcopy(linear).total_iters == 10  # copying reads no attribute too early
