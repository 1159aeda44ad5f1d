"""The framework's parameters, checked under the framework's names.

Every compat function checks its arguments here *before* it builds a core schedule, so an
error names the function and the parameter as the caller wrote them
(``LinearLR: start_factor must be a number in (0, 1], got 1.1``), never a core family's
internal name. The numbers go through the shared coercion of :mod:`annealing._validate`
(Python and numpy numbers, Fraction and Decimal become Python floats; bool, complex, str
and numbers beyond float range are refused).
"""

from __future__ import annotations

import functools
import math
import numbers
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from .. import _validate as v

F = TypeVar("F", bound=Callable[..., Any])

#: numbers whose doubling or squaring still fits a float (a length of up to 1e300 steps)
HUGE = 1e300


def _fail(owner: str, name: str, allowed: str, value: Any, exc: type[Exception]) -> Any:
    raise exc(f"{owner}: {name} must be {allowed}, got {_show(value)}")


def _show(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        return f"an integer of {len(str(abs(value)))} digits"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _number(owner: str, name: str, value: Any, allowed: str, infinite: bool = False) -> float:
    """`value` as a float, through the shared coercion (bools, complex, str, NaN refused)."""
    if infinite and isinstance(value, float) and math.isinf(value):
        return float(value)
    return v.real(owner, name, value, allowed=allowed)  # out of float range: a ValueError


def real(
    owner: str,
    name: str,
    value: Any,
    *,
    low: float | None = None,
    low_open: bool = False,
    high: float | None = None,
    high_open: bool = False,
    infinite: bool = False,
    normal: bool = True,
    allowed: str | None = None,
) -> float:
    """A real number in the range given (finite unless `infinite`), as a float; with a
    range open at 0, not subnormal unless told (`normal`): dividing by it overflows."""
    if allowed is None:
        allowed = _describe(low, low_open, high, high_open, infinite)
    x = _number(owner, name, value, allowed, infinite)
    if low is not None and (x < low or (low_open and x == low)):
        _fail(owner, name, allowed, value, ValueError)
    if high is not None and (x > high or (high_open and x == high)):
        _fail(owner, name, allowed, value, ValueError)
    if normal and low == 0.0 and low_open and 0 < x < sys.float_info.min:
        # a subnormal: dividing by it overflows
        _fail(owner, name, f"{allowed} and not subnormal", value, ValueError)
    return x


def _describe(
    low: float | None, low_open: bool, high: float | None, high_open: bool, infinite: bool
) -> str:
    kind = "a number" if infinite else "a finite number"
    if low is not None and high is not None:
        left, right = "(" if low_open else "[", ")" if high_open else "]"
        return f"{kind} in {left}{low:g}, {high:g}{right}"
    if low is not None:
        return f"{kind} {'>' if low_open else '>='} {low:g}"
    if high is not None:
        return f"{kind} {'<' if high_open else '<='} {high:g}"
    return kind


def rate(owner: str, name: str, value: Any) -> float:
    """A learning rate: a finite number >= 0."""
    return real(owner, name, value, low=0.0)


def length(owner: str, name: str, value: Any, *, infinite: bool = False) -> float:
    """A length in steps: a number > 0 (not subnormal: 1/length must not overflow)."""
    return real(owner, name, value, low=0.0, low_open=True, infinite=infinite)


def steps(
    owner: str, name: str, value: Any, *, low: float | None = 0.0, infinite: bool = False
) -> float:
    """A number of steps (>= `low` unless None), 0 or not subnormal: a span of 1e-310 steps
    would be divided by."""
    x = real(owner, name, value, low=low, infinite=infinite)
    if 0 < abs(x) < sys.float_info.min:
        _fail(owner, name, "0 or a number that is not subnormal", value, ValueError)
    return x


def finite(owner: str, names: str, value: float, allowed: str) -> float:
    """A value derived from several parameters: it must be a finite float >= 0."""
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{owner}: {names} must give {allowed}, got {value!r}")
    return value


def whole(
    owner: str, name: str, value: Any, *, minimum: int | None = None, floats: bool = True
) -> int:
    """A whole number of steps (an int, or an integral float if `floats`) >= `minimum`."""
    allowed = "an integer" if minimum is None else f"an integer >= {minimum}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        _fail(owner, name, allowed, value, TypeError)
    if not isinstance(value, numbers.Integral):
        if not floats:
            _fail(owner, name, allowed, value, TypeError)
        x = _number(owner, name, value, allowed)
        if not math.isfinite(x) or x != math.floor(x):
            _fail(owner, name, allowed, value, ValueError)
        n = int(x)
    else:
        n = int(value)
    if minimum is not None and n < minimum:
        _fail(owner, name, allowed, value, ValueError)  # the value as given: -1e+308, not its int
    if abs(n) > int(sys.float_info.max):
        _fail(owner, name, f"{allowed} within float range", value, ValueError)
    return n


def flag(owner: str, name: str, value: Any) -> bool:
    """A flag, read as the framework reads it (Python truth)."""
    try:
        return bool(value)
    except Exception:  # an array of several values, or a broken __bool__
        return _fail(owner, name, "True or False", value, TypeError)  # type: ignore[no-any-return]


def option(owner: str, name: str, value: Any, options: Iterable[str]) -> str:
    options = tuple(options)
    if not isinstance(value, str) or value not in options:
        allowed = "one of " + ", ".join(repr(o) for o in options)
        exc = ValueError if isinstance(value, str) else TypeError
        _fail(owner, name, allowed, value, exc)
    return str(value)


def sequence(owner: str, name: str, value: Any) -> list[Any]:
    """A list or tuple (or another iterable that is not a string or a mapping)."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        _fail(owner, name, "a list", value, TypeError)
    return list(value)


def mapping(owner: str, name: str, value: Any, allowed: str = "a dict") -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        _fail(owner, name, allowed, value, TypeError)
    result: Mapping[Any, Any] = value
    return result


def checked(owner: str) -> Callable[[F], F]:
    """A last guard: an error of the core that the checks above did not foresee comes out as
    a ValueError naming `owner` and its arguments (never an OverflowError, ZeroDivisionError
    or the core family's own parameter name alone)."""

    def wrap(function: F) -> F:
        @functools.wraps(function)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except (ValueError, TypeError) as error:
                if str(error).startswith(f"{owner}:"):
                    raise
                raise ValueError(_unforeseen(owner, args, kwargs, error)) from error
            except ArithmeticError as error:
                raise ValueError(_unforeseen(owner, args, kwargs, error)) from error

        return guarded  # type: ignore[return-value]

    return wrap


def _unforeseen(owner: str, args: Any, kwargs: Any, error: Exception) -> str:
    given = [_show(a) for a in args] + [f"{k}={_show(x)}" for k, x in kwargs.items()]
    return (
        f"{owner}: these arguments give no valid schedule ({', '.join(given)}): "
        f"unforeseen: {type(error).__name__}: {error}"
    )
