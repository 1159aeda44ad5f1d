"""annealing: learning-rate schedules, exactly.

Every schedule is an immutable value and a function of the step::

    >>> import annealing as an
    >>> lr = an.Warmup(an.Cosine(start=0.1, end=0.0, steps=900), warmup=100)
    >>> round(lr(550), 12)
    0.05

See https://annealing docs (Reference) for the catalogue of families and combinators.
"""

from __future__ import annotations

from . import units
from .constant import Constant
from .cosine import Cosine
from .cyclic import Cyclic
from .diagnose import diagnose
from .exponential import Exponential
from .grammar import parse
from .inverse_sqrt import InverseSqrt
from .inverse_time import InverseTime
from .linear import Linear, Polynomial
from .onecycle import OneCycle
from .piecewise import Piecewise
from .plotting import plot
from .polynomial_cycles import PolynomialCycles
from .restarts import SGDR, Restarts
from .scale import Scale
from .schedule import Schedule, from_dict, register
from .sequence import Sequence
from .step import MultiStep, Step
from .tanh import Tanh
from .trace import trace
from .warmup import Warmup
from .warp import Offset, Warp
from .wsd import WSD

__version__ = "0.1.0"

__all__ = [
    "SGDR",
    "WSD",
    "Constant",
    "Cosine",
    "Cyclic",
    "Exponential",
    "InverseSqrt",
    "InverseTime",
    "Linear",
    "MultiStep",
    "Offset",
    "OneCycle",
    "Piecewise",
    "Polynomial",
    "PolynomialCycles",
    "Restarts",
    "Scale",
    "Schedule",
    "Sequence",
    "Step",
    "Tanh",
    "Warmup",
    "Warp",
    "diagnose",
    "from_dict",
    "parse",
    "plot",
    "register",
    "trace",
    "units",
]
