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


# ------------------------------------------------------------------------------------ timm


def _timm_optimizer(lr: float) -> Any:
    torch = require("torch")
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)


def _timm_values(scheduler: Any, n: int) -> np.ndarray:
    return np.array([scheduler._get_lr(t)[0] for t in range(n)], dtype=np.float64)


@pytest.mark.parametrize("stable_fn", ["constant", "rsqrt", "power"])
@pytest.mark.parametrize("decay_fn", ["linear", "1-sqrt", "cosine", "power", "exp"])
def test_timm_wsd(stable_fn: str, decay_fn: str) -> None:
    from annealing.compat import timm as tm

    from ._timm import scheduler_module

    WSD = scheduler_module("wsd_lr").WSDLRScheduler
    rng = rng_for(f"timm.WSD-{stable_fn}-{decay_fn}")
    for _ in range(20):
        lr, T = float(10 ** rng.uniform(-4, 0)), int(rng.integers(1, 200))
        kw: dict[str, Any] = {
            "t_initial": T,
            "decay_t": int(rng.integers(1, T + 1)),
            "lr_min": float(rng.choice([0.0, lr * rng.uniform(0, 0.1)])),
            "stable_fn": stable_fn,
            "stable_power": float(rng.uniform(0.1, 2.0)),
            "decay_fn": decay_fn,
            "decay_power": float(rng.uniform(0.1, 3.0)),
            "decay_ratio": float(rng.uniform(0.01, 0.9)),
            "warmup_t": int(rng.integers(0, 30)),
            "warmup_lr_init": float(rng.choice([0.0, lr / 10])),
        }
        if stable_fn != "constant" and (kw["warmup_t"] == 0 or rng.random() < 0.5):
            kw["stable_timescale"] = float(rng.uniform(1, 50))
        theirs = WSD(_timm_optimizer(lr), **kw)
        n = 2 * (kw["warmup_t"] + T) + 1
        ours = tm.WSDLRScheduler(lr, **kw)
        check(f"timm.WSDLRScheduler({stable_fn}, {decay_fn})", ours(np.arange(n)),
              _timm_values(theirs, n), config=kw)  # fmt: skip
        assert ours(n - 1) == pytest.approx(float(_timm_values(theirs, n)[-1]), rel=1e-12, abs=0)


@pytest.mark.parametrize(
    "sched", ["cosine", "tanh", "step", "multistep", "poly", "wsd", "rsqrt", "constant", "plateau"]
)
def test_timm_create_scheduler_v2(sched: str) -> None:
    from annealing.compat import timm as tm

    from ._timm import scheduler_module

    factory = scheduler_module("scheduler_factory").create_scheduler_v2
    rng = rng_for(f"timm.create_scheduler_v2-{sched}")
    for _ in range(20):
        lr = float(10 ** rng.uniform(-4, 0))
        epochs = int(rng.integers(10, 120))
        kw: dict[str, Any] = {
            "sched": sched,
            "num_epochs": epochs,
            "decay_milestones": sorted(int(m) for m in rng.integers(1, epochs, size=3)),
            "cooldown_epochs": int(rng.integers(0, 5)),
            "decay_rate": float(rng.uniform(0.1, 0.9)),
            "min_lr": float(rng.choice([0.0, lr / 100])),
            "warmup_lr": float(rng.choice([1e-5, 0.0])) * lr,
            "warmup_epochs": int(rng.integers(0, 5)),
            "warmup_prefix": bool(rng.random() < 0.5),
            "cycle_limit": int(rng.integers(1, 3)),
            "cycle_mul": float(rng.choice([1.0, 2.0])),
            "cycle_decay": float(rng.uniform(0.1, 1.0)),
        }
        if sched in ("step", "wsd", "rsqrt"):
            kw["decay_epochs"] = float(rng.choice([rng.uniform(0.05, 0.95), rng.integers(1, 9)]))
        if sched == "rsqrt" and kw["warmup_epochs"] == 0:
            kw["stable_timescale"] = 10.0
        if sched not in ("plateau",) and rng.random() < 0.4:
            kw.update(step_on_epochs=False, updates_per_epoch=int(rng.integers(1, 6)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs, their_epochs = factory(_timm_optimizer(lr), **kw)
        ours, our_epochs = tm.create_scheduler_v2(lr, **kw)
        assert our_epochs == their_epochs, kw
        if sched == "plateau":
            assert isinstance(ours, Plateau)
            assert ours.lr == theirs.optimizer.param_groups[0]["lr"]
            continue
        n = 2 * their_epochs * kw.get("updates_per_epoch", 1) + 3
        check(f"timm.create_scheduler_v2({sched})", ours(np.arange(n)), _timm_values(theirs, n),
              config=kw)  # fmt: skip


def test_timm_refusals_by_name() -> None:
    from annealing.compat import timm as tm

    with pytest.raises(ValueError, match="create_scheduler_v2: sched must be one of 'cosine'"):
        tm.create_scheduler_v2(0.1, "cosin")
    assert tm.create_scheduler_v2(0.1, "none") == (None, 300)
    with pytest.raises(ValueError, match="needs 0 < decay_epochs <= num_epochs - warmup_epochs"):
        tm.create_scheduler_v2(0.1, "wsd", num_epochs=10, decay_epochs=20)
    with pytest.raises(ValueError, match="create_scheduler_v2: updates_per_epoch must be"):
        tm.create_scheduler_v2(0.1, step_on_epochs=False)
    with pytest.raises(TypeError, match=r"WSDLRScheduler: decay_fn must be one of .* a callable"):
        tm.WSDLRScheduler(0.1, 10, 2, decay_fn=lambda f: 1 - f)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"WSDLRScheduler: decay_t must be a number in \(0, t_"):
        tm.WSDLRScheduler(0.1, 10, 11)
    with pytest.raises(ValueError, match="WSDLRScheduler: stable_timescale must be a number > 0"):
        tm.WSDLRScheduler(0.1, 10, 2, stable_fn="rsqrt")
    with pytest.raises(ValueError, match="WSDLRScheduler: decay_ratio must be"):
        tm.WSDLRScheduler(0.1, 10, 2, decay_fn="exp", decay_ratio=1.0)
    with pytest.raises(ValueError, match="PlateauLRScheduler: decay_rate must be"):
        tm.PlateauLRScheduler(0.1, decay_rate=2.0)
    s = tm.WSDLRScheduler(0.1, 100, 20, stable_fn="power", stable_timescale=5.0, decay_fn="exp")
    from annealing import from_dict

    assert from_dict(s.to_dict()) == s and s.steps == 100
