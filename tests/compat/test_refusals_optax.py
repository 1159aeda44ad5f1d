"""annealing.compat.optax refuses what optax refuses (see tests/compat/_hostile.py).

optax is evaluated with ``jax.vmap`` over the steps, in float64 (``jax_enable_x64``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from support import require

from annealing.compat import optax as ox

from . import _hostile as h

pytestmark = pytest.mark.peer


def peer(name: str) -> Any:
    def values(kw: dict[str, Any]) -> Any:
        optax = require("optax")
        jax = require("jax")
        schedule = getattr(optax, name)(**kw)
        return np.asarray(jax.vmap(schedule)(jax.numpy.arange(len(h.STEPS))))

    return values


def ours(name: str) -> Any:
    return lambda kw: getattr(ox, name)(**kw)


def spec(name: str, base: dict[str, Any], **params: tuple[Any, ...]) -> h.Spec:
    return h.Spec(name, peer(name), ours(name), base, params, tol=1e-11, slack=h.FTZ)


F, I = h.FLOATS, h.INTS
SCALES = (
    {10: 0.5},
    {},
    None,
    {10: -1.0},
    {10: h.NAN},
    {10: h.INF},
    {10: 1e308},
    {-5: 0.5},
    {2.5: 0.5},
    {h.NAN: 0.5},
    {10**400: 0.5},
    {10: 0.5, 20: 2.0},
    {10: None},
    {10: "0.5"},
    5,
    [10, 0.5],
    [(10, 0.5)],
    "10:0.5",
    {True: 0.5},
    {10: True},
)
SPECS = [
    spec("constant_schedule", dict(value=0.1), value=F),
    spec(
        "polynomial_schedule",
        dict(init_value=0.1, end_value=0.01, power=2.0, transition_steps=10, transition_begin=3),
        init_value=F,
        end_value=F,
        power=F,
        transition_steps=I,
        transition_begin=I,
    ),
    spec(
        "linear_schedule",
        dict(init_value=0.1, end_value=0.01, transition_steps=10, transition_begin=3),
        init_value=F,
        end_value=F,
        transition_steps=I,
        transition_begin=I,
    ),
    spec(
        "exponential_decay",
        dict(
            init_value=0.1,
            transition_steps=10,
            decay_rate=0.5,
            transition_begin=3,
            staircase=False,
            end_value=None,
        ),
        init_value=F,
        transition_steps=I,
        decay_rate=F,
        transition_begin=I,
        staircase=h.BOOLS,
        end_value=F,
    ),
    spec(
        "exponential_decay",
        dict(init_value=0.1, transition_steps=10, decay_rate=0.5, end_value=0.02),
        end_value=F,
        decay_rate=F,
    ),
    spec(
        "cosine_decay_schedule",
        dict(init_value=0.1, decay_steps=20, alpha=0.1, exponent=1.0),
        init_value=F,
        decay_steps=I,
        alpha=F,
        exponent=F,
    ),
    spec(
        "warmup_constant_schedule",
        dict(init_value=0.0, peak_value=0.1, warmup_steps=10),
        init_value=F,
        peak_value=F,
        warmup_steps=I,
    ),
    spec(
        "warmup_cosine_decay_schedule",
        dict(
            init_value=0.0,
            peak_value=0.1,
            warmup_steps=10,
            decay_steps=40,
            end_value=0.01,
            exponent=1.0,
        ),
        init_value=F,
        peak_value=F,
        warmup_steps=I,
        decay_steps=I,
        end_value=F,
        exponent=F,
    ),
    spec(
        "warmup_exponential_decay_schedule",
        dict(
            init_value=0.0,
            peak_value=0.1,
            warmup_steps=10,
            transition_steps=10,
            decay_rate=0.5,
            transition_begin=3,
            staircase=False,
            end_value=None,
        ),
        init_value=F,
        peak_value=F,
        warmup_steps=I,
        transition_steps=I,
        decay_rate=F,
        transition_begin=I,
        end_value=F,
    ),
    spec(
        "piecewise_constant_schedule",
        dict(init_value=0.1, boundaries_and_scales={10: 0.5, 20: 0.5}),
        init_value=F,
        boundaries_and_scales=SCALES,
    ),
    spec(
        "piecewise_interpolate_schedule",
        dict(interpolate_type="linear", init_value=0.1, boundaries_and_scales={10: 0.5, 20: 0.5}),
        interpolate_type=h.strings("linear", "cosine"),
        init_value=F,
        boundaries_and_scales=SCALES,
    ),
    spec(
        "cosine_onecycle_schedule",
        dict(
            transition_steps=50,
            peak_value=0.1,
            pct_start=0.3,
            div_factor=25.0,
            final_div_factor=1e4,
        ),
        transition_steps=I,
        peak_value=F,
        pct_start=F,
        div_factor=F,
        final_div_factor=F,
    ),
    spec(
        "linear_onecycle_schedule",
        dict(
            transition_steps=50,
            peak_value=0.1,
            pct_start=0.3,
            pct_final=0.85,
            div_factor=25.0,
            final_div_factor=1e4,
        ),
        transition_steps=I,
        peak_value=F,
        pct_start=F,
        pct_final=F,
        div_factor=F,
        final_div_factor=F,
    ),
    spec(
        "sgdr_schedule",
        dict(
            cosine_kwargs=[dict(init_value=0.0, peak_value=0.1, warmup_steps=2, decay_steps=10)] * 3
        ),
        cosine_kwargs=(
            [],
            None,
            5,
            [None],
            [{}],
            [dict(init_value=0.0, peak_value=0.1, warmup_steps=2, decay_steps=0)],
            [dict(init_value=0.0, peak_value=0.1, warmup_steps=2, decay_steps=10, bad=1)],
            "x",
        ),
    ),
]

#: the documented differences (docs/reference/frameworks.md, "optax")
XLA = "XLA flushes subnormal intermediates to 0; the exact value here"
SUBNORMAL = "a subnormal power or rate is refused; so are an infinite power or rate"
GROWS = "a decay_rate above 1 without end_value grows without bound"
BOOL = "a bool is not a number here"
DIFFERENCES: dict[str, dict[tuple[str, str], str]] = {
    "polynomial_schedule": {("power", "*"): SUBNORMAL},
    "exponential_decay": {
        ("init_value", "1e-310"): SUBNORMAL,
        ("end_value", "1e-310"): SUBNORMAL,
        ("decay_rate", "*"): GROWS + "; " + SUBNORMAL,
    },
    "cosine_decay_schedule": {("exponent", "*"): SUBNORMAL},
    "warmup_constant_schedule": {("warmup_steps", "1e+308"): XLA},
    "warmup_cosine_decay_schedule": {("peak_value", "1e-310"): XLA, ("exponent", "*"): SUBNORMAL},
    "warmup_exponential_decay_schedule": {
        ("peak_value", "1e-310"): SUBNORMAL,
        ("end_value", "1e-310"): SUBNORMAL,
        ("decay_rate", "*"): GROWS + "; " + SUBNORMAL,
        ("warmup_steps", "*"): "a finite warmup_steps",
        ("warmup_steps", "1e+308"): XLA,
    },
    "piecewise_constant_schedule": {
        ("boundaries_and_scales", "{True: 0.5}"): BOOL,
        ("boundaries_and_scales", "{10: True}"): BOOL,
    },
    "piecewise_interpolate_schedule": {
        ("boundaries_and_scales", "{True: 0.5}"): BOOL,
        ("boundaries_and_scales", "{10: True}"): BOOL,
        ("boundaries_and_scales", "{nan: 0.5}"): "a NaN boundary is refused",
    },
    "cosine_onecycle_schedule": {("div_factor", "1e+308"): XLA},
    "linear_onecycle_schedule": {("div_factor", "1e+308"): XLA},
}
for s in SPECS:
    s.differences = DIFFERENCES.get(s.name, {})


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_refusals_match_optax(spec: h.Spec, x64: Any) -> None:
    failures = h.run(spec)
    assert not failures, h.report(failures)
