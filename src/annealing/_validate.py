"""Argument checks shared by every constructor: each error names the schedule, the parameter,
the value and what is allowed, e.g. ``Cosine: steps must be a positive number, got 0``."""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Iterable
from typing import Any


def _fail(owner: str, name: str, allowed: str, value: Any, exc: type[Exception]) -> None:
    raise exc(f"{owner}: {name} must be {allowed}, got {value!r}")


def real(
    owner: str,
    name: str,
    value: Any,
    *,
    low: float | None = None,
    low_open: bool = False,
    high: float | None = None,
    allowed: str = "a finite number",
) -> float:
    """Check that `value` is a finite real number within [low, high] (low open if asked)."""
    if isinstance(value, bool) or (not isinstance(value, numbers.Real)):
        _fail(owner, name, allowed, value, TypeError)
    x = float(value)
    if not math.isfinite(x):
        _fail(owner, name, allowed, value, ValueError)
    if low is not None and (x < low or (low_open and x == low)):
        _fail(owner, name, allowed, value, ValueError)
    if low == 0.0 and low_open and x < sys.float_info.min:
        # a subnormal length: 1/x overflows, and with it the formulas that divide by it
        _fail(owner, name, f"{allowed} and normal (>= {sys.float_info.min!r})", value, ValueError)
    if high is not None and x > high:
        _fail(owner, name, allowed, value, ValueError)
    return x


def nonnegative(owner: str, name: str, value: Any) -> float:
    return real(owner, name, value, low=0.0, allowed="a finite number >= 0")


def positive(owner: str, name: str, value: Any) -> float:
    return real(owner, name, value, low=0.0, low_open=True, allowed="a finite number > 0")


def count(owner: str, name: str, value: Any, *, minimum: int = 1) -> int:
    """Check that `value` is an integer >= minimum (numpy integers accepted, bools refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        _fail(owner, name, f"an integer >= {minimum}", value, TypeError)
    if int(value) < minimum:
        _fail(owner, name, f"an integer >= {minimum}", value, ValueError)
    return int(value)


def choice(owner: str, name: str, value: Any, options: Iterable[str]) -> str:
    options = tuple(options)
    if value not in options:
        allowed = "one of " + ", ".join(repr(o) for o in options)
        _fail(owner, name, allowed, value, ValueError)
    return str(value)


def increasing(owner: str, name: str, values: Any, *, strict: bool = True) -> tuple[float, ...]:
    """Check a sequence of finite numbers >= 0 that increases (strictly unless told)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        _fail(owner, name, "a sequence of numbers", values, TypeError)
    out = tuple(nonnegative(owner, f"{name}[{i}]", v) for i, v in enumerate(values))
    for i in range(1, len(out)):
        if out[i] < out[i - 1] or (strict and out[i] == out[i - 1]):
            order = "strictly increasing" if strict else "non-decreasing"
            _fail(owner, name, f"{order}", values, ValueError)
    return out
