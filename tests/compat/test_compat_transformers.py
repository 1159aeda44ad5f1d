"""annealing.compat.transformers against the real Transformers schedules.

Each Transformers schedule is a ``LambdaLR``, whose value is ``initial_lr · λ(t)`` in closed
form (no recursion); it is stepped as in training. Optimizer steps 0 .. 2N are compared.
"""

# Each loop builds Transformers schedulers from lambdas that run within the same iteration.
# ruff: noqa: B023

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from support import require

from annealing.compat import transformers as hf

from ._check import CONFIGS, check, rng_for
from .test_compat_torch import run

pytestmark = pytest.mark.peer


def lr_of(rng: np.random.Generator) -> float:
    return float(10 ** rng.uniform(-4, 0))


def WN(rng: np.random.Generator) -> tuple[int, int]:
    W = int(rng.choice([0, rng.integers(1, 50)]))
    return W, W + int(rng.integers(1, 250))


def compare(
    name: str, ours: Any, make: Callable[[Any], Any], lr: float, n: int, config: Any
) -> None:
    theirs = run(make, lr, n)
    check(f"transformers.{name}", ours(np.arange(n)), theirs, config=config)


def test_constant_schedules() -> None:
    T = require("transformers")
    rng = rng_for("transformers.constant")
    for _ in range(CONFIGS):
        lr, (W, N) = lr_of(rng), WN(rng)
        compare(
            "get_constant_schedule",
            hf.get_constant_schedule(lr),
            lambda o: T.get_constant_schedule(o),
            lr,
            2 * N + 1,
            lr,
        )
        compare(
            "get_constant_schedule_with_warmup",
            hf.get_constant_schedule_with_warmup(lr, W),
            lambda o: T.get_constant_schedule_with_warmup(o, W),
            lr,
            2 * N + 1,
            (lr, W),
        )


def test_linear_schedule_with_warmup() -> None:
    T = require("transformers")
    rng = rng_for("transformers.linear")
    for _ in range(CONFIGS):
        lr, (W, N) = lr_of(rng), WN(rng)
        compare(
            "get_linear_schedule_with_warmup",
            hf.get_linear_schedule_with_warmup(lr, W, N),
            lambda o: T.get_linear_schedule_with_warmup(o, W, N),
            lr,
            2 * N + 1,
            (lr, W, N),
        )


def test_cosine_schedule_with_warmup() -> None:
    T = require("transformers")
    rng = rng_for("transformers.cosine")
    for _ in range(CONFIGS):
        lr, (W, N) = lr_of(rng), WN(rng)
        cycles = float(rng.choice([0.5, rng.uniform(0.1, 3)]))
        compare(
            "get_cosine_schedule_with_warmup",
            hf.get_cosine_schedule_with_warmup(lr, W, N, cycles),
            lambda o: T.get_cosine_schedule_with_warmup(o, W, N, cycles),
            lr,
            2 * N + 1,
            (lr, W, N, cycles),
        )


def test_cosine_with_hard_restarts() -> None:
    T = require("transformers")
    rng = rng_for("transformers.hard_restarts")
    for _ in range(CONFIGS):
        lr, (W, N) = lr_of(rng), WN(rng)
        cycles = int(rng.integers(1, 6)) if rng.random() < 0.7 else float(rng.uniform(0.3, 4))
        ours = hf.get_cosine_with_hard_restarts_schedule_with_warmup(lr, W, N, cycles)
        theirs = run(
            lambda o: T.get_cosine_with_hard_restarts_schedule_with_warmup(o, W, N, cycles),
            lr,
            2 * N + 1,
        )
        t = np.arange(2 * N + 1)
        mine = ours(t)
        # Transformers takes (cycles · progress) mod 1 in floating point: at an exact restart
        # it can land just below 1 (the floor, 0) instead of at 0 (the peak)
        progress = (t - W) / max(1, N - W)
        restart = (t > W) & (t < N) & np.isclose((cycles * progress) % 1.0, 1.0, atol=1e-12)
        far = np.abs(mine - theirs) > 1e-3 * lr
        exempt = restart & far
        assert np.allclose(theirs[exempt], 0.0, atol=1e-12 * lr), (lr, W, N, cycles)
        assert not far[~restart].any(), (lr, W, N, cycles)
        check(
            "transformers.get_cosine_with_hard_restarts_schedule_with_warmup",
            mine,
            theirs,
            config=(lr, W, N, cycles),
            exempt=exempt,
        )


