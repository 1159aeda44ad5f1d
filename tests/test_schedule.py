"""The schedule model (schedule.py): repr, equality, to_dict/from_dict, .steps, step checks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import math
import warnings
from decimal import Decimal
from fractions import Fraction
from typing import Any

import hypothesis
import numpy as np
import pytest
from catalogue import EXAMPLES, FAMILIES

import annealing as an

NAMES = list(EXAMPLES)


def test_every_family_of_issue_2_has_an_example() -> None:
    assert {type(s).__name__ for s in EXAMPLES.values()} >= FAMILIES
    for name in FAMILIES | {"SGDR", "Schedule", "from_dict", "plot"}:
        assert name in an.__all__


@pytest.mark.parametrize("name", NAMES)
def test_repr_pastes_back(name: str) -> None:
    s = EXAMPLES[name]
    back = eval(repr(s), vars(an))
    assert back == s and type(back) is type(s)
    assert repr(back) == repr(s)


@pytest.mark.parametrize("name", NAMES)
def test_repr_starts_with_the_class_and_names_parameters(name: str) -> None:
    s = EXAMPLES[name]
    text = repr(s)
    assert text.startswith(type(s).__name__ + "(")
    assert "_path" not in text and "_table" not in text and "_starts" not in text


@pytest.mark.parametrize("name", NAMES)
def test_equal_by_value_and_hashable(name: str) -> None:
    s = EXAMPLES[name]
    twin = eval(repr(s), vars(an))
    assert s == twin and hash(s) == hash(twin)
    assert {s: 1}[twin] == 1
    assert s != EXAMPLES["Constant"] or name == "Constant"
    assert s != repr(s)


def test_different_parameters_are_not_equal() -> None:
    assert an.Cosine(1.0, 0.0, 10) != an.Cosine(1.0, 0.0, 11)
    assert an.Cosine(1.0, 0.0, 10) != an.Linear(1.0, 0.0, 10)
    assert an.Cosine(1, 0, 10) == an.Cosine(1.0, 0.0, 10.0)  # as numbers, not as texts


@pytest.mark.parametrize("name", NAMES)
def test_immutable(name: str) -> None:
    s = EXAMPLES[name]
    field = dataclasses.fields(s)[0].name  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(s, field, 0.5)


@pytest.mark.parametrize("name", NAMES)
def test_to_dict_is_json_and_round_trips(name: str) -> None:
    s = EXAMPLES[name]
    data = s.to_dict()
    assert data["format"] == 1 and data["type"] == type(s).__name__
    text = json.dumps(data, allow_nan=False)
    back = an.from_dict(json.loads(text))
    assert back == s
    assert back.to_dict() == data
    t = np.linspace(0, 2 * (s.steps or 100), 101)
    np.testing.assert_array_equal(back(t), s(t))


def test_to_dict_of_a_combinator_nests_dicts() -> None:
    s = an.Warmup(an.Cosine(1.0, 0.0, 90), warmup=10)
    assert s.to_dict() == {
        "format": 1,
        "type": "Warmup",
        "schedule": {"type": "Cosine", "start": 1.0, "end": 0.0, "steps": 90, "exponent": 1.0},
        "warmup": 10,
        "start": 0.0,
        "shape": "linear",
    }


def test_to_dict_keeps_numpy_parameters_json_safe() -> None:
    s = an.Cosine(np.float64(1.0), np.float32(0.5), np.int64(10))
    back = an.from_dict(json.loads(json.dumps(s.to_dict())))
    assert back(5) == s(5)


def test_from_dict_rejects_another_format_version() -> None:
    data = an.Cosine(1.0, 0.0, 10).to_dict()
    with pytest.raises(ValueError, match=r"^from_dict: format must be 1, got 2$"):
        an.from_dict({**data, "format": 2})
    with pytest.raises(ValueError, match=r"from_dict: format must be 1, got '1'"):
        an.from_dict({**data, "format": "1"})


def test_from_dict_errors_name_what_is_wrong() -> None:
    with pytest.raises(TypeError, match=r"^from_dict: data must be a dict, got \[1\]"):
        an.from_dict([1])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^from_dict: schedule.type must be one of .*Cosine.*"):
        an.from_dict({"format": 1, "type": "Cos"})
    with pytest.raises(ValueError, match=r"^from_dict: schedule.type must be one of .*got None"):
        an.from_dict({"format": 1})
    with pytest.raises(TypeError, match=r"^from_dict: schedule \(Cosine\) is missing 'steps'$"):
        an.from_dict({"format": 1, "type": "Cosine", "start": 1.0, "end": 0.0})
    with pytest.raises(ValueError, match=r"^from_dict: schedule.steps must be a finite number > 0"):
        an.from_dict({"format": 1, "type": "Cosine", "start": 1.0, "end": 0.0, "steps": -1})


def test_from_dict_does_not_build_the_base_class_or_private_classes() -> None:
    with pytest.raises((ValueError, TypeError)):
        an.from_dict({"format": 1, "type": "_Scalar"})


STEPS: dict[str, Any] = {
    "Constant": None,
    "Constant-steps": 10,
    "Cosine": 100,
    "Linear-rise": 10.5,
    "Exponential-rate": None,
    "Exponential-end": 100,
    "Step": None,
    "MultiStep": 80,
    "MultiStep-none": None,
    "InverseSqrt": None,
    "Piecewise": 20,
    "OneCycle": 100,
    "Cyclic": None,
    "WSD": 100,
    "WSD-1-sqrt": 90,
    "Warmup": 100,
    "Warmup-exponential": 110,
    "Warmup-cosine-endless": None,
    "Sequence": 20,
    "Sequence-boundaries": 15,
    "Scale": 100,
    "Scale-schedule": 200,
    "Restarts": 76,  # 2 + 10, 2 + 20, 2 + 40
    "Restarts-amplitude": None,
    "SGDR": None,
    "nested": None,
}


@pytest.mark.parametrize("name", list(STEPS))
def test_steps(name: str) -> None:
    assert EXAMPLES[name].steps == STEPS[name]


@pytest.mark.parametrize("name", NAMES)
def test_finite_schedules_hold_their_end(name: str) -> None:
    s = EXAMPLES[name]
    if s.steps is None or name == "Piecewise-right":  # side="right" changes just after steps
        return
    last = s(s.steps)
    assert s(s.steps * 1.5) == last and s(s.steps + 1e6) == last


BAD_STEPS: list[tuple[Any, type[Exception], str]] = [
    (-1, ValueError, "-1"),
    (-0.5, ValueError, "-0.5"),
    (math.nan, ValueError, "nan"),
    (math.inf, ValueError, "inf"),
    (-math.inf, ValueError, "-inf"),
    (True, TypeError, "True"),
    ("10", TypeError, "'10'"),
    (None, TypeError, "None"),
    (np.float64(-2.0), ValueError, "-2.0"),
    (np.int64(-3), ValueError, "-3"),
    (np.float32(np.nan), ValueError, "nan"),
    (np.bool_(True), TypeError, "True"),
    (np.array([0.0, -1.0]), ValueError, "-1.0"),
    (np.array([1.0, np.nan]), ValueError, "nan"),
    (np.array([[1.0], [np.inf]]), ValueError, "inf"),
    ([0, -4], ValueError, "-4"),
    (np.array([True, False]), TypeError, "True"),
    (np.array(["a"]), TypeError, "a"),
    (1j, TypeError, "1j"),
]


@pytest.mark.parametrize("name", NAMES)  # each family has its own _call (a fast path)
@pytest.mark.parametrize(("step", "error", "shown"), BAD_STEPS)
def test_bad_steps_raise_naming_the_schedule_and_the_value(
    name: str, step: Any, error: type[Exception], shown: str
) -> None:
    s = EXAMPLES[name]
    with pytest.raises(error) as info:
        s(step)
    message = str(info.value)
    assert message.startswith(f"{type(s).__name__}: step must be"), message
    assert shown in message, message


def test_a_subclass_with_its_own_scalar_path_is_called_through_it() -> None:
    # a family's _call inlines its own formula (and its compiled call, the same formula in C);
    # a subclass computing its values anew must inherit neither (Schedule.__init_subclass__
    # gives it the generic _call, and annealing.schedule._compile compiles exact families only)
    @dataclasses.dataclass(frozen=True, repr=False)
    class Halved(an.Cosine):
        def _scalar(self, t: float, /) -> float:
            return 0.5 * an.Cosine(self.start, self.end, self.steps)(t)

    s, plain = Halved(1.0, 0.0, 10), an.Cosine(1.0, 0.0, 10)
    for t in (0, 3, 2.5, np.float64(2.5), Fraction(5, 2), 10**20):
        assert s(t) == 0.5 * plain(t)
    with pytest.raises(ValueError, match=r"^Halved: step must be"):
        s(-1)


@pytest.mark.parametrize("name", NAMES)
def test_python_numbers_give_python_floats(name: str) -> None:
    s = EXAMPLES[name]
    for t in (0, 7, 7.25, 10**9, 1e300):
        assert type(s(t)) is float


@pytest.mark.parametrize("name", NAMES)
def test_numpy_scalars_fractions_and_zero_d_arrays_are_numbers(name: str) -> None:
    s = EXAMPLES[name]
    want = s(7.5)
    for t in (np.float64(7.5), np.float32(7.5), np.array(7.5), Fraction(15, 2)):
        got = s(t)
        assert type(got) is float and got == want
    assert s(np.int64(7)) == s(7) == s(np.uint8(7)) == s(np.array(7))


@pytest.mark.parametrize("name", NAMES)
def test_lists_and_arrays_of_any_shape(name: str) -> None:
    s = EXAMPLES[name]
    steps = [0, 1, 2.5, 9.75, 10, 33, 120]
    want = np.array([s(t) for t in steps])
    got = s(steps)
    assert isinstance(got, np.ndarray) and got.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=1e-15, atol=0)
    grid = s(np.array(steps[:6]).reshape(2, 3))
    assert grid.shape == (2, 3)
    np.testing.assert_allclose(grid.ravel(), want[:6], rtol=1e-15, atol=0)
    integers = s(np.array([[0, 7], [33, 120]], dtype=np.int32))
    np.testing.assert_allclose(integers.ravel(), [s(0), s(7), s(33), s(120)], rtol=1e-15, atol=0)
    assert s(np.array([], dtype=float)).shape == (0,)
    assert s(np.array([3.0], dtype=np.float32)).dtype == np.float64


@pytest.mark.parametrize("name", NAMES)
def test_calls_have_no_hidden_state(name: str) -> None:
    s = EXAMPLES[name]
    first = [s(t) for t in (50, 0, 50, 3, 50)]
    assert first[0] == first[2] == first[4]
    assert s(np.arange(60))[50] == pytest.approx(first[0], rel=1e-15)


def test_subnormal_lengths_are_refused() -> None:
    # 1 / 5e-324 overflows, and every formula divides by its length
    with pytest.raises(ValueError, match=r"^Cosine: steps must be a finite number > 0 and normal"):
        an.Cosine(1.0, 0.0, 5e-324)
    with pytest.raises(ValueError, match=r"^Step: every must be a finite number > 0 and normal"):
        an.Step(1.0, 1e-310)
    assert an.Step(1.0, 2.3e-308)(4.0) == 0.0  # t / every = inf: 0.1 ** inf, not an error


def test_scalar_use_never_imports_numpy() -> None:
    # numpy is imported on the first array evaluation, not by `import annealing`
    import subprocess
    import sys

    code = (
        "import sys, annealing as an; "
        "s = an.Restarts(an.Warmup(an.Cosine(1.0, 0.0, 90), warmup=10), mult=2); "
        "s(250.5); s.to_dict(); repr(s); print('numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- steps of every type (issue 11, item 3) ----------------------------------------------------
class _Count(enum.IntEnum):
    SEVEN = 7


class _MyFloat(float):
    pass


def _stable_id(value: Any) -> str:
    """Test ids that are the same in every process (a bare object's repr holds its address)."""
    return "object" if type(value) is object else repr(value)


GOOD_STEPS: list[Any] = [
    np.longdouble(7),  # .item() of a longdouble is a longdouble: this used to recurse forever
    np.float16(7),
    np.float32(7),
    np.int8(7),
    np.uint8(7),
    np.uint64(7),
    np.array(7, dtype=np.longdouble),
    np.array(7, dtype=np.uint16),
    Fraction(7),
    Decimal(7),
    Decimal("7.000"),
    _Count.SEVEN,
    _MyFloat(7.0),
]


@pytest.mark.parametrize("name", ["Cosine", "Warmup", "Restarts", "Piecewise", "MultiStep"])
@pytest.mark.parametrize("step", GOOD_STEPS, ids=_stable_id)
def test_every_real_number_type_is_a_step(name: str, step: Any) -> None:
    s = EXAMPLES[name]
    got = s(step)
    assert type(got) is float and got == s(7.0)


def test_fractions_and_decimals_are_the_nearest_float() -> None:
    s = EXAMPLES["Cosine"]
    assert s(Fraction(1, 3)) == s(1 / 3)
    assert s(Decimal("0.1")) == s(0.1)
    assert s(np.longdouble("2.5")) == s(2.5)


def test_a_list_accepts_exactly_the_numbers_a_step_does() -> None:
    s = EXAMPLES["Restarts"]
    mixed = [1, 2.5, Fraction(7, 2), Decimal("4.25"), np.float16(5), np.longdouble(6), 2**60]
    got = s(mixed)
    assert got.dtype == np.float64 and got.tolist() == [s(float(x)) for x in mixed]
    assert s([[0, Fraction(1, 2)], [np.int8(3), 4.0]]).shape == (2, 2)
    with pytest.raises(
        ValueError, match=r"^Restarts: step must be finite and >= 0, got Decimal\('-0.5'\)$"
    ):
        s([1, Decimal("-0.5")])
    with pytest.raises(ValueError, match=r"^Restarts: step must be finite and >= 0, got an int"):
        s([1, 10**400])


def test_large_integer_steps_are_the_nearest_float() -> None:
    s = EXAMPLES["Exponential-rate"]
    for big in (2**53 + 1, 10**20, 10**300, np.uint64(2**64 - 1)):
        got = s(big)
        assert type(got) is float and got == s(float(big))


BAD_TYPES: list[tuple[Any, str]] = [
    (False, "False"),
    (np.bool_(False), "False"),
    (np.array(True), "True"),
    (2 + 0j, "(2+0j)"),
    (np.complex128(1), "1"),
    (np.array([1 + 1j]), "1.+1.j"),
    ("3", "'3'"),
    (b"3", "b'3'"),
    (None, "None"),
    (dt.timedelta(days=1), "timedelta"),
    (dt.datetime(2020, 1, 1), "datetime"),
    (dt.date(2020, 1, 1), "date"),
    (np.timedelta64(3, "s"), "timedelta64"),
    (np.datetime64("2020-01-01"), "datetime64"),
    (np.array([1, 2], dtype="timedelta64[s]"), "timedelta64"),
    (np.array(["2020-01-01"], dtype="datetime64[D]"), "datetime64"),
    (np.array([1.0, 2.0], dtype=object), "object"),
    (np.array([None]), "None"),
    ([dt.timedelta(1)], "timedelta"),
    ([1, [2, 3]], "[1, [2, 3]]"),  # ragged
    ([1, True], "[1, True]"),  # numpy alone reads it as [1, 1]
    ([[0.5], [np.bool_(False)]], "False"),
    ([1, None], "None"),
    ([np.timedelta64(1)], "timedelta64"),
    ({1: 2}, "{1: 2}"),
    ({1.0}, "{1.0}"),
    (object(), "object"),
]


@pytest.mark.parametrize("name", ["Cosine", "Sequence", "Constant"])
@pytest.mark.parametrize(("step", "shown"), BAD_TYPES, ids=_stable_id)
def test_steps_that_are_not_real_numbers_are_refused(name: str, step: Any, shown: str) -> None:
    s = EXAMPLES[name]
    with pytest.raises(TypeError) as info:
        s(step)
    message = str(info.value)
    assert message.startswith(f"{type(s).__name__}: step must be a number or an array"), message
    assert shown in message, message


BAD_VALUES: list[tuple[Any, str]] = [
    (10**400, "an integer of about 400 digits"),
    (-(10**400), "digits"),
    (10**5000, "digits"),  # its repr alone would raise: "Exceeds the limit (4300 digits)"
    (Fraction(10**400), "Fraction"),
    (Fraction(-1, 3), "Fraction(-1, 3)"),
    (Decimal("NaN"), "NaN"),
    (Decimal("sNaN"), "sNaN"),  # float() of it raises ValueError by itself
    (Decimal("-Infinity"), "Infinity"),
    (Decimal("1e400"), "1E+400"),
    (Decimal("-0.5"), "-0.5"),
    (np.longdouble("1e400"), "1e+400"),
    (np.longdouble(-1), "-1"),
    (np.float16("nan"), "nan"),
    (np.float16("inf"), "inf"),
    (np.array(-1, dtype=np.int8), "-1"),
    (np.array([1, np.longdouble("1e400")], dtype=np.longdouble), "1e+400"),
    (np.array([0, -1], dtype=np.int8), "-1"),
    (np.array([[0.0, 1.0], [2.0, np.nan]], dtype=np.float16), "nan"),
    (_MyFloat("nan"), "nan"),
]


@pytest.mark.parametrize("name", ["Cosine", "Restarts", "Constant"])
@pytest.mark.parametrize(("step", "shown"), BAD_VALUES, ids=lambda v: type(v).__name__)
def test_negative_nan_infinite_and_huge_steps_are_refused(name: str, step: Any, shown: str) -> None:
    s = EXAMPLES[name]
    with pytest.raises(ValueError) as info:
        s(step)
    message = str(info.value)
    assert message.startswith(f"{type(s).__name__}: step must be"), message
    assert shown in message and len(message) < 300, message


@pytest.mark.parametrize("name", NAMES)
def test_results_are_always_floating(name: str) -> None:
    s = EXAMPLES[name]
    assert type(s(3)) is float and type(s(np.int64(3))) is float
    for steps in (np.arange(5), np.arange(5, dtype=np.uint8), np.array([1.0], dtype=np.float16)):
        got = s(steps)
        assert isinstance(got, np.ndarray) and got.dtype == np.float64
        assert got.shape == steps.shape and got.flags.writeable


def test_integer_parameters_still_give_float_arrays() -> None:
    # the issue's example: int64 before
    got = an.MultiStep(1, (5,), 0)(np.array([1.0, 7.0]))
    assert got.dtype == np.float64 and got.tolist() == [1.0, 0.0]
    assert an.Constant(1)(np.arange(3)).dtype == np.float64


def test_the_caller_array_is_never_returned_or_changed() -> None:
    steps = np.arange(4.0)
    for s in (an.Constant(1.0), an.Offset(an.Constant(1.0), 0), EXAMPLES["Cosine"]):
        got = s(steps)
        assert got is not steps and not np.shares_memory(got, steps)
        got[...] = 5.0
        assert steps.tolist() == [0.0, 1.0, 2.0, 3.0]


@pytest.mark.parametrize(
    "dtype", [np.int8, np.uint32, np.int64, np.float16, np.float32, np.float64, np.longdouble]
)
def test_arrays_of_every_real_dtype_agree_with_scalars(dtype: type) -> None:
    steps = np.array([0, 1, 3, 7, 10, 55, 99, 100, 120], dtype=dtype)
    for name in ("Cosine", "Restarts", "Piecewise-linear", "nested", "WSD-1-sqrt"):
        s = EXAMPLES[name]
        got = s(steps)
        assert got.dtype == np.float64
        want = [s(float(x)) for x in steps]
        np.testing.assert_allclose(got, want, rtol=1e-15, atol=0)


def _hostile_steps() -> Any:
    st = hypothesis.strategies
    finite = st.floats(min_value=0.0, max_value=1e300, allow_nan=False, allow_infinity=False)
    anything = st.floats(allow_nan=True, allow_infinity=True)
    numpy_scalars = st.sampled_from(
        [np.int8, np.uint8, np.int64, np.uint64, np.float16, np.float32, np.float64, np.longdouble]
    ).flatmap(lambda kind: anything.map(lambda x: _cast(kind, x)))
    return st.one_of(
        finite,
        anything,
        st.integers(min_value=-(10**500), max_value=10**500),
        numpy_scalars,
        st.fractions(),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.complex_numbers(),
        st.text(max_size=3),
        st.binary(max_size=3),
        st.none(),
        st.timedeltas(),
        st.datetimes(),
        st.lists(anything, max_size=4),
        st.lists(st.integers(min_value=-(2**70), max_value=2**70), max_size=4),
        st.lists(finite, min_size=1, max_size=4).map(np.array),
        st.lists(finite, min_size=1, max_size=4).map(lambda v: _cast(np.float16, v)),
        st.lists(st.integers(0, 10**6), min_size=1, max_size=4).map(lambda v: np.array(v) * 1),
    )


def _cast(kind: type, x: Any) -> Any:
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if isinstance(x, list):
            return np.array(x, dtype=kind)
        if np.issubdtype(kind, np.integer):
            info = np.iinfo(kind)
            return kind(int(min(max(x, info.min), info.max)) if math.isfinite(x) else 0)
        return kind(x)


@pytest.mark.parametrize("name", NAMES)
def test_fuzzed_steps_give_a_finite_value_or_a_clear_refusal(name: str) -> None:
    s = EXAMPLES[name]

    @hypothesis.settings(max_examples=60, deadline=None, database=None)
    @hypothesis.given(_hostile_steps())
    def check(step: Any) -> None:
        try:
            got = s(step)
        except (TypeError, ValueError) as error:
            assert str(error).startswith(f"{type(s).__name__}: step must be"), str(error)
            return
        values = np.asarray(got, dtype=np.float64)
        assert values.dtype == np.float64 and np.isfinite(values).all() and (values >= 0).all()
        if isinstance(got, np.ndarray):
            assert got.dtype == np.float64 and got.shape == np.shape(np.asarray(step))
        else:
            assert type(got) is float

    check()


# -- from_dict reads safe data (issue 11, item 4) --------------------------------------------------
def _nested(depth: int) -> dict[str, Any]:
    data: dict[str, Any] = {"type": "Constant", "value": 1.0}
    for _ in range(depth):
        data = {"type": "Scale", "schedule": data, "factor": 1.0}
    return data


def test_from_dict_refuses_deep_nesting_before_building() -> None:
    assert an.from_dict(_nested(30)) == an.from_dict(_nested(30))  # deep, but within the limit
    for depth in (an.schedule.MAX_DEPTH, 400, 5000):  # 400 was a RecursionError
        with pytest.raises(ValueError, match=r"^from_dict: schedule\.schedule.* is nested deeper"):
            an.from_dict(_nested(depth))
    deep: Any = 1.0
    for _ in range(400):
        deep = [deep]
    with pytest.raises(ValueError, match=r"^from_dict: schedule\.value\[0\].* is nested deeper"):
        an.from_dict({"type": "Constant", "value": deep})


def test_from_dict_refuses_huge_integers_strings_and_lists() -> None:
    cosine = {"type": "Cosine", "start": 1.0, "end": 0.0, "steps": 10}
    with pytest.raises(ValueError, match=r"^from_dict: schedule.steps must be a number within"):
        an.from_dict({**cosine, "steps": 10**400})  # was OverflowError
    with pytest.raises(ValueError, match=r"digits"):
        an.from_dict({**cosine, "steps": -(10**5000)})
    with pytest.raises(ValueError, match=r"^from_dict: schedule.type must be a string of at most"):
        an.from_dict({**cosine, "type": "C" * 10**6})
    with pytest.raises(ValueError, match=r"^from_dict: schedule.boundaries must have at most"):
        an.from_dict({"type": "Sequence", "schedules": [], "boundaries": [0] * 10**6})
    many = {"type": "Piecewise", "points": [[0.0] * 10] * 99_999}  # 1.1 million numbers
    with pytest.raises(ValueError, match=r"^from_dict: data must hold at most 1000000 values"):
        an.from_dict(many)
    with pytest.raises(ValueError, match=r"^from_dict: schedule has a key longer than"):
        an.from_dict({**cosine, "x" * 2000: 1})
    # within the limits a 300-digit integer reaches the constructor, which decides
    assert an.from_dict({**cosine, "steps": 10**300}) == an.Cosine(1.0, 0.0, 10**300)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ({1, 2}, "{1, 2}"),
        (b"1", "b'1'"),
        (np.float64(1.0), "1.0"),  # numpy numbers are not JSON data
        (Fraction(1, 2), "Fraction"),
        (an.Constant(1.0), "Constant(value=1.0)"),  # a schedule object is not data either
        (object(), "object"),
    ],
    ids=_stable_id,
)
def test_from_dict_accepts_plain_data_only(value: Any, shown: str) -> None:
    with pytest.raises(TypeError, match=r"^from_dict: schedule.start must be a dict, list") as e:
        an.from_dict({"type": "Cosine", "start": value, "end": 0.0, "steps": 10})
    assert shown in str(e.value)
    with pytest.raises(TypeError, match=r"^from_dict: schedule must have string keys, got 1"):
        an.from_dict({"type": "Cosine", 1: 2})


