"""The drop-ins of issue 12 refuse what their framework refuses (see tests/compat/_hostile.py):
SWALR, the momentum of one_cycle / cyclic, timm's WSDLRScheduler."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from support import require

from annealing.compat import timm as tm
from annealing.compat import torch as pt

from . import _hostile as h
from .test_compat_torch_dropins import run

pytestmark = pytest.mark.peer

N = len(h.STEPS)


def swalr(kw: dict[str, Any]) -> Any:
    swa = require("torch.optim.swa_utils")
    kw = dict(kw)
    lr = kw.pop("lr")
    return run(lambda opt: swa.SWALR(opt, **kw), lr, N)


def momentum(cls: str) -> Any:
    def values(kw: dict[str, Any]) -> Any:
        S = require("torch.optim.lr_scheduler")
        kw = dict(kw)
        n = N
        if cls == "OneCycleLR":
            n = min(N, kw["total_steps"])
            first = kw.pop("max_lr")
            out = run(lambda opt: S.OneCycleLR(opt, first, **kw), first, n, key="momentum")
            return np.concatenate([out, np.full(N - n, out[-1])])
        return run(lambda opt: S.CyclicLR(opt, **kw), kw["base_lr"], n, key="momentum")

    return values


def wsd(kw: dict[str, Any]) -> Any:
    from ._timm import scheduler_module

    torch = require("torch")
    kw = dict(kw)
    lr = kw.pop("lr")
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    scheduler = scheduler_module("wsd_lr").WSDLRScheduler(opt, **kw)
    return np.array([scheduler._get_lr(int(t))[0] for t in h.STEPS], dtype=np.float64)


MOMENTA = h.FLOATS
SPECS = [
    h.Spec(
        "SWALR",
        swalr,
        lambda kw: pt.SWALR(**kw),
        dict(lr=0.1, swa_lr=0.05, anneal_epochs=10, anneal_strategy="cos"),
        dict(
            lr=h.FLOATS,
            swa_lr=h.FLOATS,
            anneal_epochs=h.INTS,
            anneal_strategy=h.strings("cos", "linear"),
        ),
    ),
    h.Spec(
        "one_cycle",
        momentum("OneCycleLR"),
        lambda kw: pt.one_cycle(**kw)["momentum"],
        dict(max_lr=0.1, total_steps=40, base_momentum=0.85, max_momentum=0.95),
        dict(base_momentum=MOMENTA, max_momentum=MOMENTA),
    ),
    h.Spec(
        "cyclic",
        momentum("CyclicLR"),
        lambda kw: pt.cyclic(**kw)["momentum"],
        dict(base_lr=0.01, max_lr=0.1, step_size_up=10, base_momentum=0.8, max_momentum=0.9),
        dict(base_momentum=MOMENTA, max_momentum=MOMENTA),
    ),
    h.Spec(
        "WSDLRScheduler",
        wsd,
        lambda kw: tm.WSDLRScheduler(**kw),
        dict(lr=0.1, t_initial=40, decay_t=10, warmup_t=5, decay_fn="1-sqrt"),
        dict(
            lr=h.FLOATS,
            t_initial=h.INTS,
            decay_t=h.INTS,
            lr_min=h.FLOATS,
            stable_power=h.FLOATS,
            decay_power=h.FLOATS,
            decay_ratio=h.FLOATS,
            warmup_t=h.INTS,
            warmup_lr_init=h.FLOATS,
            decay_fn=h.strings("linear", "1-sqrt", "cosine", "power", "exp"),
            stable_fn=h.strings("constant", "rsqrt", "power"),
        ),
    ),
]

MOMENTUM = "max_momentum >= base_momentum >= 0 (PyTorch takes either order)"
DIFFERENCES: dict[str, dict[tuple[str, str], str]] = {
    "SWALR": {},
    "one_cycle": {("base_momentum", "*"): MOMENTUM, ("max_momentum", "*"): MOMENTUM},
    "cyclic": {("base_momentum", "*"): MOMENTUM, ("max_momentum", "*"): MOMENTUM},
    "WSDLRScheduler": {
        ("t_initial", "*"): "finite, and warmup_t + t_initial <= 1e300",
        ("warmup_t", "*"): "finite, and warmup_t + t_initial <= 1e300",
        ("stable_power", "*"): "finite, not subnormal",
        ("decay_power", "*"): "finite, not subnormal",
        ("decay_ratio", "*"): "not subnormal",
        ("decay_fn", "None"): "a name (timm takes any non-string as 'exp')",
        ("decay_fn", "1"): "a name (timm takes any non-string as 'exp')",
    },
}
for spec in SPECS:
    spec.differences = DIFFERENCES.get(spec.name, {})


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_refusals_match_the_framework(spec: h.Spec) -> None:
    failures = h.run(spec)
    assert not failures, h.report(failures)
