"""Simulated annealing with ``annealing`` schedules as temperature schedules.

Import it explicitly (``import annealing`` does not)::

    from annealing import simulated
    result = simulated.anneal(simulated.TravellingSalesman.circle(20), steps=100_000)

See :func:`anneal` for the annealer (and :func:`load_checkpoint` to resume a run saved as
JSON), :class:`Problem` for the protocol a problem follows, and the built-in problems
:class:`TravellingSalesman`, :class:`Ising` and the continuous test functions
:class:`Rastrigin`, :class:`Ackley`, :class:`Schwefel`, :class:`Rosenbrock`;
:func:`temper` for replica exchange (parallel tempering).

The names are loaded on first use, so that ``annealing.simulated._cli`` (imported by the
``annealing`` command to register ``annealing sa``) stays cheap to import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_HOMES = {
    "Result": "._anneal",
    "Status": "._anneal",
    "Trace": "._anneal",
    "anneal": "._anneal",
    "default_temperature": "._anneal",
    "initial_temperature": "._anneal",
    "Problem": "._problem",
    "load_checkpoint": "._checkpoint",
    "Ackley": ".continuous",
    "ContinuousFunction": ".continuous",
    "Rastrigin": ".continuous",
    "Rosenbrock": ".continuous",
    "Schwefel": ".continuous",
    "Ising": ".ising",
    "Sweeps": ".ising",
    "TravellingSalesman": ".tsp",
    "read_tour": ".tsp",
    "Tempering": ".tempering",
    "temper": ".tempering",
}

__all__ = [
    "Ackley",
    "ContinuousFunction",
    "Ising",
    "Problem",
    "Rastrigin",
    "Result",
    "Rosenbrock",
    "Schwefel",
    "Status",
    "Sweeps",
    "Tempering",
    "Trace",
    "TravellingSalesman",
    "anneal",
    "default_temperature",
    "initial_temperature",
    "load_checkpoint",
    "read_tour",
    "temper",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'annealing.simulated' has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))


if TYPE_CHECKING:
    from ._anneal import (
        Result,
        Status,
        Trace,
        anneal,
        default_temperature,
        initial_temperature,
    )
    from ._checkpoint import load_checkpoint
    from ._problem import Problem
    from .continuous import Ackley, ContinuousFunction, Rastrigin, Rosenbrock, Schwefel
    from .ising import Ising
    from .tempering import Tempering, temper
    from .tsp import TravellingSalesman, read_tour