def test_from_dict_refuses_unknown_keys_by_name() -> None:
    with pytest.raises(
        ValueError,
        match=r"^from_dict: schedule.schedule has unknown keys 'step', 'eval' for Cosine "
        r"\(its parameters: start, end, steps, exponent\)$",
    ):
        an.from_dict(
            {
                "type": "Warmup",
                "warmup": 5,
                "schedule": {"type": "Cosine", "start": 1.0, "end": 0.0, "steps": 9, "step": 1,
                             "eval": "x"},
            }
        )  # fmt: skip
    with pytest.raises(ValueError, match=r"^from_dict: schedule.schedules\[1\] has unknown key"):
        an.from_dict(
            {"type": "Sequence", "schedules": [{"type": "Constant", "value": 1.0},
                                               {"type": "Constant", "value": 1.0, "format": 1}]}
        )  # fmt: skip
    with pytest.raises(ValueError, match=r"^from_dict: format must be 1, got True"):
        an.from_dict({"type": "Constant", "value": 1.0, "format": True})


def test_from_dict_errors_give_the_path_of_the_field() -> None:
    data = EXAMPLES["nested"].to_dict()
    data["schedule"]["schedules"][0]["schedule"]["cycle"]["steps"] = 0
    with pytest.raises(ValueError) as info:
        an.from_dict(data)
    message = str(info.value)
    assert message.startswith(
        "from_dict: schedule.schedule.schedules[0].schedule.cycle.steps must be"
    ), message
    assert message.endswith("got 0"), message
    with pytest.raises(ValueError, match=r"^from_dict: schedule.schedules\[1\].type must be one"):
        an.from_dict({"type": "Sequence", "schedules": [{"type": "Constant", "value": 1}, {}]})


