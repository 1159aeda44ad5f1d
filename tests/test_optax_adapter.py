"""annealing.optax.hyperparams: any hyperparameter of a real optax optimizer on a schedule."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from support import require

import annealing as an

pytestmark = pytest.mark.peer

LR = an.Warmup(an.Cosine(1e-2, 1e-4, 20), warmup=5)
B1 = an.Cosine(0.85, 0.95, 25)
B2 = an.Linear(0.95, 0.999, 25)


def problem() -> tuple[Any, Any]:
    jnp = require("jax.numpy")
    params = {"w": jnp.asarray([1.0, -2.0, 3.0]), "b": jnp.asarray(0.5)}

    def grad(p: Any, t: int) -> Any:
        scale = 1.0 + 0.1 * t
        return {"w": scale * p["w"], "b": scale * p["b"] - 1.0}

    return params, grad


def test_each_update_uses_the_values_at_its_step() -> None:
    optax = require("optax")
    jax = require("jax")
    from annealing.optax import hyperparams

    params, grad = problem()
    opt = hyperparams(optax.adamw, {"learning_rate": LR, "b1": B1, "b2": B2}, weight_decay=1e-3)
    state = opt.init(params)
    update = jax.jit(opt.update)
    # the reference: at step t, adamw with the values of step t as constants, on the same state
    ref_params, ref_state = params, optax.adamw(LR(0), B1(0), B2(0), weight_decay=1e-3).init(params)
    for t in range(30):
        g = grad(params, t)
        updates, state = update(g, state, params)
        # the state holds the values the update used (float32, computed under jit)
        for name, schedule in (("learning_rate", LR), ("b1", B1), ("b2", B2)):
            np.testing.assert_allclose(state.hyperparams[name], schedule(t), rtol=1e-6)
        params = optax.apply_updates(params, updates)
        step = optax.adamw(
            np.float32(LR(t)), np.float32(B1(t)), np.float32(B2(t)), weight_decay=1e-3
        )
        ref_updates, ref_state = step.update(grad(ref_params, t), ref_state, ref_params)
        ref_params = optax.apply_updates(ref_params, ref_updates)
        for key in params:
            np.testing.assert_allclose(params[key], ref_params[key], rtol=1e-6, atol=1e-7)
    assert int(state.count) == 30


def test_fixed_callables_stay_fixed_and_compat_schedules_fit() -> None:
    optax = require("optax")
    from annealing.compat import optax as ox
    from annealing.optax import hyperparams

    params, grad = problem()
    seen: list[Any] = []

    def mask(p: Any) -> Any:
        seen.append(p)
        return {"w": True, "b": False}  # no weight decay on the bias

    cosine = ox.cosine_decay_schedule(1e-2, decay_steps=10, alpha=0.1)
    native = optax.cosine_decay_schedule(1e-2, decay_steps=10, alpha=0.1)
    opt = hyperparams(optax.adamw, {"learning_rate": cosine}, weight_decay=0.5, mask=mask)
    state = opt.init(params)
    for t in range(12):
        _, state = opt.update(grad(params, t), state, params)
        np.testing.assert_allclose(state.hyperparams["learning_rate"], native(t), rtol=1e-6)
    assert seen  # called as a mask, with the parameters
    assert "mask" not in state.hyperparams  # not a schedule
    sgd = hyperparams(optax.sgd, {"momentum": an.Cosine(0.5, 0.9, 10)}, learning_rate=0.1)
    assert float(sgd.init(params).hyperparams["momentum"]) == 0.5


@pytest.mark.parametrize(
    ("schedules", "fixed", "error", "message"),
    [
        ({"lr": LR}, {}, ValueError, "adamw has no parameter 'lr' (optax's name: learning_rate)"),
        ({"betas": LR}, {}, ValueError, "(optax's name: b1 and b2)"),
        ({"b1": 0.9}, {}, TypeError, "schedules['b1'] must be an annealing schedule, got 0.9"),
        ({"b1": lambda t: 0.9}, {}, TypeError, "must be an annealing schedule"),
        ({"b1": B1}, {"b1": 0.9}, ValueError, "'b1' is given both as a schedule and as a fixed"),
        ({"b1": B1}, {"beta": 0.9}, ValueError, "adamw has no parameter 'beta'; it has"),
        ({}, {}, TypeError, "schedules must be a non-empty mapping"),
        (B1, {}, TypeError, "schedules must be a non-empty mapping"),
        ({1: B1}, {}, TypeError, "keys must be parameter names, got 1"),
        ({"b1": B1}, {"b2": 0.9}, TypeError, "adamw needs 'learning_rate': give each a sched"),
    ],
)
def test_bad_mappings_are_refused(
    schedules: Any, fixed: dict[str, Any], error: type[Exception], message: str
) -> None:
    optax = require("optax")
    from annealing.optax import hyperparams

    with pytest.raises(error) as info:
        hyperparams(optax.adamw, schedules, **fixed)
    assert str(info.value).startswith("hyperparams: ")
    assert message in str(info.value)
    with pytest.raises(TypeError, match="optimizer must be an optax optimizer factory"):
        hyperparams(None, {"b1": B1})  # type: ignore[arg-type]


def test_fuzzed_mappings_are_taken_or_refused_by_name() -> None:
    optax = require("optax")
    hypothesis = require("hypothesis")
    st = hypothesis.strategies
    from annealing.optax import hyperparams

    names = st.sampled_from(["learning_rate", "b1", "b2", "lr", "eps", "mask", "x"])
    leaves = st.none() | st.integers() | st.floats() | st.text(max_size=3) | st.just(B1)
    junk = st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=2) | st.dictionaries(names, inner, max_size=3),
        max_leaves=6,
    )

    @hypothesis.given(schedules=junk)
    @hypothesis.settings(
        max_examples=200,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    def check(schedules: Any) -> None:
        try:
            hyperparams(optax.adam, schedules)
        except (TypeError, ValueError) as error:
            assert str(error).startswith("hyperparams: "), error

    check()
