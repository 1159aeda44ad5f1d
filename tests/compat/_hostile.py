"""Refusal conformance: hostile and edge parameters, the real framework against compat.

For one framework function, each parameter in turn takes every value of a hostile grid
(zero, negatives, NaN, infinities, 1e308, huge ints, bools, None, strings, wrong types, …)
while the others keep a valid base configuration. The framework is built and run on the
steps ``STEPS``; then:

* the framework raises (at construction or while stepping): compat raises ValueError or
  TypeError, and the message names the framework's parameter;
* the framework accepts and gives finite values >= 0: compat accepts and agrees within
  ``tol`` of the peak;
* the framework accepts but gives NaN, an infinity or a negative value: compat refuses
  (ValueError/TypeError naming the parameter): a schedule never returns those.

Deliberate differences are listed by the test with their reason (they are documented on
docs/reference/frameworks.md); ``GENERAL`` holds the ones that apply to every framework.
No exception type other than ValueError or TypeError may escape a compat constructor.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

STEPS = np.arange(64)
#: far steps at which compat's peak is also looked for (the tolerance is relative to it)
FAR = np.array([1e2, 1e3, 1e4, 1e6, 1e9, 1e12])
#: XLA (optax, Keras on JAX) flushes subnormal results to 0
FTZ = 2.2250738585072014e-308

NAN, INF = float("nan"), float("inf")

#: values for a real-valued parameter
FLOATS: tuple[Any, ...] = (
    0,
    0.0,
    -1.0,
    -1e-300,
    1e-310,
    0.5,
    1.0,
    1.1,
    2.0,
    4.0,
    1e308,
    -1e308,
    NAN,
    INF,
    -INF,
    10**400,
    np.float64(0.25),
    Fraction(1, 4),
    True,
    None,
    "0.1",
    [0.1],
    1j,
)
#: values for a count (a number of steps)
INTS: tuple[Any, ...] = (
    0,
    1,
    2,
    3,
    7,
    -1,
    2.0,
    2.5,
    0.5,
    1e308,
    2**31,
    10**400,
    NAN,
    INF,
    -INF,
    np.int64(4),
    True,
    None,
    "5",
    [5],
)
#: values for a flag
BOOLS: tuple[Any, ...] = (True, False, 0, 1, None)


def strings(*options: str) -> tuple[Any, ...]:
    """Values for a choice among `options`."""
    return (*options, "", options[0].upper() + "x", None, 1, [options[0]])


#: reasons for differences that hold for every framework (see docs/reference/frameworks.md)
GENERAL = {
    "bool": "a bool is not a number here (Python arithmetic takes True as 1)",
    "str": "a string is not a number here (some frameworks call float() on it)",
    "real": "any real number type is taken as a float (the framework may insist on int/float)",
    "list": "one schedule is one learning rate: per-group lists are not taken",
    "complex": "a complex number is not a rate (some frameworks drop the imaginary part)",
    "negative": "a negative number is refused where a rate or a length is expected, even where "
    "the framework's result happens to be >= 0",
    "nan": "NaN is refused (a framework that compares with it gets False everywhere)",
    "range": "numbers beyond float range (10**400) are refused",
    "extreme": "near 1e308 or below 1e-300 the framework's arithmetic overflows; the exact "
    "value is finite here",
}


@dataclass
class Spec:
    """One framework function: how to run the peer and compat, and its parameters."""

    name: str
    peer: Callable[[dict[str, Any]], Any]  # kwargs -> the values on STEPS (raises if refused)
    ours: Callable[[dict[str, Any]], Any]  # kwargs -> the compat schedule
    base: dict[str, Any]
    params: dict[str, tuple[Any, ...]]
    tol: float = 1e-12
    #: an absolute allowance: FTZ where the framework flushes subnormals to zero
    slack: float = 0.0
    #: (param, short(value)) -> reason: a documented difference (frameworks page);
    #: (param, "*"): every refusal of the parameter where the framework accepts
    differences: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass
class Outcome:
    peer: str  # "raises", "ok", "bad" (NaN/inf/negative)
    ours: str  # "refuses", "ok", "bad", "wrong type", "differs"
    detail: str


def classify(value: Any, peer: str, ours: str) -> str | None:
    """The GENERAL difference a (value, outcomes) falls under, if any."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str) and peer == "ok":
        return "str"
    if isinstance(value, (np.floating, np.integer, Fraction)):
        return "real"
    if isinstance(value, float) and math.isnan(value) and ours == "refuses":
        return "nan"
    if isinstance(value, complex):
        return "complex"
    if isinstance(value, (int, float)) and value < 0 and peer == "ok" and ours == "refuses":
        return "negative"
    if isinstance(value, list) and len(value) == 1 and peer == "ok":
        return "list"
    if isinstance(value, int) and abs(value) > 10**308 and ours == "refuses":
        return "range"
    if isinstance(value, (int, float)) and ours == "ok" and peer != "ok":
        x = abs(float(value)) if abs(value) < 1e309 else math.inf
        if x >= 1e300 or 0 < x < 1e-300:
            return "extreme"
    return None


