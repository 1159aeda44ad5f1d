"""Every major framework's schedulers, reproduced exactly as ``annealing`` schedules.

One module per framework, each a set of functions with the framework's own names and
argument names (plus ``lr`` where the framework reads the base rate from the optimizer):
:mod:`annealing.compat.torch`, :mod:`annealing.compat.optax`, :mod:`annealing.compat.keras`,
:mod:`annealing.compat.transformers` and :mod:`annealing.compat.timm`. None of them imports
its framework: they are arithmetic, checked against the real packages by ``tests/compat``.
"""

from __future__ import annotations