@pytest.mark.parametrize("name", NAMES)
def test_from_dict_gives_the_same_values(name: str) -> None:
    s = EXAMPLES[name]
    back = an.from_dict(json.loads(json.dumps(s.to_dict())))
    assert back == s and back.fingerprint() == s.fingerprint()
    steps = np.array([0, 1, 2.5, 9, 10, 33, 99, 100, 101, 250])
    assert back(steps).tolist() == s(steps).tolist()


def test_a_user_subclass_named_like_a_library_class_does_not_replace_it() -> None:
    register = an.register

    @dataclasses.dataclass(frozen=True, repr=False)
    class Cosine(an.Schedule):  # a user's class, in a module outside annealing
        start: float
        end: float
        steps: float
        exponent: float = 1.0

        def _value(self, t: Any, xp: Any) -> Any:
            return xp.full(t, 666.0) if xp is not an.schedule.SCALAR else 666.0

    data = an.Cosine(1.0, 0.0, 10).to_dict()
    assert type(an.from_dict(data)) is an.Cosine  # the library's, as before the user's class
    assert Cosine(1.0, 0.0, 10).to_dict() == data  # same data...
    assert Cosine(1.0, 0.0, 10).fingerprint() != an.Cosine(1.0, 0.0, 10).fingerprint()  # not value
    with pytest.raises(ValueError, match=r"^register: the name 'Cosine' is taken by annealing"):
        register(Cosine)
    assert type(an.from_dict(data)) is an.Cosine


