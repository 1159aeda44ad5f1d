"""Array namespaces: one formula serves Python numbers, numpy, JAX and PyTorch arrays.

A schedule's ``_value(t, xp)`` uses only the operations of an ``xp`` below. For Python numbers
``xp`` is :data:`SCALAR` and ``where`` is a plain conditional; for arrays it is the array's own
library, found from the array's type so that ``import annealing`` never imports JAX or PyTorch.
"""

from __future__ import annotations

import bisect
import math
import numbers
import sys
import warnings
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

        edges = np.asarray(starts, dtype=np.float64)
        out = np.empty(np.shape(t), dtype=np.float64)
        if t.ndim == 1 and (t.size < 2 or bool((t[1:] >= t[:-1]).all())):
            # sorted steps (np.arange, a run's steps): each part's steps are one slice, found
            # by bisection; the same elements as the masks below, without building them
            cuts = np.searchsorted(t, edges, side="left").tolist()
            cuts[0], ends = 0, [*cuts[1:], t.size]
            for i, part in enumerate(parts):
                lo, hi = cuts[i], ends[i]
                if hi > lo:
                    out[lo:hi] = part(t[lo:hi] - starts[i])
            return out
        which = np.searchsorted(edges, t, side="right") - 1
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
_EXACT_INT = 2**53  # larger integer steps are computed as the nearest float
_NOT_A_STEP = "step must be a number or an array of numbers"


def _show(value: Any) -> str:
    """``repr(value)``, cut short: a refused list of a million steps is not printed whole."""
    if isinstance(value, int) and value.bit_length() > 600:  # repr fails past 4300 digits
        return f"an integer of about {int(value.bit_length() * 0.30103)} digits"
    try:
        text = repr(value)
    except Exception:  # a value whose repr fails is still refused, by its type
        text = f"a {type(value).__name__}"
    return text if len(text) <= 200 else text[:197] + "..."


def _refuse(value: Any) -> TypeError:
    return TypeError(f"{_NOT_A_STEP}, got {_show(value)}")


def step_number(step: Any) -> int | float | None:
    """`step` as a Python ``int`` or ``float`` if it is one number, ``None`` if it is an array.

    Accepted numbers: Python ``int`` and ``float`` (and their subclasses), numpy integer and
    floating scalars of every width (``float16`` to ``longdouble``) and 0-d arrays of them,
    :class:`fractions.Fraction`, :class:`decimal.Decimal` and other :class:`numbers.Real`,
    converted to the nearest ``float`` (integers up to 2**53 stay exact ``int``). Refused with
    :class:`TypeError`: ``bool`` and ``numpy.bool_``, complex numbers, strings, bytes, ``None``,
    dates, times, timedeltas and numpy ``datetime64`` / ``timedelta64``. Refused with
    :class:`ValueError`: numbers that are negative, NaN, infinite or beyond float's range. The
    messages do not name the schedule; Schedule._call adds it.
    """
    kind = type(step)
    if kind is bool:
        raise _refuse(step)
    module = kind.__module__
    if module == "numpy":
        dtype = getattr(step, "dtype", None)
        if dtype is None or getattr(step, "shape", None) != ():
            return None  # an ndarray (0-d arrays have shape () and are numbers)
        letter = dtype.kind
        if letter in "iu":
            return _number(int(step), step)
        if letter == "f":
            return _number(_float(step), step)
        raise _refuse(step.item() if letter == "b" else step)
    if isinstance(step, int):  # int subclasses (IntEnum, ...), not bool (refused above)
        return _number(int(step), step)
    if isinstance(step, float):
        return _number(float(step), step)
    if (module == "decimal" and kind.__name__ == "Decimal") or isinstance(step, numbers.Real):
        return _number(_float(step), step)
    if isinstance(step, (list, tuple)) or module.split(".")[0] in _ARRAY_MODULES:
        return None
    if hasattr(step, "__array__") and not isinstance(step, (str, bytes, complex)):
        return None  # pandas, xarray, ...: numpy decides, and refuses what is not numeric
    raise _refuse(step)


_ARRAY_MODULES = ("numpy", "jax", "jaxlib", "torch")


def _float(value: Any) -> float:
    try:
        return float(value)
    except (OverflowError, ValueError, ArithmeticError):  # Fraction(10**400), Decimal("sNaN")
        return math.nan


def _number(x: int | float, given: Any) -> int | float:
    if isinstance(x, int):
        if 0 <= x <= _EXACT_INT:
            return x
        x = _float(x)
    if 0.0 <= x < math.inf:
        return x
    raise ValueError(f"step must be a finite number >= 0, got {_show(given)}")


