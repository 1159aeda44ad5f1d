"""The drop-ins of issue 12 against the real PyTorch: LambdaLR, MultiplicativeLR, chains of
schedulers on one optimizer (ChainedScheduler, and schedulers stepped one after the other),
SWALR, the momentum OneCycleLR and CyclicLR cycle (SGD's momentum, Adam's β1), and
ReduceLROnPlateau's decisions on random metric sequences. Each within 1e-12 of the peak.
"""

# Each loop builds PyTorch schedulers from lambdas that run within the same iteration.
# ruff: noqa: B023

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from support import require

from annealing.compat import torch as pt
from annealing.plateau import Plateau

from ._check import CONFIGS, check, rng_for

pytestmark = pytest.mark.peer

N = CONFIGS // 2  # configurations per test: 100


def _optimizer(lr: float, kind: str = "sgd") -> Any:
    torch = require("torch")
    params = [torch.zeros(1, requires_grad=True)]
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999))
    return torch.optim.SGD(params, lr=lr, momentum=0.9)


def run(
    make: Callable[[Any], Any], lr: float, steps: int, kind: str = "sgd", key: str = "lr"
) -> np.ndarray:
    """The group's `key` ("lr", "momentum" or "beta1") at optimizer steps 0 .. steps − 1."""
    optimizer = _optimizer(lr, kind)

    def read() -> float:
        group = optimizer.param_groups[0]
        return float(group["betas"][0] if key == "beta1" else group[key])

    out = np.empty(steps)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scheduler = make(optimizer)
        stepped = scheduler if isinstance(scheduler, list) else [scheduler]
        out[0] = read()
        for t in range(1, steps):
            for s in stepped:
                s.step()
            out[t] = read()
    return out


def lr_of(rng: np.random.Generator) -> float:
    return float(10 ** rng.uniform(-4, 0))


