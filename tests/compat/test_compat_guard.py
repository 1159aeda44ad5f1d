"""Every compat constructor, under random hostile arguments: ValueError or TypeError only,
named after the framework's function, and an accepted schedule gives finite values >= 0.

No framework is needed: this walks the signatures of ``annealing.compat.*.__all__`` and
fills every parameter at once from the hostile grids of tests/compat/_hostile.py (seeded,
so every run draws the same arguments). The pinned cases are the ones the trust issue
found (#11).
"""

from __future__ import annotations

import inspect
import math
import random
import warnings
from typing import Any

import numpy as np
import pytest

from annealing.compat import keras as kx
from annealing.compat import optax as ox
from annealing.compat import timm as tm
from annealing.compat import torch as pt
from annealing.compat import transformers as hf

from . import _hostile as h

MODULES = (pt, ox, kx, hf, tm)
FUNCTIONS = [
    (m.__name__.rsplit(".", 1)[1], name, getattr(m, name))
    for m in MODULES
    for name in m.__all__
    if name not in ("SequentialLR", "join_schedules")  # they take schedules
]
DRAWS = 600  # random constructions per function
POOL = (*h.FLOATS, *h.INTS, *h.BOOLS, "cos", "linear", [10, 20], {10: 0.5}, [0.1, 0.05, 0.01])
STEPS = np.array([0.0, 1.0, 2.5, 7.0, 100.0, 1e4, 1e9, 1e15, 1e300])


def draw(rng: random.Random, parameter: inspect.Parameter) -> Any:
    if parameter.name == "name":
        return "x"
    if parameter.default is not inspect.Parameter.empty and rng.random() < 0.4:
        return parameter.default
    return rng.choice(POOL)


@pytest.mark.parametrize(
    ("fw", "name", "function"), FUNCTIONS, ids=[f"{f}.{n}" for f, n, _ in FUNCTIONS]
)
def test_only_value_and_type_errors_named_after_the_function(
    fw: str, name: str, function: Any
) -> None:
    rng = random.Random(f"{fw}.{name}")
    parameters = list(inspect.signature(function).parameters.values())
    accepted = 0
    for _ in range(DRAWS):
        kwargs = {p.name: draw(rng, p) for p in parameters}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                schedule = function(**kwargs)
        except (ValueError, TypeError) as error:
            assert str(error).startswith(f"{name}: "), (kwargs, error)
            assert "unforeseen" not in str(error), (kwargs, error)
            continue
        accepted += 1
        for each in _schedules(schedule):
            with np.errstate(all="ignore"):
                values = np.asarray(each(STEPS), dtype=np.float64)
            scalars = [each(float(t)) for t in STEPS]
            assert np.isfinite(values).all() and (values >= 0).all(), (kwargs, values)
            assert all(math.isfinite(x) and x >= 0 for x in scalars), (kwargs, scalars)
    assert accepted < DRAWS  # the hostile draws are not all accepted


def _schedules(result: Any) -> list[Any]:
    """The schedules a compat function gave: itself, a mapping's values (one_cycle, cyclic),
    a Plateau's replay, or the first of timm's (schedule, num_epochs)."""
    from annealing.plateau import Plateau

    if isinstance(result, tuple):  # create_scheduler_v2
        return _schedules(result[0]) if result[0] is not None else []
    if isinstance(result, dict):
        return list(result.values())
    if isinstance(result, Plateau):
        result.step(1.0)
        result.step(math.nan)
        return [result.schedule()]
    return [result]


def message(call: Any) -> tuple[type[Exception], str]:
    try:
        call()
    except Exception as error:  # the type is what is checked
        return type(error), str(error)
    raise AssertionError("accepted")


def test_pinned_the_cases_of_issue_11() -> None:
    kind, text = message(lambda: pt.LinearLR(0.1, start_factor=1.1))
    assert kind is ValueError and text.startswith("LinearLR: start_factor must be"), text
    kind, text = message(lambda: pt.LinearLR(-1.0, end_factor=0.5))
    assert kind is ValueError and text.startswith("LinearLR: lr must be"), text
    kind, text = message(lambda: pt.OneCycleLR(0.1, total_steps=100, final_div_factor=0))
    assert kind is ValueError and text.startswith("OneCycleLR: final_div_factor must be"), text
    kind, text = message(lambda: ox.piecewise_constant_schedule(0.1, 5))  # type: ignore[arg-type]
    assert kind is TypeError and "boundaries_and_scales" in text, text
    kind, text = message(lambda: pt.CosineAnnealingWarmRestarts(0.1, T_0=0))
    assert kind is ValueError and text.startswith("CosineAnnealingWarmRestarts: T_0"), text
    kind, text = message(lambda: ox.cosine_decay_schedule(10**400, 10))
    assert kind is ValueError and "init_value" in text, text


def test_pinned_keras_restarts_take_m_mul_above_one() -> None:
    s = kx.CosineDecayRestarts(0.1, first_decay_steps=10, t_mul=1.0, m_mul=4.0)
    assert [s(t) for t in (0, 10, 20)] == pytest.approx([0.1, 0.4, 1.6], rel=1e-15)
    assert math.isfinite(s(1e300)) and s(1e300) >= 0


def test_pinned_joins_check_their_parts() -> None:
    one, two = pt.ConstantLR(0.1), pt.ExponentialLR(0.1, 0.5)
    for join, name in ((pt.SequentialLR, "SequentialLR"), (ox.join_schedules, "join_schedules")):
        kind, text = message(lambda join=join: join([one, "x"], [3]))
        assert kind is TypeError and text.startswith(f"{name}: schedule"), text
        kind, text = message(lambda join=join: join([one, two], [h.NAN]))
        assert kind is ValueError and text.startswith(f"{name}: ") and "[0]" in text, text
        kind, text = message(lambda join=join: join([one, two], 3))
        assert kind is TypeError and text.startswith(f"{name}: "), text
    # PyTorch: "Expected number of milestones to be equal to the number of schedulers minus 1"
    kind, text = message(lambda: pt.SequentialLR([one, two], [3, 5]))
    assert kind is ValueError and "milestones" in text, text
