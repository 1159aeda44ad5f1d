"""The one coercion every constructor uses (_validate.py): what comes in, what is stored."""

from __future__ import annotations

import datetime
import json
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

import annealing as an
from annealing import _validate as v

# (constructor, the keyword arguments it needs, the numeric parameter to vary, its "as written")
BUILDERS: list[tuple[Any, dict[str, Any], str]] = [
    (an.Cosine, {"start": 1.0, "end": 0.0, "steps": 100}, "start"),
    (an.Cosine, {"start": 1.0, "end": 0.0, "steps": 100}, "steps"),
    (an.Linear, {"start": 1.0, "end": 0.0, "steps": 100}, "end"),
    (an.Exponential, {"start": 1.0, "rate": 0.5, "every": 10}, "every"),
    (an.Step, {"start": 1.0, "every": 30, "factor": 0.5}, "factor"),
    (an.InverseTime, {"start": 1.0, "rate": 0.5, "every": 10}, "rate"),
    (an.Cyclic, {"low": 0.1, "high": 1.0, "up": 10}, "up"),
    (an.WSD, {"peak": 1.0, "warmup": 10, "stable": 10, "decay": 10}, "stable"),
    (an.Restarts, {"cycle": an.Cosine(1.0, 0.0, 10), "warmup": 2}, "warmup"),
    (an.Offset, {"schedule": an.Linear(1.0, 0.0, 10), "offset": 2}, "offset"),
    (an.Scale, {"schedule": an.Linear(1.0, 0.0, 10), "factor": 0.5}, "factor"),
]

WRONG_KIND = [
    True,
    np.bool_(True),
    None,
    1j,
    np.complex128(1),
    "1",
    b"1",
    np.array(1.0),
    np.array([1.0]),
    datetime.timedelta(seconds=1),
    np.timedelta64(1, "s"),
    np.datetime64("2020-01-01"),
    [1.0],
]
WRONG_VALUE = [
    math.nan,
    math.inf,
    -math.inf,
    10**400,
    -(10**400),
    Decimal("1e400"),
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("Infinity"),
    Fraction(10**400, 3),
    np.longdouble("1e400"),
    -1,
]


@pytest.mark.parametrize("value", WRONG_KIND, ids=repr)
@pytest.mark.parametrize(
    ("cls", "kwargs", "name"), BUILDERS, ids=lambda x: getattr(x, "__name__", "")
)
def test_a_value_of_the_wrong_kind_is_a_type_error_naming_the_parameter(
    cls: Any, kwargs: dict[str, Any], name: str, value: Any
) -> None:
    with pytest.raises(TypeError, match=rf"^{cls.__name__}: {name} must be .*, got "):
        cls(**{**kwargs, name: value})


@pytest.mark.parametrize("value", WRONG_VALUE, ids=lambda x: v.show(x)[:30])
@pytest.mark.parametrize(
    ("cls", "kwargs", "name"), BUILDERS, ids=lambda x: getattr(x, "__name__", "")
)
def test_a_number_out_of_range_is_a_value_error_naming_the_parameter(
    cls: Any, kwargs: dict[str, Any], name: str, value: Any
) -> None:
    with pytest.raises(ValueError, match=rf"^{cls.__name__}: {name} must be .*, got "):
        cls(**{**kwargs, name: value})


def test_huge_values_are_shown_short() -> None:
    with pytest.raises(ValueError) as info:
        an.Cosine(1.0, 0.0, 10**400)
    assert str(info.value) == (
        "Cosine: steps must be a finite number > 0, got <an integer of about 401 digits>"
    )
    with pytest.raises(ValueError) as info:  # beyond Python's 4300-digit str() limit
        an.Cosine(1.0, 0.0, 10**5000)
    assert "about 5001 digits" in str(info.value)
    with pytest.raises(ValueError) as info:
        an.Cosine(Fraction(10**400, 3), 0.0, 10)
    assert len(str(info.value)) < 200 and "characters)" in str(info.value)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (np.float32(0.1), 0.10000000149011612),  # the float32 value given, exactly
        (np.float64(0.25), 0.25),
        (np.float16(0.5), 0.5),
        (np.longdouble(0.5), 0.5),
        (Fraction(1, 4), 0.25),
        (Decimal("0.1"), 0.1),
        (np.int64(1), 1.0),
        (np.uint8(200), 200.0),
        (1, 1.0),
    ],
    ids=repr,
)
def test_values_are_stored_as_python_floats(given: Any, stored: float) -> None:
    s = an.Cosine(given, 0.0, 100)
    assert type(s.start) is float and s.start == stored
    assert type(s(50)) is float
    assert s(np.array([50.0])).dtype == np.float64
    back = an.from_dict(json.loads(json.dumps(s.to_dict())))
    assert back == s and back(50) == s(50) and back(37.5) == s(37.5)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (np.int64(100), 100),
        (np.uint8(200), 200),
        (Fraction(2**53, 1), 2**53),  # an integer Fraction: exact
        (Decimal("9007199254740992"), 2**53),
        (Decimal("9007199254740993"), 9007199254740992.0),  # beyond 2**53: its float
        (9007199254740993, 9007199254740992.0),
        (Decimal("1E+308"), 1e308),
        (Fraction(1e308), 1e308),
        (100, 100),
        (np.float32(2.5), 2.5),
        (Fraction(5, 2), 2.5),
    ],
    ids=repr,
)
def test_lengths_keep_integers_as_int(given: Any, stored: float) -> None:
    s = an.Linear(1.0, 0.0, given)
    assert s.steps == stored and type(s.steps) is type(stored)
    assert s == an.Linear(1.0, 0.0, stored)


