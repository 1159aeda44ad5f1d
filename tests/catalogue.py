"""One or more examples of every family and combinator, shared by the model-wide tests, and the
catalogue of every public constructor (ENTRIES) that the fuzz suite walks."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from typing import Any

import annealing as an

COSINE = an.Cosine(start=1.0, end=0.1, steps=100)

EXAMPLES: dict[str, an.Schedule] = {
    "Constant": an.Constant(0.1),
    "Constant-steps": an.Constant(0.1, steps=10),
    "Cosine": COSINE,
    "Cosine-exponent": an.Cosine(1.0, 0.0, 100, exponent=2.0),
    "Cosine-rise": an.Cosine(0.001, 1.0, 50, exponent=0.5),
    "Linear": an.Linear(1.0, 0.0, 10),
    "Linear-rise": an.Linear(0.0, 1.0, 10.5),
    "Polynomial": an.Polynomial(1.0, 0.0, 10, power=2.0),
    "Polynomial-rise": an.Polynomial(0.01, 1.0, 10, power=0.5),
    "Exponential-rate": an.Exponential(1.0, rate=0.5, every=10),
    "Exponential-end": an.Exponential(1.0, end=0.01, steps=100),
    "Exponential-staircase": an.Exponential(1.0, rate=0.5, every=10, staircase=True, end=0.1),
    "Exponential-growth": an.Exponential(0.1, rate=1.1, end=1.0),
    "Step": an.Step(1.0, 30),
    "MultiStep": an.MultiStep(1.0, (30, 80)),
    "MultiStep-none": an.MultiStep(1.0, ()),
    "InverseSqrt": an.InverseSqrt(1.0, 100),
    "Piecewise": an.Piecewise(((0, 1.0), (10, 0.5), (20, 0.1))),
    "Piecewise-right": an.Piecewise(((0, 1.0), (10, 0.5), (20, 0.1)), side="right"),
    "Piecewise-cosine": an.Piecewise(((5, 1.0), (10, 0.5)), interpolation="cosine"),
    "Piecewise-linear": an.Piecewise(((0, 0.0), (10, 1.0), (30, 0.0)), interpolation="linear"),
    "OneCycle": an.OneCycle(1.0, 100),
    "OneCycle-three": an.OneCycle(1.0, 100, pct_start=0.25, shape="linear", three_phase=True),
    "Cyclic": an.Cyclic(0.1, 1.0, 10),
    "Cyclic-triangular2": an.Cyclic(0.1, 1.0, 10, 5, mode="triangular2"),
    "Cyclic-exp_range": an.Cyclic(0.1, 1.0, 10, 5, mode="exp_range", gamma=0.99),
    "WSD": an.WSD(1.0, 10, 80, 10),
    "WSD-1-sqrt": an.WSD(1.0, 0, 80, 10, end=0.01, decay_shape="1-sqrt"),
    "WSD-cosine": an.WSD(1.0, 10, 0, 10, start=0.1, decay_shape="cosine", warmup_shape="cosine"),
    "Warmup": an.Warmup(an.Cosine(1.0, 0.0, 90), 10),
    "Warmup-exponential": an.Warmup(COSINE, 10, start=0.01, shape="exponential"),
    "Warmup-cosine-endless": an.Warmup(an.InverseSqrt(1.0, 10), 5, shape="cosine"),
    "Sequence": an.Sequence((an.Linear(0.0, 1.0, 10), an.Cosine(1.0, 0.0, 10))),
    "Sequence-boundaries": an.Sequence((an.Constant(1.0), an.Cosine(1.0, 0.0, 10)), (5,)),
    "Scale": an.Scale(COSINE, 0.5),
    "Scale-schedule": an.Scale(COSINE, an.Linear(1.0, 0.0, 200)),
    "Restarts": an.Restarts(an.Cosine(1.0, 0.1, 10), mult=2, limit=3, warmup=2, peak_decay=0.5),
    "Restarts-amplitude": an.Restarts(
        an.Linear(1.0, 0.2, 7), mult=1.5, peak_decay=0.8, floor_decay=0.9, decay_mode="amplitude"
    ),
    "SGDR": an.SGDR(0.1, 10, 2),
    "nested": an.Scale(
        an.Sequence((an.Warmup(an.Restarts(an.Cosine(1.0, 0.0, 5), limit=2), 3), an.Constant(0.0))),
        an.Exponential(1.0, rate=0.99),
    ),
}

# The families and combinators issue 2 asks for; every one has an example above.
FAMILIES = {
    "Constant",
    "Cosine",
    "Linear",
    "Exponential",
    "Polynomial",
    "Step",
    "MultiStep",
    "Piecewise",
    "InverseSqrt",
    "OneCycle",
    "Cyclic",
    "WSD",
    "Warmup",
    "Sequence",
    "Restarts",
    "Scale",
}


# ------------------------------------------------------------------------------------------
# The catalogue of public constructors, walked by the fuzz suite (tests/fuzzing.py,
# tests/test_fuzz.py). Every family and combinator of annealing.__all__ and every function of
# annealing.compat.<fw>.__all__ has an Entry: its parameters (name -> kind), keyword arguments
# that build a schedule, and keyword arguments that must be refused with an error naming one
# parameter. test_fuzz.py fails when a public name has no entry, so a new family is fuzzed the
# day it lands.


KINDS = {
    "rate": "a finite real >= 0 (a learning rate, a level)",
    "real": "a finite real of any sign",
    "length": "a finite real > 0 (a duration in steps)",
    "span": "a finite real >= 0 (a warmup, an offset, a boundary)",
    "count": "an integer >= 0 (a number of steps or cycles)",
    "fraction": "a real in [0, 1]",
    "factor": "a finite real > 0 (a multiplier, a power, a decay)",
    "choice": "one of a few strings",
    "flag": "a bool",
    "name": "any string (a Keras name)",
    "schedule": "an annealing Schedule",
    "schedules": "a sequence of Schedules",
    "milestones": "a non-decreasing sequence of steps",
    "points": "a sequence of (step, value) pairs",
    "scales": "a mapping step -> scale (optax)",
    "values": "a sequence of rates",
    "cycles": "a sequence of keyword dicts (optax sgdr_schedule)",
}


@dataclasses.dataclass(frozen=True)
class Param:
    kind: str
    optional: bool = False  # None is allowed
    options: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        assert self.kind in KINDS, self.kind


@dataclasses.dataclass(frozen=True)
class Entry:
    name: str  # as the caller writes it: "Cosine", "compat.torch.StepLR"
    params: dict[str, Param]
    valid: tuple[dict[str, Any], ...]
    invalid: tuple[tuple[dict[str, Any], str], ...] = ()  # (kwargs, the parameter named)

    @property
    def make(self) -> Callable[..., Any]:
        return resolve(self.name)

    @property
    def compat(self) -> bool:
        return self.name.startswith("compat.")


def resolve(name: str) -> Callable[..., Any]:
    if name.startswith("units."):
        units = importlib.import_module("annealing.units")
        return getattr(units, name.removeprefix("units."))  # type: ignore[no-any-return]
    if name.startswith("compat."):
        _, fw, fn = name.split(".")
        return getattr(importlib.import_module(f"annealing.compat.{fw}"), fn)  # type: ignore[no-any-return]
    return getattr(an, name)  # type: ignore[no-any-return]


def P(kind: str, optional: bool = False, *options: str) -> Param:
    return Param(kind, optional, tuple(options))


R, L, S, C, F, X, B = (
    P(k) for k in ("rate", "length", "span", "count", "fraction", "factor", "flag")
)
SCH = P("schedule")
_C1 = an.Cosine(1.0, 0.0, 10)

FAMILY_ENTRIES = [
    Entry(
        "Constant",
        {"value": R, "steps": P("length", True)},
        ({"value": 0.1}, {"value": 1.0, "steps": 10}),
        (({"value": "0.1"}, "value"),),
    ),
    Entry(
        "Cosine",
        {"start": R, "end": R, "steps": L, "exponent": X},
        (
            {"start": 1.0, "end": 0.1, "steps": 100},
            {"start": 0.0, "end": 1.0, "steps": 7.5, "exponent": 2.0},
        ),
        (
            ({"start": 1.0, "end": 0.0, "steps": 0}, "steps"),
            ({"start": -1.0, "end": 0.0, "steps": 5}, "start"),
        ),
    ),
    Entry(
        "Linear",
        {"start": R, "end": R, "steps": L},
        ({"start": 1.0, "end": 0.0, "steps": 10}, {"start": 0.0, "end": 2.0, "steps": 0.5}),
        (({"start": 1.0, "end": "x", "steps": 10}, "end"),),
    ),
    Entry(
        "Polynomial",
        {"start": R, "end": R, "steps": L, "power": X},
        ({"start": 1.0, "end": 0.0, "steps": 10, "power": 2.0},),
        (({"start": 1.0, "end": 0.0, "steps": 10, "power": 0}, "power"),),
    ),
    Entry(
        "Exponential",
        {
            "start": P("factor"),
            "end": P("factor", True),
            "steps": P("length", True),
            "rate": P("factor", True),
            "every": L,
            "staircase": B,
        },
        (
            {"start": 1.0, "rate": 0.5, "every": 10},
            {"start": 1.0, "end": 0.01, "steps": 100},
            {"start": 1.0, "rate": 0.5, "every": 10, "staircase": True, "end": 0.1},
        ),
        (({"start": 1.0, "rate": 0.5, "every": 0}, "every"),),
    ),
    Entry(
        "Step",
        {"start": R, "every": L, "factor": F},
        ({"start": 1.0, "every": 30}, {"start": 0.5, "every": 2.5, "factor": 0.5}),
        (({"start": 1.0, "every": 30, "factor": 2.0}, "factor"),),
    ),
    Entry(
        "MultiStep",
        {"start": R, "milestones": P("milestones"), "factor": F},
        ({"start": 1.0, "milestones": (30, 80)}, {"start": 1.0, "milestones": (), "factor": 0.0}),
        (({"start": 1.0, "milestones": (5, 2)}, "milestones"),),
    ),
    Entry(
        "InverseSqrt",
        {"start": R, "timescale": L},
        ({"start": 1.0, "timescale": 100},),
        (({"start": 1.0, "timescale": -1}, "timescale"),),
    ),
    Entry(
        "InverseTime",
        {"start": R, "rate": R, "every": L, "staircase": B},
        ({"start": 1.0, "rate": 0.5}, {"start": 1.0, "rate": 0.1, "every": 10, "staircase": True}),
        (({"start": 1.0, "rate": 0.5, "every": 0}, "every"),),
    ),
    Entry(
        "Piecewise",
        {
            "points": P("points"),
            "interpolation": P("choice", False, "constant", "linear", "cosine"),
            "side": P("choice", False, "left", "right"),
        },
        (
            {"points": ((0, 1.0), (10, 0.5), (20, 0.1))},
            {
                "points": ((0, 0.0), (10, 1.0), (30, 0.0)),
                "interpolation": "linear",
                "side": "right",
            },
        ),
        (({"points": ((0, 1.0),), "interpolation": "spline"}, "interpolation"),),
    ),
    Entry(
        "OneCycle",
        {
            "peak": R,
            "steps": L,
            "pct_start": F,
            "div": X,
            "final_div": X,
            "shape": P("choice", False, "cosine", "linear"),
            "three_phase": B,
        },
        (
            {"peak": 1.0, "steps": 100},
            {"peak": 1.0, "steps": 100, "pct_start": 0.25, "shape": "linear", "three_phase": True},
        ),
        (({"peak": 1.0, "steps": 100, "shape": "cos"}, "shape"),),
    ),
    Entry(
        "Cyclic",
        {
            "low": R,
            "high": R,
            "up": L,
            "down": P("length", True),
            "mode": P("choice", False, "triangular", "triangular2", "exp_range"),
            "gamma": X,
        },
        (
            {"low": 0.1, "high": 1.0, "up": 10},
            {"low": 0.1, "high": 1.0, "up": 10, "down": 5, "mode": "exp_range", "gamma": 0.99},
        ),
        (({"low": 0.1, "high": 1.0, "up": 0}, "up"),),
    ),
    Entry(
        "WSD",
        {
            "peak": R,
            "warmup": S,
            "stable": S,
            "decay": L,
            "start": R,
            "end": R,
            "decay_shape": P("choice", False, "linear", "cosine", "1-sqrt"),
            "warmup_shape": P("choice", False, "linear", "cosine", "1-sqrt"),
        },
        (
            {"peak": 1.0, "warmup": 10, "stable": 80, "decay": 10},
            {
                "peak": 1.0,
                "warmup": 10,
                "stable": 0,
                "decay": 10,
                "start": 0.1,
                "decay_shape": "cosine",
            },
        ),
        (({"peak": 1.0, "warmup": -1, "stable": 80, "decay": 10}, "warmup"),),
    ),
    Entry(
        "Tanh",
        {"start": R, "end": R, "steps": L, "lower": P("real"), "upper": P("real")},
        (
            {"start": 1.0, "end": 0.0, "steps": 100},
            {"start": 1.0, "end": 0.1, "steps": 10, "lower": -3.0, "upper": 5.0},
        ),
        (({"start": 1.0, "end": 0.0, "steps": "100"}, "steps"),),
    ),
    Entry(
        "PolynomialCycles",
        {"start": R, "end": R, "every": L, "power": X},
        (
            {"start": 1.0, "end": 0.0, "every": 10},
            {"start": 1.0, "end": 0.1, "every": 7.5, "power": 2.0},
        ),
        (({"start": 1.0, "end": 0.0, "every": 0}, "every"),),
    ),
    Entry(
        "Warmup",
        {
            "schedule": SCH,
            "warmup": L,
            "start": R,
            "shape": P("choice", False, "linear", "cosine", "exponential"),
        },
        (
            {"schedule": an.Cosine(1.0, 0.0, 90), "warmup": 10},
            {"schedule": COSINE, "warmup": 10, "start": 0.01, "shape": "exponential"},
        ),
        (({"schedule": 1.0, "warmup": 10}, "schedule"),),
    ),
    Entry(
        "Sequence",
        {"schedules": P("schedules"), "boundaries": P("milestones", True)},
        (
            {"schedules": (an.Linear(0.0, 1.0, 10), _C1)},
            {"schedules": (an.Constant(1.0), _C1), "boundaries": (5,)},
        ),
        (({"schedules": (_C1, 1.0)}, "schedules"),),
    ),
    Entry(
        "Scale",
        {"schedule": SCH, "factor": P("rate")},
        (
            {"schedule": COSINE, "factor": 0.5},
            {"schedule": COSINE, "factor": an.Linear(1.0, 0.0, 200)},
        ),
        (({"schedule": COSINE, "factor": -1.0}, "factor"),),
    ),
    Entry(
        "Restarts",
        {
            "cycle": SCH,
            "mult": X,
            "peak_decay": X,
            "floor_decay": X,
            "decay_mode": P("choice", False, "peak", "amplitude"),
            "limit": P("count", True),
            "warmup": S,
        },
        (
            {
                "cycle": an.Cosine(1.0, 0.1, 10),
                "mult": 2,
                "limit": 3,
                "warmup": 2,
                "peak_decay": 0.5,
            },
            {
                "cycle": an.Linear(1.0, 0.2, 7),
                "mult": 1.5,
                "peak_decay": 0.8,
                "floor_decay": 0.9,
                "decay_mode": "amplitude",
            },
        ),
        (({"cycle": _C1, "mult": 0.5}, "mult"),),
    ),
    Entry(
        "SGDR",
        {"eta_max": R, "T_0": L, "T_mult": X, "eta_min": R},
        (
            {"eta_max": 0.1, "T_0": 10, "T_mult": 2},
            {"eta_max": 1.0, "T_0": 1, "T_mult": 3, "eta_min": 0.01},
        ),
        (({"eta_max": 0.1, "T_0": 0}, "T_0"),),
    ),
    Entry(
        "Warp",
        {"schedule": SCH, "power": X},
        ({"schedule": an.Linear(1.0, 0.0, 10), "power": 2.0},),
        (({"schedule": _C1, "power": 0}, "power"),),
    ),
    Entry(
        "Offset",
        {"schedule": SCH, "offset": S},
        ({"schedule": _C1, "offset": 5},),
        (({"schedule": _C1, "offset": -1}, "offset"),),
    ),
]

_LR = {"lr": 0.1}
_TORCH = [
    Entry(
        "compat.torch.StepLR",
        {"lr": R, "step_size": L, "gamma": X},
        ({**_LR, "step_size": 30}, {**_LR, "step_size": 2, "gamma": 0.5}),
        (({**_LR, "step_size": "3"}, "step_size"),),
    ),
    Entry(
        "compat.torch.MultiStepLR",
        {"lr": R, "milestones": P("milestones"), "gamma": X},
        ({**_LR, "milestones": [30, 80]}, {**_LR, "milestones": [5, 5, 9], "gamma": 0.5}),
        (({**_LR, "milestones": "30"}, "milestones"),),
    ),
    Entry(
        "compat.torch.ConstantLR",
        {"lr": R, "factor": F, "total_iters": C},
        (_LR, {**_LR, "factor": 0.5, "total_iters": 10}),
        (({**_LR, "factor": "0.5"}, "factor"),),
    ),
    Entry(
        "compat.torch.LinearLR",
        {"lr": R, "start_factor": F, "end_factor": F, "total_iters": C},
        (_LR, {**_LR, "start_factor": 0.1, "end_factor": 1.0, "total_iters": 10}),
        (({**_LR, "start_factor": -1.0, "end_factor": 0.5}, "start_factor"),),
    ),
    Entry(
        "compat.torch.ExponentialLR",
        {"lr": R, "gamma": X},
        ({**_LR, "gamma": 0.9},),
        (({**_LR, "gamma": "0.9"}, "gamma"),),
    ),
    Entry(
        "compat.torch.PolynomialLR",
        {"lr": R, "total_iters": C, "power": X},
        (_LR, {**_LR, "total_iters": 10, "power": 2.0}),
        (({**_LR, "total_iters": "5"}, "total_iters"),),
    ),
    Entry(
        "compat.torch.CosineAnnealingLR",
        {"lr": R, "T_max": L, "eta_min": R},
        ({**_LR, "T_max": 100}, {**_LR, "T_max": 10, "eta_min": 0.001}),
        (({**_LR, "T_max": "10"}, "T_max"),),
    ),
    Entry(
        "compat.torch.CosineAnnealingWarmRestarts",
        {"lr": R, "T_0": C, "T_mult": C, "eta_min": R},
        ({**_LR, "T_0": 10}, {**_LR, "T_0": 10, "T_mult": 2, "eta_min": 0.001}),
        (({**_LR, "T_0": 0}, "T_0"),),
    ),
    Entry(
        "compat.torch.CyclicLR",
        {
            "base_lr": R,
            "max_lr": R,
            "step_size_up": L,
            "step_size_down": P("length", True),
            "mode": P("choice", False, "triangular", "triangular2", "exp_range"),
            "gamma": X,
        },
        (
            {"base_lr": 0.01, "max_lr": 0.1},
            {
                "base_lr": 0.01,
                "max_lr": 0.1,
                "step_size_up": 10,
                "step_size_down": 5,
                "mode": "exp_range",
                "gamma": 0.99,
            },
        ),
        (({"base_lr": 0.01, "max_lr": 0.1, "mode": "sine"}, "mode"),),
    ),
    Entry(
        "compat.torch.OneCycleLR",
        {
            "max_lr": R,
            "total_steps": P("count", True),
            "epochs": P("count", True),
            "steps_per_epoch": P("count", True),
            "pct_start": F,
            "anneal_strategy": P("choice", False, "cos", "linear"),
            "div_factor": X,
            "final_div_factor": X,
            "three_phase": B,
        },
        (
            {"max_lr": 0.1, "total_steps": 100},
            {
                "max_lr": 0.1,
                "epochs": 3,
                "steps_per_epoch": 10,
                "three_phase": True,
                "anneal_strategy": "linear",
            },
        ),
        (({"max_lr": 0.1, "total_steps": 100, "final_div_factor": "x"}, "final_div_factor"),),
    ),
    Entry(
        "compat.torch.SequentialLR",
        {"schedulers": P("schedules"), "milestones": P("milestones")},
        ({"schedulers": [an.Constant(0.1), _C1], "milestones": [5]},),
        (({"schedulers": [an.Constant(0.1), _C1], "milestones": "5"}, "milestones"),),
    ),
    Entry(
        "compat.torch.ChainedScheduler",
        {"schedulers": P("schedules"), "lr": R},
        ({"schedulers": [an.Constant(0.1), _C1], "lr": 0.1},),
        (({"schedulers": [an.Constant(0.1)], "lr": "0.1"}, "lr"),),
    ),
    Entry(
        "compat.torch.chain",
        {"schedulers": P("schedules"), "lr": R},
        ({"schedulers": [an.Step(0.1, 3), an.Exponential(0.1, rate=0.9)], "lr": 0.1},),
        (({"schedulers": "ab", "lr": 0.1}, "schedulers"),),
    ),
    Entry(
        "compat.torch.SWALR",
        {
            "lr": R,
            "swa_lr": R,
            "anneal_epochs": C,
            "anneal_strategy": P("choice", False, "cos", "linear"),
        },
        ({**_LR, "swa_lr": 0.05}, {**_LR, "swa_lr": 0.5, "anneal_epochs": 0}),
        (({**_LR, "swa_lr": 0.05, "anneal_strategy": "sine"}, "anneal_strategy"),),
    ),
    Entry(
        "compat.torch.CyclicMomentum",
        {
            "low": R,
            "high": R,
            "up": L,
            "down": P("length", True),
            "mode": P("choice", False, "triangular", "triangular2", "exp_range"),
            "gamma": X,
        },
        (
            {"low": 0.8, "high": 0.9, "up": 10},
            {"low": 0.85, "high": 0.95, "up": 10, "down": 5, "mode": "exp_range", "gamma": 0.99},
        ),
        (({"low": 0.8, "high": 0.9, "up": 10, "mode": "sine"}, "mode"),),
    ),
]

_OX = "compat.optax."
_OPTAX = [
    Entry(
        _OX + "constant_schedule", {"value": R}, ({"value": 0.1},), (({"value": "0.1"}, "value"),)
    ),
    Entry(
        _OX + "cosine_decay_schedule",
        {"init_value": R, "decay_steps": C, "alpha": F, "exponent": X},
        (
            {"init_value": 1.0, "decay_steps": 100},
            {"init_value": 1.0, "decay_steps": 10, "alpha": 0.1, "exponent": 2.0},
        ),
        (({"init_value": 1.0, "decay_steps": "100"}, "decay_steps"),),
    ),
    Entry(
        _OX + "cosine_onecycle_schedule",
        {
            "transition_steps": C,
            "peak_value": R,
            "pct_start": F,
            "div_factor": X,
            "final_div_factor": X,
        },
        ({"transition_steps": 100, "peak_value": 1.0},),
        (({"transition_steps": 100, "peak_value": "1"}, "peak_value"),),
    ),
    Entry(
        _OX + "exponential_decay",
        {
            "init_value": R,
            "transition_steps": C,
            "decay_rate": X,
            "transition_begin": C,
            "staircase": B,
            "end_value": P("rate", True),
        },
        (
            {"init_value": 1.0, "transition_steps": 10, "decay_rate": 0.5},
            {
                "init_value": 1.0,
                "transition_steps": 10,
                "decay_rate": 0.5,
                "transition_begin": 5,
                "staircase": True,
                "end_value": 0.1,
            },
        ),
        (({"init_value": 1.0, "transition_steps": 10, "decay_rate": "0.5"}, "decay_rate"),),
    ),
    Entry(
        _OX + "join_schedules",
        {"schedules": P("schedules"), "boundaries": P("milestones")},
        ({"schedules": [an.Constant(0.1), _C1], "boundaries": [5]},),
        (({"schedules": [an.Constant(0.1), _C1], "boundaries": "5"}, "boundaries"),),
    ),
    Entry(
        _OX + "linear_onecycle_schedule",
        {
            "transition_steps": C,
            "peak_value": R,
            "pct_start": F,
            "pct_final": F,
            "div_factor": X,
            "final_div_factor": X,
        },
        ({"transition_steps": 100, "peak_value": 1.0},),
        (({"transition_steps": "100", "peak_value": 1.0}, "transition_steps"),),
    ),
    Entry(
        _OX + "linear_schedule",
        {"init_value": R, "end_value": R, "transition_steps": C, "transition_begin": C},
        (
            {"init_value": 1.0, "end_value": 0.0, "transition_steps": 10},
            {"init_value": 0.0, "end_value": 1.0, "transition_steps": 10, "transition_begin": 3},
        ),
        (({"init_value": 1.0, "end_value": "0", "transition_steps": 10}, "end_value"),),
    ),
    Entry(
        _OX + "piecewise_constant_schedule",
        {"init_value": R, "boundaries_and_scales": P("scales", True)},
        ({"init_value": 0.1}, {"init_value": 0.1, "boundaries_and_scales": {10: 0.5, 20: 0.1}}),
        (({"init_value": "0.1"}, "init_value"),),
    ),
    Entry(
        _OX + "piecewise_interpolate_schedule",
        {
            "interpolate_type": P("choice", False, "linear", "cosine"),
            "init_value": R,
            "boundaries_and_scales": P("scales", True),
        },
        ({"interpolate_type": "linear", "init_value": 1.0, "boundaries_and_scales": {10: 0.5}},),
        (({"interpolate_type": "spline", "init_value": 1.0}, "interpolate_type"),),
    ),
    Entry(
        _OX + "polynomial_schedule",
        {"init_value": R, "end_value": R, "power": X, "transition_steps": C, "transition_begin": C},
        ({"init_value": 1.0, "end_value": 0.0, "power": 2.0, "transition_steps": 10},),
        (({"init_value": 1.0, "end_value": 0.0, "power": "2", "transition_steps": 10}, "power"),),
    ),
    Entry(
        _OX + "sgdr_schedule",
        {"cosine_kwargs": P("cycles")},
        (
            {
                "cosine_kwargs": [
                    {"init_value": 0.0, "peak_value": 1.0, "warmup_steps": 2, "decay_steps": 10}
                ]
                * 3
            },
        ),
        (({"cosine_kwargs": 5}, "cosine_kwargs"),),
    ),
    Entry(
        _OX + "warmup_constant_schedule",
        {"init_value": R, "peak_value": R, "warmup_steps": C},
        ({"init_value": 0.0, "peak_value": 1.0, "warmup_steps": 10},),
        (({"init_value": 0.0, "peak_value": 1.0, "warmup_steps": "10"}, "warmup_steps"),),
    ),
    Entry(
        _OX + "warmup_cosine_decay_schedule",
        {
            "init_value": R,
            "peak_value": R,
            "warmup_steps": C,
            "decay_steps": C,
            "end_value": R,
            "exponent": X,
        },
        (
            {"init_value": 0.0, "peak_value": 1.0, "warmup_steps": 10, "decay_steps": 100},
            {
                "init_value": 0.0,
                "peak_value": 1.0,
                "warmup_steps": 10,
                "decay_steps": 100,
                "end_value": 0.01,
                "exponent": 2.0,
            },
        ),
        (
            (
                {"init_value": 0.0, "peak_value": 1.0, "warmup_steps": 10, "decay_steps": "100"},
                "decay_steps",
            ),
        ),
    ),
    Entry(
        _OX + "warmup_exponential_decay_schedule",
        {
            "init_value": R,
            "peak_value": R,
            "warmup_steps": C,
            "transition_steps": C,
            "decay_rate": X,
            "transition_begin": C,
            "staircase": B,
            "end_value": P("rate", True),
        },
        (
            {
                "init_value": 0.0,
                "peak_value": 1.0,
                "warmup_steps": 10,
                "transition_steps": 10,
                "decay_rate": 0.5,
            },
        ),
        (
            (
                {
                    "init_value": 0.0,
                    "peak_value": 1.0,
                    "warmup_steps": 10,
                    "transition_steps": 10,
                    "decay_rate": "x",
                },
                "decay_rate",
            ),
        ),
    ),
]

_KX = "compat.keras."
_IL = {"initial_learning_rate": 0.1}
_KERAS = [
    Entry(
        _KX + "CosineDecay",
        {
            "initial_learning_rate": R,
            "decay_steps": L,
            "alpha": F,
            "name": P("name"),
            "warmup_target": P("rate", True),
            "warmup_steps": S,
        },
        (
            {**_IL, "decay_steps": 100},
            {**_IL, "decay_steps": 100, "alpha": 0.1, "warmup_target": 1.0, "warmup_steps": 10},
        ),
        (({**_IL, "decay_steps": "100"}, "decay_steps"),),
    ),
    Entry(
        _KX + "CosineDecayRestarts",
        {
            "initial_learning_rate": R,
            "first_decay_steps": L,
            "t_mul": X,
            "m_mul": X,
            "alpha": F,
            "name": P("name"),
        },
        (
            {**_IL, "first_decay_steps": 10},
            {**_IL, "first_decay_steps": 10, "t_mul": 1.0, "m_mul": 0.5, "alpha": 0.1},
        ),
        (({**_IL, "first_decay_steps": "10"}, "first_decay_steps"),),
    ),
    Entry(
        _KX + "ExponentialDecay",
        {
            "initial_learning_rate": R,
            "decay_steps": L,
            "decay_rate": X,
            "staircase": B,
            "name": P("name"),
        },
        (
            {**_IL, "decay_steps": 10, "decay_rate": 0.5},
            {**_IL, "decay_steps": 10, "decay_rate": 0.5, "staircase": True},
        ),
        (({**_IL, "decay_steps": 10, "decay_rate": "0.5"}, "decay_rate"),),
    ),
    Entry(
        _KX + "InverseTimeDecay",
        {
            "initial_learning_rate": R,
            "decay_steps": L,
            "decay_rate": R,
            "staircase": B,
            "name": P("name"),
        },
        ({**_IL, "decay_steps": 10, "decay_rate": 0.5},),
        (({**_IL, "decay_steps": "10", "decay_rate": 0.5}, "decay_steps"),),
    ),
    Entry(
        _KX + "PiecewiseConstantDecay",
        {"boundaries": P("milestones"), "values": P("values"), "name": P("name")},
        ({"boundaries": [10, 20], "values": [1.0, 0.5, 0.1]},),
        (({"boundaries": [10, 20], "values": [1.0]}, "values"),),
    ),
    Entry(
        _KX + "PolynomialDecay",
        {
            "initial_learning_rate": R,
            "decay_steps": L,
            "end_learning_rate": R,
            "power": X,
            "cycle": B,
            "name": P("name"),
        },
        (
            {**_IL, "decay_steps": 10},
            {**_IL, "decay_steps": 10, "end_learning_rate": 0.01, "power": 2.0, "cycle": True},
        ),
        (({**_IL, "decay_steps": "10"}, "decay_steps"),),
    ),
]

_TX = "compat.transformers."
_W = {"lr": 0.1, "num_warmup_steps": 10}
_WT = {**_W, "num_training_steps": 100}
_TRANSFORMERS = [
    Entry(_TX + "get_constant_schedule", {"lr": R}, (_LR,), (({"lr": "0.1"}, "lr"),)),
    Entry(
        _TX + "get_constant_schedule_with_warmup",
        {"lr": R, "num_warmup_steps": C},
        (_W,),
        (({"lr": 0.1, "num_warmup_steps": "10"}, "num_warmup_steps"),),
    ),
    Entry(
        _TX + "get_cosine_schedule_with_warmup",
        {"lr": R, "num_warmup_steps": C, "num_training_steps": C, "num_cycles": X},
        (_WT, {**_WT, "num_cycles": 2.0}),
        (({**_W, "num_training_steps": "100"}, "num_training_steps"),),
    ),
    Entry(
        _TX + "get_cosine_with_hard_restarts_schedule_with_warmup",
        {"lr": R, "num_warmup_steps": C, "num_training_steps": C, "num_cycles": X},
        (_WT, {**_WT, "num_cycles": 3}),
        (({**_WT, "num_cycles": "3"}, "num_cycles"),),
    ),
    Entry(
        _TX + "get_cosine_with_min_lr_schedule_with_warmup",
        {
            "lr": R,
            "num_warmup_steps": C,
            "num_training_steps": C,
            "num_cycles": X,
            "min_lr": P("rate", True),
            "min_lr_rate": P("fraction", True),
            "lr_init": P("rate", True),
        },
        ({**_WT, "min_lr": 0.001}, {**_WT, "min_lr_rate": 0.1}),
        (({**_WT, "min_lr": "x"}, "min_lr"),),
    ),
    Entry(
        _TX + "get_inverse_sqrt_schedule",
        {"lr": R, "num_warmup_steps": C, "timescale": P("length", True)},
        (_W, {**_W, "timescale": 100}),
        (({**_W, "timescale": "100"}, "timescale"),),
    ),
    Entry(
        _TX + "get_linear_schedule_with_warmup",
        {"lr": R, "num_warmup_steps": C, "num_training_steps": C},
        (_WT,),
        (({**_W, "num_training_steps": "100"}, "num_training_steps"),),
    ),
    Entry(
        _TX + "get_polynomial_decay_schedule_with_warmup",
        {
            "lr": R,
            "num_warmup_steps": C,
            "num_training_steps": C,
            "lr_end": R,
            "power": X,
            "lr_init": P("rate", True),
        },
        (_WT, {**_WT, "lr_end": 0.001, "power": 2.0}),
        (({**_WT, "power": "2"}, "power"),),
    ),
    Entry(
        _TX + "get_wsd_schedule",
        {
            "lr": R,
            "num_warmup_steps": C,
            "num_decay_steps": C,
            "num_training_steps": P("count", True),
            "num_stable_steps": P("count", True),
            "warmup_type": P("choice", False, "linear", "cosine", "1-sqrt"),
            "decay_type": P("choice", False, "linear", "cosine", "1-sqrt"),
            "min_lr_ratio": F,
            "num_cycles": X,
        },
        (
            {**_W, "num_decay_steps": 10, "num_stable_steps": 80},
            {**_W, "num_decay_steps": 10, "num_training_steps": 100},
        ),
        (({**_W, "num_decay_steps": 10, "num_stable_steps": 80, "decay_type": "x"}, "decay_type"),),
    ),
]

_TM = "compat.timm."
_CYC = {
    "lr_min": R,
    "cycle_mul": X,
    "cycle_decay": X,
    "cycle_limit": C,
    "warmup_t": C,
    "warmup_lr_init": R,
    "warmup_prefix": B,
}
_WSD = {
    "lr": R,
    "t_initial": L,
    "decay_t": L,
    "lr_min": R,
    "stable_fn": P("choice", False, "constant", "rsqrt", "power"),
    "stable_timescale": P("real", True),
    "stable_power": X,
    "decay_fn": P("choice", False, "linear", "1-sqrt", "cosine", "power", "exp"),
    "decay_power": X,
    "decay_ratio": F,
    "warmup_t": S,
    "warmup_lr_init": R,
}
_TIMM = [
    Entry(
        _TM + "CosineLRScheduler",
        {"lr": R, "t_initial": C, **_CYC, "k_decay": X},
        (
            {**_LR, "t_initial": 100},
            {
                **_LR,
                "t_initial": 10,
                "lr_min": 0.001,
                "cycle_mul": 2.0,
                "cycle_decay": 0.5,
                "cycle_limit": 3,
                "warmup_t": 3,
                "warmup_lr_init": 0.001,
            },
        ),
        (({**_LR, "t_initial": "100"}, "t_initial"),),
    ),
    Entry(
        _TM + "MultiStepLRScheduler",
        {
            "lr": R,
            "decay_t": P("milestones"),
            "decay_rate": X,
            "warmup_t": C,
            "warmup_lr_init": R,
            "warmup_prefix": B,
        },
        ({**_LR, "decay_t": [30, 60], "decay_rate": 0.5},),
        (({**_LR, "decay_t": [30, 60], "decay_rate": "x"}, "decay_rate"),),
    ),
    Entry(
        _TM + "PolyLRScheduler",
        {"lr": R, "t_initial": C, "power": X, **_CYC, "k_decay": X},
        ({**_LR, "t_initial": 100}, {**_LR, "t_initial": 10, "power": 2.0, "cycle_limit": 2}),
        (({**_LR, "t_initial": "100"}, "t_initial"),),
    ),
    Entry(
        _TM + "StepLRScheduler",
        {
            "lr": R,
            "decay_t": L,
            "decay_rate": X,
            "warmup_t": C,
            "warmup_lr_init": R,
            "warmup_prefix": B,
        },
        ({**_LR, "decay_t": 30, "decay_rate": 0.5},),
        (({**_LR, "decay_t": "30"}, "decay_t"),),
    ),
    Entry(
        _TM + "TanhLRScheduler",
        {"lr": R, "t_initial": C, "lb": P("real"), "ub": P("real"), **_CYC},
        (
            {**_LR, "t_initial": 100},
            {**_LR, "t_initial": 10, "lb": -3.0, "ub": 5.0, "cycle_limit": 2},
        ),
        (({**_LR, "t_initial": "100"}, "t_initial"),),
    ),
]

# TimmWSD and WSDLRScheduler (an.parse reads their repr too: tests/test_parse.py)
_TIMM_WSD = [
    Entry(
        _TM + "TimmWSD",
        _WSD,
        (
            {**_LR, "t_initial": 100, "decay_t": 20},
            {
                **_LR,
                "t_initial": 100,
                "decay_t": 30,
                "lr_min": 0.001,
                "stable_fn": "power",
                "stable_timescale": 10.0,
                "decay_fn": "exp",
                "warmup_t": 5,
                "warmup_lr_init": 0.01,
            },
        ),
        (({**_LR, "t_initial": 100, "decay_t": 200}, "decay_t"),),
    ),
    Entry(
        _TM + "WSDLRScheduler",
        _WSD,
        (
            {**_LR, "t_initial": 100, "decay_t": 20, "warmup_t": 5},
            {**_LR, "t_initial": 50, "decay_t": 50, "stable_fn": "rsqrt", "warmup_t": 10},
        ),
        (({**_LR, "t_initial": 100, "decay_t": 20, "decay_fn": "sqrt"}, "decay_fn"),),
    ),
]

# annealing.units (imported on demand): Timed builds a schedule; its other names are values
_COUNT = P("count", True)
_UNITS = [
    Entry(
        "units.Timed",
        {
            "schedule": P("name"),
            "horizon": P("name"),
            "duration": P("name"),
            "samples_per_epoch": _COUNT,
            "steps_per_epoch": _COUNT,
            "batches_per_epoch": _COUNT,
            "batch": _COUNT,
            "accumulation": C,
            "processes": C,
            "tokens_per_sample": _COUNT,
            "rounding": P("choice", False, "exact", "floor", "ceil"),
        },
        (
            {
                "schedule": "Warmup(Cosine(0.1, 0.0, '9ep'), warmup='1ep')",
                "samples_per_epoch": 1024,
                "batch": 32,
                "duration": "10ep",
            },
            {"schedule": "WSD(1.0, '0.05dur', '0.75dur', '0.2dur')", "duration": 1000},
            {
                "schedule": "Sequence((Linear(0.0, 1.0, '128sp'), Cosine(1.0, 0.0, '1e6tok')))",
                "batch": 8,
                "processes": 2,
                "tokens_per_sample": 512,
                "rounding": "ceil",
            },
        ),
        (
            ({"schedule": "Cosine(1.0, 0.0, 10)", "batch": 0}, "batch"),
            ({"schedule": "Cosine(1.0, 0.0, '2ep')"}, "steps_per_epoch"),
            ({"schedule": 5}, "schedule"),
            ({"schedule": "Cosine(1.0, 0.0, 10)", "duration": "0.5dur"}, "duration"),
        ),
    ),
]

ENTRIES: dict[str, Entry] = {
    e.name: e
    for e in FAMILY_ENTRIES + _TORCH + _OPTAX + _KERAS + _TRANSFORMERS + _TIMM + _TIMM_WSD + _UNITS
}

# Public names of annealing.__all__ that are not constructors, and where they are fuzzed.
OTHER_ENTRY_POINTS = {
    "Schedule": "the base class: every entry builds one",
    "from_dict": "fuzzed on mutated dicts (tests/fuzzing.py: from_dict)",
    "parse": "the grammar, fuzzed on reprs and mutated texts (tests/fuzzing.py: parser)",
    "parse_several": "the grammar, through the CLI (several schedules)",
    "plot": "matplotlib output of schedules; fuzzed through the CLI's plot command",
    "trace": "records a live PyTorch scheduler: tests/test_torch.py",
    "diagnose": "series and hostile log files: test_fuzz_entry_points.py, test_diagnose.py",
    "register": "the explicit registration for from_dict (issue 11, item 4)",
    # annealing.units: values, not schedules (Timed has an Entry)
    "units": "the module an.units: its names are listed as units.<name>",
    "units.Time": "a time, not a schedule: hostile values, strings: test_fuzz_entry_points.py",
    "units.Horizon": "the facts of a run, not a schedule: test_fuzz_entry_points.py",
    "units.epochs": "Time(value, 'ep'): tests/test_units.py",
    "units.batches": "Time(value, 'ba'): tests/test_units.py",
    "units.samples": "Time(value, 'sp'): tests/test_units.py",
    "units.tokens": "Time(value, 'tok'): tests/test_units.py",
    "units.dur": "Time(value, 'dur'): tests/test_units.py",
    "units.UNITS": "a constant",
    "units.LENGTHS": "a constant: checked against the constructors in tests/test_units.py",
    "units.ROUNDINGS": "a constant",
    "units.MAX_TEXT": "a constant",
    # compat entry points that build no data schedule (a callable, a metric, a mapping, a name)
    "compat.torch.LambdaLR": "calls user code: hostile lambdas, test_fuzz_entry_points.py",
    "compat.torch.MultiplicativeLR": "calls user code: hostile lambdas, test_fuzz_entry_points.py",
    "compat.torch.ReduceLROnPlateau": "a metric-driven Plateau: tests/test_fuzz_entry_points.py",
    "compat.torch.one_cycle": "a mapping of OneCycleLR schedules: tests/test_fuzz_entry_points.py",
    "compat.torch.cyclic": "a mapping of CyclicLR schedules: tests/test_fuzz_entry_points.py",
    "compat.torch.attributes": "reads a schedule back: tests/compat/test_compat_attributes.py",
    "compat.timm.PlateauLRScheduler": "a metric-driven Plateau: tests/test_fuzz_entry_points.py",
    "compat.timm.create_scheduler_v2": "by name: tests/test_fuzz_entry_points.py",
    "compat.transformers.get_scheduler": "by name: tests/test_fuzz_entry_points.py",
    "compat.transformers.get_reduce_on_plateau_schedule": "a Plateau: test_fuzz_entry_points.py",
}


def public_names() -> set[str]:
    """Every public name the catalogue must cover: annealing.__all__ and compat.<fw>.__all__."""
    names = {n for n in an.__all__ if n not in OTHER_ENTRY_POINTS}
    import annealing.compat as compat
    import annealing.units as units

    names |= {f"units.{n}" for n in units.__all__} - set(OTHER_ENTRY_POINTS)

    frameworks = getattr(compat, "FRAMEWORKS", ("torch", "optax", "keras", "transformers", "timm"))
    for fw in frameworks:
        module = importlib.import_module(f"annealing.compat.{fw}")
        names |= {f"compat.{fw}.{n}" for n in module.__all__} - set(OTHER_ENTRY_POINTS)
    return names
