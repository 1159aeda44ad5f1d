"""annealing.compat.keras refuses what Keras refuses (see tests/compat/_hostile.py).

Keras 3 runs on the JAX backend with ``jax_enable_x64`` and ``floatx`` float64; it computes
in the dtype of the rate, float32 for a Python float, so the comparisons allow ``F32`` of
the peak (and XLA's flushing of subnormals to 0).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from support import require

from annealing.compat import keras as kx

from . import _hostile as h

pytestmark = pytest.mark.peer

F32 = 1e-6


def peer(name: str) -> Any:
    def values(kw: dict[str, Any]) -> Any:
        keras = require("keras")
        jax = require("jax")
        schedule = getattr(keras.optimizers.schedules, name)(**kw)
        return np.asarray(jax.vmap(schedule)(jax.numpy.arange(len(h.STEPS))))

    return values


def ours(name: str) -> Any:
    return lambda kw: getattr(kx, name)(**kw)


def spec(name: str, base: dict[str, Any], **params: tuple[Any, ...]) -> h.Spec:
    return h.Spec(name, peer(name), ours(name), base, params, tol=F32, slack=h.FTZ)


F, I = h.FLOATS, h.INTS
SPECS = [
    spec(
        "CosineDecay",
        dict(initial_learning_rate=0.1, decay_steps=20, alpha=0.1),
        initial_learning_rate=F,
        decay_steps=I,
        alpha=F,
    ),
    spec(
        "CosineDecay",
        dict(
            initial_learning_rate=0.0, decay_steps=20, alpha=0.1, warmup_target=0.1, warmup_steps=10
        ),
        initial_learning_rate=F,
        warmup_target=F,
        warmup_steps=I,
        alpha=F,
    ),
    spec(
        "CosineDecayRestarts",
        dict(initial_learning_rate=0.1, first_decay_steps=5, t_mul=2.0, m_mul=0.5, alpha=0.1),
        initial_learning_rate=F,
        first_decay_steps=I,
        t_mul=F,
        m_mul=F,
        alpha=F,
    ),
    spec(
        "ExponentialDecay",
        dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5, staircase=False),
        initial_learning_rate=F,
        decay_steps=I,
        decay_rate=F,
        staircase=h.BOOLS,
    ),
    spec(
        "InverseTimeDecay",
        dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5, staircase=False),
        initial_learning_rate=F,
        decay_steps=I,
        decay_rate=F,
        staircase=h.BOOLS,
    ),
    spec(
        "PolynomialDecay",
        dict(
            initial_learning_rate=0.1,
            decay_steps=20,
            end_learning_rate=0.01,
            power=2.0,
            cycle=False,
        ),
        initial_learning_rate=F,
        decay_steps=I,
        end_learning_rate=F,
        power=F,
        cycle=h.BOOLS,
    ),
    spec(
        "PolynomialDecay",
        dict(
            initial_learning_rate=0.1, decay_steps=20, end_learning_rate=0.01, power=2.0, cycle=True
        ),
        decay_steps=I,
        power=F,
    ),
    spec(
        "PiecewiseConstantDecay",
        dict(boundaries=[10, 20], values=[0.1, 0.05, 0.01]),
        boundaries=(
            [],
            [10],
            [20, 10],
            [10, 10],
            [-1, 10],
            [0, 10],
            [2.5, 10],
            [h.NAN, 10],
            [10, h.INF],
            [10**400, 10**401],
            [True, 10],
            None,
            5,
            "ab",
            [None, 10],
        ),
        values=(
            [0.1],
            [0.1, 0.05],
            [0.1, 0.05, 0.01, 0.0],
            [0.1, -0.05, 0.01],
            [0.1, h.NAN, 0.01],
            [0.1, h.INF, 0.01],
            [0.1, 1e308, 0.01],
            None,
            5,
            "abc",
            [0.1, None, 0.01],
            [True, 0.05, 0.01],
            [0.1, 10**400, 0.01],
        ),
    ),
]

#: the documented differences (docs/reference/frameworks.md, "Keras")
INT = "an int rate is taken as a float (Keras computes in the rate's dtype: ints fail or truncate)"
SUBNORMAL = "a subnormal or infinite power or factor is refused"
DIFFERENCES: dict[str, dict[tuple[str, str], str]] = {
    "CosineDecay": {("initial_learning_rate", "0"): INT},
    "CosineDecayRestarts": {("m_mul", "1e-310"): SUBNORMAL},
    "ExponentialDecay": {
        ("decay_rate", "*"): "decay_rate in (0, 1] (0 only with staircase; above 1 it grows "
        "without bound), not subnormal"
    },
    "PolynomialDecay": {("initial_learning_rate", "0"): INT, ("power", "*"): SUBNORMAL},
    "PiecewiseConstantDecay": {
        ("boundaries", "*"): "boundaries > 0, finite and strictly increasing",
        ("values", "[True, 0.05, 0.01]"): "a bool is not a number here",
    },
}
for s in SPECS:
    s.differences = DIFFERENCES.get(s.name, {})


@pytest.fixture
def float64(x64: Any) -> Iterator[None]:
    keras = require("keras")
    floatx = keras.config.floatx()
    keras.config.set_floatx("float64")
    try:
        yield
    finally:
        keras.config.set_floatx(floatx)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_refusals_match_keras(spec: h.Spec, float64: None) -> None:
    failures = h.run(spec)
    assert not failures, h.report(failures)