def _lambda(rng: np.random.Generator) -> tuple[str, Callable[[int], float]]:
    """A random factor function of the kinds users write (named for the failure message)."""
    kind = int(rng.integers(0, 4))
    a, b = float(rng.uniform(0.8, 1.0)), int(rng.integers(1, 40))
    if kind == 0:
        return f"{a}**e", lambda e: a**e
    if kind == 1:
        return f"1/(1+e/{b})", lambda e: 1.0 / (1.0 + e / b)
    if kind == 2:
        return f"min(1,(e+1)/{b})", lambda e: min(1.0, (e + 1) / b)
    return f"0.5**(e//{b})", lambda e: 0.5 ** (e // b)


def test_lambda_lr() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("LambdaLR")
    for _ in range(N):
        lr, (name, f), T = lr_of(rng), _lambda(rng), int(rng.integers(1, 300))
        theirs = run(lambda o: S.LambdaLR(o, f), lr, T)
        check("torch.LambdaLR", pt.LambdaLR(lr, f)(np.arange(T)), theirs, config=(lr, name))
        assert pt.LambdaLR(lr, f)(T - 1) == theirs[-1]  # the same float: lr · f(t)


def test_multiplicative_lr() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("MultiplicativeLR")
    for _ in range(N):
        lr, (name, f), T = lr_of(rng), _lambda(rng), int(rng.integers(1, 300))
        g = (lambda e: min(1.0, f(e) + 0.5)) if "min" not in name else f  # factors near 1
        theirs = run(lambda o: S.MultiplicativeLR(o, g), lr, T)
        ours = pt.MultiplicativeLR(lr, g)
        check("torch.MultiplicativeLR", ours(np.arange(T)), theirs, config=(lr, name))
        assert ours(T - 1) == theirs[-1]  # PyTorch's recursion, in its order: the same float


# ---------------------------------------------------------------------------------- chains


def _chainable(rng: np.random.Generator, lr: float, T: int) -> tuple[Any, Callable[[Any], Any]]:
    """A random chainable scheduler: (ours, a maker of PyTorch's)."""
    S = require("torch.optim.lr_scheduler")
    kind = int(rng.integers(0, 8))
    if kind == 0:
        size, gamma = int(rng.integers(1, 30)), float(rng.uniform(0.1, 1.0))
        return pt.StepLR(lr, size, gamma), lambda o: S.StepLR(o, size, gamma)
    if kind == 1:
        ms = sorted(int(m) for m in rng.integers(1, T + 1, size=int(rng.integers(1, 4))))
        gamma = float(rng.uniform(0.1, 1.0))
        return pt.MultiStepLR(lr, ms, gamma), lambda o: S.MultiStepLR(o, ms, gamma)
    if kind == 2:
        factor, iters = float(rng.uniform(0.05, 1.0)), int(rng.integers(1, 40))
        return pt.ConstantLR(lr, factor, iters), lambda o: S.ConstantLR(o, factor, iters)
    if kind == 3:
        f0, f1 = float(rng.uniform(0.05, 1.0)), float(rng.uniform(0.05, 1.0))
        iters = int(rng.integers(1, 40))
        return pt.LinearLR(lr, f0, f1, iters), lambda o: S.LinearLR(o, f0, f1, iters)
    if kind == 4:
        gamma = float(rng.uniform(0.95, 1.0))
        return pt.ExponentialLR(lr, gamma), lambda o: S.ExponentialLR(o, gamma)
    if kind == 5:
        iters, power = int(rng.integers(T, 2 * T + 2)), float(rng.uniform(0.5, 3.0))
        return pt.PolynomialLR(lr, iters, power), lambda o: S.PolynomialLR(o, iters, power)
    if kind == 6:  # with eta_min = 0, up to T_max (where the recursion is a ratio)
        T_max = int(rng.integers(T, 2 * T + 2))
        return pt.CosineAnnealingLR(lr, T_max), lambda o: S.CosineAnnealingLR(o, T_max)
    b = float(rng.uniform(0.9, 1.0))
    return pt.MultiplicativeLR(lr, lambda e: b), lambda o: S.MultiplicativeLR(o, lambda e: b)


@pytest.mark.parametrize("how", ["ChainedScheduler", "stacked"])
def test_chains_multiply_the_factors(how: str) -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for(f"chain-{how}")
    for _ in range(N):
        lr, T = lr_of(rng), int(rng.integers(2, 200))
        parts = [_chainable(rng, lr, T) for _ in range(int(rng.integers(1, 5)))]
        makers = [m for _, m in parts]
        if how == "ChainedScheduler":
            theirs = run(lambda o: S.ChainedScheduler([m(o) for m in makers]), lr, T)
            ours = pt.ChainedScheduler([s for s, _ in parts], lr=lr)
        else:
            theirs = run(lambda o: [m(o) for m in makers], lr, T)
            ours = pt.chain([s for s, _ in parts], lr=lr)
        check(f"torch.{how}", ours(np.arange(T)), theirs, config=(lr, [repr(s) for s, _ in parts]))


def test_chain_refuses_lambda_lr_and_is_data() -> None:
    s = pt.chain([pt.StepLR(0.1, 3), pt.ExponentialLR(0.1, 0.9)], lr=0.1)
    from annealing import from_dict

    assert from_dict(json.loads(json.dumps(s.to_dict()))) == s
    with pytest.raises(ValueError, match=r"chain: schedulers\[1\] is a LambdaLR"):
        pt.chain([pt.StepLR(0.1, 3), pt.LambdaLR(0.1, lambda e: 1.0)], lr=0.1)
    with pytest.raises(ValueError, match="ChainedScheduler: lr must be"):
        pt.ChainedScheduler([pt.StepLR(0.1, 3)], lr=-1.0)
    assert pt.chain([pt.StepLR(0.0, 3)], lr=0.0)(5) == 0.0


def test_lambda_schedules_refuse_to_become_data() -> None:
    for s in (pt.LambdaLR(0.1, lambda e: 1.0), pt.MultiplicativeLR(0.1, lambda e: 1.0)):
        with pytest.raises(TypeError, match=r"cannot be written as data .* never pickles"):
            s.to_dict()
        with pytest.raises(TypeError, match="cannot be written as data"):
            s.fingerprint()
        assert s.steps is None and repr(s).startswith(("LambdaLR(", "MultiplicativeLR("))
    with pytest.raises(ValueError, match=r"LambdaLR: lr_lambda\(3\) must return a finite"):
        pt.LambdaLR(0.1, lambda e: -1.0 if e == 3 else 1.0)(3)
    with pytest.raises(TypeError, match=r"MultiplicativeLR: lr_lambda\(1\) must return a number"):
        pt.MultiplicativeLR(0.1, lambda e: "x")(2)
    with pytest.raises(TypeError, match="LambdaLR: lr_lambda must be a function"):
        pt.LambdaLR(0.1, 0.5)


# ------------------------------------------------------------------------------------ SWALR


@pytest.mark.parametrize("strategy", ["cos", "linear"])
def test_swalr(strategy: str) -> None:
    swa = require("torch.optim.swa_utils")
    rng = rng_for(f"SWALR-{strategy}")
    for _ in range(N):
        lr, E = lr_of(rng), int(rng.integers(0, 60))
        target = lr * float(rng.uniform(0.01, 2.0))
        theirs = run(lambda o: swa.SWALR(o, target, E, strategy), lr, 2 * E + 3)
        ours = pt.SWALR(lr, target, E, strategy)
        check(
            f"torch.SWALR({strategy})", ours(np.arange(2 * E + 3)), theirs, config=(lr, target, E)
        )


# --------------------------------------------------------------------------------- momentum


@pytest.mark.parametrize("kind", ["sgd", "adam"])
@pytest.mark.parametrize("three_phase", [False, True])
@pytest.mark.parametrize("strategy", ["cos", "linear"])
def test_one_cycle_momentum(kind: str, three_phase: bool, strategy: str) -> None:
    S = require("torch.optim.lr_scheduler")
    name = f"OneCycleLR momentum({kind}, {strategy}, three_phase={three_phase})"
    rng = rng_for(name)
    key = "momentum" if kind == "sgd" else "beta1"
    for _ in range(N // 2):
        peak, T = lr_of(rng), int(rng.integers(10, 400))
        pct = float(rng.uniform(0.1, 0.45 if three_phase else 0.9))
        base = float(rng.uniform(0.5, 0.9))
        top = float(rng.uniform(base, 0.99))

        def make(o: Any) -> Any:
            return S.OneCycleLR(
                o, peak, total_steps=T, pct_start=pct, anneal_strategy=strategy,
                base_momentum=base, max_momentum=top, three_phase=three_phase,
            )  # fmt: skip

        ours = pt.one_cycle(
            peak, T, pct_start=pct, anneal_strategy=strategy, base_momentum=base,
            max_momentum=top, three_phase=three_phase,
        )  # fmt: skip
        config = (peak, T, pct, base, top)
        steps = np.arange(T)
        check(
            f"torch.{name}", ours["momentum"](steps), run(make, peak, T, kind, key), config=config
        )
        check(f"torch.{name} lr", ours["lr"](steps), run(make, peak, T, kind), config=config)
        assert ours["lr"] == pt.OneCycleLR(
            peak, T, pct_start=pct, anneal_strategy=strategy, three_phase=three_phase
        )


@pytest.mark.parametrize("kind", ["sgd", "adam"])
@pytest.mark.parametrize("mode", ["triangular", "triangular2", "exp_range"])
def test_cyclic_momentum(kind: str, mode: str) -> None:
    S = require("torch.optim.lr_scheduler")
    name = f"CyclicLR momentum({kind}, {mode})"
    rng = rng_for(name)
    key = "momentum" if kind == "sgd" else "beta1"
    for _ in range(N // 2):
        base_lr = lr_of(rng)
        max_lr = base_lr * float(rng.uniform(1.0, 20.0))
        up = int(rng.integers(1, 60))
        down = None if rng.random() < 0.3 else int(rng.integers(1, 60))
        gamma = float(rng.uniform(0.98, 1.0)) if mode == "exp_range" else 1.0
        low = float(rng.uniform(0.5, 0.9))
        high = float(rng.uniform(low, 0.99))
        T = 2 * 3 * (up + (up if down is None else down)) + 1

        def make(o: Any) -> Any:
            return S.CyclicLR(
                o, base_lr, max_lr, up, down, mode, gamma, base_momentum=low, max_momentum=high
            )

        ours = pt.cyclic(
            base_lr, max_lr, up, down, mode, gamma, base_momentum=low, max_momentum=high
        )
        theirs = run(make, base_lr, T, kind, key)
        check(f"torch.{name}", ours["momentum"](np.arange(T)), theirs, config=(up, down, low, high))
        assert ours["momentum"](T - 1) == pytest.approx(theirs[-1], rel=1e-12)


def test_momentum_off_and_refusals() -> None:
    assert set(pt.one_cycle(0.1, 100, cycle_momentum=False)) == {"lr"}
    assert set(pt.cyclic(0.01, 0.1, 10, cycle_momentum=False)) == {"lr"}
    with pytest.raises(ValueError, match="one_cycle: max_momentum must be a finite number >= base"):
        pt.one_cycle(0.1, 100, base_momentum=0.9, max_momentum=0.8)
    with pytest.raises(ValueError, match="cyclic: base_momentum must be"):
        pt.cyclic(0.01, 0.1, 10, base_momentum=-0.1)
    with pytest.raises(ValueError, match="one_cycle: base_momentum must be"):
        pt.one_cycle(0.1, 100, cycle_momentum=False, base_momentum=float("nan"))
    m = pt.cyclic(0.01, 0.1, 10, mode="triangular2")["momentum"]
    from annealing import from_dict

    assert from_dict(json.loads(json.dumps(m.to_dict()))) == m


# ----------------------------------------------------------------------- ReduceLROnPlateau


def _metrics(rng: np.random.Generator, n: int) -> list[float]:
    """A random training curve: falling, with noise, plateaus, repeats and the odd NaN."""
    kind = int(rng.integers(0, 4))
    x = np.cumsum(rng.normal(-0.01, 0.02, n)) + 1.0
    if kind == 1:
        x = np.round(x, 1)  # plateaus of exactly equal values
    if kind == 2:
        x = -x  # a metric to maximise
    if kind == 3:
        x[rng.integers(0, n, 2)] = np.nan
    return [float(m) for m in x]


def _plateau_config(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "mode": str(rng.choice(["min", "max"])),
        "factor": float(rng.choice([0.1, 0.5, rng.uniform(0.0, 0.99)])),
        "patience": int(rng.integers(0, 6)),
        "threshold": float(rng.choice([0.0, 1e-4, rng.uniform(0, 0.05)])),
        "threshold_mode": str(rng.choice(["rel", "abs"])),
        "cooldown": int(rng.integers(0, 4)),
        "min_lr": float(rng.choice([0.0, rng.uniform(0, 1e-3)])),
        "eps": float(rng.choice([1e-8, 0.0, 1e-4])),
    }


def test_reduce_lr_on_plateau_decisions() -> None:
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("ReduceLROnPlateau")
    for _ in range(CONFIGS):
        lr, n, config = lr_of(rng), int(rng.integers(1, 120)), _plateau_config(rng)
        metrics = _metrics(rng, n)
        optimizer = _optimizer(lr)
        theirs = S.ReduceLROnPlateau(optimizer, **config)
        ours = pt.ReduceLROnPlateau(lr, **config)
        seen_t, seen_o = [lr], [ours.lr]
        for m in metrics:
            theirs.step(m)
            seen_t.append(float(optimizer.param_groups[0]["lr"]))
            seen_o.append(ours.step(m))
        assert seen_o == seen_t, (config, metrics)  # the same floats, the same steps
        replay = ours.schedule()(np.arange(n + 1))
        assert list(replay) == seen_t
        cuts = [k for k in range(1, n + 1) if seen_t[k] != seen_t[k - 1]]
        assert list(ours.cuts) == cuts
        # resume half-way from the data form: the rest of the run is the same
        half = Plateau(lr, **config)
        for m in metrics[: n // 2]:
            half.step(m)
        resumed = Plateau.from_dict(json.loads(json.dumps(half.to_dict())))
        rest = [resumed.step(m) for m in metrics[n // 2 :]]
        assert rest == seen_t[n // 2 + 1 :]
        assert resumed.schedule() == ours.schedule()


def test_reduce_lr_on_plateau_several_groups_are_one_plateau_each() -> None:
    torch = require("torch")
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("ReduceLROnPlateau-groups")
    for _ in range(20):
        lrs = [lr_of(rng), lr_of(rng)]
        config = _plateau_config(rng)
        mins = [float(rng.uniform(0, 1e-3)), 0.0]
        params = [{"params": [torch.zeros(1, requires_grad=True)], "lr": x} for x in lrs]
        optimizer = torch.optim.SGD(params, lr=lrs[0])
        theirs = S.ReduceLROnPlateau(optimizer, **{**config, "min_lr": mins})
        ours = [
            pt.ReduceLROnPlateau(x, **{**config, "min_lr": m})
            for x, m in zip(lrs, mins, strict=True)
        ]
        for m in _metrics(rng, 80):
            theirs.step(m)
            got = [p.step(m) for p in ours]
            assert got == [float(g["lr"]) for g in optimizer.param_groups]


def test_timm_plateau_lr_scheduler() -> None:
    from annealing.compat import timm as tm

    from ._timm import scheduler_module

    Plateau_ = scheduler_module("plateau_lr").PlateauLRScheduler

    rng = rng_for("timm.PlateauLRScheduler")
    for _ in range(CONFIGS // 2):
        lr, n = lr_of(rng), int(rng.integers(1, 100))
        kwargs = {
            "decay_rate": float(rng.uniform(0.05, 0.9)),
            "patience_t": int(rng.integers(0, 6)),
            "threshold": float(rng.choice([1e-4, rng.uniform(0, 0.05)])),
            "cooldown_t": int(rng.integers(0, 4)),
            "warmup_t": int(rng.integers(0, 8)),
            "warmup_lr_init": float(rng.choice([0.0, lr / 10])),
            "lr_min": float(rng.choice([0.0, lr / 100])),
            "mode": str(rng.choice(["min", "max"])),
        }
        metrics = _metrics(rng, n)
        optimizer = _optimizer(lr)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = Plateau_(optimizer, **kwargs)
        ours = tm.PlateauLRScheduler(lr, **kwargs)
        assert ours.lr == float(optimizer.param_groups[0]["lr"]), kwargs
        for epoch, m in enumerate(metrics, start=1):
            theirs.step(epoch, m)
            got = ours.step(m)
            want = float(optimizer.param_groups[0]["lr"])
            assert got == pytest.approx(want, rel=1e-12, abs=0), (kwargs, epoch)
            assert math.isfinite(got)


@pytest.mark.parametrize("kind", ["sgd", "adam"])
@pytest.mark.parametrize("which", ["OneCycleLR", "CyclicLR"])
def test_momentum_through_the_adapter(kind: str, which: str) -> None:
    """annealing.torch.Scheduler driven by one_cycle / cyclic sets the lr and the momentum (or
    β1) PyTorch's own scheduler sets, optimizer step by optimizer step."""
    torch = require("torch")
    S = require("torch.optim.lr_scheduler")
    from annealing.torch import Scheduler

    rng = rng_for(f"adapter-{which}-{kind}")
    for _ in range(10):
        lr, T = lr_of(rng), int(rng.integers(10, 120))
        pct, up = float(rng.uniform(0.1, 0.9)), int(rng.integers(1, 20))
        if which == "OneCycleLR":
            ours = pt.one_cycle(lr, T, pct_start=pct)
        else:
            ours = pt.cyclic(lr / 10, lr, up)

        def make(o: Any) -> Any:
            if which == "OneCycleLR":
                return S.OneCycleLR(o, lr, T, pct_start=pct)
            return S.CyclicLR(o, lr / 10, lr, up)

        rows = []
        for driver in ("theirs", "ours"):
            optimizer = _optimizer(lr, kind)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                scheduler = make(optimizer) if driver == "theirs" else Scheduler(optimizer, ours)
                seen = []
                for _ in range(T - 1):
                    group = optimizer.param_groups[0]
                    beta = group["betas"][0] if kind == "adam" else group["momentum"]
                    seen.append((float(group["lr"]), float(beta)))
                    optimizer.zero_grad()
                    optimizer.param_groups[0]["params"][0].grad = torch.zeros(1)
                    optimizer.step()
                    scheduler.step()
            rows.append(np.array(seen))
        check(f"adapter {which} lr ({kind})", rows[1][:, 0], rows[0][:, 0], config=(lr, T))
        check(f"adapter {which} momentum ({kind})", rows[1][:, 1], rows[0][:, 1], config=(lr, T))


def test_plateau_stacked_with_chainable_schedulers() -> None:
    """ReduceLROnPlateau and chainable schedulers on one optimizer (each epoch: the plateau
    step, then the schedulers'): the run is chain([plateau.schedule(), ...], lr), when every
    cut is taken (min_lr = 0, eps = 0: PyTorch checks them on the composed rate)."""
    S = require("torch.optim.lr_scheduler")
    rng = rng_for("ReduceLROnPlateau-stacked")
    for _ in range(N):
        lr, n = lr_of(rng), int(rng.integers(2, 100))
        config = {**_plateau_config(rng), "min_lr": 0.0, "eps": 0.0}
        metrics = _metrics(rng, n)
        parts = [_chainable(rng, lr, n + 1) for _ in range(int(rng.integers(1, 3)))]
        optimizer = _optimizer(lr)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            plateau = S.ReduceLROnPlateau(optimizer, **config)
            others = [make(optimizer) for _, make in parts]
            seen = [float(optimizer.param_groups[0]["lr"])]
            for m in metrics:
                plateau.step(m)
                for s in others:
                    s.step()
                seen.append(float(optimizer.param_groups[0]["lr"]))
        ours = pt.ReduceLROnPlateau(lr, **config)
        for m in metrics:
            ours.step(m)
        replay = pt.chain([ours.schedule(), *(s for s, _ in parts)], lr=lr)
        check("torch.ReduceLROnPlateau stacked", replay(np.arange(n + 1)), np.array(seen),
              config=(config, [repr(s) for s, _ in parts]))  # fmt: skip


def test_pinned_chain_with_cosine_eta_min_differs_by_about_eta_min() -> None:
    """The documented difference: PyTorch's CosineAnnealingLR adds eta_min inside its
    recursion, so a chain holding one is the product only to within about eta_min."""
    S = require("torch.optim.lr_scheduler")
    lr, eta_min, T = 0.05, 1e-4, 10
    theirs = run(lambda o: [S.CosineAnnealingLR(o, T, eta_min), S.StepLR(o, 3, 0.1)], lr, T)
    ours = pt.chain([pt.CosineAnnealingLR(lr, T, eta_min), pt.StepLR(lr, 3, 0.1)], lr=lr)
    gap = np.abs(ours(np.arange(T)) - theirs).max()
    assert 1e-3 * eta_min < gap <= eta_min  # not the same: up to about eta_min apart
    exact = pt.chain([pt.CosineAnnealingLR(lr, T), pt.StepLR(lr, 3, 0.1)], lr=lr)
    with_zero = run(lambda o: [S.CosineAnnealingLR(o, T), S.StepLR(o, 3, 0.1)], lr, T)
    check("torch.chain cosine eta_min=0", exact(np.arange(T)), with_zero, config=(lr, T))
