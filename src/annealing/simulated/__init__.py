"""Simulated annealing with ``annealing`` schedules as temperature schedules.

Import it explicitly (``import annealing`` does not)::

    from annealing import simulated
    result = simulated.anneal(simulated.TravellingSalesman.circle(20), steps=100_000)

See :func:`anneal` for the annealer, :class:`Problem` for the protocol a problem follows, and
the built-in problems :class:`TravellingSalesman`, :class:`Ising` and the continuous test
functions :class:`Rastrigin`, :class:`Ackley`, :class:`Schwefel`, :class:`Rosenbrock`.
"""

from ._anneal import (
    Result,
    Status,
    Trace,
    anneal,
    default_temperature,
    initial_temperature,
)
from ._problem import Problem
from .continuous import Ackley, ContinuousFunction, Rastrigin, Rosenbrock, Schwefel
from .ising import Ising
from .tsp import TravellingSalesman, read_tour

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
    "Trace",
    "TravellingSalesman",
    "anneal",
    "default_temperature",
    "initial_temperature",
    "read_tour",
]