def test_register_lets_from_dict_build_an_extension() -> None:
    from annealing.schedule import _REGISTRY

    register = an.register

    @dataclasses.dataclass(frozen=True, repr=False)
    class Halving(an.Schedule):
        start: float

        def _value(self, t: Any, xp: Any) -> Any:
            return self.start * 0.5**t

    data = Halving(2.0).to_dict()
    with pytest.raises(ValueError, match=r"type must be one of .* got 'Halving'"):
        an.from_dict(data)  # not registered: not built
    try:
        assert register(Halving) is Halving
        assert register(Halving) is Halving  # again: nothing to do
        assert an.from_dict(data) == Halving(2.0) and an.from_dict(data)(1) == 1.0
        with pytest.raises(ValueError, match=r"^register: the name 'Halving' is taken by test_"):
            register(dataclasses.dataclass(frozen=True)(type("Halving", (an.Schedule,), {})))
    finally:
        _REGISTRY.pop("Halving", None)
    with pytest.raises(TypeError, match=r"^register: cls must be a subclass of annealing"):
        register(dict)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^register: cls must be a subclass of annealing"):
        register(an.Schedule)
    with pytest.raises(TypeError, match=r"^register: cls must be a dataclass"):
        register(type("Plain", (an.Schedule,), {}))