def prepare(step: Any) -> tuple[Any, Any, Any]:
    """Return ``(xp, t, finish)`` for an array `step`: ``finish(value)`` evaluates a formula.

    ``xp`` is the namespace the formulas run in, ``t`` the steps as a floating array of it (float64
    wherever the library has float64), checked to be finite and >= 0, and ``finish(value)`` calls
    ``value(t, xp)`` (a schedule's ``_value``) and turns its result into the value returned: an
    array of `step`'s library and shape, floating.
    """
    module = type(step).__module__.split(".")[0]
    if module in ("jax", "jaxlib") and "jax" in sys.modules:
        return _prepare_jax(step)
    if module == "torch" and "torch" in sys.modules:
        return _prepare_torch(step)
    return _prepare_numpy(step)


def _prepare_numpy(step: Any) -> tuple[Any, Any, Any]:
    import numpy as np

    if isinstance(step, (list, tuple)):
        given = _from_list(np, step)
    else:
        try:
            given = np.asarray(step)
        except (TypeError, ValueError, OverflowError):  # a failing __array__
            raise _refuse(step) from None
    t = _numpy_steps(np, given, step)

    def finish(value: Any) -> Any:
        # formulas may overflow an intermediate to inf on purpose (t / every for a tiny every)
        # and select it away (the fuzz suite checks every result is finite): warnings are noise
        with np.errstate(over="ignore", divide="ignore", invalid="ignore", under="ignore"):
            result = value(t, NUMPY)
        out = np.asarray(result, dtype=np.float64)
        if out.shape != t.shape:  # a constant part may give one number for every step
            out = np.broadcast_to(out, t.shape)
        if out is given or out.base is given or not out.flags.writeable:
            out = out.copy()  # never the caller's array, and never a read-only view
        return out

    return NUMPY, t, finish


def _from_list(np: Any, steps: Any) -> Any:
    """A list (of lists) of steps as float64, each element a number as :func:`step_number` has it.

    numpy alone would read ``[1, True]`` as integers and refuse ``[Fraction(1, 2)]``; here a
    list accepts exactly the numbers a single step accepts.
    """
    try:
        items = np.asarray(steps, dtype=object)
    except ValueError:  # ragged
        raise _refuse(steps) from None
    out = np.empty(items.shape, dtype=np.float64)
    flat = out.reshape(-1)
    for i, item in enumerate(items.reshape(-1)):
        try:
            number = step_number(item)
        except ValueError:
            raise ValueError(f"step must be finite and >= 0, got {_show(item)}") from None
        except TypeError:
            raise _refuse(steps) from None
        if number is None:  # an array inside a list: not a step
            raise _refuse(steps)
        flat[i] = number
    return out


def _numpy_steps(np: Any, given: Any, step: Any) -> Any:
    """`given` (a numpy array) as float64, checked: integers and floats of any width only."""
    if given.dtype.kind not in "iuf":
        raise _refuse(step)
    with np.errstate(over="ignore", invalid="ignore"):  # longdouble beyond float64: inf
        t = given.astype(np.float64, copy=False)
    # as unsigned integers, the bits of every float64 in [+0, inf) are below those of inf, and
    # those of a negative number or NaN above: one reduction (-0.0, also above, is checked by
    # value: min is NaN if any value is NaN; two reductions, no temporary arrays)
    if t.size and not (t.view(np.uint64).max() < _INF_BITS or (t.min() >= 0 and t.max() < np.inf)):
        where = np.argwhere(~(np.isfinite(t) & (t >= 0)))[0]
        raise ValueError(f"step must be finite and >= 0, got {given[tuple(where)]!s}")
    return t


_INF_BITS = 0x7FF0000000000000  # the bits of float64 inf


def _finite_nonnegative(torch: Any, t: Any) -> bool:
    """Every element of `t` is finite and >= 0: for float64, one reduction over its bits."""
    if t.dtype == torch.float64 and t.numel():
        low, high = torch.aminmax(t.view(torch.int64))
        if int(low) >= 0 and int(high) < _INF_BITS:
            return True
    good = (t >= 0) & torch.isfinite(t)  # -0.0 (negative bits), or not float64
    return bool(good.all())


def _prepare_torch(step: Any) -> tuple[Any, Any, Any]:
    xp = _cache.get("torch") or _cache.setdefault("torch", _Torch())
    torch = xp.torch
    dtype = getattr(step, "dtype", None)
    if not isinstance(step, torch.Tensor) or dtype == torch.bool or step.is_complex():
        raise _refuse(step)
    if step.is_floating_point():
        out_dtype = dtype
    else:
        try:
            torch.iinfo(dtype)  # integers of any width; quantized and other kinds refused
        except TypeError:
            raise _refuse(step) from None
        out_dtype = torch.get_default_dtype()
    # float64 where the device has it (MPS has not): float16/32 steps give results that are
    # the float64 values rounded, so no NaN or infinity comes from the narrower format
    work = torch.float32 if step.device.type == "mps" else torch.float64
    t = step.to(work)
    if not _finite_nonnegative(torch, t):
        good = (t >= 0) & torch.isfinite(t)
        raise ValueError(f"step must be finite and >= 0, got {step[~good].flatten()[0].item()!r}")
    most = torch.finfo(out_dtype).max

    def finish(value: Any) -> Any:
        result = value(t, xp)
        if not isinstance(result, torch.Tensor):
            result = torch.as_tensor(result, dtype=work, device=t.device)
        if result.shape != t.shape:
            result = result.expand(t.shape).clone()
        if result.dtype != out_dtype:
            if out_dtype != work:  # values above float16's 65504 saturate to it, not to inf
                result = result.clamp(max=most)
            result = result.to(out_dtype)
        return result

    return xp, t, finish


