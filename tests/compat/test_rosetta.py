"""The comparison table annealing/compat/rosetta.json: its schema, and every code snippet run
against the real framework and compared with its ``equivalent`` annealing schedule."""

from __future__ import annotations

import json
import os
from importlib import resources
from typing import Any

import numpy as np
import pytest
from support import require

import annealing as an
import annealing.compat.keras
import annealing.compat.optax
import annealing.compat.timm
import annealing.compat.torch
import annealing.compat.transformers  # an.compat.<framework> in the table

from ._timm import scheduler_module

TABLE = json.loads(resources.files("annealing.compat").joinpath("rosetta.json").read_text())
ENTRIES = [
    (family, framework, entry)
    for family, frameworks in TABLE["families"].items()
    for framework, entry in frameworks.items()
]
CONVENTIONS = {"past_end", "warmup", "first_step", "floor_decay", "boundary"}


def test_schema() -> None:
    assert TABLE["format"] == 1
    assert set(TABLE["conventions"]) == CONVENTIONS
    for framework, info in TABLE["frameworks"].items():
        assert {"package", "compat", "binds", "tested_with", "time"} <= set(info), framework
    assert len(ENTRIES) >= 40
    for family, framework, entry in ENTRIES:
        where = f"{family}/{framework}"
        assert family in an.__all__ and callable(getattr(an, family)), where  # a core family
        assert framework in TABLE["frameworks"], where
        assert set(entry) == {"name", "code", "equivalent", "steps", "note", "conventions"}, where
        assert set(entry["conventions"]) == CONVENTIONS, where
        assert isinstance(entry["steps"], int) and entry["steps"] > 0, where
        binds = TABLE["frameworks"][framework]["binds"]
        assert f"{binds} = " in entry["code"], where
        schedule = eval(entry["equivalent"], {"an": an})
        assert isinstance(schedule, an.Schedule), where


def native(framework: str, code: str, steps: int) -> np.ndarray:
    if framework in ("optax", "Keras"):
        jax = require("jax")
        if framework == "Keras":
            os.environ.setdefault("KERAS_BACKEND", "jax")
            require("keras")
        else:
            require("optax")
        namespace: dict[str, Any] = {}
        exec(code, namespace)
        return np.asarray(jax.vmap(namespace["schedule"])(jax.numpy.arange(steps)), np.float64)
    require("torch")
    if framework == "Transformers":
        require("transformers")
    if framework == "timm":
        scheduler_module("scheduler")  # timm's modules, without timm/__init__ (torchvision)
    namespace = {}
    exec(code, namespace)
    return np.asarray(an.trace(namespace["scheduler"], steps), np.float64)


@pytest.mark.peer
@pytest.mark.parametrize(
    ("family", "framework"), [(f, fw) for f, fw, _ in ENTRIES], ids=lambda x: str(x)
)
def test_snippet_matches_its_equivalent(family: str, framework: str) -> None:
    entry = TABLE["families"][family][framework]
    theirs = native(framework, entry["code"], entry["steps"])
    ours = eval(entry["equivalent"], {"an": an})(np.arange(entry["steps"]))
    # float32 frameworks (optax without x64, Keras) round to ~1e-7; the exact comparisons at
    # 1e-12 are the conformance tests
    assert np.allclose(ours, theirs, rtol=0, atol=5e-7 * np.max(np.abs(ours))), (family, framework)
