"""Checks shared by the laws: a learning-rate input (a schedule or a 1-D array) becomes a
float64 array, and bad values raise errors that name the function, the parameter and the value."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validate import _refused_kind, show
from ..schedule import Schedule

FloatArray = NDArray[np.float64]

MAX_STEPS = 10**8  # the longest horizon the laws accept: arrays of 10**8 floats are 800 MB


def real(value: Any) -> bool:
    """Whether `value` is a real number here: not a bool, nor numpy's timedelta64 (which numpy
    makes an integer), nor a date or time."""
    return isinstance(value, numbers.Real) and not _refused_kind(value)


def name_of(value: Any, names: tuple[str, ...]) -> bool:
    """Whether `value` is one of `names` (a str: an array or a list is not, and says so)."""
    return isinstance(value, str) and value in names


def horizon(owner: str, name: str, value: Any, *, capped: bool = True) -> int:
    """`value` as a positive int (a number of steps), at most :data:`MAX_STEPS` (10**8) when
    `capped` (a caller with its own, smaller cap passes False)."""
    if isinstance(value, float) and value.is_integer() and value > 0:
        value = int(value)
    if not (real(value) and isinstance(value, numbers.Integral)):
        raise TypeError(f"{owner}: {name} must be a positive integer, got {show(value)}")
    if int(value) < 1:
        raise ValueError(f"{owner}: {name} must be a positive integer, got {show(value)}")
    if capped and int(value) > MAX_STEPS:
        raise ValueError(f"{owner}: {name} must be at most 10**8, got {show(value)}")
    return int(value)


def positive_number(owner: str, name: str, value: Any) -> float:
    """`value` as a finite float > 0."""
    if not real(value):
        raise TypeError(f"{owner}: {name} must be a finite number > 0, got {show(value)}")
    try:
        out = float(value)
    except OverflowError:  # an int or Fraction beyond the float range (10**400)
        out = math.inf
    if not (math.isfinite(out) and out > 0.0):
        raise ValueError(f"{owner}: {name} must be a finite number > 0, got {show(value)}")
    return out


def vector(
    owner: str, name: str, value: Any, *, positive: bool = False, check: bool = True
) -> FloatArray:
    """`value` as a 1-D float64 array of finite numbers >= 0 (> 0 when `positive`)."""
    if isinstance(value, (str, bytes, Schedule)):
        raise TypeError(f"{owner}: {name} must be a 1-D array of numbers, got {show(value)}")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{owner}: {name} must be a 1-D array of numbers, got {show(value)}"
        ) from None
    except OverflowError:  # an int beyond the float range (10**400)
        raise ValueError(f"{owner}: {name} must be finite numbers, got {show(value)}") from None
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{owner}: {name} must be a non-empty 1-D array, got shape {array.shape}")
    if not check:
        return array
    bad = ~np.isfinite(array) | (array <= 0.0 if positive else array < 0.0)
    if bad.any():
        i = int(np.argmax(bad))
        allowed = "finite and > 0" if positive else "finite and >= 0"
        raise ValueError(
            f"{owner}: {name} must be {allowed} at every step, got {float(array[i])!r} at index {i}"
        )
    return array


def rates(owner: str, lr: Any, count: int, *, positive: bool = False) -> FloatArray:
    """The first `count` learning rates of `lr` (a Schedule, evaluated at steps 0..count-1, or a
    1-D array with at least `count` entries), checked as :func:`vector` checks."""
    if isinstance(lr, Schedule):
        values = lr(np.arange(count, dtype=np.float64))
        return vector(owner, "lr", values, positive=positive)
    array = vector(owner, "lr", lr, check=False)
    if array.size < count:
        raise ValueError(
            f"{owner}: lr must have at least {count} entries (one per step), got {array.size}"
        )
    return vector(owner, "lr", array[:count], positive=positive)
