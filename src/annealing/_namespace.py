"""Array namespaces: one formula serves Python numbers, numpy, JAX and PyTorch arrays.

A schedule's ``_value(t, xp)`` uses only the operations of an ``xp`` below. For Python numbers
``xp`` is :data:`SCALAR` and ``where`` is a plain conditional; for arrays it is the array's own
library, found from the array's type so that ``import annealing`` never imports JAX or PyTorch.
"""

from __future__ import annotations

import bisect
import math
import sys
from typing import Any


class _Scalar:
    """Python floats, with ``math``; branches are real ``if`` statements."""

    cos = staticmethod(math.cos)
    sin = staticmethod(math.sin)
    exp = staticmethod(math.exp)
    log = staticmethod(math.log)
    expm1 = staticmethod(math.expm1)
    log1p = staticmethod(math.log1p)
    fmod = staticmethod(math.fmod)
    sqrt = staticmethod(math.sqrt)
    tanh = staticmethod(math.tanh)
    minimum = staticmethod(min)
    maximum = staticmethod(max)

    @staticmethod
    def floor(x: float) -> float:
        return float(math.floor(x)) if math.isfinite(x) else x  # inf stays inf, as in numpy

    @staticmethod
    def where(cond: Any, a: Any, b: Any) -> Any:
        return a if cond else b

    @staticmethod
    def searchsorted(table: Any, t: float) -> int:
        return bisect.bisect_right(table, t)

    @staticmethod
    def full(t: float, value: float) -> float:
        return float(value)

    @staticmethod
    def take(values: Any, index: Any) -> Any:
        return values[int(index)]

    @staticmethod
    def segments(t: float, starts: Any, parts: Any) -> Any:
        i = bisect.bisect_right(starts, t) - 1
        return parts[max(i, 0)](t - starts[max(i, 0)])


SCALAR = _Scalar()


class _Numpy:
    """numpy, imported on first use: scalar-only users never pay for importing numpy."""

    def __getattr__(self, name: str) -> Any:  # cos, sin, where, ...: numpy's own functions
        import numpy as np

        value = getattr(np, name)
        setattr(self, name, value)
        return value

    @staticmethod
    def searchsorted(table: Any, t: Any) -> Any:
        import numpy as np

        return np.searchsorted(np.asarray(table, dtype=np.float64), t, side="right")

    @staticmethod
    def full(t: Any, value: float) -> Any:
        import numpy as np

        return np.full(np.shape(t), value, dtype=np.float64)

    @staticmethod
    def take(values: Any, index: Any) -> Any:
        import numpy as np

        return np.asarray(values, dtype=np.float64)[np.asarray(index).astype(np.intp)]

    @staticmethod
    def segments(t: Any, starts: Any, parts: Any) -> Any:
        # each part only on its own steps: no work is done twice
        import numpy as np

        which = np.searchsorted(np.asarray(starts, dtype=np.float64), t, side="right") - 1
        out = np.empty(np.shape(t), dtype=np.float64)
        for i, part in enumerate(parts):
            mask = which <= 0 if i == 0 else which == i
            if mask.any():
                out[mask] = part(t[mask] - starts[i])
        return out


NUMPY = _Numpy()


class _Jax:
    def __init__(self) -> None:
        import jax.numpy as jnp

        self.jnp = jnp
        names = ("cos", "sin", "exp", "log", "expm1", "log1p", "sqrt", "tanh", "floor", "fmod")
        for name in (*names, "minimum", "maximum"):
            setattr(self, name, getattr(jnp, name))
        self.where = jnp.where

    def searchsorted(self, table: Any, t: Any) -> Any:
        return self.jnp.searchsorted(
            self.jnp.asarray(table, dtype=t.dtype), t, side="right"
        ).astype(t.dtype)

    def full(self, t: Any, value: float) -> Any:
        return self.jnp.full(self.jnp.shape(t), value, dtype=t.dtype)

    def take(self, values: Any, index: Any) -> Any:
        # in the dtype of the steps (the index is computed in it): float32 in, float32 out
        floating = self.jnp.issubdtype(index.dtype, self.jnp.floating)
        dtype = index.dtype if floating else self.jnp.result_type(float)
        return self.jnp.asarray(values, dtype=dtype)[index.astype(int)]

    def segments(self, t: Any, starts: Any, parts: Any) -> Any:
        return _segments_by_where(self, t, starts, parts)


