"""Conformance against the real peer packages: fixtures and the table of counts.

Every test compares an ``annealing.compat`` schedule with the real scheduler at every step
from 0 to (at least) twice the horizon, in float64, within ``TOL`` of the schedule's peak.
The counts of configurations and steps compared are printed at the end of the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from support import require

from ._check import COUNTS

os.environ.setdefault("KERAS_BACKEND", "jax")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not COUNTS:
        return
    terminalreporter.section("annealing.compat conformance (configurations x steps)")
    for name in sorted(COUNTS):
        configs, steps = COUNTS[name]
        terminalreporter.write_line(f"{name:60s} {configs:5d} configs {steps:9d} steps")


@pytest.fixture
def x64() -> Iterator[Any]:
    """JAX in float64 for the duration of one test (optax and Keras compare in float64)."""
    jax = require("jax")
    previous = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    try:
        yield jax
    finally:
        jax.config.update("jax_enable_x64", previous)