def test_polynomial_decay_schedule_with_warmup() -> None:
    T = require("transformers")
    torch = require("torch")
    rng = rng_for("transformers.polynomial")
    for _ in range(CONFIGS):
        lr, (W, N) = lr_of(rng), WN(rng)
        N = max(N, W + 1)
        end, power = lr * float(rng.uniform(0, 0.9)), float(rng.uniform(0.3, 3))
        compare(
            "get_polynomial_decay_schedule_with_warmup",
            hf.get_polynomial_decay_schedule_with_warmup(lr, W, N, end, power),
            lambda o: T.get_polynomial_decay_schedule_with_warmup(o, W, N, end, power),
            lr,
            2 * N + 1,
            (lr, W, N, end, power),
        )
    # a group with its own rate: Transformers decays from optimizer.defaults["lr"]
    params = [{"params": [torch.zeros(1, requires_grad=True)], "lr": 0.5}]
    optimizer = torch.optim.SGD(params, lr=1.0)
    scheduler = T.get_polynomial_decay_schedule_with_warmup(optimizer, 2, 10, lr_end=0.1)
    theirs = [optimizer.param_groups[0]["lr"]]
    for _ in range(14):
        optimizer.step()
        scheduler.step()
        theirs.append(optimizer.param_groups[0]["lr"])
    ours = hf.get_polynomial_decay_schedule_with_warmup(0.5, 2, 10, lr_end=0.1, lr_init=1.0)
    assert np.allclose(ours(np.arange(15)), theirs, rtol=1e-15, atol=0)


def test_inverse_sqrt_schedule() -> None:
    T = require("transformers")
    rng = rng_for("transformers.inverse_sqrt")
    for _ in range(CONFIGS):
        lr, (W, N) = lr_of(rng), WN(rng)
        tau = None if rng.random() < 0.5 else int(rng.integers(1, 500))
        compare(
            "get_inverse_sqrt_schedule",
            hf.get_inverse_sqrt_schedule(lr, W, tau),
            lambda o: T.get_inverse_sqrt_schedule(o, W, tau),
            lr,
            2 * N + 1,
            (lr, W, tau),
        )


def test_cosine_with_min_lr() -> None:
    T = require("transformers")
    rng = rng_for("transformers.cosine_min_lr")
    for _ in range(CONFIGS):
        lr, (W, N) = lr_of(rng), WN(rng)
        cycles = float(rng.choice([0.5, rng.uniform(0.1, 3)]))
        if rng.random() < 0.5:
            kw: dict[str, Any] = {"min_lr_rate": float(rng.uniform(0, 1))}
        else:
            kw = {"min_lr": lr * float(rng.uniform(0, 1))}
        compare(
            "get_cosine_with_min_lr_schedule_with_warmup",
            hf.get_cosine_with_min_lr_schedule_with_warmup(lr, W, N, cycles, **kw),
            lambda o: T.get_cosine_with_min_lr_schedule_with_warmup(o, W, N, cycles, **kw),
            lr,
            2 * N + 1,
            (lr, W, N, cycles, kw),
        )


