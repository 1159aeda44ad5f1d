"""annealing.compat.timm refuses what timm refuses (see tests/compat/_hostile.py).

timm's value at t is ``_get_lr(t)``, the closed form ``step(t)`` sets (noise off).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from support import require

from annealing.compat import timm as tm

from . import _hostile as h
from ._timm import scheduler_module

pytestmark = pytest.mark.peer

MODULES = {
    "CosineLRScheduler": "cosine_lr",
    "PolyLRScheduler": "poly_lr",
    "TanhLRScheduler": "tanh_lr",
    "StepLRScheduler": "step_lr",
    "MultiStepLRScheduler": "multistep_lr",
}


def peer(name: str) -> Any:
    def values(kw: dict[str, Any]) -> Any:
        torch = require("torch")
        kw = dict(kw)
        lr = kw.pop("lr")
        optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
        scheduler = getattr(scheduler_module(MODULES[name]), name)(optimizer, **kw)
        return np.array([scheduler._get_lr(int(t))[0] for t in h.STEPS], dtype=np.float64)

    return values


def ours(name: str) -> Any:
    return lambda kw: getattr(tm, name)(**kw)


def spec(name: str, base: dict[str, Any], **params: tuple[Any, ...]) -> h.Spec:
    return h.Spec(name, peer(name), ours(name), base, params)


F, I = h.FLOATS, h.INTS
CYCLE = dict(
    lr=0.1,
    t_initial=10,
    lr_min=0.001,
    cycle_mul=2.0,
    cycle_decay=0.5,
    cycle_limit=3,
    warmup_t=3,
    warmup_lr_init=0.01,
    warmup_prefix=False,
)
CYCLE_PARAMS = dict(
    lr=F,
    t_initial=I,
    lr_min=F,
    cycle_mul=F,
    cycle_decay=F,
    cycle_limit=I,
    warmup_t=I,
    warmup_lr_init=F,
    warmup_prefix=h.BOOLS,
)
SPECS = [
    spec("CosineLRScheduler", dict(CYCLE, k_decay=1.5), **CYCLE_PARAMS, k_decay=F),
    spec(
        "PolyLRScheduler", dict(CYCLE, power=0.5, k_decay=1.0), **CYCLE_PARAMS, power=F, k_decay=F
    ),
    spec("TanhLRScheduler", dict(CYCLE, lb=-7.0, ub=3.0), **CYCLE_PARAMS, lb=F, ub=F),
    spec(
        "StepLRScheduler",
        dict(
            lr=0.1, decay_t=10, decay_rate=0.5, warmup_t=3, warmup_lr_init=0.01, warmup_prefix=True
        ),
        lr=F,
        decay_t=I,
        decay_rate=F,
        warmup_t=I,
        warmup_lr_init=F,
        warmup_prefix=h.BOOLS,
    ),
    spec(
        "MultiStepLRScheduler",
        dict(
            lr=0.1,
            decay_t=[10, 30],
            decay_rate=0.5,
            warmup_t=3,
            warmup_lr_init=0.01,
            warmup_prefix=True,
        ),
        decay_t=(
            [],
            [10],
            [30, 10],
            [10, 10],
            [-1],
            [0],
            [2.5],
            [h.NAN],
            [h.INF],
            [10**400],
            [True],
            None,
            5,
            "ab",
            [None],
        ),
        decay_rate=F,
        warmup_t=I,
        warmup_lr_init=F,
    ),
]

#: the documented differences (docs/reference/frameworks.md, "timm")
DECAY = "cycle_decay > 0 (timm's cycles after a 0 decay rise from 0 to lr_min), not subnormal"
SUBNORMAL = "a subnormal k_decay or power is refused; so are a power of 0 or infinity"
RANGE = "the cycles must end below 1e300 steps"
GROWS = "decay_rate <= 1 (above 1 the rate grows without bound)"
CYCLES = {("cycle_decay", "*"): DECAY, ("k_decay", "1e-310"): SUBNORMAL}
DIFFERENCES: dict[str, dict[tuple[str, str], str]] = {
    "CosineLRScheduler": CYCLES,
    "PolyLRScheduler": {**CYCLES, ("power", "*"): SUBNORMAL, ("t_initial", "1e+308"): RANGE},
    "TanhLRScheduler": {
        **CYCLES,
        ("t_initial", "1e+308"): RANGE,
        ("lb", "1e-310"): "a subnormal bound is refused",
        ("ub", "1e-310"): "a subnormal bound is refused",
    },
    "StepLRScheduler": {("decay_rate", "*"): GROWS},
    "MultiStepLRScheduler": {
        ("decay_rate", "*"): GROWS,
        ("decay_t", "[30, 10]"): "milestones in increasing order (timm bisects the list as given)",
    },
}
for s in SPECS:
    s.differences = DIFFERENCES.get(s.name, {})


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_refusals_match_timm(spec: h.Spec) -> None:
    failures = h.run(spec)
    assert not failures, h.report(failures)