class _Torch:
    def __init__(self) -> None:
        import torch

        self.torch = torch
        names = ("cos", "sin", "exp", "log", "expm1", "log1p", "sqrt", "tanh", "floor", "fmod")
        for name in names:
            setattr(self, name, getattr(torch, name))

    def _pair(self, a: Any, b: Any) -> tuple[Any, Any]:
        torch = self.torch
        like = a if isinstance(a, torch.Tensor) else b
        if not isinstance(a, torch.Tensor):
            a = torch.as_tensor(a, dtype=like.dtype, device=like.device)
        if not isinstance(b, torch.Tensor):
            b = torch.as_tensor(b, dtype=like.dtype, device=like.device)
        return a, b

    def minimum(self, a: Any, b: Any) -> Any:
        return self.torch.minimum(*self._pair(a, b))

    def maximum(self, a: Any, b: Any) -> Any:
        return self.torch.maximum(*self._pair(a, b))

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        if not isinstance(a, self.torch.Tensor) and not isinstance(b, self.torch.Tensor):
            a = self.torch.as_tensor(a, dtype=self.torch.float64, device=cond.device)
        a, b = self._pair(a, b)
        return self.torch.where(cond, a, b)

    def searchsorted(self, table: Any, t: Any) -> Any:
        table = self.torch.as_tensor(list(table), dtype=t.dtype, device=t.device)
        return self.torch.searchsorted(table, t.contiguous(), right=True).to(t.dtype)

    def full(self, t: Any, value: float) -> Any:
        return self.torch.full_like(t, value)

    def take(self, values: Any, index: Any) -> Any:
        # in the dtype of the steps (the index is computed in it): float32 in, float32 out
        dtype = index.dtype if index.is_floating_point() else self.torch.float64
        table = self.torch.as_tensor(list(values), dtype=dtype, device=index.device)
        return table[index.long()]

    def segments(self, t: Any, starts: Any, parts: Any) -> Any:
        return _segments_by_where(self, t, starts, parts)


def _segments_by_where(xp: Any, t: Any, starts: Any, parts: Any) -> Any:
    result = None
    for start, part in zip(starts, parts, strict=True):
        value = part(xp.maximum(t - start, 0.0))
        result = value if result is None else xp.where(t >= start, value, result)
    return result


_cache: dict[str, Any] = {}


def namespace_of(step: Any) -> tuple[Any, Any]:
    """Return ``(xp, t)``: the namespace for `step` and `step` as a floating array of it."""
    module = type(step).__module__.split(".")[0]
    if module in ("jax", "jaxlib") and "jax" in sys.modules:
        xp = _cache.get("jax") or _cache.setdefault("jax", _Jax())
        jnp = xp.jnp
        t = jnp.asarray(step)
        if t.dtype == jnp.bool_ or not (
            jnp.issubdtype(t.dtype, jnp.integer) or jnp.issubdtype(t.dtype, jnp.floating)
        ):
            raise TypeError(f"step must be a number or an array of numbers, got {step!r}")
        if not jnp.issubdtype(t.dtype, jnp.floating):
            t = t.astype(jnp.result_type(float))
        _check_concrete(jnp, t)
        return xp, t
    if module == "torch" and "torch" in sys.modules:
        xp = _cache.get("torch") or _cache.setdefault("torch", _Torch())
        if step.dtype == xp.torch.bool or step.is_complex():
            raise TypeError(f"step must be a number or an array of numbers, got {step!r}")
        t = step if step.is_floating_point() else step.to(xp.torch.float64)
        good = (t >= 0) & xp.torch.isfinite(t)
        if not bool(good.all()):
            raise ValueError(f"step must be finite and >= 0, got {t[~good].flatten()[0].item()!r}")
        return xp, t
    import numpy as np

    t = np.asarray(step)
    if t.dtype == np.bool_ or not (
        np.issubdtype(t.dtype, np.integer) or np.issubdtype(t.dtype, np.floating)
    ):
        raise TypeError(f"step must be a number or an array of numbers, got {step!r}")
    t = t.astype(np.float64, copy=False)
    # min is NaN if any value is NaN; two reductions, no temporary arrays
    if t.size and not (t.min() >= 0 and t.max() < np.inf):
        bad = t[~(np.isfinite(t) & (t >= 0))].ravel()[0]
        raise ValueError(f"step must be finite and >= 0, got {float(bad)!r}")
    return NUMPY, t


def _check_concrete(jnp: Any, t: Any) -> None:
    # Under jax.jit the steps are tracers whose values are unknown: they cannot be checked.
    good = (t >= 0) & jnp.isfinite(t)
    try:
        fine = bool(good.all())
    except Exception:  # a tracer: concrete values are not available under jit/vmap
        return
    if not fine:
        raise ValueError(f"step must be finite and >= 0, got {float(t[~good].ravel()[0])!r}")
