"""Argument checks shared by every constructor: each error names the schedule, the parameter,
the value and what is allowed, e.g. ``Cosine: steps must be a finite number > 0, got 0``.

One coercion serves every number a constructor takes (:func:`number`):

- accepted: Python ``int`` and ``float``, numpy integer and floating scalars (``np.float32``,
  ``np.uint8``, ``np.longdouble``, …), :class:`fractions.Fraction` and :class:`decimal.Decimal`;
- integers (Python or numpy, and a Fraction or Decimal of integer value) up to 2**53 in
  magnitude become a Python ``int``, everything else a Python ``float`` (a larger integer is
  its nearest float: what every formula computes with)
  (``float(np.float32(0.1))`` is ``0.10000000149011612``: the value that was given, exactly);
  :func:`real`, :func:`nonnegative` and :func:`positive` always return a ``float``;
- refused with :class:`TypeError` (the wrong kind): ``bool``, ``None``, ``complex``, ``str``,
  ``bytes``, arrays (numpy arrays of any shape, 0-d included: pass ``x.item()``), timedeltas and
  datetimes (``np.timedelta64`` too, although numpy makes it an integer);
- refused with :class:`ValueError` (the wrong value): NaN, infinities and every number outside
  float range (``10**400``, ``Decimal("1e400")``, ``Fraction(10**400, 3)``), and values outside
  the parameter's bounds.

Nothing else escapes: no OverflowError, ZeroDivisionError, decimal.InvalidOperation,
AttributeError or RecursionError. Long values are shortened in messages.
"""

from __future__ import annotations

import datetime
import decimal
import fractions
import math
import numbers
import sys
from collections.abc import Iterable, Mapping, Set
from typing import Any, NoReturn

MAX = sys.float_info.max  # the largest finite float
EXACT = 2**53  # integers up to this are exact floats
TINY = sys.float_info.min  # the smallest normal float
_SHOW = 120  # longest repr shown in a message


