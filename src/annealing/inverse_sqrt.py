"""Inverse square-root decay."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from . import _validate as v
from .schedule import _EXACT_INT, _INF, Schedule, _compile

_sqrt = math.sqrt


@dataclass(frozen=True, repr=False)
class InverseSqrt(Schedule):
    r"""Inverse square-root decay: :math:`\eta_t = \eta_0 / \sqrt{1 + t/\tau}`.

    The schedule of the original Transformer after its warmup (Vaswani et al., *Attention Is
    All You Need*, 2017, arXiv:1706.03762). Transformers' ``get_inverse_sqrt_schedule`` is
    ``Warmup(InverseSqrt(lr, timescale), warmup)``. It never ends.

    Parameters
    ----------
    start : float
        The value at step 0, >= 0.
    timescale : int or float
        :math:`\tau`, the number of steps over which the value falls by :math:`1/\sqrt2`, > 0.

    Examples
    --------
    >>> from annealing import InverseSqrt
    >>> s = InverseSqrt(start=1.0, timescale=100)
    >>> [s(t) for t in (0, 300)]
    [1.0, 0.5]
    """

    start: float
    timescale: float
    # derived once for the scalar path (not parameters): half the timescale, and its root
    _half: float = field(init=False, repr=False, compare=False)
    _root: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        v.store(
            self,
            start=v.nonnegative("InverseSqrt", "start", self.start),
            timescale=v.length("InverseSqrt", "timescale", self.timescale),
        )
        object.__setattr__(self, "_half", 0.5 * self.timescale)
        object.__setattr__(self, "_root", math.sqrt(self._half))
        _compile(self, InverseSqrt, "inverse-sqrt", (self.start, self._root, self._half))

    def _peak(self) -> float:
        return self.start

    @property
    def steps(self) -> None:
        """None: inverse square-root decay never ends."""
        return None

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            # _value(t, SCALAR) written out: the same operations
            return self.start * (self._root / _sqrt(self._half + 0.5 * step))
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        # τ/(τ + t) with both halved: τ + t overflows for t near the largest float, their halves
        # never; halving is exact unless τ or t is below 4e-308. The square roots are taken
        # apart: the ratio itself can be subnormal (τ = 1e-300, t = 1e15), losing digits, or 0
        # where subnormals are flushed (XLA), while each root is a normal number.
        half = 0.5 * self.timescale
        return self.start * (math.sqrt(half) / xp.sqrt(half + 0.5 * t))