def _prepare_jax(step: Any) -> tuple[Any, Any, Any]:
    xp = _cache.get("jax") or _cache.setdefault("jax", _Jax())
    jnp = xp.jnp
    try:
        given = jnp.asarray(step)
    except (TypeError, ValueError):
        raise _refuse(step) from None
    dtype = given.dtype
    if dtype == jnp.bool_ or not (
        jnp.issubdtype(dtype, jnp.integer) or jnp.issubdtype(dtype, jnp.floating)
    ):
        raise _refuse(step)
    floating = jnp.issubdtype(dtype, jnp.floating)
    out_dtype = dtype if floating else jnp.result_type(float)
    most = float(jnp.finfo(out_dtype).max)
    import jax

    tracer = getattr(getattr(jax, "core", None), "Tracer", None)
    if tracer is not None:
        traced = isinstance(given, tracer)
    else:  # a JAX without jax.core.Tracer: a tracer is what refuses to become a numpy array
        import numpy as np

        try:
            np.asarray(given)
            traced = False
        except Exception:
            traced = True
    if not traced:
        # Concrete steps are computed on the host in float64 and rounded once. In 32-bit mode
        # float64 exists on the host only (float32 would turn 1e-39 into 0 and 1e300 into inf,
        # and with them the value into NaN); in 64-bit mode XLA's arithmetic is not numpy's
        # (it multiplies by a reciprocal instead of dividing, fuses multiply-adds and flushes
        # subnormals to 0), which moved values by up to a few ulps, or to 0, from the scalar
        # ones. On the host every array library gives the numbers Python floats give.
        import numpy as np

        host = _numpy_steps(np, np.atleast_1d(np.asarray(given)), step)

        def finish_host(value: Any) -> Any:
            with np.errstate(over="ignore", divide="ignore", invalid="ignore", under="ignore"):
                result = value(host, NUMPY)
            out = np.asarray(result, dtype=np.float64)
            out = np.minimum(np.broadcast_to(out, host.shape), most)
            return jnp.asarray(out.reshape(given.shape), dtype=out_dtype)

        return NUMPY, host, finish_host
    if jnp.result_type(float) == jnp.float64:  # 64-bit mode under jit/vmap: float64 on device
        t = given.astype(jnp.float64)
        work = jnp.float64
    else:
        # under jit/vmap in 32-bit mode: float32, the widest type there is, and the values
        # cannot be checked. Where a parameter outside float32's range (1e-39, 1e300) makes the
        # float32 result NaN or infinite, it is computed again on the host in float64.
        work = dtype if floating and jnp.finfo(dtype).bits >= 32 else jnp.float32
        t = given.astype(work)

    def finish(value: Any) -> Any:
        if traced and work == jnp.float32:  # parameters beyond float32 warn as they are cast
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                result = value(t, xp)
        else:
            result = value(t, xp)
        out = jnp.broadcast_to(jnp.asarray(result, dtype=work), t.shape)
        if work == jnp.float32 and traced:
            out = _exact_if_not_finite(jax, jnp, out, given, value)
        if out_dtype != work:
            out = jnp.minimum(out, most).astype(out_dtype)
        return out

    return xp, t, finish


def _exact_if_not_finite(jax: Any, jnp: Any, fast: Any, given: Any, value: Any) -> Any:
    """`fast` (float32, traced), or where it is not finite, `value` computed on the host."""
    import numpy as np

    top = float(jnp.finfo(jnp.float32).max)

    def exact(steps: Any) -> Any:
        host = np.atleast_1d(np.asarray(steps, dtype=np.float64))
        with np.errstate(all="ignore"):  # the steps were not checked: garbage in, no warning
            out = np.asarray(value(host, NUMPY), dtype=np.float64)
            out = np.minimum(np.broadcast_to(out, host.shape), top)
        return out.reshape(np.shape(steps)).astype(np.float32)

    def slow() -> Any:
        shape = jax.ShapeDtypeStruct(fast.shape, jnp.float32)
        return jax.pure_callback(exact, shape, given, vmap_method="expand_dims")

    return jax.lax.cond(jnp.isfinite(fast).all(), lambda: fast, slow)


def _check_concrete(jnp: Any, t: Any) -> None:
    good = (t >= 0) & jnp.isfinite(t)
    if not bool(good.all()):
        raise ValueError(f"step must be finite and >= 0, got {float(t[~good].ravel()[0])!r}")