def test_wsd_schedule() -> None:
    T = require("transformers")
    rng = rng_for("transformers.wsd")
    shapes = ["linear", "cosine", "1-sqrt"]
    for _ in range(CONFIGS):
        lr = lr_of(rng)
        W, S, D = int(rng.integers(0, 50)), int(rng.integers(0, 100)), int(rng.integers(1, 100))
        kw = {
            "warmup_type": str(rng.choice(shapes)),
            "decay_type": str(rng.choice(shapes)),
            "min_lr_ratio": float(rng.choice([0.0, rng.uniform(0, 1)])),
            "num_cycles": float(rng.choice([0.5, 0.5, rng.uniform(0.2, 2)])),
        }
        length = (
            {"num_training_steps": W + S + D} if rng.random() < 0.5 else {"num_stable_steps": S}
        )
        ours = hf.get_wsd_schedule(lr, W, D, **length, **kw)

        def make(o: Any, length: Any = length, kw: Any = kw) -> Any:
            return T.get_wsd_schedule(o, W, D, **length, **kw)

        compare("get_wsd_schedule", ours, make, lr, 2 * (W + S + D) + 1, (lr, W, S, D, kw))


# -- the pinned conventions of peer-schedulers.md (b) ---------------------------------------


def test_pinned_cosine_rises_past_the_end_and_warmup_starts_at_zero() -> None:
    T = require("transformers")
    theirs = run(lambda o: T.get_cosine_schedule_with_warmup(o, 0, 10), 1.0, 21)
    ours = hf.get_cosine_schedule_with_warmup(1.0, 0, 10)
    assert round(theirs[15], 12) == round(ours(15), 12) == 0.5
    assert round(theirs[20], 12) == round(ours(20), 12) == 1.0
    theirs = run(lambda o: T.get_linear_schedule_with_warmup(o, 10, 100), 1.0, 201)
    ours = hf.get_linear_schedule_with_warmup(1.0, 10, 100)
    assert theirs[0] == ours(0) == 0.0  # the first update uses a rate of 0
    assert theirs[5] == ours(5) == 0.5 and theirs[10] == ours(10) == 1.0
    assert theirs[200] == ours(200) == 0.0  # linear holds 0
    ours_min = hf.get_cosine_with_min_lr_schedule_with_warmup(1.0, 0, 10, min_lr_rate=0.1)
    theirs = run(
        lambda o: T.get_cosine_with_min_lr_schedule_with_warmup(o, 0, 10, min_lr_rate=0.1), 1.0, 16
    )
    for t, value in ((0, 1.0), (5, 0.55), (9, 0.122024567667), (10, 0.1), (15, 0.55)):
        assert round(theirs[t], 12) == round(ours_min(t), 12) == value


def test_pinned_inverse_sqrt_and_wsd_and_poly_past_the_end() -> None:
    T = require("transformers")
    theirs = run(lambda o: T.get_inverse_sqrt_schedule(o, 100), 1.0, 401)
    ours = hf.get_inverse_sqrt_schedule(1.0, 100)
    assert theirs[0] == ours(0) == 0.0 and theirs[400] == ours(400) == 0.5
    theirs = run(
        lambda o: T.get_wsd_schedule(o, 5, 5, num_stable_steps=5, min_lr_ratio=0.1), 1.0, 30
    )
    ours = hf.get_wsd_schedule(1.0, 5, 5, num_stable_steps=5, min_lr_ratio=0.1)
    assert theirs[0] == ours(0) == 0.1  # the warmup starts at min_lr_ratio
    assert theirs[29] == ours(29) == 0.1
    theirs = run(
        lambda o: T.get_polynomial_decay_schedule_with_warmup(o, 0, 10, lr_end=0.01), 1.0, 30
    )
    poly = hf.get_polynomial_decay_schedule_with_warmup(1.0, 0, 10, lr_end=0.01)
    assert theirs[29] == poly(29) == 0.01  # lr_end / lr_init, times lr
    hard = run(lambda o: T.get_cosine_with_hard_restarts_schedule_with_warmup(o, 0, 10), 1.0, 20)
    assert hard[15] == hf.get_cosine_with_hard_restarts_schedule_with_warmup(1.0, 0, 10)(15) == 0
