"""Schedule → loss: the convex last-iterate bound, loss laws fitted on training runs, and the
public training logs they are checked against.

``import annealing`` does not import this subpackage. The bound and the logs need numpy only;
evaluating and fitting a law needs scipy (``pip install scipy``)::

    >>> from annealing import Constant
    >>> from annealing.laws import bound
    >>> bound(Constant(0.5), steps=2)
    1.0
"""

from __future__ import annotations

from .band import Ensemble, resample
from .bound import OptimalScale, bound, bound_curve, optimal_scale
from .choose import FAMILIES, Optimum, optimize
from .law import LAWS, Law, fit
from .logs import Model, Run, ScheduleConfig, logs

__all__ = [
    "FAMILIES",
    "LAWS",
    "Ensemble",
    "Law",
    "Model",
    "OptimalScale",
    "Optimum",
    "Run",
    "ScheduleConfig",
    "bound",
    "bound_curve",
    "fit",
    "logs",
    "optimal_scale",
    "optimize",
    "resample",
]