# -- fingerprint ---------------------------------------------------------------------------
def test_fingerprints_are_equal_exactly_when_schedules_are() -> None:
    schedules = list(EXAMPLES.values())
    schedules += [
        an.Cosine(1.0, 0.1, 100.0),  # == COSINE: steps 100 and 100.0 are equal
        an.Cosine(1.0, 0.1, 100, exponent=1),
        an.Cosine(np.float32(1.0), 0.1, 100),
        an.Cosine(1.0, np.float32(0.1), 100),  # 0.10000000149011612: another schedule
        an.Cosine(1.0, math.nextafter(0.1, 1.0), 100),
        an.Cosine(1.0, 0.1, 101),
        an.Linear(1.0, 0.1, 100),
        an.Polynomial(1.0, 0.1, 100, power=1.0),
        an.Constant(0.0),
        an.Constant(-0.0),  # == Constant(0.0)
    ]
    for a in schedules:
        for b in schedules:
            assert (a.fingerprint() == b.fingerprint()) == (a == b), (a, b)


def test_fingerprint_is_stable_across_processes_and_releases() -> None:
    # pinned: a change here makes every stored checkpoint look like another schedule
    s = an.Warmup(an.Cosine(start=0.1, end=0.0, steps=900), warmup=100)
    text = (
        '{"format":1,"schedule":{"end":0,"exponent":1,"start":0.1,"steps":900,"type":"Cosine"},'
        '"shape":"linear","start":0,"type":"Warmup","warmup":100}'
    )
    assert s.fingerprint() == hashlib.sha256(text.encode()).hexdigest()
    assert len(s.fingerprint()) == 64 and int(s.fingerprint(), 16) >= 0