def test_float32_parameters_are_computed_in_float64() -> None:
    s = an.Cosine(np.float32(0.1), 0.0, 100)
    half = 0.5 * float(np.float32(0.1))  # the float64 half of the float32 value
    assert s(50) == pytest.approx(half, rel=1e-15) and type(s(50)) is float
    assert s(np.array([50], dtype=np.float32)).dtype == np.float64


def test_offset_does_not_wrap_a_numpy_integer() -> None:
    s = an.Offset(an.Linear(1.0, 0.0, 1000), np.uint8(200))
    assert s.offset == 200 and type(s.offset) is int
    assert s(100) == 0.7  # 200 + 100 = 300, not (200 + 100) % 256


def test_sequences_of_numbers_are_stored_as_tuples_of_python_numbers() -> None:
    m = an.MultiStep(np.float32(1.0), np.array([5, 10]), factor=0)
    assert m.milestones == (5, 10) and all(type(x) is int for x in m.milestones)
    assert m(np.array([1.0, 5.0])).dtype == np.float64
    p = an.Piecewise([(np.int64(0), np.float32(1.0)), (Fraction(5, 2), Decimal("0.5"))])
    assert p.points == ((0, 1.0), (2.5, 0.5))
    assert [type(x) for pair in p.points for x in pair] == [int, float, float, float]
    s = an.Sequence((an.Constant(1.0), an.Constant(0.5)), boundaries=[np.int32(5)])
    assert s.boundaries == (5,) and type(s.boundaries[0]) is int


def test_flags_and_choices() -> None:
    assert an.Exponential(1.0, rate=0.5, staircase=np.bool_(True)).staircase is True
    with pytest.raises(TypeError, match=r"^Exponential: staircase must be True or False, got 1$"):
        an.Exponential(1.0, rate=0.5, staircase=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Cyclic: mode must be one of .*, got 1$"):
        an.Cyclic(0.1, 1.0, 10, mode=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^Cyclic: mode must be one of .*, got 'tri'$"):
        an.Cyclic(0.1, 1.0, 10, mode="tri")


def test_counts() -> None:
    assert an.Restarts(an.Cosine(1.0, 0.0, 10), limit=np.int8(3)).limit == 3
    for bad, error in ((3.0, TypeError), (True, TypeError), (np.timedelta64(3), TypeError)):
        with pytest.raises(error, match=r"^Restarts: limit must be an integer >= 1, got "):
            an.Restarts(an.Cosine(1.0, 0.0, 10), limit=bad)  # type: ignore[arg-type]


def test_sequences_refuse_unordered_and_non_sequences() -> None:
    for bad in ({5, 10}, {5: 1}, "5", 5, np.array(5)):
        with pytest.raises(TypeError, match=r"^MultiStep: milestones must be a sequence"):
            an.MultiStep(1.0, bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Piecewise: points must be a sequence of"):
        an.Piecewise("ab")  # type: ignore[arg-type]


def test_show_survives_a_failing_repr() -> None:
    class Odd:
        def __repr__(self) -> str:
            raise RuntimeError

    assert v.show(Odd()) == "<Odd object>"
    with pytest.raises(TypeError, match=r"^Cosine: start must be .*, got <Odd object>$"):
        an.Cosine(Odd(), 0.0, 10)  # type: ignore[arg-type]


def test_compat_signatures_are_kept() -> None:
    # compat calls these with the framework's own parameter names
    assert v.real("StepLR", "gamma", np.float32(0.5), low=0.0, high=1.0) == 0.5
    assert type(v.positive("x", "y", 3)) is float and type(v.nonnegative("x", "y", 0)) is float
    assert v.count("x", "n", np.int64(3)) == 3
    assert v.increasing("x", "m", (1, 2.5)) == (1.0, 2.5)
    with pytest.raises(ValueError, match=r"^CosineAnnealingLR: T_max must be a finite number > 0"):
        v.positive("CosineAnnealingLR", "T_max", 10**400)


def test_bounds_hold_for_the_float_that_is_kept() -> None:
    # an exact Decimal just above lower rounds to lower itself: refused, not stored equal
    lower = -5.851058214877688e276
    with pytest.raises(ValueError, match=r"^Tanh: upper must be a finite number > lower"):
        an.Tanh(3.0, 1.0, 10, lower=lower, upper=Decimal(lower) + 1)


def test_integer_lengths_beyond_2_to_the_53_agree_with_numpy() -> None:
    # stored as floats: kept as ints they were compared exactly (t < steps) but computed as
    # floats, and torch could not take them
    big = 925955403991528400000000000000000000000000000000000000000000000
    s = an.Polynomial(5.2e-208, 2e196, big, power=3.9e-66)
    t = float(big)
    assert s(t) == s(np.array([t]))[0] == 2e196
    m = an.MultiStep(1.0, (2**53 + 1,), factor=0.5)
    p = an.Piecewise(((0, 1.0), (2**53 + 1, 0.5)))
    q = an.Sequence((an.Constant(1.0), an.Constant(0.5)), boundaries=(2**53 + 1,))
    for schedule in (m, p, q):
        assert schedule(2.0**53) == schedule(np.array([2.0**53]))[0]