def show(value: Any) -> str:
    """A short ``repr`` of `value` for a message (a 400-digit number is not printed whole)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        digits = int(value.bit_length() * math.log10(2)) + 1
        sign = "-" if value < 0 else ""
        return f"{sign}<an integer of about {digits} digits>"
    try:
        text = repr(value)
    except Exception:  # a repr that fails (or recurses) must not hide the real error
        return f"<{type(value).__name__} object>"
    if len(text) > _SHOW:
        text = f"{text[: _SHOW - 40]}…{text[-20:]} ({len(text)} characters)"
    return text


def _fail(owner: str, name: str, allowed: str, value: Any, exc: type[Exception]) -> NoReturn:
    raise exc(f"{owner}: {name} must be {allowed}, got {show(value)}")


def _refused_kind(value: Any) -> bool:
    """Kinds that are numbers to Python or numpy but not parameter values."""
    if isinstance(value, (bool, datetime.timedelta, datetime.date, datetime.time)):
        return True
    kind = type(value)
    # numpy's bool_ is no numbers.Integral, but its timedelta64 is: refuse both by name, so
    # that this module never imports numpy
    return kind.__module__ == "numpy" and kind.__name__ in ("bool_", "bool", "timedelta64")


def _integral(value: fractions.Fraction | decimal.Decimal) -> bool:
    """A finite Fraction or Decimal with an integer value (small enough to build as an int)."""
    if isinstance(value, fractions.Fraction):
        return value.denominator == 1 and value.numerator.bit_length() <= 1100
    if not value.is_finite() or value.adjusted() > 400:
        return False
    return bool(value == value.to_integral_value())


def number(
    owner: str,
    name: str,
    value: Any,
    *,
    low: float | None = None,
    low_open: bool = False,
    high: float | None = None,
    allowed: str = "a finite number",
    as_float: bool = False,
) -> int | float:
    """`value` as a Python ``int`` (integers) or ``float`` (other reals, or all with
    `as_float`), checked as it is stored.

    Finite, within [low, high] (low open if asked); a length that must be > 0 (``low=0``,
    ``low_open``) must also be normal (>= 2.2e-308), since formulas divide by it.
    """
    x: int | float
    if _refused_kind(value):
        _fail(owner, name, allowed, value, TypeError)
    if isinstance(value, numbers.Integral):
        try:
            x = int(value)
        except (TypeError, ValueError, ArithmeticError, AttributeError, RecursionError):
            _fail(owner, name, allowed, value, TypeError)
        if not -MAX <= x <= MAX:  # exact: Python compares an int with a float exactly
            _fail(owner, name, allowed, value, ValueError)
    elif isinstance(value, (fractions.Fraction, decimal.Decimal)) and _integral(value):
        # an integer written as a Fraction or a Decimal is that integer, exactly (as int)
        x = int(value)
        if not -MAX <= x <= MAX:
            _fail(owner, name, allowed, value, ValueError)
    elif isinstance(value, (numbers.Real, decimal.Decimal)):
        try:
            x = float(value)
        except (OverflowError, ValueError, ArithmeticError):  # Fraction(10**400), sNaN
            _fail(owner, name, allowed, value, ValueError)
        except (TypeError, AttributeError, RecursionError):
            _fail(owner, name, allowed, value, TypeError)
        if not isinstance(x, float) or not math.isfinite(x):
            _fail(owner, name, allowed, value, ValueError)
        x = float(x)  # a float subclass becomes a float
    else:
        _fail(owner, name, allowed, value, TypeError)
    if as_float or (isinstance(x, int) and abs(x) > EXACT):
        # the bounds hold for the float that is kept (10**17 + 1 is 1e17); an integer beyond
        # 2**53 is computed as its float anyway (and torch and JAX take no such int)
        x = float(x)
    if low is not None and (x < low or (low_open and x == low)):
        _fail(owner, name, allowed, value, ValueError)
    if low == 0.0 and low_open and x < TINY:
        # a subnormal length: 1/x overflows, and with it the formulas that divide by it
        _fail(owner, name, f"{allowed} and normal (>= {TINY!r})", value, ValueError)
    if high is not None and x > high:
        _fail(owner, name, allowed, value, ValueError)
    return x


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
    kind: dict[str, Any] = {"low": low, "low_open": low_open, "high": high, "allowed": allowed}
    return float(number(owner, name, value, as_float=True, **kind))


def nonnegative(owner: str, name: str, value: Any) -> float:
    return real(owner, name, value, low=0.0, allowed="a finite number >= 0")


def positive(owner: str, name: str, value: Any) -> float:
    return real(owner, name, value, low=0.0, low_open=True, allowed="a finite number > 0")


def length(owner: str, name: str, value: Any, *, zero: bool = False) -> int | float:
    """A length or a step: > 0 (>= 0 with `zero`), an ``int`` if given an integer."""
    if zero:
        return number(owner, name, value, low=0.0, allowed="a finite number >= 0")
    return number(owner, name, value, low=0.0, low_open=True, allowed="a finite number > 0")


def count(owner: str, name: str, value: Any, *, minimum: int = 1) -> int:
    """Check that `value` is an integer >= minimum (numpy integers accepted, bools refused)."""
    if _refused_kind(value) or not isinstance(value, numbers.Integral):
        _fail(owner, name, f"an integer >= {minimum}", value, TypeError)
    try:
        n = int(value)
    except (TypeError, ValueError, ArithmeticError, AttributeError, RecursionError):
        _fail(owner, name, f"an integer >= {minimum}", value, TypeError)
    if n < minimum:
        _fail(owner, name, f"an integer >= {minimum}", value, ValueError)
    return n


def choice(owner: str, name: str, value: Any, options: Iterable[str]) -> str:
    options = tuple(options)
    if not isinstance(value, str) or value not in options:
        allowed = "one of " + ", ".join(repr(o) for o in options)
        _fail(owner, name, allowed, value, ValueError if isinstance(value, str) else TypeError)
    return str(value)


def flag(owner: str, name: str, value: Any) -> bool:
    """A bool (numpy's bool_ too), as a Python ``bool``."""
    if isinstance(value, bool):
        return value
    if type(value).__module__ == "numpy" and type(value).__name__ in ("bool_", "bool"):
        return bool(value)
    _fail(owner, name, "True or False", value, TypeError)


def _items(owner: str, name: str, values: Any) -> list[Any]:
    """The items of a sequence (a list, a tuple, a 1-d array …), in order."""
    refused = (str, bytes, bytearray, Set, Mapping)
    if isinstance(values, refused) or not isinstance(values, Iterable):
        _fail(owner, name, "a sequence of numbers", values, TypeError)
    try:
        return list(values)
    except (TypeError, ValueError):  # a 0-d array is Iterable but cannot be iterated
        _fail(owner, name, "a sequence of numbers", values, TypeError)


def positions(
    owner: str, name: str, values: Any, *, strict: bool = True
) -> tuple[int | float, ...]:
    """A sequence of finite numbers >= 0 that increases (strictly unless told), each coerced
    as :func:`length` does (integers stay ``int``)."""
    out = tuple(
        length(owner, f"{name}[{i}]", v, zero=True)
        for i, v in enumerate(_items(owner, name, values))
    )
    for i in range(1, len(out)):
        if out[i] < out[i - 1] or (strict and out[i] == out[i - 1]):
            order = "strictly increasing" if strict else "non-decreasing"
            _fail(owner, name, f"{order}", values, ValueError)
    return out


def increasing(owner: str, name: str, values: Any, *, strict: bool = True) -> tuple[float, ...]:
    """Check a sequence of finite numbers >= 0 that increases (strictly unless told)."""
    return tuple(float(x) for x in positions(owner, name, values, strict=strict))


def peak(schedule: Any) -> float:
    """An upper bound of `schedule`'s values (every family knows its own, ``_peak``), or inf
    for a schedule that does not say: the range checks of the combinators use it."""
    own = getattr(schedule, "_peak", None)
    if own is None:
        return math.inf
    try:
        return float(own())
    except (ArithmeticError, ValueError):
        return math.inf


def store(obj: Any, **values: Any) -> None:
    """Set fields of a frozen dataclass to their coerced values (from ``__post_init__``)."""
    for key, value in values.items():
        object.__setattr__(obj, key, value)