def short(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        return f"10**{len(str(abs(value))) - 1}"
    return repr(value)


def _peer(spec: Spec, kwargs: dict[str, Any]) -> tuple[str, Any]:
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            out = np.asarray(spec.peer(kwargs), dtype=np.float64)
            out = np.broadcast_to(out, STEPS.shape)
    except Exception as error:  # the framework refuses, now or while stepping
        return "raises", f"{type(error).__name__}: {error}"
    if not np.isfinite(out).all() or (out < 0).any():
        return "bad", out
    return "ok", out


def _ours(spec: Spec, kwargs: dict[str, Any], param: str) -> tuple[str, Any]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            schedule = spec.ours(kwargs)
    except (ValueError, TypeError) as error:
        message = str(error)
        if param not in message or not message.startswith(f"{spec.name}: "):
            return "unnamed", f"{type(error).__name__}: {message}"
        if "unforeseen" in message:
            return "unnamed", message
        return "refuses", message
    except Exception as error:
        return "wrong type", f"{type(error).__name__}: {error}"
    try:
        out = np.asarray(schedule(STEPS), dtype=np.float64)
        scalar = [schedule(int(t)) for t in (0, STEPS[-1])]
    except Exception as error:
        return "crashes", f"{type(error).__name__}: {error}"
    if not np.isfinite(out).all() or (out < 0).any() or not all(math.isfinite(v) for v in scalar):
        return "bad", out
    far = float(np.max(np.abs(np.asarray(schedule(FAR), dtype=np.float64))))
    return "ok", (out, far)


def run(spec: Spec) -> list[str]:
    """Every hostile configuration of `spec`; the list of failures (empty if it conforms)."""
    failures: list[str] = []
    for param, values in spec.params.items():
        for value in values:
            kwargs = {**spec.base, param: value}
            failure = check_one(spec, kwargs, param, value)
            if failure:
                failures.append(f"{spec.name}({param}={short(value)}): {failure}")
    return failures


def check_one(spec: Spec, kwargs: dict[str, Any], param: str, value: Any) -> str | None:
    peer, theirs = _peer(spec, kwargs)
    ours, mine = _ours(spec, kwargs, param)
    if ours in ("wrong type", "unnamed", "crashes"):
        return f"compat {ours}: {mine} (framework {peer})"
    if ours == "bad":
        return f"compat gives NaN/inf/negative: {mine[:8]}"
    if ours == "ok":
        mine, far = mine
    if peer == "ok" and ours == "ok":
        peak = max(float(np.max(np.abs(theirs))), float(np.max(np.abs(mine))), far, 1e-300)
        diff = float(np.max(np.abs(mine - theirs)))
        allowed = spec.tol * peak + spec.slack
        if not diff <= allowed and (param, short(value)) not in spec.differences:
            worst = int(np.argmax(np.abs(mine - theirs)))
            return f"values differ at step {worst}: ours {mine[worst]!r}, theirs {theirs[worst]!r}"
        return None
    if (peer == "ok") == (ours == "ok"):  # both refuse (raises/bad vs refuses)
        return None
    if classify(value, peer, ours) is not None:
        return None
    if (param, short(value)) in spec.differences:
        return None
    if peer == "ok" and (param, "*") in spec.differences:
        return None  # a documented refusal of this parameter's values
    if peer == "ok":
        return f"compat refuses what the framework accepts: {mine}"
    what = theirs if peer == "raises" else "NaN/inf/negative"
    return f"compat accepts what the framework refuses ({what})"


def report(failures: Iterable[str]) -> str:
    failures = list(failures)
    return f"{len(failures)} mismatches:\n" + "\n".join(failures)
