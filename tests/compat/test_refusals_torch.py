"""annealing.compat.torch refuses what PyTorch refuses (see tests/compat/_hostile.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from support import require

from annealing.compat import torch as pt

from . import _hostile as h
from .test_compat_torch import run

pytestmark = pytest.mark.peer

N = len(h.STEPS)


def peer(cls: str, lr_key: str | None = "lr") -> Any:
    def values(kw: dict[str, Any]) -> Any:
        S = require("torch.optim.lr_scheduler")
        kw = dict(kw)
        lr = kw.pop(lr_key) if lr_key == "lr" else 0.1
        return run(lambda opt: getattr(S, cls)(opt, **kw), lr, N)

    return values


def one_cycle(kw: dict[str, Any]) -> Any:
    """PyTorch runs total_steps steps, then raises: the last value is held (as compat does)."""
    S = require("torch.optim.lr_scheduler")
    total = kw["total_steps"]
    n = min(N, total) if isinstance(total, int) and total > 0 else N
    out = run(lambda opt: S.OneCycleLR(opt, **kw), 0.1, n)
    return np.concatenate([out, np.full(N - n, out[-1])])


def ours(fn: Any) -> Any:
    return lambda kw: fn(**kw)


SPECS = [
    h.Spec(
        "StepLR",
        peer("StepLR"),
        ours(pt.StepLR),
        dict(lr=0.1, step_size=3, gamma=0.5),
        dict(lr=h.FLOATS, step_size=h.INTS, gamma=h.FLOATS),
    ),
    h.Spec(
        "MultiStepLR",
        peer("MultiStepLR"),
        ours(pt.MultiStepLR),
        dict(lr=0.1, milestones=[3, 7], gamma=0.5),
        dict(
            lr=h.FLOATS,
            gamma=h.FLOATS,
            milestones=(
                [],
                [3],
                [7, 3],
                [3, 3],
                [-1],
                [0],
                [2.5],
                [h.NAN],
                [h.INF],
                [10**400],
                [True],
                None,
                5,
                "37",
                [None],
                {3: 1},
            ),
        ),
    ),
    h.Spec(
        "ConstantLR",
        peer("ConstantLR"),
        ours(pt.ConstantLR),
        dict(lr=0.1, factor=0.5, total_iters=5),
        dict(lr=h.FLOATS, factor=h.FLOATS, total_iters=h.INTS),
    ),
    h.Spec(
        "LinearLR",
        peer("LinearLR"),
        ours(pt.LinearLR),
        dict(lr=0.1, start_factor=0.25, end_factor=1.0, total_iters=5),
        dict(lr=h.FLOATS, start_factor=h.FLOATS, end_factor=h.FLOATS, total_iters=h.INTS),
    ),
    h.Spec(
        "ExponentialLR",
        peer("ExponentialLR"),
        ours(pt.ExponentialLR),
        dict(lr=0.1, gamma=0.9),
        dict(lr=h.FLOATS, gamma=h.FLOATS),
    ),
    h.Spec(
        "PolynomialLR",
        peer("PolynomialLR"),
        ours(pt.PolynomialLR),
        dict(lr=0.1, total_iters=10, power=2.0),
        dict(lr=h.FLOATS, total_iters=h.INTS, power=h.FLOATS),
    ),
    h.Spec(
        "CosineAnnealingLR",
        peer("CosineAnnealingLR"),
        ours(pt.CosineAnnealingLR),
        dict(lr=0.1, T_max=10, eta_min=0.001),
        dict(lr=h.FLOATS, T_max=h.INTS, eta_min=h.FLOATS),
        tol=1e-11,
    ),
    h.Spec(
        "CosineAnnealingWarmRestarts",
        peer("CosineAnnealingWarmRestarts"),
        ours(pt.CosineAnnealingWarmRestarts),
        dict(lr=0.1, T_0=5, T_mult=2, eta_min=0.001),
        dict(lr=h.FLOATS, T_0=h.INTS, T_mult=h.INTS, eta_min=h.FLOATS),
    ),
    h.Spec(
        "CyclicLR",
        peer("CyclicLR", None),
        ours(pt.CyclicLR),
        dict(
            base_lr=0.01,
            max_lr=0.1,
            step_size_up=5,
            step_size_down=None,
            mode="triangular",
            gamma=1.0,
        ),
        dict(
            base_lr=h.FLOATS,
            max_lr=h.FLOATS,
            step_size_up=h.INTS,
            step_size_down=h.INTS,
            gamma=h.FLOATS,
            mode=h.strings("triangular", "triangular2", "exp_range"),
        ),
    ),
    h.Spec(
        "OneCycleLR",
        one_cycle,
        ours(pt.OneCycleLR),
        dict(
            max_lr=0.1,
            total_steps=N,
            pct_start=0.3,
            anneal_strategy="cos",
            div_factor=25.0,
            final_div_factor=1e4,
            three_phase=False,
        ),
        dict(
            max_lr=h.FLOATS,
            total_steps=h.INTS,
            pct_start=h.FLOATS,
            div_factor=h.FLOATS,
            final_div_factor=h.FLOATS,
            anneal_strategy=h.strings("cos", "linear"),
            three_phase=h.BOOLS,
        ),
    ),
]


SPECS.append(
    h.Spec(
        "CyclicLR",
        peer("CyclicLR", None),
        ours(pt.CyclicLR),
        dict(base_lr=0.01, max_lr=0.1, step_size_up=5, mode="exp_range", gamma=0.9),
        dict(gamma=h.FLOATS),
    )
)

WHOLE = "a step count must be a whole number (PyTorch's recursion compares it with the step)"
#: the documented differences (docs/reference/frameworks.md, "PyTorch")
DIFFERENCES: dict[str, dict[tuple[str, str], str]] = {
    "StepLR": {("step_size", "*"): WHOLE + " and >= 1", ("gamma", "*"): "gamma <= 1"},
    "MultiStepLR": {("milestones", "*"): "a list of whole numbers >= 0", ("gamma", "*"): "<= 1"},
    "ConstantLR": {("total_iters", "*"): WHOLE},
    "LinearLR": {
        ("start_factor", "0"): "a warmup from 0",
        ("start_factor", "0.0"): "a warmup from 0",
        ("start_factor", "1e-310"): "the closed form does not divide by start_factor",
        ("total_iters", "*"): WHOLE,
    },
    "ExponentialLR": {("gamma", "*"): "gamma in [0, 1], not subnormal"},
    "PolynomialLR": {("total_iters", "*"): WHOLE, ("power", "*"): "finite, not subnormal"},
    "CosineAnnealingLR": {
        ("lr", "0"): "the closed form: 0 (PyTorch's recursion gives 0/0)",
        ("lr", "0.0"): "the closed form: 0 (PyTorch's recursion gives 0/0)",
        ("lr", "1e-310"): "the closed form (PyTorch's recursion gives 0/0)",
        ("T_max", "*"): "T_max > 0 and finite",
    },
    "CosineAnnealingWarmRestarts": {("eta_min", "*"): "eta_min >= 0"},
    "CyclicLR": {
        ("base_lr", "*"): "max_lr >= base_lr",
        ("max_lr", "*"): "max_lr >= base_lr",
        ("step_size_up", "*"): "step sizes > 0",
        ("step_size_down", "*"): "step sizes > 0",
        ("step_size_down", "1e+308"): "PyTorch rounds 1 + t/total",
        ("step_size_down", "2147483648"): "PyTorch rounds 1 + t/total",
        ("gamma", "*"): "gamma in (0, 1] for exp_range",
    },
    "OneCycleLR": {
        ("pct_start", "0"): "any real number (PyTorch insists on a float)",
        ("div_factor", "-inf"): "div factors > 0",
        ("final_div_factor", "-inf"): "div factors > 0",
    },
}
for spec in SPECS:
    spec.differences = DIFFERENCES.get(spec.name, {})


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_refusals_match_pytorch(spec: h.Spec) -> None:
    failures = h.run(spec)
    assert not failures, h.report(failures)
