"""annealing.compat.transformers refuses what Transformers refuses (tests/compat/_hostile.py).

Each Transformers schedule is stepped as in training (a ``LambdaLR`` on an SGD optimizer whose
rate is ``lr``).
"""

from __future__ import annotations

from typing import Any

import pytest
from support import require

from annealing.compat import transformers as hf

from . import _hostile as h
from .test_compat_torch import run

pytestmark = pytest.mark.peer


def peer(name: str) -> Any:
    def values(kw: dict[str, Any]) -> Any:
        transformers = require("transformers")
        kw = dict(kw)
        lr = kw.pop("lr")
        return run(lambda opt: getattr(transformers, name)(opt, **kw), lr, len(h.STEPS))

    return values


def ours(name: str) -> Any:
    return lambda kw: getattr(hf, name)(**kw)


def spec(name: str, base: dict[str, Any], **params: tuple[Any, ...]) -> h.Spec:
    return h.Spec(name, peer(name), ours(name), base, params)


F, I = h.FLOATS, h.INTS
W, N = dict(lr=0.1, num_warmup_steps=5), dict(lr=0.1, num_warmup_steps=5, num_training_steps=30)
SPECS = [
    spec("get_constant_schedule", dict(lr=0.1), lr=F),
    spec("get_constant_schedule_with_warmup", W, lr=F, num_warmup_steps=I),
    spec("get_linear_schedule_with_warmup", N, lr=F, num_warmup_steps=I, num_training_steps=I),
    spec(
        "get_cosine_schedule_with_warmup",
        dict(N, num_cycles=0.5),
        num_warmup_steps=I,
        num_training_steps=I,
        num_cycles=F,
    ),
    spec(
        "get_cosine_with_hard_restarts_schedule_with_warmup",
        dict(N, num_cycles=2),
        num_warmup_steps=I,
        num_training_steps=I,
        num_cycles=F,
    ),
    spec(
        "get_polynomial_decay_schedule_with_warmup",
        dict(N, lr_end=1e-3, power=2.0),
        lr=F,
        num_warmup_steps=I,
        num_training_steps=I,
        lr_end=F,
        power=F,
    ),
    spec(
        "get_inverse_sqrt_schedule", dict(W, timescale=None), lr=F, num_warmup_steps=I, timescale=I
    ),
    spec(
        "get_cosine_with_min_lr_schedule_with_warmup",
        dict(N, min_lr_rate=0.1),
        num_warmup_steps=I,
        num_training_steps=I,
        num_cycles=F,
        min_lr_rate=F,
    ),
    spec("get_cosine_with_min_lr_schedule_with_warmup", dict(N, min_lr=0.01), min_lr=F),
    spec(
        "get_wsd_schedule",
        dict(W, num_decay_steps=10, num_training_steps=40),
        num_warmup_steps=I,
        num_decay_steps=I,
        num_training_steps=I,
        min_lr_ratio=F,
        num_cycles=F,
        warmup_type=h.strings("linear", "cosine", "1-sqrt"),
        decay_type=h.strings("cosine", "linear", "1-sqrt"),
    ),
    spec("get_wsd_schedule", dict(W, num_decay_steps=10, num_stable_steps=20), num_stable_steps=I),
]

#: the documented differences (docs/reference/frameworks.md, "Transformers")
FINITE = "a finite number of steps (Transformers takes inf: the comparison is then always true)"
CYCLES = "num_cycles finite, and the cycles no shorter than 1e-300 steps"
SUBNORMAL = "a subnormal or infinite power is refused"
STABLE = "the stable phase must be >= 0 (Transformers starts the decay inside the warmup)"
COUNTS = {(p, "*"): FINITE for p in ("num_warmup_steps", "num_training_steps")}
DIFFERENCES: dict[str, dict[tuple[str, str], str]] = {
    "get_constant_schedule_with_warmup": COUNTS,
    "get_linear_schedule_with_warmup": COUNTS,
    "get_cosine_schedule_with_warmup": {**COUNTS, ("num_cycles", "*"): CYCLES},
    "get_cosine_with_hard_restarts_schedule_with_warmup": {
        **COUNTS,
        ("num_cycles", "*"): CYCLES,
        ("num_cycles", "1e+308"): "cycles shorter than a step: Transformers' float modulo "
        "loses every digit",
    },
    "get_polynomial_decay_schedule_with_warmup": {**COUNTS, ("power", "*"): SUBNORMAL},
    "get_inverse_sqrt_schedule": COUNTS,
    "get_cosine_with_min_lr_schedule_with_warmup": {
        **COUNTS,
        ("num_cycles", "*"): CYCLES,
        ("min_lr_rate", "*"): "min_lr_rate finite",
        ("min_lr", "*"): "min_lr finite, and min_lr / lr_init too",
    },
    "get_wsd_schedule": {
        ("num_warmup_steps", "*"): FINITE + "; " + STABLE,
        ("num_decay_steps", "*"): FINITE + "; " + STABLE,
        ("num_training_steps", "*"): FINITE + "; " + STABLE,
        ("num_stable_steps", "*"): FINITE,
        ("num_cycles", "*"): CYCLES,
    },
}
for s in SPECS:
    s.differences = DIFFERENCES.get(s.name, {})


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_refusals_match_transformers(spec: h.Spec) -> None:
    failures = h.run(spec)
    assert not failures, h.report(failures)
