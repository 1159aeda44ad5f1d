"""annealing.compat.timm against the real timm schedulers (loaded without timm/__init__).

timm computes every value in closed form from the time it is given: ``step(t)`` and
``step_update(t)`` both set ``_get_lr(t)`` (plus noise, which is off here). The comparisons
call ``_get_lr`` for t = 0 .. 2·horizon, and one test checks it against ``step_update``.

One timm deviation is allowed for: with ``cycle_mul != 1`` timm finds the cycle with
``floor(log(…, cycle_mul))``, which can land one cycle short at an exact restart, where timm
then gives the end of the previous cycle. Those steps are exempt from the comparison and
checked to be restarts; here the restarts are exact.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from support import require

from annealing.compat import timm as tm

from ._check import CONFIGS, check, rng_for
from ._timm import scheduler_module

pytestmark = pytest.mark.peer


def optimizer(lr: float) -> Any:
    torch = require("torch")
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)


def lr_of(rng: np.random.Generator) -> float:
    return float(10 ** rng.uniform(-4, 0))


def peer_values(scheduler: Any, n: int) -> np.ndarray:
    return np.array([scheduler._get_lr(t)[0] for t in range(n)], dtype=np.float64)


def cycle_config(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "t_initial": int(rng.integers(1, 60)),
        "lr_min": 0.0 if rng.random() < 0.3 else float(10 ** rng.uniform(-6, -3)),
        "cycle_mul": float(rng.choice([1.0, 2.0, 3.0, round(float(rng.uniform(1, 3)), 2)])),
        "cycle_decay": float(rng.choice([1.0, rng.uniform(0.1, 1)])),
        "cycle_limit": int(rng.integers(0, 5)),
        "warmup_t": int(rng.choice([0, rng.integers(1, 30)])),
        "warmup_lr_init": 0.0 if rng.random() < 0.5 else float(10 ** rng.uniform(-6, -3)),
        "warmup_prefix": bool(rng.random() < 0.5),
    }


def horizon(kw: dict[str, Any]) -> int:
    cycles = max(kw["cycle_limit"], 1)
    m = kw["cycle_mul"]
    length = kw["t_initial"] * (cycles if m == 1 else (m**cycles - 1) / (m - 1))
    return int(np.ceil(length)) + kw["warmup_t"]


def compare_cycles(name: str, ours: Any, theirs: Any, kw: dict[str, Any], lr: float) -> None:
    n = 2 * horizon(kw) + 1
    t = np.arange(n)
    mine, peer = ours(t), peer_values(theirs, n)
    far = np.abs(mine - peer) > 1e-6 * lr
    exempt = np.zeros(n, dtype=bool)
    if far.any():
        # only at exact restarts of timm's own (un-prefixed) clock, where timm shows a trough
        shift = kw["warmup_t"] if kw["warmup_prefix"] else 0
        restarts = set()
        m, T0, start, k = kw["cycle_mul"], kw["t_initial"], 0.0, 0
        while start + shift < n:
            restarts.add(round(start + shift, 9))
            start += T0 * m**k
            k += 1
        exempt = far & np.array([float(x) in restarts for x in t])
        assert not (far & ~exempt).any(), (name, lr, kw, np.flatnonzero(far & ~exempt)[:5])
        assert kw["cycle_mul"] != 1, (name, lr, kw)
    check(f"timm.{name}", mine, peer, config=(lr, kw), exempt=exempt)


def test_cosine_lr_scheduler() -> None:
    cosine = scheduler_module("cosine_lr").CosineLRScheduler
    rng = rng_for("timm.CosineLRScheduler")
    for _ in range(CONFIGS):
        lr, kw = lr_of(rng), cycle_config(rng)
        kw["k_decay"] = float(rng.choice([1.0, rng.uniform(0.5, 2)]))
        compare_cycles(
            "CosineLRScheduler", tm.CosineLRScheduler(lr, **kw), cosine(optimizer(lr), **kw), kw, lr
        )


def test_poly_lr_scheduler() -> None:
    poly = scheduler_module("poly_lr").PolyLRScheduler
    rng = rng_for("timm.PolyLRScheduler")
    for _ in range(CONFIGS):
        lr, kw = lr_of(rng), cycle_config(rng)
        kw["k_decay"] = float(rng.choice([1.0, rng.uniform(0.5, 2)]))
        kw["power"] = float(rng.uniform(0.1, 3))
        compare_cycles(
            "PolyLRScheduler", tm.PolyLRScheduler(lr, **kw), poly(optimizer(lr), **kw), kw, lr
        )


def test_tanh_lr_scheduler() -> None:
    tanh = scheduler_module("tanh_lr").TanhLRScheduler
    rng = rng_for("timm.TanhLRScheduler")
    for _ in range(CONFIGS):
        lr, kw = lr_of(rng), cycle_config(rng)
        kw["lb"], kw["ub"] = float(rng.uniform(-10, 0)), float(rng.uniform(0.5, 6))
        compare_cycles(
            "TanhLRScheduler", tm.TanhLRScheduler(lr, **kw), tanh(optimizer(lr), **kw), kw, lr
        )


def test_step_lr_scheduler() -> None:
    step = scheduler_module("step_lr").StepLRScheduler
    rng = rng_for("timm.StepLRScheduler")
    for _ in range(CONFIGS):
        lr = lr_of(rng)
        kw = {
            "decay_t": int(rng.integers(1, 50)),
            "decay_rate": float(rng.uniform(0.05, 1)),
            "warmup_t": int(rng.choice([0, rng.integers(1, 30)])),
            "warmup_lr_init": float(rng.choice([0.0, 1e-5])),
            "warmup_prefix": bool(rng.random() < 0.5),
        }
        n = 2 * (4 * kw["decay_t"] + kw["warmup_t"]) + 1
        check(
            "timm.StepLRScheduler",
            tm.StepLRScheduler(lr, **kw)(np.arange(n)),
            peer_values(step(optimizer(lr), **kw), n),
            config=(lr, kw),
        )


def test_multistep_lr_scheduler() -> None:
    multistep = scheduler_module("multistep_lr").MultiStepLRScheduler
    rng = rng_for("timm.MultiStepLRScheduler")
    for _ in range(CONFIGS):
        lr = lr_of(rng)
        kw = {
            "decay_t": sorted(int(m) for m in rng.integers(0, 150, size=int(rng.integers(1, 5)))),
            "decay_rate": float(rng.uniform(0.05, 1)),
            "warmup_t": int(rng.choice([0, rng.integers(1, 30)])),
            "warmup_lr_init": float(rng.choice([0.0, 1e-5])),
            "warmup_prefix": bool(rng.random() < 0.5),
        }
        n = 2 * (max(kw["decay_t"]) + kw["warmup_t"]) + 2
        check(
            "timm.MultiStepLRScheduler",
            tm.MultiStepLRScheduler(lr, **kw)(np.arange(n)),
            peer_values(multistep(optimizer(lr), **kw), n),
            config=(lr, kw),
        )


def test_step_update_sets_get_lr() -> None:
    cosine = scheduler_module("cosine_lr").CosineLRScheduler
    opt = optimizer(1.0)
    scheduler = cosine(
        opt,
        t_initial=20,
        lr_min=0.01,
        warmup_t=5,
        warmup_lr_init=0.001,
        t_in_epochs=False,
        cycle_limit=2,
        cycle_decay=0.5,
    )
    ours = tm.CosineLRScheduler(
        1.0, 20, 0.01, warmup_t=5, warmup_lr_init=0.001, cycle_limit=2, cycle_decay=0.5
    )
    for t in range(60):
        scheduler.step_update(t)
        assert opt.param_groups[0]["lr"] == pytest.approx(ours(t), rel=1e-13, abs=1e-16)


# -- the pinned conventions of peer-schedulers.md (b) ---------------------------------------


def test_pinned_warmup_prefix_and_the_floor_hold() -> None:
    cosine = scheduler_module("cosine_lr").CosineLRScheduler
    plain = cosine(optimizer(1.0), t_initial=100, warmup_t=10)
    assert (
        round(plain._get_lr(10)[0], 6)
        == round(tm.CosineLRScheduler(1.0, 100, warmup_t=10)(10), 6)
        == 0.975528
    )
    prefixed = cosine(optimizer(1.0), t_initial=100, warmup_t=10, warmup_prefix=True)
    ours = tm.CosineLRScheduler(1.0, 100, warmup_t=10, warmup_prefix=True)
    assert prefixed._get_lr(10)[0] == ours(10) == 1.0
    held = cosine(optimizer(1.0), t_initial=10, lr_min=0.1)
    for t, value in ((0, 1.0), (5, 0.55), (9, 0.122024567667), (10, 0.1), (15, 0.1)):
        assert round(held._get_lr(t)[0], 12) == round(tm.CosineLRScheduler(1.0, 10, 0.1)(t), 12)
        assert round(held._get_lr(t)[0], 12) == value


def test_pinned_cycle_decay_scales_the_peak_not_the_floor() -> None:
    cosine = scheduler_module("cosine_lr").CosineLRScheduler
    theirs = cosine(optimizer(1.0), t_initial=10, lr_min=0.1, cycle_decay=0.5, cycle_limit=2)
    ours = tm.CosineLRScheduler(1.0, 10, 0.1, cycle_decay=0.5, cycle_limit=2)
    assert theirs._get_lr(10)[0] == ours(10) == 0.5  # Keras's m_mul would give 0.55


def test_pinned_log_cycle_index_misplaces_restart_121() -> None:
    cosine = scheduler_module("cosine_lr").CosineLRScheduler
    theirs = cosine(optimizer(1.0), t_initial=1, cycle_mul=3, cycle_limit=10)
    ours = tm.CosineLRScheduler(1.0, 1, cycle_mul=3, cycle_limit=10)
    assert theirs._get_lr(121)[0] == 0.0  # the trough of cycle 4
    assert ours(121) == 1.0  # 1 + 3 + 9 + 27 + 81 = 121: cycle 5 starts


def test_pinned_multistep_decays_one_step_early() -> None:
    multistep = scheduler_module("multistep_lr").MultiStepLRScheduler
    theirs = multistep(optimizer(1.0), decay_t=[10], decay_rate=0.5)
    ours = tm.MultiStepLRScheduler(1.0, [10], 0.5)
    assert theirs._get_lr(8)[0] == ours(8) == 1.0
    assert theirs._get_lr(9)[0] == ours(9) == 0.5  # PyTorch's MultiStepLR: at 10
