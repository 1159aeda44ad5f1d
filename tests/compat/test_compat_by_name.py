"""Transformers' get_scheduler by name against the real one: every SchedulerType name compat
expresses gives the values of the real scheduler it names; the others are refused saying why."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from support import require

from annealing.compat import transformers as hf
from annealing.plateau import Plateau

from ._check import check, rng_for

pytestmark = pytest.mark.peer


def _kwargs(name: str, rng: np.random.Generator, T: int) -> dict[str, Any]:
    if name in ("cosine", "cosine_with_restarts"):
        return {"num_cycles": float(rng.uniform(0.25, 3.0))}
    if name == "polynomial":
        return {"lr_end": 1e-7, "power": float(rng.uniform(0.5, 3.0))}
    if name == "inverse_sqrt":
        return {"timescale": int(rng.integers(1, 50))}
    if name == "cosine_with_min_lr":
        return {"min_lr_rate": float(rng.uniform(0.0, 0.5))}
    if name == "warmup_stable_decay":
        return {"num_decay_steps": int(rng.integers(1, T // 3 + 2))}
    return {}


@pytest.mark.parametrize("name", [n for n in hf.SCHEDULER_TYPES if n not in hf._NOT_EXPRESSED])
def test_get_scheduler_by_name(name: str) -> None:
    torch = require("torch")
    optimization = require("transformers.optimization")
    rng = rng_for(f"get_scheduler-{name}")
    for _ in range(30):
        lr, T = float(10 ** rng.uniform(-4, 0)), int(rng.integers(5, 300))
        warm = int(rng.integers(0, T // 2 + 1))
        extra = _kwargs(name, rng, T)
        ours = hf.get_scheduler(name, lr, warm, T, extra)
        optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = optimization.get_scheduler(name, optimizer, warm, T, extra)
        if name == "reduce_lr_on_plateau":
            assert isinstance(ours, Plateau)
            for m in rng.normal(1.0, 0.1, 40):
                theirs.step(float(m))
                assert ours.step(float(m)) == optimizer.param_groups[0]["lr"]
            continue
        values = np.empty(2 * T)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for t in range(2 * T):
                values[t] = optimizer.param_groups[0]["lr"]
                optimizer.step()
                theirs.step()
        check(f"transformers.get_scheduler({name})", ours(np.arange(2 * T)), values,
              config=(lr, warm, T, extra))  # fmt: skip


def test_get_scheduler_refuses_what_it_cannot_express() -> None:
    with pytest.raises(ValueError, match="'greedy' cannot be expressed: GreedyLR adapts"):
        hf.get_scheduler("greedy", 0.1)
    with pytest.raises(ValueError, match="'cosine_warmup_with_min_lr' cannot be expressed"):
        hf.get_scheduler("cosine_warmup_with_min_lr", 0.1, 10, 100)
    with pytest.raises(ValueError, match="get_scheduler: name must be one of 'linear'"):
        hf.get_scheduler("sine", 0.1, 10, 100)
    with pytest.raises(TypeError, match="get_scheduler: name must be one of"):
        hf.get_scheduler(3, 0.1, 10, 100)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'linear' requires num_training_steps"):
        hf.get_scheduler("linear", 0.1, 10)
    with pytest.raises(ValueError, match="'cosine' requires num_warmup_steps"):
        hf.get_scheduler("cosine", 0.1)
    with pytest.raises(TypeError, match="scheduler_specific_kwargs must be a dict"):
        hf.get_scheduler("cosine", 0.1, 1, 10, [1])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="get_reduce_on_plateau_schedule: factor must be"):
        hf.get_reduce_on_plateau_schedule(0.1, factor=1.0)


def test_every_scheduler_type_is_named() -> None:
    trainer_utils = require("transformers.trainer_utils")
    assert {t.value for t in trainer_utils.SchedulerType} == set(hf.SCHEDULER_TYPES)
    member = trainer_utils.SchedulerType("linear")
    assert hf.get_scheduler(member, 0.1, 1, 10) == hf.get_linear_schedule_with_warmup(0.1, 1, 10)
