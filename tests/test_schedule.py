"""The schedule model (schedule.py): repr, equality, to_dict/from_dict, .steps, step checks."""

from __future__ import annotations

import dataclasses
import json
import math
from fractions import Fraction
from typing import Any

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


@pytest.mark.parametrize("name", ["Cosine", "Warmup", "Restarts", "Piecewise", "Constant"])
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