def _json_like() -> Any:
    st = hypothesis.strategies
    from annealing.schedule import _REGISTRY

    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**400), max_value=10**400),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=5),
        st.sampled_from(sorted(_REGISTRY)),
    )
    keys = st.sampled_from(["type", "start", "end", "steps", "schedule", "schedules", "value",
                            "warmup", "points", "factor", "boundaries", "format", "x"])  # fmt: skip

    def grow(children: Any) -> Any:
        schedules = st.fixed_dictionaries(
            {"type": st.sampled_from(sorted(_REGISTRY))},
            optional={k: children for k in ("start", "end", "steps", "schedule", "value")},
        )
        return st.one_of(
            st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4), schedules
        )

    return st.recursive(leaves, grow, max_leaves=25)


@hypothesis.settings(max_examples=300, deadline=None, database=None)
@hypothesis.given(_json_like())
def test_from_dict_of_any_data_builds_or_refuses_clearly(data: Any) -> None:
    try:
        schedule = an.from_dict(data)
    except (TypeError, ValueError) as error:
        assert str(error).startswith("from_dict: "), str(error)
        assert len(str(error)) < 2000
        return
    assert isinstance(schedule, an.Schedule)
    assert an.from_dict(schedule.to_dict()) == schedule


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _leaves(v, (*path, k))] + [path]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _leaves(v, (*path, i))] + [path]
    return [path]


@pytest.mark.parametrize("name", NAMES)
def test_from_dict_of_a_mutated_checkpoint_builds_or_refuses_clearly(name: str) -> None:
    st = hypothesis.strategies
    original = EXAMPLES[name].to_dict()
    paths = [p for p in _leaves(original) if p]
    hostile = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**400), max_value=10**400),
        st.floats(),
        st.text(max_size=3),
        st.lists(st.floats(), max_size=3),
        st.just({"type": "Constant", "value": 1.0}),
        st.just({}),
    )

    @hypothesis.settings(max_examples=40, deadline=None, database=None)
    @hypothesis.given(st.sampled_from(paths), hostile)
    def check(path: tuple[Any, ...], value: Any) -> None:
        data = json.loads(json.dumps(original))
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        try:
            schedule = an.from_dict(data)
        except (TypeError, ValueError) as error:
            assert str(error).startswith("from_dict: "), str(error)
            return
        assert an.from_dict(schedule.to_dict()) == schedule
        assert schedule.fingerprint() == an.from_dict(schedule.to_dict()).fingerprint()

    check()
